from __future__ import annotations

from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm, NumberField
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from ..domain.nip import NipError, normalize_nip
from ..models import OFFICE_ROLES, Role
from ..models.user import ROLE_LABELS


def nip_field_validator(form, field) -> None:
    if field.data:
        try:
            field.data = normalize_nip(field.data)
        except NipError as exc:
            raise ValidationError(str(exc)) from exc


class UserForm(IkuForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[
            DataRequired(_l("Nama pengguna wajib diisi.")),
            Length(min=3, max=60),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Hanya huruf, angka, titik, garis bawah dan tanda minus.")),
        ],
    )
    full_name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama lengkap wajib diisi.")), Length(max=160)])
    nip = StringField(_l("NIP"), validators=[Optional(), nip_field_validator])
    email = StringField(_l("Email"), validators=[Optional(), Email(_l("Alamat email tidak sah.")), Length(max=120)])
    # No role preselected: an admin who skips the field must not create another administrator.
    role = SelectField(_l("Peran"), validators=[DataRequired(_l("Peran wajib dipilih."))],
                       choices=[SelectChoice("", _l("— pilih peran —"))] + [SelectChoice(r.value, ROLE_LABELS[r]) for r in OFFICE_ROLES])
    section_id = SelectField(_l("Seksi"), coerce=int, choices=[])
    password = PasswordField(_l("Kata sandi awal"), validators=[Optional()])
    submit = SubmitField(_l("Simpan"))

    def validate_section_id(self, field) -> None:
        if self.role.data == Role.SEKSI.value and not field.data:
            raise ValidationError(_l("Operator seksi wajib memiliki seksi."))


class ResetPasswordForm(IkuForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])
    submit = SubmitField(_l("Atur ulang kata sandi"))


class UserImportForm(IkuForm):
    file = FileField(_l("Berkas CSV atau XLSX"), validators=[
        FileRequired(message=_l("Pilih berkas.")), FileAllowed(["csv", "xlsx"], _l("Hanya berkas .csv atau .xlsx."))])
    submit = SubmitField(_l("Impor pengguna"))


class DesaForm(IkuForm):
    name = StringField(_l("Nama desa"), validators=[DataRequired(message=_l("Nama desa wajib diisi.")), Length(max=120)])
    position = NumberField(_l("Urutan"), places=0, grouping=False, example=1,
                           validators=[Optional(), NumberRange(0, 9999)])
    submit = SubmitField(_l("Simpan"))


class SectionForm(IkuForm):
    code = StringField(
        _l("Kode"),
        validators=[DataRequired(), Length(max=40), Regexp(r"^[a-z0-9_-]+$", message=_l("Huruf kecil, angka, '-' atau '_'."))],
    )
    name = StringField(_l("Nama seksi"), validators=[DataRequired(), Length(max=160)])
    short_name = StringField(_l("Nama singkat"), validators=[DataRequired(), Length(max=80)])
    position = NumberField(_l("Urutan"), places=0, grouping=False, example=1, default=0,
                           validators=[Optional(), NumberRange(0, 9999)])
    active = BooleanField(_l("Aktif"), default=True)
    submit = SubmitField(_l("Simpan"))


class OfficeForm(IkuForm):
    name = StringField(_l("Nama kecamatan"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=255)])
    telephone = StringField(_l("Telepon"), validators=[Optional(), Length(max=60)])
    email = StringField(_l("Email"), validators=[Optional(), Email(_l("Alamat email tidak sah.")), Length(max=120)])
    postal_code = StringField(
        _l("Kode pos"), validators=[Optional(), Regexp(r"^\d{5}$", message=_l("Kode pos terdiri dari 5 angka."))]
    )
    city = StringField(_l("Tempat penetapan"), validators=[Optional(), Length(max=120)])
    camat_name = StringField(_l("Nama Camat"), validators=[DataRequired(), Length(max=160)])
    camat_pangkat = StringField(_l("Pangkat/golongan Camat"), validators=[Optional(), Length(max=120)])
    camat_nip = StringField(_l("NIP Camat"), validators=[Optional(), nip_field_validator])
    signatory_acting = SelectField(
        _l("Status penandatangan"), choices=[SelectChoice("", _l("Definitif")), SelectChoice("Plt."), SelectChoice("Plh.")]
    )
    paper_size = SelectField(_l("Ukuran kertas naskah"), choices=[SelectChoice("F4", "F4 (215 × 330 mm)"), SelectChoice("A4", "A4 (210 × 297 mm)")])
    show_kabupaten_line = BooleanField(_l("Cetak baris \"KABUPATEN …\" di bawah \"KEPUTUSAN CAMAT …\" dan di bawah jabatan pada tanda tangan"),
                                       default=True)
    submit = SubmitField(_l("Simpan profil"))
