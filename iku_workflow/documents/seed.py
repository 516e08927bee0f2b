"""Demo data: the catalogue and the required documents of 2025 and of the current year (idempotent)."""
from __future__ import annotations

from datetime import date
from typing import Callable

import sqlalchemy as sa

from ..extensions import db
from ..models import DocumentType, Office, RequiredDocument
from . import operations
from .catalogue import CATALOGUE


def seed_year(office: Office, year: int) -> int:
    """Require every catalogue type in ``year`` with the decree's section and a due date; return how many added."""
    operations.ensure_catalogue(office)
    types = {t.code: t for t in db.session.scalars(sa.select(DocumentType).where(DocumentType.office_id == office.id))}
    present = set(db.session.scalars(sa.select(RequiredDocument.type_id).where(
        RequiredDocument.office_id == office.id, RequiredDocument.year == year)))
    sections = {s.code: s for s in office.sections}
    added = 0
    for code, _name, _group, section_code, (month, day) in CATALOGUE:
        doc_type = types[code]
        if doc_type.id in present or section_code not in sections:
            continue
        operations.add_requirement(office_id=office.id, year=year, doc_type=doc_type, section=sections[section_code],
                                   due_date=date(year, month, day), user=None)
        added += 1
    return added


def seed_documents(office: Office, echo: Callable[[str], None]) -> None:
    for year in sorted({2025, date.today().year}):
        added = seed_year(office, year)
        echo(f"Dokumen wajib {year}: {added} ditambahkan." if added else f"Dokumen wajib {year} sudah ada.")
