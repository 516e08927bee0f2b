"""Capaian (docx, xlsx) and SKM reports read back."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from docx.enum.section import WD_ORIENT

from iku_workflow.reports.capaian_report import build_capaian_docx, build_capaian_xlsx
from iku_workflow.reports.skm_report import RTL_HEADERS, build_skm_report_docx

from .conftest import body_texts, make_capaian, make_skm, make_signatory, open_docx

HEADERS = ["No", "Indikator", "Satuan", "Target", "s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV",
           "s.d. TW II", "% Capaian", "Kriteria"]  # the period column is headed by the chosen period


def test_capaian_docx_table_and_lines():
    doc = open_docx(build_capaian_docx(make_capaian()))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "No")
    assert [c.text for c in table.rows[0].cells] == HEADERS
    assert [c.text for c in table.rows[1].cells] == [
        "1.", "Jumlah Dokumen Penataan Organisasi", "dokumen", "4,00", "1,00", "2,00", "–", "–",
        "2,00", "50,00%", "Sangat Rendah"]
    assert table.rows[2].cells[9].text == "104,16%"
    texts = body_texts(doc)
    assert "S.D. TRIWULAN II 2025" in texts
    assert "Tingkat kelengkapan dokumen: 83,33%" in texts
    assert not any("kelengkapan data capaian" in t for t in texts)
    assert "Dicetak pada 1 Juli 2025" in texts
    assert "Gumukmas, 1 Juli 2025" in texts and "NIP. 19840624 200212 1 001" in texts


def test_capaian_year_report_heads_its_period_column_tahun():
    doc = open_docx(build_capaian_docx(make_capaian(upto_tw=None, period_label="Tahun 2025")))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "No")
    assert [c.text for c in table.rows[0].cells][4:9] == ["s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV",
                                                          "Tahun"]


def test_capaian_docx_without_completion_rate():
    texts = body_texts(open_docx(build_capaian_docx(make_capaian(completion_rate=None))))
    assert "Tingkat kelengkapan dokumen: belum dapat dihitung" in texts


def test_capaian_xlsx_keeps_numbers():
    wb = openpyxl.load_workbook(io.BytesIO(build_capaian_xlsx(make_capaian())))
    ws = wb.active
    assert ws["A1"].value == "LAPORAN CAPAIAN INDIKATOR KINERJA UTAMA"
    assert ws["A2"].value == "KECAMATAN GUMUKMAS KABUPATEN JEMBER"
    assert ws["A4"].value == "Dicetak pada 1 Juli 2025"
    assert [c.value for c in ws[6]] == HEADERS
    assert ws["B7"].value == "Jumlah Dokumen Penataan Organisasi"
    assert ws["D7"].value == 4 and ws["D7"].number_format == "0.00"
    assert ws["G7"].value is None  # a missing triwulan stays empty, not zero
    assert Decimal(str(ws["J8"].value)) == Decimal("104.1625")
    assert ws["K8"].value == "Sangat Tinggi"
    assert ws.freeze_panes == "A7"
    # the document completion rate: its own labelled line below the table, not a seventh IKU row
    assert all(ws.cell(r, 10).value is None for r in range(9, ws.max_row + 1))
    assert all(ws.cell(r, 1).value is None for r in range(9, 10))
    assert ws["A10"].value == "Tingkat kelengkapan dokumen (%)" and "A10:B10" in ws.merged_cells
    assert Decimal(str(ws["C10"].value)) == Decimal("83.333") and ws["C10"].number_format == "0.00"
    assert ws.max_row == 10
    empty = openpyxl.load_workbook(io.BytesIO(build_capaian_xlsx(make_capaian(completion_rate=None)))).active
    assert empty["C10"].value == "belum dapat dihitung"


def test_skm_report_sections_and_tables():
    doc = open_docx(build_skm_report_docx(make_skm()))
    texts = body_texts(doc)
    headings = ["LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "I. PENDAHULUAN", "II. METODE",
                "III. RESPONDEN", "IV. HASIL", "V. PRIORITAS PERBAIKAN",
                "VI. RENCANA TINDAK LANJUT", "NIP. 19840624 200212 1 001"]
    assert [texts.index(h) for h in headings] == sorted(texts.index(h) for h in headings)
    assert any("Nomor 14 Tahun 2017" in t for t in texts)
    assert "3,3333" in texts and "83,33" in texts and "Baik" in texts
    nrr = next(t for t in doc.tables if t.rows[0].cells[-1].text == "NRR"
               and len(t.rows) == 10)
    assert [r.cells[3].text for r in nrr.rows[1:]] == [
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


def test_skm_report_with_no_data_yet():
    ctx = make_skm(respondents=0, min_sample=None, ikm=None, konversi=None, mutu="",
                   kinerja="", priorities=[], profile={}, per_service=[],
                   signatory=make_signatory(acting="Plh."))
    texts = body_texts(open_docx(build_skm_report_docx(ctx)))
    assert "Belum ada data untuk menentukan prioritas perbaikan." in texts
    assert "Plh. CAMAT GUMUKMAS," in texts
