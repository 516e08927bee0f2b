"""What the Word builders share: page setup, styles, tables, the signature block.

Builders write through these helpers so that the decree, the capaian report and the SKM report
look alike and every Word/LibreOffice quirk is handled once (column widths in both ``tblGrid``
and ``tcW``, fixed table layout, rFonts for every script, explicit table borders so an uploaded
template's table styles cannot change them).
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell, _Row
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from ..domain.text import xml_safe
from . import xml_writer
from .metrics import line_width
from .xml_writer import W_P, W_R, W_TCPR, W_TR, W_TRPR

from .context import Signatory
from ..formatting import format_nip, item_marker

W_SECTPR = qn("w:sectPr")
W_TBL = qn("w:tbl")
PAPER = {"F4": (Mm(215), Mm(330)), "A4": (Mm(210), Mm(297))}
MARGINS = dict(top=Cm(2), bottom=Cm(2.5), left=Cm(3), right=Cm(2))

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT

# name -> (size in pt or None for Normal's, bold, alignment)
PARAGRAPH_STYLES = {
    "Kop": (None, False, CENTER),
    "Judul": (None, True, CENTER),
    "Lampiran": (None, False, LEFT),
    "Tabel": (10, False, LEFT),
    "Tabel Judul": (10, True, CENTER),
}


def paper_size(paper: str):
    try:
        return PAPER[paper.upper()]
    except KeyError:
        raise ValueError(f"ukuran kertas tidak dikenal: {paper!r} (F4 atau A4)") from None


def page_setup(section, paper: str = "F4", landscape: bool = False) -> None:
    width, height = paper_size(paper)
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Cm(1)
    section.footer_distance = Cm(1)


def make_landscape(section) -> None:
    """Turn a section landscape on its own paper size (whatever the template chose)."""
    if section.page_width < section.page_height:
        section.page_width, section.page_height = section.page_height, section.page_width
    section.orientation = WD_ORIENT.LANDSCAPE


def text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def set_fonts(font, name: str) -> None:
    """Set the font for ASCII, high-ANSI, East Asian and complex scripts alike."""
    font.name = name
    rpr = font.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def ensure_styles(doc, font_name: str | None = None, font_size: float | None = None) -> None:
    """Give Normal the decree font (when asked) and add the paragraph styles the builders use,
    unless the template already defines them."""
    styles = doc.styles
    normal = styles["Normal"]
    if font_name:
        set_fonts(normal.font, font_name)
    if font_size:
        normal.font.size = Pt(font_size)
    names = {s.name for s in styles}
    for name, (size, bold, align) in PARAGRAPH_STYLES.items():
        if name in names:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        if size:
            style.font.size = Pt(size)
        style.font.bold = bold
        style.paragraph_format.alignment = align
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)


def clear_body(doc) -> None:
    """Remove the body's content, keeping the final section properties."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


# Word refuses a file whose property children are out of schema order (LibreOffice does not
# mind, so renders alone cannot catch it): insert each element before its successors.
_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                "w:tblCaption", "w:tblDescription")
_TCPR_ORDER = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
               "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
               "w:hideMark")
_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
               "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc",
               "w:hidden")
_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                   "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                   "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                   "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                   "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def put(parent, child, order) -> None:
    """Insert ``child`` into ``parent`` at its schema position (``order`` lists the tags)."""
    tag = child.tag
    names = [qn(t) for t in order]
    successors = names[names.index(tag) + 1:] if tag in names else []
    for existing in parent:
        if existing.tag in successors:
            existing.addprevious(child)
            return
    parent.append(child)


# ---------------------------------------------------------------- paragraphs


def para(container, text: str = "", style: str | None = None, align=None,
         bold: bool | None = None, underline: bool = False, size: float | None = None, keep_next: bool = False,
         space_before: float | None = None, space_after: float | None = None,
         left_indent=None, hanging=None):
    """Add a paragraph (to a document, cell or header); reuse an empty trailing one in a cell.

    Written straight into the XML by :mod:`.xml_writer`; :func:`para_api` is the same through
    python-docx's objects (the reference the tests compare against, and the path for the rare
    reused cell paragraph that already carries properties)."""
    p, parent = _new_or_reused_p(container)
    if len(p):
        return _fill_api(Paragraph(p, parent), container, text, style, align, bold, underline,
                         size, keep_next, space_before, space_after, left_indent, hanging)
    xml_writer.write_paragraph(
        p, style_id(container, style) if style else None, bool(style), text, bold, underline,
        size, None if align is None else align.xml_value, keep_next,
        None if space_before is None else Pt(space_before),
        None if space_after is None else Pt(space_after), left_indent, hanging)
    return Paragraph(p, parent)


def para_api(container, text: str = "", style: str | None = None, align=None,
             bold: bool | None = None, underline: bool = False, size: float | None = None,
             keep_next: bool = False, space_before: float | None = None,
             space_after: float | None = None, left_indent=None, hanging=None):
    """:func:`para` through python-docx's high-level API (slower; same XML)."""
    p = _reusable_paragraph(container) or container.add_paragraph()
    return _fill_api(p, container, text, style, align, bold, underline, size, keep_next,
                     space_before, space_after, left_indent, hanging)


def _fill_api(p, container, text, style, align, bold, underline, size, keep_next,
              space_before, space_after, left_indent, hanging):
    if style:
        p._p.style = style_id(container, style)
    if text:
        run = p.add_run(xml_safe(text))  # a control character stored before input refused them
        if bold is not None:  # None: as the style says
            run.bold = bold
        if underline:
            run.underline = True
        if size:
            run.font.size = Pt(size)
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if keep_next:
        fmt.keep_with_next = True
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    if left_indent is not None:
        fmt.left_indent = left_indent
    if hanging is not None:
        fmt.first_line_indent = -hanging
        # a tab stop at the indent so "a.<TAB>text" lines up with the wrapped lines
        fmt.tab_stops.add_tab_stop(left_indent or hanging)
    return p


def _new_or_reused_p(container):
    """The ``w:p`` to write into and the python-docx parent for its Paragraph: a cell's empty
    trailing paragraph (once), else a new one at the end of the cell or document body (before
    the body's final ``w:sectPr``), or of a header/footer."""
    tc = getattr(container, "_tc", None)
    if tc is not None:
        last = tc[-1]
        if last.tag == W_P and last.find(W_R) is None and last.get("used") is None:
            last.set("used", "1")  # removed again by to_bytes()
            return last, container
        return SubElement(tc, W_P), container
    body = getattr(container, "_body", None)
    if body is not None:  # a Document
        element = body._element
        p = SubElement(element, W_P)
        last = element[-2] if len(element) > 1 else None
        if last is not None and last.tag == W_SECTPR:
            last.addprevious(p)
        return p, body
    return container.add_paragraph()._p, container


def style_id(container, name: str) -> str:
    """The style id for a paragraph style name, looked up once per document: python-docx's own
    lookup scans every style on each assignment and was half the build time."""
    part = container.part
    cache = part.__dict__.setdefault(_STYLE_IDS, {})
    sid = cache.get(name)
    if sid is None:
        sid = cache[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    return sid


_STYLE_IDS = "_iku_style_ids"


def builder_style_ids(doc) -> tuple[tuple[str, str | None], ...]:
    """The ids of the builders' paragraph styles in ``doc``, to cache with a template's bytes."""
    return tuple((name, style_id(doc, name)) for name in PARAGRAPH_STYLES)


def prime_style_ids(doc, ids) -> None:
    """Seed the per-document style-id cache of a document opened from cached template bytes:
    even once per document, python-docx's lookup (it scans all ~160 styles for the default of
    each type) cost some 4 ms per build."""
    doc.part.__dict__.setdefault(_STYLE_IDS, {}).update(ids)


def _reusable_paragraph(container):
    tc = getattr(container, "_tc", None)
    if tc is None:
        return None
    last = tc[-1]
    if last.tag == qn("w:p") and not last.findall(qn("w:r")) and last.get("used") is None:
        last.set("used", "1")  # removed again by to_bytes()
        return Paragraph(last, container)
    return None


# ---------------------------------------------------------------- tables


def new_table(container, widths, borders: bool = False, style_align=None):
    """A table with fixed column ``widths`` (EMU); borderless or with single-line borders.

    ``container`` is the document (the table goes before the final ``w:sectPr``), a cell (an
    empty paragraph follows the table: Word wants a cell to end with one) or a header/footer."""
    align = None if style_align is None else style_align.xml_value
    tc = getattr(container, "_tc", None)
    body = getattr(container, "_body", None)
    if tc is not None:
        blocks = [child for child in tc if child.tag != W_TCPR]
        if len(blocks) == 1 and blocks[0].tag == W_P and len(blocks[0]) == 0 \
                and blocks[0].get("used") is None:
            tc.remove(blocks[0])  # the table opens the cell: no empty line above it
        tbl = xml_writer.write_table(tc, widths, borders, align)
        SubElement(tc, W_P)
        parent = container
    elif body is not None:  # a Document
        _separate_from_previous_table(container)
        element = body._element
        tbl = xml_writer.write_table(element, widths, borders, align)
        last = element[-2] if len(element) > 1 else None
        if last is not None and last.tag == W_SECTPR:
            last.addprevious(tbl)
        parent = body
    else:  # a header or footer
        tbl = xml_writer.write_table(container._element, widths, borders, align)
        parent = container
    table = Table(tbl, parent)
    table._widths = list(widths)
    return table


def _separate_from_previous_table(doc) -> None:
    # Two tables with nothing between them are merged into one by Word and LibreOffice (and
    # the second loses its borders or gains the first's); a small empty paragraph keeps them apart.
    body = doc.element.body
    last = body[-1]
    if last.tag == qn("w:sectPr"):
        last = last.getprevious()
    if last is not None and last.tag == qn("w:tbl"):
        para(doc, "", size=4).paragraph_format.space_after = Pt(0)


def add_row(table, cant_split: bool = False, header: bool = False, spans=None):
    """Append a row with the table's widths on every cell; return its cells.

    Built directly in XML: python-docx's add_row() plus setting each cell's width walks the
    grid for every cell, which dominated the annex build. ``spans`` (grid columns per cell,
    e.g. [1, 1, 2]) merges cells horizontally as they are made."""
    widths = table._widths
    tcs = xml_writer.write_row(table._tbl, widths, spans or [1] * len(widths), cant_split,
                               header)
    return [_Cell(tc, table) for tc in tcs]


def merge(cells, first: int, last: int):
    return cells[first].merge(cells[last]) if last > first else cells[first]


def merge_down(top, below):
    """Merge ``below`` into ``top``, the cell right above it with the same grid span; return
    the merged cell (``top``). The same ``vMerge`` marks as python-docx's ``merge()``, which
    walks the whole grid to find the cells and cost a millisecond per fraction. Falls back to
    ``merge()`` when ``below`` holds anything, since its content must then move up."""
    tc = below._tc
    blocks = [child for child in tc if child.tag != W_TCPR]
    if len(blocks) != 1 or blocks[0].tag != W_P or blocks[0].find(W_R) is not None:
        return top.merge(below)
    for cell, value in ((top, "restart"), (below, None)):
        tcPr = cell._tc.get_or_add_tcPr()
        vmerge = OxmlElement("w:vMerge")
        if value:
            vmerge.set(qn("w:val"), value)
        put(tcPr, vmerge, _TCPR_ORDER)
    return top


def last_row(table) -> _Row:
    """The table's last row (rows are appended at the end of ``w:tbl``) without python-docx's
    ``table.rows[-1]``, which wraps every row first."""
    return _Row(table._tbl[-1], table)


def shade(cell, fill: str = "D9D9D9") -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    put(cell._tc.get_or_add_tcPr(), shd, _TCPR_ORDER)


def cell_border(cell, side: str, kind: str = "single", size: int = 6) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    borders = tcPr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        put(tcPr, borders, _TCPR_ORDER)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), kind)
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "000000")
    borders.append(el)


def vcenter(cell) -> None:
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), "center")
    put(cell._tc.get_or_add_tcPr(), v, _TCPR_ORDER)


def grid_table(doc, widths, headers, rows, style="Tabel", header_style="Tabel Judul",
               aligns=None, row_height=None):
    """A bordered data table with a repeated, shaded header row; ``rows`` are lists of str."""
    table = new_table(doc, widths, borders=True, style_align=WD_TABLE_ALIGNMENT.CENTER)
    cells = add_row(table, cant_split=True, header=True)
    for cell, title in zip(cells, headers):
        para(cell, title, style=header_style)
        shade(cell)
        vcenter(cell)
    for values in rows:
        cells = add_row(table, cant_split=True)
        if row_height is not None:
            last_row(table).height = row_height
        for i, (cell, value) in enumerate(zip(cells, values)):
            align = aligns[i] if aligns else None
            para(cell, value, style=style, align=align)
    return table


# ---------------------------------------------------------------- label : text rows


class LabelTable:
    """Borderless 4-column layout "Label | : | a. | text" with hanging items, as decrees print
    Menimbang, Mengingat and the diktum. Rows without a marker merge the last two columns."""

    def __init__(self, doc, width, label_width=Cm(3.4), colon_width=Cm(0.5),
                 marker_width=Cm(0.9), style: str | None = None):
        rest = width - label_width - colon_width - marker_width
        self.table = new_table(doc, [label_width, colon_width, marker_width, rest])
        self.style = style

    def block(self, label: str, items, marker_style: str | None = None,
              merge_single: bool = True, bold_label: bool = False) -> None:
        items = list(items) or [""]
        single = merge_single and len(items) == 1
        for i, item in enumerate(items):
            merged = single or not marker_style
            cells = add_row(self.table, spans=[1, 1, 2] if merged else None, cant_split=True)
            if i == 0:
                para(cells[0], label, style=self.style, bold=bold_label)
                para(cells[1], ":", style=self.style)
            if merged:
                para(cells[2], item, style=self.style, align=JUSTIFY)
            else:
                para(cells[2], item_marker(i, marker_style), style=self.style)
                para(cells[3], item, style=self.style, align=JUSTIFY)

    def text_row(self, label: str, text: str, bold_label: bool = False, bold_text=False,
                 colon: bool = True, keep_next: bool = False) -> None:
        """One "Label : text" row, never split across pages (no line of it left alone at the
        top of the next); ``keep_next`` keeps it on the page of the row that follows."""
        cells = add_row(self.table, spans=[1, 1, 2], cant_split=True)
        para(cells[0], label, style=self.style, bold=bold_label, keep_next=keep_next)
        para(cells[1], ":" if colon else "", style=self.style, keep_next=keep_next)
        para(cells[2], text, style=self.style, align=JUSTIFY, bold=bold_text,
             keep_next=keep_next)

    def items(self, items, marker_style: str) -> None:
        """Sub-items under the previous row, e.g. the (1), (2) of a diktum."""
        for i, item in enumerate(items):
            cells = add_row(self.table, cant_split=True)
            para(cells[2], item_marker(i, marker_style), style=self.style)
            para(cells[3], item, style=self.style, align=JUSTIFY)

    def done(self):
        return self.table


# ---------------------------------------------------------------- keeping blocks together


WHOLE_TABLE_PARAGRAPHS = 40  # a table this small (well under a page) is kept with the next as a whole
CLOSING_PARAGRAPHS = 3  # at most this many paragraphs right before a block are kept with it


def keep_with_next(element) -> None:
    """Keep a body element on the page of what follows it. A paragraph gets ``keepNext``. A
    small table (at most :data:`WHOLE_TABLE_PARAGRAPHS` paragraphs) gets it on all its rows,
    which may not split, and so moves as one block — LibreOffice keeps a table with the next
    block only when all its paragraphs say so, and only by moving the whole table. A larger one
    gets it on its last row (Word keeps that row with the next; LibreOffice ignores keep-with-next
    inside cells, so what must stay together in every renderer goes into one
    :func:`keep_together` row instead)."""
    if element.tag == W_P:
        element.get_or_add_pPr().keepNext_val = True
        return
    rows = element.findall(W_TR) if element.tag == W_TBL else []
    if not rows:
        return
    small = sum(1 for _ in element.iter(W_P)) <= WHOLE_TABLE_PARAGRAPHS
    for row in rows if small else rows[-1:]:
        trpr = row.find(W_TRPR)
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            row.insert(0, trpr)
        if trpr.find(qn("w:cantSplit")) is None:
            put(trpr, OxmlElement("w:cantSplit"), _TRPR_ORDER)
        for p in row.iter(W_P):
            p.get_or_add_pPr().keepNext_val = True


def keep_previous_with(element) -> None:
    """Keep what ``element`` closes on its page: the paragraphs right before it (at most
    :data:`CLOSING_PARAGRAPHS`, e.g. a report's "Dicetak pada …" and the line above it) or, when
    it follows a table, that table (see :func:`keep_with_next`). An empty separator paragraph
    between two tables is kept too; a section break is never crossed."""
    prev = element.getprevious()
    kept = 0
    while prev is not None and prev.find(_PPR_SECTPR) is None:
        if prev.tag == W_P:
            keep_with_next(prev)
            if prev.find(W_R) is not None:
                kept += 1
                if kept == CLOSING_PARAGRAPHS:
                    break
            prev = prev.getprevious()
            continue
        if prev.tag == W_TBL and kept == 0:
            keep_with_next(prev)
        break


def keep_together(doc, width, gap=None):
    """A borderless full-width table row that cannot split, kept with the block before it;
    return its cell. Whatever is written into the cell (the closing diktum, the signature, the
    tembusan) prints on one page, in Word and LibreOffice alike. After a table, ``gap`` is the
    exact height of the paragraph that keeps the two tables apart (else a line of text)."""
    table = new_table(doc, [width])
    separator = table._tbl.getprevious()
    if gap is not None and separator is not None and separator.tag == W_P \
            and separator.find(W_R) is None:
        fmt = Paragraph(separator, doc._body).paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = gap
    cell = add_row(table, cant_split=True)[0]
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        el = SubElement(margins, qn(f"w:{side}"))
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
    put(cell._tc.get_or_add_tcPr(), margins, _TCPR_ORDER)
    keep_previous_with(table._tbl)
    return cell


def _is_document(container) -> bool:
    return getattr(container, "_body", None) is not None


_PPR_SECTPR = qn("w:pPr") + "/" + qn("w:sectPr")


# ---------------------------------------------------------------- signature

SIGNATURE_SLACK = 1.1  # the name's estimated width x this: room for a font wider than Bookman


def signature_lines(signatory: Signatory) -> list[str]:
    """The jabatan as printed: ("Plt. ")"CAMAT GUMUKMAS" then "KABUPATEN JEMBER" when the office
    prints that line; the comma after the last."""
    jabatan = signatory.jabatan.upper().rstrip(",")
    if signatory.acting:
        jabatan = f"{signatory.acting} {jabatan}"
    lines = [jabatan]
    if signatory.kabupaten:
        lines.append(signatory.kabupaten.upper().rstrip(","))
    lines[-1] += ","
    return lines


MIN_NAME_SIZE = 9  # pt: a name too long for the whole line is printed smaller, down to this


def _font_size(doc) -> float:
    size = doc.styles["Normal"].font.size
    return size.pt if size is not None else 12


def _needed(text: str, size_pt: float) -> int:
    return int(line_width(text, size_pt) * SIGNATURE_SLACK + Cm(0.3))


def signature_width(doc, signatory: Signatory, width) -> int:
    """The signature column: the right half of ``width``, widened to the left when the name (or
    another line) would not fit on one line at the document's font size."""
    size_pt = _font_size(doc)
    texts = [signatory.name, f"NIP. {format_nip(signatory.nip)}", signatory.pangkat,
             *signature_lines(signatory)]
    needed = max(_needed(t, size_pt) for t in texts if t)
    return int(min(width, max(width * 0.5, needed)))


def name_size(doc, name: str, column) -> float | None:
    """The point size that keeps ``name`` on one line of ``column``: None (the document's own)
    when it fits, else the largest half point that fits, not below :data:`MIN_NAME_SIZE`."""
    size = _font_size(doc)
    if _needed(name, size) <= column:
        return None
    while size > MIN_NAME_SIZE and _needed(name, size) > column:
        size -= 0.5
    return size


def signature_block(container, signatory: Signatory, width, place: str | None = None,
                    date_text: str | None = None, dated_line: str | None = None,
                    space_before: float = 12):
    """The signature on the right: optional "Ditetapkan di / pada tanggal" (or one dated line),
    the jabatan (with Plt./Plh., and the kabupaten line), room for signature and stamp, the name
    bold and underlined, pangkat, grouped NIP.

    The block is one table row that cannot split, so it is never broken across pages. Written
    into a document, the text before it (the paragraph or table row it closes) is kept with it;
    written into a :func:`keep_together` cell, it shares that cell's page with what else is in
    it. Its column is wide enough for the name with its titles on one line
    (:func:`signature_width`)."""
    doc_styles = container.part.document if not _is_document(container) else container
    column = signature_width(doc_styles, signatory, width)
    rest = width - column
    table = new_table(container, [rest, column] if rest > Cm(0.5) else [width])
    if _is_document(container):
        keep_previous_with(table._tbl)
    cells = add_row(table, cant_split=True)
    if len(cells) == 2:
        para(cells[0], keep_next=True)
    cell = cells[-1]
    # the dated lines start at the middle of the page, as they do with a half-width column
    indent = max(0, int(width * 0.5) - rest) or None
    first = True

    def line(text="", **kw):
        nonlocal first
        sb = space_before if first else None
        first = False
        p = para(cell, text, keep_next=True, space_before=sb, **kw)
        if not text:
            p._p.set("used", "1")  # an empty line is a line: the next para() must not reuse it
        return p

    if place is not None or date_text is not None:
        for label, value in (("Ditetapkan di", place or ""), ("pada tanggal", date_text or "")):
            p = line(f"{label}\t: {value}", left_indent=indent)
            p.paragraph_format.tab_stops.add_tab_stop((indent or 0) + Cm(3.6),
                                                      WD_TAB_ALIGNMENT.LEFT)
        _bottom_rule(p)
        line()
    elif dated_line:
        line(dated_line, align=CENTER)
    for text in signature_lines(signatory):
        line(text, align=CENTER, bold=True)
    for _ in range(4):
        line()
    line(signatory.name, align=CENTER, bold=True, underline=True,
         size=name_size(doc_styles, signatory.name, column))
    if signatory.pangkat:
        line(signatory.pangkat, align=CENTER)
    line(f"NIP. {format_nip(signatory.nip)}", align=CENTER)
    return table


def _bottom_rule(paragraph, kind: str = "single", size: int = 6) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), kind)
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    pbdr.append(bottom)
    put(pPr, pbdr, ("w:pBdr",) + _PPR_AFTER_PBDR)


bottom_rule = _bottom_rule


def numbered_list(container, title: str, items, width) -> None:
    """"Tembusan :" and a numbered list at the left margin, kept together and (in a document)
    with the block before it; in a :func:`keep_together` cell it shares the signature's page."""
    items = list(items)
    head = para(container, title, keep_next=bool(items), space_before=12)
    if _is_document(container):
        keep_previous_with(head._p)
    for i, item in enumerate(items, 1):
        para(container, f"{i}.\t{item}", left_indent=Cm(0.75), hanging=Cm(0.75),
             keep_next=i < len(items))


def page_number_paragraph(container, align=CENTER):
    """A paragraph holding a PAGE field (Word and LibreOffice update it when rendering)."""
    p = para(container, align=align)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None),
                       ("text", "1"), ("end", None)):
        run = p.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    return p


def to_bytes(doc) -> bytes:
    """Serialise, dropping the bookkeeping attribute :func:`para` puts on reused paragraphs."""
    import io

    for p in doc.element.body.xpath(".//w:p[@used]"):
        del p.attrib["used"]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
