"""Demo data of the indicators capability: the decree's IKU for 2025 and the current year."""
from __future__ import annotations

from datetime import date

from . import seed_data
from .operations import seed_year


def seed_indicators(office, echo) -> None:
    for year in sorted({2025, date.today().year}):
        if seed_year(office, year, seed_data.iku_rows(year), seed_data.TUJUAN, seed_data.INDIKATOR_TUJUAN):
            echo(f"IKU {office.full_name} tahun {year} dimuat dari keputusan camat (6 indikator).")
