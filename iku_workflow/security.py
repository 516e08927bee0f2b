"""Password hashing (argon2id) and the password policy."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _

MIN_PASSWORD_LENGTH = 10


class PasswordPolicyError(ValueError):
    pass


def _hasher() -> PasswordHasher:
    params = current_app.config.get("IKU_ARGON2") or {}
    return PasswordHasher(**params)


def check_password_policy(password: str, username: str = "") -> None:
    """Raise PasswordPolicyError (Indonesian message) when the password is too weak."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(_("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH))
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordPolicyError(_("Kata sandi tidak boleh sama dengan nama pengguna."))
    if len(set(password)) < 4:
        raise PasswordPolicyError(_("Kata sandi terlalu mudah ditebak."))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the username is unknown, so timing does not reveal which names exist.
_DUMMY: dict[str, str] = {}


def dummy_verify(password: str) -> None:
    key = repr(current_app.config.get("IKU_ARGON2"))
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("dummy-password-for-timing")
    verify_password(_DUMMY[key], password)
