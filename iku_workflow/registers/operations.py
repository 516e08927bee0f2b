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
from ..models import EntryState, Notification, Office, Section, User, WorkflowEvent
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
    for name, value in fields.items():
        setattr(row, name, value)
    spec.derive(row)
    if row.entry.year != row.year:
        raise RegisterError(_("Tahun data tidak dapat dipindah; hapus dan catat ulang di tahun yang benar."))
    row.entry.title = spec.title_of(row)
    wf.record_edit(row.entry, user, "Data diubah.")
    db.session.flush()
    # the file it replaces goes once the change is committed (a rolled-back edit keeps it)
    storage.remove_after_commit(evidence_key(replaced))


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
    audit.record(
        "registers.delete", office_id=row.office_id, user=user, obj=row, register=spec.slug, kind=entry.kind,
        entry_id=entry.id, year=row.year, title=spec.title_of(row), state=entry.state.value,
        evidence_filename=row.evidence_filename,
    )
    # The row points at its entry (ON DELETE RESTRICT): the row goes first, then what hangs off the entry.
    db.session.delete(row)
    db.session.flush()
    db.session.execute(sa.delete(Notification).where(Notification.entry_id == entry.id))
    db.session.execute(sa.delete(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id))
    db.session.expire(entry, ["events"])
    db.session.delete(entry)
    # Someone submitted or changed the entry between our read and the delete (optimistic lock).
    wf.flush_or_conflict(_("Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))
    storage.remove_after_commit(evidence_key(evidence_file))
    return evidence_file
