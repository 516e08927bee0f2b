"""CSRF: every form POST without its token is refused and changes nothing."""
from __future__ import annotations

import io
import re


from conftest import PASSWORD, get_user
from iku_workflow.extensions import db

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def token_from(client, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)




def signed_in(app, username: str):
    client = app.test_client()
    token = token_from(client, "/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_login_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "camat", "password": PASSWORD})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Formulir kedaluwarsa" in html
    assert "Muat ulang halaman" in html
    assert client.get("/akun").status_code == 302  # not signed in
    assert get_user("camat").last_login_at is None


def test_login_with_token_works(csrf_app):
    client = signed_in(csrf_app, "camat")
    assert client.get("/akun").status_code == 200


def test_logout_without_token_does_not_sign_out(csrf_app):
    client = signed_in(csrf_app, "sekcam")
    token = get_user("sekcam").session_token
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/akun").status_code == 200
    db.session.expire_all()
    assert get_user("sekcam").session_token == token


def test_logout_with_token_signs_out(csrf_app):
    client = signed_in(csrf_app, "sekcam")
    token = token_from(client, "/akun")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/akun").status_code == 302


def test_admin_post_without_token_changes_nothing(csrf_app):
    admin = signed_in(csrf_app, "admin")
    target = get_user("trantib")
    for url, data in [
        (f"/admin/pengguna/{target.id}/status", {}),
        (f"/admin/pengguna/{target.id}/sandi", {"password": "sandi-baru-trantib"}),
        (f"/admin/pengguna/{target.id}", {"username": "diubah", "full_name": "Diubah", "role": "camat",
                                          "section_id": "0"}),
        ("/admin/pengguna/impor", {"file": (io.BytesIO(b"username,full name,role\r\ndiimpor,Diimpor,camat\r\n"),
                                             "p.csv")}),
        ("/admin/kantor", {"name": "Diubah", "kabupaten": "Diubah", "camat_name": "Diubah",
                           "signatory_acting": "", "paper_size": "A4"}),
    ]:
        response = admin.post(url, data=data)
        assert response.status_code == 400, url
    db.session.expire_all()
    target = get_user("trantib")
    assert target.active is True and target.username == "trantib"
    assert get_user("diimpor") is None
    assert target.office.name == "Gumukmas" and target.office.paper_size.value == "F4"
    fresh = csrf_app.test_client()
    token = token_from(fresh, "/login")
    assert fresh.post("/login", data={"username": "trantib", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 302


def test_token_of_another_session_is_refused(csrf_app):
    stranger = csrf_app.test_client()
    foreign = token_from(stranger, "/login")
    admin = signed_in(csrf_app, "admin")
    target = get_user("trantib")
    assert admin.post(f"/admin/pengguna/{target.id}/status", data={"csrf_token": foreign}).status_code == 400
    db.session.expire_all()
    assert get_user("trantib").active is True
