"""Sign-in, sign-out, the user's own password and language."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
