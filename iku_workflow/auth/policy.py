"""The sign-in policy, apart from the pages: who may sign in, when an account locks, how long a
signed-in session lives.

:func:`sign_in` checks a username and password under the lockout rules and records the attempt (the
failure counter, the lock, the audit event). A refusal is a typed exception; whether it succeeds or
not, the function only flushes: the view commits, so that a refused attempt is counted too.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, session

from .. import audit
from ..extensions import db
from ..models import User
from ..models._types import utcnow
from ..security import dummy_verify, verify_password


class SignInRefused(Exception):
    """The attempt did not sign in."""


class AccountLocked(SignInRefused):
    """Too many failed attempts: the account is locked for ``minutes`` more minutes."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


class AccountInactive(SignInRefused):
    """The password is right but the account has been deactivated."""


class BadCredentials(SignInRefused):
    """Unknown username or wrong password (the two are not told apart)."""


def sign_in(username: str, password: str, now: datetime | None = None) -> User:
    """The user whose credentials these are, or a :class:`SignInRefused`; the attempt is recorded (flushed)."""
    now = now or utcnow()
    cfg = current_app.config
    username = username.strip().lower()
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
    if user is not None and user.locked_until and user.locked_until > now:
        audit.record("login.locked", office_id=user.office_id, user=user)
        db.session.flush()
        raise AccountLocked(max(1, int((user.locked_until - now).total_seconds() // 60) + 1))
    if user is None:
        dummy_verify(password)  # the same time for an unknown name as for a wrong password
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if ok and not user.active:
        audit.record("login.refused_inactive", office_id=user.office_id, user=user)
        db.session.flush()
        raise AccountInactive()
    if not ok:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= cfg["IKU_MAX_FAILED_LOGINS"]:
                user.locked_until = now + timedelta(minutes=cfg["IKU_LOCKOUT_MINUTES"])
                user.failed_logins = 0
        audit.record("login.failed", office_id=user.office_id if user else None, user=user, username=username)
        db.session.flush()
        raise BadCredentials()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login.success", office_id=user.office_id, user=user)
    db.session.flush()
    return user


def session_expired() -> bool:
    """True when the signed-in session has passed its absolute lifetime."""
    started = session.get("login_at")
    if started is None:
        return True
    hours = current_app.config["IKU_SESSION_ABSOLUTE_HOURS"]
    return datetime.now(timezone.utc).timestamp() - float(started) > hours * 3600
