"""The base of every form in the app: WTForms' own messages in Bahasa Indonesia, and one number field.

WTForms ships no Indonesian catalog, so a bare ``DataRequired()`` spoke English on Indonesian pages ("This
field is required."). ``IkuForm`` gives WTForms the catalog in ``translations/id/LC_MESSAGES/wtforms.po``
when the page is Indonesian and leaves English pages to WTForms' own (English) messages. ``NumberField`` is
the only field for numbers typed by people (RULES.md §6): WTForms' IntegerField and DecimalField read
"1.500" as 1.5 or refuse it, so they are not used anywhere (a test checks it).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.support import Translations
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from .domain.text import control_characters
from .domain.numbers import NumberFormatError, format_number, parse_number, to_decimal
from .number_input import field_message, page_locale

__all__ = ["CONTROL_MESSAGE", "IkuForm", "NumberField", "OUT_OF_RANGE_MESSAGE"]

CONTROL_MESSAGE = _l("Teks mengandung karakter kendali yang tidak diizinkan.")
OUT_OF_RANGE_MESSAGE = "Angka di luar rentang yang diizinkan (paling banyak %(limit)s)."

#: The largest whole number a NumberField takes (the database's integer) and the bound of a decimal
#: one (the widest numeric column, Numeric(14, 4)); a field's own NumberRange narrows them.
MAX_WHOLE = 2**31 - 1
DECIMAL_BOUND = Decimal(10) ** 10

_TRANSLATIONS = Path(__file__).resolve().parent / "translations"


@lru_cache(maxsize=1)
def _indonesian() -> Translations:
    return Translations.load(str(_TRANSLATIONS), ["id"], domain="wtforms")


class IkuForm(FlaskForm):
    """Every form of the app derives from this one (a test checks it)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            locale = get_locale()
            if locale is not None and locale.language == "id":
                return _indonesian()
            return super().get_translations(form)

    def validate(self, extra_validators=None):
        """The fields' own checks, then: no text field holds a control character (a multi-line field
        keeps tab and line breaks). Such a character makes the decree, the reports and the exports fail
        later, so it is refused here, next to the field, with what was typed kept in the box."""
        valid = super().validate(extra_validators)
        for field in _text_fields(self):
            if not isinstance(field.data, str):
                continue
            if isinstance(field, HiddenField):  # nobody typed it and no message could be seen: dropped
                field.data = "".join(ch for ch in field.data if not control_characters(ch))
            elif control_characters(field.data, isinstance(field, TextAreaField)):
                field.errors = list(field.errors or []) + [str(CONTROL_MESSAGE)]
                valid = False
        return valid


def _text_fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _text_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _text_fields(entry.form)
                elif isinstance(entry, StringField):
                    yield entry
        elif isinstance(field, StringField):
            yield field


class NumberField(Field):
    """The one field for every number a person types (RULES.md §6), on every form of the app.

    Reads the text with `domain.numbers.parse_number` in the page's convention ("1.500" = 1500 and
    "72,35" = 72.35 on an Indonesian page; "1,500" and "72.35" on an English one) and refuses
    ambiguous text ("1.5", "72.35", "1,500.5" on an Indonesian page) with a message next to the field
    that shows the right form; what was typed stays in the box. A stored value is shown with
    `domain.numbers.format_number` in the same convention, so saving a form unchanged stores the same
    number.

    ``places``: decimals the field keeps (more are refused, never rounded away); 0 makes a whole
    number field whose ``data`` is an ``int``, else ``data`` is a ``Decimal``. ``min_places``:
    decimals always shown ("72,50"). ``grouping=False`` for plain numbers (a year, a position, an
    age, an answer 1-4): "2.025" is refused rather than read as 2025. ``percent`` / ``money`` also
    accept a trailing "%" / "Rp 1.500.000". ``example``: the whole number the refusal shows.

    Rendered as a text input (``type=number`` lets the browser drop or refuse a decimal comma
    depending on its own locale) with a keypad hint and ``data-number`` (what the form walker of the
    tests looks for).
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, places: int = 2, min_places: int = 0, grouping: bool = True,
                 percent: bool = False, money: bool = False, example=None, **kwargs):
        self.places, self.min_places, self.grouping = places, min_places, grouping
        self.percent, self.money, self.example = percent, money, example
        plain = places == 0 and not grouping
        render_kw = {"inputmode": "numeric" if plain else "decimal", "autocomplete": "off",
                     "data-number": "integer" if places == 0 else "decimal",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _convert(self, value):
        return None if value is None else (int(value) if self.places == 0 else value)

    def process_data(self, value):
        if value is None or value == "":
            self.data = None
        elif isinstance(value, bool):
            raise TypeError("NumberField tidak menerima boolean.")
        else:
            self.data = self._convert(value if isinstance(value, (int, Decimal)) else to_decimal(value))

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = parse_number(valuelist[0], page_locale(), money=self.money, percent=self.percent,
                                 grouping=self.grouping, places=self.places)
        except NumberFormatError as exc:
            self.data = None
            raise ValueError(field_message(exc, self.example)) from None
        bound = MAX_WHOLE if self.places == 0 else DECIMAL_BOUND
        if abs(value) > bound or (self.places != 0 and abs(value) == bound):
            self.data = None
            limit = format_number(bound if self.places == 0 else bound - 1, page_locale(), places=0)
            raise ValueError(gettext("Angka di luar rentang yang diizinkan (paling banyak %(limit)s).", limit=limit))
        self.data = self._convert(value)

    def pre_validate(self, form):
        # the refusal is already in errors: no "must be at least 0" or "required" on top of it
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if getattr(self, "raw_data", None):
            return self.raw_data[0]
        return format_number(self.data, page_locale(), places=self.places, min_places=self.min_places,
                             grouping=self.grouping)
