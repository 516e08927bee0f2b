"""The Jinja filters every page may use, registered once per app by the core capability.

Thin wrappers over the one formatter (``iku_workflow.formatting``) that pass the page's locale
(``number_input.page_locale``): an English page shows "1,500.00" and "12 February 2025", an
Indonesian page "1.500,00" and "12 Februari 2025". Documents (Word, Excel, the decree preview) call
the formatter directly and stay Indonesian whatever the page language.
"""
from __future__ import annotations

from . import formatting
from .labels import audit_action_label, audit_details, domain_label
from .number_input import page_locale


def page_decimal(value, places: int = 2) -> str:
    """A figure with exactly ``places`` decimals ("1.234,50" / "1,234.50"); None -> "–"."""
    return formatting.format_decimal(value, page_locale(), places)


def page_number(value) -> str:
    """A number without needless decimals (82 -> "82", 66.5 -> "66,5" / "66.5"); None -> ""."""
    return formatting.format_number(value, page_locale())


def page_percent_value(value) -> str:
    """A capaian/realisation with 2 decimals ("66,67" / "66.67"), the page writes the "%"; None -> "—"."""
    return formatting.format_decimal(value, page_locale(), 2, empty="—")


def page_date(value) -> str:
    """A date: "12 Februari 2025" on an Indonesian page, "12 February 2025" on an English one; None -> ""."""
    return formatting.format_date(value, page_locale()) if value else ""


def page_file_size(value) -> str:
    """A file size: "12,3 KB" on an Indonesian page, "12.3 KB" on an English one; None -> ""."""
    return formatting.format_file_size(value, page_locale())


def page_datetime(value, format: str = "medium") -> str:
    """Flask-Babel's ``datetimeformat`` in the office's time (Asia/Jakarta), with "WIB" after a time of day
    ("12 Feb 2025 14:05 WIB"), so that nobody reads it as their own zone or as UTC; a date alone stays bare."""
    from flask_babel import format_datetime

    if value is None:
        return ""
    text = format_datetime(value, format)
    if format in ("short", "medium", "long", "full") or "H" in format or "h" in format:
        text += " WIB"
    return text


def inline_viewable(mime) -> bool:
    """Whether a stored file of this type gets a "Lihat" link (PDF, JPEG, PNG; its own bytes decide when sent)."""
    from .storage import inline_possible

    return inline_possible(mime)


FILTERS = {
    "domain_label": domain_label,
    "audit_action": audit_action_label,
    "audit_details": audit_details,
    "decimal": page_decimal,
    "number": page_number,
    "percent_value": page_percent_value,
    "date": page_date,
    "file_size": page_file_size,
    "inline_viewable": inline_viewable,
}
