from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

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
    year_rule = SelectField(_l("Nilai tahunan dari triwulan"), choices=opts(YEAR_RULES))
    # the installed capabilities' measures (measure_choices), set by the view
    measure = SelectField(_l("Cara pengukuran"), choices=[])


class TargetForm(IkuForm):
    """One row per indicator is rendered by hand; this form only carries CSRF."""


class CopyYearForm(IkuForm):
    dest = IntegerField(_l("Salin ke tahun"), validators=[DataRequired(), NumberRange(2000, 2100)])
    with_targets = BooleanField(_l("Salin juga targetnya"))
