from flask_babel import lazy_gettext as _l
from ..forms_base import IkuForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(IkuForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Nama pengguna wajib diisi.")), Length(max=60)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi.")), Length(max=200)])
    next = HiddenField()
    submit = SubmitField(_l("Masuk"))


class EmptyForm(IkuForm):
    """A form with only the CSRF token, for POST buttons (sign-out, state changes)."""

    submit = SubmitField(_l("Kirim"))


class PasswordChangeForm(IkuForm):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired()])
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(), Length(min=10, message=_l("Kata sandi minimal 10 karakter."))])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"), validators=[DataRequired(), EqualTo("new", message=_l("Kedua kata sandi tidak sama."))]
    )
    submit = SubmitField(_l("Simpan kata sandi"))


class FirstPasswordForm(PasswordChangeForm):
    """The password a user chooses in place of the one an admin or an import gave them."""

    current = PasswordField(_l("Kata sandi sementara"), validators=[DataRequired(_l("Kata sandi sementara wajib diisi."))])


class LanguageForm(IkuForm):
    locale = SelectField(_l("Bahasa"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])
    submit = SubmitField(_l("Simpan"))


class ApiTokenForm(IkuForm):
    """A new personal API token: only its name (what the owner will use it for)."""

    name = StringField(_l("Nama token"), validators=[DataRequired(_l("Nama token wajib diisi.")),
                                                     Length(max=80, message=_l("Nama token paling banyak 80 karakter."))])
    # One creation per showing of the form: reloading the answer page re-posts the same value, which is refused
    # (it would otherwise make a second token whose secret the user never keeps)
    once = HiddenField(validators=[Length(max=64)])
    submit = SubmitField(_l("Buat token"))
