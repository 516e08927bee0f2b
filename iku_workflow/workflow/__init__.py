"""The approval workflow shared by every reviewable entry: operations, kinds, review pages."""
from flask import Blueprint

bp = Blueprint("workflow", __name__)

from . import views  # noqa: E402,F401
