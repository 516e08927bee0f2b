"""Programs and their budget from the DPA sheet (PK table 2): the header found wherever the sheet puts it, Indonesian
amounts in text cells, totals skipped, all rows or none, existing programs updated and the others kept."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, ProgramBudget
from iku_workflow.pk import dpa


def _sheet(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DPA = [["PEMERINTAH KABUPATEN JEMBER"], ["DOKUMEN PELAKSANAAN ANGGARAN"], [],
       ["Kode Rekening", "Uraian", "Sumber Dana", "Jumlah (Rp)"],
       ["7.01.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "APBD", 1250000000],
       ["7.01.02", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", "APBD", "Rp 350.750.000,50"],
       [None, None, None, None],
       ["", "JUMLAH", "", 1600750000.5]]


def test_the_dpa_fills_the_program_list_and_a_second_import_updates_it(office):
    db.session.add(ProgramBudget(office_id=office.id, year=2025, position=1, name="Program Lama", budget=Decimal(5)))
    db.session.add(ProgramBudget(office_id=office.id, year=2025, position=2, name="program penyelenggaraan "
                                 "pemerintahan dan pelayanan publik", budget=Decimal(1)))
    counts = dpa.import_dpa(office, 2025, None, _sheet(DPA))
    assert counts == {"added": 1, "updated": 1, "unchanged": 0, "kept": 1}
    rows = {p.name: p for p in db.session.scalars(sa.select(ProgramBudget).where(ProgramBudget.year == 2025))}
    assert Decimal(rows["Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"].budget) == Decimal("1250000000")
    updated = rows["program penyelenggaraan pemerintahan dan pelayanan publik"]
    assert Decimal(updated.budget) == Decimal("350750000.50") and updated.code == "7.01.02"
    assert updated.source == "dpa" and updated.note == "APBD" and "Program Lama" in rows
    again = dpa.import_dpa(office, 2025, None, _sheet(DPA))
    assert again == {"added": 0, "updated": 0, "unchanged": 2, "kept": 1}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "program.dpa_imported"))
    assert Decimal(event.details["total"]) == Decimal("1600750000.50")


def test_a_bad_row_stores_nothing_and_names_row_and_column(office):
    bad = DPA[:5] + [["7.01.02", "Program B", "APBD", "350.750.000,5.0"], ["7.01.03", "Program C", "", -1],
                     ["7.01.04", "Program D", "", None]]
    with pytest.raises(dpa.DpaFailed) as failed:
        dpa.import_dpa(office, 2025, None, _sheet(bad))
    text = [str(e) for e in failed.value.errors]
    assert any(t.startswith("Baris 6, Pagu") for t in text)
    assert "Baris 7, Pagu: tidak boleh negatif." in text and "Baris 8, Pagu: wajib diisi." in text
    assert db.session.query(ProgramBudget).count() == 0


def test_a_sheet_without_the_columns_or_not_a_sheet_is_refused(office):
    with pytest.raises(dpa.DpaFailed, match="Judul kolom program dan pagu"):
        dpa.import_dpa(office, 2025, None, _sheet([["a", "b"], [1, 2]]))
    with pytest.raises(dpa.DpaFailed, match="bukan lembar kerja"):
        dpa.import_dpa(office, 2025, None, b"%PDF-1.4 bukan excel")
    assert dpa.parse(dpa.template_bytes(2025))[0]["code"] == "7.01.01"


def test_the_sekcam_imports_from_the_programs_page(client_as, office):
    sekcam = client_as("sekcam")
    page = sekcam.get("/lkjip/2025/program").get_data(as_text=True)
    assert 'data-testid="dpa-form"' in page
    response = sekcam.post("/pk/program/2025/impor-dpa", data={"sheet": (io.BytesIO(_sheet(DPA)), "dpa.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "DPA diimpor: 2 program baru" in html and "1.600.750.000,5" in html
    assert client_as("pmks").post("/pk/program/2025/impor-dpa", data={}).status_code == 403
