"""The dashboard (every role's landing page) and the Excel export of the capaian table."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import measures
from ..access import can, require
from ..labels import QUARTER_SHORT
from ..reports import XLSX_MIME
from . import bp
from .export import capaian_workbook
from .overview import overview
from .summary import document_completion, pending_review_count, year_summary

def data_link(measure: str, year: int) -> str | None:
    """The page with the data behind a measure's number, as the declaring capability names it."""
    declared = measures.declared().get(measure)
    if declared is None or declared.data_page is None:
        return None
    endpoint, values = declared.data_page(year)
    return url_for(endpoint, **values)


def chart_data(item) -> dict:
    """Realisation ("s.d. TW") against target per triwulan, for static/js/dashboard.js."""
    def num(v):
        return None if v is None else float(v)

    return {"labels": [str(QUARTER_SHORT[tw]) for tw in (1, 2, 3, 4)], "unit": item.unit,
            "legend": {"realisation": _("Realisasi (s.d. TW)"), "target": _("Target")},
            "realisation": [num(item.measured.upto[tw]) for tw in (1, 2, 3, 4)],
            "target": [num(item.target_upto[tw]) for tw in (1, 2, 3, 4)]}


@bp.route("/dasbor", defaults={"year": None})
@bp.route("/dasbor/<int:year>")
@login_required
def dashboard(year: int | None):
    """Every role's landing page: the office's IKU achievement of a year (default: this year)."""
    require("dashboard.view")
    year = year or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    office_id = current_user.office_id
    items = year_summary(office_id, year)
    return render_template(
        "indicators/dashboard.html", year=year, items=items, tw_labels=QUARTER_SHORT,
        ov=overview(office_id, year, items),
        links={i.number: data_link(i.measure, year) for i in items},
        charts={i.number: chart_data(i) for i in items},
        pending=pending_review_count(office_id) if can(current_user, "dashboard.pending") else None,
        completion=document_completion(office_id, year),
    )


@bp.route("/dasbor/<int:year>/ringkasan")
@login_required
def dashboard_print(year: int):
    """The overview alone, laid out for paper (the browser's print): the Camat's one page of the year."""
    require("dashboard.view")
    if not 2000 <= year <= 2100:
        abort(404)
    office_id = current_user.office_id
    items = year_summary(office_id, year)
    return render_template(
        "indicators/overview_print.html", year=year, ov=overview(office_id, year, items), printed=date.today(),
        completion=document_completion(office_id, year),
        pending=pending_review_count(office_id) if can(current_user, "dashboard.pending") else None)


@bp.route("/dasbor/<int:year>/excel")
@login_required
def dashboard_excel(year: int):
    require("reports.view")
    if not 2000 <= year <= 2100:
        abort(404)
    office = current_user.office
    data = capaian_workbook(office, year, year_summary(office.id, year), date.today())
    return Response(data, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="capaian-iku-{office.code}-{year}.xlsx"'})
