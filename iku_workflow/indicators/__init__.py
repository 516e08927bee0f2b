"""IKU catalogue, targets, achievement and the dashboard."""
from decimal import Decimal

from flask import Blueprint

from ..domain.numbers import format_id, round_half_up

bp = Blueprint("indicators", __name__)


@bp.app_template_filter("number_id")
def number_id(value) -> str:
    """A number the Indonesian way without needless decimals (82 → "82", 66.5 → "66,5"); None → ""."""
    if value is None:
        return ""
    rounded = round_half_up(value, 2)
    places = 0 if rounded == rounded.to_integral_value() else (1 if (rounded * 10) == (rounded * 10).to_integral_value() else 2)
    return format_id(Decimal(rounded), places)


@bp.app_template_filter("percent_id")
def percent_id(value) -> str:
    """A capaian/realisation with 2 decimals and a decimal comma ("66,67"); None → "—"."""
    return "—" if value is None else format_id(value, 2)


from . import dashboard, views  # noqa: E402,F401
