"""Exact decimal arithmetic, number formatting, and the one parser of numbers typed by people.

Every figure the app reports goes through these helpers so that rounding is decimal half up
(RULES.md §1: binary float rounding turns 84.175 into 84.17) and is done once, from an exact value.

Numbers typed on a page or read from a sheet's text cell go through `parse_number` (RULES.md §6):
on an Indonesian page "." groups thousands and "," is the decimal mark ("1.500" = 1500,
"1.500,75" = 1500.75, "85,5" = 85.5); on an English page the other way round. Ambiguous text
("1.5", "72.35", "1,500.5" on an Indonesian page) is refused with `NumberFormatError`, never
guessed. `format_number` writes a value so that `parse_number` reads it back as the same number,
which is what every input that shows a stored number uses.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction

from babel.numbers import format_decimal

__all__ = [
    "DECIMAL_CONTEXT",
    "NumberFormatError",
    "format_number",
    "fraction_to_decimal",
    "parse_number",
    "round_half_up",
    "to_decimal",
    "to_fraction",
]

#: Precision of unrounded results (enough that rounding them to 2 or 4 places is never in doubt).
DECIMAL_CONTEXT = Context(prec=28)

def to_decimal(value) -> Decimal | None:
    """Convert a number given as int, float, Decimal, Fraction or str to a finite Decimal.

    ``None`` stays ``None``. Floats go through ``str`` (so 84.175 stays 84.175, not the binary
    neighbour). A string must be in Python's own notation ("84.175", "1E+3"), as code and the
    database write numbers: text typed by a person goes through `parse_number`, which knows the
    page's convention ("83,25" is refused here). Raises ``ValueError`` for anything that is not a
    finite number, and for booleans (a ``True`` where a number is expected is a bug, not 1).
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


# ---------------------------------------------------------------- numbers typed by people (RULES.md §6)

#: locale -> (thousands separator, decimal mark)
SEPARATORS = {"id": (".", ","), "en": (",", ".")}

_MINUS = ("-", "\u2212")


def _language(locale) -> str:
    """"id" or "en" from a locale name or a Babel Locale ("id_ID", Locale("en") ...)."""
    language = str(locale or "id").replace("-", "_").split("_")[0].lower()
    if language not in SEPARATORS:
        raise ValueError(f"Konvensi angka tidak dikenal: {locale!r}.")
    return language


class NumberFormatError(ValueError):
    """Text that is not a number in the page's convention; nothing was guessed.

    ``code`` says why, for the form or importer to word the message in the page's language:

    - ``not_a_number``: no number at all ("abc", "1e5", "", "1 500");
    - ``ambiguous``: a thousands separator not followed by groups of exactly three digits
      ("1.5", "72.35", "0.500" on an Indonesian page; "1,5" on an English one);
    - ``wrong_order``: both marks in the other convention's order ("1,500.5" on an Indonesian page);
    - ``many_decimal_marks``: more than one decimal mark ("1,5,0" on an Indonesian page);
    - ``grouping``: a thousands separator where the field takes a plain number (a year: "2.025");
    - ``not_whole``: decimals where the field takes a whole number;
    - ``too_many_places``: more decimals than the field keeps (``places``).

    ``example_whole`` and ``example_decimal`` are the right forms to show ("1.500" and "72,35" on an
    Indonesian page, "1,500" and "72.35" on an English one; "2025" where grouping is not accepted).
    """

    def __init__(self, code: str, text: str, locale: str, *, places: int | None = None, grouping: bool = True):
        self.code = code
        self.text = text
        self.locale = locale
        self.places = places
        self.grouping = grouping
        self.example_whole = format_number(1500 if grouping else 2025, locale, places=0, grouping=grouping)
        self.example_decimal = format_number(Decimal("72.35"), locale)
        super().__init__(self.default_message())

    def default_message(self) -> str:
        """The message in Indonesian (what logs and the CLI show; pages translate by ``code``)."""
        if self.code == "grouping":
            return f'Tulis angka tanpa pemisah ribuan, mis. "{self.example_whole}".'
        if self.code == "not_whole":
            return f'Isi bilangan bulat, mis. "{self.example_whole}".'
        if self.code == "too_many_places":
            return f"Paling banyak {self.places} angka di belakang koma."
        if self.locale == "en":
            return ('Tulis angka dengan titik sebagai tanda desimal dan koma sebagai pemisah ribuan '
                    f'(halaman berbahasa Inggris), mis. "{self.example_whole}" atau "{self.example_decimal}".')
        return ('Tulis angka dengan koma sebagai tanda desimal dan titik sebagai pemisah ribuan, '
                f'mis. "{self.example_whole}" atau "{self.example_decimal}".')


def parse_number(text: str, locale="id", *, money: bool = False, percent: bool = False,
                 grouping: bool = True, places: int | None = None) -> Decimal:
    """The number a person typed, in the convention of ``locale`` ("id" or "en"); RULES.md §6.

    Indonesian: "1.500" = 1500, "1.500.000" = 1500000, "1.500,75" = 1500.75, "85,5" = 85.5,
    "1500" = 1500. English: "1,500", "1,500.75", "85.5". ``money`` also accepts "Rp 1.500.000"
    (and "Rp. …", "Rp1.500.000", a closing ",-"); ``percent`` a trailing "%". ``grouping=False``
    is for plain numbers such as a year or a position, where "2.025" is refused rather than read
    as 2025. ``places`` refuses more decimals than the field keeps (0: whole numbers only);
    the check is on the number, so "4,0" is a whole number. A leading minus is read; whether a
    negative number is allowed is the field's rule.

    Raises `NumberFormatError` (a ``ValueError``) with a ``code`` for anything else.
    """
    language = _language(locale)
    group, mark = SEPARATORS[language]
    original = "" if text is None else str(text)

    def refuse(code: str):
        return NumberFormatError(code, original, language, places=places, grouping=grouping)

    s = original.strip()
    if money and s[:2].lower() == "rp":
        s = s[2:]
        if s.startswith("."):
            s = s[1:]
        s = s.lstrip()
        if s.endswith(mark + "-"):
            s = s[:-2]
    if percent and s.endswith("%"):
        s = s[:-1].rstrip()
    negative = s[:1] in _MINUS
    if negative:
        s = s[1:]
    if not s or not re.fullmatch(r"[0-9.,]+", s) or not any(ch.isdigit() for ch in s):
        raise refuse("not_a_number")
    if s.count(mark) > 1:
        raise refuse("many_decimal_marks")
    whole, _, fraction = s.partition(mark)
    if group in fraction:
        raise refuse("wrong_order")  # "1,500.5" on an Indonesian page: a group after the decimal mark
    if mark in s and not fraction:
        raise refuse("not_a_number")  # "85," : a decimal mark with nothing after it
    if group in whole:
        if not re.fullmatch(r"[1-9][0-9]{0,2}(?:" + re.escape(group) + r"[0-9]{3})+", whole):
            raise refuse("ambiguous")
        if not grouping:
            raise refuse("grouping")
        whole = whole.replace(group, "")
    if places is not None and len(fraction.rstrip("0")) > places:
        raise refuse("not_whole" if places == 0 else "too_many_places")
    value = Decimal((whole or "0") + ("." + fraction if fraction else ""))
    return value.copy_negate() if negative and value else value


def format_number(value, locale="id", *, places: int = 2, min_places: int = 0, grouping: bool = True) -> str:
    """``value`` written so that `parse_number` with the same ``locale`` reads it back as the same number.

    Rounded half up to ``places`` decimals (in the domain, exactly), then written by Babel with the
    locale's marks: 1500 -> "1.500" (id) / "1,500" (en); 1500.5 -> "1.500,5" / "1,500.5". At least
    ``min_places`` decimals are shown ("72,50" with ``min_places=2``), trailing zeros beyond are
    dropped. ``grouping=False`` writes plain digits ("2025"). ``None`` gives "".
    """
    if value is None:
        return ""
    if not 0 <= min_places <= places:
        raise ValueError("min_places harus antara 0 dan places.")
    language = _language(locale)
    rounded = round_half_up(value, places)
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * min_places + "#" * (places - min_places) if places else "")
    return format_decimal(rounded, format=pattern, locale=language, decimal_quantization=True)
