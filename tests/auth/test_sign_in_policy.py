"""The sign-in policy without its page (auth/policy.py): refusals are typed, attempts are recorded and
flushed, and the caller commits."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.auth import policy
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, LoginFailure
from iku_workflow.models._types import utcnow


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _failures(username: str, address: str) -> LoginFailure | None:
    return db.session.scalar(sa.select(LoginFailure).where(LoginFailure.username == username,
                                                           LoginFailure.address == address))


def test_a_right_password_signs_in_and_resets_the_counter(app, office):
    user = get_user("trantib")
    db.session.add(LoginFailure(username="trantib", address="10.1.0.1", failures=3, last_failed_at=utcnow()))
    now = utcnow()
    assert policy.sign_in("  TRANTIB ", PASSWORD, now, address="10.1.0.1") is user
    assert _failures("trantib", "10.1.0.1") is None and user.last_login_at == now
    assert _actions()[-1] == "login.success"


def test_wrong_passwords_lock_the_username_from_that_address_only(make_app, office):
    app = make_app(IKU_MAX_FAILED_LOGINS=2, IKU_LOCKOUT_MINUTES=15)
    with app.app_context():
        now = utcnow()
        with pytest.raises(policy.BadCredentials):
            policy.sign_in("trantib", "salah", now, address="10.9.9.9")
        assert _failures("trantib", "10.9.9.9").failures == 1
        with pytest.raises(policy.BadCredentials):
            policy.sign_in("trantib", "salah", now, address="10.9.9.9")
        db.session.commit()  # the caller commits refused attempts too
        row = _failures("trantib", "10.9.9.9")
        assert row.locked_until is not None and row.failures == 0
        with pytest.raises(policy.AccountLocked) as locked:
            policy.sign_in("trantib", PASSWORD, now + timedelta(minutes=1), address="10.9.9.9")
        assert locked.value.minutes == 15
        # the owner at their own address is not locked out by the stranger
        assert policy.sign_in("trantib", PASSWORD, now + timedelta(minutes=1), address="10.1.1.1") == get_user("trantib")
        assert _actions()[-4:] == ["login.failed", "login.failed", "login.locked", "login.success"]
        db.session.remove()


def test_an_unknown_username_locks_the_same_way(make_app, office):
    """A locked answer for a real account and none for a made-up name would tell which accounts exist."""
    app = make_app(IKU_MAX_FAILED_LOGINS=2)
    with app.app_context():
        now = utcnow()
        for name in ("camat", "tidak-ada"):
            for _ in range(2):
                with pytest.raises(policy.BadCredentials):
                    policy.sign_in(name, "salah", now, address="10.9.9.8")
            with pytest.raises(policy.AccountLocked):
                policy.sign_in(name, "salah", now, address="10.9.9.8")
        db.session.remove()


def test_unknown_names_and_inactive_accounts_are_refused(app, office):
    with pytest.raises(policy.BadCredentials):
        policy.sign_in("tidak-ada", PASSWORD)
    get_user("pmks").active = False
    with pytest.raises(policy.AccountInactive):
        policy.sign_in("pmks", PASSWORD)
    with pytest.raises(policy.BadCredentials):  # a wrong password does not reveal the account is inactive
        policy.sign_in("pmks", "salah")
    assert _actions()[-3:] == ["login.failed", "login.refused_inactive", "login.failed"]
