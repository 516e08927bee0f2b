"""The default base template, and the checks on uploaded ones."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from iku_workflow.reports import docx_common
from iku_workflow.reports.capaian_report import build_capaian_docx
from iku_workflow.reports.decree import build_decree
from iku_workflow.reports.letterhead import (
    TemplateError, build_default_template, validate_template,
)

from factories import W, body_texts, make_capaian, make_decree, make_office, open_docx


def _header_text(header):
    return " ".join(t.text or "" for t in header._element.iter(W + "t"))


def test_default_template_has_the_kop_on_the_first_page_only():
    doc = open_docx(build_default_template(make_office(email="kec.gumukmas@jemberkab.go.id",
                                                       postal_code="68165")))
    section = doc.sections[0]
    kop = _header_text(section.first_page_header)
    for text in ("PEMERINTAH KABUPATEN JEMBER", "KECAMATAN GUMUKMAS",
                 "Jalan Raya A. Yani No. 224", "0336-321042", "kec.gumukmas@jemberkab.go.id",
                 "68165"):
        assert text in kop
    assert "thickThinSmallGap" in section.first_page_header._element.xml  # the double rule
    assert section.different_first_page_header_footer
    assert _header_text(section.header).strip() == ""
    assert "PAGE" in section.footer._element.xml
    assert "PAGE" not in section.first_page_footer._element.xml
    normal = doc.styles["Normal"]
    assert normal.font.name == "Bookman Old Style" and normal.font.size.pt == 12
    rfonts = normal.element.rPr.rFonts
    assert rfonts.get(f"{W}eastAsia") == "Bookman Old Style"
    for name in ("Kop", "Judul", "Lampiran", "Tabel"):
        assert name in [s.name for s in doc.styles]


def test_default_template_is_accepted():
    validate_template(build_default_template(make_office()))


def _docx_with(extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None):
    source = zipfile.ZipFile(io.BytesIO(build_default_template(make_office())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            zf.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def _content_types(doc_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
        f'{doc_type}"/></Types>').encode()


DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize("case", ["random", "empty", "no_document", "docm", "vba", "external",
                                  "oversized", "many_entries", "bomb", "xml_bomb"])
def test_refused_templates(case):
    if case == "random":
        data = b"\x00\x01not a zip at all" * 10
    elif case == "empty":
        data = b""
    elif case == "no_document":
        data = _zip({"[Content_Types].xml": _content_types("x"), "word/other.xml": b"<a/>"})
    elif case == "docm":
        data = _docx_with(replace={"[Content_Types].xml": _content_types(DOCM)})
    elif case == "vba":
        data = _docx_with(extra={"word/vbaProject.bin": b"\x00" * 100})
    elif case == "external":
        rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId99" '
                b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'attachedTemplate" Target="http://example.invalid/t.dotm" '
                b'TargetMode="External"/></Relationships>')
        data = _docx_with(extra={"word/_rels/settings.xml.rels": rels})
    elif case == "oversized":
        data = _docx_with(extra={"word/media/big.bin": os.urandom(1200 * 1024)})  # incompressible
    elif case == "many_entries":
        data = _docx_with(extra={f"word/x{i}.xml": b"<a/>" for i in range(1001)})
    elif case == "bomb":
        data = _docx_with(extra={"word/media/zeros.bin": b"\x00" * (60 * 1024 * 1024)})
    else:  # entity expansion in a part we parse
        bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Relationships>&b;'
                b'</Relationships>')
        data = _docx_with(extra={"word/_rels/x.xml.rels": bomb})
    with pytest.raises(TemplateError) as err:
        validate_template(data, max_bytes=5 * 1024 * 1024 if case != "oversized" else 1024 * 1024)
    assert str(err.value)  # an Indonesian message for the user
    if case == "oversized":
        assert "terlalu besar" in str(err.value)


def test_bomb_by_ratio_under_the_total_limit():
    data = _docx_with(extra={"word/media/zeros.bin": b"\x00" * (20 * 1024 * 1024)})
    with pytest.raises(TemplateError, match="zip bomb"):
        validate_template(data)


def _template_with_kop(text: str, landscape=False) -> bytes:
    doc = open_docx(build_default_template(make_office()))
    header = doc.sections[0].first_page_header
    for t in header._element.iter(W + "t"):
        if t.text == "KECAMATAN GUMUKMAS":
            t.text = text
    doc.add_paragraph("isi lama yang harus hilang")
    return docx_common.to_bytes(doc)


def test_builders_keep_an_uploaded_templates_header():
    template = _template_with_kop("KOP UJI")
    for data in (build_decree(make_decree(), template=template),
                 build_capaian_docx(make_capaian(), template=template)):
        doc = open_docx(data)
        assert "KOP UJI" in _header_text(doc.sections[0].first_page_header)
        texts = body_texts(doc)
        assert "isi lama yang harus hilang" not in texts
        assert texts  # content written


def test_builders_refuse_a_bad_template():
    with pytest.raises(TemplateError):
        build_decree(make_decree(), template=b"PK\x03\x04 broken")


def test_property_children_in_schema_order(decree_bytes):
    """Word rejects out-of-order children in tblPr/trPr/tcPr/pPr (LibreOffice does not)."""
    body = open_docx(decree_bytes).element.body
    checks = {"tblPr": docx_common._TBLPR_ORDER, "tcPr": docx_common._TCPR_ORDER,
              "trPr": docx_common._TRPR_ORDER}
    for local, order in checks.items():
        rank = {f"{W}{t[2:]}": i for i, t in enumerate(order)}
        for el in body.iter(W + local):
            seq = [rank[c.tag] for c in el if c.tag in rank]
            assert seq == sorted(seq), (local, [c.tag for c in el])
    ppr_order = ("w:keepNext", "w:pBdr") + docx_common._PPR_AFTER_PBDR
    rank = {f"{W}{t[2:]}": i for i, t in enumerate(ppr_order)}
    for el in body.iter(W + "pPr"):
        seq = [rank[c.tag] for c in el if c.tag in rank]
        assert seq == sorted(seq), [c.tag for c in el]
