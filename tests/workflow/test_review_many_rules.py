"""What a batch review (``review_many``) writes and refuses, asserted on the operation itself: the same
decider, time, version, note, history and audit record a single approval writes; each refusal with its
reason; the whole batch refused before anything changes; a change made meanwhile refuses the batch.
The web tests in test_review_batches.py see the pages; these pin the rows (mutation run 5 of
workflow/operations.py left 61 mutants of review_many alive that the pages did not show)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import complaint
from iku_workflow.extensions import db
from iku_workflow.models import (
    AuditEvent, EntryState, Notification, WorkflowAction, WorkflowEntry, WorkflowEvent,
)
from iku_workflow.workflow import kinds
from iku_workflow.workflow import operations as wf

S, A = EntryState, WorkflowAction


@pytest.fixture(autouse=True)
def _request(app):
    """The notifications link to pages (url_for), as in the view that calls review_many."""
    with app.test_request_context():
        yield


def submitted(office, n: int, *, note: str | None = None) -> list[WorkflowEntry]:
    rows = [complaint(office, received=date(2025, 3, 1) + timedelta(days=i), resolved=date(2025, 3, 3) + timedelta(days=i))
            for i in range(n)]
    for i, row in enumerate(rows):
        row.entry.title = f"Pengaduan batch {i}"
    db.session.flush()
    for row in rows:
        wf.submit(row.entry, get_user("trantib"), note=note)
    db.session.commit()
    return [row.entry for row in rows]


def seen(entries) -> dict[int, int]:
    return {e.id: e.version for e in entries}


def events_of(entries, action) -> list[WorkflowEvent]:
    return db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id.in_([e.id for e in entries]), WorkflowEvent.action == action).order_by(WorkflowEvent.id)).all()


def audit_of(entries, action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_id.in_([e.id for e in entries]), AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def stored(entry) -> dict:
    row = db.session.execute(sa.select(WorkflowEntry.__table__).where(WorkflowEntry.id == entry.id)).mappings().one()
    return dict(row)


def test_a_batch_approval_writes_what_a_single_approval_writes(office):
    entries = submitted(office, 3, note="Mohon dicek")
    sekcam = get_user("sekcam")
    versions = seen(entries)
    submitted_at = {e.id: e.submitted_at for e in entries}

    result = wf.review_many(sekcam, A.APPROVE, versions, note="  Sudah sesuai  ")
    # the objects in memory hold what the database now holds, before any reload
    for entry in entries:
        assert entry.state is S.APPROVED and entry.version == versions[entry.id] + 1
        assert entry.decided_by_id == sekcam.id and entry.last_note == "Sudah sesuai"
    db.session.commit()

    assert [e.id for e in result.done] == [e.id for e in entries] and result.refused == []
    events = events_of(entries, A.APPROVE)
    assert len(events) == 3
    for entry, event in zip(entries, events):
        row = stored(entry)
        assert row["decided_by_id"] == sekcam.id
        assert row["version"] == versions[entry.id] + 1
        assert row["last_note"] == "Sudah sesuai"  # stripped, and it replaces the submission's note
        # the objects in memory hold what the database holds, without a reload
        assert entry.state is S.APPROVED and entry.version == versions[entry.id] + 1
        assert entry.decided_by_id == sekcam.id and entry.last_note == "Sudah sesuai"
        assert entry.decided_at is not None and entry.decided_at >= submitted_at[entry.id]
        assert entry.decided_at == event.created_at == entry.updated_at
        assert (event.entry_id, event.office_id, event.actor_id) == (entry.id, office.id, sekcam.id)
        assert (event.from_state, event.to_state, event.note) == (S.SUBMITTED, S.APPROVED, "Sudah sesuai")
    records = audit_of(entries, "workflow.approve")
    assert [r.object_id for r in records] == [e.id for e in entries]
    for entry, record in zip(entries, records):
        assert (record.office_id, record.user_id, record.username, record.object_type) == (
            office.id, sekcam.id, "sekcam", "workflow_entries")
        assert record.details == dict(kind="complaint", title=entry.title, from_state="submitted",
                                      to_state="approved", note="Sudah sesuai", batch=True)


def test_a_batch_approval_without_a_note_keeps_the_last_note_and_writes_none(office):
    entries = submitted(office, 2, note="Mohon dicek")
    result = wf.review_many(get_user("sekcam"), A.APPROVE, seen(entries), note="   ")
    db.session.commit()
    assert len(result.done) == 2
    for entry in entries:
        assert stored(entry)["last_note"] == "Mohon dicek" and entry.last_note == "Mohon dicek"
    assert [ev.note for ev in events_of(entries, A.APPROVE)] == [None, None]
    assert all("note" not in r.details for r in audit_of(entries, "workflow.approve"))


def test_a_batch_return_gives_each_entry_the_note_and_the_submitter_is_told_once(office):
    entries = submitted(office, 3)
    sekcam = get_user("sekcam")
    result = wf.review_many(sekcam, A.RETURN, seen(entries), note="Lampirkan foto")
    db.session.commit()
    assert len(result.done) == 3
    for entry in entries:
        row = stored(entry)
        assert row["last_note"] == "Lampirkan foto" and row["decided_by_id"] == sekcam.id
        assert entry.state is S.RETURNED
    assert [(ev.from_state, ev.to_state, ev.note) for ev in events_of(entries, A.RETURN)] == \
        [(S.SUBMITTED, S.RETURNED, "Lampirkan foto")] * 3
    told = db.session.scalars(sa.select(Notification).where(Notification.user_id == get_user("trantib").id,
                                                            Notification.code == "batch_return")).all()
    assert len(told) == 1


def test_what_the_reviewer_was_told_about_the_batch_is_marked_read(office):
    entries = submitted(office, 2)
    sekcam = get_user("sekcam")
    mine = sa.select(Notification).where(Notification.user_id == sekcam.id, Notification.read_at.is_(None))
    assert db.session.scalars(mine).all()  # the submissions told the sekcam
    wf.review_many(sekcam, A.APPROVE, seen(entries))
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(mine).all() == []


@pytest.mark.parametrize("action, note, message", [
    (A.RETURN, None, "Catatan wajib diisi saat mengembalikan data untuk diperbaiki."),
    (A.RETURN, "  ", "Catatan wajib diisi saat mengembalikan data untuk diperbaiki."),
])
def test_a_batch_return_without_a_note_is_refused(office, action, note, message):
    entries = submitted(office, 1)
    with pytest.raises(wf.WorkflowError) as refused:
        wf.review_many(get_user("sekcam"), action, seen(entries), note=note)
    assert str(refused.value) == message
    assert events_of(entries, action) == []


def test_an_empty_batch_and_a_step_that_is_not_a_review_are_refused(office):
    entries = submitted(office, 1)
    with pytest.raises(wf.WorkflowError) as refused:
        wf.review_many(get_user("sekcam"), A.APPROVE, {})
    assert str(refused.value) == "Pilih minimal satu data."
    for action in (A.SUBMIT, A.REOPEN, A.WITHDRAW):
        with pytest.raises(ValueError):
            wf.review_many(get_user("sekcam"), action, seen(entries), note="x")
    assert stored(entries[0])["decided_by_id"] is None


def test_an_unknown_id_or_one_of_another_office_refuses_the_whole_batch(office, other_office):
    entries = submitted(office, 2)
    with pytest.raises(wf.UnknownEntries):
        wf.review_many(get_user("sekcam"), A.APPROVE, {**seen(entries), 999_999: 1})
    foreign = complaint(other_office, user="trantib-puger").entry
    db.session.commit()
    with pytest.raises(wf.UnknownEntries):
        wf.review_many(get_user("sekcam"), A.APPROVE, {**seen(entries), foreign.id: foreign.version})
    db.session.rollback()
    assert all(stored(e)["version"] == e.version and e.state is S.SUBMITTED for e in entries)
    assert events_of(entries, A.APPROVE) == []


def test_each_refusal_is_named_with_its_reason_and_the_rest_applied(office, monkeypatch):
    entries = submitted(office, 6)
    sekcam = get_user("sekcam")
    stale, not_waiting, guarded = entries[1], entries[2], entries[3]
    wf.approve(not_waiting, sekcam)
    db.session.commit()
    versions = seen(entries)
    versions[stale.id] = stale.version - 1
    real = kinds.refusal
    asked = []

    def guard(e, action, user):  # a kind's guard is asked with the step and the reviewer
        asked.append((e.id, action, user.username))
        return "bukti belum lengkap" if e.id == guarded.id and action is A.APPROVE and user.id == sekcam.id \
            else real(e, action, user)

    monkeypatch.setattr(kinds, "refusal", guard)

    result = wf.review_many(sekcam, A.APPROVE, versions)
    db.session.commit()

    assert [(e.id, reason) for e, reason in result.refused] == [
        (stale.id, "sudah diubah"), (not_waiting.id, "tidak lagi menunggu tinjauan"), (guarded.id, "bukti belum lengkap")]
    assert [e.id for e in result.done] == [entries[0].id, entries[4].id, entries[5].id]
    assert (guarded.id, A.APPROVE, "sekcam") in asked
    db.session.expire_all()
    assert (stale.state, guarded.state) == (S.SUBMITTED, S.SUBMITTED)
    assert len(events_of(entries, A.APPROVE)) == 4  # three of the batch and the single approval before


def test_a_reviewer_does_not_review_their_own_submission_or_what_is_not_theirs(office):
    entries = submitted(office, 2)
    # the sekcam's own submission (the sekcam submits as a section may: the survey's closing does)
    own = complaint(office).entry
    own.title = "Pengaduan sekcam"
    db.session.flush()
    wf.submit(own, get_user("trantib"))
    own.submitted_by = get_user("sekcam")
    db.session.commit()
    result = wf.review_many(get_user("sekcam"), A.APPROVE, seen(entries + [own]))
    assert [(e.id, r) for e, r in result.refused] == [(own.id, "Anda sendiri yang mengajukan")]
    db.session.rollback()
    result = wf.review_many(get_user("trantib"), A.APPROVE, seen(entries))
    assert result.done == [] and [r for _, r in result.refused] == ["Anda sendiri yang mengajukan"] * 2
    result = wf.review_many(get_user("camat"), A.APPROVE, seen(entries))  # the Camat reviews the sekcam's
    assert result.done == [] and [r for _, r in result.refused] == ["bukan tinjauan Anda"] * 2
    db.session.rollback()


def test_a_batch_without_the_versions_seen_checks_everything_but_the_version(office):
    entries = submitted(office, 2)
    result = wf.review_many(get_user("sekcam"), A.APPROVE, {e.id: None for e in entries})
    db.session.commit()
    assert len(result.done) == 2 and all(e.state is S.APPROVED for e in entries)


def test_a_batch_with_nothing_to_apply_writes_nothing(office):
    entries = submitted(office, 2)
    versions = {e.id: e.version - 1 for e in entries}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    result = wf.review_many(get_user("sekcam"), A.APPROVE, versions)
    db.session.commit()
    assert result.done == [] and len(result.refused) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert events_of(entries, A.APPROVE) == []
    assert all(stored(e)["decided_by_id"] is None for e in entries)


def test_a_change_made_meanwhile_refuses_the_whole_batch(office):
    entries = submitted(office, 3)
    versions = seen(entries)
    # another user's change lands between the reviewer's reading and the batch's UPDATE: the database
    # holds a newer version than the objects this session read
    db.session.execute(sa.update(WorkflowEntry.__table__).where(WorkflowEntry.__table__.c.id == entries[1].id)
                       .values(version=WorkflowEntry.__table__.c.version + 1))
    with pytest.raises(wf.ConflictError) as refused:
        wf.review_many(get_user("sekcam"), A.APPROVE, versions)
    assert "Tidak ada yang diterapkan" in str(refused.value)
    assert events_of(entries, A.APPROVE) == []
    db.session.rollback()
    db.session.expire_all()
    assert all(e.state is S.SUBMITTED for e in entries)


def _queue_ids(username: str) -> list[int]:
    return db.session.scalars(wf.review_queue(get_user(username)).with_only_columns(WorkflowEntry.id)).all()


@pytest.mark.parametrize("history, reviewer, not_reviewer", [
    # (action, actor) in the order they happened; the LAST submission names the submitter
    ([(A.SUBMIT, "sekcam"), (A.RETURN, "camat"), (A.SUBMIT, "trantib")], "sekcam", "camat"),
    ([(A.SUBMIT, "trantib"), (A.RETURN, "sekcam"), (A.SUBMIT, "sekcam")], "camat", "sekcam"),
    # a later step that is not a submission does not name the submitter
    ([(A.SUBMIT, "trantib"), (A.RETURN, "sekcam")], "sekcam", "camat"),
])
def test_the_queue_reads_the_submitter_from_the_last_submission_as_the_entry_does(office, history, reviewer, not_reviewer):
    entry = wf.create_entry(office_id=office.id, kind="test", title="Hasil lama", year=2025, user=None)
    wf.submit_result(entry, get_user("trantib"), note="ditutup")
    db.session.flush()
    db.session.execute(sa.delete(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id))
    for action, who in history:
        db.session.add(WorkflowEvent(entry_id=entry.id, office_id=office.id, actor_id=get_user(who).id, action=action,
                                     from_state=S.DRAFT, to_state=S.SUBMITTED))
        db.session.flush()
    submitter = [who for action, who in history if action is A.SUBMIT][-1]
    # a later submission of ANOTHER entry, by someone else, names nobody here
    other = submitted(office, 1)[0]
    db.session.add(WorkflowEvent(entry_id=other.id, office_id=office.id, action=A.SUBMIT, from_state=S.DRAFT,
                                 to_state=S.SUBMITTED, actor_id=get_user("trantib" if submitter == "sekcam" else "sekcam").id))
    entry.submitted_by_id = None  # an older version stored no submitter: the history names them
    db.session.commit()
    db.session.expire_all()
    assert entry.submitter.username == submitter
    assert entry.id in _queue_ids(reviewer) and entry.id not in _queue_ids(not_reviewer)
    assert entry.id not in _queue_ids("trantib")  # a section reviews nothing


def test_an_entry_with_a_stored_submitter_is_read_from_it_not_from_the_history(office):
    entries = submitted(office, 1)
    entry = entries[0]
    db.session.add(WorkflowEvent(entry_id=entry.id, office_id=office.id, actor_id=get_user("sekcam").id,
                                 action=A.SUBMIT, from_state=S.DRAFT, to_state=S.SUBMITTED))
    db.session.commit()
    assert entry.id in _queue_ids("sekcam") and entry.id not in _queue_ids("camat")


def test_a_batch_is_applied_in_the_order_the_entries_were_submitted(office):
    rows = [complaint(office, received=date(2025, 4, 1) + timedelta(days=i), resolved=date(2025, 4, 5) + timedelta(days=i))
            for i in range(3)]
    db.session.flush()
    for row in reversed(rows):  # the newest row submitted first
        wf.submit(row.entry, get_user("trantib"))
        db.session.flush()
    db.session.commit()
    entries = [row.entry for row in rows]
    result = wf.review_many(get_user("sekcam"), A.APPROVE, seen(entries))
    assert [e.id for e in result.done] == [e.id for e in reversed(entries)]
    assert [r.object_id for r in audit_of(entries, "workflow.approve")] == [e.id for e in reversed(entries)]


def test_a_submission_of_another_sekcam_is_the_camat_s_to_review(office):
    from iku_workflow.models import Role, User

    second = User(office_id=office.id, username="sekcam2", full_name="Plh. Sekretaris Camat", role=Role.SEKCAM,
                  password_hash=get_user("sekcam").password_hash)
    db.session.add(second)
    entry = wf.create_entry(office_id=office.id, kind="test", title="Hasil sekcam kedua", year=2025, user=None)
    wf.submit_result(entry, second, note="ditutup")
    db.session.commit()
    assert entry.id not in _queue_ids("sekcam") and entry.id in _queue_ids("camat")


def test_the_kind_hears_of_each_batch_step_with_the_step_and_the_reviewer(office, monkeypatch):
    entries = submitted(office, 2)
    heard = []
    real = kinds.after_transition
    monkeypatch.setattr(kinds, "after_transition", lambda e, action, user: (heard.append((e.id, action, user.username)),
                                                                           real(e, action, user)))
    wf.review_many(get_user("sekcam"), A.RETURN, seen(entries), note="Perbaiki")
    assert heard == [(e.id, A.RETURN, "sekcam") for e in entries]
