"""Forms of the decree pages (the edit page reads its ordered lists itself, see ``editing``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import InputRequired, NumberRange

from ..forms_base import IkuForm, NumberField

YEAR_MESSAGE = _l("Isi tahun keputusan dengan empat angka, misalnya 2025.")


class DecreeCreateForm(IkuForm):
    """A new draft decree for one year."""

    year = NumberField(_l("Tahun"), places=0, grouping=False, example=2025,
                       validators=[InputRequired(message=YEAR_MESSAGE), NumberRange(2000, 2100, message=YEAR_MESSAGE)])


class VerifyForm(IkuForm):
    """The public verification page: a PDF to compare with the signed scan (not stored)."""

    pdf = FileField(_l("Berkas PDF keputusan"), validators=[FileRequired(message=_l("Pilih berkas PDF yang akan diperiksa."))])
