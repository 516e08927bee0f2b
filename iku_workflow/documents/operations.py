"""Every change to required documents and their files happens here (views only call these).

Operations flush; the request commits once. Review steps (submit, approve, return, reopen) are the
workflow's own operations; an upload is recorded on the entry's history with ``record_edit``.
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit, storage
from ..extensions import db
from ..models import DocumentFile, DocumentType, EntryState, Office, RequiredDocument, Section, User
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


def _office_code(office_id: int) -> str:
    return db.session.scalar(sa.select(Office.code).where(Office.id == office_id))
