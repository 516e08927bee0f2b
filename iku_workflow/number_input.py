"""Numbers typed on a page or read from a sheet's text cell: the page's convention and its messages.

The rules live in the domain (`domain.numbers.parse_number` / `format_number`, RULES.md §6); this
module only knows which convention the page speaks and words a refusal in the page's language. The
form field (`forms_base.NumberField`) and the importers (program indicators, SKM) use it, so a
number is refused with the same words wherever it is typed.
"""
from __future__ import annotations

from decimal import Decimal

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from .domain.numbers import NumberFormatError, format_number

__all__ = ["cell_message", "field_message", "how_to_write", "page_locale"]


def page_locale() -> str:
    """"en" on an English page, else "id" (the default, also outside a request: CLI, seeders)."""
    if not has_request_context():
        return "id"
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "id"


def how_to_write(exc: NumberFormatError, example=None) -> str:
    """How to write the number right, in the page's language, with examples in the page's convention.

    ``example`` replaces the whole-number example (a year field shows "2025", an age "34").
    """
    whole = exc.example_whole if example is None else format_number(example, exc.locale, places=0,
                                                                    grouping=exc.grouping)
    if exc.code == "too_many_places":
        decimal = format_number(Decimal("72.35"), exc.locale, places=min(exc.places, 2))
        return _('Paling banyak %(places)d angka di belakang koma, mis. "%(decimal)s".',
                 places=exc.places, decimal=decimal)
    if exc.places == 0 or exc.code == "grouping":
        if not exc.grouping:
            return _('Tulis bilangan bulat tanpa titik atau koma, mis. "%(whole)s".', whole=whole)
        return _('Tulis bilangan bulat dengan titik sebagai pemisah ribuan, mis. "%(whole)s".', whole=whole)
    return _('Tulis angka dengan koma sebagai tanda desimal dan titik sebagai pemisah ribuan, '
             'mis. "%(whole)s" atau "%(decimal)s".', whole=whole, decimal=exc.example_decimal)


def field_message(exc: NumberFormatError, example=None) -> str:
    """The error shown next to a form field."""
    if exc.code == "not_a_number":
        return _("Bukan angka yang sah. %(how)s", how=how_to_write(exc, example))
    return how_to_write(exc, example)


def cell_message(exc: NumberFormatError, example=None) -> str:
    """The error of a sheet's text cell (the importer puts row and column before it)."""
    if exc.code == "not_a_number":
        return _("'%(text)s' bukan angka. %(how)s", text=exc.text.strip(), how=how_to_write(exc, example))
    return _("'%(text)s' tidak jelas. %(how)s", text=exc.text.strip(), how=how_to_write(exc, example))
