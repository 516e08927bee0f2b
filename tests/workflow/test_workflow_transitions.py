"""Every (state, action) pair for every role: the allowed ones move the entry and write history; the
others are refused and change nothing. Plus the rules around them (own submission, notes, lock)."""
from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import PDF, bring_to, required, upload
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, EntryState, Role, User, WorkflowAction, WorkflowEvent
from iku_workflow.workflow import operations as ops

pytestmark = pytest.mark.usefixtures("evidence_everywhere")  # about the workflow, not uploads




S, A = EntryState, WorkflowAction
ROLES = ["admin", "camat", "sekcam", "seksi-own", "seksi-other", "viewer"]
ACTIONS = [A.SUBMIT, A.APPROVE, A.RETURN, A.REOPEN, A.WITHDRAW]
# who may apply each action (when the state allows it)
MAY = {A.SUBMIT: {"seksi-own"}, A.APPROVE: {"sekcam"}, A.RETURN: {"sekcam"}, A.REOPEN: {"sekcam"},
       A.WITHDRAW: {"seksi-own"}}
# The workflow's rule written out, not read from ``operations.TRANSITIONS``: a transition added there
# (approving a returned entry, reopening a draft) must fail this test. Anything not listed is refused.
EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.APPROVED, A.REOPEN): S.RETURNED,
    (S.SUBMITTED, A.WITHDRAW): S.DRAFT,
}
USERNAME = {"admin": "admin", "camat": "camat", "sekcam": "sekcam", "seksi-own": "pelayanan",
            "seksi-other": "pmks", "viewer": "pemantau"}


def _viewer(office) -> User:
    user = User(office_id=office.id, username="pemantau", full_name="Pemantau Inspektorat", role=Role.VIEWER,
                password_hash="-")
    db.session.add(user)
    db.session.commit()
    return user


def _entry_in(office, state: EntryState):
    """The demo SOP document (Seksi Pelayanan Umum) brought to ``state`` by the proper people."""
    return bring_to(required(office, "sop").entry, state)


@pytest.mark.parametrize("state, action, role", list(itertools.product(list(S), ACTIONS, ROLES)),
                         ids=lambda v: getattr(v, "value", v))
def test_transition_table(app, office, state, action, role):
    _viewer(office)
    entry = _entry_in(office, state)
    user = get_user(USERNAME[role])
    events_before = db.session.scalar(sa.select(sa.func.count(WorkflowEvent.id)).where(WorkflowEvent.entry_id == entry.id))
    target = EXPECTED.get((state, action))
    allowed = target is not None and role in MAY[action]
    assert (action in ops.allowed_actions(entry, user)) is allowed
    if allowed:
        ops.apply_action(entry, user, action, "catatan uji", entry.version)
        db.session.commit()
        assert entry.state is target
        last = db.session.scalar(sa.select(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id)
                                 .order_by(WorkflowEvent.id.desc()).limit(1))
        assert (last.action, last.from_state, last.to_state, last.actor_id) == (action, state, target, user.id)
        assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == f"workflow.{action.value}",
                                                                AuditEvent.object_id == entry.id)) is not None
    else:
        with pytest.raises(ops.ForbiddenTransition):
            ops.apply_action(entry, user, action, "catatan uji", entry.version)
        db.session.rollback()
        db.session.expire_all()
        assert entry.state is state
        assert db.session.scalar(sa.select(sa.func.count(WorkflowEvent.id)).where(
            WorkflowEvent.entry_id == entry.id)) == events_before


def test_the_table_is_the_rule():
    assert ops.TRANSITIONS == EXPECTED


def test_nobody_approves_their_own_submission(app, office):
    """The Sekretariat's operator submits LAKIP, is then made Sekretaris Camat: may not review it."""
    entry = required(office, "lakip").entry
    person = get_user("sekretariat")
    ops.submit(entry, person)
    db.session.commit()
    person.role = Role.SEKCAM  # promoted while the entry waits
    db.session.commit()
    assert ops.allowed_actions(entry, person) == []
    for action in (A.APPROVE, A.RETURN):
        with pytest.raises(ops.ForbiddenTransition, match="ajukan sendiri"):
            ops.apply_action(entry, person, action, "ok", None)
        db.session.rollback()
    # another reviewer may: what a (now) sekcam submitted is the Camat's to review (tests/test_review_rule.py)
    with pytest.raises(ops.ForbiddenTransition, match="yang meninjaunya Camat"):
        ops.approve(entry, get_user("sekcam"))
    db.session.rollback()
    ops.approve(entry, get_user("camat"))
    db.session.commit()
    assert entry.state is S.APPROVED


def test_return_needs_a_note_and_reopen_a_reason(app, office):
    entry = _entry_in(office, S.SUBMITTED)
    sekcam = get_user("sekcam")
    with pytest.raises(ops.WorkflowError, match="Catatan wajib"):
        ops.return_for_revision(entry, sekcam, note="   ")
    ops.approve(entry, sekcam)
    db.session.commit()
    with pytest.raises(ops.WorkflowError, match="Alasan wajib"):
        ops.reopen(entry, sekcam, reason="")
    for username in ("admin", "camat", "pelayanan"):
        with pytest.raises(ops.ForbiddenTransition):
            ops.reopen(entry, get_user(username), reason="salah ketik")
    ops.reopen(entry, sekcam, reason="Nomor dokumen salah")
    db.session.commit()
    assert entry.state is S.RETURNED and entry.last_note == "Nomor dokumen salah"


def test_approved_is_locked(app, office, client_as):
    entry = _entry_in(office, S.APPROVED)
    with pytest.raises(ops.ForbiddenTransition, match="terkunci"):
        ops.ensure_editable(entry, get_user("pelayanan"))
    with pytest.raises(ops.ForbiddenTransition):
        ops.record_edit(entry, get_user("pelayanan"), "ubah")
    response = upload(client_as("pelayanan"), required(office, "sop"), (PDF, "baru.pdf"))
    assert response.status_code == 400 and "terkunci" in response.get_data(as_text=True)


def test_views_refuse_a_forbidden_step_with_a_message(app, office, client_as):
    entry = _entry_in(office, S.SUBMITTED)
    client = client_as("pelayanan")
    response = client.post(f"/entri/{entry.id}/setujui", data={"version": entry.version}, follow_redirects=True)
    assert "tidak berwenang" in response.get_data(as_text=True)
    response = client_as("sekcam").post(f"/entri/{entry.id}/kembalikan", data={"note": "", "version": entry.version},
                                        follow_redirects=True)
    assert "Catatan wajib diisi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert entry.state is S.SUBMITTED


def _bump_version_behind_the_session(entry) -> None:
    """Another user's change: the row's version moves on, the session still holds the old one."""
    table = entry.__table__
    db.session.execute(sa.update(table).where(table.c.id == entry.id).values(version=table.c.version + 1))


@pytest.mark.parametrize("operation", ["approve", "register delete"])
def test_a_conflict_leaves_the_callers_transaction_to_the_caller(office, operation):
    """Operations flush and never roll back: a caller that ran one inside a savepoint keeps its own work."""
    import factories as mk
    from iku_workflow import audit
    from iku_workflow.registers import operations as reg_ops

    row = mk.complaint(office)
    ops.submit(row.entry, get_user("trantib"))
    if operation == "register delete":
        ops.return_for_revision(row.entry, get_user("sekcam"), note="Periksa lagi")
    db.session.commit()
    audit.record("caller.work", office_id=office.id, username="uji")  # the caller's own, earlier work
    db.session.flush()
    _bump_version_behind_the_session(row.entry)
    with pytest.raises(ops.ConflictError):
        with db.session.begin_nested():
            if operation == "approve":
                ops.approve(row.entry, get_user("sekcam"))
            else:
                reg_ops.delete_row(row, get_user("trantib"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "caller.work")) == 1
    assert db.session.get(type(row), row.id) is not None
    assert row.entry.state is (S.SUBMITTED if operation == "approve" else S.RETURNED)


def test_withdraw_before_review_back_to_a_draft_nobody_submitted(app, office, client_as):
    """The submitting section takes a submission back (submitted -> draft); after a review it cannot."""
    entry = _entry_in(office, S.SUBMITTED)
    operator = get_user("pelayanan")
    client = client_as("pelayanan")
    page = client.get(f"/dokumen/entri/{entry.id}", follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="do-withdraw"' in page and "Tarik kembali" in page
    ops.withdraw(entry, operator, expected_version=entry.version)
    db.session.commit()
    assert entry.state is S.DRAFT and entry.submitted_by_id is None and entry.submitted_at is None
    assert entry not in db.session.scalars(ops.review_queue(get_user("sekcam"))).all()
    last = entry.events[-1]
    assert (last.action, last.from_state, last.to_state, last.actor_id) == (A.WITHDRAW, S.SUBMITTED, S.DRAFT, operator.id)
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "workflow.withdraw",
                                                            AuditEvent.object_id == entry.id)) is not None
    # submitted again and reviewed: too late to withdraw (approved or returned)
    ops.submit(entry, operator)
    ops.return_for_revision(entry, get_user("sekcam"), note="Lengkapi")
    db.session.commit()
    with pytest.raises(ops.ForbiddenTransition, match="tidak dapat dilakukan"):
        ops.withdraw(entry, operator)
    db.session.rollback()
    ops.submit(entry, operator)
    db.session.commit()
    # a stale page is refused
    with pytest.raises(ops.ConflictError):
        ops.withdraw(entry, operator, expected_version=entry.version - 1)
    db.session.rollback()
    ops.approve(entry, get_user("sekcam"))
    db.session.commit()
    with pytest.raises(ops.ForbiddenTransition):
        ops.withdraw(entry, operator)
    db.session.rollback()
    assert entry.state is S.APPROVED


def test_withdraw_is_the_submitting_sections_only(app, office):
    entry = _entry_in(office, S.SUBMITTED)
    for username in ("pmks", "sekcam", "camat", "admin"):
        with pytest.raises(ops.ForbiddenTransition):
            ops.withdraw(entry, get_user(username))
        db.session.rollback()
    assert entry.state is S.SUBMITTED
