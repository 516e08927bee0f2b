"""The kabupaten's read-only view of an office-year's Rencana Aksi: the capaian s.d. each triwulan per PK
indicator with the state of its notes (a capability panel on the kabupaten's page of the office), and the
quarterly monitoring report in Word, for the kabupaten's users only."""
from __future__ import annotations

import io
import re

from flask import abort, render_template, send_file
from flask_login import login_required

from ..access import kabupaten_office_or_404, require
from ..labels import QUARTER_SHORT
from ..models import Office
from ..reports import DOCX_MIME
from . import bp, operations


def panel(office: Office, year: int) -> str:
    """Per renaksi indicator and triwulan: the capaian s.d. TW (the dashboard's numbers) and its notes' state."""
    from ..indicators.summary import year_summary

    summaries = year_summary(office.id, year)  # once for the four triwulan
    by_tw = {tw: operations.monitoring(office, year, tw, summaries) for tw in operations.TW}
    indicators = [row.indicator for row in by_tw[1]]
    cells = {(row.indicator.id, tw): row for tw, rows in by_tw.items() for row in rows}
    return render_template("renaksi/_kabupaten_panel.html", office=office, year=year, indicators=indicators,
                           cells=cells, tws=operations.TW, tw_labels=QUARTER_SHORT)


@bp.route("/kabupaten/kecamatan/<code>/renaksi/<int:year>/monitoring/<int:tw>.docx")
@login_required
def kabupaten_monitoring(code: str, year: int, tw: int):
    require("kabupaten.view")
    office = kabupaten_office_or_404(code)
    if tw not in operations.TW or not 2000 <= year <= 2100:
        abort(404)
    from ..reports import renaksi as report
    from .content import monitoring_context

    data = report.build_monitoring_docx(monitoring_context(office, year, tw))
    name = re.sub(r"[^A-Za-z0-9]+", "-", office.name).strip("-") or "Kecamatan"
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=f"Monitoring-Renaksi-TW{tw}-{name}-{year}.docx")
