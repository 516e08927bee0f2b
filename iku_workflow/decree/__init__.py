"""The Keputusan Camat on the IKU: drafts, Word versions, the signed final decree, the office's kop
template and the capaian report downloads."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("decree", __name__)
# the public verification page of final decrees (no sign-in)
public_bp = Blueprint("decree_public", __name__)


def seed_demo_decree(office, echo) -> None:
    """Demo data: the reference decree of 2025 (its real nomor and date) as a draft of the demo office."""
    from datetime import date

    from ..seed import gumukmas_2025 as seed
    from . import operations

    if office.code != seed.OFFICE["code"] or operations.find_decree(office, 2025) is not None:
        return
    decree = operations.create_decree(office, 2025, None)
    operations.update_decree(decree, None, {"nomor": seed.NOMOR, "tanggal": date.fromisoformat(seed.TANGGAL)})
    echo("Draf Keputusan Camat tentang IKU 2025 dibuat dari keputusan acuan.")


from . import views, letterhead_views, report_views, public  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from .cli import decree_group  # noqa: E402
from .operations import is_final  # noqa: E402

CAPABILITY = Capability(
    name="decree",
    blueprints=(bp, public_bp),
    nav=(
        NavItem("decree", _l("Keputusan"), "decree.index", "decree.view", order=40),
        NavItem("reports.capaian", _l("Laporan capaian"), "decree.capaian_index", "reports.view", order=45),
        NavItem("admin.letterhead", _l("Kop surat"), "decree.letterhead", "office.edit", group=_l("Admin"), order=93),
    ),
    seeders=(seed_demo_decree,),
    cli_groups=(decree_group,),
    # a final decree of (office, year) locks that year's IKU
    year_locks=(is_final,),
)
