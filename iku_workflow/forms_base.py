"""The base of every form in the app: WTForms' own messages in Bahasa Indonesia, and decimal commas.

WTForms ships no Indonesian catalog, so a bare ``DataRequired()`` or a ``DecimalField`` given "72,5" spoke
English on Indonesian pages ("This field is required.", "Not a valid decimal value."). ``IkuForm`` gives
WTForms the catalog in ``translations/id/LC_MESSAGES/wtforms.po`` when the page is Indonesian and leaves
English pages to WTForms' own (English) messages. ``DecimalCommaField`` reads the decimal comma office users
type, as the targets page always did (``domain.numbers.to_decimal``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import Translations
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.widgets import TextInput

from .domain.numbers import to_decimal

__all__ = ["DecimalCommaField", "IkuForm"]

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


class DecimalCommaField(DecimalField):
    """A DecimalField that also reads "72,5" (one comma, no dot) as 72.5.

    Rendered as a text input with a decimal keypad rather than ``type=number``: a number input lets the
    browser refuse or silently drop a decimal comma depending on its own locale. On Indonesian pages the
    value is shown with a decimal comma, as it is typed."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def _value(self):
        text = super()._value()
        locale = get_locale()
        if text and locale is not None and locale.language == "id":
            return text.replace(".", ",")
        return text

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and valuelist[0].strip():
            try:
                value = to_decimal(valuelist[0])
            except ValueError:
                value = None
            if value is not None:
                valuelist = [str(value)]
        super().process_formdata(valuelist)
