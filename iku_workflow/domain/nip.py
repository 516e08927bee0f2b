"""NIP (Nomor Induk Pegawai) of Indonesian civil servants.

PP 11/2017 and BKN practice (RULES.md §5): 18 digits = birth date YYYYMMDD + CPNS start YYYYMM +
sex (1 man, 2 woman) + 3-digit sequence; written grouped "19840624 200212 1 001" (`iku_workflow.formatting.format_nip`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["NipError", "NipParts", "normalize_nip", "parse_nip"]

MIN_BIRTH_YEAR = 1940

_PREFIX = re.compile(r"^\s*NIP\s*[.:]?\s*[.:]?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.]+")
_DIGITS_18 = re.compile(r"[0-9]{18}")


class NipError(ValueError):
    """A NIP that cannot be right; the message is Indonesian and fit to show the user."""


@dataclass(frozen=True)
class NipParts:
    """The fields a NIP encodes."""

    birth_date: date
    cpns_year: int
    cpns_month: int
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    sequence: int


def normalize_nip(value: str) -> str:
    """Return the 18 digits of a NIP typed in any usual way, or raise `NipError`.

    Accepts "NIP. 19840624 200212 1 001", "19840624.200212.1.001" and the bare digits. Checks:
    exactly 18 digits; the first 8 a real date with a year from 1940 to this year; the CPNS month
    (digits 13-14) 01-12; the sex digit (15th) 1 or 2.
    """
    if value is None:
        raise NipError("NIP wajib diisi.")
    text = _SEPARATORS.sub("", _PREFIX.sub("", str(value)))
    if not text:
        raise NipError("NIP wajib diisi.")
    if not _DIGITS_18.fullmatch(text):
        raise NipError("NIP harus 18 angka.")
    try:
        birth = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        birth = None
    if birth is None or not MIN_BIRTH_YEAR <= birth.year <= date.today().year:
        raise NipError("8 angka pertama NIP harus tanggal lahir yang sah (YYYYMMDD).")
    if not 1 <= int(text[12:14]) <= 12:
        raise NipError("Angka ke-13 dan ke-14 NIP (bulan pengangkatan CPNS) harus 01 sampai 12.")
    if text[14] not in "12":
        raise NipError("Angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan).")
    return text


def parse_nip(nip: str) -> NipParts:
    """Split a valid NIP into its fields (validates like `normalize_nip`)."""
    digits = normalize_nip(nip)
    return NipParts(
        birth_date=date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8])),
        cpns_year=int(digits[8:12]),
        cpns_month=int(digits[12:14]),
        sex="L" if digits[14] == "1" else "P",
        sequence=int(digits[15:18]),
    )
