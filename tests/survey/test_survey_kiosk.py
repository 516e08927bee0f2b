"""The public survey at a busy counter (issue 14): the counter tablet opened from a signed link, its own
limit beside the per-address one, the bot checks kept, no answer lost to a limit, and the public 404."""
from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import SurveyComment, SurveyKiosk, SurveyResponse
from iku_workflow.survey import kiosk

LINK = re.compile(r'data-testid="kiosk-link">([^<]+)<')


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def _token(client, code, **kw):
    page = client.get(f"/s/{code}", **kw).get_data(as_text=True)
    marker = 'name="t" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def _answers(period, token, **over):
    data = {"t": token, "jenis_layanan": str(period.services[0].id), "jenis_kelamin": "P", "usia": "35",
            "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA", **{f"u{i}": "4" for i in range(1, 10)}}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _kiosk_link(client_as, period, name="Tablet loket 1") -> str:
    staff = client_as("sekcam")
    assert staff.post(f"/skm/periode/{period.id}/loket", data={"name": name}).status_code == 302
    page = staff.get(f"/skm/periode/{period.id}/loket").get_data(as_text=True)
    links = LINK.findall(page)
    assert links, page
    assert page.count('data-testid="kiosk-qr"><svg') == len(links)  # scanned by the tablet's camera
    return links[-1].replace("http://localhost", "")


def _post(client, period, address, **over):
    environ = {"REMOTE_ADDR": address}
    token = _token(client, period.code, environ_base=environ)
    return client.post(f"/s/{period.code}", data=_answers(period, token, **over), environ_base=environ)


# ------------------------------------------------------------------ the signed link


def test_the_link_sets_a_kiosk_cookie_and_the_form_says_so(app_with, client_as, period):
    link = _kiosk_link(client_as, period)
    tablet = app_with(SKM_MIN_SECONDS=0).test_client()
    response = tablet.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{period.code}")
    cookie = tablet.get_cookie(kiosk.COOKIE, path="/s/")
    assert cookie is not None and cookie.http_only
    assert 'data-testid="kiosk-badge"' in tablet.get(f"/s/{period.code}").get_data(as_text=True)
    # a visitor without the cookie sees the plain public form
    assert 'data-testid="kiosk-badge"' not in app_with().test_client().get(f"/s/{period.code}").get_data(as_text=True)


def test_a_forged_or_expired_link_is_refused_on_a_public_page(app_with, client_as, period):
    link = _kiosk_link(client_as, period)
    visitor = app_with().test_client()
    forged = visitor.get(link[:-3] + "abc")
    assert forged.status_code == 403 and "Tautan loket tidak berlaku" in forged.get_data(as_text=True)
    assert visitor.get_cookie(kiosk.COOKIE, path="/s/") is None
    late = app_with(SKM_KIOSK_LINK_HOURS=0)  # max_age 0: any link signed a second ago is expired
    time.sleep(1.1)
    response = late.test_client().get(link)
    assert response.status_code == 403 and "kedaluwarsa" in response.get_data(as_text=True)
    # the link of one period does not open another period's form
    from iku_workflow.survey.operations import open_period

    other = open_period(period.office_id, period.year - 1, "TAHUN", user=get_user("sekcam"))
    db.session.commit()
    token = link.rsplit("/", 1)[1]
    assert visitor.get(f"/s/{other.code}/loket/{token}").status_code == 403


def test_revoking_ends_link_and_device(app_with, client_as, period):
    app = app_with(SKM_MIN_SECONDS=0, RATELIMIT_ENABLED=True, SKM_PUBLIC_LIMIT="1 per hour",
                   SKM_KIOSK_LIMIT="50 per hour")
    link = _kiosk_link(client_as, period)
    tablet = app.test_client()
    tablet.get(link)
    assert [_post(tablet, period, "10.9.0.1").status_code for _ in range(3)] == [302, 302, 302]
    device = db.session.scalars(sa.select(SurveyKiosk)).one()
    staff = client_as("sekcam")
    assert staff.post(f"/skm/periode/{period.id}/loket/{device.id}/cabut").status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyKiosk, device.id).revoked_at is not None
    # the tablet is an ordinary visitor again: the per-address limit (1) applies to it
    codes = [_post(tablet, period, "10.9.0.1").status_code for _ in range(2)]
    assert codes == [302, 429]
    assert app.test_client().get(link).status_code == 403
    assert _count() == 4


def test_only_the_running_section_or_the_sekcam_makes_kiosk_links(client_as, viewer, period):
    from iku_workflow.survey.operations import default_section

    assert client_as("pelayanan").get(f"/skm/periode/{period.id}/loket").status_code == 403  # no section runs it
    period.entry.section_id = default_section(period.office_id).id
    db.session.commit()
    assert client_as("camat").get(f"/skm/periode/{period.id}/loket").status_code == 403
    assert client_as("viewer").post(f"/skm/periode/{period.id}/loket", data={"name": "x"}).status_code == 403
    assert client_as("pelayanan").get(f"/skm/periode/{period.id}/loket").status_code == 200  # runs the survey
    assert client_as("pemerintahan").get(f"/skm/periode/{period.id}/loket").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyKiosk)) == 0


def test_another_office_cannot_see_the_kiosks(client_as, other_office, period):
    assert client_as("sekcam-puger").get(f"/skm/periode/{period.id}/loket").status_code == 404


# ------------------------------------------------------------------ limits


def test_the_kiosk_has_its_own_higher_limit_and_the_address_keeps_its_own(app_with, client_as, period):
    app = app_with(SKM_MIN_SECONDS=0, RATELIMIT_ENABLED=True, SKM_PUBLIC_LIMIT="2 per hour",
                   SKM_KIOSK_LIMIT="6 per hour")
    link = _kiosk_link(client_as, period)
    tablet = app.test_client()
    tablet.get(link)
    office_wifi = "10.1.1.1"  # the tablet and a visitor's phone behind the same address
    assert [_post(tablet, period, office_wifi).status_code for _ in range(6)] == [302] * 6
    assert _count() == 6
    phone = app.test_client()
    assert [_post(phone, period, office_wifi).status_code for _ in range(3)] == [302, 302, 429]
    refused = _post(tablet, period, office_wifi)  # the 7th of the tablet
    assert refused.status_code == 429
    assert _count() == 8


def test_no_answer_is_lost_to_a_limit(app_with, period):
    app = app_with(SKM_MIN_SECONDS=0, RATELIMIT_ENABLED=True, SKM_PUBLIC_LIMIT="1 per hour")
    client = app.test_client()
    assert _post(client, period, "10.2.2.2").status_code == 302
    environ = {"REMOTE_ADDR": "10.2.2.2"}
    token = _token(client, period.code, environ_base=environ)
    data = _answers(period, token, usia="61", jenis_kelamin="L", pendidikan="S1", u3="2", p_u3="Antrean terlalu lama",
                    saran="Tambah kursi tunggu")
    data["u7"] = "1"
    response = client.post(f"/s/{period.code}", data=data, environ_base=environ)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    html = response.get_data(as_text=True)
    assert "Terlalu banyak jawaban dari perangkat ini" in html and re.search(r"Coba lagi dalam \d+ menit", html)
    assert 'data-testid="skm-public-form"' in html  # the form, not an error page
    assert 'name="usia" type="text" value="61"' in html or 'value="61"' in html
    assert re.search(r'<input[^>]*checked[^>]*id="u3-1"|id="u3-1"[^>]*checked', html)  # 2 is the second choice
    assert re.search(r'<input[^>]*checked[^>]*id="u7-0"|id="u7-0"[^>]*checked', html)
    assert 'value="Antrean terlalu lama"' in html and "Tambah kursi tunggu</textarea>" in html
    assert f'value="{token}"' in html  # the same one-answer token: sending again later stores it once
    assert _count() == 1


def test_bot_checks_still_apply_on_the_kiosk(app_with, client_as, period):
    link = _kiosk_link(client_as, period)
    tablet = app_with(SKM_MIN_SECONDS=3, RATELIMIT_ENABLED=True, SKM_KIOSK_LIMIT="100 per hour").test_client()
    tablet.get(link)
    token = _token(tablet, period.code)
    assert tablet.post(f"/s/{period.code}", data=_answers(period, token, website="http://spam")).status_code == 400
    assert tablet.post(f"/s/{period.code}", data=_answers(period, token + "x")).status_code == 400
    fast = tablet.post(f"/s/{period.code}", data=_answers(period, token))
    assert fast.status_code == 422 and "terlalu cepat" in fast.get_data(as_text=True)
    assert _count() == 0
    fresh = app_with(SKM_MIN_SECONDS=0).test_client()
    fresh.get(link)
    token = _token(fresh, period.code)
    assert fresh.post(f"/s/{period.code}", data=_answers(period, token)).status_code == 302
    assert fresh.post(f"/s/{period.code}", data=_answers(period, token)).status_code == 409  # one answer per form
    assert _count() == 1


def test_the_thanks_page_of_the_kiosk_returns_to_an_empty_form(app_with, client_as, period):
    link = _kiosk_link(client_as, period)
    tablet = app_with(SKM_MIN_SECONDS=0, SKM_KIOSK_RETURN_SECONDS=5).test_client()
    tablet.get(link)
    response = _post(tablet, period, "10.3.3.3")
    thanks = tablet.get(response.headers["Location"]).get_data(as_text=True)
    assert f'http-equiv="refresh" content="5;url=/s/{period.code}"' in thanks
    assert 'data-testid="kiosk-next"' in thanks
    plain = app_with(SKM_MIN_SECONDS=0).test_client()
    response = _post(plain, period, "10.3.3.4")
    assert "http-equiv" not in plain.get(response.headers["Location"]).get_data(as_text=True)


# ------------------------------------------------------------------ public pages


def test_a_mistyped_survey_link_is_a_public_404(public, period):
    for url in ("/s/tidakada", "/s/tidakada/terima-kasih", f"/s/{period.code}/salah/ketik", "/s/tidakada/loket/x"):
        response = public.get(url)
        assert response.status_code == 404, url
        html = response.get_data(as_text=True)
        assert "Survei tidak ditemukan" in html and 'data-testid="skm-not-found"' in html, url
        assert "IKU Workflow" not in html and "/login" not in html, url


def test_public_pages_carry_the_kecamatan_not_the_app(public, period):
    for url in (f"/s/{period.code}",):
        html = public.get(url).get_data(as_text=True)
        assert "IKU Workflow" not in html
        assert f'data-testid="public-office">{period.office.full_name}<' in html


def test_the_office_lambang_is_on_the_public_form(public, period):
    from factories import png_bytes
    from iku_workflow.letterhead import logo as logo_store

    logo_store.upload_logo(period.office, png_bytes(), "lambang.png", None)
    db.session.commit()
    html = public.get(f"/s/{period.code}").get_data(as_text=True)
    assert 'data-testid="public-logo"' in html and 'src="data:image/png;base64,' in html


def test_comments_are_stored_only_for_low_answers(public, period):
    token = _token(public, period.code)
    data = _answers(period, token, u2="1", p_u2="Persyaratan tidak dipasang", u5="3", p_u5="diabaikan: jawaban 3",
                    saran="  Pelayanan sudah baik  ")
    assert public.post(f"/s/{period.code}", data=data).status_code == 302
    rows = {(c.unsur, c.text) for c in db.session.scalars(sa.select(SurveyComment))}
    assert rows == {("u2", "Persyaratan tidak dipasang"), (None, "Pelayanan sudah baik")}


@pytest.mark.parametrize("field,value", [("saran", "x" * 1001), ("saran", "baik\x00"), ("p_u1", "y" * 301),
                                         ("p_u1", "rusak\x1b")])
def test_long_or_control_character_comments_are_refused_next_to_the_field(public, period, field, value):
    token = _token(public, period.code)
    response = public.post(f"/s/{period.code}", data=_answers(period, token, u1="2", **{field: value}))
    assert response.status_code == 422 and _count() == 0
    html = response.get_data(as_text=True)
    assert "paling panjang" in html.lower() or "karakter kendali" in html.lower(), html
