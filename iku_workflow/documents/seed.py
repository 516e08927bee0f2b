"""Demo data: the required documents of 2025 and of the current year, from the kabupaten's catalogue."""
from __future__ import annotations

from typing import Callable

from ..models import Office
from . import operations


def seed_documents(office: Office, echo: Callable[[str], None]) -> None:
    from ..kabupaten.standard import apply_documents
    from ..seed.demo import demo_years

    operations.ensure_catalogue(office)
    for year in demo_years():
        added = apply_documents(office, year)
        echo(f"Dokumen wajib {year}: {added} ditambahkan." if added else f"Dokumen wajib {year} sudah ada.")
