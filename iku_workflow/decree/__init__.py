"""The Keputusan Camat on the IKU: drafts, Word versions, the signed final decree, the office's kop
template and the capaian report downloads."""
from flask import Blueprint

bp = Blueprint("decree", __name__)


def register_lock() -> None:
    """A final decree of (office, year) locks that year's IKU in the indicators capability."""
    try:
        from ..indicators import locks
    except ImportError:  # the indicators capability is not in this build
        return
    from .operations import is_final

    if is_final not in locks.LOCK_CHECKS:
        locks.LOCK_CHECKS.append(is_final)


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


from . import views, letterhead_views, report_views  # noqa: E402,F401
