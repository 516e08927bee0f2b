"""The decree read back with python-docx: order, words, signature, sections, annex table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from iku_workflow.reports.context import Diktum
from iku_workflow.reports.decree import build_decree, decree_filename
from iku_workflow.reports.annex import COLUMNS

from factories import W, body_texts, make_annex, make_decree, make_signatory, open_docx


def _index(texts, needle, start=0):
    for i in range(start, len(texts)):
        if needle in texts[i]:
            return i
    raise AssertionError(f"{needle!r} not found after {start}")


def test_blocks_come_in_the_decree_order(decree_bytes):
    texts = body_texts(open_docx(decree_bytes))
    order = ["KEPUTUSAN CAMAT GUMUKMAS", "NOMOR : 000.8.6.3/52/35.09.04/2025", "TENTANG",
             "INDIKATOR KINERJA UTAMA KECAMATAN GUMUKMAS KABUPATEN JEMBER", "CAMAT GUMUKMAS,",
             "Menimbang", "bahwa untuk melaksanakan", "Mengingat", "Undang-Undang Nomor 23",
             "MEMUTUSKAN :", "Menetapkan", "KESATU", "KEDUA", "KETIGA", "(1)", "(2)",
             "KEEMPAT", "a.", "e.", "KELIMA", "KEENAM", "Ditetapkan di", "pada tanggal",
             "NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si", "Pembina",
             "NIP. 19840624 200212 1 001", "LAMPIRAN", "INDIKATOR KINERJA UTAMA (IKU)"]
    pos = 0
    for needle in order:
        pos = _index(texts, needle, pos) + 1
    assert any(t.startswith("pada tanggal") and t.endswith(": 12 Februari 2025")
               for t in texts)
    # the title sits in the body, the kop in the header: no kop text in the body
    assert not any("PEMERINTAH KABUPATEN" in t for t in texts)


def test_signature_name_bold_underlined(decree_bytes):
    doc = open_docx(decree_bytes)
    runs = [r for r in doc.element.body.iter(W + "r") if _run_text(r).startswith("NINO EKA")]
    # once under the decree, once under the annex; the signature sits in its table cell
    assert len(runs) == 2
    assert all(r.find(f"{W}rPr/{W}b") is not None and r.find(f"{W}rPr/{W}u") is not None for r in runs)


def _run_text(r):
    return "".join(t.text or "" for t in r.iter(W + "t"))


def test_sections_f4_portrait_then_landscape(decree_bytes):
    doc = open_docx(decree_bytes)
    first, annex = doc.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert _mm(first) == (215, 330)
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(annex) == (330, 215)
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert tuple(round(m / Mm(1)) for m in margins) == (20, 25, 30, 20)
    assert first.different_first_page_header_footer
    assert "KECAMATAN GUMUKMAS" in _header_text(first.first_page_header)
    # the annex has its own header, without the kop
    assert not annex.header.is_linked_to_previous
    assert not annex.different_first_page_header_footer
    assert "KECAMATAN GUMUKMAS" not in _header_text(annex.header)
    assert "PAGE" in annex.footer._element.xml  # linked to the decree's page-number footer


def _mm(section):
    # Word stores twentieths of a point: compare in whole millimetres
    return round(section.page_width / Mm(1)), round(section.page_height / Mm(1))


def _header_text(header):
    return " ".join(t.text or "" for t in header._element.iter(W + "t"))


def test_a4_when_asked():
    doc = open_docx(build_decree(make_decree(paper="A4")))
    assert _mm(doc.sections[0]) == (210, 297)
    assert _mm(doc.sections[1]) == (297, 210)


def _iku_table(doc):
    for table in doc.tables:
        if [c.text for c in table.rows[0].cells] == list(COLUMNS):
            return table
    raise AssertionError("IKU table not found")


def test_annex_table_has_six_columns_and_one_row_per_iku(decree_bytes):
    table = _iku_table(open_docx(decree_bytes))
    assert len(table.columns) == 6
    rows = table.rows[1:]
    assert [r.cells[0].text for r in rows] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert rows[1].cells[2].text == "Indeks Kepuasan Masyarakat"
    assert "SP4N-LAPOR!" in rows[3].cells[3].text
    assert "tahun 2025" in rows[5].cells[3].text
    assert "× 100%" in _all_text(rows[2].cells[3])  # in the nested fraction table
    assert rows[1].cells[4].text.splitlines() == [
        "Seksi Pemerintahan", "Seksi Pelayanan Umum", "Seksi PMKS", "Seksi Trantib"]
    assert "•\tKualitas sarana dan prasarana" in rows[1].cells[3].text
    # header repeated on every page, rows kept whole
    assert table.rows[0]._tr.trPr.find(W + "tblHeader") is not None
    assert all(r._tr.trPr.find(W + "cantSplit") is not None for r in table.rows)


def _all_text(cell):
    return "".join(t.text or "" for t in cell._tc.iter(W + "t"))


def test_fraction_is_numerator_over_denominator(decree_bytes):
    table = _iku_table(open_docx(decree_bytes))
    cell = table.rows[4].cells[3]  # IKU 4
    inner = cell.tables[0]
    assert inner.rows[0].cells[0].text.endswith("yang diselesaikan")
    assert inner.rows[1].cells[0].text.endswith("yang masuk")
    assert 'w:top w:val="single"' in inner.rows[1].cells[0]._tc.xml
    assert inner.rows[0].cells[1].text == "× 100%"


def test_a_list_label_is_written_above_its_items():
    # "*Judul :*" directly above "- ..." in the edit form's markup is the list's own label
    from iku_workflow.domain.formulation_text import text_to_blocks

    annex = make_annex()
    annex.rows[0] = replace(annex.rows[0], formulation=text_to_blocks("*Dokumen wajib :*\n- LAKIP\n- Renja"))
    cell = _iku_table(open_docx(build_decree(make_decree(annex=annex)))).rows[1].cells[3]
    assert [p.text for p in cell.paragraphs] == ["Dokumen wajib :", "•\tLAKIP", "•\tRenja"]
    assert cell.paragraphs[0].runs[0].bold


def test_lampiran_header_repeats_nomor_and_tanggal(decree_bytes):
    texts = body_texts(open_docx(decree_bytes))
    start = _index(texts, "LAMPIRAN")
    block = texts[start:start + 16]
    assert block[block.index("NOMOR") + 2] == "000.8.6.3/52/35.09.04/2025"
    assert block[block.index("TANGGAL") + 2] == "12 Februari 2025"


def test_special_characters_survive():
    ctx = make_decree(tentang="Uji A & B < C > D \"kutip\"",
                      diktum=[Diktum("Teks dengan & dan <tag> serta ]]>.")],
                      tembusan=["Bupati Jember & Sekda"])
    texts = body_texts(open_docx(build_decree(ctx)))
    assert "UJI A & B < C > D \"KUTIP\"" in texts
    assert "Teks dengan & dan <tag> serta ]]>." in texts
    assert "1.\tBupati Jember & Sekda" in texts


def test_blank_date_for_hand_filling_and_acting_signatory():
    ctx = make_decree(tanggal=None, annex=None,
                      signatory=make_signatory(acting="Plt.", name="BUDI", nip="197001011990031002"))
    doc = open_docx(build_decree(ctx))
    texts = body_texts(doc)
    line = next(t for t in texts if t.startswith("pada tanggal"))
    assert line.endswith("2025") and "Februari" not in line
    assert "Plt. CAMAT GUMUKMAS," in texts
    assert "NIP. 19700101 199003 1 002" in texts
    assert len(doc.sections) == 1


def test_many_diktum_get_their_words():
    ctx = make_decree(diktum=[Diktum(f"isi {i}") for i in range(1, 13)], annex=None)
    texts = body_texts(open_docx(build_decree(ctx)))
    for word in ("KESATU", "KESEPULUH", "KESEBELAS", "KEDUA BELAS"):
        assert word in texts


def test_memperhatikan_optional_between_mengingat_and_memutuskan():
    ctx = make_decree(memperhatikan=["Rapat evaluasi IKU tanggal 3 Februari 2025."], annex=None)
    texts = body_texts(open_docx(build_decree(ctx)))
    assert _index(texts, "Mengingat") < _index(texts, "Memperhatikan") < _index(
        texts, "MEMUTUSKAN")


def test_filename():
    assert decree_filename(make_decree()) == "Keputusan-Camat-Gumukmas-IKU-2025.docx"
    assert decree_filename(make_decree(nomor="x", tanggal=date(2026, 1, 2))).startswith(
        "Keputusan-Camat-Gumukmas-IKU-")
