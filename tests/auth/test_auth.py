"""Sign-in and sign-out: what the user sees, what the session cookie allows, what the audit log holds."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent

COOKIE = "iku_session"


def audit_actions(username: str) -> list[str]:
    return list(db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.username == username).order_by(AuditEvent.id)
    ))


def copy_session(source, target) -> None:
    """Put ``source``'s session cookie into ``target`` (as if someone copied it from the browser)."""
    cookie = source.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie to copy"
    target.set_cookie(COOKIE, cookie.value)


def test_login_page_has_the_named_fields(client, office):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html
    assert "Masuk ke IKU Workflow" in html


def test_success_redirects_and_records_last_login_and_audit(client, office, auth):
    assert get_user("camat").last_login_at is None
    response = auth.login("camat")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    assert get_user("camat").last_login_at is not None
    assert audit_actions("camat") == ["login.success"]
    assert "Kecamatan Gumukmas" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_username_is_case_insensitive(client, office, auth):
    assert auth.login("  CaMaT ").status_code == 302


def test_failure_shows_message_and_records_login_failed(client, office, auth):
    response = auth.login("camat", "bukan-sandinya-123")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    assert audit_actions("camat") == ["login.failed"]
    assert client.get("/akun").status_code == 302  # still signed out


def test_unknown_user_gets_the_same_message_and_is_audited(client, office, auth):
    response = auth.login("tidak-ada", PASSWORD)
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.username == "tidak-ada"))
    assert event.action == "login.failed" and event.user_id is None


def test_anonymous_is_sent_to_login_with_next(client, office):
    response = client.get("/admin/pengguna")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Silakan masuk untuk membuka halaman ini." in page


def test_logout_is_post_only(client, office, auth):
    auth.login("sekcam")
    assert client.get("/logout").status_code == 405
    assert client.get("/akun").status_code == 200  # the GET did not sign out


def test_logout_rotates_token_so_a_copied_cookie_stops_working(app, client, office, auth):
    auth.login("sekcam")
    token_before = get_user("sekcam").session_token
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/akun").status_code == 200  # the copy works while the session lives

    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    db.session.expire_all()
    assert get_user("sekcam").session_token != token_before
    assert "logout" in audit_actions("sekcam")

    late = app.test_client()
    late.set_cookie(COOKIE, thief.get_cookie(COOKIE).value)
    response = late.get("/akun")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/akun").status_code == 302


def test_deactivated_user_cannot_sign_in_and_open_session_ends(client_as, office, auth, client):
    operator = client_as("trantib")
    assert operator.get("/akun").status_code == 200
    admin = client_as("admin")
    user = get_user("trantib")
    assert admin.post(f"/admin/pengguna/{user.id}/nonaktifkan").status_code == 302
    db.session.expire_all()
    assert get_user("trantib").active is False

    response = operator.get("/akun")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")

    response = auth.login("trantib")
    assert response.status_code == 403
    assert "Akun ini telah dinonaktifkan" in response.get_data(as_text=True)
    assert "login.refused_inactive" in audit_actions("trantib")


def test_password_change_rotates_token(app, client_as, office):
    me = client_as("pelayanan")
    other_device = app.test_client()
    copy_session(me, other_device)
    token_before = get_user("pelayanan").session_token
    response = me.post("/akun", data={
        "pw-current": PASSWORD, "pw-new": "sandi-baru-yang-panjang", "pw-confirm": "sandi-baru-yang-panjang",
        "pw-submit": "1",
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert get_user("pelayanan").session_token != token_before
    assert me.get("/akun").status_code == 200  # the device that changed it stays signed in
    assert other_device.get("/akun").status_code == 302  # every other session ends
    assert "user.password_changed" in audit_actions("pelayanan")
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "pelayanan", "password": "sandi-baru-yang-panjang"}).status_code == 302


def test_password_change_refuses_wrong_current_and_weak_new(client_as, office):
    me = client_as("pelayanan")
    html = me.post("/akun", data={
        "pw-current": "salah-salah-salah", "pw-new": "sandi-baru-yang-panjang",
        "pw-confirm": "sandi-baru-yang-panjang", "pw-submit": "1",
    }).get_data(as_text=True)
    assert "Kata sandi saat ini salah." in html
    html = me.post("/akun", data={
        "pw-current": PASSWORD, "pw-new": "pendek", "pw-confirm": "pendek", "pw-submit": "1",
    }).get_data(as_text=True)
    assert "Kata sandi minimal 10 karakter." in html


def test_absolute_session_timeout(client, office, auth):
    auth.login("camat")
    assert client.get("/akun").status_code == 200
    with client.session_transaction() as sess:
        sess["login_at"] = time.time() - 12 * 3600 - 60
    response = client.get("/akun")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sesi Anda telah berakhir. Silakan masuk kembali." in page
    assert client.get("/akun").status_code == 302


def test_session_just_inside_the_limit_is_kept(client, office, auth):
    auth.login("camat")
    with client.session_transaction() as sess:
        sess["login_at"] = time.time() - 11 * 3600
    assert client.get("/akun").status_code == 200


def test_session_cookie_flags_plain_http(client, office, auth):
    response = auth.login("camat")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_session_cookie_https_config(monkeypatch, tmp_path):
    from iku_workflow.config import build_config

    monkeypatch.setenv("IKU_HTTPS", "1")
    monkeypatch.setenv("IKU_DEMO", "1")
    config = build_config(str(tmp_path), secret_key="x" * 32)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-iku_session"
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_https_cookie_is_set_secure_by_the_app(make_app, office):
    app = make_app(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-iku_session")
    client = app.test_client()
    response = client.post("/login", data={"username": "camat", "password": PASSWORD},
                           base_url="https://localhost")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-iku_session="))
    assert "Secure" in header and "HttpOnly" in header and "Path=/" in header and "Domain" not in header


def test_production_requires_secret_key(monkeypatch, tmp_path):
    from iku_workflow.config import build_config

    monkeypatch.delenv("IKU_DEMO", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build_config(str(tmp_path))


def test_demo_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    from iku_workflow.config import build_config

    monkeypatch.setenv("IKU_DEMO", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config(str(tmp_path))["SECRET_KEY"]
    assert len(first) >= 32
    assert build_config(str(tmp_path))["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "\t//evil",
    "http:/evil.example",
    "",
])
def test_open_redirect_is_refused(client, office, auth, target):
    response = auth.login("camat", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_inside_the_app_is_kept(client, office, auth):
    response = auth.login("admin", next="/admin/pengguna")
    assert response.headers["Location"] == "/admin/pengguna"


def test_next_from_the_query_string_reaches_the_form(client, office):
    html = client.get("/login?next=/admin/seksi").get_data(as_text=True)
    assert 'value="/admin/seksi"' in html
