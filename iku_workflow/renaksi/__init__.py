"""The Rencana Aksi of the PK indicators and its quarterly monitoring (RULES.md §8)."""
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("renaksi", __name__)

from . import kabupaten, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from ..workflow.kinds import Kind  # noqa: E402
from .operations import KIND, note_guard  # noqa: E402


def _entry_url(entry) -> str:
    from .views import note_url

    return note_url(entry) or url_for("renaksi.plan", year=entry.year)


CAPABILITY = Capability(
    name="renaksi",
    blueprints=(bp,),
    workflow_kinds=(Kind(KIND, _l("Monitoring renaksi"), url=_entry_url, guards=(note_guard,)),),
    nav=(NavItem("renaksi", _l("Rencana Aksi"), "renaksi.index", "renaksi.view", order=44),),
    # the kabupaten's page of the office-year shows the monitoring, read-only
    office_panels=(kabupaten.panel,),
)
