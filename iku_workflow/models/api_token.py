"""Personal API tokens: a user's key to the read-only JSON API (``/api/v1``).

Only the SHA-256 of the secret is stored (``token_hash``); the secret is shown once, when the token is
created. ``prefix`` (the secret's first characters) lets the owner tell the tokens apart in the list.
A revoked token stays listed (``revoked_at``) and never works again. ``last_used_at`` is written at
most once a minute per token (``api.auth.LAST_USED_RESOLUTION``), so reading the API does not become a
write on every request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .user import User

#: characters of the secret kept in clear to tell tokens apart
PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    """The stored form of a secret: SHA-256, hex (the secret has 256 random bits; no salt needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """43 URL-safe characters: 256 random bits."""
    return secrets.token_urlsafe(32)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(PREFIX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """A new token of ``user`` (added to the session) and its secret, which is not stored."""
        secret = new_secret()
        token = cls(user_id=user.id, name=name, token_hash=hash_secret(secret), prefix=secret[:PREFIX_LENGTH])
        db.session.add(token)
        return token, secret

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… user={self.user_id}>"
