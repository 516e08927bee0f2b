"""Paragraphs, runs and table rows written straight into the WordprocessingML tree.

A decree has some 250 paragraphs and 80 table rows; going through python-docx's high-level
objects for each (``add_paragraph``, ``add_run``, ``paragraph_format``…) re-finds every property
element's schema position on every assignment, and inserting a body paragraph scans the whole
body for ``w:sectPr``. That made our build 2.5× a plain python-docx script. Here each element is
made once, already in schema order, with lxml's ``SubElement`` — the XML is the same as the
python-docx calls wrote (``tests/reports/test_xml_writer.py`` compares the two element by element).

Elements are created under their parent inside the document tree, so they get python-docx's
element classes (the parser's class lookup) and the ``w:`` prefix of the document root.
"""

from __future__ import annotations

from lxml.etree import SubElement

from ..domain.text import xml_safe

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_VAL = _W + "val"
W_P, W_PPR, W_R, W_RPR, W_T = _W + "p", _W + "pPr", _W + "r", _W + "rPr", _W + "t"
W_TAB, W_BR = _W + "tab", _W + "br"
W_TR, W_TRPR, W_TC, W_TCPR = _W + "tr", _W + "trPr", _W + "tc", _W + "tcPr"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_EMU_PER_TWIP = 635.0
_EMU_PER_PT = 12700


def twips(emu: int) -> str:
    """EMU as python-docx writes twips (``Length.twips``: rounded)."""
    return str(int(round(emu / _EMU_PER_TWIP)))


def half_points(pt: float) -> str:
    """A font size in points as python-docx writes ``w:sz`` (from ``Pt(pt)``, truncated)."""
    return str(int(int(pt * _EMU_PER_PT) / float(_EMU_PER_PT) * 2))


def write_paragraph(p, style_id: str | None, has_style: bool, text: str, bold, underline: bool,
                    size, align_xml: str | None, keep_next: bool, before, after, left, hanging):
    """Fill the empty ``w:p`` ``p``: properties in schema order (pStyle, keepNext, tabs,
    spacing, ind, jc), then one run. Lengths are EMU; ``before``/``after`` EMU too."""
    if has_style or keep_next or before is not None or after is not None or \
            left is not None or hanging is not None or align_xml is not None:
        ppr = SubElement(p, W_PPR)
        if style_id is not None:
            SubElement(ppr, _W + "pStyle").set(W_VAL, style_id)
        if keep_next:
            SubElement(ppr, _W + "keepNext")
        if hanging is not None:
            # python-docx adds the tab stop at the indent: "a.<TAB>text" aligns with wrapped lines
            tab = SubElement(SubElement(ppr, _W + "tabs"), W_TAB)
            tab.set(_W + "pos", twips(left or hanging))
            tab.set(W_VAL, "left")
        if before is not None or after is not None:
            spacing = SubElement(ppr, _W + "spacing")
            if before is not None:
                spacing.set(_W + "before", twips(before))
            if after is not None:
                spacing.set(_W + "after", twips(after))
        if left is not None or hanging is not None:
            ind = SubElement(ppr, _W + "ind")
            if left is not None:
                ind.set(_W + "left", twips(left))
            if hanging is not None:  # python-docx: first_line_indent = -hanging
                if hanging > 0:
                    ind.set(_W + "hanging", twips(hanging))
                else:
                    ind.set(_W + "firstLine", twips(-hanging))
        if align_xml is not None:
            SubElement(ppr, _W + "jc").set(W_VAL, align_xml)
    if text:
        write_run(p, text, bold, underline, size)


def write_run(p, text: str, bold=None, underline: bool = False, size=None):
    """Append ``<w:r>`` holding ``text`` (tabs and line breaks as python-docx writes them)."""
    r = SubElement(p, W_R)
    if bold is not None or underline or size:
        rpr = SubElement(r, W_RPR)
        if bold is not None:
            b = SubElement(rpr, _W + "b")
            if not bold:
                b.set(W_VAL, "0")
        if size:
            SubElement(rpr, _W + "sz").set(W_VAL, half_points(size))
        if underline:
            SubElement(rpr, _W + "u").set(W_VAL, "single")
    if "\t" in text or "\n" in text or "\r" in text:
        buffer = []
        for char in text:
            if char == "\t" or char == "\n" or char == "\r":
                _add_t(r, "".join(buffer))
                buffer.clear()
                SubElement(r, W_TAB if char == "\t" else W_BR)
            else:
                buffer.append(char)
        _add_t(r, "".join(buffer))
    else:
        _add_t(r, text)
    return r


def _add_t(r, text: str) -> None:
    text = xml_safe(text)  # what XML cannot hold (a NUL stored before input refused it) is dropped
    if text:
        t = SubElement(r, W_T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")


def write_row(tbl, widths, spans, cant_split: bool, header: bool):
    """Append a ``w:tr`` to ``tbl`` with one ``w:tc`` per span (its width the sum of the grid
    columns it covers, in twentieths of a point) holding an empty paragraph; return the tcs."""
    tr = SubElement(tbl, W_TR)
    if cant_split or header:
        trpr = SubElement(tr, W_TRPR)
        if cant_split:
            SubElement(trpr, _W + "cantSplit")
        if header:
            SubElement(trpr, _W + "tblHeader")
    tcs = []
    col = 0
    for span in spans:
        w = sum(widths[col:col + span])
        col += span
        tc = SubElement(tr, W_TC)
        tcpr = SubElement(tc, W_TCPR)
        tcw = SubElement(tcpr, _W + "tcW")
        tcw.set(_W + "w", str(int(w) // 635))
        tcw.set(_W + "type", "dxa")
        if span > 1:
            SubElement(tcpr, _W + "gridSpan").set(W_VAL, str(span))
        SubElement(tc, W_P)
        tcs.append(tc)
    return tcs


_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_LOOK = (("firstColumn", "1"), ("firstRow", "1"), ("lastColumn", "0"), ("lastRow", "0"),
         ("noHBand", "0"), ("noVBand", "1"), ("val", "04A0"))


def write_table(parent, widths, borders: bool, align_xml: str | None):
    """Append an empty fixed-layout ``w:tbl`` to ``parent``: what python-docx's
    ``add_table(rows=0, …)`` writes (its ``tblW``/``tblLook``) with our width, alignment,
    borders (single lines or none, so a template's table style cannot add any), cell margins
    and grid. Widths are EMU, written in twentieths of a point."""
    tbl = SubElement(parent, _W + "tbl")
    tblpr = SubElement(tbl, _W + "tblPr")
    tblw = SubElement(tblpr, _W + "tblW")
    tblw.set(_W + "type", "dxa")
    tblw.set(_W + "w", str(sum(int(w) for w in widths) // 635))
    if align_xml is not None:
        SubElement(tblpr, _W + "jc").set(W_VAL, align_xml)
    tblborders = SubElement(tblpr, _W + "tblBorders")
    for side in _BORDER_SIDES:
        el = SubElement(tblborders, _W + side)
        if borders:
            el.set(W_VAL, "single")
            el.set(_W + "sz", "4")
            el.set(_W + "space", "0")
            el.set(_W + "color", "000000")
        else:
            el.set(W_VAL, "nil")
    SubElement(tblpr, _W + "tblLayout").set(_W + "type", "fixed")
    margins = SubElement(tblpr, _W + "tblCellMar")
    for side, value in ((("top", 30), ("left", 80), ("bottom", 30), ("right", 80)) if borders
                        else (("left", 0), ("right", 60))):
        el = SubElement(margins, _W + side)
        el.set(_W + "w", str(value))
        el.set(_W + "type", "dxa")
    look = SubElement(tblpr, _W + "tblLook")
    for name, value in _LOOK:
        look.set(_W + name, value)
    grid = SubElement(tbl, _W + "tblGrid")
    for w in widths:
        SubElement(grid, _W + "gridCol").set(_W + "w", str(int(w) // 635))
    return tbl
