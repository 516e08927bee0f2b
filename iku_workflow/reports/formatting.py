"""Indonesian text formatting for printed documents: dates, numbers, NIP, diktum words.

Kept private to the reports package so the builders do not depend on the domain package that
is written in parallel; the rules are the same (RULES.md §5).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

_DIKTUM_ONES = ("", "KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH",
                "KEDELAPAN", "KESEMBILAN", "KESEPULUH", "KESEBELAS")
_UNITS = ("", "SATU", "DUA", "TIGA", "EMPAT", "LIMA", "ENAM", "TUJUH", "DELAPAN", "SEMBILAN")


def format_date(d: date) -> str:
    """``12 Februari 2025`` — no leading zero, Indonesian month name."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def diktum_word(n: int) -> str:
    """KESATU, KEDUA, …, KESEBELAS, KEDUA BELAS, …, KEDUA PULUH, KEDUA PULUH SATU, …"""
    if n < 1 or n > 99:
        raise ValueError(f"nomor diktum di luar jangkauan: {n}")
    if n < len(_DIKTUM_ONES):
        return _DIKTUM_ONES[n]
    if n < 20:
        return f"KE{_UNITS[n - 10]} BELAS"
    tens, ones = divmod(n, 10)
    word = f"KE{_UNITS[tens]} PULUH"
    return f"{word} {_UNITS[ones]}" if ones else word


def format_nip(nip: str) -> str:
    """``198406242002121001`` → ``19840624 200212 1 001``; anything else is returned as given."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) != 18:
        return nip.strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def format_number(value, places: int = 2, empty: str = "–") -> str:
    """Decimal half-up rounding, ``.`` for thousands and ``,`` for decimals: ``1.234,50``."""
    if value is None or value == "":
        return empty
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{q:,.{places}f}"  # 1,234.50
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value, places: int = 2, empty: str = "–") -> str:
    return empty if value is None else f"{format_number(value, places)}%"


def item_marker(index: int, style: str | None) -> str:
    """Marker of the index-th (0-based) item: a. / 1. / (1)."""
    if style == "letter":
        return _letters(index) + "."
    if style == "paren_number":
        return f"({index + 1})"
    if style == "number":
        return f"{index + 1}."
    return ""


def _letters(index: int) -> str:
    # a..z, then aa, ab, … (never needed in practice, but never crashes)
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = chr(ord("a") + rem) + text
    return text
