"""Exact decimal arithmetic and Indonesian number formatting.

Every figure the app reports goes through these helpers so that rounding is decimal half up
(RULES.md §1: binary float rounding turns 84.175 into 84.17) and is done once, from an exact value.
"""

from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "DECIMAL_CONTEXT",
    "NONE_MARK",
    "format_id",
    "fraction_to_decimal",
    "round_half_up",
    "to_decimal",
    "to_fraction",
]

#: Precision of unrounded results (enough that rounding them to 2 or 4 places is never in doubt).
DECIMAL_CONTEXT = Context(prec=28)

#: What `format_id` shows for "no value".
NONE_MARK = "–"


def to_decimal(value) -> Decimal | None:
    """Convert a number given as int, float, Decimal, Fraction or str to a finite Decimal.

    ``None`` stays ``None``. Floats go through ``str`` (so 84.175 stays 84.175, not the binary
    neighbour). A string may use a decimal comma when it has no dot ("83,25" -> 83.25), as office
    users type it. Raises ``ValueError`` for anything that is not a finite number, and for booleans
    (a ``True`` where a number is expected is a bug, not 1).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"Bukan angka: {value!r}.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Fraction):
        result = fraction_to_decimal(value)
    else:
        text = str(value).strip()
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"Bukan angka: {value!r}.") from None
    if not result.is_finite():
        raise ValueError(f"Bukan angka yang terhingga: {value!r}.")
    return result


def to_fraction(value) -> Fraction | None:
    """The exact rational value of ``value`` (see `to_decimal` for what is accepted)."""
    if isinstance(value, Fraction):
        return value
    dec = to_decimal(value)
    return None if dec is None else Fraction(dec)


def fraction_to_decimal(value: Fraction) -> Decimal:
    """An exact fraction as a Decimal with 28 significant digits (exact when it terminates sooner)."""
    return DECIMAL_CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def round_half_up(value, places: int) -> Decimal:
    """Round to ``places`` decimals, ties away from zero, on the exact decimal value.

    84.175 -> 84.18; -84.175 -> -84.18. The result always shows ``places`` decimals
    (``round_half_up(100, 2) == Decimal("100.00")``). Raises ``ValueError`` for ``None`` or a
    non-number, and for negative ``places``.
    """
    if places < 0:
        raise ValueError("Jumlah desimal tidak boleh negatif.")
    exact = to_fraction(value)
    if exact is None:
        raise ValueError("Tidak ada angka untuk dibulatkan.")
    scaled = abs(exact) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    if exact < 0 and units:
        units = -units
    return Decimal(units).scaleb(-places)


def format_id(value, places: int = 2) -> str:
    """Write a number the Indonesian way: decimal comma, dot thousands ("1.234,50").

    The value is rounded half up to ``places`` decimals first. ``None`` gives "–".
    """
    if value is None:
        return NONE_MARK
    rounded = round_half_up(value, places)
    english = f"{rounded:,.{places}f}"
    return english.translate(str.maketrans({",": ".", ".": ","}))
