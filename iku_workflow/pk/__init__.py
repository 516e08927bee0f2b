"""The Perjanjian Kinerja (PK) of an office-year: drafts from the IKU, Word versions, the signed final that sets
the year's targets, PK Perubahan, and the public verification page of a final PK."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("pk", __name__)
# the public verification page of final PKs (no sign-in)
public_bp = Blueprint("pk_public", __name__)

from . import kabupaten, public, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from .cli import pk_group  # noqa: E402
from .operations import is_final, overview_flags  # noqa: E402

CAPABILITY = Capability(
    name="pk",
    blueprints=(bp, public_bp),
    nav=(NavItem("pk", _l("Perjanjian Kinerja"), "pk.index", "pk.view", order=42),),
    cli_groups=(pk_group,),
    # the Camat's final PK of (office, year) locks that year's IKU and targets, as a final decree does
    year_locks=(is_final,),
    # the year's PK whose targets differ from the IKU's, or that is not final a month after the DPA
    overview_flags=(overview_flags,),
    # the kabupaten's page of the office-year shows its PKs, read-only
    office_panels=(kabupaten.panel,),
)
