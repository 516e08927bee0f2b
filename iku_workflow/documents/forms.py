from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Berkas (PDF, DOCX, XLSX, JPG, PNG)"))
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class RequirementForm(FlaskForm):
    """Add one document type to a year's list."""

    type_id = SelectField(_l("Jenis dokumen"), coerce=int, validators=[DataRequired(_l("Pilih jenis dokumen."))])
    section_id = SelectField(_l("Seksi penanggung jawab"), coerce=int,
                             validators=[DataRequired(_l("Pilih seksi penanggung jawab."))])
    due_date = DateField(_l("Batas waktu"), validators=[Optional()])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class RequirementEditForm(FlaskForm):
    section_id = SelectField(_l("Seksi"), coerce=int, validators=[DataRequired(_l("Pilih seksi penanggung jawab."))])
    due_date = DateField(_l("Batas waktu"), validators=[Optional()])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=1000)])


class CopyForm(FlaskForm):
    from_year = HiddenField()
