"""The kabupaten over its kecamatan: its standard sets, new offices, the console across them.

Kabupaten users (roles ``kabupaten`` and ``kab_admin``) belong to a kabupaten, not an office: they read
every office of their kabupaten (the console, each office's page read-only); the kabupaten admin also
sets up offices and their users and keeps the standard sets and the jadwal. Office roles stay confined
to their office; an office takes later changes of the standard on its own page, never forced.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("kabupaten", __name__, url_prefix="/kabupaten")
office_bp = Blueprint("standard", __name__)  # the office's own page of changes offered by the standard

from . import office_views, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from .cli import kabupaten_group  # noqa: E402
from .demo import seed_kabupaten_demo  # noqa: E402

CAPABILITY = Capability(
    name="kabupaten",
    blueprints=(bp, office_bp),
    nav=(
        NavItem("kabupaten.console", _l("Konsol kabupaten"), "kabupaten.console", "kabupaten.view", order=1),
        NavItem("kabupaten.offices", _l("Kecamatan"), "kabupaten.offices", "kabupaten.view", order=2),
        NavItem("kabupaten.standard", _l("Standar IKU & jadwal"), "kabupaten.standard_current", "kabupaten.view",
                order=3),
    ),
    seeders=(seed_kabupaten_demo,),
    cli_groups=(kabupaten_group,),
)
