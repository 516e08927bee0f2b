"""Capaian IKU report: per indicator its sasaran, target, realisation s.d. each triwulan and for the
period, % capaian and kriteria (RULES.md §3, the LKjIP table of §4), as .docx (landscape) and .xlsx.
The numbers are the dashboard's (cumulative "s.d. TW" values from ``measures``)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT

from ..formatting import format_date, format_decimal, format_percent, triwulan_short
from ..domain.text import SafeSheet
from .context import CapaianReportContext, CapaianRow
from .docx_common import (
    CENTER, add_row, merge_down, new_table, para, shade,
    signature_block, text_width, to_bytes, vcenter,
)
from .letterhead import open_base

PERIOD_KEYS = ("tw1", "tw2", "tw3", "tw4", "year")

#: The first header row; "Realisasi" spans the five realisation columns named by the second row.
TOP_HEADERS = ("No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi", "% Capaian", "Kriteria")
_REALISASI_AT = 5  # first grid column under "Realisasi"
# No, Sasaran, Indikator, Satuan, Target, 5 x realisation, % Capaian, Kriteria (shares of the text width)
_SHARES = (0.032, 0.19, 0.225, 0.072, 0.056, 0.058, 0.058, 0.058, 0.058, 0.058, 0.065, 0.07)

#: Units that count things: their values print as whole numbers ("11", never "11,00").
COUNT_UNITS = frozenset({"dokumen"})

#: Excel's paperSize codes (ECMA-376 §18.18.43). A4 is 9. F4 (215 × 330 mm) has no code of its own:
#: the nearest is 14, "Folio" 8.5 × 13 in (215.9 × 330.2 mm), which is what offices print F4 on.
XLSX_PAPER_SIZE = {"A4": 9, "F4": 14}

COMPLETION_LABEL = "Tingkat kelengkapan dokumen"  # approved required documents ÷ required × 100


def realisation_headers(ctx: CapaianReportContext) -> tuple[str, ...]:
    """The second header row under "Realisasi": "s.d. TW I".."s.d. TW IV" (cumulative, as on the
    dashboard), then the period column, "Tahun" or the chosen "s.d. TW n"."""
    period = "Tahun" if ctx.upto_tw is None else f"s.d. {triwulan_short(ctx.upto_tw)}"
    return (*(f"s.d. {triwulan_short(tw)}" for tw in range(1, 5)), period)


def headers(ctx: CapaianReportContext) -> tuple[str, ...]:
    """One title per column, the realisation columns named in full ("Realisasi s.d. TW I")."""
    return (*TOP_HEADERS[:_REALISASI_AT], *(f"Realisasi {h}" for h in realisation_headers(ctx)),
            *TOP_HEADERS[_REALISASI_AT + 1:])


def title_lines(ctx: CapaianReportContext) -> list[str]:
    return ["LAPORAN CAPAIAN INDIKATOR KINERJA UTAMA",
            f"KECAMATAN {ctx.office.name.upper()} KABUPATEN {ctx.office.kabupaten.upper()}",
            ctx.period_label.upper()]


def is_count(value, satuan: str) -> bool:
    """A count (unit "dokumen") holding a whole number."""
    return satuan in COUNT_UNITS and value is not None and Decimal(value) == Decimal(value).to_integral_value()


def format_value(value, satuan: str) -> str:
    """A target or realisation as printed: counts without decimals, everything else with two."""
    return format_decimal(value, places=0 if is_count(value, satuan) else 2)


def table_values(ctx: CapaianReportContext) -> list[list[str]]:
    """The printed strings of the table, one list per indicator (one string per column)."""
    rows = []
    for r in ctx.rows:
        rows.append([f"{r.number}.", r.sasaran, r.indikator, r.satuan, format_value(r.target, r.satuan)]
                    + [format_value(r.realisasi.get(k), r.satuan) for k in PERIOD_KEYS]
                    + [format_percent(r.capaian), r.kriteria or "–"])
    return rows


def completion_text(ctx: CapaianReportContext) -> str:
    """"Tingkat kelengkapan dokumen s.d. Triwulan II 2025: 27,27% (3 dari 11 dokumen wajib disetujui)"."""
    label = f"{COMPLETION_LABEL} {ctx.period_label}"
    if ctx.completion_rate is None:
        return f"{label}: belum dapat dihitung"
    text = f"{label}: {format_percent(ctx.completion_rate)}"
    if ctx.completion_counts is not None:
        approved, required = ctx.completion_counts
        text += f" ({approved} dari {required} dokumen wajib disetujui)"
    return text


def predikat_text(row: CapaianRow) -> str:
    """"Predikat SAKIP: A (Memuaskan)", printed under the SAKIP indicator's name ("" for the others)."""
    return f"Predikat SAKIP: {row.predikat}" if row.predikat else ""


def _header_rows(table, ctx: CapaianReportContext) -> None:
    """Two header rows, both repeated on every page: "Realisasi" over its five columns, the other
    titles merged down over the two rows."""
    spans = [1] * _REALISASI_AT + [5] + [1] * (len(TOP_HEADERS) - _REALISASI_AT - 1)
    top = add_row(table, cant_split=True, header=True, spans=spans)
    below = add_row(table, cant_split=True, header=True)
    for cell, title in zip(top, TOP_HEADERS):
        para(cell, title, style="Tabel Judul")
    for cell, title in zip(below[_REALISASI_AT:_REALISASI_AT + 5], realisation_headers(ctx)):
        para(cell, title, style="Tabel Judul")
    for cell in (*top, *below):
        shade(cell)
        vcenter(cell)
    for i, cell in enumerate(top):
        if i != _REALISASI_AT:
            merge_down(cell, below[i if i < _REALISASI_AT else i + 4])


def build_capaian_docx(ctx: CapaianReportContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, ctx.paper, landscape=True)  # twelve columns need the width
    width = text_width(doc.sections[-1])
    for i, line in enumerate(title_lines(ctx)):
        para(doc, line, style="Judul", space_before=12 if i == 0 else None)
    para(doc, "", space_after=6)
    widths = [int(width * s) for s in _SHARES]
    widths[2] += width - sum(widths)
    aligns = [CENTER, None, None, CENTER] + [CENTER] * 8
    table = new_table(doc, widths, borders=True, style_align=WD_TABLE_ALIGNMENT.CENTER)
    _header_rows(table, ctx)
    for row, values in zip(ctx.rows, table_values(ctx)):
        cells = add_row(table, cant_split=True)
        for cell, value, align in zip(cells, values, aligns):
            para(cell, value, style="Tabel", align=align)
        if row.predikat:  # the SAKIP predikat of the period's score, beside the indicator (RULES.md §2)
            para(cells[2], predikat_text(row), style="Tabel", bold=True, size=9)
    para(doc, completion_text(ctx), space_before=6)
    para(doc, f"Dicetak pada {format_date(ctx.printed_on)}", size=10)
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, "
                               f"{format_date(ctx.printed_on)}")
    return to_bytes(doc)


def set_xlsx_paper(ws, paper: str) -> None:
    """Landscape on the office's paper (F4 as Folio, see :data:`XLSX_PAPER_SIZE`), one page wide."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = XLSX_PAPER_SIZE.get((paper or "F4").upper(), XLSX_PAPER_SIZE["F4"])
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def value_format(value, satuan: str) -> str:
    return "0" if is_count(value, satuan) else "0.00"


#: Fill of the Kriteria cell per criteria band (the dashboard's colours).
BAND_FILL = {"sangat_tinggi": "146C43", "tinggi": "20C997", "sedang": "FFC107", "rendah": "FD7E14",
             "sangat_rendah": "DC3545"}
#: Column widths of the capaian table in a workbook (No … Keterangan).
XLSX_WIDTHS = (5, 35, 40, 9, 9, 10, 10, 10, 10, 10, 10, 15, 22)


def write_capaian_table(ws, rows, *, head_row: int, realisation_titles, grouped: bool) -> int:
    """The one writer of the capaian table into a worksheet, for the capaian report's workbook and the
    dashboard's: headers at ``head_row``, then one line per `CapaianRow`; returns the first row after it.

    ``realisation_titles`` name the five realisation columns ("s.d. TW I" … and the period's).
    ``grouped``: two header rows, "Realisasi" over the five titles and the others merged down (the
    report, as its Word table); otherwise one row of full titles ("Realisasi s.d. TW I").
    Numbers stay numbers as given (counts "0", others "0.00"), blanks stay empty, the SAKIP predikat
    goes in "Keterangan" beside IKU 5 and the Kriteria cell takes its band's colour (``band_code``).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    titles = tuple(realisation_titles)
    if grouped:
        header_rows = [list(TOP_HEADERS[:_REALISASI_AT]) + ["Realisasi"] + [None] * 4
                       + list(TOP_HEADERS[_REALISASI_AT + 1:]) + ["Keterangan"],
                       [None] * _REALISASI_AT + list(titles) + [None] * 3]
    else:
        header_rows = [list(TOP_HEADERS[:_REALISASI_AT]) + [f"Realisasi {t}" for t in titles]
                       + list(TOP_HEADERS[_REALISASI_AT + 1:]) + ["Keterangan"]]
    n_cols = len(header_rows[0])
    for offset, titles_row in enumerate(header_rows):
        for col, title in enumerate(titles_row, 1):
            c = ws.cell(row=head_row + offset, column=col, value=title)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.fill = PatternFill("solid", fgColor="D9D9D9")
            c.border = box
    if grouped:
        for col in range(1, n_cols + 1):
            if header_rows[1][col - 1] is None:
                ws.merge_cells(start_row=head_row, start_column=col, end_row=head_row + 1, end_column=col)
        ws.merge_cells(start_row=head_row, start_column=_REALISASI_AT + 1, end_row=head_row,
                       end_column=_REALISASI_AT + 5)
    first = head_row + len(header_rows)
    for n, r in enumerate(rows, first):
        values = [r.number, r.sasaran, r.indikator, r.satuan, r.target,
                  *[r.realisasi.get(k) for k in PERIOD_KEYS], r.capaian, r.kriteria,
                  predikat_text(r) or None]
        for col, value in enumerate(values, 1):
            c = ws.cell(row=n, column=col, value=value)
            c.border = box
            if 5 <= col <= 10:
                c.number_format = value_format(value, r.satuan)
            elif col == 11:
                c.number_format = "0.00"
            if col in (2, 3):
                c.alignment = Alignment(wrap_text=True, vertical="top")
        if r.band_code in BAND_FILL:
            ws.cell(row=n, column=12).fill = PatternFill("solid", fgColor=BAND_FILL[r.band_code])
    for col, w in enumerate(XLSX_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.print_title_rows = f"{head_row}:{first - 1}"
    return first + len(rows)


def build_capaian_xlsx(ctx: CapaianReportContext) -> bytes:
    """The report's table as a workbook (`write_capaian_table`, two header rows as in Word), with the
    document completion rate on its own line below."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = SafeSheet(wb.active)
    ws.title = "Capaian IKU"
    for i, line in enumerate(title_lines(ctx), 1):
        ws.cell(row=i, column=1, value=line).font = Font(bold=True, size=12)
    ws.cell(row=4, column=1, value=f"Dicetak pada {format_date(ctx.printed_on)}")
    after = write_capaian_table(ws, ctx.rows, head_row=6, realisation_titles=realisation_headers(ctx), grouped=True)
    # the document completion rate is no IKU: its own labelled line below the table, outside the IKU columns
    line = after + 1
    ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=4)
    ws.cell(row=line, column=1, value=f"{COMPLETION_LABEL} {ctx.period_label} (%)").font = Font(bold=True)
    c = ws.cell(row=line, column=5, value=ctx.completion_rate if ctx.completion_rate is not None
                else "belum dapat dihitung")
    c.number_format = "0.00"
    c.alignment = Alignment(horizontal="left")
    if ctx.completion_rate is not None and ctx.completion_counts is not None:
        approved, required = ctx.completion_counts
        ws.cell(row=line, column=6, value=f"{approved} dari {required} dokumen wajib disetujui")
    set_xlsx_paper(ws, ctx.paper)
    from .cells import text_only

    text_only(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
