"""Forms of the survey: opening a period, the questionnaire (public and staff), and the import.

The questionnaire's fields check what `domain.skm_response` declares for them (`validation.Checked`);
only the words for a blank field belong to the form, as they depend on the widget ("Pilih …", "Isi …").
"""
from __future__ import annotations

from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm, NumberField
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..domain import skm
from ..domain import skm_response as fields
from ..domain.dates import PERIOD_LABELS
from ..labels import domain_label
from .operations import DEFAULT_SERVICES, REASON_MAX, Answers
from .validation import Checked, frame_of
from ..models.survey import PERBAIKAN_MAX, SARAN_MAX


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as wtforms choices (tuples are deprecated in wtforms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class PeriodForm(IkuForm):
    year = NumberField(_l("Tahun"), places=0, grouping=False, example=2025,
                       validators=[InputRequired(), NumberRange(2000, 2100)])
    label = SelectField(_l("Periode"), choices=choices((p, p) for p in PERIOD_LABELS), validators=[DataRequired()])
    services = TextAreaField(_l("Jenis layanan (satu per baris)"), default="\n".join(DEFAULT_SERVICES),
                             validators=[DataRequired(message=_l("Isi paling sedikit satu jenis layanan."))])
    # People served: typed as "1.500" as often as "1500".
    population = NumberField(_l("Jumlah penerima layanan dalam periode (populasi)"), places=0, example=1500,
                             validators=[Optional(), NumberRange(min=1), NumberRange(
                                 max=1_000_000_000, message=_l("Angka terlalu besar: paling besar 1.000.000.000."))])
    weighting = SelectField(_l("Bobot unsur"), choices=choices([("exact", _l("Tepat 1/9 (bawaan)")),
                                                                ("0.111", _l("0,111 (seperti lembar kerja lama)"))]))
    # choices (the office's active sections, 0 = none) are set by the view
    section = SelectField(_l("Seksi pelaksana survei"), coerce=int, choices=[], validate_choice=False)


class QuestionnaireForm(IkuForm):
    """The nine unsur (radio, one per answer text) and the respondent's details. Unsur fields are added
    per class below. A value outside the choices is left to the domain check (``validate_choice=False``),
    which words it as every other path does. Make it with `for_period`: the service and date checks
    need the period (``frame``)."""

    #: The declarations the templates read their bounds from (input attributes, hints).
    USIA, SCORE_LOW, SCORE_HIGH = fields.USIA, fields.SCORE_LOW, fields.SCORE_HIGH
    frame = None

    jenis_layanan = SelectField(_l("Jenis layanan yang diterima"), coerce=int, validate_choice=False,
                                validators=[InputRequired(message=_l("Pilih jenis layanan.")),
                                            Checked(fields.JENIS_LAYANAN)])
    jenis_kelamin = RadioField(_l("Jenis kelamin"), choices=choices(skm.JENIS_KELAMIN), validate_choice=False,
                               validators=[InputRequired(message=_l("Pilih jenis kelamin.")),
                                           Checked(fields.PROFILE_CODES["jenis_kelamin"])])
    usia = NumberField(_l("Usia (tahun)"), places=0, grouping=False, example=34,
                       validators=[InputRequired(message=_l("Isi usia.")), Checked(fields.USIA)])
    pendidikan = SelectField(_l("Pendidikan terakhir"), choices=choices([("", "—"), *skm.PENDIDIKAN]),
                             validate_choice=False, validators=[DataRequired(message=_l("Pilih pendidikan.")),
                                                                Checked(fields.PROFILE_CODES["pendidikan"])])
    pekerjaan = SelectField(_l("Pekerjaan"), choices=choices([("", "—"), *skm.PEKERJAAN]),
                            validate_choice=False, validators=[DataRequired(message=_l("Pilih pekerjaan.")),
                                                               Checked(fields.PROFILE_CODES["pekerjaan"])])

    @classmethod
    def for_period(cls, period, **kwargs):
        form = cls(**kwargs)
        form.frame = frame_of(period)
        form.jenis_layanan.choices = choices([(0, "—"), *((s.id, s.name) for s in period.services)])
        return form

    saran = TextAreaField(_l("Saran dan masukan"), validators=[Optional(), Length(
        max=SARAN_MAX, message=_l("Saran dan masukan paling panjang %(max)d karakter."))])

    def unsur_fields(self):
        return [(u, self[u.key]) for u in skm.UNSUR]

    def perbaikan_field(self, key: str):
        """The optional "Apa yang perlu diperbaiki?" of unsur ``key`` (kept for an answer of 1 or 2)."""
        return self[f"p_{key}"]

    def answers(self) -> tuple[int, ...]:
        return tuple(int(self[k].data) for k in skm.UNSUR_KEYS)

    def comments(self) -> tuple[str, dict[str, str]]:
        """The saran and, per unsur answered 1 or 2, the improvement note (blank ones left out)."""
        notes = {}
        for key in skm.UNSUR_KEYS:
            text = " ".join((self[f"p_{key}"].data or "").split())
            if text and self[key].data in (1, 2):
                notes[key] = text
        return (self.saran.data or "").strip(), notes


for _u, _answer in zip(skm.UNSUR, fields.ANSWERS):
    setattr(QuestionnaireForm, _u.key, RadioField(
        _u.name, coerce=int, choices=choices(enumerate(_u.answers, start=_answer.low)), validate_choice=False,
        validators=[InputRequired(message=_l("Pilih salah satu jawaban.")), Checked(_answer)]))
    setattr(QuestionnaireForm, f"p_{_u.key}", StringField(_l("Apa yang perlu diperbaiki?"), validators=[
        Optional(), Length(max=PERBAIKAN_MAX, message=_l("Paling panjang %(max)d karakter."))]))


class PublicForm(QuestionnaireForm):
    # Bots fill every field they see; people never see this one (hidden by CSS, skipped by tab).
    website = StringField("Website")
    # Signed time the form was served: answers faster than SKM_MIN_SECONDS are refused as a bot.
    t = HiddenField()


class StaffForm(QuestionnaireForm):
    """Paper questionnaires: the answers typed one digit per box in a row; the date of the paper form.

    Used to enter a questionnaire and to correct one already stored (same fields, same checks).
    """

    tanggal = DateField(_l("Tanggal survei"), default=date.today, validators=[InputRequired(), Checked(fields.TANGGAL)])

    def values(self) -> Answers:
        return Answers(tanggal=self.tanggal.data, service_id=self.jenis_layanan.data,
                       jenis_kelamin=self.jenis_kelamin.data, usia=self.usia.data, pendidikan=self.pendidikan.data,
                       pekerjaan=self.pekerjaan.data, answers=self.answers(), saran=self.comments()[0],
                       perbaikan=self.comments()[1])

    def fill_from(self, response) -> None:
        """Show a stored response for correction."""
        self.tanggal.data, self.jenis_layanan.data = response.tanggal, response.service_id
        self.jenis_kelamin.data, self.usia.data = response.jenis_kelamin, response.usia
        self.pendidikan.data, self.pekerjaan.data = response.pendidikan, response.pekerjaan
        for key, value in zip(skm.UNSUR_KEYS, response.answers):
            self[key].data = value


for _u, _answer in zip(skm.UNSUR, fields.ANSWERS):
    setattr(StaffForm, _u.key, NumberField(_u.key.upper(), places=0, grouping=False, example=4, validators=[
        InputRequired(message=_l("Isi %(low)d–%(high)d.", low=_answer.low, high=_answer.high)), Checked(_answer)]))


class ImportForm(IkuForm):
    file = FileField(_l("Berkas CSV atau XLSX"), validators=[
        FileRequired(message=_l("Pilih berkas.")), FileAllowed(["csv", "xlsx"], _l("Hanya berkas .csv atau .xlsx."))])


class ResponseDeleteForm(IkuForm):
    """Removing one response: the reason goes to the audit log with the answers removed."""

    reason = TextAreaField(_l("Alasan penghapusan"), validators=[
        DataRequired(message=_l("Alasan penghapusan wajib diisi.")),
        Length(max=REASON_MAX, message=_l("Alasan penghapusan paling panjang %(max)d karakter."))])


class KioskForm(IkuForm):
    """A new counter tablet of a period: its name, so that the list says which device a link is for."""

    name = StringField(_l("Nama perangkat"), default=_l("Tablet loket"), validators=[
        Optional(), Length(max=80, message=_l("Nama perangkat paling panjang %(max)d karakter."))])


class FollowUpForm(IkuForm):
    """One line of the rencana tindak lanjut; ``section`` choices (0 = none) are set by the view."""

    # "U1 Persyaratan", the name in the page's language when it is read (labels.domain_label)
    unsur = SelectField(_l("Unsur"), choices=choices([("", "—"), *((u.key, LazyString(
        lambda u=u: f"{u.key.upper()} {domain_label(u.name)}")) for u in skm.UNSUR)]),
                        validators=[DataRequired(message=_l("Pilih unsur."))])
    action = TextAreaField(_l("Rencana tindak lanjut"), validators=[
        DataRequired(message=_l("Isi rencana tindak lanjut.")),
        Length(max=1000, message=_l("Rencana tindak lanjut paling panjang %(max)d karakter."))])
    section = SelectField(_l("Seksi penanggung jawab"), coerce=int, choices=[], validate_choice=False)
    due_date = DateField(_l("Batas waktu"), validators=[InputRequired(message=_l("Isi batas waktu."))])
