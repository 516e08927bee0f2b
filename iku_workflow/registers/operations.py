"""Creating, editing and deleting register rows. Each row owns a WorkflowEntry created with it; edits go
through ``workflow.operations.ensure_editable`` / ``record_edit`` so only drafts and returned rows change,
and only by an operator of the owning section. Which model, kind, section, derived columns and title
a register has comes from its record (``spec.RegisterSpec``). Operations flush and never commit or
roll back; the view commits, or rolls back on a refusal.
"""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit, storage
from ..access import can
from ..capability import registry
from ..extensions import db
from ..models import EntryState, Notification, Office, Section, User, WorkflowAction, WorkflowEvent
from ..workflow import operations as wf
from .spec import RegisterError, RegisterSpec

__all__ = ["RegisterError", "spec_of", "owning_section", "may_create", "title_of", "create_row", "update_row",
           "delete_row"]


def spec_of(register: str) -> RegisterSpec:
    """The installed register with slug ``register`` (KeyError when none)."""
    return registry().registers[register]


#: Register evidence lives in the file store under ``evidence/<row.evidence_file>``.
EVIDENCE_FOLDER = "evidence"


def evidence_key(stored_name: str | None) -> str | None:
    return f"{EVIDENCE_FOLDER}/{stored_name}" if stored_name else None


#: audit action naming an earlier evidence file of a row that is kept (it was submitted for review)
EVIDENCE_KEPT = "registers.evidence_kept"


def was_submitted(entry) -> bool:
    """Whether the entry has ever been submitted for review (its files were then seen by the sekcam)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(WorkflowEvent).where(
        WorkflowEvent.entry_id == entry.id, WorkflowEvent.action == WorkflowAction.SUBMIT)) > 0


def _sha256_of(key: str) -> str | None:
    import hashlib

    digest = hashlib.sha256()
    try:
        with storage.open(key) as download:
            for chunk in download:
                digest.update(chunk)
    except storage.FileMissing:
        return None
    return digest.hexdigest()


def _keep_or_remove(row, user: User, stored_name: str | None, filename: str | None, mime: str | None,
                    reason: str) -> str | None:
    """The one place a row's evidence file leaves: removed after commit if the row was never submitted,
    else kept and named (key + SHA-256) in the audit log, from where the row page lists it. Returns the
    note for the row's history when kept."""
    if not stored_name:
        return None
    key = evidence_key(stored_name)
    if not was_submitted(row.entry):
        storage.remove_after_commit(key)
        return None
    sha256 = _sha256_of(key)
    audit.record(EVIDENCE_KEPT, office_id=row.office_id, user=user, obj=row, entry_id=row.entry.id, key=key,
                 sha256=sha256, filename=filename, mime=mime, reason=reason, state=row.entry.state.value)
    # stored history text, Indonesian like the other notes of the history (not the reader's language)
    return f"Bukti sebelumnya «{filename or stored_name}» disimpan (SHA-256 {sha256 or '-'})."


def kept_evidence(row):
    """Earlier evidence files of ``row`` kept because they were submitted (audit events, oldest first)."""
    from ..models import AuditEvent

    return db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == EVIDENCE_KEPT, AuditEvent.object_type == row.__tablename__,
        AuditEvent.object_id == row.id, AuditEvent.office_id == row.office_id).order_by(AuditEvent.id)).all()


def owning_section(office_id: int, register: str) -> Section | None:
    code = spec_of(register).section
    return db.session.scalar(sa.select(Section).where(Section.office_id == office_id, Section.code == code))


def may_create(user: User, register: str) -> bool:
    """Operators of the owning section create rows (their entries are reviewed by the sekcam)."""
    section = owning_section(user.office_id, register)
    return section is not None and can(user, "entry.edit", SimpleNamespace(office_id=user.office_id,
                                                                           section_id=section.id))


def title_of(row) -> str:
    return registry().register_of(row).title_of(row)


def create_row(office: Office, user: User, register: str, year: int, **fields):
    """A new register row in draft with its workflow entry."""
    spec = spec_of(register)
    if not may_create(user, register):
        raise wf.ForbiddenTransition("Hanya operator seksi penanggung jawab yang dapat menambah data ini.")
    section = owning_section(office.id, register)
    row = spec.model(office_id=office.id, year=year, **fields)
    spec.derive(row)
    spec.before_create(row)
    row.entry = wf.create_entry(office_id=office.id, kind=spec.kind, title=spec.title_of(row), year=row.year,
                                user=user, section_id=section.id)
    db.session.add(row)
    db.session.flush()
    return row


def update_row(row, user: User, *, expected_version: int | None = None, **fields) -> None:
    """Change a draft/returned row (own section only) and note the edit in its history.

    ``expected_version`` is the entry version the form was loaded with: a save from a form older than
    the last change is refused (:class:`wf.ConflictError`) instead of silently replacing it."""
    wf.ensure_editable(row.entry, user)
    wf.ensure_version(row.entry, expected_version)
    spec = registry().register_of(row)
    replaced = row.evidence_file if fields.get("evidence_file") not in (None, row.evidence_file) else None
    old_name, old_mime = row.evidence_filename, row.evidence_mime
    for name, value in fields.items():
        setattr(row, name, value)
    spec.derive(row)
    if row.entry.year != row.year:
        raise RegisterError(_("Tahun data tidak dapat dipindah; hapus dan catat ulang di tahun yang benar."))
    row.entry.title = spec.title_of(row)
    # the file it replaces goes once the change is committed (a rolled-back edit keeps it), unless it
    # was submitted for review: then it stays, named with its hash in the history and the audit log
    kept = _keep_or_remove(row, user, replaced, old_name, old_mime, "replaced")
    wf.record_edit(row.entry, user, "Data diubah." + (f" {kept}" if kept else ""))
    db.session.flush()


def delete_row(row, user: User, *, expected_version: int | None = None) -> str | None:
    """Remove a mistaken row with its workflow entry, the entry's history and notifications.

    Only a draft or returned row goes (what was submitted is being reviewed, what was approved counts and
    must first be reopened by the sekcam), and only by an operator of the owning section or the sekcam
    (``register.delete``). The audit log keeps who deleted what and in which state. Flushes, never
    commits; the evidence file is removed from the file store only once the caller's commit
    succeeded (a rolled-back delete keeps its file). Returns the stored evidence file name.
    """
    entry = row.entry
    if not can(user, "register.delete", entry):
        raise wf.ForbiddenTransition(_("Anda tidak berwenang menghapus data ini."))
    wf.ensure_version(entry, expected_version)
    if entry.state is EntryState.SUBMITTED:
        raise RegisterError(_("Data sedang ditinjau dan tidak dapat dihapus. Minta Sekretaris Camat "
                              "mengembalikannya terlebih dahulu."))
    if entry.state is EntryState.APPROVED:
        raise RegisterError(_("Data yang sudah disetujui tidak dapat dihapus. Sekretaris Camat harus "
                              "membukanya kembali terlebih dahulu."))
    spec = registry().register_of(row)
    evidence_file = row.evidence_file
    submitted = was_submitted(entry)
    sha256 = _sha256_of(evidence_key(evidence_file)) if evidence_file else None
    audit.record(
        "registers.delete", office_id=row.office_id, user=user, obj=row, register=spec.slug, kind=entry.kind,
        entry_id=entry.id, year=row.year, title=spec.title_of(row), state=entry.state.value,
        evidence_filename=row.evidence_filename,
        # a file that was submitted for review is kept, and the audit names it with its hash
        evidence_key=evidence_key(evidence_file) if submitted else None,
        evidence_sha256=sha256 if submitted else None,
        # the row's last values (the file's key and hash too, even when the file goes with the row)
        row={**audit.row_values(row), "evidence_key": evidence_key(evidence_file), "evidence_sha256": sha256},
    )
    # The row points at its entry (ON DELETE RESTRICT): the row goes first, then what hangs off the entry
    # (changes proposed while it was approved, their own entries and history).
    from . import changes

    changes.delete_for_row(row)
    db.session.delete(row)
    db.session.flush()
    db.session.execute(sa.delete(Notification).where(Notification.entry_id == entry.id))
    db.session.execute(sa.delete(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id))
    db.session.expire(entry, ["events"])
    db.session.delete(entry)
    # Someone submitted or changed the entry between our read and the delete (optimistic lock).
    wf.flush_or_conflict(_("Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))
    if not submitted:
        storage.remove_after_commit(evidence_key(evidence_file))
    return evidence_file
