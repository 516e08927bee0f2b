"""Forms of the PK pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..forms_base import IkuForm, NumberField
from ..indicators.forms import opts
from ..models import PkLevel

YEAR_MESSAGE = _l("Isi tahun perjanjian kinerja dengan empat angka, misalnya 2025.")
ACTING = opts([("", _l("(definitif)")), ("Plt.", "Plt."), ("Plh.", "Plh.")])
NIP = Regexp(r"^(\d{18})?$", message=_l("NIP terdiri atas 18 angka (tanpa spasi), atau kosongkan."))


def _in_years(form, field):
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Tanggal di luar rentang yang diizinkan (tahun 2000–2100)."))


class PkCreateForm(IkuForm):
    """A new draft PK: year, level, and the section for a Kepala Seksi's."""

    year = NumberField(_l("Tahun"), places=0, grouping=False, example=2025,
                       validators=[InputRequired(message=YEAR_MESSAGE), NumberRange(2000, 2100, message=YEAR_MESSAGE)])
    level = SelectField(_l("Tingkat"), choices=opts((lv.value, lv.label) for lv in PkLevel), default="camat")
    section = SelectField(_l("Seksi (untuk PK Kepala Seksi)"), choices=[], default="", validate_choice=False)


class _NoCsrf(IkuForm):
    class Meta(IkuForm.Meta):
        csrf = False


class RowForm(_NoCsrf):
    sasaran = TextAreaField(_l("Sasaran strategis"), validators=[Optional(), Length(max=2000)])
    indicator_text = TextAreaField(_l("Indikator kinerja"), validators=[Optional(), Length(max=2000)])
    target = NumberField(_l("Target"), places=4, validators=[Optional(), NumberRange(min=0, message=_l(
        "Target tidak boleh negatif."))])
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])
    indicator_id = SelectField(_l("IKU terkait"), choices=[], default="", validate_choice=False)
    remove = BooleanField(_l("Hapus baris ini"))


class PkEditForm(IkuForm):
    """The draft's place and dates, both parties and table 1."""

    tempat = StringField(_l("Tempat penandatanganan"), validators=[Optional(), Length(max=120)])
    tanggal = DateField(_l("Tanggal penandatanganan"), validators=[Optional(), _in_years])
    dpa_date = DateField(_l("Tanggal DPA disahkan"), validators=[Optional(), _in_years])
    first_name = StringField(_l("Nama"), validators=[Optional(), Length(max=160)])
    first_jabatan = StringField(_l("Jabatan"), validators=[InputRequired(message=_l("Jabatan wajib diisi.")),
                                                           Length(max=160)])
    first_pangkat = StringField(_l("Pangkat/golongan"), validators=[Optional(), Length(max=120)])
    first_nip = StringField(_l("NIP"), validators=[Optional(), NIP])
    first_acting = SelectField(_l("Status jabatan"), choices=ACTING, default="")
    second_name = StringField(_l("Nama"), validators=[Optional(), Length(max=160)])
    second_jabatan = StringField(_l("Jabatan"), validators=[InputRequired(message=_l("Jabatan wajib diisi.")),
                                                            Length(max=160)])
    second_pangkat = StringField(_l("Pangkat/golongan"), validators=[Optional(), Length(max=120)])
    second_nip = StringField(_l("NIP (kosongkan untuk Bupati)"), validators=[Optional(), NIP])
    second_acting = SelectField(_l("Status jabatan"), choices=ACTING, default="")
    rows = FieldList(FormField(RowForm), min_entries=0, max_entries=60)


class PkVersionForm(IkuForm):
    pass


class PkFinalForm(IkuForm):
    version = SelectField(_l("Versi yang ditandatangani"), choices=[], validate_choice=True)
    signed = FileField(_l("Pindaian bertanda tangan (PDF)"),
                       validators=[FileRequired(message=_l("Unggah pindaian perjanjian kinerja yang sudah "
                                                           "ditandatangani (PDF)."))])


class PkVerifyForm(IkuForm):
    pdf = FileField(_l("Berkas PDF perjanjian kinerja"),
                    validators=[FileRequired(message=_l("Pilih berkas PDF yang akan diperiksa."))])


class DpaImportForm(IkuForm):
    """The DPA sheet whose programs and budget (pagu) fill the year's program list."""

    sheet = FileField(_l("Lembar DPA (.xlsx)"), validators=[FileRequired(message=_l("Pilih berkas DPA (.xlsx)."))])
