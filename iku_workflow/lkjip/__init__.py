"""The LKjIP's Bab III Akuntabilitas Kinerja (RULES.md §9): the year's tables from the dashboard's numbers,
earlier years' figures, the Renstra end targets, programs' budget, the factors reviewed through the
workflow, the Word draft and its attachment as the year's "Dokumen LAKIP"."""
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("lkjip", __name__, url_prefix="/lkjip")


def _factor_url(entry) -> str:
    from .operations import factor_by_entry

    factor = factor_by_entry(entry.id)
    if factor is None:
        return url_for("lkjip.year", year=entry.year)
    return url_for("lkjip.factor", year=factor.year, number=factor.indicator_number)


from . import views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from ..workflow.kinds import Kind  # noqa: E402
from .cli import lkjip_group  # noqa: E402
from .operations import KIND, factor_complete  # noqa: E402

CAPABILITY = Capability(
    name="lkjip",
    blueprints=(bp,),
    workflow_kinds=(Kind(KIND, _l("Faktor LKjIP"), url=_factor_url, guards=(factor_complete,)),),
    nav=(NavItem("lkjip", _l("LKjIP"), "lkjip.index", "lkjip.view", order=46),),
    cli_groups=(lkjip_group,),
)
