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
from ..models import (EntryState, Notification, Office, RegisterEvidenceFile, Section, User, WorkflowAction,
                      WorkflowEvent)
from ..storage import uploads
from ..workflow import operations as wf
from .spec import RegisterError, RegisterSpec

__all__ = ["RegisterError", "spec_of", "owning_section", "may_create", "title_of", "create_row", "update_row",
           "delete_row", "add_evidence", "delete_evidence", "evidence_versions", "has_evidence"]


def spec_of(register: str) -> RegisterSpec:
    """The installed register with slug ``register`` (KeyError when none)."""
    return registry().registers[register]


#: Register evidence lives in the file store under ``evidence/<row.evidence_file>``.
EVIDENCE_FOLDER = "evidence"


def evidence_key(stored_name: str | None) -> str | None:
    return f"{EVIDENCE_FOLDER}/{stored_name}" if stored_name else None


#: audit action of the issue-11 register evidence kept after its row changed (before evidence had versions);
#: the events stay in the audit log and migration 0019 made their files versions of their rows
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


# ------------------------------------------------------------------------ evidence versions

def _slug(row) -> str:
    return registry().register_of(row).slug


def evidence_versions(row) -> list[RegisterEvidenceFile]:
    """Every evidence version of ``row``, newest (the current one) first."""
    return list(db.session.scalars(sa.select(RegisterEvidenceFile).where(
        RegisterEvidenceFile.register == _slug(row), RegisterEvidenceFile.row_id == row.id,
        RegisterEvidenceFile.office_id == row.office_id).order_by(RegisterEvidenceFile.version.desc())))


def evidence_version(row, file_id: int) -> RegisterEvidenceFile | None:
    """The version ``file_id`` if it belongs to ``row`` (its register, row and office), else None."""
    item = db.session.get(RegisterEvidenceFile, file_id)
    if item is None or (item.register, item.row_id, item.office_id) != (_slug(row), row.id, row.office_id):
        return None
    return item


def _set_current(row, item: RegisterEvidenceFile | None) -> None:
    """Copy the current version into the row's evidence columns (what lists, measures and exports read)."""
    row.evidence_file = item.stored_name if item else None
    row.evidence_filename = item.filename if item else None
    row.evidence_mime = item.mime if item else None


def add_evidence(row, user: User | None, upload) -> RegisterEvidenceFile:
    """Store ``upload`` as the next evidence version of ``row`` and make it the current one.

    ``upload`` is an accepted upload (``storage.uploads.Checked``) or a request file (``.stream``,
    ``.filename``), which is checked here (``uploads.UploadError`` when refused). The caller has
    checked that the row may change now (``update_row``, or the approval of a change proposal) and
    notes it in the row's history; this records the new file with its SHA-256 in the audit log. The
    file is written now and deleted again if the transaction rolls back. Flushes, never commits."""
    checked = upload if isinstance(upload, uploads.Checked) else uploads.check(upload.stream, upload.filename)
    with checked:
        stored = storage.save(checked.file, storage.new_key(EVIDENCE_FOLDER, suffix="." + checked.extension))
    slug = _slug(row)
    last = db.session.scalar(sa.select(sa.func.max(RegisterEvidenceFile.version)).where(
        RegisterEvidenceFile.register == slug, RegisterEvidenceFile.row_id == row.id)) or 0
    item = RegisterEvidenceFile(
        office_id=row.office_id, register=slug, row_id=row.id, version=last + 1,
        stored_name=stored.key.rsplit("/", 1)[1], filename=checked.name, mime=checked.mime, size=stored.size,
        sha256=stored.sha256, uploaded_by_id=user.id if user else None)
    db.session.add(item)
    _set_current(row, item)
    db.session.flush()
    audit.record("registers.evidence.upload", office_id=row.office_id, user=user, obj=row, register=slug,
                 version=item.version, key=item.key, filename=item.filename, sha256=item.sha256, size=item.size)
    return item


def add_stored_evidence(row, user: User | None, stored_name: str, filename: str, mime: str, *,
                        submitted: bool = False) -> RegisterEvidenceFile:
    """A file already in the store (``evidence/<stored_name>``, e.g. the evidence of an approved change) as the
    next evidence version of ``row`` and its current one; its size and SHA-256 are read from the store.
    Flushes, never commits."""
    key = evidence_key(stored_name)
    sha = _sha256_of(key)
    size = None
    try:
        size = len(storage.read(key))
    except storage.FileMissing:
        pass
    slug = _slug(row)
    last = db.session.scalar(sa.select(sa.func.max(RegisterEvidenceFile.version)).where(
        RegisterEvidenceFile.register == slug, RegisterEvidenceFile.row_id == row.id)) or 0
    item = RegisterEvidenceFile(
        office_id=row.office_id, register=slug, row_id=row.id, version=last + 1, stored_name=stored_name,
        filename=filename[:200], mime=mime[:120], size=size, sha256=sha, uploaded_by_id=user.id if user else None,
        submitted=submitted)
    db.session.add(item)
    _set_current(row, item)
    db.session.flush()
    audit.record("registers.evidence.upload", office_id=row.office_id, user=user, obj=row, register=slug,
                 version=item.version, key=item.key, filename=item.filename, sha256=item.sha256, size=item.size)
    return item


def delete_evidence(row, user: User, file_id: int, *, expected_version: int | None = None) -> RegisterEvidenceFile:
    """Remove a wrongly uploaded version while the row is a draft or returned (its section's operator).

    A version that was ever submitted is refused: the sekcam saw it, it stays (issue 11). The audit log
    names the removed file with its SHA-256; the file leaves the store once the caller commits."""
    wf.ensure_editable(row.entry, user)
    wf.ensure_version(row.entry, expected_version)
    item = evidence_version(row, file_id)
    if item is None:
        raise RegisterError(_("Versi bukti tidak ditemukan pada data ini."))
    if item.submitted:
        raise RegisterError(_("Versi %(n)s sudah pernah diajukan untuk ditinjau dan tidak dapat dihapus; "
                              "unggah versi baru bila perlu.", n=item.version))
    sha256 = item.sha256 or _sha256_of(item.key)
    audit.record("registers.evidence.delete", office_id=row.office_id, user=user, obj=row, register=item.register,
                 version=item.version, key=item.key, filename=item.filename, sha256=sha256, size=item.size)
    wf.record_edit(row.entry, user, f"Bukti versi {item.version} «{item.filename}» dihapus (SHA-256 {sha256 or '-'}).")
    db.session.delete(item)
    db.session.flush()
    _set_current(row, next(iter(evidence_versions(row)), None))
    storage.remove_after_commit(item.key)
    db.session.flush()
    return item


def has_evidence(row) -> bool:
    """Whether the row carries an evidence file now (its current version)."""
    return bool(row.evidence_file)


def mark_submitted(row) -> None:
    """Every version of ``row`` became part of a submission: immutable from now on, and its hash known."""
    for item in evidence_versions(row):
        if item.sha256 is None:  # a file stored before versions existed: hashed now, before anyone reviews it
            item.sha256 = _sha256_of(item.key)
        item.submitted = True
    db.session.flush()


def missing_evidence(row) -> str | None:
    """Why ``row`` may not be submitted yet for lack of evidence (its register's ``evidence_required_when``),
    else None."""
    spec = registry().register_of(row)
    if spec.evidence_required_when is None or has_evidence(row) or not spec.evidence_required_when(row):
        return None
    return _("«%(title)s» menyatakan pekerjaan sudah selesai: unggah berkas buktinya sebelum diajukan.",
             title=spec.title_of(row)[:80])


def evidence_marks(entries) -> dict[int, tuple[bool, bool]]:
    """For the review queue: entry id -> (carries evidence, claims the work done) of register rows and
    required documents (a document's evidence is its files); one query per kind present."""
    from ..models import DocumentFile, RequiredDocument

    by_kind: dict[str, list[int]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.id)
    marks: dict[int, tuple[bool, bool]] = {}
    for spec in registry().registers.values():
        ids = by_kind.get(spec.kind)
        if ids:
            for row in db.session.scalars(sa.select(spec.model).where(spec.model.entry_id.in_(ids))):
                required = spec.evidence_required_when is not None and bool(spec.evidence_required_when(row))
                marks[row.entry_id] = (has_evidence(row), required)
    if by_kind.get("document"):
        counts = db.session.execute(
            sa.select(RequiredDocument.entry_id, sa.func.count(DocumentFile.id))
            .outerjoin(DocumentFile, DocumentFile.document_id == RequiredDocument.id)
            .where(RequiredDocument.entry_id.in_(by_kind["document"])).group_by(RequiredDocument.entry_id))
        marks.update({entry_id: (count > 0, True) for entry_id, count in counts})
    return marks


def row_of_entry(entry):
    """The register row behind a workflow entry (None when the entry is not a register's)."""
    spec = next((s for s in registry().registers.values() if s.kind == entry.kind), None)
    if spec is None:
        return None
    return db.session.scalar(sa.select(spec.model).where(spec.model.entry_id == entry.id))


def submit_guard(entry, action, user) -> str | None:
    """Kind guard: a row that claims the work done is not submitted without its evidence."""
    if action is not WorkflowAction.SUBMIT:
        return None
    row = row_of_entry(entry)
    return missing_evidence(row) if row is not None else None


def submit_hook(entry, action, user) -> None:
    """Kind hook: what was submitted is immutable (its versions are marked submitted)."""
    if action is WorkflowAction.SUBMIT:
        row = row_of_entry(entry)
        if row is not None:
            mark_submitted(row)


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


#: register rows of a triwulan are due this many days after it ends, unless IKU_REGISTER_DUE_DAYS says otherwise
DEFAULT_DUE_DAYS = 10


def register_due_date(spec: RegisterSpec, row):
    """When a row's entry is due: ``IKU_REGISTER_DUE_DAYS`` (default 10) days after the end of the triwulan the
    row is reported in (``spec.triwulan_of``); None for a register without a triwulan (the SAKIP score)."""
    from datetime import date, timedelta

    from flask import current_app

    tw = spec.triwulan_of(row)
    if tw is None or not 1 <= tw <= 4 or not row.year:
        return None
    try:
        days = int(current_app.config.get("IKU_REGISTER_DUE_DAYS", DEFAULT_DUE_DAYS))
    except (TypeError, ValueError):
        days = DEFAULT_DUE_DAYS
    end = date(row.year + 1, 1, 1) - timedelta(days=1) if tw == 4 else date(row.year, 3 * tw + 1, 1) - timedelta(days=1)
    return end + timedelta(days=max(0, min(days, 366)))


def create_row(office: Office, user: User, register: str, year: int, *, evidence=None, **fields):
    """A new register row in draft with its workflow entry (and ``evidence``, an upload, as version 1)."""
    spec = spec_of(register)
    if not may_create(user, register):
        raise wf.ForbiddenTransition("Hanya operator seksi penanggung jawab yang dapat menambah data ini.")
    section = owning_section(office.id, register)
    row = spec.model(office_id=office.id, year=year, **fields)
    spec.derive(row)
    spec.before_create(row)
    row.entry = wf.create_entry(office_id=office.id, kind=spec.kind, title=spec.title_of(row), year=row.year,
                                user=user, section_id=section.id)
    row.entry.due_date = register_due_date(spec, row)
    db.session.add(row)
    db.session.flush()
    if evidence is not None:
        add_evidence(row, user, evidence)
    return row


def update_row(row, user: User, *, expected_version: int | None = None, evidence=None, **fields) -> None:
    """Change a draft/returned row (own section only) and note the edit in its history.

    ``expected_version`` is the entry version the form was loaded with: a save from a form older than
    the last change is refused (:class:`wf.ConflictError`) instead of silently replacing it.
    ``evidence`` (an upload) becomes the row's next evidence version; the earlier ones stay listed."""
    wf.ensure_editable(row.entry, user)
    wf.ensure_version(row.entry, expected_version)
    spec = registry().register_of(row)
    for name in ("evidence_file", "evidence_filename", "evidence_mime"):
        fields.pop(name, None)  # the current version decides these (add_evidence / delete_evidence)
    for name, value in fields.items():
        setattr(row, name, value)
    spec.derive(row)
    if row.entry.year != row.year:
        raise RegisterError(_("Tahun data tidak dapat dipindah; hapus dan catat ulang di tahun yang benar."))
    row.entry.title = spec.title_of(row)
    row.entry.due_date = register_due_date(spec, row)
    note = "Data diubah."
    if evidence is not None:
        item = add_evidence(row, user, evidence)
        note += f" Bukti diunggah: {item.filename} (versi {item.version})."
    wf.record_edit(row.entry, user, note)
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
    versions = evidence_versions(row)
    # a file counts as submitted by its version's flag; a current file without a version row (stored
    # before versions existed) by whether the entry was ever submitted
    current = next((v for v in versions if v.stored_name == evidence_file), None)
    submitted = current.submitted if current is not None else was_submitted(entry)
    sha256 = (current.sha256 if current is not None and current.sha256 else
              _sha256_of(evidence_key(evidence_file)) if evidence_file else None)
    audit.record(
        "registers.delete", office_id=row.office_id, user=user, obj=row, register=spec.slug, kind=entry.kind,
        entry_id=entry.id, year=row.year, title=spec.title_of(row), state=entry.state.value,
        evidence_filename=row.evidence_filename,
        # a file that was submitted for review is kept, and the audit names it with its hash
        evidence_key=evidence_key(evidence_file) if submitted else None,
        evidence_sha256=sha256 if submitted else None,
        # the row's last values (the file's key and hash too, even when the file goes with the row)
        row={**audit.row_values(row), "evidence_key": evidence_key(evidence_file), "evidence_sha256": sha256},
        # every version: the submitted ones stay in the store (named here), the others go with the row
        evidence_versions=[{"version": v.version, "key": v.key, "filename": v.filename, "submitted": v.submitted,
                            "sha256": v.sha256 or _sha256_of(v.key)} for v in versions],
    )
    for item in versions:
        if not item.submitted:
            storage.remove_after_commit(item.key)
        db.session.delete(item)
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
    if evidence_file and current is None and not submitted:
        storage.remove_after_commit(evidence_key(evidence_file))
    return evidence_file


def approved_without_evidence(office_id: int, year: int) -> dict[int, tuple[str, int]]:
    """IKU number -> (register title, how many approved rows of the year carry neither an evidence file nor
    a note of where the proof is kept): a number the overview flags as deserving doubt."""
    from ..models import WorkflowEntry

    out: dict[int, tuple[str, int]] = {}
    for reg in registry().registers.values():
        model = reg.model
        n = db.session.scalar(
            sa.select(sa.func.count(model.id)).join(WorkflowEntry, WorkflowEntry.id == model.entry_id)
            .where(model.office_id == office_id, model.year == year, WorkflowEntry.state == EntryState.APPROVED,
                   model.evidence_file.is_(None), sa.func.trim(sa.func.coalesce(model.evidence_note, "")) == ""))
        if n:
            out[reg.iku] = (str(reg.title), n)
    return out
