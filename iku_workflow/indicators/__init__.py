"""IKU catalogue, targets, achievement, the dashboard and the capaian report."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("indicators", __name__)

from . import capaian_views, dashboard, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from . import seed_data  # noqa: E402
from .cli import iku_group  # noqa: E402
from .demo import seed_indicators  # noqa: E402

CAPABILITY = Capability(
    name="indicators",
    blueprints=(bp,),
    nav=(
        NavItem("indicators.dashboard", _l("Dasbor"), "indicators.dashboard", "dashboard.view", order=1),
        NavItem("indicators.catalogue", _l("IKU"), "indicators.catalogue_current", "dashboard.view", order=2),
        NavItem("reports.capaian", _l("Laporan capaian"), "indicators.capaian_index", "reports.view", order=45),
    ),
    home_endpoints=("indicators.dashboard",),
    seeders=(seed_indicators,),
    cli_groups=(iku_group,),
    # the IKU it seeds are measured by the documents, survey and registers capabilities
    requires_measures=tuple(seed_data.MEASURES.values()),
)
