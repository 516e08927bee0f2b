"""The JSON API: bearer tokens only, the office scope, the numbers of the CLI and the pages, rate limit."""
from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import ApiToken, DocumentFile, EntryState, RequiredDocument, SurveyPeriod

from .conftest import bearer, issue


def _error(response, code: int) -> dict:
    assert response.status_code == code, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == code and body["status"] and body["message"]
    return body


def spec_urls(app, period_id: int) -> list[str]:
    """Every path of the OpenAPI document, with the demo office's values in its parameters."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    values = {"{code}": "gumukmas", "{year}": "2025", "{period_id}": str(period_id)}
    urls = []
    for path, item in spec["paths"].items():
        assert set(item) <= {"get", "parameters"}, f"{path}: the API is read-only"
        path = path.replace("/kabupaten/{code}", "/kabupaten/jember")
        for name, value in values.items():
            path = path.replace(name, value)
        assert "{" not in path, path
        urls.append(path)
    return urls


def _period(office) -> SurveyPeriod:
    return db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == office.id)
                             .order_by(SurveyPeriod.id))


def test_the_document_lists_every_endpoint_and_the_bearer_scheme(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert spec["security"] == [{"bearerAuth": []}]
    assert set(spec["paths"]) == {
        "/api/v1/offices", "/api/v1/offices/{code}", "/api/v1/offices/{code}/years",
        "/api/v1/offices/{code}/years/{year}/summary", "/api/v1/offices/{code}/years/{year}/documents",
        "/api/v1/offices/{code}/skm-periods", "/api/v1/offices/{code}/skm-periods/{period_id}",
        "/api/v1/kabupaten", "/api/v1/kabupaten/{code}/matrix"}
    for path, item in spec["paths"].items():
        for code in ("200", "401", "404", "429"):
            assert code in item["get"]["responses"], (path, code)


def test_every_endpoint_refuses_a_missing_wrong_or_revoked_token(app, office, secret):
    urls = spec_urls(app, _period(office).id)
    client = app.test_client()
    revoked = issue("camat", "lama")
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == get_user("camat").id))
    token.revoked_at = token.created_at
    db.session.commit()
    kabupaten = issue("kabupaten")  # the kabupaten's matrix answers the kabupaten's users
    for url in urls:
        valid = kabupaten if url.startswith("/api/v1/kabupaten/") else secret
        assert client.get(url, headers=bearer(valid)).status_code == 200, url
        for headers in ({}, bearer("salah" + secret), bearer(revoked), {"Authorization": secret},
                        {"Authorization": f"Basic {secret}"}, {"Authorization": "Bearer "}):
            response = client.get(url, headers=headers)
            body = _error(response, 401)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), url
            assert "Token" in body["message"]


def test_a_signed_in_browser_without_a_token_gets_401(client_as, office):
    client = client_as("sekcam")
    assert client.get("/akun").status_code == 200  # the cookie is valid for the pages
    _error(client.get("/api/v1/offices"), 401)
    _error(client.get("/api/v1/offices/gumukmas/years/2025/summary"), 401)


def test_the_token_of_an_inactive_user_is_refused(app, office, secret, api):
    assert api("/api/v1/offices").status_code == 200
    get_user("sekcam").active = False
    db.session.commit()
    assert "dinonaktifkan" in _error(api("/api/v1/offices"), 401)["message"]


def test_the_last_use_is_recorded(app, office, secret, api):
    token = db.session.scalar(sa.select(ApiToken))
    assert token.last_used_at is None
    api("/api/v1/offices")
    db.session.expire_all()
    first = db.session.get(ApiToken, token.id).last_used_at
    assert first is not None
    # a refused request (another token) leaves it alone
    app.test_client().get("/api/v1/offices", headers=bearer("tidak-ada"))
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first


def test_offices_are_the_users_own(app, office, other_office, api):
    assert api("/api/v1/offices").get_json() == [
        {"code": "gumukmas", "name": "Gumukmas", "full_name": "Kecamatan Gumukmas", "kabupaten": office.kabupaten}]
    assert api("/api/v1/offices/gumukmas").get_json()["full_name"] == "Kecamatan Gumukmas"
    puger = app.test_client().get("/api/v1/offices", headers=bearer(issue("admin-puger")))
    assert [o["code"] for o in puger.get_json()] == ["puger"]


def test_another_offices_data_answers_404(app, office, other_office, api):
    period = _period(office)
    for url in spec_urls(app, period.id):
        if "{code}" not in url and url.count("/") <= 3 or url.startswith("/api/v1/kabupaten"):
            continue  # the kabupaten's own endpoints: tests/api/test_api_kabupaten.py
        for foreign in (url.replace("gumukmas", "puger"), url.replace("gumukmas", "tidak-ada")):
            _error(api(foreign), 404)
    # a period of Gumukmas asked through Puger's token, under Puger's own code: not found either
    puger = bearer(issue("admin-puger"))
    _error(app.test_client().get(f"/api/v1/offices/puger/skm-periods/{period.id}", headers=puger), 404)


@pytest.mark.parametrize("year", [1999, 2101, 1900, 2999, 3000, 10_000])
def test_years_out_of_range_answer_404(api, year):
    for what in ("summary", "documents"):
        _error(api(f"/api/v1/offices/gumukmas/years/{year}/{what}"), 404)


def test_unknown_addresses_and_methods_answer_json(api, app, secret):
    _error(api("/api/v1/tidak-ada"), 404)
    _error(api("/api/v1/offices/gumukmas/skm-periods/abc"), 404)
    response = app.test_client().post("/api/v1/offices", headers=bearer(secret))
    assert "hanya dapat dibaca (GET)" in _error(response, 405)["message"]
    assert "GET" in response.headers["Allow"]


def test_the_summary_is_the_clis(app, office, api):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli, "the demo office has IKU in 2025"
    assert api("/api/v1/offices/gumukmas/years/2025/summary").get_json() == cli
    from iku_workflow.models import Indicator

    years = sorted(set(db.session.scalars(sa.select(Indicator.year).where(Indicator.office_id == office.id))),
                   reverse=True)
    assert 2025 in years
    assert api("/api/v1/offices/gumukmas/years").get_json() == {"office": "gumukmas", "years": years}
    assert api("/api/v1/offices/gumukmas/years/2030/summary").get_json() == []


def test_the_documents_of_the_year(app, office, api):
    docs = api("/api/v1/offices/gumukmas/years/2025/documents").get_json()
    stored = db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.year == 2025,
                                                                  RequiredDocument.office_id == office.id)).all()
    assert len(docs) == len(stored) > 0
    by_id = {d.id: d for d in stored}
    today = date.today()
    for item in docs:
        doc = by_id[item["id"]]
        assert item["type_code"] == doc.type.code and item["group"] == doc.type.group.value
        assert item["state"] == doc.entry.state.value
        assert item["due_date"] == (doc.entry.due_date.isoformat() if doc.entry.due_date else None)
        assert item["section"] == ({"code": doc.entry.section.code, "name": doc.entry.section.name}
                                   if doc.entry.section else None)
        assert item["late"] is bool(doc.entry.due_date and doc.entry.due_date < today
                                    and doc.entry.state is not EntryState.APPROVED)
        assert item["files_count"] == db.session.scalar(
            sa.select(sa.func.count(DocumentFile.id)).where(DocumentFile.document_id == doc.id))
    # the demo's due dates lie in 2025, before today: the ones not approved are late
    assert any(item["late"] for item in docs)


def test_skm_periods_carry_the_result_pages_numbers(app, office, api):
    from iku_workflow.survey import compute

    periods = api("/api/v1/offices/gumukmas/skm-periods").get_json()
    assert periods
    for item in periods:
        period = db.session.get(SurveyPeriod, item["id"])
        result = compute.period_index(period)
        assert item["title"] == period.title and item["status"] == period.status.value
        if result is None:
            assert item["result"] is None
            continue
        assert item["result"] == {"respondents": result.respondents, "ikm": float(result.ikm),
                                  "konversi": float(result.konversi), "mutu": result.mutu, "kinerja": result.kinerja}
        detail = api(f"/api/v1/offices/gumukmas/skm-periods/{period.id}").get_json()
        assert detail["result"] == item["result"]
        assert [u["key"] for u in detail["unsur"]] == [f"u{i}" for i in range(1, 10)]
        assert detail["priorities"] == list(result.priorities)
        services = compute.per_service(period)
        assert [s["name"] for s in detail["services"]] == [s.name for s, _ in services]
        assert sum(s["result"]["respondents"] for s in detail["services"] if s["result"]) == result.respondents
    assert any(item["result"] for item in periods), "the demo has answered SKM periods"


def test_the_rate_limit_counts_per_token_and_answers_json(make_app, office):
    app = make_app(RATELIMIT_ENABLED=True, IKU_API_RATE_LIMIT="3 per minute")
    first, second = issue("sekcam", "a"), issue("camat", "b")
    client = app.test_client()
    for _ in range(3):
        assert client.get("/api/v1/offices", headers=bearer(first)).status_code == 200
    response = client.get("/api/v1/offices", headers=bearer(first))
    _error(response, 429)
    assert "Retry-After" in response.headers
    assert client.get("/api/v1/offices", headers=bearer(second)).status_code == 200  # another token
    # the web pages are not counted against it
    assert client.get("/login").status_code == 200


def test_an_expired_browser_session_does_not_redirect_the_api(client_as, office, secret):
    client = client_as("sekcam")
    with client.session_transaction() as session:
        session["login_at"] = 0  # long past the absolute lifetime: a page would sign out and redirect
    _error(client.get("/api/v1/offices"), 401)
    assert client.get("/api/v1/offices", headers=bearer(secret)).status_code == 200
    assert client.get("/akun").status_code == 302  # the pages still sign the expired session out


def test_the_summary_follows_a_changed_target_at_once(app, office, api):
    """The summary is reused while the office's data fingerprint holds (one statement built once per process,
    with bound parameters): a new year target is in the very next answer, and the statement built once
    gives what the statement built for the call gives."""
    from decimal import Decimal

    from iku_workflow.indicators.summary import data_fingerprint
    from iku_workflow.models import Indicator, Target

    path = "/api/v1/offices/gumukmas/years/2025/summary"
    before = api(path).get_json()
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == 2025,
                                                             Indicator.number == 4))
    target = db.session.scalar(sa.select(Target).where(Target.indicator_id == indicator.id, Target.triwulan.is_(None)))
    assert target is not None
    from iku_workflow.models import Office

    ids = sa.select(Office.id).where(Office.id == office.id)  # the console's way: a subquery, built per call
    assert data_fingerprint([office.id], 2025) == data_fingerprint(ids, 2025)
    old_print = data_fingerprint([office.id], 2025, documents=False)
    target.value = Decimal("77")
    db.session.commit()
    assert data_fingerprint([office.id], 2025, documents=False) != old_print
    after = api(path).get_json()
    item = next(i for i in after if i["number"] == 4)
    assert Decimal(str(item["target"])) == Decimal("77")
    assert next(i for i in before if i["number"] == 4)["target"] != item["target"]
    assert data_fingerprint([office.id], 2024) != data_fingerprint([office.id], 2025)
