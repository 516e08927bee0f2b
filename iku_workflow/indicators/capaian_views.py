"""/laporan/capaian/<year>: the capaian report as Word and Excel, with the dashboard's numbers."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import require
from ..domain.capaian import DEFAULT_SCALE
from ..formatting import triwulan_label
from ..labels import QUARTER_LONG, QUARTER_SHORT
from ..reports.capaian_report import build_capaian_docx, build_capaian_xlsx, table_values
from ..letterhead.identity import office_info, paper_of, signatory
from ..letterhead.kop import template_bytes
from ..reports import DOCX_MIME, XLSX_MIME
from ..reports.context import CapaianReportContext
from . import bp, capaian_data


def _period(value: str | None) -> int | None:
    """"tahun" (or nothing) -> None; "tw1".."tw4" -> 1..4; anything else -> 404."""
    if not value or value == "tahun":
        return None
    if value in {"tw1", "tw2", "tw3", "tw4"}:
        return int(value[2])
    abort(404)


def period_label(year: int, upto_tw: int | None) -> str:
    return f"Tahun {year}" if upto_tw is None else f"s.d. {triwulan_label(upto_tw)} {year}"


def _context(year: int, upto_tw: int | None) -> CapaianReportContext:
    office = current_user.office
    rows = capaian_data.capaian_rows(office, year, upto_tw)
    rate = capaian_data.completion_at(office, year, upto_tw)
    return CapaianReportContext(
        office=office_info(office), year=year, period_label=period_label(year, upto_tw), rows=rows,
        completion_rate=rate.percent if rate is not None else None,
        completion_counts=(rate.approved, rate.required) if rate is not None and rate.required else None,
        printed_on=date.today(), signatory=signatory(office), upto_tw=upto_tw,
        paper=paper_of(office))


@bp.route("/laporan/capaian")
@login_required
def capaian_index():
    require("reports.view")
    return redirect(url_for(".capaian", year=date.today().year))


@bp.route("/laporan/capaian/<int:year>")
@login_required
def capaian(year: int):
    require("reports.view")
    if not 2000 <= year <= 2100:
        abort(404)
    periode = request.args.get("periode", "tahun")
    upto_tw = _period(periode)
    try:
        ctx = _context(year, upto_tw)
    except capaian_data.IkuDataUnavailable:
        ctx = None
    periods = [("tahun", _("Tahun %(year)d", year=year))] + [
        (f"tw{tw}", _("s.d. %(tw)s", tw=QUARTER_SHORT[tw])) for tw in range(1, 5)]
    return render_template("indicators/capaian.html", year=year, periode=periode, periods=periods, ctx=ctx,
                           upto_tw=upto_tw, tw_labels=QUARTER_SHORT,
                           period_heading=_("Tahun %(year)d", year=year) if upto_tw is None else
                           _("s.d. %(tw)s %(year)d", tw=QUARTER_LONG[upto_tw], year=year),
                           table=list(zip(ctx.rows, table_values(ctx))) if ctx else [],
                           band_codes={band.label: band.code for band in DEFAULT_SCALE})


def _file_name(year: int, upto_tw: int | None, ext: str) -> str:
    suffix = "Tahun" if upto_tw is None else f"sd-TW{upto_tw}"
    return f"Laporan-Capaian-IKU-{current_user.office.code}-{year}-{suffix}.{ext}"


@bp.route("/laporan/capaian/<int:year>.<fmt>")
@login_required
def capaian_file(year: int, fmt: str):
    require("reports.view")
    if fmt not in {"docx", "xlsx"}:
        abort(404)
    upto_tw = _period(request.args.get("periode"))
    try:
        ctx = _context(year, upto_tw)
    except capaian_data.IkuDataUnavailable:
        abort(404)
    if fmt == "docx":
        data = build_capaian_docx(ctx, template_bytes(current_user.office))
        mime = DOCX_MIME
    else:
        data, mime = build_capaian_xlsx(ctx), XLSX_MIME
    response = send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                         download_name=_file_name(year, upto_tw, fmt))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
