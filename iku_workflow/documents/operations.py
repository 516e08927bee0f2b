"""Every change to required documents and their files happens here (views only call these).

Operations flush; the request commits once. Review steps (submit, approve, return, reopen) are the
workflow's own operations; an upload is recorded on the entry's history with ``record_edit``.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import BinaryIO, Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit, storage
from ..extensions import db
from ..models import DocumentFile, DocumentGroup, DocumentType, EntryState, Office, RequiredDocument, Section, User
from ..storage import uploads
from ..workflow import operations as workflow
from .catalogue import CATALOGUE

KIND = "document"


class DocumentError(ValueError):
    """A refused change; ``str(exc)`` is the Indonesian message."""


def ensure_catalogue(office: Office) -> int:
    """Add the decree's document types the office lacks (by code); return how many were added."""
    existing = set(db.session.scalars(sa.select(DocumentType.code).where(DocumentType.office_id == office.id)))
    added = 0
    for position, (code, name, group, _section, _due) in enumerate(CATALOGUE):
        if code not in existing:
            db.session.add(DocumentType(office_id=office.id, code=code, name=name, group=group, position=position))
            added += 1
    db.session.flush()
    return added


def _title(doc_type: DocumentType, year: int) -> str:
    return f"{doc_type.name} {year}"


def add_requirement(
    *, office_id: int, year: int, doc_type: DocumentType, section: Section, due_date: date | None,
    description: str = "", user: User | None,
) -> RequiredDocument:
    if doc_type.office_id != office_id or section.office_id != office_id:
        raise DocumentError(_("Jenis dokumen atau seksi bukan milik kantor ini."))
    exists = db.session.scalar(sa.select(RequiredDocument.id).where(
        RequiredDocument.office_id == office_id, RequiredDocument.year == year, RequiredDocument.type_id == doc_type.id))
    if exists:
        raise DocumentError(_("«%(name)s» sudah ada dalam daftar dokumen wajib tahun %(year)s.", name=doc_type.name, year=year))
    entry = workflow.create_entry(office_id=office_id, kind=KIND, title=_title(doc_type, year), year=year,
                                  user=user, section_id=section.id, due_date=due_date)
    doc = RequiredDocument(office_id=office_id, year=year, type_id=doc_type.id, entry_id=entry.id,
                           description=(description or "").strip())
    db.session.add(doc)
    db.session.flush()
    audit.record("documents.requirement.add", office_id=office_id, user=user, obj=doc, year=year,
                 type=doc_type.code, section=section.code, due_date=due_date.isoformat() if due_date else None)
    return doc


def update_requirement(doc: RequiredDocument, *, section: Section, due_date: date | None, description: str,
                       user: User) -> None:
    if section.office_id != doc.office_id:
        raise DocumentError(_("Seksi bukan milik kantor ini."))
    before = {"section": doc.entry.section.code if doc.entry.section else None,
              "due_date": doc.entry.due_date.isoformat() if doc.entry.due_date else None}
    doc.entry.section_id = section.id
    doc.entry.due_date = due_date
    doc.description = (description or "").strip()
    db.session.flush()
    audit.record("documents.requirement.update", office_id=doc.office_id, user=user, obj=doc, before=before,
                 section=section.code, due_date=due_date.isoformat() if due_date else None)


def remove_requirement(doc: RequiredDocument, user: User) -> None:
    """Remove a required document that has no files and was never submitted (evidence is never lost)."""
    if doc.files:
        raise DocumentError(_("«%(name)s» sudah memiliki berkas unggahan dan tidak dapat dihapus dari daftar.", name=doc.type.name))
    if doc.entry.state is not EntryState.DRAFT or doc.entry.submitted_at is not None:
        raise DocumentError(_("«%(name)s» sudah pernah diajukan dan tidak dapat dihapus dari daftar.", name=doc.type.name))
    audit.record("documents.requirement.remove", office_id=doc.office_id, user=user, obj=doc, year=doc.year,
                 type=doc.type.code, row=audit.row_values(doc),
                 entry={**audit.row_values(doc.entry), "section": doc.entry.section.code if doc.entry.section else None})
    entry = doc.entry
    db.session.delete(doc)
    db.session.flush()
    db.session.delete(entry)
    db.session.flush()


def copy_from_year(*, office_id: int, from_year: int, to_year: int, user: User) -> tuple[int, int]:
    """Copy last year's list (type, section, description, due date moved to ``to_year``).

    Types already required in ``to_year`` are skipped. Returns (copied, skipped).
    """
    source = db.session.scalars(sa.select(RequiredDocument).where(
        RequiredDocument.office_id == office_id, RequiredDocument.year == from_year)).all()
    present = set(db.session.scalars(sa.select(RequiredDocument.type_id).where(
        RequiredDocument.office_id == office_id, RequiredDocument.year == to_year)))
    copied = skipped = 0
    for old in source:
        if old.type_id in present or old.entry.section is None:
            skipped += 1
            continue
        due = _shift_year(old.entry.due_date, to_year)
        add_requirement(office_id=office_id, year=to_year, doc_type=old.type, section=old.entry.section,
                        due_date=due, description=old.description, user=user)
        copied += 1
    audit.record("documents.requirement.copy", office_id=office_id, user=user, from_year=from_year,
                 to_year=to_year, copied=copied, skipped=skipped)
    return copied, skipped


def _shift_year(day: date | None, year: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February into a common year
        return day.replace(year=year, day=28)


def file_key(item: DocumentFile) -> str:
    """Where a file version is in the file store: ``<office_code>/<year>/<stored_name>``."""
    return f"{item.relative_dir}/{item.stored_name}"


def upload_files(
    doc: RequiredDocument, user: User, files: Iterable[tuple[BinaryIO, str | None]], *, description: str,
    max_bytes: int | None = None,
) -> list[DocumentFile]:
    """Store one or more new file versions of ``doc`` (returned, in version order).

    Every file is checked by the upload policy (``storage.uploads``: size, type by content, zip
    checks) before any is kept; then each is written to the file store and its row flushed. On any
    error the exception propagates and the caller rolls back, which also deletes the files written
    (``storage.transaction``); the caller commits, and a failed commit is undone the same way.
    """
    entry = doc.entry
    workflow.ensure_editable(entry, user)
    files = list(files)
    if not files:
        raise uploads.UploadError(_("Pilih minimal satu berkas untuk diunggah."), "none")
    relative_dir = f"{_office_code(doc.office_id)}/{doc.year}"
    checked: list[uploads.Checked] = []
    try:
        for stream, name in files:
            checked.append(uploads.check(stream, name, max_bytes=max_bytes))
        last = db.session.scalar(sa.select(sa.func.max(DocumentFile.version)).where(DocumentFile.document_id == doc.id)) or 0
        rows = []
        for number, item in enumerate(checked, start=last + 1):
            stored = storage.save(item.file, storage.new_key(relative_dir))
            row = DocumentFile(
                office_id=doc.office_id, document_id=doc.id, version=number, original_name=item.name,
                stored_name=stored.key.rsplit("/", 1)[1], relative_dir=relative_dir, size=stored.size,
                sha256=stored.sha256, mime=item.mime, extension=item.extension,
                description=(description or "").strip(), uploaded_by_id=user.id,
            )
            db.session.add(row)
            rows.append(row)
        workflow.record_edit(entry, user, "Berkas diunggah: " + ", ".join(
            f"{row.original_name} (versi {row.version})" for row in rows))
        audit.record("documents.upload", office_id=doc.office_id, user=user, obj=doc,
                     files=[{"name": row.original_name, "sha256": row.sha256, "size": row.size} for row in rows])
        db.session.flush()
    finally:
        for item in checked:
            item.close()
    return rows


def was_submitted(item: DocumentFile) -> bool:
    """Whether the file version was part of a submission (a "submit" of its entry after its upload):
    the sekcam saw it, and it is never removed (issue 11)."""
    from ..models import WorkflowAction, WorkflowEvent

    return db.session.scalar(sa.select(sa.func.count()).select_from(WorkflowEvent).where(
        WorkflowEvent.entry_id == item.document.entry_id, WorkflowEvent.action == WorkflowAction.SUBMIT,
        WorkflowEvent.created_at >= item.uploaded_at)) > 0


def delete_file(doc: RequiredDocument, user: User, file_id: int, *, expected_version: int | None = None) -> DocumentFile:
    """Remove a wrongly uploaded version while the document is a draft or returned (its section's operator).

    A version that was ever submitted is refused (it stays, issue 11). The history and the audit log name
    the removed file with its SHA-256; the file leaves the store once the caller commits."""
    workflow.ensure_editable(doc.entry, user)
    workflow.ensure_version(doc.entry, expected_version)
    item = db.session.get(DocumentFile, file_id)
    if item is None or item.document_id != doc.id or item.office_id != doc.office_id:
        raise DocumentError(_("Versi berkas tidak ditemukan pada dokumen ini."))
    if was_submitted(item):
        raise DocumentError(_("Versi %(n)s sudah pernah diajukan untuk ditinjau dan tidak dapat dihapus; "
                              "unggah versi baru bila perlu.", n=item.version))
    audit.record("documents.file.delete", office_id=doc.office_id, user=user, obj=doc, version=item.version,
                 key=file_key(item), name=item.original_name, sha256=item.sha256, size=item.size)
    workflow.record_edit(doc.entry, user, f"Berkas versi {item.version} «{item.original_name}» dihapus "
                                          f"(SHA-256 {item.sha256}).")
    storage.remove_after_commit(file_key(item))
    db.session.delete(item)
    db.session.flush()
    db.session.expire(doc, ["files"])
    return item


def _office_code(office_id: int) -> str:
    return db.session.scalar(sa.select(Office.code).where(Office.id == office_id))


# ------------------------------------------------------------------ the office's own document types

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")


class DocumentTypeError(DocumentError):
    """Refused input of one field of a document type; ``field`` names it (shown next to that field)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def code_from_name(name: str) -> str:
    """A code made from a name: "Laporan Kinerja (LKj) 2025" -> "laporan_kinerja_lkj_2025" (at most 40 characters)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:40].strip("_")
    return code or "dokumen"


def _codes(office_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(DocumentType.code).where(DocumentType.office_id == office_id)))


def _check_name(office_id: int, name: str, own_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DocumentTypeError("name", _("Wajib diisi."))
    if len(name) > 160:
        raise DocumentTypeError("name", _("Paling panjang 160 karakter."))
    clash = db.session.scalar(sa.select(DocumentType.id).where(
        DocumentType.office_id == office_id, sa.func.lower(DocumentType.name) == name.lower(),
        DocumentType.id != (own_id or 0)))
    if clash:
        raise DocumentTypeError("name", _("Jenis dokumen «%(name)s» sudah ada.", name=name))
    return name


def create_document_type(office: Office, user: User | None, *, name: str, group: DocumentGroup | str,
                         code: str | None = None) -> DocumentType:
    """Add a document type to the office's catalogue (callable without a request; the caller commits).

    ``code`` (lower-case letters, digits, "_") is made from the name when not given, with "_2", "_3" …
    when the office already has it; a typed code that is taken is refused (`DocumentTypeError`).
    """
    name = _check_name(office.id, name)
    try:
        group = DocumentGroup(group)
    except ValueError:
        raise DocumentTypeError("group", _("Pilih kelompok dokumen.")) from None
    taken = _codes(office.id)
    if code and code.strip():
        code = code.strip().lower()
        if not CODE_PATTERN.match(code):
            raise DocumentTypeError("code", _("Kode hanya huruf kecil, angka dan garis bawah (_), paling panjang 40, "
                                              "mis. laporan_lkj."))
        if code in taken:
            raise DocumentTypeError("code", _("Kode «%(code)s» sudah dipakai jenis dokumen lain.", code=code))
    else:
        base = code_from_name(name)
        code, suffix = base, 2
        while code in taken:
            tail = f"_{suffix}"
            code, suffix = base[:40 - len(tail)] + tail, suffix + 1
    position = (db.session.scalar(sa.select(sa.func.max(DocumentType.position))
                                  .where(DocumentType.office_id == office.id)) or 0) + 1
    doc_type = DocumentType(office_id=office.id, code=code, name=name, group=group, position=position, active=True)
    db.session.add(doc_type)
    db.session.flush()
    audit.record("documents.type.create", office_id=office.id, user=user, obj=doc_type, code=code, name=name,
                 group=group.value)
    return doc_type


def update_document_type(doc_type: DocumentType, user: User | None, *, name: str,
                         group: DocumentGroup | str) -> bool:
    """Rename a type or move it to another group (its code stays: other parts find it by code)."""
    name = _check_name(doc_type.office_id, name, doc_type.id)
    try:
        group = DocumentGroup(group)
    except ValueError:
        raise DocumentTypeError("group", _("Pilih kelompok dokumen.")) from None
    before = {"name": doc_type.name, "group": doc_type.group.value}
    if before == {"name": name, "group": group.value}:
        return False
    doc_type.name, doc_type.group = name, group
    db.session.flush()
    audit.record("documents.type.update", office_id=doc_type.office_id, user=user, obj=doc_type, code=doc_type.code,
                 before=before, name=name, group=group.value)
    return True


def set_document_type_active(doc_type: DocumentType, user: User | None, active: bool) -> bool:
    """Deactivate a type (no longer offered for a year's list; years that require it keep it) or activate it."""
    if doc_type.active is bool(active):
        return False
    doc_type.active = bool(active)
    db.session.flush()
    audit.record("documents.type.activate" if active else "documents.type.deactivate", office_id=doc_type.office_id,
                 user=user, obj=doc_type, code=doc_type.code, name=doc_type.name)
    return True


def type_uses(doc_type: DocumentType) -> int:
    """How many required documents (of any year) are of this type."""
    return db.session.scalar(sa.select(sa.func.count(RequiredDocument.id)).where(
        RequiredDocument.type_id == doc_type.id)) or 0


def delete_document_type(doc_type: DocumentType, user: User | None) -> None:
    """Delete a type no year requires; one in use is refused (deactivate it instead)."""
    uses = type_uses(doc_type)
    if uses:
        raise DocumentError(_("«%(name)s» dipakai %(n)s dokumen wajib dan tidak dapat dihapus; nonaktifkan saja.",
                              name=doc_type.name, n=uses))
    audit.record("documents.type.delete", office_id=doc_type.office_id, user=user, obj=doc_type, code=doc_type.code,
                 row=audit.row_values(doc_type))
    db.session.delete(doc_type)
    db.session.flush()
