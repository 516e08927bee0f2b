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
from ..models import LoginFailure, User
from ..models._types import utcnow
from ..security import dummy_verify, verify_password


class SignInRefused(Exception):
    """The attempt did not sign in."""


class AccountLocked(SignInRefused):
    """Too many failed attempts of this username from this address: ``minutes`` more minutes to wait.

    Raised for unknown usernames just the same, so the answer does not tell which accounts exist."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


class AccountInactive(SignInRefused):
    """The password is right but the account has been deactivated."""


class BadCredentials(SignInRefused):
    """Unknown username or wrong password (the two are not told apart)."""


def _failures(username: str, address: str) -> LoginFailure | None:
    return db.session.scalar(sa.select(LoginFailure).where(LoginFailure.username == username,
                                                           LoginFailure.address == address))


def _count_failure(username: str, address: str, now: datetime) -> None:
    """One more failure of ``username`` from ``address``; the limit locks that pair (only) for a while."""
    cfg = current_app.config
    row = _failures(username, address)
    if row is None:
        row = LoginFailure(username=username, address=address, failures=0)
        db.session.add(row)
    row.failures += 1
    row.last_failed_at = now
    if row.failures >= cfg["IKU_MAX_FAILED_LOGINS"]:
        row.locked_until = now + timedelta(minutes=cfg["IKU_LOCKOUT_MINUTES"])
        row.failures = 0
    # what no longer locks anything is forgotten (a day after the last failure)
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.last_failed_at < now - timedelta(days=1)))


def clear_failures(username: str) -> None:
    """Forget every failure and lock of ``username`` (the admin set a new password)."""
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == username.strip().lower()))


def sign_in(username: str, password: str, now: datetime | None = None, address: str = "") -> User:
    """The user whose credentials these are, or a :class:`SignInRefused`; the attempt is recorded (flushed).

    Failures count per (username, address): after ``IKU_MAX_FAILED_LOGINS`` of them that username is
    refused from that address for ``IKU_LOCKOUT_MINUTES``, whether or not the account exists, while
    the owner at another address still signs in."""
    now = now or utcnow()
    username = username.strip().lower()[:60]
    address = (address or "")[:64]
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
    failures = _failures(username, address)
    if failures is not None and failures.locked_until and failures.locked_until > now:
        audit.record("login.locked", office_id=user.office_id if user else None, user=user, username=username)
        db.session.flush()
        raise AccountLocked(max(1, int((failures.locked_until - now).total_seconds() // 60) + 1))
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
        _count_failure(username, address, now)
        audit.record("login.failed", office_id=user.office_id if user else None, user=user, username=username)
        db.session.flush()
        raise BadCredentials()
    if failures is not None:
        db.session.delete(failures)
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
