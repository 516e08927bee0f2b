"""Indonesian dates read from text, and reporting periods (triwulan, semester, year).

Dates are written by the one formatter (`iku_workflow.formatting.format_date`: "12 Februari 2025",
Tata Naskah Dinas, Permendagri 1/2023; RULES.md §5); here they are read, and the seed decree's old
spelling "Pebruari" is accepted on input and never written.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..formatting import MONTHS_ID

__all__ = [
    "PERIOD_LABELS",
    "parse_tanggal",
    "period_range",
    "semester_of",
    "triwulan_of",
    "triwulan_range",
]

# Old spellings still found in documents (EYD before 1972 habits): read, never written.
_MONTH_BY_NAME = {name.casefold(): i for i, name in enumerate(MONTHS_ID, start=1)}
_MONTH_BY_NAME.update({"pebruari": 2, "nopember": 11})

#: Period labels `period_range` understands.
PERIOD_LABELS = ("S1", "S2", "TW1", "TW2", "TW3", "TW4", "TAHUN")

_WORDS = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")


def parse_tanggal(text: str) -> date:
    """Read a date typed as "12 Februari 2025" (also "Pebruari", any case), "2025-02-12",
    "12-02-2025" or "12/02/2025".

    Raises ``ValueError`` with an Indonesian message when the text is none of these or names a day
    that does not exist (31 April).
    """
    raw = "" if text is None else str(text)
    cleaned = " ".join(raw.split())
    if m := _WORDS.fullmatch(cleaned):
        month = _MONTH_BY_NAME.get(m.group(2).casefold())
        if month is None:
            raise ValueError(f"Nama bulan tidak dikenal: {m.group(2)!r}.")
        day, year = int(m.group(1)), int(m.group(3))
    elif m := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY.fullmatch(cleaned):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    else:
        raise ValueError(
            f"Tanggal tidak dikenali: {raw!r}. Tulis seperti 12 Februari 2025 atau 12/02/2025."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Tanggal tidak ada di kalender: {raw!r}.") from None


def triwulan_of(d: date) -> int:
    """The quarter (triwulan) 1-4 that ``d`` falls in."""
    return (d.month - 1) // 3 + 1


def _check_triwulan(tw: int) -> None:
    if tw not in (1, 2, 3, 4) or isinstance(tw, bool):
        raise ValueError(f"Triwulan harus 1 sampai 4, bukan {tw!r}.")


def triwulan_range(year: int, tw: int) -> tuple[date, date]:
    """First and last day (both inclusive) of triwulan ``tw`` of ``year``."""
    _check_triwulan(tw)
    first = date(year, 3 * tw - 2, 1)
    last = date(year, 12, 31) if tw == 4 else date(year, 3 * tw + 1, 1) - timedelta(days=1)
    return first, last


def semester_of(d: date) -> int:
    """The half year (semester) 1 or 2 that ``d`` falls in."""
    return 1 if d.month <= 6 else 2


def period_range(year: int, label: str) -> tuple[date, date]:
    """First and last day (inclusive) of a reporting period: "S1", "S2", "TW1".."TW4", "TAHUN".

    The label is read case-insensitively; any other label raises ``ValueError``.
    """
    key = str(label).strip().upper()
    if key == "TAHUN":
        return date(year, 1, 1), date(year, 12, 31)
    if key == "S1":
        return date(year, 1, 1), date(year, 6, 30)
    if key == "S2":
        return date(year, 7, 1), date(year, 12, 31)
    if key in ("TW1", "TW2", "TW3", "TW4"):
        return triwulan_range(year, int(key[2]))
    raise ValueError(f"Periode tidak dikenal: {label!r}. Pilih salah satu: {', '.join(PERIOD_LABELS)}.")
