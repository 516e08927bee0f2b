"""The base .docx: kop (letterhead), page setup, styles, footer — and checks on uploaded ones.

Builders fill a base document: the office's uploaded template when it has one, otherwise the
default built here. Styles, header and footer live in that base, not in the builders.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from defusedxml import ElementTree as SafeET
from docx import Document
from docx.image.image import Image
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Cm, Pt

from ..storage import zipcheck
from .context import OfficeInfo
from .docx_common import (
    CENTER, vcenter, add_row, bottom_rule, builder_style_ids, clear_body, ensure_styles, make_landscape, new_table,
    page_number_paragraph, page_setup, para, prime_style_ids, text_width, to_bytes,
)

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# zip-bomb limits: storage.zipcheck.TEMPLATE (one place for every zip check of the app)
_ZIP_REFUSALS = {
    zipcheck.NOT_ZIP: "Berkas bukan dokumen Word (.docx).",
    zipcheck.TOO_MANY_ENTRIES: "Berkas templat berisi terlalu banyak bagian (dicurigai zip bomb).",
    zipcheck.TOO_LARGE: "Isi templat terlalu besar setelah diekstrak (dicurigai zip bomb).",
    zipcheck.RATIO: "Rasio kompresi templat tidak wajar (dicurigai zip bomb).",
    zipcheck.MISSING_PART: "Berkas bukan dokumen Word (.docx): word/document.xml tidak ada.",
}
_XML_READ_LIMIT = 5 * 1024 * 1024


class TemplateError(ValueError):
    """An uploaded template was refused; the message is for the office user (Indonesian)."""


# ---------------------------------------------------------------- default template


def build_default_template(office: OfficeInfo, paper: str = "F4") -> bytes:
    """A .docx holding the kop on the first page's header, F4/A4 page setup, the styles and a
    page number in the footer from page 2 on."""
    return to_bytes(default_document(office, paper))


def default_document(office: OfficeInfo, paper: str = "F4", font_name="Bookman Old Style",
                     font_size=12, landscape: bool = False):
    doc = Document()
    ensure_styles(doc, font_name, font_size)
    pf = doc.styles["Normal"].paragraph_format
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)
    pf.line_spacing = 1.0
    clear_body(doc)
    section = doc.sections[0]
    page_setup(section, paper, landscape=landscape)
    section.different_first_page_header_footer = True
    _write_kop(section.first_page_header, office, text_width(section))
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    page_number_paragraph(section.footer)
    _drop_first_empty(section.footer)
    section.first_page_footer.is_linked_to_previous = False
    return doc


def _drop_first_empty(story) -> None:
    ps = story.paragraphs
    if len(ps) > 1 and not ps[0].runs:
        ps[0]._p.getparent().remove(ps[0]._p)


LOGO_SLOT = Cm(2.6)  # the kop's left column, where the kabupaten's lambang stands
LOGO_BOX = (Cm(2.3), Cm(2.6))  # the largest the lambang prints (width, height)


def _write_kop(header, office: OfficeInfo, width) -> None:
    header.is_linked_to_previous = False
    rule = header.paragraphs[0]  # every header starts with one empty paragraph
    logo, side = LOGO_SLOT, Cm(1.0)  # room for the kabupaten's logo at the left
    table = new_table(header, [logo, width - logo - side, side])
    cells = add_row(table)
    if office.logo:
        put_logo(cells[0], office.logo)
    middle = cells[1]
    for line in kop_lines(office):
        para(middle, line.text, style="Kop", bold=line.bold, size=line.size)
    # the thick-thin double rule under the kop, on the paragraph that now follows the table
    header._element.append(rule._p)
    bottom_rule(rule, kind="thickThinSmallGap", size=24)


@dataclass(frozen=True)
class KopLine:
    """One line of the kop as the Word file prints it: text, bold, size in points (None: the style's)."""

    text: str
    bold: bool = False
    size: float | None = None


def kop_lines(office: OfficeInfo) -> list[KopLine]:
    """The default kop's lines, from the office profile: what :func:`_write_kop` writes and the kop page
    previews."""
    city = " ".join((office.city or office.name).upper())
    if office.postal_code:
        city += f"   {office.postal_code}"
    return [
        KopLine(f"PEMERINTAH KABUPATEN {office.kabupaten.upper()}", size=14),
        KopLine(f"KECAMATAN {office.name.upper()}", bold=True, size=16),
        KopLine(address_line(office), size=10),
        KopLine(city, bold=True, size=11),
    ]


@dataclass(frozen=True)
class KopPreview:
    """What the first page's header of a base document prints: its text lines in order and its pictures
    (bytes with their content type)."""

    lines: list[KopLine]
    images: list[tuple[bytes, str]]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def template_kop(template: bytes) -> KopPreview:
    """The kop of an uploaded template as Word prints it on the first page: the lines of the first-page
    header (the default header when the first page has none of its own), and its pictures. Raises
    :class:`TemplateError` when the template cannot be opened."""
    validate_template(template)
    try:
        doc = Document(io.BytesIO(template))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError("Templat tidak dapat dibuka sebagai dokumen Word.") from exc
    section = doc.sections[0]
    header = section.first_page_header if section.different_first_page_header_footer else section.header
    if header.is_linked_to_previous and section.different_first_page_header_footer:
        header = section.header
    element = header._element
    lines = []
    for p in element.iter(f"{_W}p"):  # paragraphs in document order, those inside tables too
        texts = [t.text or "" for t in p.iter(f"{_W}t")]
        text = "".join(texts).strip()
        if not text:
            continue
        bold = any(r.find(f"{_W}rPr/{_W}b") is not None for r in p.iter(f"{_W}r"))
        size = None
        for sz in p.iter(f"{_W}sz"):
            value = sz.get(f"{_W}val")
            if value and value.isdigit():
                size = int(value) / 2
                break
        lines.append(KopLine(text, bold=bold, size=size))
    images = []
    related = header.part.related_parts
    for blip in element.iter(_BLIP):
        part = related.get(blip.get(_EMBED))
        if part is not None and part.content_type in ("image/png", "image/jpeg"):
            images.append((part.blob, part.content_type))
    return KopPreview(lines=lines, images=images)


def default_kop(office: OfficeInfo) -> KopPreview:
    """The default kop built from the office profile, as :func:`template_kop` reads an uploaded one."""
    images = []
    if office.logo:
        png = office.logo.startswith(b"\x89PNG\r\n\x1a\n")
        images.append((office.logo, "image/png" if png else "image/jpeg"))  # checked on upload: PNG or JPEG
    return KopPreview(lines=kop_lines(office), images=images)


def logo_size(data: bytes) -> tuple[int, int]:
    """The printed (width, height) in EMU of the lambang: its aspect ratio kept, as large as
    :data:`LOGO_BOX` allows. Raises ``docx.image.exceptions.UnrecognizedImageError`` (or
    ValueError) when python-docx cannot read the PNG/JPEG header."""
    image = Image.from_blob(data)
    px_w, px_h = image.px_width, image.px_height
    if px_w <= 0 or px_h <= 0:
        raise ValueError("ukuran gambar tidak sah")
    box_w, box_h = LOGO_BOX
    scale = min(box_w / px_w, box_h / px_h)
    return int(px_w * scale), int(px_h * scale)


def put_logo(cell, data: bytes) -> None:
    """The lambang centred in the kop's left cell, vertically in the middle of the kop."""
    width, height = logo_size(data)
    p = para(cell, align=CENTER)
    p.add_run().add_picture(io.BytesIO(data), width=width, height=height)
    vcenter(cell)


def address_line(office: OfficeInfo) -> str:
    parts = [office.address]
    if office.telephone:
        parts.append(f"Telp. {office.telephone}")
    if office.email:
        parts.append(f"E-mail: {office.email}")
    return "  ".join(p for p in parts if p)


# ---------------------------------------------------------------- base for a builder


def open_base(template: bytes | None, office: OfficeInfo, paper: str = "F4",
              font_name: str | None = None, font_size: float | None = None,
              landscape: bool = False):
    """The document a builder writes into: the uploaded template with its body cleared (its
    header, footer, page setup and styles kept), or a fresh default. ``landscape`` turns the
    default's page (and kop width) landscape, and an uploaded template's page too."""
    if template is None:
        return _fresh_default(office, paper, font_name or "Bookman Old Style",
                              font_size or 12, landscape)
    validate_template(template)
    try:
        doc = Document(io.BytesIO(template))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError("Templat tidak dapat dibuka sebagai dokumen Word.") from exc
    clear_body(doc)
    ensure_styles(doc, font_name, font_size)
    if landscape:
        make_landscape(doc.sections[-1])
    return doc


def _fresh_default(office, paper, font_name, font_size, landscape=False):
    # Building the default from scratch each time costs one python-docx Document() load, the
    # same as any plain script; the bytes of the default (and its style ids) are cached.
    data, style_ids = _default_base(office, paper, font_name, float(font_size), landscape)
    doc = Document(io.BytesIO(data))
    prime_style_ids(doc, style_ids)
    return doc


@lru_cache(maxsize=32)
def _default_base(office, paper, font_name, font_size, landscape) -> tuple[bytes, tuple]:
    data = to_bytes(default_document(office, paper, font_name, font_size, landscape))
    return data, builder_style_ids(Document(io.BytesIO(data)))


# ---------------------------------------------------------------- validation of uploads


def validate_template(data: bytes, max_bytes: int = 5 * 1024 * 1024) -> None:
    """Raise :class:`TemplateError` unless ``data`` is a plain, self-contained .docx.

    Refused: too large, not a zip, no ``word/document.xml`` or not the .docx main content type
    (.docm, .dotx), macros, external relationships (links, linked images, attached templates)
    and zip bombs (too many entries, too large uncompressed, extreme compression ratios).
    """
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise TemplateError("Berkas templat kosong.")
    if len(data) > max_bytes:
        raise TemplateError(
            f"Berkas templat terlalu besar ({len(data) // 1024} KB; batas "
            f"{max_bytes // 1024} KB).")
    found = zipcheck.problem(data, required=("word/document.xml", "[Content_Types].xml"), limits=zipcheck.TEMPLATE)
    if found:
        raise TemplateError(_ZIP_REFUSALS[found])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        lowered = {n.lower() for n in names}
        if any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") for n in lowered):
            raise TemplateError("Templat berisi makro; simpan sebagai .docx tanpa makro.")
        content_types = _read_xml(zf, "[Content_Types].xml")
        main = None
        for el in content_types.iter():
            ctype = el.get("ContentType", "")
            if "macroenabled" in ctype.lower():
                raise TemplateError("Templat berisi makro (.docm); simpan sebagai .docx.")
            if el.get("PartName", "").lower() == "/word/document.xml":
                main = ctype
        if main != DOCX_MAIN:
            raise TemplateError("Berkas bukan dokumen Word biasa (.docx); jenis isi: "
                                f"{main or 'tidak diketahui'}.")
        for name in names:
            if not name.endswith(".rels"):
                continue
            for rel in _read_xml(zf, name).iter():
                if rel.get("TargetMode", "").lower() == "external":
                    raise TemplateError(
                        "Templat memuat tautan ke berkas luar (gambar tertaut, templat terlampir "
                        "atau hyperlink); hapus tautan tersebut lalu unggah ulang.")


def _read_xml(zf: zipfile.ZipFile, name: str):
    with zf.open(name) as fh:
        raw = fh.read(_XML_READ_LIMIT + 1)
    if len(raw) > _XML_READ_LIMIT:
        raise TemplateError(f"Bagian {name} dalam templat terlalu besar.")
    try:
        return SafeET.fromstring(raw)
    except Exception as exc:  # defusedxml raises its own errors for entity tricks
        raise TemplateError(f"Bagian {name} dalam templat rusak atau tidak aman.") from exc
