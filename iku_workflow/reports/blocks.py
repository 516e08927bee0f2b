"""Render formulation BLOCKS (the JSON the web app stores and previews) into a table cell.

Bullets and numbers are written as text ("•", "1.") with a hanging indent rather than Word
numbering, so they survive any uploaded template. A fraction is a small borderless table:
numerator over denominator (rule between), the factor ("× 100%") at the right.
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from .docx_common import CENTER, add_row, cell_border, merge_down, new_table, para, vcenter
from .xml_writer import write_run

INDENT = Cm(0.5)
STYLE = "Tabel"


def render_blocks(cell, blocks, width, level: int = 0) -> None:
    """Write ``blocks`` into ``cell`` (``width`` EMU available) at nesting ``level``."""
    for block in blocks or []:
        kind = block.get("type")
        if kind == "para":
            _para_block(cell, block, level)
        elif kind in ("bullets", "numbered"):
            if block.get("label"):  # the catalogue shows a list's label above it; so must Word
                _para_block(cell, {"label": block["label"]}, level)
            for i, item in enumerate(block.get("items", [])):
                marker = "•" if kind == "bullets" else f"{i + 1}."
                text, children = (item, None) if isinstance(item, str) else (
                    item.get("text", ""), item.get("children"))
                para(cell, f"{marker}\t{text}", style=STYLE,
                     left_indent=INDENT * (level + 1), hanging=INDENT)
                if children:
                    render_blocks(cell, children, width, level + 1)
        elif kind == "fraction":
            _fraction(cell, block, width, level)
        else:
            raise ValueError(f"jenis blok tidak dikenal: {kind!r}")


def _para_block(cell, block, level) -> None:
    label, text = block.get("label"), block.get("text", "")
    if not label and not text:
        return
    p = para(cell, style=STYLE, left_indent=INDENT * level if level else None)._p
    if label:
        write_run(p, label, bold=True)
        if text:
            write_run(p, " ")
    if text:
        write_run(p, text)


def _fraction(cell, block, width, level) -> None:
    if block.get("label"):
        para(cell, block["label"], style=STYLE, bold=True)
    factor = block.get("factor") or ""
    factor_w = Cm(1.8) if factor else 0
    lead = INDENT * level
    main = width - factor_w - lead - Cm(0.3)
    widths = ([lead] if lead else []) + [main] + ([factor_w] if factor else [])
    table = new_table(cell, widths, style_align=WD_TABLE_ALIGNMENT.CENTER)
    f = 1 if lead else 0
    top, bottom = add_row(table, cant_split=True), add_row(table, cant_split=True)
    para(top[f], block.get("numerator", ""), style=STYLE, align=CENTER)
    para(bottom[f], block.get("denominator", ""), style=STYLE, align=CENTER)
    cell_border(bottom[f], "top", size=8)
    if factor:
        merged = merge_down(top[f + 1], bottom[f + 1])
        para(merged, factor, style=STYLE)
        vcenter(merged)
