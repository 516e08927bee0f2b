"""Who is calling the API: ``Authorization: Bearer <secret>`` of a personal token, nothing else.

The session cookie of the web pages is never read here (a signed-in browser without a token gets 401),
so the API needs no CSRF protection. A missing, malformed, unknown or revoked token, or one whose user
is inactive, answers 401 with a JSON error and ``WWW-Authenticate: Bearer``. The rate limit counts per
token (``IKU_API_RATE_LIMIT``).
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from ..extensions import db
from ..models import ApiToken, User
from ..models._types import utcnow
from ..models.api_token import hash_secret
from .errors import json_error

#: ``last_used_at`` is written at most this often per token (a read must not become a write each time)
LAST_USED_RESOLUTION = timedelta(seconds=60)


#: the token with its user, built once (the statement costs more to build than to run)
_TOKEN_AND_USER = (sa.select(ApiToken, User).join(User, ApiToken.user_id == User.id)
                   .where(ApiToken.token_hash == sa.bindparam("token_hash")))


def bearer_secret() -> str | None:
    """The secret of ``Authorization: Bearer <secret>`` (one word), or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or " " in value or len(value) > 200:
        return None
    return value


def authenticate():
    """``before_request`` of the API blueprints: the token's user in ``g.api_user``, or a 401 answer."""
    secret = bearer_secret()
    if secret is None:
        return _refuse(_("Token API diperlukan: kirim header Authorization: Bearer <token>."))
    row = db.session.execute(_TOKEN_AND_USER, {"token_hash": hash_secret(secret)}).one_or_none()
    if row is None:
        return _refuse(_("Token API tidak dikenal."))
    token, user = row
    if token.revoked_at is not None:
        return _refuse(_("Token API ini telah dicabut."))
    if not user.active:
        return _refuse(_("Akun pemilik token ini dinonaktifkan."))
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    g.api_user, g.api_token = user, token
    return None


def _refuse(message: str):
    return json_error(401, message, {"WWW-Authenticate": 'Bearer realm="iku-workflow"'})


def current_api_user() -> User:
    return g.api_user


def rate_limit() -> str:
    """Requests per token (config ``IKU_API_RATE_LIMIT``, default "300 per minute")."""
    return current_app.config.get("IKU_API_RATE_LIMIT") or "300 per minute"


def rate_limit_key() -> str:
    """The token (its hash: the secret is kept out of the limiter's storage), else the address."""
    secret = bearer_secret()
    if secret is None:
        return "api-anon:" + get_remote_address()
    return "api:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()
