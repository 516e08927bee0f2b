"""Every change to required documents and their files happens here (views only call these).

Operations flush; the request commits once. Review steps (submit, approve, return, reopen) are the
workflow's own operations; an upload is recorded on the entry's history with ``record_edit``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO, Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from ..models import DocumentFile, DocumentType, EntryState, Office, RequiredDocument, Section, User
from ..workflow import operations as workflow
from . import storage
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
                 type=doc.type.code)
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


def upload_files(
    doc: RequiredDocument, user: User, files: Iterable[tuple[BinaryIO, str | None]], *, description: str,
    upload_root: Path, max_bytes: int,
) -> storage.Batch:
    """Store one or more new file versions of ``doc``.

    All files are checked and staged before any row is written; rows are flushed, then the files get
    their final names. On any error everything written so far is removed and the error re-raised
    (the caller rolls the session back). The caller commits, and calls ``batch.discard()`` if the
    commit fails.
    """
    entry = doc.entry
    workflow.ensure_editable(entry, user)
    files = list(files)
    if not files:
        raise storage.UploadError(_("Pilih minimal satu berkas untuk diunggah."))
    relative_dir = f"{_office_code(doc.office_id)}/{doc.year}"
    batch = storage.Batch()
    try:
        for stream, name in files:
            storage.stage(stream, name, upload_root / relative_dir, max_bytes, batch)
        last = db.session.scalar(sa.select(sa.func.max(DocumentFile.version)).where(DocumentFile.document_id == doc.id)) or 0
        names = []
        for number, staged in enumerate(batch.files, start=last + 1):
            db.session.add(DocumentFile(
                office_id=doc.office_id, document_id=doc.id, version=number, original_name=staged.original_name,
                stored_name=staged.stored_name, relative_dir=relative_dir, size=staged.size, sha256=staged.sha256,
                mime=staged.mime, extension=staged.extension, description=(description or "").strip(),
                uploaded_by_id=user.id,
            ))
            names.append(f"{staged.original_name} (versi {number})")
        workflow.record_edit(entry, user, "Berkas diunggah: " + ", ".join(names))
        audit.record("documents.upload", office_id=doc.office_id, user=user, obj=doc,
                     files=[{"name": s.original_name, "sha256": s.sha256, "size": s.size} for s in batch.files])
        db.session.flush()
        batch.place()
    except BaseException:
        batch.discard()
        raise
    return batch


def _office_code(office_id: int) -> str:
    return db.session.scalar(sa.select(Office.code).where(Office.id == office_id))
