"""The Keputusan Camat on the IKU, with its landscape Lampiran (RULES.md §5).

``build_decree(ctx)`` fills the base document (uploaded template or default kop) and returns
the .docx bytes. Layout, top to bottom: title block, "CAMAT …,", Menimbang / Mengingat /
Memperhatikan as label : text rows, MEMUTUSKAN, Menetapkan, the diktum KESATU … , the signature
block at the right, Tembusan; then, when there is an annex, a new landscape section.
"""

from __future__ import annotations

import re
from datetime import date

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Cm

from ..formatting import diktum_word, format_date
from .annex import add_annex
from .context import DecreeContext
from .docx_common import (
    LabelTable, add_row, keep_together, keep_with_next, last_row,
    numbered_list, para,
    signature_block, text_width, to_bytes,
)
from .letterhead import open_base

QR_SIZE = Cm(1.8)


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as PNG bytes (the same bytes for the same URL)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=4, border=2)
    return buf.getvalue()


def verification_footer(section, url: str, label: str = "Periksa keaslian keputusan ini") -> None:
    """The QR code and the link beside it (after ``label``) at the end of the section's footers (first page and
    others)."""
    import io

    from docx.shared import Pt

    image = qr_png(url)
    footers = [section.footer]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer)
    for footer in footers:
        footer.is_linked_to_previous = False
        p = footer.add_paragraph()
        p.add_run().add_picture(io.BytesIO(image), width=QR_SIZE, height=QR_SIZE)
        run = p.add_run(f"  {label}: {url}")
        run.font.size = Pt(8)

__all__ = ["build_decree", "qr_png", "verification_footer", "decree_filename", "decree_date_text"]

GAP = Cm(0.25)  # the empty line the decree leaves between blocks


def decree_date_text(ctx: DecreeContext) -> str:
    """"12 Februari 2025", or a blank for the day and month ("           2025") when the date
    is to be written by hand."""
    if ctx.tanggal is not None:
        return format_date(ctx.tanggal)
    return " " * 24 + str(_year(ctx))


def _year(ctx: DecreeContext) -> int:
    found = re.findall(r"(?:19|20)\d\d", ctx.nomor or "")
    return int(found[-1]) if found else date.today().year


def _jabatan(ctx: DecreeContext) -> str:
    return (ctx.signatory.jabatan or f"CAMAT {ctx.office.name}").upper().rstrip(",")


def build_decree(ctx: DecreeContext, template: bytes | None = None, verify_url: str | None = None) -> bytes:
    """The decree (and its annex when ``ctx.annex``) as .docx bytes; ``verify_url`` (the public
    verification page) is printed with its QR code in the footer of every page."""
    doc = open_base(template, ctx.office, ctx.paper, ctx.font_name, ctx.font_size)
    section = doc.sections[-1]
    if verify_url:
        verification_footer(section, verify_url)
    width = text_width(section)
    jabatan = _jabatan(ctx)
    date_text = decree_date_text(ctx)

    para(doc, f"KEPUTUSAN {jabatan}", style="Judul", space_before=12)
    if ctx.office.kabupaten_line:  # as the seed decree prints its title
        para(doc, f"KABUPATEN {ctx.office.kabupaten.upper()}", style="Judul")
    para(doc, f"NOMOR : {ctx.nomor}", style="Judul", bold=False)
    para(doc, "")
    para(doc, "TENTANG", style="Judul", bold=False)
    para(doc, "")
    para(doc, ctx.tentang.upper(), style="Judul", space_after=12)
    para(doc, f"{jabatan},", style="Judul", space_after=12)

    considerations = LabelTable(doc, width)
    considerations.block("Menimbang", ctx.menimbang, "letter")
    _gap(considerations)
    considerations.block("Mengingat", ctx.mengingat, "number")
    if ctx.memperhatikan:
        _gap(considerations)
        considerations.block("Memperhatikan", ctx.memperhatikan, "number")

    para(doc, "MEMUTUSKAN :", style="Judul", space_before=12, space_after=12, keep_next=True)

    # "Menetapkan : the title" stays whole and on the page of KESATU
    decision = LabelTable(doc, width)
    decision.text_row("Menetapkan", f"KEPUTUSAN {jabatan} TENTANG {ctx.tentang.upper()}.",
                      keep_next=bool(ctx.diktum))
    *body, closing = ctx.diktum or [None]
    for n, diktum in enumerate(body, 1):
        _gap(decision, keep_next=n == 1)
        _diktum(decision, n, diktum)

    # the closing diktum, the signature and the tembusan share one page: one row that cannot
    # split (the small paragraph that separates two tables stands for the gap before it)
    together = keep_together(doc, width, gap=GAP)
    if closing is not None:
        _diktum(LabelTable(together, width), len(ctx.diktum), closing)
    signature_block(together, ctx.signatory, width, place=ctx.tempat or ctx.office.city
                    or ctx.office.name, date_text=date_text)
    if ctx.tembusan:
        numbered_list(together, "Tembusan :", ctx.tembusan, width)

    if ctx.annex is not None:
        add_annex(doc, ctx, date_text, jabatan)
    return to_bytes(doc)


def _diktum(table: LabelTable, n: int, diktum) -> None:
    table.text_row(diktum_word(n), diktum.text)
    if diktum.items:
        table.items(diktum.items, diktum.item_style or "number")


def _gap(label_table: LabelTable, keep_next: bool = False) -> None:
    # a short empty row between blocks, as the decree leaves a line between them
    add_row(label_table.table)
    row = last_row(label_table.table)
    if keep_next:
        keep_with_next(label_table.table._tbl)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    row.height = GAP


def decree_filename(ctx: DecreeContext) -> str:
    """"Keputusan-Camat-Gumukmas-IKU-2025.docx" (ASCII, safe as a download name)."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", ctx.office.name).strip("-") or "Kecamatan"
    return f"Keputusan-Camat-{name}-IKU-{_year(ctx)}.docx"
