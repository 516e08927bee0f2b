"""Sign-in throttling: per address and per username-and-address (Flask-Limiter), and the lockout of a\nusername from one address in the DB (login_failures)."""
from __future__ import annotations

import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.extensions import db
from iku_workflow.models import LoginFailure

MESSAGE = "Terlalu banyak percobaan masuk"




def attempt(client, username: str, address: str, password: str = "salah-sandi-123"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_fourth_attempt_is_refused_with_indonesian_message(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        assert attempt(client, "camat", "10.0.0.1").status_code == 401
    response = attempt(client, "camat", "10.0.0.1", PASSWORD)  # even the right password
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert MESSAGE in html
    assert 'name="username"' in html  # the form is shown again
    assert get_user("camat").last_login_at is None


def test_get_of_the_login_page_is_not_counted(limited_app):
    client = limited_app.test_client()
    for _ in range(6):
        assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    assert attempt(client, "camat", "10.0.0.9", PASSWORD).status_code == 302


def test_a_stranger_elsewhere_does_not_throttle_the_owner(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        assert attempt(client, "sekcam", "10.0.1.66").status_code == 401
    assert attempt(client, "sekcam", "10.0.1.66", PASSWORD).status_code == 429  # that address waits
    # the owner at the office's address signs in
    assert attempt(limited_app.test_client(), "sekcam", "10.0.1.200", PASSWORD).status_code == 302


def test_per_address_across_usernames(limited_app):
    client = limited_app.test_client()
    for name in ("a-satu", "b-dua", "c-tiga"):
        assert attempt(client, name, "10.0.2.1").status_code == 401
    response = attempt(client, "camat", "10.0.2.1", PASSWORD)
    assert response.status_code == 429
    assert MESSAGE in response.get_data(as_text=True)
    # the same user from another address still gets in
    assert attempt(client, "camat", "10.0.2.2", PASSWORD).status_code == 302


def test_username_key_ignores_case_and_spaces(make_app, office):
    # the per-address limit (10 here) is not what refuses: the username-and-address one (3) is
    app = make_app(RATELIMIT_ENABLED=True, IKU_LOGIN_LIMIT="3 per minute", IKU_LOGIN_ADDRESS_LIMIT="10 per minute")
    client = app.test_client()
    for name in ("Camat", " camat ", "CAMAT"):
        assert attempt(client, name, "10.0.3.1").status_code == 401
    assert attempt(client, "camat", "10.0.3.1", PASSWORD).status_code == 429


def test_lockout_without_the_limiter_is_for_the_failing_address(make_app, office, client_as):
    app = make_app(IKU_MAX_FAILED_LOGINS=3, IKU_LOCKOUT_MINUTES=15)
    client = app.test_client()
    for _ in range(3):
        assert attempt(client, "pmks", "10.0.4.1").status_code == 401
    db.session.expire_all()
    response = attempt(client, "pmks", "10.0.4.1", PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.get_data(as_text=True)
    assert get_user("pmks").last_login_at is None
    # from another address the owner signs in at once
    assert attempt(app.test_client(), "pmks", "10.0.4.2", PASSWORD).status_code == 302


def test_the_admin_password_reset_clears_the_lockout(make_app, office, client_as):
    app = make_app(IKU_MAX_FAILED_LOGINS=3, IKU_LOCKOUT_MINUTES=15)
    client = app.test_client()
    for _ in range(3):
        attempt(client, "pmks", "10.0.4.5")
    assert attempt(client, "pmks", "10.0.4.5", PASSWORD).status_code == 429
    admin = client_as("admin")
    user = get_user("pmks")
    response = admin.post(f"/admin/pengguna/{user.id}/sandi", data={"password": "sandi-baru-pmks-1"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0
    assert attempt(client, "pmks", "10.0.4.5", "sandi-baru-pmks-1").status_code == 302


def test_success_resets_the_failure_count(make_app, office):
    app = make_app(IKU_MAX_FAILED_LOGINS=3)
    client = app.test_client()
    attempt(client, "pmks", "10.0.5.1")
    attempt(client, "pmks", "10.0.5.1")
    assert db.session.scalar(sa.select(LoginFailure.failures).where(LoginFailure.username == "pmks")) == 2
    assert attempt(client, "pmks", "10.0.5.1", PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0


def test_successful_sign_ins_are_not_counted(limited_app):
    # Staff sharing the office's address sign in many times a minute; only failures count.
    for _ in range(8):
        client = limited_app.test_client()
        response = attempt(client, "camat", "10.0.6.1", PASSWORD)
        assert response.status_code == 302
        assert "/login" not in client.get("/").headers["Location"]  # really signed in
    for _ in range(3):
        assert attempt(limited_app.test_client(), "camat", "10.0.6.1").status_code == 401
    response = attempt(limited_app.test_client(), "camat", "10.0.6.1", PASSWORD)
    assert response.status_code == 429 and MESSAGE in response.get_data(as_text=True)
    # the failures from that address do not count against the username elsewhere
    assert attempt(limited_app.test_client(), "camat", "10.0.6.2", PASSWORD).status_code == 302
