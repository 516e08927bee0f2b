"""Excel export of the dashboard's capaian table (LKjIP chapter III layout, RULES.md §4) from
``year_summary``, written by the capaian report's own table writer (`reports.capaian_report`)."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from ..domain.text import SafeSheet
from ..domain import sakip
from ..domain.numbers import round_half_up
from ..formatting import format_date, triwulan_short
from ..reports.capaian_report import set_xlsx_paper, write_capaian_table
from ..reports.context import CapaianRow
from ..reports import cells

# realisation "s.d. TW" (cumulative from TW I), the dashboard's own columns, then the year's
REALISATION_TITLES = (*(f"s.d. {triwulan_short(tw)}" for tw in (1, 2, 3, 4)), "tahun")


def _num(value):
    return None if value is None else float(round_half_up(value, 2))


def capaian_rows(items) -> list[CapaianRow]:
    """The dashboard's summaries as the table's rows: the sasaran is the indicator's kinerja utama
    (RULES.md §4), values rounded to 2 decimals, the SAKIP predikat beside IKU 5."""
    rows = []
    for item in items:
        realisasi = {f"tw{tw}": _num(item.measured.upto[tw]) for tw in (1, 2, 3, 4)}
        realisasi["year"] = _num(item.measured.year)
        rows.append(CapaianRow(
            item.number, item.name, item.unit, _num(item.target), realisasi, _num(item.capaian),
            item.band.label if item.band else "Belum ada data", sasaran=item.kinerja_utama,
            predikat=sakip.predikat_label(item.measured.year) if item.measure == sakip.MEASURE else "",
            band_code=item.band.code if item.band else ""))
    return rows


def capaian_workbook(office, year: int, items, printed: date) -> bytes:
    """The capaian table as .xlsx bytes: office, year and print date above the table."""
    wb = Workbook()
    ws = SafeSheet(wb.active)
    ws.title = f"Capaian {year}"
    ws.append([f"CAPAIAN INDIKATOR KINERJA UTAMA {office.full_name.upper()}"])
    ws.append([f"Kabupaten {office.kabupaten} · Tahun {year}"])
    ws.append([f"Dicetak {format_date(printed)}"])
    ws["A1"].font = Font(bold=True, size=13)
    write_capaian_table(ws, capaian_rows(items), head_row=5, realisation_titles=REALISATION_TITLES, grouped=False)
    set_xlsx_paper(ws, getattr(office.paper_size, "value", office.paper_size) or "F4")
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

