"""Indonesian dates, reporting periods and the words a decree numbers things with.

Dates are written "12 Februari 2025" (Tata Naskah Dinas, Permendagri 1/2023; RULES.md §5); the
seed decree's old spelling "Pebruari" is accepted on input and never written.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = [
    "BULAN",
    "PERIOD_LABELS",
    "ROMAN",
    "TRIWULAN_LABELS",
    "diktum_word",
    "format_tanggal",
    "huruf",
    "parse_tanggal",
    "period_range",
    "roman",
    "semester_of",
    "triwulan_of",
    "triwulan_range",
]

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Old spellings still found in documents (EYD before 1972 habits): read, never written.
_MONTH_BY_NAME = {name.casefold(): i for i, name in enumerate(BULAN, start=1)}
_MONTH_BY_NAME.update({"pebruari": 2, "nopember": 11})

TRIWULAN_LABELS = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}

#: Period labels `period_range` understands.
PERIOD_LABELS = ("S1", "S2", "TW1", "TW2", "TW3", "TW4", "TAHUN")

_WORDS = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")


def format_tanggal(d: date) -> str:
    """The date as an Indonesian letter writes it: "12 Februari 2025" (no leading zero)."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


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


_ROMAN_STEPS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(n: int) -> str:
    """``n`` (1-3999) in Roman numerals, as chapters (BAB III) and triwulan (TW IV) are numbered."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 3999:
        raise ValueError(f"Angka Romawi hanya untuk 1 sampai 3999, bukan {n!r}.")
    parts = []
    for step, numeral in _ROMAN_STEPS:
        count, n = divmod(n, step)
        parts.append(numeral * count)
    return "".join(parts)


#: Roman numerals for 1..50 (``ROMAN[4] == "IV"``); use `roman` beyond.
ROMAN = {n: roman(n) for n in range(1, 51)}

_ONES = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def _terbilang(n: int) -> str:
    """Indonesian cardinal words for 1..999 ("dua puluh satu", "seratus", "sebelas")."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus")
    if rest:
        tens, ones = divmod(rest, 10)
        if rest == 10:
            words.append("sepuluh")
        elif rest == 11:
            words.append("sebelas")
        elif tens == 1:
            words.append(f"{_ONES[ones]} belas")
        else:
            if tens:
                words.append(f"{_ONES[tens]} puluh")
            if ones:
                words.append(_ONES[ones])
    return " ".join(words)


def diktum_word(n: int) -> str:
    """The ordinal a decree's diktum is headed with, in capitals: 1 "KESATU", 2 "KEDUA",
    10 "KESEPULUH", 11 "KESEBELAS", 12 "KEDUA BELAS", 21 "KEDUA PULUH SATU" (1..999).

    Indonesian ordinals put "ke" before the whole numeral; for 1 it is "kesatu" (not "pertama"),
    as Tata Naskah Dinas (Permendagri 1/2023) numbers diktum.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 999:
        raise ValueError(f"Nomor diktum harus 1 sampai 999, bukan {n!r}.")
    return f"KE{_terbilang(n)}".upper()


def huruf(n: int) -> str:
    """Letter a list item: 1 "a", 26 "z", 27 "aa", 28 "ab" (as menimbang items are lettered)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"Nomor huruf harus 1 atau lebih, bukan {n!r}.")
    letters = []
    while n:
        n, rem = divmod(n - 1, 26)
        letters.append(chr(ord("a") + rem))
    return "".join(reversed(letters))
