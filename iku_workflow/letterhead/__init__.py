"""The office in its documents: the kop template (kop surat), the kabupaten's lambang and the signatory.

Every Word document the app builds (decree, capaian report, SKM report) prints the office through this
package; the admin keeps the kop at /admin/kop (the lambang is uploaded on the office profile page).
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("letterhead", __name__)

from . import views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402

CAPABILITY = Capability(
    name="letterhead",
    blueprints=(bp,),
    nav=(
        NavItem("admin.letterhead", _l("Kop surat"), "letterhead.letterhead", "office.edit", group=_l("Admin"), order=93),
    ),
)
