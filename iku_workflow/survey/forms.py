"""Forms of the survey: opening a period, the questionnaire (public and staff), and the import."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation

from ..domain import skm
from ..domain.dates import PERIOD_LABELS
from .operations import DEFAULT_SERVICES, REASON_MAX, Answers


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as wtforms choices (tuples are deprecated in wtforms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class PeriodForm(IkuForm):
    year = IntegerField(_l("Tahun"), validators=[InputRequired(), NumberRange(2000, 2100)])
    label = SelectField(_l("Periode"), choices=choices((p, p) for p in PERIOD_LABELS), validators=[DataRequired()])
    services = TextAreaField(_l("Jenis layanan (satu per baris)"), default="\n".join(DEFAULT_SERVICES),
                             validators=[DataRequired(message=_l("Isi paling sedikit satu jenis layanan."))])
    population = IntegerField(_l("Jumlah penerima layanan dalam periode (populasi)"),
                              validators=[Optional(), NumberRange(min=1)])
    weighting = SelectField(_l("Bobot unsur"), choices=choices([("exact", _l("Tepat 1/9 (bawaan)")),
                                                                ("0.111", _l("0,111 (seperti lembar kerja lama)"))]))
    # choices (the office's active sections, 0 = none) are set by the view
    section = SelectField(_l("Seksi pelaksana survei"), coerce=int, choices=[], validate_choice=False)


class QuestionnaireForm(IkuForm):
    """The nine unsur (radio 1-4) and the respondent's details. Unsur fields are added per class below."""

    jenis_layanan = SelectField(_l("Jenis layanan yang diterima"), coerce=int,
                                validators=[InputRequired(message=_l("Pilih jenis layanan."))])
    jenis_kelamin = RadioField(_l("Jenis kelamin"), choices=choices(skm.JENIS_KELAMIN),
                               validators=[InputRequired(message=_l("Pilih jenis kelamin."))])
    usia = IntegerField(_l("Usia (tahun)"), validators=[
        InputRequired(message=_l("Isi usia.")), NumberRange(10, 120, message=_l("Usia harus 10 sampai 120 tahun."))])
    pendidikan = SelectField(_l("Pendidikan terakhir"), choices=choices([("", "—"), *skm.PENDIDIKAN]),
                             validators=[DataRequired(message=_l("Pilih pendidikan."))])
    pekerjaan = SelectField(_l("Pekerjaan"), choices=choices([("", "—"), *skm.PEKERJAAN]),
                            validators=[DataRequired(message=_l("Pilih pekerjaan."))])

    def validate_jenis_layanan(self, field) -> None:
        # "—" (value 0) is a choice of the list, so InputRequired lets it through.
        if not field.data:
            raise StopValidation(_l("Pilih jenis layanan."))

    def unsur_fields(self):
        return [(u, self[u.key]) for u in skm.UNSUR]

    def answers(self) -> tuple[int, ...]:
        return tuple(int(self[k].data) for k in skm.UNSUR_KEYS)


for _u in skm.UNSUR:
    setattr(QuestionnaireForm, _u.key, RadioField(
        _u.name, coerce=int, choices=choices(enumerate(_u.answers, start=1)),
        validators=[InputRequired(message=_l("Pilih salah satu jawaban."))]))


class PublicForm(QuestionnaireForm):
    # Bots fill every field they see; people never see this one (hidden by CSS, skipped by tab).
    website = StringField("Website")
    # Signed time the form was served: answers faster than SKM_MIN_SECONDS are refused as a bot.
    t = HiddenField()


class StaffForm(QuestionnaireForm):
    """Paper questionnaires: answers typed as digits 1-4 in a row; the date of the paper form.

    Used to enter a questionnaire and to correct one already stored (same fields, same checks).
    """

    tanggal = DateField(_l("Tanggal survei"), default=date.today, validators=[InputRequired()])

    @classmethod
    def for_period(cls, period, **kwargs) -> "StaffForm":
        form = cls(**kwargs)
        form.jenis_layanan.choices = choices([(0, "—"), *((s.id, s.name) for s in period.services)])
        return form

    def values(self) -> Answers:
        return Answers(tanggal=self.tanggal.data, service_id=self.jenis_layanan.data,
                       jenis_kelamin=self.jenis_kelamin.data, usia=self.usia.data, pendidikan=self.pendidikan.data,
                       pekerjaan=self.pekerjaan.data, answers=self.answers())

    def fill_from(self, response) -> None:
        """Show a stored response for correction."""
        self.tanggal.data, self.jenis_layanan.data = response.tanggal, response.service_id
        self.jenis_kelamin.data, self.usia.data = response.jenis_kelamin, response.usia
        self.pendidikan.data, self.pekerjaan.data = response.pendidikan, response.pekerjaan
        for key, value in zip(skm.UNSUR_KEYS, response.answers):
            self[key].data = value


for _u in skm.UNSUR:
    setattr(StaffForm, _u.key, IntegerField(
        _u.key.upper(), validators=[InputRequired(message=_l("Isi 1–4.")),
                                    NumberRange(1, 4, message=_l("Jawaban harus 1 sampai 4."))]))


class ImportForm(IkuForm):
    file = FileField(_l("Berkas CSV atau XLSX"), validators=[
        FileRequired(message=_l("Pilih berkas.")), FileAllowed(["csv", "xlsx"], _l("Hanya berkas .csv atau .xlsx."))])


class ResponseDeleteForm(IkuForm):
    """Removing one response: the reason goes to the audit log with the answers removed."""

    reason = TextAreaField(_l("Alasan penghapusan"), validators=[
        DataRequired(message=_l("Alasan penghapusan wajib diisi.")),
        Length(max=REASON_MAX, message=_l("Alasan penghapusan paling panjang %(max)d karakter."))])
