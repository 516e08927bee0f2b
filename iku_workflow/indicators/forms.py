from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm, NumberField
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from . import seed_data


def opts(pairs) -> list[SelectChoice]:
    """SelectField choices as SelectChoice (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def measure_choices(declared) -> list[SelectChoice]:
    """Every installed measure, those of the standard IKU first in IKU order (IKU 1 … 6)."""
    standard = list(seed_data.MEASURES.values())
    keys = sorted(declared, key=lambda key: standard.index(key) if key in standard else len(standard))
    return opts((key, declared[key].label) for key in keys)


UNITS = [("dokumen", "dokumen"), ("indeks", "indeks"), ("%", "%"), ("nilai", "nilai")]
POLARITIES = [("higher", _l("Makin tinggi makin baik")), ("lower", _l("Makin rendah makin baik"))]
LOWER_FORMULAS = [("2t_minus_r", _l("(2 × target − realisasi) ÷ target × 100")),
                  ("t_over_r", _l("target ÷ realisasi × 100"))]
YEAR_RULES = [("last", _l("Nilai terakhir")), ("cumulative", _l("Kumulatif")), ("average", _l("Rata-rata"))]


class IndicatorForm(IkuForm):
    kinerja_utama = TextAreaField(_l("Kinerja utama"), validators=[DataRequired(), Length(max=2000)])
    name = TextAreaField(_l("Indikator kinerja utama"), validators=[DataRequired(), Length(max=2000)])
    # plain-text markup (domain.formulation_text), parsed by the view
    formulation = TextAreaField(_l("Formulasi perhitungan dan penjelasan"), validators=[Optional(), Length(max=20000)])
    bidang_text = TextAreaField(_l("Bidang penanggung jawab (seperti tercetak)"), validators=[Length(max=1000)])
    sections = SelectMultipleField(_l("Seksi penanggung jawab"), coerce=int, choices=[])
    sumber_data = TextAreaField(_l("Sumber data"), validators=[Length(max=1000)])
    unit = SelectField(_l("Satuan"), choices=opts(UNITS))
    polarity = SelectField(_l("Polaritas"), choices=opts(POLARITIES))
    lower_formula = SelectField(_l("Rumus bila makin rendah makin baik"), choices=opts(LOWER_FORMULAS))
    # Checked by the view against the measure kind's rule policy (measures.RulePolicy): a kind that fixes
    # its rule shows it as text and posts no value; the choices offered are the ones the kind allows.
    year_rule = SelectField(_l("Nilai tahunan dari triwulan"), choices=opts(YEAR_RULES), validate_choice=False)
    # the installed capabilities' measures (measure_choices), set by the view
    measure = SelectField(_l("Cara pengukuran"), choices=[])


#: Triwulan keys of the targets grid: the year ("y") and TW I-IV.
TARGET_PERIODS = ("y", 1, 2, 3, 4)
#: A target is Numeric(14, 4): four decimals kept, at most ten digits before them.
TARGET_LARGEST = 9_999_999_999


def target_key(number: int, period) -> str:
    """The name of one box of the targets grid: ``t-<IKU number>-<y|1..4>``."""
    return f"t-{number}-{period}"


class TargetForm(IkuForm):
    """The targets of a year: one box per indicator and period, named by `target_key`.

    The boxes depend on the year's indicators, so `for_indicators` builds the form class for them;
    every box is a `NumberField` (a trailing "%" is accepted where the indicator's unit is "%").
    """

    #: The fields are made per request (`for_indicators`); the form walker of the tests knows this.
    dynamic_fields = True

    @classmethod
    def for_indicators(cls, indicators, **kwargs) -> "TargetForm":
        fields = {}
        for ind in indicators:
            for period in TARGET_PERIODS:
                fields[target_key(ind.number, period)] = NumberField(
                    _l("Target"), places=4, percent=getattr(ind.unit, "value", ind.unit) == "%",
                    validators=[Optional(),
                                NumberRange(min=0, message=_l("Isi angka tidak negatif, mis. 82 atau 66,5.")),
                                NumberRange(max=TARGET_LARGEST,
                                            message=_l("Angka terlalu besar: paling besar 9.999.999.999."))])
        return type("YearTargetForm", (cls,), fields)(**kwargs)


class CopyYearForm(IkuForm):
    dest = NumberField(_l("Salin ke tahun"), places=0, grouping=False, example=2025,
                       validators=[InputRequired(), NumberRange(2000, 2100)])
    with_targets = BooleanField(_l("Salin juga targetnya"))


class IndicatorAddForm(IndicatorForm):
    """A new indicator of the year: every field of the edit page and its number (the next free one proposed)."""

    number = NumberField(_l("Nomor IKU"), places=0, grouping=False, example=7,
                         validators=[InputRequired(_l("Isi nomor IKU.")),
                                     NumberRange(1, 99, message=_l("Nomor IKU harus antara 1 dan 99."))])


class TujuanForm(IkuForm):
    """The year's tujuan and indikator tujuan, one per line (in the decree's order)."""

    tujuan = TextAreaField(_l("Tujuan (satu per baris)"), validators=[Length(max=5000)])
    indikator_tujuan = TextAreaField(_l("Indikator tujuan (satu per baris)"), validators=[Length(max=5000)])
