"""The capaian report from the database: an "s.d. TW" report's document completion rate is the rate at the
end of that triwulan (the same approvals IKU 1 counts), the SAKIP predikat stands beside IKU 5, counts print
without decimals, and both Excel files and the Word file use the office's paper."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
import pytest
from docx import Document

import factories as mk
from conftest import get_user
from factories import give_evidence, required
from iku_workflow.extensions import db
from iku_workflow.models.office import PaperSize
from iku_workflow.workflow import operations as ops

YEAR = 2025


def _approve(office, code: str, when: datetime) -> None:
    entry = required(office, code, YEAR).entry
    ops.submit(entry, get_user(entry.section.code))
    ops.approve(entry, get_user("sekcam"))
    entry.decided_at = when
    db.session.commit()


@pytest.fixture
def approvals(office):
    """Five of the eleven documents of 2025, approved through the year and one after it (WIB dates)."""
    give_evidence(office)
    db.session.commit()
    for code, when in (("lakip", datetime(YEAR, 2, 10, 3, tzinfo=timezone.utc)),
                       ("anjab", datetime(YEAR, 3, 31, 18, tzinfo=timezone.utc)),  # 1 April 01:00 WIB: TW II
                       ("sop", datetime(YEAR, 5, 5, 3, tzinfo=timezone.utc)),
                       ("abk", datetime(YEAR, 8, 1, 3, tzinfo=timezone.utc)),
                       ("laporan_skm", datetime(YEAR + 1, 1, 20, 3, tzinfo=timezone.utc))):  # late: TW IV
        _approve(office, code, when)


def _docx(client, periode: str | None):
    query = f"?periode={periode}" if periode else ""
    return Document(io.BytesIO(client.get(f"/laporan/capaian/{YEAR}.docx{query}").data))


def _table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "No")


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_sd_tw_completion_is_the_rate_at_the_end_of_that_triwulan(client_as, office, approvals):
    camat = client_as("camat")
    expected = {"tw1": ("1", "9,09% (1 dari 11"), "tw2": ("3", "27,27% (3 dari 11"),
                "tw3": ("4", "36,36% (4 dari 11"), "tw4": ("5", "45,45% (5 dari 11"), None: ("5", "45,45% (5 dari 11")}
    for periode, (iku1, rate) in expected.items():
        doc = _docx(camat, periode)
        row = next(r for r in _table(doc).rows[2:] if r.cells[0].text == "1.")
        assert row.cells[9].text == iku1, periode  # IKU 1 of the period, a whole number
        label = {None: "Tahun", "tw1": "s.d. Triwulan I", "tw2": "s.d. Triwulan II", "tw3": "s.d. Triwulan III",
                 "tw4": "s.d. Triwulan IV"}[periode] + " 2025"
        line = next(t for t in _texts(doc) if t.startswith("Tingkat kelengkapan dokumen"))
        assert line == f"Tingkat kelengkapan dokumen {label}: {rate} dokumen wajib disetujui)", periode
    ws = openpyxl.load_workbook(io.BytesIO(camat.get(f"/laporan/capaian/{YEAR}.xlsx?periode=tw2").data)).active
    line = next(r for r in range(8, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Tingkat kelengkapan"))
    assert float(ws.cell(line, 5).value) == 27.27 and ws.cell(line, 6).value == "3 dari 11 dokumen wajib disetujui"
    page = camat.get(f"/laporan/capaian/{YEAR}?periode=tw2").get_data(as_text=True)
    completion = page.split('data-testid="capaian-completion">')[1].split("</p>")[0]
    assert "s.d. Triwulan II 2025" in completion and "27,27%" in completion and "3 dari 11" in completion


def test_counts_print_without_decimals(client_as, office, approvals):
    row = next(r for r in _table(_docx(client_as("camat"), None)).rows[2:] if r.cells[0].text == "1.")
    cells = [c.text for c in row.cells]
    assert cells[3] == "dokumen" and cells[4:10] == ["11", "1", "3", "4", "5", "5"]
    ws = openpyxl.load_workbook(io.BytesIO(client_as("camat").get(f"/laporan/capaian/{YEAR}.xlsx").data)).active
    assert (ws["E8"].value, ws["E8"].number_format, ws["I8"].value, ws["I8"].number_format) == (11, "0", 5, "0")
    assert ws["E9"].number_format == "0.00"  # IKM: an index keeps its decimals
    export = openpyxl.load_workbook(io.BytesIO(client_as("camat").get(f"/dasbor/{YEAR}/excel").data)).active
    assert (export["E6"].value, export["E6"].number_format, export["J6"].number_format) == (11, "0", "0")
    assert export["E7"].number_format == "0.00"


def test_sasaran_column_and_sakip_predikat_beside_iku5(client_as, office):
    mk.approve(mk.sakip(office, score="82.5", year=YEAR))
    camat = client_as("camat")
    table = _table(_docx(camat, None))
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[2:]}
    from iku_workflow.seed import gumukmas_2025 as seed

    sasaran = {f"{r['number']}.": r["kinerja_utama"] for r in seed.iku_rows(YEAR)}
    assert all(rows[n][1] == sasaran[n] for n in rows)  # the Sasaran column is each IKU's kinerja utama
    assert rows["5."][2] == "Nilai SAKIP OPD\nPredikat SAKIP: A (Memuaskan)" and rows["5."][9] == "82,50"
    assert all("Predikat" not in rows[n][2] for n in rows if n != "5.")
    ws = openpyxl.load_workbook(io.BytesIO(camat.get(f"/laporan/capaian/{YEAR}.xlsx").data)).active
    iku5 = next(r for r in range(8, 14) if ws.cell(r, 1).value == 5)
    assert ws.cell(iku5, 13).value == "Predikat SAKIP: A (Memuaskan)" and float(ws.cell(iku5, 10).value) == 82.5
    export = openpyxl.load_workbook(io.BytesIO(camat.get(f"/dasbor/{YEAR}/excel").data)).active
    assert export["B5"].value == "Sasaran" and export["M5"].value == "Keterangan"
    assert export["B10"].value == sasaran["5."] and export["M10"].value == "Predikat SAKIP: A (Memuaskan)"
    # s.d. TW I: the LHE (20 November) is not in yet, so there is neither a score nor a predikat
    early = {r.cells[0].text: r.cells[2].text for r in _table(_docx(camat, "tw1")).rows[2:]}
    assert early["5."] == "Nilai SAKIP OPD"


@pytest.mark.parametrize("paper, code, size_mm", [(PaperSize.F4, 14, (330, 215)), (PaperSize.A4, 9, (297, 210))])
def test_reports_use_the_offices_paper(client_as, office, paper, code, size_mm):
    office.paper_size = paper
    db.session.commit()
    camat = client_as("camat")
    for url in (f"/laporan/capaian/{YEAR}.xlsx", f"/laporan/capaian/{YEAR}.xlsx?periode=tw2", f"/dasbor/{YEAR}/excel"):
        ws = openpyxl.load_workbook(io.BytesIO(camat.get(url).data)).active
        assert int(ws.page_setup.paperSize) == code and ws.page_setup.orientation == "landscape", url
    section = _docx(camat, None).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == size_mm
