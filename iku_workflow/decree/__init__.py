"""The Keputusan Camat on the IKU: drafts, Word versions and the signed final decree."""
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


from . import public, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from .cli import decree_group  # noqa: E402
from .due import decree_due_items  # noqa: E402
from .operations import is_final  # noqa: E402

CAPABILITY = Capability(
    name="decree",
    blueprints=(bp, public_bp),
    nav=(
        NavItem("decree", _l("Keputusan"), "decree.index", "decree.view", order=40),
    ),
    seeders=(seed_demo_decree,),
    cli_groups=(decree_group,),
    # a final decree of (office, year) locks that year's IKU
    year_locks=(is_final,),
    # the year's decree falls due (IKU_DECREE_DUE): office board and reminders
    due_items=(decree_due_items,),
)
