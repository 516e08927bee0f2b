"""Forms of the LKjIP pages: earlier years' figures, the Renstra, programs, factors."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms_base import IkuForm, NumberField

LARGEST = 9_999_999_999
TOO_LARGE = _l("Angka terlalu besar: paling besar 9.999.999.999.")


def past_key(kind: str, number: int, year: int) -> str:
    """The box of one figure: kind "r" realisation, "c" capaian, "s" source."""
    return f"{kind}-{number}-{year}"


class PastValuesForm(IkuForm):
    """Year − 2 and year − 1 of every indicator of the year: realisation, capaian (optional) and source.

    The boxes depend on the year's indicators: :meth:`for_indicators` builds the class."""

    #: The fields are made per request (`for_indicators`); the form walker of the tests knows this.
    dynamic_fields = True

    @classmethod
    def for_indicators(cls, indicators, years, **kwargs) -> "PastValuesForm":
        fields = {}
        for ind in indicators:
            percent = getattr(ind.unit, "value", ind.unit) == "%"
            for y in years:
                fields[past_key("r", ind.number, y)] = NumberField(
                    _l("Realisasi"), places=4, percent=percent,
                    validators=[Optional(), NumberRange(min=0, message=_l("Isi angka tidak negatif.")),
                                NumberRange(max=LARGEST, message=TOO_LARGE)])
                fields[past_key("c", ind.number, y)] = NumberField(
                    _l("Capaian (%)"), places=2, percent=True,
                    validators=[Optional(), NumberRange(min=0, message=_l("Isi angka tidak negatif.")),
                                NumberRange(max=LARGEST, message=TOO_LARGE)])
                fields[past_key("s", ind.number, y)] = StringField(_l("Sumber"), validators=[Length(max=255)])
        return type("PastYearsForm", (cls,), fields)(**kwargs)


def renstra_key(number: int) -> str:
    return f"rt-{number}"


class RenstraForm(IkuForm):
    """The Renstra period holding the year (its first year) and the end-of-period target per indicator."""

    dynamic_fields = True
    start_year = NumberField(_l("Tahun awal Renstra"), places=0, grouping=False, example=2025,
                             validators=[InputRequired(message=_l("Tahun awal wajib diisi.")),
                                         NumberRange(2000, 2096, message=_l("Tahun antara 2000 dan 2096."))])

    @classmethod
    def for_indicators(cls, indicators, **kwargs) -> "RenstraForm":
        fields = {renstra_key(ind.number): NumberField(
            _l("Target akhir periode"), places=4, percent=getattr(ind.unit, "value", ind.unit) == "%",
            validators=[Optional(), NumberRange(min=0, message=_l("Isi angka tidak negatif.")),
                        NumberRange(max=LARGEST, message=TOO_LARGE)]) for ind in indicators}
        return type("YearRenstraForm", (cls,), fields)(**kwargs)


class ProgramBudgetForm(IkuForm):
    code = StringField(_l("Kode program"), validators=[Optional(), Length(max=60)])
    name = StringField(_l("Nama program"), validators=[DataRequired(message=_l("Nama program wajib diisi.")),
                                                       Length(max=255)])
    budget = NumberField(_l("Pagu anggaran (Rp)"), places=2, money=True, example=150000000,
                         validators=[InputRequired(message=_l("Pagu wajib diisi.")), NumberRange(min=0),
                                     NumberRange(max=LARGEST, message=TOO_LARGE)])
    realisation = NumberField(_l("Realisasi anggaran (Rp)"), places=2, money=True, example=142500000,
                              validators=[Optional(), NumberRange(min=0), NumberRange(max=LARGEST, message=TOO_LARGE)])
    note = StringField(_l("Keterangan"), validators=[Optional(), Length(max=255)])


class FactorForm(IkuForm):
    version = HiddenField()
    pendukung = TextAreaField(_l("Faktor pendukung"), validators=[Optional(), Length(max=5000)])
    penghambat = TextAreaField(_l("Faktor penghambat"), validators=[Optional(), Length(max=5000)])
    upaya = TextAreaField(_l("Upaya yang dilakukan"), validators=[Optional(), Length(max=5000)])
