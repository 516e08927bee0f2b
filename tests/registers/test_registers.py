import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

import factories as mk
from conftest import get_user
from iku_workflow import measures
from iku_workflow.extensions import db
from iku_workflow.models import Complaint, EntryState, ProgramIndicator, SakipEvaluation
from iku_workflow.registers import operations as reg_ops
from iku_workflow.registers.program_import import COLUMNS
from iku_workflow.workflow import operations as wf


def test_empty_registers_give_no_data_not_zero(app, office):
    for kind in ("ratio:complaints", "ratio:activities", "ratio:programs", "score:sakip"):
        m = measures.measure(kind, office.id, 2025)
        assert m.year is None and not m.has_data and m.detail == "Belum ada data."


def test_only_approved_complaints_count(app, office):
    a, b, c = mk.complaint(office), mk.complaint(office, status="masuk"), mk.complaint(office)
    db.session.commit()
    assert measures.measure("ratio:complaints", office.id, 2025).year is None  # drafts do not count
    mk.approve(a, b)
    wf.submit(c.entry, get_user("trantib"))
    db.session.commit()
    m = measures.measure("ratio:complaints", office.id, 2025)
    assert m.counts[1] == (1, 2) and m.year == Decimal(50)


def test_complaint_workflow_return_edit_resubmit(client_as, office):
    trantib, sekcam = client_as("trantib"), client_as("sekcam")
    response = trantib.post("/register/pengaduan/2025/baru", data={
        "received_on": "2025-04-02", "channel": "sp4n", "desa": "Menampu", "summary": "Balap liar",
        "status": "masuk", "resolved_on": "", "resolution": "", "evidence_note": "Tangkapan layar"})
    assert response.status_code == 302
    row = db.session.scalar(sa.select(Complaint))
    assert row.entry.state is EntryState.DRAFT and row.entry.section.code == "trantib" and row.year == 2025
    trantib.post(f"/entri/{row.entry_id}/ajukan", data={"note": "", "version": row.entry.version})
    sekcam.post(f"/entri/{row.entry_id}/kembalikan", data={"note": "Isi cara penyelesaian"})
    db.session.expire_all()
    assert row.entry.state is EntryState.RETURNED
    # "Selesai" comes with its evidence (a resolved complaint is not submitted without it)
    trantib.post(f"/register/pengaduan/data/{row.id}/ubah", content_type="multipart/form-data", data={
        "received_on": "2025-04-02", "channel": "sp4n", "desa": "Menampu", "summary": "Balap liar",
        "status": "selesai", "resolved_on": "2025-04-05", "resolution": "Patroli gabungan", "evidence_note": "BA",
        "evidence_upload": (io.BytesIO(mk.PDF), "berita acara.pdf")})
    trantib.post(f"/entri/{row.entry_id}/ajukan", data={"note": ""})
    sekcam.post(f"/entri/{row.entry_id}/setujui", data={"note": ""})
    db.session.expire_all()
    assert row.entry.state is EntryState.APPROVED and row.resolution == "Patroli gabungan"
    page = sekcam.get(f"/register/pengaduan/data/{row.id}").get_data(as_text=True)
    assert "SP4N-LAPOR!" in page and "Disetujui" in page
    m = measures.measure("ratio:complaints", office.id, 2025)
    assert m.tw[2] == Decimal(100) and m.tw[1] is None
    # approved rows are locked
    locked = trantib.post(f"/register/pengaduan/data/{row.id}/ubah", data={}, follow_redirects=True)
    assert "sudah disetujui terkunci" in locked.get_data(as_text=True)
    assert db.session.get(Complaint, row.id).summary == "Balap liar"


def test_complaint_selesai_needs_resolved_date_not_before_received(client_as, office):
    c = client_as("trantib")
    html = c.post("/register/pengaduan/2025/baru", data={
        "received_on": "2025-04-02", "channel": "surat", "summary": "Ribut", "status": "selesai",
        "resolved_on": "2025-04-01"}).get_data(as_text=True)
    assert "tidak boleh sebelum tanggal diterima" in html and "Ribut" in html
    html = c.post("/register/pengaduan/2025/baru", data={
        "received_on": "2025-04-02", "channel": "surat", "summary": "Ribut", "status": "selesai"}).get_data(as_text=True)
    assert "Tanggal selesai wajib diisi" in html
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0


def test_database_refuses_inconsistent_complaint(app, office):
    row = mk.complaint(office)
    db.session.commit()
    row.resolved_on = date(2025, 1, 1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_other_section_cannot_create_or_edit(client_as, office):
    assert client_as("pmks").get("/register/pengaduan/2025/baru").status_code == 403
    row = mk.complaint(office)
    db.session.commit()
    assert client_as("pmks").get(f"/register/pengaduan/data/{row.id}/ubah").status_code == 403
    assert client_as("sekcam").get("/register/pengaduan/2025/baru").status_code == 403
    with pytest.raises(wf.ForbiddenTransition):
        reg_ops.update_row(row, get_user("pmks"), summary="x")


def test_register_office_isolation(client_as, office, other_office):
    row = mk.complaint(office)
    mk.approve(row)
    c = client_as("trantib-puger")
    assert c.get(f"/register/pengaduan/data/{row.id}").status_code == 404
    assert c.get(f"/register/pengaduan/data/{row.id}/ubah").status_code == 404
    assert "Keributan di pasar" not in c.get("/register/pengaduan/2025").get_data(as_text=True)
    assert measures.measure("ratio:complaints", other_office.id, 2025).year is None


def test_activities_pooled_by_planned_triwulan(app, office):
    rows = [mk.activity(office, 1), mk.activity(office, 1, facilitated=False), mk.activity(office, 2)]
    mk.approve(*rows)
    m = measures.measure("ratio:activities", office.id, 2025)
    assert m.counts[1] == (1, 2) and m.counts[2] == (1, 1)
    assert m.upto[1] == Decimal(50) and round(m.year, 2) == Decimal("66.67")


def test_sakip_score_and_predikat(client_as, office):
    c = client_as("sekretariat")
    assert c.post("/register/sakip/2025/baru", data={"score": "101", "lhe_reference": "x"}).status_code == 200
    # an Indonesian page: "72.5" is ambiguous (RULES.md §6) and refused, "72,5" is the score
    assert c.post("/register/sakip/2025/baru", data={"score": "72.5", "lhe_reference": "x"}).status_code == 200
    response = c.post("/register/sakip/2025/baru", data={"score": "72,5", "lhe_reference": "700/1/2025",
                                                        "lhe_date": "2025-11-20"})
    row = db.session.scalar(sa.select(SakipEvaluation))
    assert response.status_code == 302 and row.entry.section.code == "sekretariat"
    assert "BB (Sangat Baik)" in c.get(f"/register/sakip/data/{row.id}").get_data(as_text=True)
    mk.approve(row)
    m = measures.measure("score:sakip", office.id, 2025)
    assert m.year == Decimal("72.5") and m.tw[4] == Decimal("72.5")
    dup = c.post("/register/sakip/2025/baru", data={"score": "80", "lhe_reference": "y"}, follow_redirects=True)
    assert "sudah dicatat" in dup.get_data(as_text=True)


def test_sekcam_cannot_approve_own_and_does_not_enter(app, office):
    assert not reg_ops.may_create(get_user("sekcam"), "sakip")
    assert reg_ops.may_create(get_user("sekretariat"), "program")


def test_programs_achieved_ratio(app, office):
    rows = [mk.program(office), mk.program(office, realisation="80"), mk.program(office, realisation=None)]
    mk.approve(*rows)
    assert [r.achieved for r in rows] == [True, False, False]
    m = measures.measure("ratio:programs", office.id, 2025)
    assert m.counts[4] == (1, 3) and round(m.year, 2) == Decimal("33.33")


def _sheet(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes, year=2025):
    return client.post(f"/register/program/{year}/impor", data={"file": (io.BytesIO(data), "program.xlsx")},
                       content_type="multipart/form-data")


def test_program_import_all_rows(client_as, office):
    c = client_as("sekretariat")
    template = c.get("/register/program/2025/templat.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    response = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "hari", "turun", 3, "2,4"]]))
    assert response.status_code == 302
    rows = db.session.scalars(sa.select(ProgramIndicator).order_by(ProgramIndicator.id)).all()
    assert [(r.program, r.polarity.value, r.achieved) for r in rows] == [("P1", "higher", True), ("P2", "lower", True)]
    assert all(r.entry.state is EntryState.DRAFT for r in rows)


def test_program_import_errors_by_row_and_nothing_imported(client_as, office):
    c = client_as("sekretariat")
    response = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["", "I2", "%", "naik", "abc", 1],
                                  ["P3", "I3", "%", "miring", -1, None]]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Baris 3, kolom Program: wajib diisi." in html and "Baris 3, kolom Target: &#39;abc&#39; bukan angka." in html
    assert "Baris 4, kolom Polaritas" in html and "Baris 4, kolom Target: tidak boleh negatif." in html
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))) == 0
    bad_header = _upload(c, _sheet([["P1"]], header=["Nama"])).get_data(as_text=True)
    assert "Baris 1: Judul kolom harus" in bad_header
    assert "bukan lembar kerja Excel" in _upload(c, b"%PDF-1.4 nope").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))) == 0


def test_program_import_again_changes_nothing_and_refuses_a_pair_twice_in_the_sheet(client_as, office, other_office):
    """Re-importing the same sheet is not a second set of indicators (IKU 6 would double): rows matched by
    program and indicator (spacing and case aside) are the same rows; a pair twice in one sheet is refused."""
    c = client_as("sekretariat")
    sheet = _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "hari", "turun", 3, 2]])
    assert _upload(c, sheet).status_code == 302
    assert "2 indikator program diimpor sebagai draf." in c.get("/register/program/2025").get_data(as_text=True)
    again = _upload(c, sheet)
    assert again.status_code == 302
    assert "Tidak ada yang berubah" in c.get("/register/program/2025").get_data(as_text=True)
    mixed = _upload(c, _sheet([["P3", "I3", "%", "naik", 1, 1], ["P4", "I4", "%", "naik", 1, 1],
                               ["p4", "I4 ", "%", "naik", 1, 1]]))
    html = mixed.get_data(as_text=True)
    assert mixed.status_code == 422
    assert "Baris 4: indikator program “I4” (p4) sama dengan baris 3." in html
    assert "Baris 2" not in html and "Baris 3:" not in html
    rows = db.session.scalars(sa.select(ProgramIndicator).order_by(ProgramIndicator.id)).all()
    assert [(r.program, r.indicator) for r in rows] == [("P1", "I1"), ("P2", "I2")]
    # Another year and another office are separate registers.
    assert _upload(c, sheet, year=2024).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id)).where(ProgramIndicator.year == 2024)) == 2
    from iku_workflow.models import Role, User
    from iku_workflow.security import hash_password
    from conftest import PASSWORD
    section = next(s for s in other_office.sections if s.code == "sekretariat")
    db.session.add(User(office_id=other_office.id, username="sekretariat-puger", full_name="Operator Puger",
                        role=Role.SEKSI, section_id=section.id, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    assert _upload(client_as("sekretariat-puger"), sheet).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))
                             .where(ProgramIndicator.office_id == other_office.id, ProgramIndicator.year == 2025)) == 2


def test_program_import_failure_half_way_rolls_back(client_as, office, monkeypatch):
    c = client_as("sekretariat")
    calls = {"n": 0}
    original = reg_ops.create_row

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise wf.WorkflowError("gagal di tengah")
        return original(*args, **kwargs)

    monkeypatch.setattr("iku_workflow.registers.program_import.create_row", flaky)
    response = _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "%", "naik", 100, 100]]))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))) == 0


def test_only_sekretariat_operator_imports(client_as, office):
    assert _upload(client_as("sekcam"), _sheet([])).status_code == 403
    assert _upload(client_as("trantib"), _sheet([])).status_code == 403


def test_submit_all_drafts_after_import(client_as, office):
    c = client_as("sekretariat")
    _upload(c, _sheet([["P1", "I1", "%", "naik", 100, 100], ["P2", "I2", "%", "naik", 100, 50]]))
    assert 'data-testid="submit-all"' in c.get("/register/program/2025").get_data(as_text=True)
    response = c.post("/register/program/2025/ajukan-semua", follow_redirects=True)
    assert "2 data diajukan" in response.get_data(as_text=True)
    states = db.session.scalars(sa.select(ProgramIndicator)).all()
    assert {r.entry.state for r in states} == {EntryState.SUBMITTED}
    assert client_as("trantib").post("/register/program/2025/ajukan-semua", follow_redirects=True).status_code == 200
    for row in states:
        wf.approve(row.entry, get_user("sekcam"))
    db.session.commit()
    m = measures.measure("ratio:programs", office.id, 2025)
    assert m.year == Decimal(50)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_activity_with_evidence_file(client_as, office):
    c = client_as("pmks")
    data = {"name": "Pelatihan menjahit", "kind": "pelatihan", "planned_triwulan": "2", "desa": "Tembokrejo",
            "facilitated": "y", "facilitated_on": "2025-05-20", "evidence_note": "Daftar hadir"}
    refused = c.post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                     data={**data, "evidence_upload": (io.BytesIO(b"<html><script>x</script>"), "bukti.pdf")})
    # the app's one upload policy (storage.uploads), as for document evidence: type by content, a name
    # that agrees with it and has no folder parts; nothing is stored for a refused file
    assert refused.status_code == 200 and "tidak diizinkan" in refused.get_data(as_text=True)
    for name, message in (("daftar hadir.png", "tidak sesuai"), ("../../daftar hadir.pdf", "bagian folder")):
        refused = c.post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                         data={**data, "evidence_upload": (io.BytesIO(PDF), name)})
        assert refused.status_code == 200 and message in refused.get_data(as_text=True)
    assert list(c.application.extensions["iku_storage"].iter_keys()) == []
    response = c.post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                      data={**data, "evidence_upload": (io.BytesIO(PDF), "daftar hadir.pdf")})
    assert response.status_code == 302
    from iku_workflow.models import Activity

    row = db.session.scalar(sa.select(Activity))
    assert row.evidence_filename == "daftar hadir.pdf" and row.evidence_mime == "application/pdf"
    assert "Pelatihan menjahit" in c.get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
    with c.get(f"/register/kegiatan/data/{row.id}/bukti") as download:
        assert download.status_code == 200 and download.data == PDF
        assert "attachment" in download.headers["Content-Disposition"]
    with client_as("trantib").get(f"/register/kegiatan/data/{row.id}/bukti") as same_office:
        assert same_office.status_code == 200


def test_evidence_of_other_office_is_hidden(client_as, office, other_office):
    row = mk.activity(office)
    db.session.commit()
    assert client_as("trantib-puger").get(f"/register/kegiatan/data/{row.id}/bukti").status_code == 404
