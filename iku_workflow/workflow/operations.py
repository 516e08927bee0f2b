"""Every change of a workflow entry's state happens here, and only here.

Each operation checks that the transition is allowed for the actor (``TRANSITIONS`` + ``access.can``),
sets the new state, flushes (optimistic locking turns a concurrent change into ConflictError),
writes the history (WorkflowEvent), the audit log and the notifications. Operations flush and never
commit or roll back: the caller commits once, or rolls back (all of its work, or a savepoint) on a
refusal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from flask_babel import gettext as _

from .. import audit
from ..access import can
from ..extensions import db
from ..models import EntryState, Role, User, WorkflowAction, WorkflowEntry, WorkflowEvent
from ..models._types import utcnow
from . import kinds, notify

S, A = EntryState, WorkflowAction

# (from state, action) -> to state. Anything not listed is refused.
TRANSITIONS: dict[tuple[EntryState, WorkflowAction], EntryState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.APPROVED, A.REOPEN): S.RETURNED,
    # the submitting section takes a submission back before it is reviewed
    (S.SUBMITTED, A.WITHDRAW): S.DRAFT,
}

# action -> permission checked with access.can on the entry
PERMISSION = {
    A.SUBMIT: "entry.submit",
    A.APPROVE: "entry.review",
    A.RETURN: "entry.review",
    A.REOPEN: "entry.reopen",
    A.EDIT: "entry.edit",
    A.WITHDRAW: "entry.submit",
}


class WorkflowError(Exception):
    """A refused workflow step; ``str(exc)`` is the Indonesian message for the user."""


class ForbiddenTransition(WorkflowError):
    pass


class ConflictError(WorkflowError):
    pass


def allowed_actions(entry: WorkflowEntry, user: User) -> list[WorkflowAction]:
    """The transitions ``user`` may apply to ``entry`` now (for showing buttons)."""
    out = []
    for (from_state, action), _to in TRANSITIONS.items():
        if from_state is entry.state and _permitted(entry, user, action) is None:
            if action in (A.SUBMIT, A.WITHDRAW) and kinds.submit_elsewhere(entry):
                continue  # e.g. an SKM result is submitted by closing its period
            out.append(action)
    return out


def _permitted(entry: WorkflowEntry, user: User, action: WorkflowAction) -> str | None:
    """None when allowed, else the reason.

    One rule for every kind: nobody approves or returns an entry they submitted themselves. Who reviews
    is decided by who submitted (``access._reviews``): the sekcam, or the Camat for what a sekcam
    submitted (an SKM result the sekcam closed).
    """
    if action in (A.APPROVE, A.RETURN) and can(user, PERMISSION[action]):
        submitter = entry.submitter
        if submitter is not None and submitter.id == user.id:
            if user.role is Role.SEKCAM:
                return _("Anda tidak dapat meninjau data yang Anda ajukan sendiri. Data yang diajukan Sekretaris "
                         "Camat ditinjau oleh Camat.")
            return _("Anda tidak dapat meninjau data yang Anda ajukan sendiri.")
        if not can(user, PERMISSION[action], entry):
            if submitter is not None and submitter.role is Role.SEKCAM:
                return _("Data ini diajukan oleh Sekretaris Camat; yang meninjaunya Camat.")
            return _("Data ini ditinjau oleh Sekretaris Camat.")
    if not can(user, PERMISSION[action], entry):
        if user.role is Role.SEKSI and action in (A.SUBMIT, A.EDIT):
            return _("Anda hanya dapat mengajukan data seksi Anda sendiri.")
        return _("Anda tidak berwenang melakukan tindakan ini.")
    return None


def ensure_version(entry: WorkflowEntry, expected_version: int | None) -> None:
    """Raise ConflictError when ``entry`` changed since the page that showed ``expected_version``."""
    if expected_version is not None and int(expected_version) != entry.version:
        raise ConflictError(
            _("Data ini sudah diubah oleh pengguna lain sejak halaman Anda dibuka. Muat ulang halaman untuk melihat keadaan terbaru.")
        )


def flush_or_conflict(message: str) -> None:
    """Flush; a concurrent change of a versioned row (StaleDataError) becomes ``ConflictError(message)``.

    The session is not rolled back here: it cannot be used until the caller rolls back (its whole
    transaction, or the savepoint it opened around this operation).
    """
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(message) from exc


def _check(entry: WorkflowEntry, user: User, action: WorkflowAction, expected_version: int | None) -> EntryState:
    ensure_version(entry, expected_version)
    target = TRANSITIONS.get((entry.state, action))
    if target is None:
        raise ForbiddenTransition(
            _("Tindakan '%(action)s' tidak dapat dilakukan pada data berstatus '%(state)s'.", action=action.label, state=entry.state.label)
        )
    reason = _permitted(entry, user, action) \
        or (action in (A.SUBMIT, A.WITHDRAW) and kinds.submit_elsewhere(entry)) \
        or kinds.refusal(entry, action, user)
    if reason:
        raise ForbiddenTransition(str(reason))
    return target


def _apply(
    entry: WorkflowEntry, user: User, action: WorkflowAction, target: EntryState, note: str | None,
    *, notify_each: bool = True,
) -> WorkflowEvent:
    before = entry.state
    now = utcnow()
    entry.state = target
    if action is A.SUBMIT:
        # the relationship, not only the id, so ``entry.submitter`` is right within this transaction
        # (a view may pass Flask-Login's proxy: store the user object behind it)
        entry.submitted_by = getattr(user, "_get_current_object", lambda: user)()
        entry.submitted_at = now
        entry.decided_by_id = entry.decided_at = None
    elif action in (A.APPROVE, A.RETURN):
        entry.decided_by_id, entry.decided_at = user.id, now
    elif action is A.REOPEN:
        entry.decided_by_id, entry.decided_at = user.id, now
    elif action is A.WITHDRAW:
        # back to a draft nobody has submitted (the history keeps who submitted and withdrew it)
        entry.submitted_by = None
        entry.submitted_at = None
    if note is not None or action in (A.RETURN, A.REOPEN):
        entry.last_note = note
    flush_or_conflict(
        _("Data ini baru saja ditinjau atau diubah oleh pengguna lain. Tindakan Anda tidak diterapkan; muat ulang halaman."))
    event = WorkflowEvent(
        entry_id=entry.id, office_id=entry.office_id, actor_id=user.id, action=action,
        from_state=before, to_state=target, note=note,
    )
    db.session.add(event)
    audit.record(
        f"workflow.{action.value}", office_id=entry.office_id, user=user, obj=entry,
        kind=entry.kind, title=entry.title, from_state=before.value, to_state=target.value, note=note,
    )
    kinds.after_transition(entry, action, user)
    if notify_each:  # a batch (submit-all) sends one notification for all its entries instead
        notify.after_transition(entry, action, user)
    if action in (A.APPROVE, A.RETURN):
        notify.mark_read(user, [entry.id])  # what the reviewer was told about is dealt with
    db.session.flush()
    return event


def create_entry(
    *, office_id: int, kind: str, title: str, year: int, user: User | None, section_id: int | None = None,
    due_date: date | None = None,
) -> WorkflowEntry:
    """A new entry in draft; the caller links it to the thing it reviews."""
    entry = WorkflowEntry(
        office_id=office_id, section_id=section_id, kind=kind, title=title[:255], year=year,
        due_date=due_date, created_by_id=user.id if user else None,
    )
    db.session.add(entry)
    db.session.flush()
    db.session.add(WorkflowEvent(
        entry_id=entry.id, office_id=office_id, actor_id=user.id if user else None,
        action=A.CREATE, from_state=None, to_state=EntryState.DRAFT,
    ))
    return entry


def ensure_editable(entry: WorkflowEntry, user: User) -> None:
    """Raise unless ``user`` may change the content behind ``entry`` now (draft or returned, own section)."""
    if entry.is_locked:
        raise ForbiddenTransition("Data yang sudah disetujui terkunci. Minta Sekretaris Camat membukanya kembali.")
    if entry.state is EntryState.SUBMITTED:
        raise ForbiddenTransition("Data sedang ditinjau dan tidak dapat diubah sampai dikembalikan.")
    reason = _permitted(entry, user, A.EDIT)
    if reason:
        raise ForbiddenTransition(reason)


def record_edit(entry: WorkflowEntry, user: User, note: str | None = None) -> None:
    """Note in the history that the content changed (e.g. a new file version), bumping the version."""
    ensure_editable(entry, user)
    entry.updated_at = utcnow()
    flush_or_conflict(_("Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))
    db.session.add(WorkflowEvent(
        entry_id=entry.id, office_id=entry.office_id, actor_id=user.id, action=A.EDIT,
        from_state=entry.state, to_state=entry.state, note=note,
    ))


def submit(entry: WorkflowEntry, user: User, *, note: str | None = None, expected_version: int | None = None,
           in_batch: bool = False) -> WorkflowEvent:
    """Submit ``entry``; ``in_batch``: part of a batch whose caller notifies once (``notify.after_batch``)."""
    target = _check(entry, user, A.SUBMIT, expected_version)
    return _apply(entry, user, A.SUBMIT, target, (note or "").strip() or None, notify_each=not in_batch)


def submit_result(entry: WorkflowEntry, actor: User, *, note: str) -> WorkflowEvent:
    """Submit a result the app computed when ``actor`` closed its collection (an SKM period).

    ``actor`` is its submitter like anyone who submits, so the self-review rule holds for it too: the
    sekcam who closes a period does not approve its result (the Camat does), an operator's or the
    admin's closing goes to the sekcam. The caller checks that ``actor`` may close (``survey.close``);
    the kind's own guards still apply.
    """
    target = TRANSITIONS.get((entry.state, A.SUBMIT))
    if target is None:
        raise ForbiddenTransition(
            _("Tindakan '%(action)s' tidak dapat dilakukan pada data berstatus '%(state)s'.", action=A.SUBMIT.label, state=entry.state.label)
        )
    reason = kinds.refusal(entry, A.SUBMIT, actor)
    if reason:
        raise ForbiddenTransition(reason)
    return _apply(entry, actor, A.SUBMIT, target, (note or "").strip() or None)


def approve(entry: WorkflowEntry, user: User, *, note: str | None = None, expected_version: int | None = None) -> WorkflowEvent:
    target = _check(entry, user, A.APPROVE, expected_version)
    return _apply(entry, user, A.APPROVE, target, (note or "").strip() or None)


def return_for_revision(entry: WorkflowEntry, user: User, *, note: str, expected_version: int | None = None) -> WorkflowEvent:
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Catatan wajib diisi saat mengembalikan data untuk diperbaiki."))
    target = _check(entry, user, A.RETURN, expected_version)
    return _apply(entry, user, A.RETURN, target, note)


def reopen(entry: WorkflowEntry, user: User, *, reason: str, expected_version: int | None = None) -> WorkflowEvent:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Alasan wajib diisi untuk membuka kembali data yang sudah disetujui."))
    target = _check(entry, user, A.REOPEN, expected_version)
    return _apply(entry, user, A.REOPEN, target, reason)


def withdraw(entry: WorkflowEntry, user: User, *, note: str | None = None, expected_version: int | None = None) -> WorkflowEvent:
    """Take a submission back before it is reviewed (submitted -> draft), by the submitting section."""
    target = _check(entry, user, A.WITHDRAW, expected_version)
    return _apply(entry, user, A.WITHDRAW, target, (note or "").strip() or None)


OPERATIONS = {A.SUBMIT: submit, A.APPROVE: approve, A.RETURN: return_for_revision, A.REOPEN: reopen,
              A.WITHDRAW: withdraw}


def apply_action(entry: WorkflowEntry, user: User, action: WorkflowAction, note: str | None, expected_version: int | None):
    """Dispatch used by the generic transition view."""
    if action is A.RETURN:
        return return_for_revision(entry, user, note=note or "", expected_version=expected_version)
    if action is A.REOPEN:
        return reopen(entry, user, reason=note or "", expected_version=expected_version)
    return OPERATIONS[action](entry, user, note=note, expected_version=expected_version)


def effective_submitter_id():
    """SQL of who submitted an entry for the review under way, as ``WorkflowEntry.submitter`` reads it:
    ``submitted_by_id``, else the actor of the entry's last submission in the history (a result an older
    version submitted "as the system")."""
    last_submit = (sa.select(WorkflowEvent.actor_id)
                   .where(WorkflowEvent.entry_id == WorkflowEntry.id, WorkflowEvent.action == A.SUBMIT)
                   .order_by(WorkflowEvent.id.desc()).limit(1).correlate(WorkflowEntry).scalar_subquery())
    return sa.case((WorkflowEntry.submitted_by_id.is_not(None), WorkflowEntry.submitted_by_id), else_=last_submit)


def review_queue(user: User) -> sa.Select:
    """SELECT of the submitted entries of ``user``'s office that ``user`` reviews (by the submitter's role).

    The sekcam reviews what anyone but a sekcam submitted, never their own; the Camat what a sekcam
    submitted; other roles review nothing. The same rule as ``access._reviews``, in SQL, so a page of
    the queue is a page of what the user reviews.
    """
    submitter = aliased(User)
    query = (sa.select(WorkflowEntry).outerjoin(submitter, submitter.id == effective_submitter_id())
             .where(WorkflowEntry.office_id == user.office_id, WorkflowEntry.state == EntryState.SUBMITTED))
    if user.role is Role.CAMAT:
        return query.where(submitter.role == Role.SEKCAM, submitter.id != user.id)
    if user.role is Role.SEKCAM:
        return query.where(sa.or_(submitter.id.is_(None), sa.and_(submitter.role != Role.SEKCAM,
                                                                  submitter.id != user.id)))
    return query.where(sa.false())


class UnknownEntries(LookupError):
    """A batch named an entry that does not exist or is another office's (the view answers 404)."""


@dataclass
class BatchResult:
    done: list[WorkflowEntry] = field(default_factory=list)
    refused: list[tuple[WorkflowEntry, str]] = field(default_factory=list)


def _refusal_in_batch(entry: WorkflowEntry, user: User, action: WorkflowAction, expected_version: int | None) -> str | None:
    """Why ``entry`` is left out of a batch (a short reason that follows its title), or None."""
    if expected_version is not None and expected_version != entry.version:
        return _("sudah diubah")
    if TRANSITIONS.get((entry.state, action)) is None:
        return _("tidak lagi menunggu tinjauan")
    submitter = entry.submitter
    if submitter is not None and submitter.id == user.id:
        return _("Anda sendiri yang mengajukan")
    if not can(user, PERMISSION[action], entry):
        return _("bukan tinjauan Anda")
    reason = kinds.refusal(entry, action, user)
    return str(reason) if reason else None


def review_many(user: User, action: WorkflowAction, selection: dict[int, int], *, note: str | None = None) -> BatchResult:
    """Approve or return many entries in one step (the queue's "select many").

    ``selection`` maps entry id -> the version the reviewer saw. Every entry is checked as the single step
    checks it (its state, self-review, who reviews it, the kind's guards, the version seen): those that
    pass are applied, the others are named with the reason. An id of another office (or none) refuses
    the whole batch (``UnknownEntries``) before anything changes. Entries, submitters and the audit chain
    are read once for the batch, the changes written in a few statements whatever its size.
    """
    if action not in (A.APPROVE, A.RETURN):
        raise ValueError(action)
    note = (note or "").strip() or None
    if action is A.RETURN and not note:
        raise WorkflowError(_("Catatan wajib diisi saat mengembalikan data untuk diperbaiki."))
    if not selection:
        raise WorkflowError(_("Pilih minimal satu data."))
    entries = db.session.scalars(
        sa.select(WorkflowEntry).where(WorkflowEntry.id.in_(list(selection)))
        .options(selectinload(WorkflowEntry.submitted_by)).order_by(WorkflowEntry.submitted_at, WorkflowEntry.id)
    ).all()
    if len(entries) != len(selection) or any(e.office_id != user.office_id for e in entries):
        raise UnknownEntries()
    result = BatchResult()
    for entry in entries:
        reason = _refusal_in_batch(entry, user, action, selection[entry.id])
        if reason:
            result.refused.append((entry, reason))
        else:
            result.done.append(entry)
    if not result.done:
        return result
    target = TRANSITIONS[(EntryState.SUBMITTED, action)]
    now = utcnow()
    before = {e.id: e.state for e in result.done}
    # One UPDATE for the batch, each row only at the version the reviewer saw (the ORM would send one
    # UPDATE per versioned row): fewer rows changed means someone changed one meanwhile.
    values = dict(state=target, decided_by_id=user.id, decided_at=now, updated_at=now,
                  version=WorkflowEntry.__table__.c.version + 1)
    if note is not None or action is A.RETURN:
        values["last_note"] = note
    table = WorkflowEntry.__table__
    changed = db.session.execute(
        sa.update(table).where(sa.tuple_(table.c.id, table.c.version).in_([(e.id, e.version) for e in result.done]),
                               table.c.state == EntryState.SUBMITTED).values(**values)
    ).rowcount
    if changed != len(result.done):
        raise ConflictError(
            _("Sebagian data baru saja ditinjau atau diubah oleh pengguna lain. Tidak ada yang diterapkan; muat ulang halaman."))
    for entry in result.done:  # the objects in memory as the database now holds them
        for key, value in dict(values, version=entry.version + 1).items():
            set_committed_value(entry, key, value)
    db.session.execute(sa.insert(WorkflowEvent), [
        dict(entry_id=e.id, office_id=e.office_id, actor_id=user.id, action=action, from_state=before[e.id],
             to_state=target, note=note, created_at=now) for e in result.done])
    audit.record_many(f"workflow.{action.value}", result.done, office_id=user.office_id, user=user,
                      details=lambda e: dict(kind=e.kind, title=e.title, from_state=before[e.id].value,
                                             to_state=target.value, note=note, batch=True))
    for entry in result.done:
        kinds.after_transition(entry, action, user)
    notify.after_batch(result.done, action, user)
    notify.mark_read(user, [e.id for e in result.done])
    db.session.flush()
    return result


def approved_entries(office_id: int, kind: str, year: int) -> sa.Select:
    """SELECT of the approved entries of a kind and year (what counts)."""
    return sa.select(WorkflowEntry).where(
        WorkflowEntry.office_id == office_id, WorkflowEntry.kind == kind,
        WorkflowEntry.year == year, WorkflowEntry.state == EntryState.APPROVED,
    )
