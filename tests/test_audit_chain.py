"""The audit log: hash-chained per office, append-only in the database, `iku-workflow audit verify`."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent
from iku_workflow.models.audit import GENESIS_HASH, GUARD_SQLITE, digest_of


def _events(n=3):
    for i in range(n):
        audit.record("test.event", office_id=None, username="tester", number=i)
    db.session.commit()


def test_events_chain_and_verify_passes(app, runner):
    _events(3)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.office_id.is_(None))
                                .order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events][-3:] == [1, 2, 3][-len(events[-3:]):] or events
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    db.session.expire_all()
    assert all(digest_of(e) == e.hash for e in db.session.scalars(sa.select(AuditEvent)))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Rantai audit utuh" in result.output


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"])
def test_database_refuses_update_and_delete(app, statement):
    _events(1)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) >= 1


def test_verify_names_the_tampered_event(app, runner):
    _events(3)
    victim = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    victim_id = victim.id
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        conn.execute(sa.text("UPDATE audit_events SET username = 'mallory' WHERE id = :id"), {"id": victim_id})
        if dialect == "sqlite":
            conn.exec_driver_sql(GUARD_SQLITE[0])
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    db.session.expire_all()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"id {victim_id}" in result.output


def test_a_user_with_audit_events_cannot_be_deleted(app, office):
    """audit_events.user_id is ON DELETE SET NULL: deleting a user would rewrite their events, which the
    append-only guard refuses. No code path deletes users (an admin deactivates them; user.deactivated),
    and the database keeps it so: the delete fails and the events keep their user."""
    from conftest import get_user
    from iku_workflow.models import User

    user = get_user("pmks")
    user_id = user.id
    audit.record("test.event", office_id=office.id, user=user)
    db.session.commit()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.delete(User).where(User.id == user_id))
    db.session.rollback()
    assert db.session.get(User, user_id) is not None
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.user_id == user_id)) >= 1


def test_no_code_deletes_users_or_offices():
    """What the guard above relies on: the app never deletes a User or an Office row."""
    import re
    from pathlib import Path

    import iku_workflow

    package = Path(iku_workflow.__file__).resolve().parent
    pattern = re.compile(r"(sa\.delete\((User|Office)\b|session\.delete\((user|office)\b)")
    hits = [f"{p.relative_to(package)}: {m.group(0)}" for p in package.rglob("*.py")
            for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert hits == []
