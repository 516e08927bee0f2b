"""The public questionnaire, staff pages, closing and approving over HTTP, exports."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, ResponseSource, SurveyPeriod, SurveyResponse
from iku_workflow.survey import compute
from iku_workflow.survey.operations import open_period
from factories import WORKED_EXAMPLE, add_rows, fresh_user


TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"




def _count(source=None):
    query = sa.select(sa.func.count()).select_from(SurveyResponse)
    if source:
        query = query.where(SurveyResponse.source == source)
    return db.session.scalar(query)


def _token(client, code):
    page = client.get(f"/s/{code}").get_data(as_text=True)
    marker = 'name="t" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def _answers(period, token, **over):
    data = {"t": token, "jenis_layanan": str(period.services[0].id), "jenis_kelamin": "P", "usia": "35",
            "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA", **{f"u{i}": "4" for i in range(1, 10)}}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}






def test_public_form_shows_nine_unsur_without_sign_in(public, period):
    page = public.get(f"/s/{period.code}").get_data(as_text=True)
    assert page.count('class="card mb-3 skm-unsur"') == 9
    assert "Dikelola dengan baik" in page and "Sangat sopan dan ramah" in page and 'name="website"' in page


def test_public_answer_is_stored_and_thanked(public, period):
    response = public.post(f"/s/{period.code}", data=_answers(period, _token(public, period.code)))
    assert response.status_code == 302 and response.headers["Location"].endswith("/terima-kasih")
    assert "Terima kasih" in public.get(response.headers["Location"]).get_data(as_text=True)
    stored = db.session.scalars(sa.select(SurveyResponse)).one()
    assert stored.answers == (4,) * 9 and stored.source is ResponseSource.PUBLIC and stored.tanggal == TODAY


@pytest.mark.parametrize("override", [{"u5": None}, {"u9": "5"}, {"u1": "0"}, {"usia": "7"}, {"pendidikan": ""},
                                      {"jenis_layanan": "999999"}])
def test_partial_or_bad_answers_are_refused(public, period, override):
    response = public.post(f"/s/{period.code}", data=_answers(period, _token(public, period.code), **override))
    assert response.status_code == 422
    assert "belum lengkap" in response.get_data(as_text=True) or "tidak" in response.get_data(as_text=True)
    assert _count() == 0


def test_honeypot_and_forged_token_are_refused(public, period):
    token = _token(public, period.code)
    assert public.post(f"/s/{period.code}", data=_answers(period, token, website="http://spam")).status_code == 400
    assert public.post(f"/s/{period.code}", data=_answers(period, token + "x")).status_code == 400
    assert _count() == 0


def test_too_fast_is_refused(app_with, period):
    client = app_with(SKM_MIN_SECONDS=3).test_client()
    response = client.post(f"/s/{period.code}", data=_answers(period, _token(client, period.code)))
    assert response.status_code == 422 and "terlalu cepat" in response.get_data(as_text=True)
    assert _count() == 0


def test_throttled_per_address(app_with, period):
    client = app_with(SKM_MIN_SECONDS=0, RATELIMIT_ENABLED=True, SKM_PUBLIC_LIMIT="2 per hour").test_client()
    codes = [client.post(f"/s/{period.code}", data=_answers(period, _token(client, period.code))).status_code
             for _ in range(3)]
    assert codes == [302, 302, 429] and _count() == 2


def test_csrf_is_on_for_the_public_form(app_with, period):
    client = app_with(SKM_MIN_SECONDS=0, WTF_CSRF_ENABLED=True).test_client()
    response = client.post(f"/s/{period.code}", data=_answers(period, _token(client, period.code)))
    assert response.status_code == 400 and _count() == 0


def test_closed_period_says_so(public, period, client_as):
    add_rows(period, WORKED_EXAMPLE)
    db.session.commit()
    assert client_as("sekcam").post(f"/skm/periode/{period.id}/tutup").status_code == 302
    page = public.get(f"/s/{period.code}")
    assert page.status_code == 410 and "Survei sudah ditutup" in page.get_data(as_text=True)
    assert public.post(f"/s/{period.code}", data={"u1": "4"}).status_code == 410
    assert _count() == 5


def test_staff_entry_and_access(client_as, period):
    c = client_as("pelayanan")
    data = _answers(period, None, tanggal=TODAY.isoformat())

    response = c.post(f"/skm/periode/{period.id}/entri", data=data)
    assert response.status_code == 302 and "tanggal=" in response.headers["Location"]
    assert _count(ResponseSource.STAFF) == 1
    bad = c.post(f"/skm/periode/{period.id}/entri", data={**data, "u3": "5"})
    assert bad.status_code == 200 and "Jawaban harus 1 sampai 4" in bad.get_data(as_text=True)
    assert _count() == 1
    assert c.post(f"/skm/periode/{period.id}/tutup").status_code == 403
    camat = fresh_user(client_as, "camat")
    assert camat.get(f"/skm/periode/{period.id}/entri").status_code == 403
    assert camat.get(f"/skm/periode/{period.id}").status_code == 200


def test_other_office_cannot_see_the_period(client_as, other_office, period):
    c = client_as("sekcam-puger")
    assert c.get(f"/skm/periode/{period.id}").status_code == 404
    assert c.post(f"/skm/periode/{period.id}/tutup").status_code == 404


def test_open_close_approve_over_http(client_as, office):
    c = client_as("sekcam")
    response = c.post("/skm/periode/baru", data={"year": "2025", "label": "S1", "population": "100",
                                                  "services": "KTP-el\nKartu Keluarga", "weighting": "exact"})
    assert response.status_code == 302
    period = db.session.scalar(sa.select(SurveyPeriod))
    assert [s.name for s in period.services] == ["KTP-el", "Kartu Keluarga"] and len(period.code) == 8
    add_rows(period, WORKED_EXAMPLE)
    db.session.commit()
    page = c.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert "83,33" in page and 'data-testid="min-sample-warning"' in page and "di bawah sampel minimal 80" in page
    c.post(f"/skm/periode/{period.id}/tutup")
    db.session.expire_all()
    assert period.entry.state is EntryState.SUBMITTED
    # the sekcam closed (so submitted) it: the Camat approves (tests/test_review_rule.py)
    fresh_user(client_as, "camat").post(f"/entri/{period.entry.id}/setujui",
                                        data={"version": period.entry.version, "note": ""})
    db.session.expire_all()
    assert period.entry.state is EntryState.APPROVED
    listing = c.get("/skm/").get_data(as_text=True)
    assert "83,33 (B)" in listing


def test_exports(client_as, period):
    add_rows(period, WORKED_EXAMPLE)
    db.session.commit()
    c = client_as("camat")
    xlsx = load_workbook(io.BytesIO(c.get(f"/skm/periode/{period.id}/ekspor.xlsx").data))
    assert xlsx.sheetnames == ["Responden", "Hasil", "Saran", "Tindak lanjut"]  # the last two: issue 14
    assert xlsx["Responden"].max_row == 6
    values = [row for row in xlsx["Hasil"].iter_rows(values_only=True)]
    assert ("IKM konversi (25–100)", 83.33) in [tuple(v[:2]) for v in values]
    # The Word report is read back in test_survey_report.py.


def test_qr_page(client_as, period):
    c = client_as("pelayanan")
    page = c.get(f"/skm/periode/{period.id}/qr").get_data(as_text=True)
    assert "<svg" in page and f"/s/{period.code}" in page
    assert c.get(f"/skm/periode/{period.id}/qr.png").data[:4] == b"\x89PNG"


def test_service_left_on_dash_asks_to_choose_one(public, client_as, period):
    response = public.post(f"/s/{period.code}", data=_answers(period, _token(public, period.code), jenis_layanan="0"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Pilih jenis layanan." in page and "tidak ditawarkan" not in page
    staff = client_as("pelayanan").post(f"/skm/periode/{period.id}/entri",
                                        data=_answers(period, None, tanggal=TODAY.isoformat(), jenis_layanan="0"))
    page = staff.get_data(as_text=True)
    assert staff.status_code == 200 and "Pilih jenis layanan." in page and "tidak ditawarkan" not in page
    assert _count() == 0


def test_unknown_service_is_still_refused_as_not_offered(period):
    from iku_workflow.survey.operations import Answers, SurveyError, add_response

    values = Answers(tanggal=TODAY, service_id=999999, jenis_kelamin="P", usia=30, pendidikan="SMA",
                     pekerjaan="PNS", answers=(4,) * 9)
    with pytest.raises(SurveyError, match="tidak ditawarkan"):
        add_response(period, values, source=ResponseSource.STAFF)
    with pytest.raises(SurveyError, match="Pilih jenis layanan"):
        add_response(period, Answers(**{**values.__dict__, "service_id": 0}), source=ResponseSource.STAFF)
    db.session.rollback()
    assert _count() == 0


def _listing_queries(client) -> tuple[str, int]:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get("/skm/")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def _ikm_cell(page: str, period) -> str:
    row = page[page.index(f'data-period="{period.label}-{period.year}"'):]
    cell = row[row.index('data-testid="ikm">') + len('data-testid="ikm">'):]
    return " ".join(cell[:cell.index("</td>")].replace('<span class="text-muted"', "").split())


def test_list_shows_running_ikm_of_open_periods_with_a_fixed_query_count(client_as, period, office):
    c = client_as("sekcam")
    add_rows(period, WORKED_EXAMPLE)
    db.session.commit()
    page, one_period = _listing_queries(c)
    assert _ikm_cell(page, period).startswith("83,33") and "(sementara)" in _ikm_cell(page, period)
    assert "83,33" in c.get(f"/skm/periode/{period.id}").get_data(as_text=True)

    closed = open_period(office.id, 2024, "S2", user=get_user("sekcam"))
    add_rows(closed, WORKED_EXAMPLE[:4], day=datetime(2024, 8, 1).date())
    empty = open_period(office.id, 2024, "S1", user=get_user("sekcam"))
    db.session.commit()
    assert c.post(f"/skm/periode/{closed.id}/tutup").status_code == 302
    add_rows(period, [(1,) * 9])
    db.session.commit()
    page, three_periods = _listing_queries(c)
    db.session.expire_all()
    assert three_periods == one_period
    running = compute.period_index(period)
    assert _ikm_cell(page, period).startswith(f"{running.konversi:.2f}".replace(".", ","))
    assert "(sementara)" in _ikm_cell(page, period)
    assert _ikm_cell(page, closed) == f"{closed.result.konversi:.2f}".replace(".", ",") + f" ({closed.result.mutu})"
    assert _ikm_cell(page, empty) == "–"
