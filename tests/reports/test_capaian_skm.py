"""Capaian (docx, xlsx) and SKM reports read back."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from docx.enum.section import WD_ORIENT

from iku_workflow.reports.capaian_report import build_capaian_docx, build_capaian_xlsx
from iku_workflow.reports.skm_report import NRR_HEADERS, RTL_HEADERS, build_skm_report_docx

from factories import W, body_texts, make_capaian, make_skm, make_signatory, open_docx

TOP = ["No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi", "Realisasi", "Realisasi", "Realisasi",
       "Realisasi", "% Capaian", "Kriteria"]  # "Realisasi" spans its five columns (python-docx repeats a merged cell)
SUB = ["No", "Sasaran", "Indikator", "Satuan", "Target", "s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV",
       "s.d. TW II", "% Capaian", "Kriteria"]  # the period column is headed by the chosen period


def _capaian_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "No")


def test_capaian_docx_table_and_lines():
    doc = open_docx(build_capaian_docx(make_capaian()))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = _capaian_table(doc)
    assert [c.text for c in table.rows[0].cells] == TOP
    assert [c.text for c in table.rows[1].cells] == SUB  # the other titles are merged down over both rows
    # RULES.md §4: No | Sasaran | Indikator | Satuan | Target | Realisasi | % Capaian | Kriteria; a count
    # ("dokumen") is printed without decimals
    assert [c.text for c in table.rows[2].cells] == [
        "1.", "Meningkatnya kualitas tata kelola", "Jumlah Dokumen Penataan Organisasi", "dokumen", "4", "1", "2",
        "–", "–", "2", "50,00%", "Sangat Rendah"]
    assert [c.text for c in table.rows[3].cells][4:11] == ["80,00", "83,33", "–", "–", "–", "83,33", "104,16%"]
    sakip = [c.text for c in table.rows[4].cells]
    assert sakip[2] == "Nilai SAKIP OPD\nPredikat SAKIP: A (Memuaskan)"  # the predikat beside IKU 5
    assert sakip[9] == "82,50" and table.rows[2].cells[2].text == "Jumlah Dokumen Penataan Organisasi"
    texts = body_texts(doc)
    assert "S.D. TRIWULAN II 2025" in texts
    assert "Tingkat kelengkapan dokumen s.d. Triwulan II 2025: 18,18% (2 dari 11 dokumen wajib disetujui)" in texts
    assert not any("kelengkapan data capaian" in t for t in texts)
    assert "Dicetak pada 1 Juli 2025" in texts
    assert "Gumukmas, 1 Juli 2025" in texts and "NIP. 19840624 200212 1 001" in texts


def test_capaian_docx_header_rows_repeat_and_merge():
    table = _capaian_table(open_docx(build_capaian_docx(make_capaian())))
    rows = table._tbl.tr_lst
    assert [tr.trPr.find(f"{W}tblHeader") is not None for tr in rows[:3]] == [True, True, False]
    first = rows[0].tc_lst
    assert len(first) == 8 and first[5].grid_span == 5  # "Realisasi" over five grid columns
    merged = [tc.vMerge for tc in rows[1].tc_lst]
    assert merged[:5] == ["continue"] * 5 and merged[5:10] == [None] * 5 and merged[10:] == ["continue"] * 2


def test_capaian_count_with_a_fraction_keeps_its_decimals():
    from iku_workflow.reports.capaian_report import format_value

    assert (format_value(Decimal(11), "dokumen"), format_value(Decimal("11.00"), "dokumen")) == ("11", "11")
    assert format_value(Decimal("2.5"), "dokumen") == "2,50"  # an average of counts is no whole number
    assert format_value(Decimal(82), "indeks") == "82,00" and format_value(None, "dokumen") == "–"


def test_capaian_year_report_heads_its_period_column_tahun():
    doc = open_docx(build_capaian_docx(make_capaian(upto_tw=None, period_label="Tahun 2025")))
    table = _capaian_table(doc)
    assert [c.text for c in table.rows[1].cells][5:10] == ["s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV",
                                                           "Tahun"]
    assert "Tingkat kelengkapan dokumen Tahun 2025: 18,18% (2 dari 11 dokumen wajib disetujui)" in body_texts(doc)


def test_capaian_docx_without_completion_rate():
    texts = body_texts(open_docx(build_capaian_docx(make_capaian(completion_rate=None, completion_counts=None))))
    assert "Tingkat kelengkapan dokumen s.d. Triwulan II 2025: belum dapat dihitung" in texts


def test_capaian_docx_on_the_offices_paper():
    for paper, (short, long) in (("F4", (215, 330)), ("A4", (210, 297))):
        section = open_docx(build_capaian_docx(make_capaian(paper=paper))).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (long, short), paper


def test_capaian_xlsx_keeps_numbers():
    wb = openpyxl.load_workbook(io.BytesIO(build_capaian_xlsx(make_capaian())))
    ws = wb.active
    assert ws["A1"].value == "LAPORAN CAPAIAN INDIKATOR KINERJA UTAMA"
    assert ws["A2"].value == "KECAMATAN GUMUKMAS KABUPATEN JEMBER"
    assert ws["A4"].value == "Dicetak pada 1 Juli 2025"
    assert [c.value for c in ws[6]] == ["No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi", None, None,
                                        None, None, "% Capaian", "Kriteria", "Keterangan"]
    assert [c.value for c in ws[7]][5:10] == ["s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV", "s.d. TW II"]
    assert {"F6:J6", "A6:A7", "B6:B7", "K6:K7", "M6:M7"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["B8"].value == "Meningkatnya kualitas tata kelola" and ws["C8"].value == "Jumlah Dokumen Penataan Organisasi"
    assert ws["E8"].value == 4 and ws["E8"].number_format == "0"  # a count: no decimals
    assert ws["G8"].value == 2 and ws["G8"].number_format == "0"
    assert ws["E9"].number_format == "0.00" and ws["K8"].number_format == "0.00"
    assert ws["H8"].value is None  # a missing triwulan stays empty, not zero
    assert Decimal(str(ws["K9"].value)) == Decimal("104.1625")
    assert ws["L9"].value == "Sangat Tinggi"
    assert ws["M10"].value == "Predikat SAKIP: A (Memuaskan)" and ws["M8"].value is None
    assert Decimal(str(ws["J10"].value)) == Decimal("82.50")  # the score itself stays a number
    assert ws.freeze_panes == "A8" and ws.print_title_rows == "$6:$7"
    # the document completion rate: its own labelled line below the table, not an IKU row
    assert all(ws.cell(11, c).value is None for c in range(1, 14))
    assert ws["A12"].value == "Tingkat kelengkapan dokumen s.d. Triwulan II 2025 (%)" and "A12:D12" in ws.merged_cells
    assert Decimal(str(ws["E12"].value)) == Decimal("18.18") and ws["E12"].number_format == "0.00"
    assert ws["F12"].value == "2 dari 11 dokumen wajib disetujui"
    assert ws.max_row == 12
    empty = openpyxl.load_workbook(io.BytesIO(build_capaian_xlsx(
        make_capaian(completion_rate=None, completion_counts=None)))).active
    assert empty["E12"].value == "belum dapat dihitung" and empty["F12"].value is None


def test_capaian_xlsx_prints_on_the_offices_paper():
    # Excel has no F4 code: F4 (215 x 330 mm) prints as Folio 8.5 x 13 in (14); A4 is 9
    for paper, code in (("F4", 14), ("A4", 9)):
        ws = openpyxl.load_workbook(io.BytesIO(build_capaian_xlsx(make_capaian(paper=paper)))).active
        assert int(ws.page_setup.paperSize) == code, paper
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0


def test_skm_report_sections_and_tables():
    doc = open_docx(build_skm_report_docx(make_skm()))
    texts = body_texts(doc)
    headings = ["LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "I. PENDAHULUAN", "II. METODE",
                "III. RESPONDEN", "IV. HASIL", "V. PRIORITAS PERBAIKAN",
                "VI. RENCANA TINDAK LANJUT", "VII. KESIMPULAN", "NIP. 19840624 200212 1 001"]
    assert [texts.index(h) for h in headings] == sorted(texts.index(h) for h in headings)
    assert any("Nomor 14 Tahun 2017" in t for t in texts)
    assert "3,3333" in texts and "83,33" in texts and "Baik" in texts
    nrr = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(NRR_HEADERS))
    assert [r.cells[3].text for r in nrr.rows[1:10]] == [
        "3,60", "3,00", "3,00", "4,00", "3,20", "3,60", "3,80", "3,00", "2,80"]
    prio = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["No", "Unsur",
                                                                                 "NRR"])
    assert prio.rows[1].cells[1].text == "Penanganan Pengaduan, Saran dan Masukan"
    rtl = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(RTL_HEADERS))
    assert len(rtl.rows) == 4 and all(c.text == "" for r in rtl.rows[1:] for c in r.cells)
    gender = next(t for t in doc.tables if t.rows[0].cells[1].text == "Jenis Kelamin")
    assert [c.text for c in gender.rows[1].cells] == ["1.", "Laki-laki", "3", "60,00"]
    service = next(t for t in doc.tables if t.rows[0].cells[1].text == "Jenis Layanan")
    assert [c.text for c in service.rows[2].cells] == ["2.", "Surat Pindah", "2", "82,50", "B"]


def test_skm_report_weighted_nrr_column():
    """RULES.md §1: IKM = Σ (NRR × weight); the table shows each NRR × 1/9 and their sum, the IKM."""
    doc = open_docx(build_skm_report_docx(make_skm()))
    nrr = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(NRR_HEADERS))
    rows = [[c.text for c in r.cells] for r in nrr.rows[1:]]
    assert rows[0] == ["1.", "U1", "Persyaratan", "3,60", "1/9", "0,4000"]
    assert [r[5] for r in rows[:9]] == ["0,4000", "0,3333", "0,3333", "0,4444", "0,3556", "0,4000", "0,4222",
                                        "0,3333", "0,3111"]
    assert rows[9][2:] == ["IKM (jumlah NRR tertimbang)", "", "", "3,3333"]
    printed = make_skm(weight_text="0,111", ikm=Decimal("3.33"),
                       weighted_nrr={k: v * Decimal("0.111") for k, v in make_skm().nrr.items()})
    nrr = next(t for t in open_docx(build_skm_report_docx(printed)).tables
               if [c.text for c in t.rows[0].cells] == list(NRR_HEADERS))
    assert [c.text for c in nrr.rows[1].cells][4:] == ["0,111", "0,3996"]
    assert nrr.rows[10].cells[5].text == "3,3300"


def _all_header_text(doc) -> str:
    out = []
    for section in doc.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                out.extend(t.text or "" for t in header._element.iter(f"{W}t"))
    return " ".join(out)


def test_provisional_skm_report_says_sementara_in_title_and_page_header():
    doc = open_docx(build_skm_report_docx(make_skm(provisional=True, provisional_reason="periode survei masih dibuka")))
    texts = body_texts(doc)
    assert texts[:3] == ["LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "KECAMATAN GUMUKMAS KABUPATEN JEMBER",
                         "SEMESTER I 2025 (SEMENTARA)"]
    assert texts[3] == ("Hasil sementara: periode survei masih dibuka. Angka dalam laporan ini dapat berubah "
                        "sampai hasil survei disetujui Sekretaris Camat.")
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # page 1: the kop and the title; pages 2+: this header
    header = " ".join(p.text for p in section.header.paragraphs)
    assert "SEMENTARA – Laporan Hasil SKM Semester I 2025 belum disetujui" in header
    assert "KECAMATAN GUMUKMAS" in _all_header_text(doc)  # the kop is left as it was


def test_provisional_mark_reaches_a_template_with_one_header_for_every_page():
    """An uploaded template may print its kop on every page (no different first page): the mark goes
    under it, so every page, the first included, says SEMENTARA."""
    import io

    from docx import Document

    base = Document()
    base.sections[0].header.paragraphs[0].text = "KOP TEMPLAT"
    buf = io.BytesIO()
    base.save(buf)
    doc = open_docx(build_skm_report_docx(make_skm(provisional=True), buf.getvalue()))
    section = doc.sections[0]
    assert not section.different_first_page_header_footer
    assert [p.text for p in section.header.paragraphs] == ["KOP TEMPLAT",
                                                           "SEMENTARA – Laporan Hasil SKM Semester I 2025 belum disetujui"]


def test_approved_skm_report_is_not_provisional():
    doc = open_docx(build_skm_report_docx(make_skm(provisional=False)))
    assert not any("SEMENTARA" in t or "sementara" in t for t in body_texts(doc))
    assert "SEMENTARA" not in _all_header_text(doc)
    assert body_texts(doc)[2] == "SEMESTER I 2025"


def test_skm_kesimpulan_from_the_numbers():
    texts = body_texts(open_docx(build_skm_report_docx(make_skm())))
    start = texts.index("VII. KESIMPULAN")
    assert texts[start + 1:start + 4] == [
        "Berdasarkan Survei Kepuasan Masyarakat pada Kecamatan Gumukmas periode Semester I 2025 terhadap 5 "
        "responden, Indeks Kepuasan Masyarakat (IKM) sebesar 3,3333 (skala 1–4) atau 83,33 dalam nilai konversi "
        "(skala 25–100). Mutu pelayanan B dengan kinerja unit pelayanan Baik.",
        "Unsur dengan nilai rata-rata terendah adalah U9 Penanganan Pengaduan, Saran dan Masukan (NRR 2,80), yang "
        "menjadi prioritas pertama perbaikan. Unsur dengan nilai rata-rata tertinggi adalah U4 Biaya/Tarif "
        "(NRR 4,00).",
        "Jumlah responden (5 orang) telah memenuhi sampel minimal menurut tabel Krejcie dan Morgan (4 orang)."]
    assert [t for t in texts[start + 4:] if t][0] == "Gumukmas, 1 Juli 2025"  # nothing else: no invented finding


def test_skm_kesimpulan_names_every_tied_unsur_and_a_sample_too_small():
    nrr = dict(make_skm().nrr, u9=Decimal("3.00"), u4=Decimal("3.80"))  # lowest u2, u3, u8, u9; highest u4, u7
    ctx = make_skm(nrr=nrr, min_sample=80, provisional=True, provisional_reason="hasil survei belum disetujui "
                                                                                  "Sekretaris Camat")
    texts = body_texts(open_docx(build_skm_report_docx(ctx)))
    start = texts.index("VII. KESIMPULAN")
    assert texts[start + 2] == (
        "Unsur dengan nilai rata-rata terendah adalah U2 Sistem, Mekanisme, dan Prosedur, U3 Waktu Penyelesaian, "
        "U8 Sarana dan Prasarana, dan U9 Penanganan Pengaduan, Saran dan Masukan (NRR 3,00), yang bersama-sama "
        "menjadi prioritas pertama perbaikan. Unsur dengan nilai rata-rata tertinggi adalah U4 Biaya/Tarif dan "
        "U7 Perilaku Pelaksana (NRR 3,80).")
    assert texts[start + 3] == (
        "Jumlah responden (5 orang) belum memenuhi sampel minimal menurut tabel Krejcie dan Morgan (80 orang), "
        "sehingga hasil survei belum dapat dianggap mewakili seluruh penerima layanan.")
    assert texts[start + 4].startswith("Hasil sementara: hasil survei belum disetujui Sekretaris Camat.")
    no_population = body_texts(open_docx(build_skm_report_docx(make_skm(min_sample=None))))
    assert any("populasi) periode ini belum diisi" in t for t in no_population)


def test_skm_headings_and_table_leads_keep_with_their_table():
    doc = open_docx(build_skm_report_docx(make_skm()))
    by_text = {p.text: p for p in doc.paragraphs}
    for text in ("I. PENDAHULUAN", "III. RESPONDEN", "IV. HASIL", "V. PRIORITAS PERBAIKAN",
                 "VI. RENCANA TINDAK LANJUT", "VII. KESIMPULAN", "Jenis Kelamin", "Hasil per jenis layanan",
                 "Unsur dengan nilai rata-rata terendah menjadi prioritas perbaikan:", "Diisi oleh unit pelayanan:"):
        assert by_text[text].paragraph_format.keep_with_next, text
    for table in doc.tables:
        if table.rows[0].cells[0].text != "No":
            continue
        rows = list(table.rows)
        # the header row keeps with the first row; a short table keeps every row with the next but the last
        assert all(p.paragraph_format.keep_with_next for c in rows[0].cells for p in c.paragraphs)
        assert not any(p.paragraph_format.keep_with_next for c in rows[-1].cells for p in c.paragraphs)


def test_skm_report_with_no_data_yet():
    ctx = make_skm(respondents=0, min_sample=None, ikm=None, konversi=None, mutu="",
                   kinerja="", priorities=[], profile={}, per_service=[], nrr={}, weighted_nrr={},
                   signatory=make_signatory(acting="Plh."))
    texts = body_texts(open_docx(build_skm_report_docx(ctx)))
    assert "Belum ada data untuk menentukan prioritas perbaikan." in texts
    assert ("Belum ada responden pada periode Semester I 2025, sehingga belum dapat ditarik kesimpulan tentang "
            "kepuasan masyarakat terhadap pelayanan.") in texts
    assert "Plh. CAMAT GUMUKMAS," in texts
