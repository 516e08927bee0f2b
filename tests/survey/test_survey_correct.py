"""Correcting single SKM responses: the list, editing one, deleting one, and the index following."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.domain.dates import period_range
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, ResponseSource, SurveyResponse
from iku_workflow.models.survey import UNSUR_COLUMNS
from iku_workflow.survey import compute
from iku_workflow.survey.operations import close_period, open_period
from factories import WORKED_EXAMPLE, add_rows


TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"
SPAM = (1, 1, 1, 1, 1, 1, 1, 1, 1)
ANSWERS = sa.select(*[getattr(SurveyResponse, c) for c in UNSUR_COLUMNS])

pytestmark = pytest.mark.skm_period(fill=lambda period: mixed_answers(period))  # this semester, population 100



def mixed_answers(p):
    """The worked example typed by pelayanan (5 rows), one import row by pemerintahan, one public answer
    (spam). Worked example alone: IKM 83,33."""
    add_rows(p, WORKED_EXAMPLE, entered_by_id=get_user("pelayanan").id)
    add_rows(p, [(3, 3, 3, 3, 3, 3, 3, 3, 3)], service=p.services[1], source=ResponseSource.IMPORT,
             entered_by_id=get_user("pemerintahan").id)
    add_rows(p, [SPAM], source=ResponseSource.PUBLIC)


def _rows(period, source=None):
    query = sa.select(SurveyResponse).where(SurveyResponse.period_id == period.id).order_by(SurveyResponse.id)
    if source is not None:
        query = query.where(SurveyResponse.source == source)
    return list(db.session.scalars(query))


def _stored(period) -> list[tuple]:
    """Every stored value of the period's rows (to show that a refused change changed nothing)."""
    db.session.expire_all()
    return [(r.id, r.service_id, r.tanggal, r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan, r.answers)
            for r in _rows(period)]


def _answer_rows(period) -> list[tuple[int, ...]]:
    return [tuple(r) for r in db.session.execute(ANSWERS.where(SurveyResponse.period_id == period.id))]


def assert_index_follows(period, expected_rows):
    """The app's index (running totals, SQL) equals the pure-Python one over the rows left, and those
    rows are the ones expected."""
    db.session.expire_all()
    remaining = _answer_rows(period)
    assert sorted(remaining) == sorted(expected_rows)
    from_sql = compute.sql_index(period)
    assert from_sql == compute.python_index(remaining, period.weighting)
    assert from_sql == compute.raw_index(period)
    assert compute.per_service(period) == compute.raw_per_service(period)
    return from_sql


def _form(response, **over) -> dict:
    data = {"tanggal": response.tanggal.isoformat(), "jenis_layanan": str(response.service_id),
            "jenis_kelamin": response.jenis_kelamin, "usia": str(response.usia), "pendidikan": response.pendidikan,
            "pekerjaan": response.pekerjaan, **{c: str(a) for c, a in zip(UNSUR_COLUMNS, response.answers)}}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _events(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _edit_url(period, response):
    return f"/skm/periode/{period.id}/responden/{response.id}/ubah"


def _delete_url(period, response):
    return f"/skm/periode/{period.id}/responden/{response.id}/hapus"


# ----------------------------------------------------------------------------------------- the list

def test_period_page_links_the_list_for_those_who_enter(client_as, viewer, period):
    for username in ("sekcam", "pelayanan"):
        page = client_as(username).get(f"/skm/periode/{period.id}").get_data(as_text=True)
        assert f'href="/skm/periode/{period.id}/responden"' in page
    for username in ("camat", "viewer"):
        page = client_as(username).get(f"/skm/periode/{period.id}").get_data(as_text=True)
        assert 'data-testid="responses-link"' not in page


@pytest.mark.parametrize("username", ["sekcam", "pelayanan"])
def test_list_shows_every_response_newest_first(client_as, period, username):
    response = client_as(username).get(f"/skm/periode/{period.id}/responden")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = [int(i) for i in re.findall(r'data-response="(\d+)"', html)]
    assert shown == sorted((r.id for r in _rows(period)), reverse=True)
    assert "7 responden" in html
    assert html.count("Formulir publik") == 1 and html.count("Impor berkas") == 1 and html.count("Entri petugas") == 5
    assert get_user("pelayanan").full_name in html and get_user("pemerintahan").full_name in html
    first = html[html.index(f'data-response="{shown[-1]}"'):]
    first = first[:first.index("</tr>")]
    assert re.findall(r"<td class=\"text-center\" data-answer>(\d)</td>", first) == [str(a) for a in WORKED_EXAMPLE[0]]
    assert period.services[0].name in first
    # Public answers are deleted, never edited: six edit buttons for seven rows for the sekcam; an operator
    # corrects only what their section entered (not pemerintahan's import).
    assert html.count('data-testid="edit-response"') == (6 if username == "sekcam" else 5)


def test_list_is_paged(client_as, period):
    add_rows(period, [WORKED_EXAMPLE[1]] * 50)
    db.session.commit()
    c = client_as("sekcam")
    first = c.get(f"/skm/periode/{period.id}/responden").get_data(as_text=True)
    second = c.get(f"/skm/periode/{period.id}/responden?hal=2").get_data(as_text=True)
    ids_first = [int(i) for i in re.findall(r'data-response="(\d+)"', first)]
    ids_second = [int(i) for i in re.findall(r'data-response="(\d+)"', second)]
    assert len(ids_first) == 50 and len(ids_second) == 7
    assert min(ids_first) > max(ids_second)
    assert sorted(ids_first + ids_second) == [r.id for r in _rows(period)]
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    assert f"/skm/periode/{period.id}/responden?hal=2" in first


# ------------------------------------------------------------------------------------------ editing

def test_operator_corrects_a_typo_and_the_index_follows(client_as, period):
    target = _rows(period, ResponseSource.STAFF)[1]
    assert compute.sql_index(period).konversi == compute.python_index(
        [*WORKED_EXAMPLE, (3,) * 9, SPAM]).konversi
    c = client_as("pelayanan")
    form = c.get(_edit_url(period, target)).get_data(as_text=True)
    assert 'name="u3"' in form and f'value="{target.usia}"' in form
    new = (4, 4, 4, 4, 4, 4, 4, 4, 4)
    response = c.post(_edit_url(period, target), data=_form(target, usia="41", pekerjaan="PNS",
                                                             **dict(zip(UNSUR_COLUMNS, map(str, new)))))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/skm/periode/{period.id}/responden")
    assert f"Responden #{target.id} diperbarui" in c.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(SurveyResponse, target.id)
    assert stored.answers == new and stored.usia == 41 and stored.pekerjaan == "PNS"
    assert stored.source is ResponseSource.STAFF and stored.entered_by_id == get_user("pelayanan").id
    expected = [WORKED_EXAMPLE[0], new, *WORKED_EXAMPLE[2:], (3,) * 9, SPAM]
    result = assert_index_follows(period, expected)
    assert result.respondents == 7
    page = client_as("sekcam").get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert f'data-testid="ikm-konversi">{str(result.konversi).replace(".", ",")}<' in page
    [event] = _events("survey.response_updated")
    assert event.username == "pelayanan" and event.object_id == target.id
    assert event.details["old"]["answers"] == list(WORKED_EXAMPLE[1]) and event.details["new"]["answers"] == list(new)
    assert event.details["changed"] == ["answers", "pekerjaan", "usia"]


def test_sekcam_corrects_an_imported_response_service_and_date(client_as, period):
    [target] = _rows(period, ResponseSource.IMPORT)
    first_day = period_range(period.year, period.label)[0]
    response = client_as("sekcam").post(_edit_url(period, target), data=_form(
        target, tanggal=first_day.isoformat(), jenis_layanan=str(period.services[2].id), u9="1"))
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(SurveyResponse, target.id)
    assert stored.service_id == period.services[2].id and stored.tanggal == first_day
    assert stored.source is ResponseSource.IMPORT
    assert_index_follows(period, [*WORKED_EXAMPLE, (3, 3, 3, 3, 3, 3, 3, 3, 1), SPAM])
    by_service = dict((s.id, r) for s, r in compute.per_service(period))
    assert by_service[period.services[1].id] is None
    assert by_service[period.services[2].id].respondents == 1


@pytest.mark.parametrize("override, message", [
    ({"u5": "5"}, "Jawaban harus 1 sampai 4"),
    ({"u9": None}, "Isi 1–4"),
    ({"u1": ""}, "Isi 1–4"),
    ({"u2": "0"}, "Jawaban harus 1 sampai 4"),
    ({"usia": "7"}, "Usia harus 10 sampai 120 tahun"),
    ({"jenis_layanan": "999999"}, None),
    ({"tanggal": "1999-01-01"}, "Tanggal survei di luar periode"),
])
def test_invalid_edit_is_refused_and_changes_nothing(client_as, period, override, message):
    target = _rows(period, ResponseSource.STAFF)[0]
    before, totals = _stored(period), compute.sql_index(period)
    c = client_as("pelayanan")
    response = c.post(_edit_url(period, target), data=_form(target, u4="1", **override))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="edit-error"' in html
    if message:
        assert message in html
    assert _stored(period) == before and compute.sql_index(period) == totals
    assert _events("survey.response_updated") == []


def test_public_answer_is_not_edited(client_as, period):
    [spam] = _rows(period, ResponseSource.PUBLIC)
    before = _stored(period)
    c = client_as("sekcam")
    for method, data in (("GET", None), ("POST", _form(spam, u1="4"))):
        response = c.open(_edit_url(period, spam), method=method, data=data)
        assert response.status_code == 302
        assert "tidak dapat diubah, hanya dapat dihapus" in c.get(response.headers["Location"]).get_data(as_text=True)
    assert _stored(period) == before and _events("survey.response_updated") == []


# ----------------------------------------------------------------------------------------- deleting

def test_sekcam_deletes_a_spam_answer_with_a_reason(client_as, period):
    [spam] = _rows(period, ResponseSource.PUBLIC)
    c = client_as("sekcam")
    confirm = c.get(_delete_url(period, spam)).get_data(as_text=True)
    assert 'name="reason"' in confirm and "data-confirm=" in confirm and "1 · 1 · 1" in confirm
    response = c.post(_delete_url(period, spam), data={"reason": "  Isian asal-asalan,\n semua jawaban 1  "})
    assert response.status_code == 302
    assert f"Responden #{spam.id} dihapus" in c.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(SurveyResponse, spam.id) is None
    result = assert_index_follows(period, [*WORKED_EXAMPLE, (3,) * 9])
    assert result.respondents == 6
    [event] = _events("survey.response_deleted")
    assert event.username == "sekcam" and event.object_type == "survey_responses" and event.object_id == spam.id
    assert event.details["reason"] == "Isian asal-asalan, semua jawaban 1"
    assert event.details["old"]["answers"] == list(SPAM) and event.details["source"] == "public"
    assert event.details["period_id"] == period.id


def test_operator_deletes_own_entry_and_the_index_follows(client_as, period):
    target = _rows(period, ResponseSource.STAFF)[4]
    c = client_as("pelayanan")
    assert c.post(_delete_url(period, target), data={"reason": "Kuesioner ganda"}).status_code == 302
    assert_index_follows(period, [*WORKED_EXAMPLE[:4], (3,) * 9, SPAM])
    [event] = _events("survey.response_deleted")
    assert event.username == "pelayanan" and event.details["old"]["answers"] == list(WORKED_EXAMPLE[4])
    assert event.details["entered_by_id"] == get_user("pelayanan").id


def test_deleting_every_response_leaves_no_index(client_as, period):
    c = client_as("sekcam")
    for row in _rows(period):
        assert c.post(_delete_url(period, row), data={"reason": "uji"}).status_code == 302
    assert assert_index_follows(period, []) is None
    assert 'data-testid="no-respondents"' in c.get(f"/skm/periode/{period.id}").get_data(as_text=True)


@pytest.mark.parametrize("reason", [None, "", "   \n "])
def test_delete_without_reason_is_refused(client_as, period, reason):
    target = _rows(period, ResponseSource.STAFF)[0]
    before = _stored(period)
    response = client_as("sekcam").post(_delete_url(period, target), data={} if reason is None else {"reason": reason})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Alasan penghapusan wajib diisi" in html and 'data-testid="delete-error"' in html
    assert _stored(period) == before and _events("survey.response_deleted") == []


def test_operator_cannot_delete_another_users_or_a_public_response(client_as, period):
    theirs = _rows(period, ResponseSource.STAFF)[0]  # typed by pelayanan
    [spam] = _rows(period, ResponseSource.PUBLIC)
    [imported] = _rows(period, ResponseSource.IMPORT)  # by pemerintahan
    before = _stored(period)
    c = client_as("pemerintahan")
    for target in (theirs, spam):
        assert c.get(_delete_url(period, target)).status_code == 403
        assert c.post(_delete_url(period, target), data={"reason": "bukan milik saya"}).status_code == 403
    html = c.get(f"/skm/periode/{period.id}/responden").get_data(as_text=True)
    assert html.count('data-testid="delete-response"') == 1
    assert f"/responden/{imported.id}/hapus" in html
    assert _stored(period) == before and _events("survey.response_deleted") == []


@pytest.mark.parametrize("username", ["camat", "viewer", "admin"])
def test_camat_viewer_and_admin_are_refused(client_as, viewer, period, username):
    target = _rows(period, ResponseSource.STAFF)[0]
    before = _stored(period)
    c = client_as(username)
    assert c.get(f"/skm/periode/{period.id}/responden").status_code == 403
    assert c.get(_edit_url(period, target)).status_code == 403
    assert c.post(_edit_url(period, target), data=_form(target, u1="1")).status_code == 403
    assert c.get(_delete_url(period, target)).status_code == 403
    assert c.post(_delete_url(period, target), data={"reason": "x"}).status_code == 403
    assert _stored(period) == before


def test_other_office_gets_404(client_as, other_office, period):
    target = _rows(period, ResponseSource.STAFF)[0]
    before = _stored(period)
    c = client_as("sekcam-puger")
    assert c.get(f"/skm/periode/{period.id}/responden").status_code == 404
    assert c.post(_edit_url(period, target), data=_form(target, u1="1")).status_code == 404
    assert c.post(_delete_url(period, target), data={"reason": "x"}).status_code == 404
    assert _stored(period) == before


def test_the_access_rule_itself_checks_the_office_of_a_response(other_office, period):
    """Not only the views: ``can`` sees a response's office through its period."""
    from iku_workflow.access import can

    target = _rows(period, ResponseSource.STAFF)[0]
    assert target.office_id == period.office_id
    assert can(get_user("sekcam"), "survey.response_delete", target)
    assert not can(get_user("sekcam-puger"), "survey.response_delete", target)


def test_a_response_of_another_period_is_not_found_through_this_one(client_as, office, period):
    other = open_period(office.id, 2025, "TW1", user=get_user("sekcam"))
    add_rows(other, [WORKED_EXAMPLE[0]], entered_by_id=get_user("pelayanan").id)
    db.session.commit()
    [foreign] = _rows(other)
    c = client_as("sekcam")
    assert c.post(f"/skm/periode/{period.id}/responden/{foreign.id}/ubah", data=_form(foreign, u1="1")).status_code == 404
    assert c.post(f"/skm/periode/{period.id}/responden/{foreign.id}/hapus", data={"reason": "x"}).status_code == 404
    assert c.get(f"/skm/periode/{period.id}/responden/999999/ubah").status_code == 404
    db.session.expire_all()
    assert _rows(other)[0].answers == WORKED_EXAMPLE[0]


def test_closed_period_is_frozen(client_as, period):
    close_period(period, get_user("sekcam"))
    db.session.commit()
    staff, spam = _rows(period, ResponseSource.STAFF)[0], _rows(period, ResponseSource.PUBLIC)[0]
    before, totals = _stored(period), compute.sql_index(period)
    c = client_as("sekcam")
    for method, url, data in (("GET", _edit_url(period, staff), None), ("POST", _edit_url(period, staff), _form(staff, u1="1")),
                              ("GET", _delete_url(period, spam), None), ("POST", _delete_url(period, spam), {"reason": "spam"})):
        response = c.open(url, method=method, data=data)
        assert response.status_code == 302, (method, url)
        assert "Periode sudah ditutup: jawaban dibekukan" in c.get(response.headers["Location"]).get_data(as_text=True)
    listing = c.get(f"/skm/periode/{period.id}/responden").get_data(as_text=True)
    assert 'data-testid="responses-frozen"' in listing and 'data-testid="edit-response"' not in listing
    assert 'data-testid="delete-response"' not in listing and listing.count("data-response=") == 7
    assert _stored(period) == before and compute.sql_index(period) == totals
    assert _events("survey.response_updated") == [] and _events("survey.response_deleted") == []


def test_operation_refuses_a_closed_period_even_past_the_view(period):
    """The check under the lock: a period closed after the page was loaded still refuses the change."""
    from iku_workflow.survey.operations import SurveyError, delete_response

    target = _rows(period, ResponseSource.STAFF)[0]
    close_period(period, get_user("sekcam"))
    db.session.commit()
    with pytest.raises(SurveyError, match="dibekukan"):
        delete_response(period, target, "spam", user=get_user("sekcam"))
    db.session.rollback()
    assert db.session.get(SurveyResponse, target.id) is not None


# -------------------------------------------------------------------------------------------- CSRF

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _token(client, path):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def test_csrf_is_required_for_edit_and_delete(make_app, period):
    app = make_app(WTF_CSRF_ENABLED=True)
    c = app.test_client()
    login = c.post("/login", data={"username": "sekcam", "password": PASSWORD, "csrf_token": _token(c, "/login")})
    assert login.status_code == 302
    staff, spam = _rows(period, ResponseSource.STAFF)[0], _rows(period, ResponseSource.PUBLIC)[0]
    before = _stored(period)
    assert c.post(_edit_url(period, staff), data=_form(staff, u1="1")).status_code == 400
    assert c.post(_delete_url(period, spam), data={"reason": "spam"}).status_code == 400
    assert _stored(period) == before
    # With the page's token the same requests go through.
    token = _token(c, _delete_url(period, spam))
    assert c.post(_delete_url(period, spam), data={"reason": "spam", "csrf_token": token}).status_code == 302
    token = _token(c, _edit_url(period, staff))
    assert c.post(_edit_url(period, staff), data={**_form(staff, u1="1"), "csrf_token": token}).status_code == 302
    assert_index_follows(period, [(1, *WORKED_EXAMPLE[0][1:]), *WORKED_EXAMPLE[1:], (3,) * 9])


def test_pages_in_english(client_as, period):
    user = get_user("sekcam")
    user.locale = "en"
    db.session.commit()
    c = client_as("sekcam")
    listing = c.get(f"/skm/periode/{period.id}/responden").get_data(as_text=True)
    assert "7 respondents, newest first." in listing and "Entered by" in listing and "Public form" in listing
    [spam] = _rows(period, ResponseSource.PUBLIC)
    confirm = c.get(_delete_url(period, spam)).get_data(as_text=True)
    assert f"Delete respondent #{spam.id}" in confirm and "Reason for deletion" in confirm
    refused = c.post(_delete_url(period, spam), data={"reason": ""}).get_data(as_text=True)
    assert "A reason for the deletion is required." in refused


# ------------------------------------------------------------------------------------ in a browser

@pytest.mark.browser
def test_operator_removes_own_entry_in_the_browser(page, period):
    from playwright.sync_api import expect

    from conftest import browser_login, submit

    target = _rows(period, ResponseSource.STAFF)[0]
    browser_login(page, "pelayanan")
    page.goto(page.base_url + f"/skm/periode/{period.id}")
    submit(page, '[data-testid="responses-link"]')
    submit(page, f'tr[data-response="{target.id}"] [data-testid="delete-response"]')
    page.fill('textarea[name="reason"]', "Kuesioner yang sama terketik dua kali")
    page.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    submit(page, '[data-testid="confirm-delete"]')
    expect(page.locator(".alert-success")).to_contain_text(f"Responden #{target.id} dihapus")
    expect(page.locator('[data-testid="responses-total"]')).to_contain_text("6 responden")
    assert_index_follows(period, [*WORKED_EXAMPLE[1:], (3,) * 9, SPAM])
    assert _events("survey.response_deleted")[0].details["reason"] == "Kuesioner yang sama terketik dua kali"
