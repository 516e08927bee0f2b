from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from wtforms import DateField, HiddenField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(IkuForm):
    files = MultipleFileField(_l("Berkas (PDF, DOCX, XLSX, JPG, PNG)"))
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


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
