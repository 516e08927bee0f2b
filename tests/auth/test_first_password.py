"""A password someone else set (an admin, an import) is replaced by the user's own at first sign-in:
every page leads to "Buat kata sandi baru" until it is done."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.admin.user_import import import_users, parse_user_sheet
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, User

SET_PAGE = "/kata-sandi-baru"
NEW = "sandi-pilihan-sendiri-7"


@pytest.fixture
def imported(app, office):
    """A user imported from a sheet, and the temporary password the import gave them."""
    data = "username;nama lengkap;peran;seksi\r\nbaru.trantib;Operator Baru;seksi;trantib\r\n".encode()
    result = import_users(office, parse_user_sheet("p.csv", data), get_user("admin"))
    db.session.commit()
    return result.created[0].temporary_password


def sign_in(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.status_code
    return client, response


def set_password(client, current: str, new: str = NEW, confirm: str | None = None):
    return client.post(SET_PAGE, data={"current": current, "new": new, "confirm": new if confirm is None else confirm})


def get_urls(app) -> list[str]:
    """One URL of every GET view of the app, ids and codes filled in with something."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        urls.append(re.sub(r"<[^>]+>", "2025", rule.rule))  # a year, an id or a code: routes or not, the hook runs
    return sorted(set(urls))


OPEN = ("/kata-sandi-baru", "/healthz", "/static/", "/s/", "/verifikasi/")


def test_the_temporary_password_signs_in_and_every_page_leads_to_the_set_password_page(app, imported):
    client, response = sign_in(app, "baru.trantib", imported)
    assert response.headers["Location"] == SET_PAGE
    page = client.get(SET_PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Buat kata sandi baru" in html and "Kata sandi sementara" in html
    checked = 0
    for url in get_urls(app):
        if url.startswith(OPEN):
            continue
        answer = client.get(url)
        assert answer.status_code == 302 and answer.headers["Location"] == SET_PAGE, url
        checked += 1
    assert checked > 40
    # a form posted elsewhere is refused the same way, and does nothing
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    answer = client.post("/akun", data={"pw-current": imported, "pw-new": NEW, "pw-confirm": NEW, "pw-submit": "y"})
    assert answer.headers["Location"] == SET_PAGE
    db.session.expire_all()
    assert get_user("baru.trantib").must_change_password is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_public_pages_sign_out_and_language_stay_open(app, imported):
    client, _ = sign_in(app, "baru.trantib", imported)
    assert client.get("/healthz").status_code == 200
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    static.close()
    assert client.get("/s/tidak-ada").headers.get("Location") != SET_PAGE
    assert client.get("/verifikasi/tidak-ada").headers.get("Location") != SET_PAGE
    switched = client.post("/bahasa", data={"locale": "en", "next": SET_PAGE})
    assert switched.headers["Location"] == SET_PAGE
    assert "Create a new password" in client.get(SET_PAGE).get_data(as_text=True)
    out = client.post("/logout")
    assert out.headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_setting_the_password_clears_the_flag_and_rotates_the_session(app, imported):
    client, _ = sign_in(app, "baru.trantib", imported)
    other_cookie, _ = sign_in(app, "baru.trantib", imported)  # a second browser with the temporary password
    token_before = get_user("baru.trantib").session_token
    response = set_password(client, imported)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.expire_all()
    user = get_user("baru.trantib")
    assert user.must_change_password is False and user.session_token != token_before
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password_set"))
    assert event.object_id == user.id and event.username == "baru.trantib"
    # still signed in with the new cookie: the dashboard opens; the other browser's cookie ended
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "Kata sandi Anda sendiri telah disimpan." in home.get_data(as_text=True)
    assert other_cookie.get("/").headers["Location"].startswith("/login")
    assert client.get(SET_PAGE).headers["Location"] == "/"  # nothing left to set
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "baru.trantib", "password": imported}).status_code == 401
    signed_in = fresh.post("/login", data={"username": "baru.trantib", "password": NEW})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


@pytest.mark.parametrize("current, new, confirm, message", [
    ("salah-sekali-123", NEW, NEW, "Kata sandi saat ini salah."),
    (None, "pendek", "pendek", "Kata sandi minimal 10 karakter."),
    (None, NEW, "sandi-lain-sendiri-7", "Kedua kata sandi tidak sama."),
    (None, "baru.trantib", "baru.trantib", "Kata sandi tidak boleh sama dengan nama pengguna."),
    (None, "aaaaaaaaaaaa", "aaaaaaaaaaaa", "Kata sandi terlalu mudah ditebak."),
    (None, None, None, "Kata sandi baru harus berbeda dari kata sandi sementara."),
    ("", NEW, NEW, "Kata sandi sementara wajib diisi."),
])
def test_refused_passwords_keep_the_flag(app, imported, current, new, confirm, message):
    client, _ = sign_in(app, "baru.trantib", imported)
    current = imported if current is None else current
    new = imported if new is None else new
    response = set_password(client, current, new, imported if confirm is None else confirm)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_user("baru.trantib").must_change_password is True
    assert client.get("/").headers["Location"] == SET_PAGE


def test_a_password_the_admin_set_must_be_replaced_too(app, office, client_as):
    admin = client_as("admin")
    user = get_user("pmks")
    assert user.must_change_password is False
    admin.post(f"/admin/pengguna/{user.id}/sandi", data={"password": "sandi-dari-admin-1"})
    admin.post("/admin/pengguna/baru", data={"username": "dibuat.admin", "full_name": "Dibuat Admin", "role": "camat",
                                             "section_id": "0", "password": "sandi-dari-admin-2"})
    db.session.expire_all()
    assert get_user("pmks").must_change_password is True and get_user("dibuat.admin").must_change_password is True
    for username, password in (("pmks", "sandi-dari-admin-1"), ("dibuat.admin", "sandi-dari-admin-2")):
        client, response = sign_in(app, username, password)
        assert response.headers["Location"] == SET_PAGE
        assert set_password(client, password).headers["Location"] == "/"
        assert client.get("/").headers["Location"] != SET_PAGE


def test_users_without_the_flag_are_not_sent_there(client_as, office):
    client = client_as("sekcam")
    assert client.get(SET_PAGE).headers["Location"] == "/"
    assert client.get("/akun").status_code == 200
    assert client.post("/login", data={"username": "sekcam", "password": PASSWORD}).headers["Location"] == "/"


def test_anonymous_is_sent_to_sign_in(client, office):
    assert client.get(SET_PAGE).headers["Location"].startswith("/login")


def test_the_set_password_form_needs_its_csrf_token(csrf_app, office):
    data = "username,full name,role\r\nbaru.camat,Camat Baru,camat\r\n".encode()
    result = import_users(office, parse_user_sheet("p.csv", data), None)
    db.session.commit()
    password = result.created[0].temporary_password
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "baru.camat", "password": password, "csrf_token": token.group(1)})
    assert client.get(SET_PAGE).status_code == 200
    assert client.post(SET_PAGE, data={"current": password, "new": NEW, "confirm": NEW}).status_code == 400
    db.session.expire_all()
    assert get_user("baru.camat").must_change_password is True
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(SET_PAGE).get_data(as_text=True))
    done = client.post(SET_PAGE, data={"current": password, "new": NEW, "confirm": NEW, "csrf_token": token.group(1)})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    db.session.expire_all()
    assert get_user("baru.camat").must_change_password is False
