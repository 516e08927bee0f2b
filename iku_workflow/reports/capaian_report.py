"""Capaian IKU report: per indicator target, realisation s.d. each triwulan and for the period,
% capaian and kriteria (RULES.md §3), as .docx (landscape) and .xlsx. The numbers are the dashboard's
(cumulative "s.d. TW" values from ``measures``)."""

from __future__ import annotations

import io

from .context import CapaianReportContext
from .docx_common import (
    CENTER, format_date, format_number, format_percent, grid_table, para,
    signature_block, text_width, to_bytes,
)
from .letterhead import open_base

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_SHARES = (0.04, 0.27, 0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.07, 0.08, 0.12)
PERIOD_KEYS = ("tw1", "tw2", "tw3", "tw4", "year")


def headers(ctx: CapaianReportContext) -> tuple[str, ...]:
    """Column titles: the triwulan columns are "s.d. TW n" (cumulative, as on the dashboard); the
    period column says what it holds, "Tahun" or the chosen "s.d. TW n"."""
    period = "Tahun" if ctx.upto_tw is None else f"s.d. TW {_ROMAN[ctx.upto_tw]}"
    return ("No", "Indikator", "Satuan", "Target", *(f"s.d. TW {_ROMAN[tw]}" for tw in range(1, 5)), period,
            "% Capaian", "Kriteria")


def title_lines(ctx: CapaianReportContext) -> list[str]:
    return ["LAPORAN CAPAIAN INDIKATOR KINERJA UTAMA",
            f"KECAMATAN {ctx.office.name.upper()} KABUPATEN {ctx.office.kabupaten.upper()}",
            ctx.period_label.upper()]


def table_values(ctx: CapaianReportContext) -> list[list[str]]:
    """The printed strings of the table, one list per indicator."""
    rows = []
    for r in ctx.rows:
        rows.append([f"{r.number}.", r.indikator, r.satuan, format_number(r.target)]
                    + [format_number(r.realisasi.get(k)) for k in PERIOD_KEYS]
                    + [format_percent(r.capaian), r.kriteria or "–"])
    return rows


COMPLETION_LABEL = "Tingkat kelengkapan dokumen"  # approved required documents ÷ required × 100, as on the dashboard


def completion_text(ctx: CapaianReportContext) -> str:
    return f"{COMPLETION_LABEL}: " + format_percent(ctx.completion_rate, empty="belum dapat dihitung")


def build_capaian_docx(ctx: CapaianReportContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, "F4", landscape=True)  # eleven columns need the width
    width = text_width(doc.sections[-1])
    for i, line in enumerate(title_lines(ctx)):
        para(doc, line, style="Judul", space_before=12 if i == 0 else None)
    para(doc, "", space_after=6)
    widths = [int(width * s) for s in _SHARES]
    widths[1] += width - sum(widths)
    aligns = [CENTER, None, CENTER] + [CENTER] * 8
    grid_table(doc, widths, headers(ctx), table_values(ctx), aligns=aligns)
    para(doc, completion_text(ctx), space_before=6)
    para(doc, f"Dicetak pada {format_date(ctx.printed_on)}", size=10)
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, "
                               f"{format_date(ctx.printed_on)}")
    return to_bytes(doc)


def build_capaian_xlsx(ctx: CapaianReportContext) -> bytes:
    """The same table as a workbook: numbers stay numbers (format 0.00), blanks stay empty."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian IKU"
    for i, line in enumerate(title_lines(ctx), 1):
        ws.cell(row=i, column=1, value=line).font = Font(bold=True, size=12)
    ws.cell(row=4, column=1, value=f"Dicetak pada {format_date(ctx.printed_on)}")
    head_row = 6
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, title in enumerate(headers(ctx), 1):
        c = ws.cell(row=head_row, column=col, value=title)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.border = box
    for n, r in enumerate(ctx.rows, head_row + 1):
        values = [r.number, r.indikator, r.satuan, r.target,
                  *[r.realisasi.get(k) for k in PERIOD_KEYS], r.capaian, r.kriteria]
        for col, value in enumerate(values, 1):
            c = ws.cell(row=n, column=col, value=value)
            c.border = box
            if 4 <= col <= 10:
                c.number_format = "0.00"
            if col == 2:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    # the document completion rate is no IKU: its own labelled line below the table, outside the IKU columns
    line = head_row + len(ctx.rows) + 2
    ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=2)
    ws.cell(row=line, column=1, value=f"{COMPLETION_LABEL} (%)").font = Font(bold=True)
    c = ws.cell(row=line, column=3, value=ctx.completion_rate if ctx.completion_rate is not None
                else "belum dapat dihitung")
    c.number_format = "0.00"
    c.alignment = Alignment(horizontal="left")
    widths = (5, 50, 10, 10, 10, 10, 10, 10, 10, 11, 15)
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = ws.cell(row=head_row + 1, column=1)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
