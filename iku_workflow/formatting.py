"""The one formatter: dates, numbers, percentages, NIP, roman numerals and diktum words.

Pure (no Flask): the locale is passed in. Pages pass the page's locale (the Jinja filters in
``template_filters.py`` do it for templates); every Word/Excel builder and the decree preview pass
nothing and get the official Indonesian form ("id"), whatever the page language (RULES.md §5).

Numbers are rounded half up in the domain first (`domain.numbers.round_half_up`, so 84.175 is
"84,18", never the binary float's "84,17"), then written by Babel with the locale's marks.
Text typed by people is read by `domain.numbers.parse_number`, the one parser.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date as _babel_format_date

from .domain.nip import normalize_nip
from .domain.numbers import format_number as _format_number

__all__ = [
    "MONTHS_ID",
    "NONE_MARK",
    "TRIWULAN_LABELS",
    "diktum_word",
    "format_date",
    "format_decimal",
    "format_file_size",
    "format_nip",
    "format_number",
    "format_percent",
    "huruf",
    "item_marker",
    "language",
    "roman",
    "semester_label",
    "triwulan_label",
    "triwulan_short",
]

#: What a missing figure prints as in documents and tables.
NONE_MARK = "–"

#: Indonesian month names as Tata Naskah Dinas writes them ("Februari", never "Pebruari").
MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

_LANGUAGES = ("id", "en")


def language(locale) -> str:
    """"id" or "en" from a locale name or a Babel Locale ("id_ID", Locale("en"), None -> "id")."""
    name = str(locale or "id").replace("-", "_").split("_")[0].lower()
    if name not in _LANGUAGES:
        raise ValueError(f"Bahasa tidak dikenal: {locale!r}.")
    return name


# ---------------------------------------------------------------- dates


def format_date(d: date, locale="id") -> str:
    """"12 Februari 2025" (id, no leading zero) or "12 February 2025" (en)."""
    if language(locale) == "id":
        return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"
    return _babel_format_date(d, "d MMMM yyyy", locale="en")


# ---------------------------------------------------------------- numbers


def format_decimal(value, locale="id", places: int = 2, empty: str = NONE_MARK) -> str:
    """Exactly ``places`` decimals after half-up rounding: "1.234,50" (id) / "1,234.50" (en).

    ``None`` (or "") gives ``empty``.
    """
    if value is None or value == "":
        return empty
    return _format_number(value, language(locale), places=places, min_places=places)


def format_number(value, locale="id", places: int = 2, empty: str = "") -> str:
    """A number without needless decimals (at most ``places``): 82 -> "82", 66.5 -> "66,5" / "66.5",
    1500 -> "1.500" / "1,500". ``None`` gives ``empty``."""
    if value is None or value == "":
        return empty
    return _format_number(value, language(locale), places=places)


def format_percent(value, locale="id", places: int = 2, empty: str = NONE_MARK) -> str:
    """"66,67%" (id) / "66.67%" (en); ``None`` gives ``empty``."""
    if value is None or value == "":
        return empty
    return f"{format_decimal(value, locale, places)}%"


def format_file_size(size_bytes, locale="id") -> str:
    """A stored file's size as people read it: "812 B", "12,3 KB", "4,5 MB" (id) / "12.3 KB" (en).

    Binary steps (1 KB = 1.024 bytes), one decimal from KB up, rounded half up like every figure.
    ``None`` gives "".
    """
    if size_bytes is None:
        return ""
    size = int(size_bytes)
    if size < 0:
        raise ValueError(f"Ukuran berkas tidak boleh negatif: {size_bytes!r}.")
    if size < 1024:
        return f"{size} B"
    for unit, step in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if size < step * 1024 or unit == "GB":
            return f"{format_decimal(Decimal(size) / step, locale, 1)} {unit}"
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- NIP


def format_nip(nip: str | None) -> str:
    """A NIP grouped as it is printed: "19840624 200212 1 001".

    Empty gives "" (a signature block without a NIP); anything else must be a valid NIP
    (`domain.nip.normalize_nip` decides, and its `NipError` is raised for one that cannot be right).
    """
    if nip is None or not str(nip).strip():
        return ""
    digits = normalize_nip(nip)
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:18]}"


# ---------------------------------------------------------------- roman numerals, periods

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


def triwulan_short(tw: int) -> str:
    """"TW I" … "TW IV", as tables head the quarters."""
    return f"TW {roman(tw)}"


#: The quarters' short labels, 1 -> "TW I" … 4 -> "TW IV".
TRIWULAN_LABELS = {tw: triwulan_short(tw) for tw in range(1, 5)}


def triwulan_label(tw: int) -> str:
    """"Triwulan I" … "Triwulan IV"."""
    return f"Triwulan {roman(tw)}"


def semester_label(s: int) -> str:
    """"Semester I" / "Semester II"."""
    return f"Semester {roman(s)}"


# ---------------------------------------------------------------- words a decree numbers things with

_ONES = ("", "SATU", "DUA", "TIGA", "EMPAT", "LIMA", "ENAM", "TUJUH", "DELAPAN", "SEMBILAN")

#: The highest diktum number `diktum_word` writes (a decree with 100 diktum is a mistake).
DIKTUM_MAX = 99


def diktum_word(n: int) -> str:
    """The ordinal a decree's diktum is headed with: 1 "KESATU", 10 "KESEPULUH", 11 "KESEBELAS",
    12 "KEDUA BELAS", 20 "KEDUA PULUH", 21 "KEDUA PULUH SATU" … 99 "KESEMBILAN PULUH SEMBILAN".

    Indonesian ordinals put "ke" before the whole numeral; for 1 it is "kesatu" (not "pertama"),
    as Tata Naskah Dinas (Permendagri 1/2023) numbers diktum. Outside 1..99 raises ``ValueError``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= DIKTUM_MAX:
        raise ValueError(f"Nomor diktum harus 1 sampai {DIKTUM_MAX}, bukan {n!r}.")
    tens, ones = divmod(n, 10)
    if n == 10:
        numeral = "SEPULUH"
    elif n == 11:
        numeral = "SEBELAS"
    elif tens == 1:
        numeral = f"{_ONES[ones]} BELAS"
    elif tens:
        numeral = f"{_ONES[tens]} PULUH" + (f" {_ONES[ones]}" if ones else "")
    else:
        numeral = _ONES[ones]
    return f"KE{numeral}"


def huruf(n: int) -> str:
    """Letter a list item: 1 "a", 26 "z", 27 "aa", 28 "ab" (as menimbang items are lettered)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"Nomor huruf harus 1 atau lebih, bukan {n!r}.")
    letters = []
    while n:
        n, rem = divmod(n - 1, 26)
        letters.append(chr(ord("a") + rem))
    return "".join(reversed(letters))


def item_marker(index: int, style: str | None) -> str:
    """Marker of the index-th (0-based) list item: "a." (letter), "1." (number), "(1)" (paren_number)."""
    if style == "letter":
        return huruf(index + 1) + "."
    if style == "paren_number":
        return f"({index + 1})"
    if style == "number":
        return f"{index + 1}."
    return ""
