"""Re-importing the IKU 6 sheet: existing rows (matched by program and indicator) are changed — an approved
row through a proposed change, after a preview of old → new that the operator confirms — all or nothing."""
from __future__ import annotations

import io
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import Workbook

from conftest import get_user
from factories import approve
from iku_workflow import measures
from iku_workflow.extensions import db
from iku_workflow.models import ChangeRequest, EntryState, ProgramIndicator
from iku_workflow.registers import program_import
from iku_workflow.workflow import operations as wf

HEADER = ["Program", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi"]


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes, year=2025):
    return client.post(f"/register/program/{year}/impor", data={"file": (io.BytesIO(data), "program.xlsx")},
                       content_type="multipart/form-data")


def _rows(office):
    return db.session.scalars(sa.select(ProgramIndicator).where(ProgramIndicator.office_id == office.id,
                                                                ProgramIndicator.year == 2025)
                              .order_by(ProgramIndicator.id)).all()


def _iku6(office):
    return measures.measure("ratio:programs", office.id, 2025).counts[4]


def _approved_two(client, office):
    assert _upload(client, _sheet([["P1", "I1", "%", "naik", 100, 40], ["P2", "I2", "%", "naik", 100, 100]])).status_code == 302
    rows = _rows(office)
    approve(*rows)
    return rows


def test_reimport_previews_then_proposes_changes_counted_after_approval(client_as, office):
    c = client_as("sekretariat")
    p1, p2 = _approved_two(c, office)
    before = _iku6(office)
    preview = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "%", "naik", 100, 100],
                                 ["P3", "I3", "%", "naik", 10, 5]]))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-testid="import-preview"' in html
    assert 'data-row="2" data-action="change"' in html and 'data-row="3" data-action="same"' in html
    assert 'data-row="4" data-action="new"' in html
    assert "Realisasi: <span data-testid=\"old\">40</span> → <strong data-testid=\"new\">100</strong>" in html
    # nothing written by the preview
    assert len(_rows(office)) == 2 and db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 0
    # the confirmation needs a reason
    refused = c.post("/register/program/2025/impor/konfirmasi", data={"reason": ""})
    assert refused.status_code == 422 and "Alasan perubahan wajib diisi." in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 0
    done = c.post("/register/program/2025/impor/konfirmasi", data={"reason": "Realisasi TW IV"})
    assert done.status_code == 302
    db.session.expire_all()
    rows = _rows(office)
    assert len(rows) == 3 and rows[2].entry.state is EntryState.DRAFT
    change = db.session.scalar(sa.select(ChangeRequest))
    assert change.row_id == p1.id and change.proposed == {"realisation": "100.0000"} and change.reason == "Realisasi TW IV"
    # the approved value counts until the sekcam approves the change
    assert rows[0].realisation == Decimal(40) and _iku6(office) == before
    wf.approve(change.entry, get_user("sekcam"))
    db.session.commit()
    achieved, total = before
    assert _iku6(office) == (achieved + 1, total)
    assert db.session.get(ProgramIndicator, p1.id).realisation == Decimal(100)
    # the preview's sheet is gone: confirming again does nothing
    again = c.post("/register/program/2025/impor/konfirmasi", data={"reason": "lagi"})
    assert again.status_code == 302 and db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 1


def test_reimport_all_or_nothing_refuses_a_row_under_review_or_with_a_pending_change(client_as, office):
    c = client_as("sekretariat")
    p1, p2 = _approved_two(c, office)
    assert _upload(c, _sheet([["P3", "I3", "%", "naik", 10, 5]])).status_code == 302
    p3 = _rows(office)[2]
    wf.submit(p3.entry, get_user("sekretariat"))
    from iku_workflow.registers import changes
    changes.propose(p2, get_user("sekretariat"), values={"target": Decimal(90)}, reason="revisi target")
    db.session.commit()
    response = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "%", "naik", 100, 99],
                                  ["P3", "I3", "%", "naik", 10, 10], ["P4", "I4", "%", "naik", 1, 1]]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tidak ada yang diimpor" in html
    assert "Baris 3: indikator program “I2” sudah punya usulan perubahan" in html
    assert "Baris 4: indikator program “I3” sedang ditinjau" in html
    assert len(_rows(office)) == 3 and db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 1


def test_a_draft_row_is_updated_in_place_after_the_preview(client_as, office):
    c = client_as("sekretariat")
    assert _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 40]])).status_code == 302
    preview = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 80]]))
    assert 'data-action="update"' in preview.get_data(as_text=True)
    assert c.post("/register/program/2025/impor/konfirmasi", data={"reason": "Realisasi baru"}).status_code == 302
    db.session.expire_all()
    (row,) = _rows(office)
    assert row.realisation == Decimal(80) and row.entry.state is EntryState.DRAFT


def test_plan_is_the_same_check_as_the_page(app, office):
    """program_import.plan refuses a pair twice in one sheet (rows named), nothing written."""
    data = _sheet([["P1", "I1", "%", "naik", 1, 1], ["p1", "i1", "%", "naik", 1, 1]])
    try:
        program_import.plan(office, get_user("sekretariat"), 2025, data)
    except program_import.ImportFailed as exc:
        assert [str(e) for e in exc.errors] == ["Baris 3: indikator program “i1” (p1) sama dengan baris 2."]
    else:
        raise AssertionError("a pair twice in the sheet was accepted")
