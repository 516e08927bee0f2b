from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm, NumberField
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import QUARTER_SHORT
from ..indicators.forms import POLARITIES, opts
from ..models import ActivityKind, ComplaintChannel, ComplaintStatus

#: The largest target or realisation a Numeric(14, 4) column holds, and the refusal beyond it.
LARGEST = 9_999_999_999
TOO_LARGE = _l("Angka terlalu besar: paling besar 9.999.999.999.")

EVIDENCE_HELP = _l("Sebutkan bukti dan tempat penyimpanannya, mis. nomor berita acara, foto/daftar hadir di arsip seksi.")


class ActivityForm(IkuForm):
    name = StringField(_l("Nama kegiatan"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(_l("Jenis kegiatan"), choices=opts((k.value, k.label) for k in ActivityKind))
    planned_triwulan = SelectField(_l("Direncanakan pada"), coerce=int,
                                   choices=opts(QUARTER_SHORT.items()))
    # the office's active desa (spec.prepare_form fills the choices: registers.desa.choices)
    desa = SelectField(_l("Desa"), choices=[], default="", validate_choice=True)
    facilitated = BooleanField(_l("Sudah difasilitasi"))
    facilitated_on = DateField(_l("Tanggal pelaksanaan"), validators=[Optional()])
    evidence_note = TextAreaField(_l("Bukti"), validators=[Optional(), Length(max=2000)])
    evidence_upload = FileField(_l("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; opsional)"))


class ComplaintForm(IkuForm):
    received_on = DateField(_l("Tanggal diterima"), validators=[InputRequired(message=_l("Tanggal diterima wajib diisi."))])
    channel = SelectField(_l("Media pengaduan"), choices=opts((c.value, c.label) for c in ComplaintChannel))
    # the office's active desa (spec.prepare_form fills the choices: registers.desa.choices)
    desa = SelectField(_l("Desa"), choices=[], default="", validate_choice=True)
    summary = TextAreaField(_l("Ringkasan laporan/aduan"), validators=[DataRequired(), Length(max=4000)])
    status = SelectField(_l("Status"), choices=opts((s.value, s.label) for s in ComplaintStatus))
    resolved_on = DateField(_l("Tanggal selesai"), validators=[Optional()])
    resolution = TextAreaField(_l("Cara penyelesaian"), validators=[Optional(), Length(max=4000)])
    evidence_note = TextAreaField(_l("Bukti"), validators=[Optional(), Length(max=2000)])
    evidence_upload = FileField(_l("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; opsional)"))


class SakipForm(IkuForm):
    score = NumberField(_l("Nilai SAKIP (0–100)"), places=2, min_places=2,
                        validators=[InputRequired(message=_l("Nilai wajib diisi.")),
                                     NumberRange(0, 100, message=_l("Nilai SAKIP harus antara 0 dan 100."))])
    lhe_reference = StringField(_l("Nomor LHE"), validators=[DataRequired(), Length(max=255)])
    lhe_date = DateField(_l("Tanggal LHE"), validators=[Optional()])
    evidence_note = TextAreaField(_l("Bukti"), validators=[Optional(), Length(max=2000)])
    evidence_upload = FileField(_l("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; opsional)"))


class ProgramForm(IkuForm):
    program = StringField(_l("Program"), validators=[DataRequired(), Length(max=255)])
    indicator = StringField(_l("Indikator program"), validators=[DataRequired(), Length(max=255)])
    unit = StringField(_l("Satuan"), validators=[DataRequired(), Length(max=40)])
    polarity = SelectField(_l("Polaritas"), choices=opts(POLARITIES))
    # Numeric(14, 4): four decimals kept; a trailing "%" is accepted (many program indicators are percentages).
    target = NumberField(_l("Target"), places=4, percent=True, validators=[
        InputRequired(message=_l("Target wajib diisi.")), NumberRange(min=0), NumberRange(max=LARGEST, message=TOO_LARGE)])
    realisation = NumberField(_l("Realisasi"), places=4, percent=True, validators=[
        Optional(), NumberRange(min=0), NumberRange(max=LARGEST, message=TOO_LARGE)])
    evidence_note = TextAreaField(_l("Bukti"), validators=[Optional(), Length(max=2000)])
    evidence_upload = FileField(_l("Berkas bukti (PDF, JPG, PNG, DOCX, XLSX; opsional)"))


class ImportForm(IkuForm):
    file = FileField(_l("Berkas Excel (.xlsx)"))


class ImportConfirmForm(IkuForm):
    """Confirming a previewed import that changes existing rows: why they change (the changes' reason)."""

    reason = TextAreaField(_l("Alasan perubahan"), validators=[
        DataRequired(message=_l("Alasan perubahan wajib diisi.")), Length(max=2000)])


class DeleteForm(IkuForm):
    """Deleting one row: the CSRF token and the entry version the user saw (a changed row is not deleted)."""

    version = HiddenField()
