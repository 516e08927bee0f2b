"""The Perjanjian Kinerja (RULES.md §7): the statement page on the kop, then the lampiran with table 1
(sasaran, indikator, target) and table 2 (programs and their budget, with the total), each closed by both
signatures — PIHAK KEDUA on the left, PIHAK PERTAMA on the right (the Bupati without NIP).

``build_pk(ctx)`` fills the base document (uploaded kop template or the default kop) and returns the .docx
bytes, in the decree's house style (F4, Bookman, the same kop and lambang)."""
from __future__ import annotations

import re

from docx.shared import Cm

from ..formatting import format_date, format_decimal, format_nip, format_number
from .context import PkContext, Signatory
from .decree import verification_footer
from .docx_common import (
    CENTER, JUSTIFY, LabelTable, add_row, grid_table, keep_previous_with, merge_down, name_size, new_table,
    signature_width,
    para, text_width, to_bytes,
)
from .letterhead import open_base

__all__ = ["build_pk", "pk_filename", "target_text", "PROMISE", "SUPERVISION"]

INTRO = ("Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta berorientasi "
         "pada hasil, kami yang bertanda tangan di bawah ini:")
PROMISE = ("Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, "
           "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen "
           "perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami.")
SUPERVISION = ("Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi terhadap capaian "
               "kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka pemberian penghargaan "
               "dan sanksi.")


def _title(ctx: PkContext) -> str:
    return f"PERJANJIAN KINERJA{' PERUBAHAN' if ctx.amendment else ''} TAHUN {ctx.year}"


def _jabatan(s: Signatory) -> str:
    """"Plt. CAMAT GUMUKMAS" as the statement names the party (in the text, no comma)."""
    text = s.jabatan.upper().rstrip(",")
    return f"{s.acting} {text}" if s.acting else text


def target_text(value, unit: str) -> str:
    """"100%", "3 dokumen", "82,5 indeks": the number as few decimals as it needs, then its unit."""
    if value is None:
        return "—"
    number = format_number(value, places=4)
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def _date_line(ctx: PkContext) -> str:
    place = ctx.tempat or ctx.office.city or ctx.office.name
    date_text = format_date(ctx.tanggal) if ctx.tanggal else " " * 20 + str(ctx.year)
    return f"{place}, {date_text}"


def build_pk(ctx: PkContext, template: bytes | None = None, verify_url: str | None = None) -> bytes:
    """The PK (statement page, then the lampiran) as .docx bytes; ``verify_url`` (the public verification
    page) is printed with its QR code in every page's footer."""
    doc = open_base(template, ctx.office, ctx.paper, ctx.font_name, ctx.font_size)
    section = doc.sections[-1]
    if verify_url:
        verification_footer(section, verify_url, "Periksa keaslian perjanjian kinerja ini")
    width = text_width(section)

    para(doc, _title(ctx), style="Judul", space_before=12)
    para(doc, ctx.unit.upper(), style="Judul", space_after=18)
    para(doc, INTRO, align=JUSTIFY, space_after=6)
    parties = LabelTable(doc, width, label_width=Cm(2.6))
    parties.text_row("Nama", ctx.first.name or "")
    parties.text_row("Jabatan", _jabatan(ctx.first))
    para(doc, "selanjutnya disebut pihak pertama", align=JUSTIFY, space_before=4, space_after=6)
    parties = LabelTable(doc, width, label_width=Cm(2.6))
    parties.text_row("Nama", ctx.second.name or "")
    parties.text_row("Jabatan", _jabatan(ctx.second))
    para(doc, "selaku atasan pihak pertama, selanjutnya disebut pihak kedua", align=JUSTIFY, space_before=4,
         space_after=6)
    para(doc, PROMISE, align=JUSTIFY, space_after=6)
    para(doc, SUPERVISION, align=JUSTIFY, space_after=6)
    two_signatures(doc, ctx, width)

    title = para(doc, _title(ctx), style="Judul")
    title.paragraph_format.page_break_before = True
    para(doc, ctx.unit.upper(), style="Judul", space_after=12)
    _targets_table(doc, ctx, width)
    if ctx.programs:
        para(doc, "", space_after=6)
        _programs_table(doc, ctx, width)
    two_signatures(doc, ctx, width)
    return to_bytes(doc)


def _targets_table(doc, ctx: PkContext, width) -> None:
    widths = [Cm(1.0), int(width * 0.36), 0, Cm(3.2)]
    widths[2] = width - widths[0] - widths[1] - widths[3]
    rows = [[str(r.number), r.sasaran, r.indikator, target_text(r.target, r.unit)] for r in ctx.rows]
    table = grid_table(doc, widths, ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"],
                       rows or [["", "", "(belum ada indikator)", ""]], aligns=[CENTER, None, None, CENTER])
    # a sasaran with several indicators is printed once, over its rows
    body = table.rows[1:]
    start = 0
    for i in range(1, len(ctx.rows) + 1):
        if i == len(ctx.rows) or ctx.rows[i].sasaran != ctx.rows[start].sasaran:
            top = body[start].cells[1]
            for j in range(start + 1, i):
                below = body[j].cells[1]
                for p in list(below.paragraphs):
                    p.text = ""
                merge_down(top, below)
            start = i


def _programs_table(doc, ctx: PkContext, width) -> None:
    widths = [Cm(1.0), 0, Cm(4.2), Cm(3.4)]
    widths[1] = width - widths[0] - widths[2] - widths[3]
    rows = [[str(p.number), p.name, format_decimal(p.budget, places=2), p.note] for p in ctx.programs]
    total = sum((p.budget for p in ctx.programs), start=type(ctx.programs[0].budget)(0))
    rows.append(["", "JUMLAH", format_decimal(total, places=2), ""])
    table = grid_table(doc, widths, ["No", "Program", "Anggaran (Rp)", "Keterangan"], rows,
                       aligns=[CENTER, None, None, None])
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for row in table.rows[1:]:
        for p in row.cells[2].paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for p in table.rows[-1].cells[1].paragraphs:
        for run in p.runs:
            run.bold = True


def _signature_lines(s: Signatory, party: str) -> list[str]:
    lines = [f"{party},"]
    lines.append(_jabatan(s))
    if s.kabupaten:
        lines.append(s.kabupaten.upper().rstrip(","))
    return lines


def two_signatures(doc, ctx: PkContext, width) -> None:
    """Place and date above the right column; PIHAK KEDUA left, PIHAK PERTAMA right, each with its jabatan, room
    to sign, the name bold and underlined, pangkat and NIP (none for a party without NIP, as the Bupati). The
    two columns keep their lines level (the shorter title padded), and the right one widens for a long name."""
    right = min(int(width * 0.6), signature_width(doc, ctx.first, width))
    left = width - right
    table = new_table(doc, [left, right])
    keep_previous_with(table._tbl)
    cells = add_row(table, cant_split=True)
    para(cells[0], "", keep_next=True, space_before=12)
    para(cells[1], _date_line(ctx), align=CENTER, keep_next=True, space_before=12)
    cells = add_row(table, cant_split=True)
    titles = {"second": _signature_lines(ctx.second, "PIHAK KEDUA"), "first": _signature_lines(ctx.first, "PIHAK PERTAMA")}
    lines = max(len(t) for t in titles.values())
    with_pangkat = any(s.pangkat for s in (ctx.first, ctx.second))
    for cell, side, who, column in ((cells[0], "second", ctx.second, left), (cells[1], "first", ctx.first, right)):
        title = titles[side]
        for text in title + [""] * (lines - len(title)) + [""] * 4:
            p = para(cell, text, align=CENTER, bold=True, keep_next=True)
            if not text:
                p._p.set("used", "1")
        para(cell, who.name or "", align=CENTER, bold=True, underline=True, keep_next=True,
             size=name_size(doc, who.name or "", column))
        if who.pangkat or with_pangkat:
            p = para(cell, who.pangkat or "", align=CENTER, keep_next=True)
            p._p.set("used", "1")
        if who.nip:
            para(cell, f"NIP. {format_nip(who.nip)}", align=CENTER)


def pk_filename(ctx: PkContext, holder: str = "camat") -> str:
    """"Perjanjian-Kinerja-Gumukmas-2025-camat.docx" (ASCII, safe as a download name)."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", ctx.office.name).strip("-") or "Kecamatan"
    return f"Perjanjian-Kinerja-{name}-{ctx.year}-{holder}.docx"
