"""The Laporan Hasil SKM (shared builder on the office's kop) and attaching it as the year's Laporan SKM."""
import hashlib
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from docx import Document

from conftest import get_user
from factories import WORKED_EXAMPLE, add_rows, fresh_user, required
from iku_workflow.letterhead import kop
from iku_workflow.documents.operations import file_key
from iku_workflow.extensions import db
from iku_workflow.models import DocumentFile, EntryState, WorkflowAction, WorkflowEvent
from iku_workflow.reports.skm_report import NRR_HEADERS, RTL_HEADERS
from iku_workflow.workflow import operations as workflow

# this semester's period with the five respondents of RULES.md §1 (population 100: sample too small)
pytestmark = pytest.mark.skm_period(fill=lambda period: add_rows(period, WORKED_EXAMPLE))

TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"






def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _table(doc, headers):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(headers))


def _header(doc) -> str:
    section = doc.sections[0]
    return " ".join(t.text or "" for h in (section.first_page_header, section.header) for t in h._element.iter(W + "t"))


def test_report_reads_back(client_as, period):
    response = client_as("camat").get(f"/skm/periode/{period.id}/laporan.docx")
    assert response.status_code == 200
    assert f'filename="Laporan-SKM-{period.office.code}-{CURRENT}-{TODAY.year}.docx"' in response.headers[
        "Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    texts = _texts(doc)
    # the period is still open: its result is provisional, in the title and in the header of every page
    assert texts[:3] == ["LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "KECAMATAN GUMUKMAS KABUPATEN JEMBER",
                         f"{period.title.upper()} (SEMENTARA)"]
    assert texts[3].startswith("Hasil sementara: periode survei masih dibuka.")
    assert f"SEMENTARA – Laporan Hasil SKM {period.title} belum disetujui" in _header(doc)
    assert "KECAMATAN GUMUKMAS" in _header(doc)  # the default kop from the office profile
    method = next(t for t in texts if t.startswith("Periode survei"))
    assert "s.d." in method and "sampel minimal (tabel Krejcie dan Morgan) 80 orang" in method
    assert "Jumlah responden di bawah sampel minimal" in method

    nrr = _table(doc, NRR_HEADERS)
    assert [(r.cells[1].text, r.cells[3].text, r.cells[5].text) for r in nrr.rows[1:10]] == [
        ("U1", "3,60", "0,4000"), ("U2", "3,00", "0,3333"), ("U3", "3,00", "0,3333"), ("U4", "4,00", "0,4444"),
        ("U5", "3,20", "0,3556"), ("U6", "3,60", "0,4000"), ("U7", "3,80", "0,4222"), ("U8", "3,00", "0,3333"),
        ("U9", "2,80", "0,3111")]
    assert [c.text for c in nrr.rows[10].cells][2:] == ["IKM (jumlah NRR tertimbang)", "", "", "3,3333"]
    assert nrr.rows[9].cells[2].text == "Penanganan Pengaduan, Saran dan Masukan"
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for label, value in (("IKM (skala 1–4)", "3,3333"), ("Nilai konversi (25–100)", "83,33"),
                         ("Mutu pelayanan", "B"), ("Kinerja unit pelayanan", "Baik"), ("Jumlah responden", "5 orang")):
        assert cells[cells.index(label) + 1:cells.index(label) + 3] == [":", value], label

    priorities = _table(doc, ("No", "Unsur", "NRR"))
    assert [[c.text for c in r.cells] for r in priorities.rows[1:]] == [
        ["1.", "Penanganan Pengaduan, Saran dan Masukan", "2,80"],
        ["2.", "Sistem, Mekanisme, dan Prosedur", "3,00"],
        ["3.", "Waktu Penyelesaian", "3,00"]]
    follow_up = _table(doc, RTL_HEADERS)
    assert len(follow_up.rows) > 1 and all(c.text == "" for r in follow_up.rows[1:] for c in r.cells)
    assert texts.index("VI. RENCANA TINDAK LANJUT") > texts.index("V. PRIORITAS PERBAIKAN")
    conclusion = texts[texts.index("VII. KESIMPULAN") + 1:texts.index("VII. KESIMPULAN") + 5]
    assert conclusion[0].startswith("Berdasarkan Survei Kepuasan Masyarakat pada Kecamatan Gumukmas periode "
                                    f"{period.title} terhadap 5 responden, Indeks Kepuasan Masyarakat (IKM) "
                                    "sebesar 3,3333 (skala 1–4) atau 83,33")
    assert "U9 Penanganan Pengaduan, Saran dan Masukan (NRR 2,80), yang menjadi prioritas pertama" in conclusion[1]
    assert conclusion[2].startswith("Jumlah responden (5 orang) belum memenuhi sampel minimal menurut tabel "
                                    "Krejcie dan Morgan (80 orang)")
    assert conclusion[3].startswith("Hasil sementara: periode survei masih dibuka.")
    # the signature block is one table row that cannot split: its lines are in the row's cell
    assert "NIP. 19840624 200212 1 001" in [p.text for t in doc.tables for r in t.rows for c in r.cells
                                            for p in c.paragraphs]


def _approve_result(period):
    # the sekcam closed the period (and so submitted its result): the Camat approves it
    workflow.approve(period.entry, get_user("camat"))
    db.session.commit()


def test_a_closed_result_is_provisional_until_approved_then_final(client_as, closed):
    camat = client_as("camat")
    doc = Document(io.BytesIO(camat.get(f"/skm/periode/{closed.id}/laporan.docx").data))
    assert closed.entry.state is EntryState.SUBMITTED
    assert _texts(doc)[2] == f"{closed.title.upper()} (SEMENTARA)"
    assert _texts(doc)[3].startswith("Hasil sementara: hasil survei belum disetujui Sekretaris Camat.")
    assert "SEMENTARA" in _header(doc)

    _approve_result(closed)
    doc = Document(io.BytesIO(camat.get(f"/skm/periode/{closed.id}/laporan.docx").data))
    texts = _texts(doc)
    assert texts[2] == closed.title.upper() and "SEMENTARA" not in _header(doc)
    assert not any("sementara" in t.lower() for t in texts)
    assert "83,33" in [c.text for t in doc.tables for r in t.rows for c in r.cells]


def test_the_excel_export_says_whether_the_result_is_provisional(client_as, closed):
    from openpyxl import load_workbook

    camat = client_as("camat")

    def hasil():
        wb = load_workbook(io.BytesIO(camat.get(f"/skm/periode/{closed.id}/ekspor.xlsx").data))
        return list(wb["Hasil"].iter_rows(values_only=True))

    rows = hasil()
    assert rows[0][0].endswith("(SEMENTARA)") and rows[1][:4] == ("Unsur", "Nama unsur", "NRR", "NRR tertimbang")
    assert rows[2][:4] == ("U1", "Persyaratan", 3.6, 0.4) and rows[10][3] == 0.3111
    assert ("Status hasil", "Sementara: hasil survei belum disetujui Sekretaris Camat") in [r[:2] for r in rows]
    _approve_result(closed)
    rows = hasil()
    assert not rows[0][0].endswith("(SEMENTARA)") and ("Status hasil", "Disetujui") in [r[:2] for r in rows]


def test_report_uses_the_offices_uploaded_kop(client_as, period, office):
    base = Document(io.BytesIO(kop.base_template(office)))
    base.sections[0].first_page_header.paragraphs[0].text = "KOP UJI SKM GUMUKMAS"
    buf = io.BytesIO()
    base.save(buf)
    kop.upload_template(office, buf.getvalue(), "kop.docx", get_user("admin"))
    db.session.commit()
    doc = Document(io.BytesIO(client_as("sekcam").get(f"/skm/periode/{period.id}/laporan.docx").data))
    assert "KOP UJI SKM GUMUKMAS" in _header(doc)
    assert _texts(doc)[0] == "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"  # body cleared, report written


def _files(doc):
    return db.session.scalars(sa.select(DocumentFile).where(DocumentFile.document_id == doc.id)
                              .order_by(DocumentFile.version)).all()


def test_pelayanan_attaches_the_report_to_the_laporan_skm_document(app, client_as, closed, office):
    doc = required(office, "laporan_skm", closed.year)
    assert doc.entry.section.code == "pelayanan" and doc.entry.state is EntryState.DRAFT
    before = len(_files(doc))
    c = client_as("pelayanan")
    page = c.get(f"/skm/periode/{closed.id}").get_data(as_text=True)
    assert 'data-testid="attach-report"' in page

    page = c.post(f"/skm/periode/{closed.id}/lampirkan", follow_redirects=True).get_data(as_text=True)
    name = f"Laporan-SKM-{office.code}-{CURRENT}-{TODAY.year}.docx"
    assert f"Laporan SKM dilampirkan pada dokumen wajib tahun {closed.year} sebagai berkas {name}" in page

    db.session.expire_all()
    files = _files(doc)
    assert len(files) == before + 1
    added = files[-1]
    assert added.version == before + 1 and added.original_name == name and added.extension == "docx"
    assert added.uploaded_by_id == get_user("pelayanan").id
    data = app.extensions["iku_storage"].read(file_key(added))
    assert added.size == len(data) and added.sha256 == hashlib.sha256(data).hexdigest()
    stored = Document(io.BytesIO(data))
    assert _texts(stored)[0] == "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"
    assert "83,33" in [c.text for t in stored.tables for r in t.rows for c in r.cells]
    history = db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id == doc.entry_id, WorkflowEvent.action == WorkflowAction.EDIT)).all()
    assert any(f"{name} (versi {added.version})" in (e.note or "") for e in history)
    assert doc.entry.state is EntryState.DRAFT  # attaching is an edit; the operator submits it

    # The document's page lists the new version.
    assert name in c.get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)


def test_attaching_is_refused_unless_the_document_is_editable_by_the_user(client_as, closed, office):
    doc = required(office, "laporan_skm", closed.year)
    # Sekcam may not edit a section's document: no button, the reason instead, and a refused POST.
    sekcam = client_as("sekcam")
    page = sekcam.get(f"/skm/periode/{closed.id}").get_data(as_text=True)
    assert 'data-testid="attach-report"' not in page and 'data-testid="attach-refusal"' in page
    assert "operator Seksi Pelayanan Umum" in page
    page = sekcam.post(f"/skm/periode/{closed.id}/lampirkan", follow_redirects=True).get_data(as_text=True)
    assert "hanya dapat dilampirkan oleh operator Seksi Pelayanan Umum" in page
    assert _files(doc) == []

    # An approved document is locked, for its own operator too.
    pelayanan = fresh_user(client_as, "pelayanan")
    pelayanan.post(f"/skm/periode/{closed.id}/lampirkan")
    db.session.expire_all()
    workflow.submit(doc.entry, get_user("pelayanan"))
    workflow.approve(doc.entry, get_user("sekcam"))
    db.session.commit()
    page = pelayanan.get(f"/skm/periode/{closed.id}").get_data(as_text=True)
    assert 'data-testid="attach-report"' not in page and "berstatus Disetujui" in page
    page = pelayanan.post(f"/skm/periode/{closed.id}/lampirkan", follow_redirects=True).get_data(as_text=True)
    assert "berstatus Disetujui" in page and "terkunci" in page
    db.session.expire_all()
    assert len(_files(doc)) == 1


def test_an_open_period_cannot_be_attached(client_as, period, office):
    c = client_as("pelayanan")
    assert 'data-testid="attach-report"' not in c.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    page = c.post(f"/skm/periode/{period.id}/lampirkan", follow_redirects=True).get_data(as_text=True)
    assert "Tutup periode survei terlebih dahulu" in page
    assert _files(required(office, "laporan_skm", period.year)) == []


def test_another_offices_period_is_not_found(client_as, closed, other_office, office):
    for username in ("admin-puger", "trantib-puger"):
        c = fresh_user(client_as, username)
        assert c.post(f"/skm/periode/{closed.id}/lampirkan").status_code == 404
        assert c.get(f"/skm/periode/{closed.id}/laporan.docx").status_code == 404
    assert _files(required(office, "laporan_skm", closed.year)) == []
