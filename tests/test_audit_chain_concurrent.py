"""Two transactions appending to one office's audit chain at the same moment (PostgreSQL, two
connections): the second waits for the first's commit and links to it, the chain never forks."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from conftest import PG_URL
from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent
from iku_workflow.models.audit import GENESIS_HASH, digest_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="two concurrent transactions need PostgreSQL (SQLite serialises "
                                          "writers); set IKU_TEST_DATABASE_URL"),
]

HOLD = 0.8


def _chain(office_id):
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.office_id == office_id)
                              .order_by(AuditEvent.seq)).all()


def _assert_unbroken(events):
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    assert all(digest_of(e) == e.hash for e in events)


def _holding_writer(app, office_id, flushed, outcome):
    """Appends one event, tells the test, keeps its transaction open HOLD seconds, commits."""
    with app.app_context():
        try:
            audit.record("test.first", office_id=office_id, username="first")
            db.session.flush()
            flushed.set()
            time.sleep(HOLD)
            db.session.commit()
            outcome["first"] = "committed"
        except Exception as exc:  # reported to the test
            outcome["first"] = exc
            flushed.set()
        finally:
            db.session.remove()


def test_two_appends_at_once_do_not_fork_the_chain(app, office, runner):
    office_id = office.id
    before = len(_chain(office_id))
    db.session.remove()
    flushed, outcome = threading.Event(), {}
    thread = threading.Thread(target=_holding_writer, args=(app, office_id, flushed, outcome))
    thread.start()
    assert flushed.wait(30)
    with app.app_context():
        try:
            started = time.monotonic()
            audit.record("test.second", office_id=office_id, username="second")
            waited = time.monotonic() - started
            db.session.commit()
        finally:
            db.session.remove()
    thread.join(30)
    assert outcome["first"] == "committed"
    assert waited > HOLD / 2  # the second append waited for the first's commit (the chain's lock)
    events = _chain(office_id)
    assert len(events) == before + 2
    assert [e.action for e in events[-2:]] == ["test.first", "test.second"]
    _assert_unbroken(events)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_another_office_does_not_wait(app, office, other_office):
    office_id, other_id = office.id, other_office.id
    db.session.remove()
    flushed, outcome = threading.Event(), {}
    thread = threading.Thread(target=_holding_writer, args=(app, office_id, flushed, outcome))
    thread.start()
    assert flushed.wait(30)
    with app.app_context():
        try:
            started = time.monotonic()
            audit.record("test.other", office_id=other_id, username="other")
            db.session.commit()
            waited = time.monotonic() - started
        finally:
            db.session.remove()
    thread.join(30)
    assert outcome["first"] == "committed"
    assert waited < HOLD / 2  # one chain's lock per office
    _assert_unbroken(_chain(office_id))
    _assert_unbroken(_chain(other_id))


def test_many_writers_at_once_keep_one_chain(app, office, runner):
    office_id, code = office.id, office.code
    db.session.remove()
    writers, per_writer = 4, 5
    barrier, errors = threading.Barrier(writers), []

    def write(n):
        with app.app_context():
            try:
                barrier.wait(30)
                for i in range(per_writer):
                    audit.record("test.many", office_id=office_id, username=f"w{n}", i=i)
                    db.session.commit()
            except Exception as exc:  # reported to the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    events = _chain(office_id)
    assert sum(e.action == "test.many" for e in events) == writers * per_writer
    _assert_unbroken(events)
    result = runner.invoke(args=["audit", "verify", "--office", code])
    assert result.exit_code == 0, result.output
