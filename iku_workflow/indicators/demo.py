"""Demo data of the indicators capability: the kabupaten's IKU for 2025 and the current year.

The demo office takes them the way every office does, from its kabupaten's standard set (Jember's
defaults are the seed decree's IKU and the demo targets, ``kabupaten.defaults``).
"""
from __future__ import annotations


def seed_indicators(office, echo) -> None:
    from ..kabupaten.standard import apply_indicators
    from ..seed.demo import demo_years

    for year in demo_years():
        count = apply_indicators(office, year)
        if count:
            echo(f"IKU {office.full_name} tahun {year} disalin dari standar {office.kabupaten_record.full_name} "
                 f"({count} indikator).")
