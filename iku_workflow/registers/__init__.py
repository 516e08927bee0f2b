"""The registers behind IKU 3-6: activities, complaints, SAKIP score, program indicators."""
from flask import Blueprint

bp = Blueprint("registers", __name__)

from . import views  # noqa: E402,F401
