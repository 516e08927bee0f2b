"""Forms of the kabupaten pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..admin.forms import nip_field_validator
from ..forms_base import IkuForm, NumberField
from ..indicators.forms import IndicatorAddForm, IndicatorForm
from ..models import DocumentGroup


class OfficeCreateForm(IkuForm):
    code = StringField(_l("Kode kantor"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Huruf kecil, angka, '-' atau '_', mis. puger."))
    name = StringField(_l("Nama kecamatan"), validators=[DataRequired(), Length(max=120)],
                       description=_l("Tanpa kata \u201cKecamatan\u201d, mis. Puger."))
    address = StringField(_l("Alamat kantor"), validators=[Optional(), Length(max=255)])
    telephone = StringField(_l("Telepon"), validators=[Optional(), Length(max=60)])
    camat_name = StringField(_l("Nama Camat"), validators=[Optional(), Length(max=160)])
    camat_pangkat = StringField(_l("Pangkat/golongan Camat"), validators=[Optional(), Length(max=120)])
    camat_nip = StringField(_l("NIP Camat"), validators=[Optional(), nip_field_validator])
    year = NumberField(_l("Tahun IKU dan dokumen wajib"), places=0, grouping=False, example=2026,
                       validators=[InputRequired(), NumberRange(2000, 2100)])


class StandardIndicatorForm(IndicatorForm):
    """The office's IKU form (texts, formulation markup, unit, polarity, rule, measure) for the standard set:
    section kinds by code instead of the office's sections, and a default target."""

    sections = None  # an office's sections; the standard names section kinds
    section_codes = StringField(_l("Seksi penanggung jawab bawaan (kode, pisahkan dengan koma)"),
                                validators=[Optional(), Length(max=300)])
    default_target = NumberField(_l("Target bawaan"), places=2, example="82,50",
                                 validators=[Optional(), NumberRange(0, 1_000_000)])


class StandardIndicatorAddForm(StandardIndicatorForm):
    number = IndicatorAddForm.number


class StandardGoalsForm(IkuForm):
    tujuan = TextAreaField(_l("Tujuan (satu per baris)"), validators=[Length(max=5000)])
    indikator_tujuan = TextAreaField(_l("Indikator tujuan (satu per baris)"), validators=[Length(max=5000)])


class StandardSectionForm(IkuForm):
    code = StringField(_l("Kode (jenis seksi)"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Nama seksi"), validators=[DataRequired(), Length(max=160)])
    short_name = StringField(_l("Nama singkat"), validators=[DataRequired(), Length(max=80)])


class StandardDocumentForm(IkuForm):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Nama dokumen"), validators=[DataRequired(), Length(max=160)])
    group = SelectField(_l("Kelompok"), choices=[SelectChoice(g.value, g.label) for g in DocumentGroup])
    section_code = SelectField(_l("Seksi pemilik"), choices=[])
    due_month = NumberField(_l("Batas waktu: bulan"), places=0, grouping=False, example=3,
                            validators=[InputRequired(), NumberRange(1, 12)])
    due_day = NumberField(_l("Batas waktu: tanggal"), places=0, grouping=False, example=31,
                          validators=[InputRequired(), NumberRange(1, 31)])


class StandardDecreeForm(IkuForm):
    tentang = TextAreaField(_l("Tentang"), validators=[DataRequired(), Length(max=4000)])
    menimbang = TextAreaField(_l("Menimbang (satu butir per baris)"), validators=[Length(max=20000)])
    mengingat = TextAreaField(_l("Mengingat (satu butir per baris)"), validators=[Length(max=20000)])
    memperhatikan = TextAreaField(_l("Memperhatikan (satu butir per baris)"), validators=[Length(max=20000)])
