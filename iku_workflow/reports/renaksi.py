"""The Rencana Aksi matrix (Word and Excel) and the quarterly monitoring report (Word), RULES.md §8: landscape, on
the kop, the Camat's signature; every figure s.d. TW is the dashboard's."""
from __future__ import annotations

import io

from docx.enum.table import WD_TABLE_ALIGNMENT

from ..formatting import format_date, format_decimal, format_number, roman, triwulan_short
from .cells import text_only
from .context import MonitoringContext, RenaksiContext
from .docx_common import CENTER, add_row, new_table, para, shade, signature_block, text_width, to_bytes, vcenter
from .letterhead import open_base
from .pk import target_text

__all__ = ["build_renaksi_docx", "build_renaksi_xlsx", "build_monitoring_docx", "tw_text"]

NONE = "—"


def _n(value) -> str:
    return NONE if value is None else format_number(value, places=2)


def _pct(value) -> str:
    return NONE if value is None else f"{format_decimal(value, places=2)}%"


def tw_text(target, realisation, capaian) -> str:
    """"T 50 · R s.d. 40 · C 80,00%": the triwulan's cell of the matrix."""
    return f"T {_n(target)}\nR {_n(realisation)}\nC {_pct(capaian)}"


def _money(value) -> str:
    return "" if value is None else format_decimal(value, places=2)


def _header(table, titles) -> None:
    cells = add_row(table, cant_split=True, header=True)
    for cell, title in zip(cells, titles):
        para(cell, title, style="Tabel Judul")
        shade(cell)
        vcenter(cell)


PLAN_HEADERS = ("No", "Sasaran / Indikator Kinerja", "Target Tahun", *(triwulan_short(tw) for tw in (1, 2, 3, 4)),
                "Kegiatan / Sub Kegiatan", "Penanggung Jawab", "Anggaran (Rp)")
PLAN_SHARES = (0.04, 0.21, 0.07, 0.08, 0.08, 0.08, 0.08, 0.17, 0.08, 0.11)


def build_renaksi_docx(ctx: RenaksiContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, ctx.paper, landscape=True)
    width = text_width(doc.sections[-1])
    para(doc, f"RENCANA AKSI TAHUN {ctx.year}", style="Judul", space_before=12)
    para(doc, f"KECAMATAN {ctx.office.name.upper()}", style="Judul", space_after=6)
    para(doc, "T = target s.d. triwulan, R = realisasi s.d. triwulan, C = capaian (seperti pada dasbor).", size=9)
    widths = [int(width * s) for s in PLAN_SHARES]
    widths[1] += width - sum(widths)
    table = new_table(doc, widths, borders=True, style_align=WD_TABLE_ALIGNMENT.CENTER)
    _header(table, PLAN_HEADERS)
    for row in ctx.rows:
        cells = add_row(table, cant_split=True)
        para(cells[0], str(row.number), style="Tabel", align=CENTER)
        para(cells[1], row.sasaran, style="Tabel", bold=True)
        para(cells[1], row.indikator, style="Tabel")
        para(cells[2], target_text(row.year_target, row.satuan), style="Tabel", align=CENTER)
        for i, tw in enumerate((1, 2, 3, 4)):
            for line in tw_text(*row.tw[tw]).split("\n"):
                para(cells[3 + i], line, style="Tabel")
        for name, section, budget in row.actions or [("", "", None)]:
            para(cells[7], name, style="Tabel")
            para(cells[8], section, style="Tabel")
            para(cells[9], _money(budget), style="Tabel")
    para(doc, "", space_after=6)
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, {format_date(ctx.printed_on)}")
    return to_bytes(doc)


MONITOR_HEADERS = ("No", "Indikator Kinerja", "Target s.d. TW", "Realisasi s.d. TW", "Capaian", "Kriteria",
                   "Kendala", "Tindak Lanjut", "Status")
MONITOR_SHARES = (0.04, 0.2, 0.08, 0.08, 0.07, 0.09, 0.18, 0.18, 0.08)


def build_monitoring_docx(ctx: MonitoringContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, ctx.paper, landscape=True)
    width = text_width(doc.sections[-1])
    para(doc, "LAPORAN MONITORING RENCANA AKSI", style="Judul", space_before=12)
    para(doc, f"TRIWULAN {roman(ctx.tw)} TAHUN {ctx.year}", style="Judul")
    para(doc, f"KECAMATAN {ctx.office.name.upper()}", style="Judul", space_after=12)
    widths = [int(width * s) for s in MONITOR_SHARES]
    widths[1] += width - sum(widths)
    table = new_table(doc, widths, borders=True, style_align=WD_TABLE_ALIGNMENT.CENTER)
    _header(table, [h.replace("TW", f"TW {roman(ctx.tw)}") if "s.d." in h else h for h in MONITOR_HEADERS])
    for row in ctx.rows:
        cells = add_row(table, cant_split=True)
        values = (str(row.number), row.indikator, target_text(row.target, row.satuan),
                  target_text(row.realisation, row.satuan),
                  _pct(row.capaian), row.kriteria or NONE, row.kendala, row.tindak_lanjut, row.status)
        for i, (cell, value) in enumerate(zip(cells, values)):
            para(cell, value, style="Tabel", align=CENTER if i in (0, 2, 3, 4) else None)
    para(doc, "", space_after=6)
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, {format_date(ctx.printed_on)}")
    return to_bytes(doc)


XLSX_HEADERS = ("No", "Sasaran", "Indikator Kinerja", "Satuan", "Target Tahun",
                *[f"{what} TW {roman(tw)}" for tw in (1, 2, 3, 4) for what in ("Target s.d.", "Realisasi s.d.",
                                                                               "Capaian (%)")],
                "Kegiatan / Sub Kegiatan", "Penanggung Jawab", "Anggaran (Rp)")


def build_renaksi_xlsx(ctx: RenaksiContext) -> bytes:
    """One row per action (an indicator without actions: one row); numbers stay numbers, every text is text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..domain.text import xml_safe
    from .capaian_report import set_xlsx_paper

    wb = Workbook()
    ws = wb.active
    ws.title = "Rencana Aksi"
    ws.append([f"RENCANA AKSI TAHUN {ctx.year} — KECAMATAN {xml_safe(ctx.office.name).upper()}"])
    ws["A1"].font = Font(bold=True)
    ws.append(["Nilai s.d. triwulan seperti pada dasbor."])
    ws.append(list(XLSX_HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in ctx.rows:
        figures = []
        for tw in (1, 2, 3, 4):
            figures += [float(v) if v is not None else None for v in row.tw[tw]]
        for name, section, budget in row.actions or [("", "", None)]:
            ws.append([row.number, xml_safe(row.sasaran), xml_safe(row.indikator), row.satuan,
                       float(row.year_target) if row.year_target is not None else None, *figures,
                       xml_safe(name), xml_safe(section), float(budget) if budget is not None else None])
    for column, width in zip("ABCDEFGHIJKLMNOPQRSTU", (5, 30, 40, 9, 10, *([10] * 12), 40, 18, 16)):
        ws.column_dimensions[column].width = width
    set_xlsx_paper(ws, ctx.paper)
    text_only(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
