"""The decree's Lampiran: a landscape section with the IKU table (RULES.md §4–§5)."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from .blocks import render_blocks
from .context import AnnexContent, DecreeContext
from .docx_common import (
    CENTER, LabelTable, add_row, new_table, page_setup, para, shade,
    signature_block, text_width, vcenter,
)

COLUMNS = ("NO.", "KINERJA UTAMA", "INDIKATOR KINERJA UTAMA",
           "FORMULASI PERHITUNGAN DAN PENJELASAN", "BIDANG PENANGGUNG JAWAB", "SUMBER DATA")
# shares of the text width; the formulation column gets the room it needs
_SHARES = (0.045, 0.16, 0.16, 0.38, 0.13, 0.125)


def add_annex(doc, ctx: DecreeContext, date_text: str, jabatan: str) -> None:
    annex: AnnexContent = ctx.annex
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, ctx.paper, landscape=True)
    _plain_header(section)
    width = text_width(section)

    _lampiran_header(doc, ctx, date_text, jabatan, width)
    para(doc, "INDIKATOR KINERJA UTAMA (IKU)", style="Judul", space_before=12)
    para(doc, f"KECAMATAN {ctx.office.name.upper()} KABUPATEN {ctx.office.kabupaten.upper()}",
         style="Judul", space_after=12)

    info = LabelTable(doc, width, label_width=Cm(4.2))
    info.text_row("Instansi", annex.instansi)
    info.block("Tugas", annex.tugas, "letter")
    info.block("Fungsi", annex.fungsi, "letter")
    info.block("Tujuan", annex.tujuan, "number")
    info.block("Indikator Tujuan", annex.indikator_tujuan, "number")

    # the seed's heading over the table, kept on the table's first page
    para(doc, "INDIKATOR KINERJA UTAMA", style="Judul", space_before=12, keep_next=True)
    para(doc, f"KECAMATAN {ctx.office.name.upper()}", style="Judul", space_after=6,
         keep_next=True)
    iku_table(doc, annex, width)
    signature_block(doc, ctx.signatory, width)


def _plain_header(section) -> None:
    """The annex carries no kop: its own empty headers, page numbers kept in the footer."""
    section.different_first_page_header_footer = False
    header = section.header
    header.is_linked_to_previous = False
    for p in header.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    for tbl in header._element.findall(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"):
        header._element.remove(tbl)
    if header.paragraphs:
        header.paragraphs[0].text = ""


def _lampiran_header(doc, ctx: DecreeContext, date_text: str, jabatan: str, width) -> None:
    half = int(width * 0.52)
    label, colon = Cm(2.8), Cm(0.5)
    table = new_table(doc, [width - half, label, colon, half - label - colon])
    rows = [("LAMPIRAN", None), (f"KEPUTUSAN {jabatan}", None), ("NOMOR", ctx.nomor),
            ("TANGGAL", date_text), ("TENTANG", ctx.tentang.upper())]
    for name, value in rows:
        cells = add_row(table, spans=[1, 3] if value is None else None)
        if value is None:
            para(cells[1], name, style="Lampiran")
        else:
            para(cells[1], name, style="Lampiran")
            para(cells[2], ":", style="Lampiran")
            para(cells[3], value, style="Lampiran")


def iku_table(doc, annex: AnnexContent, width):
    widths = [int(width * s) for s in _SHARES]
    widths[3] += width - sum(widths)
    table = new_table(doc, widths, borders=True, style_align=WD_TABLE_ALIGNMENT.CENTER)
    cells = add_row(table, cant_split=True, header=True)
    for cell, title in zip(cells, COLUMNS):
        para(cell, title, style="Tabel Judul")
        shade(cell)
        vcenter(cell)
    pad = Cm(0.3)  # the cell margins left and right
    for row in annex.rows:
        cells = add_row(table, cant_split=True)
        para(cells[0], f"{row.number}.", style="Tabel", align=CENTER)
        para(cells[1], row.kinerja_utama, style="Tabel")  # narrow: left, not justified
        para(cells[2], row.indikator, style="Tabel")
        render_blocks(cells[3], row.formulation, widths[3] - pad)
        for line in (row.bidang or "").splitlines() or [""]:
            para(cells[4], line, style="Tabel")
        para(cells[5], row.sumber_data, style="Tabel")
    return table
