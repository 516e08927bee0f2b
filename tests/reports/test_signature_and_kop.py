"""The shared signature block and kop: one unsplittable block, the name on one line, the kabupaten
line, the lambang in every document's kop (read back with python-docx)."""

from __future__ import annotations


import pytest
from docx.shared import Cm, Emu

from iku_workflow.reports import docx_common, metrics
from iku_workflow.reports.capaian_report import build_capaian_docx
from iku_workflow.reports.decree import build_decree
from iku_workflow.reports.letterhead import LOGO_BOX, build_default_template, logo_size
from iku_workflow.reports.skm_report import build_skm_report_docx
from factories import jpeg_bytes, png_bytes

from factories import (
    W, body_texts, make_capaian, make_decree, make_office, make_signatory, make_skm,
    open_docx,
)

LONG_NAME = "Drs. H. ACHMAD RIDWAN HIDAYATULLOH, S.Sos, M.Si"  # longer than the seed's Camat


def _cell_texts(tc) -> list[str]:
    return ["".join("\t" if t.tag == W + "tab" else (t.text or "")
                    for r in p.iter(W + "r") for t in r.iter(W + "t", W + "tab"))
            for p in tc.iter(W + "p")]


def _signature_tables(doc):
    """(table element, right cell) of every signature block: the one-row table holding "NIP."."""
    found = []
    for tbl in doc.element.body.iter(W + "tbl"):
        rows = tbl.findall(W + "tr")
        if len(rows) != 1:
            continue
        cells = rows[0].findall(W + "tc")
        direct = [p for p in cells[-1].findall(W + "p")]
        if any("".join(t.text or "" for t in p.iter(W + "t")).startswith("NIP.") for p in direct):
            found.append((tbl, cells[-1]))
    return found


def _width(tc) -> int:
    return Emu(int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w")) * 635)


def test_the_whole_block_is_one_row_that_cannot_split(decree_bytes):
    doc = open_docx(decree_bytes)
    blocks = _signature_tables(doc)
    assert len(blocks) == 2  # under the decree and under the annex
    for tbl, cell in blocks:
        assert tbl.find(f"{W}tr/{W}trPr/{W}cantSplit") is not None
        lines = [t for t in _cell_texts(cell) if t]
        assert lines[-3:] == ["NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si", "Pembina",
                              "NIP. 19840624 200212 1 001"]
        # every line keeps with the next, for Word's sake too
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in cell.findall(W + "p"))
    # every line in its place: one empty line under the dated lines, four for signature and stamp
    assert _cell_texts(blocks[0][1]) == [
        "Ditetapkan di\t: Gumukmas", "pada tanggal\t: 12 Februari 2025", "", "CAMAT GUMUKMAS,",
        "", "", "", "", "NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si", "Pembina",
        "NIP. 19840624 200212 1 001"]
    assert _cell_texts(blocks[1][1]) == [
        "CAMAT GUMUKMAS,", "", "", "", "", "NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si", "Pembina",
        "NIP. 19840624 200212 1 001"]


def _keeps(p) -> bool:
    return p.find(f"{W}pPr/{W}keepNext") is not None


def test_what_the_block_closes_stays_with_it(decree_bytes):
    # the capaian report: its last paragraphs ("Tingkat kelengkapan …", "Dicetak pada …")
    doc = open_docx(build_capaian_docx(make_capaian()))
    (tbl, _), = _signature_tables(doc)
    dicetak, tingkat = tbl.getprevious(), tbl.getprevious().getprevious()
    assert [_cell_texts(tingkat)[0], _cell_texts(dicetak)[0]] == [
        "Tingkat kelengkapan dokumen s.d. Triwulan II 2025: 18,18% (2 dari 11 dokumen wajib disetujui)",
        "Dicetak pada 1 Juli 2025"]
    assert _keeps(dicetak) and _keeps(tingkat)
    data_table = tingkat.getprevious()
    assert not any(_keeps(p) for p in data_table.iter(W + "p"))  # the table itself may break before them

    # the SKM report: its closing section (VII. KESIMPULAN, heading and paragraphs) moves with the signature
    doc = open_docx(build_skm_report_docx(make_skm()))
    (tbl, _), = _signature_tables(doc)
    closing, node = [], tbl.getprevious()
    while node is not None and node.tag == W + "p":
        closing.append(node)
        node = node.getprevious()
    assert _cell_texts(closing[-1])[0] == "VII. KESIMPULAN" and len(closing) == 4
    assert all(_keeps(p) for p in closing)

    # the annex: the IKU table spans pages, so only its last row keeps with the signature (Word)
    doc = open_docx(decree_bytes)
    (tbl, _) = _signature_tables(doc)[1]
    iku = tbl.getprevious().getprevious()
    rows = iku.findall(W + "tr")
    assert all(_keeps(p) for p in rows[-1].iter(W + "p"))
    assert not any(_keeps(p) for r in rows[:-1] for p in r.iter(W + "p"))


def test_the_column_is_the_right_half_unless_the_name_needs_more():
    width = Cm(16.5)  # F4 portrait text width
    short = make_signatory(name="BUDI, S.H.")
    doc = open_docx(build_decree(make_decree(signatory=short, annex=None)))
    (_, cell), = _signature_tables(doc)
    assert abs(_width(cell) - width / 2) < Cm(0.01)

    long = make_signatory(name=LONG_NAME)
    doc = open_docx(build_decree(make_decree(signatory=long, annex=None)))
    (_, cell), = _signature_tables(doc)
    needed = metrics.line_width(LONG_NAME, 12)
    assert width / 2 < needed * docx_common.SIGNATURE_SLACK <= _width(cell) < width
    # the dated lines still start at the middle of the page
    dated = cell.findall(W + "p")[0]
    indent = int(dated.find(f"{W}pPr/{W}ind").get(W + "left")) * 635
    assert abs((width - _width(cell)) + indent - width / 2) < Cm(0.02)


def test_a_name_longer_than_the_page_is_printed_smaller_on_one_line():
    name = "Dr. H. MUHAMMAD ALIF BUDIYANTO WICAKSONO PRAMUDYA, S.STP, M.Si"  # 16,7 cm at 12 pt
    doc = open_docx(build_decree(make_decree(signatory=make_signatory(name=name), annex=None)))
    (_, cell), = _signature_tables(doc)
    run = [r for r in cell.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")) == name][0]
    size = int(run.find(f"{W}rPr/{W}sz").get(W + "val")) / 2
    assert docx_common.MIN_NAME_SIZE <= size < 12
    assert metrics.line_width(name, size) * docx_common.SIGNATURE_SLACK <= _width(cell)


def test_line_width_matches_bookman_bold_metrics():
    # measured in LibreOffice's render of the seed name (URW Bookman Demi, 12 pt): 11,5 cm
    width = metrics.line_width("NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si", 12)
    assert Cm(11.4) < width < Cm(11.6)
    assert metrics.line_width("MMMM", 12) > metrics.line_width("iiii", 12)
    assert metrics.line_width("ÉÉ", 10) == 2 * metrics.line_width("É", 10) > 0


def test_kabupaten_line_under_the_jabatan_and_under_the_title():
    sig = make_signatory(kabupaten="KABUPATEN JEMBER")
    texts = body_texts(open_docx(build_decree(make_decree(signatory=sig))))
    i = texts.index("KEPUTUSAN CAMAT GUMUKMAS")
    assert texts[i + 1] == "KABUPATEN JEMBER" and texts[i + 2].startswith("NOMOR")
    j = texts.index("pada tanggal\t: 12 Februari 2025")
    assert [t for t in texts[j + 1:j + 4] if t] == ["CAMAT GUMUKMAS", "KABUPATEN JEMBER,"]
    assert "CAMAT GUMUKMAS," not in texts[j:]  # the comma closes the whole jabatan

    plain = make_decree(office=make_office(kabupaten_line=False))
    texts = body_texts(open_docx(build_decree(plain)))
    i = texts.index("KEPUTUSAN CAMAT GUMUKMAS")
    assert texts[i + 1].startswith("NOMOR")
    assert "KABUPATEN JEMBER," not in texts


@pytest.mark.parametrize("build", [
    lambda sig: build_capaian_docx(make_capaian(signatory=sig)),
    lambda sig: build_skm_report_docx(make_skm(signatory=sig)),
])
def test_reports_share_the_signature_block(build):
    sig = make_signatory(kabupaten="KABUPATEN JEMBER", acting="Plt.", name=LONG_NAME)
    doc = open_docx(build(sig))
    (tbl, cell), = _signature_tables(doc)
    lines = [t for t in _cell_texts(cell) if t]
    assert lines[0] == "Gumukmas, 1 Juli 2025"
    assert lines[1:3] == ["Plt. CAMAT GUMUKMAS", "KABUPATEN JEMBER,"]
    assert lines[-3:] == [LONG_NAME, "Pembina", "NIP. 19840624 200212 1 001"]
    assert tbl.find(f"{W}tr/{W}trPr/{W}cantSplit") is not None
    # "Dicetak pada …" (or the report's last paragraph) stays with the signature
    before = tbl.getprevious()
    assert before.tag == W + "p" and before.find(f"{W}pPr/{W}keepNext") is not None


def test_closing_diktum_signature_and_tembusan_share_one_unsplittable_row():
    ctx = make_decree(tembusan=["Bupati Jember;", "Inspektur Kabupaten Jember."], annex=None)
    doc = open_docx(build_decree(ctx))
    outer = [tbl for tbl in doc.element.body.findall(W + "tbl")][-1]
    rows = outer.findall(W + "tr")
    assert len(rows) == 1 and rows[0].find(f"{W}trPr/{W}cantSplit") is not None
    texts = [t for t in _cell_texts(rows[0].find(W + "tc")) if t]
    assert texts[0] == "KEENAM"
    assert texts.index("NIP. 19840624 200212 1 001") < texts.index("Tembusan :")
    assert texts[-2:] == ["1.\tBupati Jember;", "2.\tInspektur Kabupaten Jember."]
    # and KELIMA, the row before, is kept with it (Word)
    kelima = doc.element.body.findall(W + "tbl")[-2].findall(W + "tr")[-1]
    assert kelima.find(f"{W}trPr/{W}cantSplit") is not None
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in kelima.iter(W + "p"))


def test_menetapkan_keeps_its_title_whole_and_memutuskan_stays_with_it(decree_bytes):
    doc = open_docx(decree_bytes)
    memutuskan = [p for p in doc.element.body.findall(W + "p")
                  if "".join(t.text or "" for t in p.iter(W + "t")) == "MEMUTUSKAN :"][0]
    assert memutuskan.find(f"{W}pPr/{W}keepNext") is not None
    table = memutuskan.getnext()
    first = table.findall(W + "tr")[0]
    assert "".join(t.text or "" for t in first.iter(W + "t")).startswith("Menetapkan:KEPUTUSAN CAMAT")
    assert first.find(f"{W}trPr/{W}cantSplit") is not None
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in first.iter(W + "p"))
    # every label : text row stays whole (no line of it left alone on the next page)
    for tbl in doc.element.body.findall(W + "tbl"):
        if "Menimbang" in "".join(t.text or "" for t in tbl.iter(W + "t"))[:20]:
            assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in tbl.findall(W + "tr")
                       if r.find(f"{W}trPr/{W}trHeight") is None)


def test_annex_prints_the_seed_heading_above_the_table(decree_bytes):
    texts = body_texts(open_docx(decree_bytes))
    i = texts.index("Hasil Survei Kepuasan Masyarakat (SKM)")
    assert texts[i + 1:i + 3] == ["INDIKATOR KINERJA UTAMA", "KECAMATAN GUMUKMAS"]
    assert texts[i + 3] == "NO."


# ---------------------------------------------------------------- the lambang in the kop


def _kop_pictures(doc) -> list:
    header = doc.sections[0].first_page_header._element
    return header.findall(".//" + "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline")


def _image_parts(data: bytes) -> list[str]:
    import zipfile, io
    return [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]


BUILDERS = {
    "decree": lambda office: build_decree(make_decree(office=office)),
    "capaian": lambda office: build_capaian_docx(make_capaian(office=office)),
    "skm": lambda office: build_skm_report_docx(make_skm(office=office)),
    "template": lambda office: build_default_template(office),
}


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("logo", [png_bytes(), jpeg_bytes()], ids=["png", "jpeg"])
def test_every_kop_prints_the_lambang_in_its_left_slot(name, logo):
    data = BUILDERS[name](make_office(logo=logo))
    doc = open_docx(data)
    pictures = _kop_pictures(doc)
    assert len(pictures) == 1
    # in the kop table's first (logo) column, the text in the middle one
    tc = pictures[0].xpath("ancestor::w:tc")[0]
    assert tc.getprevious() is None or tc.getprevious().tag != W + "tc"
    assert "KECAMATAN GUMUKMAS" in "".join(t.text or "" for t in tc.getnext().iter(W + "t"))
    parts = _image_parts(data)
    assert len(parts) == 1
    import zipfile, io
    assert zipfile.ZipFile(io.BytesIO(data)).read(parts[0]) == logo


@pytest.mark.parametrize("name", BUILDERS)
def test_no_lambang_no_picture(name):
    data = BUILDERS[name](make_office())
    assert _kop_pictures(open_docx(data)) == [] and _image_parts(data) == []


def test_the_annex_keeps_its_plain_header_without_kop_or_lambang():
    doc = open_docx(build_decree(make_decree(office=make_office(logo=png_bytes()))))
    annex_header = doc.sections[1].header._element
    assert annex_header.findall(".//" + W + "drawing") == []


@pytest.mark.parametrize("size", [(120, 150), (300, 100), (100, 400)])
def test_lambang_keeps_its_shape_inside_the_slot(size):
    w, h = logo_size(png_bytes(*size))
    box_w, box_h = LOGO_BOX
    assert w <= box_w and h <= box_h
    assert abs(w / h - size[0] / size[1]) < 0.01
    assert abs(w - box_w) < 2 or abs(h - box_h) < 2  # as large as the slot allows
