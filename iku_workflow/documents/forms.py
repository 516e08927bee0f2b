from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from ..models.documents import GROUP_LABELS
from wtforms.fields.choices import SelectChoice
from wtforms import DateField, HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(IkuForm):
    files = MultipleFileField(_l("Berkas (PDF, DOCX, XLSX, JPG, PNG)"))
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class FileDeleteForm(IkuForm):
    """Deleting one file version: the CSRF token and the entry version the user saw."""

    version = HiddenField()


class RequirementForm(IkuForm):
    """Add one document type to a year's list."""

    type_id = SelectField(_l("Jenis dokumen"), coerce=int, validators=[DataRequired(_l("Pilih jenis dokumen."))])
    section_id = SelectField(_l("Seksi penanggung jawab"), coerce=int,
                             validators=[DataRequired(_l("Pilih seksi penanggung jawab."))])
    due_date = DateField(_l("Batas waktu"), validators=[Optional()])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class RequirementEditForm(IkuForm):
    section_id = SelectField(_l("Seksi"), coerce=int, validators=[DataRequired(_l("Pilih seksi penanggung jawab."))])
    due_date = DateField(_l("Batas waktu"), validators=[Optional()])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class CopyForm(IkuForm):
    from_year = HiddenField()


GROUP_CHOICES = [SelectChoice("", _l("— pilih kelompok —"))] + [SelectChoice(g.value, label)
                                                                 for g, label in GROUP_LABELS.items()]


class DocumentTypeForm(IkuForm):
    """A new document type of the office's catalogue."""

    name = StringField(_l("Nama jenis dokumen"), validators=[DataRequired(), Length(max=160)])
    group = SelectField(_l("Kelompok"), choices=GROUP_CHOICES,
                        validators=[DataRequired(_l("Pilih kelompok dokumen."))])
    code = StringField(_l("Kode (boleh dikosongkan)"), validators=[Optional(), Length(max=40)],
                       description=_l("Dibuat dari nama bila kosong; tidak dapat diubah sesudahnya."))


class DocumentTypeEditForm(IkuForm):
    """Rename a document type or move it to another group (its code stays)."""

    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=160)])
    group = SelectField(_l("Kelompok"), choices=GROUP_CHOICES,
                        validators=[DataRequired(_l("Pilih kelompok dokumen."))])
