from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class TransitionForm(IkuForm):
    """One workflow step on one entry: the note (required to return or reopen) and the version seen."""

    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    next = HiddenField()
    submit = SubmitField(_l("Kirim"))


class QueueFilterForm(IkuForm):
    class Meta:
        csrf = False

    section = SelectField(_l("Seksi"), coerce=int, choices=[], validators=[Optional()])
    kind = SelectField(_l("Jenis"), choices=[], validators=[Optional()])
    year = SelectField(_l("Tahun"), coerce=int, choices=[], validators=[Optional()])
    age = SelectField(_l("Umur"), coerce=int, choices=[], validators=[Optional()])


#: the queue's age filter: days since submission (0: any)
AGE_CHOICES = ((0, _l("Semua umur")), (7, _l("> 7 hari")), (14, _l("> 14 hari")), (30, _l("> 30 hari")))


class BatchReviewForm(IkuForm):
    """Approve or return the entries ticked on a page of the queue (``pilih``: "id:version" each)."""

    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])
    next = HiddenField()


class AuditFilterForm(IkuForm):
    class Meta:
        csrf = False

    action = StringField(_l("Tindakan"), validators=[Optional(), Length(max=60)])
    username = StringField(_l("Pengguna"), validators=[Optional(), Length(max=60)])
    date_from = StringField(_l("Dari tanggal"), validators=[Optional()])
    date_to = StringField(_l("Sampai tanggal"), validators=[Optional()])
