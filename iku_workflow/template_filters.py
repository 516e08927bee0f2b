"""The Jinja filters every page may use, registered once per app by the core capability.

The formatting itself lives in ``domain/`` (numbers, dates) and ``labels.py``; these are the thin
adapters the templates call.
"""
from __future__ import annotations

from decimal import Decimal

from .domain.numbers import format_id as _format_id
from .domain.numbers import round_half_up
from .labels import audit_action_label, domain_label


def format_id(value, places: int = 2) -> str:
    return _format_id(value, places)


def format_tanggal(value) -> str:
    """A date on a page: "12 Februari 2025" (the official form), or "12 February 2025" for English users."""
    from flask_babel import format_date, get_locale

    from .domain.dates import format_tanggal

    if not value:
        return ""
    locale = get_locale()
    if locale is not None and locale.language != "id":
        return format_date(value, "d MMMM yyyy")
    return format_tanggal(value)


def number_id(value) -> str:
    """A number the Indonesian way without needless decimals (82 → "82", 66.5 → "66,5"); None → ""."""
    if value is None:
        return ""
    rounded = round_half_up(value, 2)
    places = 0 if rounded == rounded.to_integral_value() else (1 if (rounded * 10) == (rounded * 10).to_integral_value() else 2)
    return _format_id(Decimal(rounded), places)


def percent_id(value) -> str:
    """A capaian/realisation with 2 decimals and a decimal comma ("66,67"); None → "—"."""
    return "—" if value is None else _format_id(value, 2)


FILTERS = {
    "domain_label": domain_label,
    "audit_action": audit_action_label,
    "format_id": format_id,
    "format_tanggal": format_tanggal,
    "number_id": number_id,
    "percent_id": percent_id,
    "idnum": _format_id,
}
