"""What each step writes and what it refuses, beyond the transition table: a stale page is refused by every
step (operation and view), the notes reach the history, the audit record names office, actor and entry,
the decider and the editor are recorded. Each test here fails when one of those rules is dropped."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import bring_to, give_evidence, required
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, EntryState, WorkflowAction, WorkflowEntry, WorkflowEvent
from iku_workflow.models._types import utcnow
from iku_workflow.workflow import operations as ops

S, A = EntryState, WorkflowAction
STALE = "sudah diubah oleh pengguna lain"


@pytest.fixture
def sop(office):
    """The demo SOP document's entry (Seksi Pelayanan Umum), its evidence file in place, in draft."""
    give_evidence(office)
    return required(office, "sop").entry


def _events(entry) -> list[WorkflowEvent]:
    return db.session.scalars(sa.select(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id)
                              .order_by(WorkflowEvent.id)).all()


def _audit(entry) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_id == entry.id,
                                                          AuditEvent.action.like("workflow.%"))
                              .order_by(AuditEvent.id)).all()


# (from state, action, who, what the note/reason is)
STEPS = [
    (S.DRAFT, A.SUBMIT, "pelayanan", "Sudah lengkap"),
    (S.RETURNED, A.SUBMIT, "pelayanan", "Sudah diperbaiki"),
    (S.SUBMITTED, A.APPROVE, "sekcam", "Baik"),
    (S.SUBMITTED, A.RETURN, "sekcam", "Lengkapi tanda tangan"),
    (S.APPROVED, A.REOPEN, "sekcam", "Nomor dokumen salah"),
]
SLUG = {A.SUBMIT: "ajukan", A.APPROVE: "setujui", A.RETURN: "kembalikan", A.REOPEN: "buka-kembali"}


@pytest.mark.parametrize("state, action, username, note", STEPS, ids=lambda v: getattr(v, "value", v))
def test_every_step_refuses_a_stale_page(sop, state, action, username, note):
    entry = bring_to(sop, state)
    history = len(_events(entry))
    with pytest.raises(ops.ConflictError, match=STALE):
        ops.apply_action(entry, get_user(username), action, note, entry.version - 1)
    db.session.rollback()
    db.session.expire_all()
    assert entry.state is state and len(_events(entry)) == history
    # the page that is current goes through
    ops.apply_action(entry, get_user(username), action, note, entry.version)
    db.session.commit()
    assert entry.state is ops.TRANSITIONS[(state, action)]


@pytest.mark.parametrize("state, action, username, note", STEPS, ids=lambda v: getattr(v, "value", v))
def test_every_button_refuses_a_stale_page(sop, client_as, state, action, username, note):
    entry = bring_to(sop, state)
    client = client_as(username)
    response = client.post(f"/entri/{entry.id}/{SLUG[action]}", data={"version": entry.version - 1, "note": note},
                           follow_redirects=True)
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, entry.id).state is state
    response = client.post(f"/entri/{entry.id}/{SLUG[action]}", data={"version": entry.version, "note": note})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, entry.id).state is ops.TRANSITIONS[(state, action)]


def test_the_button_refuses_a_reopen_without_a_reason(sop, client_as):
    entry = bring_to(sop, S.APPROVED)
    response = client_as("sekcam").post(f"/entri/{entry.id}/buka-kembali", data={"version": entry.version, "note": "  "},
                                        follow_redirects=True)
    assert "Alasan wajib diisi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, entry.id).state is S.APPROVED


@pytest.mark.parametrize("state, action, username, note", STEPS, ids=lambda v: getattr(v, "value", v))
def test_history_and_audit_record_who_what_and_the_note(sop, office, state, action, username, note):
    entry = bring_to(sop, state)
    user = get_user(username)
    ops.apply_action(entry, user, action, f"  {note}  ", entry.version)
    db.session.commit()
    target = ops.TRANSITIONS[(state, action)]
    event = _events(entry)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.office_id, event.note) == (
        action, state, target, user.id, office.id, note)
    record = _audit(entry)[-1]
    assert (record.action, record.office_id, record.user_id, record.username) == (
        f"workflow.{action.value}", office.id, user.id, username)
    assert (record.object_type, record.object_id) == ("workflow_entries", entry.id)
    assert record.details == {"kind": entry.kind, "title": entry.title, "from_state": state.value,
                              "to_state": target.value, "note": note}


def test_who_decided_and_the_note_on_the_entry(sop):
    operator, sekcam = get_user("pelayanan"), get_user("sekcam")
    ops.submit(sop, operator, note="   ")
    db.session.commit()
    assert (sop.submitted_by_id, sop.submitted_at is not None, sop.decided_by_id, sop.decided_at) == (
        operator.id, True, None, None)
    assert _events(sop)[-1].note is None  # a blank note is no note
    ops.return_for_revision(sop, sekcam, note=" Lengkapi tanda tangan ")
    db.session.commit()
    assert (sop.decided_by_id, sop.decided_at is not None, sop.last_note) == (sekcam.id, True, "Lengkapi tanda tangan")
    # submitting again clears the decision; without a note the reviewer's note stays to be read
    ops.submit(sop, operator)
    db.session.commit()
    assert (sop.decided_by_id, sop.decided_at, sop.last_note) == (None, None, "Lengkapi tanda tangan")
    ops.approve(sop, sekcam, note="Baik")
    db.session.commit()
    assert (sop.decided_by_id, sop.decided_at is not None, sop.last_note) == (sekcam.id, True, "Baik")
    first_decision = sop.decided_at
    # the reopen is a decision too: by whom, when, why
    camat_never = get_user("camat")
    with pytest.raises(ops.ForbiddenTransition):
        ops.reopen(sop, camat_never, reason="x")
    db.session.rollback()
    ops.reopen(sop, sekcam, reason=" Nomor dokumen salah ")
    db.session.commit()
    assert (sop.state, sop.decided_by_id, sop.last_note) == (S.RETURNED, sekcam.id, "Nomor dokumen salah")
    assert sop.decided_at > first_decision  # the reopen's own time, not the approval's
    assert sop.submitted_by_id == operator.id  # reopening does not change who submitted


def test_an_edit_is_recorded_with_its_actor_and_note(sop, office):
    entry = bring_to(sop, S.RETURNED)
    operator = get_user("pelayanan")
    version = entry.version
    ops.record_edit(entry, operator, "Versi baru berkas")
    db.session.commit()
    event = _events(entry)[-1]
    assert (event.action, event.actor_id, event.office_id, event.from_state, event.to_state, event.note) == (
        A.EDIT, operator.id, office.id, S.RETURNED, S.RETURNED, "Versi baru berkas")
    assert entry.version == version + 1
    with pytest.raises(ops.ForbiddenTransition, match="hanya dapat mengajukan data seksi Anda sendiri"):
        ops.record_edit(entry, get_user("pmks"), "bukan seksinya")
    db.session.rollback()
    ops.submit(entry, operator)
    db.session.commit()
    with pytest.raises(ops.ForbiddenTransition, match="^Data sedang ditinjau dan tidak dapat diubah sampai dikembalikan.$"):
        ops.record_edit(entry, operator, "saat ditinjau")
    db.session.rollback()


def test_a_new_entry_starts_in_draft_with_its_creator(office):
    user = get_user("pelayanan")
    entry = ops.create_entry(office_id=office.id, kind="document", title="x" * 300, year=2025, user=user)
    db.session.commit()
    assert (entry.state, entry.created_by_id, entry.office_id, entry.year, len(entry.title)) == (
        S.DRAFT, user.id, office.id, 2025, 255)
    event = _events(entry)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.office_id) == (
        A.CREATE, None, S.DRAFT, user.id, office.id)


def _entry(office, state: EntryState, submitter=None, kind="document", year=2025) -> WorkflowEntry:
    entry = ops.create_entry(office_id=office.id, kind=kind, title=f"{kind} {state.value}", year=year, user=None)
    decider = get_user("sekcam")
    entry.state, entry.submitted_by = state, submitter
    if state is not S.DRAFT:
        entry.submitted_at = utcnow()
    if state is S.APPROVED:
        entry.decided_by_id, entry.decided_at = decider.id, utcnow()
    if state is S.RETURNED:
        entry.last_note = "Periksa lagi"
    db.session.flush()
    return entry


def test_who_reviews_what(office, other_office):
    """The sekcam: what anyone but a sekcam submitted (or nobody, an older version's "system"); the Camat:
    what a sekcam submitted; nobody else; never another office's, never what is not submitted."""
    users = {name: get_user(name) for name in ("pelayanan", "sekcam", "camat", "admin")}
    by_operator = _entry(office, S.SUBMITTED, users["pelayanan"])
    by_sekcam = _entry(office, S.SUBMITTED, users["sekcam"])
    by_nobody = _entry(office, S.SUBMITTED, None)
    by_camat = _entry(office, S.SUBMITTED, users["camat"])
    _entry(office, S.DRAFT)
    _entry(office, S.APPROVED, users["pelayanan"])
    _entry(office, S.RETURNED, users["sekcam"])
    _entry(other_office, S.SUBMITTED, None)
    _entry(other_office, S.SUBMITTED, get_user("sekcam-puger"))
    db.session.commit()

    def queue(name):
        return {e.id for e in db.session.scalars(ops.review_queue(users[name]))}

    assert queue("sekcam") == {by_operator.id, by_nobody.id, by_camat.id}
    assert queue("camat") == {by_sekcam.id}
    assert queue("pelayanan") == set() and queue("admin") == set()


def test_what_counts_is_approved_of_the_kind_year_and_office(office, other_office):
    counted = _entry(office, S.APPROVED)
    for other in (_entry(office, S.SUBMITTED), _entry(office, S.RETURNED), _entry(office, S.APPROVED, year=2024),
                  _entry(office, S.APPROVED, kind="survey"), _entry(other_office, S.APPROVED)):
        assert other.id != counted.id
    db.session.commit()
    assert [e.id for e in db.session.scalars(ops.approved_entries(office.id, "document", 2025))] == [counted.id]


# -- a result the app computed, submitted by whoever closed its collection (an SKM period) -----------------

def test_submit_result_makes_the_closer_its_submitter_with_the_note(sop):
    closer = get_user("pelayanan")
    event = ops.submit_result(sop, closer, note="  Periode ditutup: 60 responden  ")
    db.session.commit()
    db.session.expire_all()
    entry = db.session.get(WorkflowEntry, sop.id)
    assert entry.state is S.SUBMITTED and entry.submitted_by_id == closer.id and entry.submitted_at is not None
    assert entry.decided_by_id is None and entry.last_note == "Periode ditutup: 60 responden"
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.note) == (
        A.SUBMIT, S.DRAFT, S.SUBMITTED, closer.id, "Periode ditutup: 60 responden")
    audit = _audit(entry)[-1]
    assert (audit.action, audit.office_id, audit.user_id, audit.object_id) == (
        "workflow.submit", entry.office_id, closer.id, entry.id)
    # the submitter may not review it
    with pytest.raises(ops.WorkflowError):
        ops.approve(entry, closer)


def test_submit_result_with_an_empty_note_keeps_no_note(sop):
    event = ops.submit_result(sop, get_user("pelayanan"), note="   ")
    db.session.commit()
    assert event.note is None and db.session.get(WorkflowEntry, sop.id).last_note is None


@pytest.mark.parametrize("state", [S.SUBMITTED, S.APPROVED])
def test_submit_result_refuses_what_is_not_open_for_submission(sop, state):
    entry = bring_to(sop, state)
    history = len(_events(entry))
    with pytest.raises(ops.ForbiddenTransition, match=f"'{A.SUBMIT.label}' tidak dapat dilakukan pada data "
                                                      f"berstatus '{state.label}'"):
        ops.submit_result(entry, get_user("pelayanan"), note="lagi")
    db.session.rollback()
    assert len(_events(entry)) == history


def test_submit_result_honours_the_kinds_guard(office):
    """A document without evidence is not submitted, even as a result (the documents kind's guard)."""
    entry = required(office, "sop").entry  # no evidence file
    with pytest.raises(ops.ForbiddenTransition, match="Unggah minimal satu berkas bukti"):
        ops.submit_result(entry, get_user("pelayanan"), note="")
    db.session.rollback()
    assert db.session.get(WorkflowEntry, entry.id).state is S.DRAFT


def test_an_approval_without_a_note_writes_no_note(sop):
    ops.submit(sop, get_user("pelayanan"), note="Lengkap")
    ops.approve(sop, get_user("sekcam"))
    db.session.commit()
    assert _events(sop)[-1].note is None and sop.last_note == "Lengkap"  # the submitter's note stays to be read


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reopen_without_a_reason_is_refused_through_apply_action(sop, reason):
    entry = bring_to(sop, S.APPROVED)
    with pytest.raises(ops.WorkflowError, match="Alasan wajib diisi"):
        ops.apply_action(entry, get_user("sekcam"), A.REOPEN, reason, entry.version)
    db.session.rollback()
    assert db.session.get(WorkflowEntry, entry.id).state is S.APPROVED


@pytest.mark.parametrize("note", ["", None])
def test_submit_result_without_any_note_keeps_no_note(sop, note):
    event = ops.submit_result(sop, get_user("pelayanan"), note=note)
    db.session.commit()
    assert event.note is None and db.session.get(WorkflowEntry, sop.id).last_note is None


def test_submit_result_asks_the_kinds_guard_with_the_closer(sop, monkeypatch):
    from iku_workflow.workflow import kinds

    asked = []
    real = kinds.refusal
    monkeypatch.setattr(kinds, "refusal", lambda e, action, user: asked.append((action, user)) or real(e, action, user))
    closer = get_user("pelayanan")
    ops.submit_result(sop, closer, note="ditutup")
    assert asked == [(A.SUBMIT, closer)]


def test_a_new_entry_keeps_its_due_date_and_starts_its_history(office):
    from datetime import date

    entry = ops.create_entry(office_id=office.id, kind="test", title="Laporan", year=2025, user=get_user("sekcam"),
                             due_date=date(2025, 6, 30))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, entry.id).due_date == date(2025, 6, 30)
    first = _events(entry)[0]
    assert (first.action, first.from_state, first.to_state, first.actor_id) == (A.CREATE, None, S.DRAFT,
                                                                               get_user("sekcam").id)


@pytest.mark.parametrize("note, kept", [("  Salah lampiran  ", "Salah lampiran"), ("", None), (None, None)])
def test_a_withdrawal_writes_its_note_to_the_history(sop, note, kept):
    ops.submit(sop, get_user("pelayanan"))
    event = ops.withdraw(sop, get_user("pelayanan"), note=note)
    db.session.commit()
    assert event.action is A.WITHDRAW and event.note == kept and _events(sop)[-1].note == kept


def test_a_forbidden_step_names_the_action_and_the_state(sop):
    with pytest.raises(ops.ForbiddenTransition) as refused:
        ops.approve(sop, get_user("sekcam"))
    assert str(refused.value) == (f"Tindakan '{A.APPROVE.label}' tidak dapat dilakukan pada data berstatus "
                                  f"'{S.DRAFT.label}'.")


def test_a_step_asks_the_kinds_guard_with_the_step_and_its_user(sop, monkeypatch):
    from iku_workflow.workflow import kinds

    ops.submit(sop, get_user("pelayanan"))
    asked = []
    real = kinds.refusal
    monkeypatch.setattr(kinds, "refusal", lambda e, action, user: asked.append((action, user)) or real(e, action, user))
    sekcam = get_user("sekcam")
    ops.approve(sop, sekcam)
    assert asked == [(A.APPROVE, sekcam)]
