"""Excel export of the capaian table (LKjIP chapter III layout, RULES.md §4) from ``year_summary``."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..domain.text import SafeSheet
from ..domain.dates import format_tanggal
from ..domain.numbers import round_half_up
from ..domain import sakip
from ..reports.capaian_report import set_xlsx_paper, value_format

# realisation "s.d. TW" (cumulative from TW I), the dashboard's own columns; the sasaran is the
# indicator's kinerja utama (RULES.md §4); Keterangan holds the SAKIP predikat beside IKU 5
HEADERS = ["No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi s.d. TW I", "Realisasi s.d. TW II",
           "Realisasi s.d. TW III", "Realisasi s.d. TW IV", "Realisasi tahun", "% Capaian", "Kriteria",
           "Keterangan"]
_VALUES = range(5, 11)  # target and the realisations: whole numbers for counts (documents)
BAND_FILL = {"sangat_tinggi": "146C43", "tinggi": "20C997", "sedang": "FFC107", "rendah": "FD7E14",
             "sangat_rendah": "DC3545"}


def _num(value):
    return None if value is None else float(round_half_up(value, 2))


def capaian_workbook(office, year: int, items, printed: date) -> bytes:
    """The capaian table as .xlsx bytes: office, year and print date above the table."""
    wb = Workbook()
    ws = SafeSheet(wb.active)
    ws.title = f"Capaian {year}"
    ws.append([f"CAPAIAN INDIKATOR KINERJA UTAMA {office.full_name.upper()}"])
    ws.append([f"Kabupaten {office.kabupaten} · Tahun {year}"])
    ws.append([f"Dicetak {format_tanggal(printed)}"])
    ws.append([])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(HEADERS)
    thin = Side(style="thin")
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9ECEF")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    units = {}
    for item in items:
        predikat = sakip.predikat_label(item.measured.year) if item.measure == sakip.MEASURE else ""
        ws.append([item.number, item.kinerja_utama, item.name, item.unit, _num(item.target),
                   *[_num(item.measured.upto[tw]) for tw in (1, 2, 3, 4)], _num(item.measured.year),
                   _num(item.capaian), item.band.label if item.band else "Belum ada data",
                   f"Predikat SAKIP: {predikat}" if predikat else None])
        row = ws.max_row
        units[row] = item.unit
        if item.band:
            ws.cell(row, 12).fill = PatternFill("solid", fgColor=BAND_FILL.get(item.band.code, "FFFFFF"))
    for row in ws.iter_rows(min_row=5, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.column in (2, 3):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, float):
                unit = units.get(cell.row, "")
                cell.number_format = value_format(cell.value, unit) if cell.column in _VALUES else "0.00"
    for letter, width in zip("ABCDEFGHIJKLM", (5, 35, 45, 9, 10, 11, 11, 11, 11, 11, 11, 15, 22)):
        ws.column_dimensions[letter].width = width
    ws.print_title_rows = "5:5"
    set_xlsx_paper(ws, getattr(office.paper_size, "value", office.paper_size) or "F4")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
