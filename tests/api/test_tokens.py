"""Personal API tokens on the account page: created (secret shown once, only its hash kept), listed,
revoked with confirmation; CSRF; audit events; English."""
from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import ApiToken, AuditEvent

from .conftest import bearer, issue

SECRET = re.compile(r'data-testid="new-token-secret">([^<]+)<')


def _once(client) -> str:
    """The one-creation value of the token form as the account page shows it."""
    page = client.get("/akun").get_data(as_text=True)
    return re.search(r'name="token-once"[^>]*value="([^"]+)"', page).group(1)


def _create(client, name="dasbor kabupaten"):
    response = client.post("/akun/token", data={"token-name": name, "token-submit": "1", "token-once": _once(client)})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_reloading_the_answer_makes_no_second_token(client_as, office):
    """The browser's reload posts the same form again: refused with a message, still one token."""
    client = client_as("sekcam")
    data = {"token-name": "dua kali", "token-submit": "1", "token-once": _once(client)}
    first = client.post("/akun/token", data=data)
    assert first.status_code == 200 and SECRET.search(first.get_data(as_text=True))
    again = client.post("/akun/token", data=data, follow_redirects=True)
    assert again.status_code == 200
    assert "sudah dibuat; rahasianya hanya ditampilkan sekali" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.name == "dua kali")) == 1
    missing = client.post("/akun/token", data={"token-name": "tanpa", "token-submit": "1"}, follow_redirects=True)
    assert "sudah dibuat" in missing.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.name == "tanpa")) == 0
    # a new showing of the form makes the next token
    _create(client, "berikutnya")
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.name == "berikutnya")) == 1


def test_a_created_token_is_shown_once_and_only_its_hash_is_stored(client_as, office):
    client = client_as("sekcam")
    html = _create(client)
    assert "Salin sekarang; tidak ditampilkan lagi." in html
    secret = SECRET.search(html).group(1)
    assert len(secret) >= 40
    token = db.session.scalar(sa.select(ApiToken))
    assert token.user_id == get_user("sekcam").id and token.name == "dasbor kabupaten"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8] and token.revoked_at is None and token.last_used_at is None
    # the secret is in no column
    row = db.session.execute(sa.select(ApiToken.__table__)).one()
    assert all(secret not in str(value) for value in row)
    # listed afterwards by name and prefix, never the secret again
    page = client.get("/akun").get_data(as_text=True)
    assert "dasbor kabupaten" in page and f"{secret[:8]}…" in page and secret not in page
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    assert event.object_id == token.id and event.details == {"name": "dasbor kabupaten", "prefix": token.prefix}
    assert "secret" not in str(event.details) and secret not in str(event.details)
    # and it works
    assert client.get("/api/v1/offices", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(client_as, office):
    html = _create(client_as("sekcam"), name="  ")
    assert "Nama token wajib diisi." in html and "new-token-secret" not in html
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_revoking_a_token_stops_it_and_is_audited(app, client_as, office):
    secret = issue("sekcam", "skrip")
    client = client_as("sekcam")
    token = db.session.scalar(sa.select(ApiToken))
    page = client.get("/akun").get_data(as_text=True)
    assert 'data-confirm="Cabut token «skrip»?' in page  # app.js asks before the POST
    response = client.post(f"/akun/token/{token.id}/cabut")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert db.session.scalar(sa.select(AuditEvent.object_id).where(AuditEvent.action == "api_token.revoked")) == token.id
    page = client.get("/akun").get_data(as_text=True)
    assert 'data-testid="token-revoked"' in page and 'data-testid="revoke-token"' not in page
    assert app.test_client().get("/api/v1/offices", headers=bearer(secret)).status_code == 401


def test_nobody_revokes_or_sees_another_users_token(client_as, office):
    issue("camat", "milik camat")
    token = db.session.scalar(sa.select(ApiToken))
    client = client_as("sekcam")
    assert "milik camat" not in client.get("/akun").get_data(as_text=True)
    assert client.post(f"/akun/token/{token.id}/cabut").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_token_forms_need_their_csrf_token(csrf_app):
    from test_csrf import signed_in, token_from

    client = signed_in(csrf_app, "sekcam")
    assert client.post("/akun/token", data={"token-name": "x", "token-submit": "1"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    csrf = token_from(client, "/akun")
    assert client.post("/akun/token", data={"token-name": "x", "token-submit": "1", "token-csrf_token": csrf,
                                            "token-once": _once(client)}).status_code == 200
    token = db.session.scalar(sa.select(ApiToken))
    assert client.post(f"/akun/token/{token.id}/cabut").status_code == 400
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None
    assert client.post(f"/akun/token/{token.id}/cabut", data={"csrf_token": csrf}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_the_token_section_in_english(client_as, office):
    user = get_user("sekcam")
    user.locale = "en"
    db.session.commit()
    html = _create(client_as("sekcam"))
    assert "API tokens" in html and "Copy it now; it will not be shown again." in html
    assert "Salin sekarang" not in html
