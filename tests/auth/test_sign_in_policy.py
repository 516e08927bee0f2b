"""The sign-in policy without its page (auth/policy.py): refusals are typed, attempts are recorded and
flushed, and the caller commits."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.auth import policy
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent
from iku_workflow.models._types import utcnow


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_right_password_signs_in_and_resets_the_counter(app, office):
    user = get_user("trantib")
    user.failed_logins = 3
    now = utcnow()
    assert policy.sign_in("  TRANTIB ", PASSWORD, now) is user
    assert user.failed_logins == 0 and user.locked_until is None and user.last_login_at == now
    assert _actions()[-1] == "login.success"


def test_wrong_passwords_lock_the_account_after_the_limit(make_app, office):
    app = make_app(IKU_MAX_FAILED_LOGINS=2, IKU_LOCKOUT_MINUTES=15)
    with app.app_context():
        now = utcnow()
        with pytest.raises(policy.BadCredentials):
            policy.sign_in("trantib", "salah", now)
        assert get_user("trantib").failed_logins == 1
        with pytest.raises(policy.BadCredentials):
            policy.sign_in("trantib", "salah", now)
        db.session.commit()  # the caller commits refused attempts too
        user = get_user("trantib")
        assert user.locked_until is not None and user.failed_logins == 0
        with pytest.raises(policy.AccountLocked) as locked:
            policy.sign_in("trantib", PASSWORD, now + timedelta(minutes=1))
        assert locked.value.minutes == 15
        assert _actions()[-3:] == ["login.failed", "login.failed", "login.locked"]
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
