import io
import json
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.indicators.summary import year_summary
from iku_workflow.models import Complaint, ComplaintChannel, ComplaintStatus, EntryState, WorkflowEntry


def _iku4_scenario(office):
    rows = [mk.complaint(office, date(2025, 1, 10)), mk.complaint(office, date(2025, 2, 10)),
            mk.complaint(office, date(2025, 3, 10), status="diproses")]
    mk.approve(*rows)


def test_summary_iku4_worked_example(app, office):
    _iku4_scenario(office)
    iku4 = year_summary(office.id, 2025)[3]
    assert iku4.number == 4 and iku4.target == 100
    assert round(iku4.realisation, 2) == Decimal("66.67") and iku4.capaian == Decimal("66.67")
    assert iku4.band.label == "Sedang" and iku4.capaian_upto[1] == Decimal("66.67")
    assert iku4.measured.tw[2] is None and iku4.capaian_upto[4] == Decimal("66.67")


def test_triwulan_targets_drive_sd_tw_capaian(app, office):
    from iku_workflow.indicators import operations as ops

    _iku4_scenario(office)
    iku4 = mk.seeded_iku(office, 4)
    ops.set_target(iku4, get_user("sekcam"), Decimal(80), 1)
    db.session.commit()
    item = year_summary(office.id, 2025)[3]
    assert item.target_upto[1] == 80 and item.capaian_upto[1] == Decimal("83.33")  # 66.67/80
    assert item.capaian == Decimal("66.67")  # the year against the year's target


def test_dashboard_page(client_as, office):
    _iku4_scenario(office)
    c = client_as("camat")
    assert c.get("/").headers["Location"].endswith("/dasbor")
    html = c.get("/dasbor/2025").get_data(as_text=True)
    card = html.split('<section class="card h-100" data-iku="4"')[1].split("</section>")[0]
    assert "66,67 %" in card and 'data-band="sedang">Sedang<' in card
    assert '<canvas data-iku="4"' in html and "js/dashboard.js" in html
    assert "/register/pengaduan/2025" in card
    assert 'data-testid="pending-review">0 entri' in html
    assert 'data-testid="doc-completion">0,00 %' in html  # 11 required documents of 2025, none approved yet
    iku3 = html.split('<section class="card h-100" data-iku="3"')[1].split("</section>")[0]
    assert "Belum ada data" in iku3 and "0,00" not in iku3
    assert client_as("trantib").get("/dasbor").status_code == 200


def test_every_role_lands_on_the_dashboard(client_as, office):
    for username in ("admin", "camat", "sekcam", "trantib", "sekretariat"):
        response = client_as(username).get("/", follow_redirects=True)
        assert response.request.path == "/dasbor" and "Capaian IKU Kecamatan Gumukmas" in response.get_data(as_text=True)


def test_excel_export_matches_summary(client_as, office):
    _iku4_scenario(office)
    response = client_as("sekcam").get("/dasbor/2025/excel")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    assert "KECAMATAN GUMUKMAS" in ws["A1"].value and "Tahun 2025" in ws["A2"].value
    from iku_workflow.formatting import format_date as format_tanggal

    assert ws["A3"].value == f"Dicetak {format_tanggal(date.today())}"
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    assert rows[4][10] == 66.67 and rows[4][11] == "Sedang" and rows[3][11] == "Belum ada data"


def test_cli_report_json(runner, office):
    _iku4_scenario(office)
    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["number"] for d in data] == [1, 2, 3, 4, 5, 6]
    assert data[3] == {"number": 4, "name": data[3]["name"], "unit": "%", "polarity": "higher", "target": 100.0,
                       "realisation": {"tw1": 66.67, "tw2": None, "tw3": None, "tw4": None, "year": 66.67,
                                       "sd_tw1": 66.67, "sd_tw2": 66.67, "sd_tw3": 66.67, "sd_tw4": 66.67},
                       "capaian": 66.67, "criteria": "Sedang"}
    assert data[2]["realisation"]["year"] is None and data[2]["capaian"] is None and data[2]["criteria"] is None
    bad = runner.invoke(args=["iku", "report", "--office", "tidakada", "--year", "2025", "--json"])
    assert bad.exit_code == 1 and "tidak ditemukan" in bad.output


def _bulk_complaints(office, n: int) -> None:
    """n approved complaints inserted in bulk (the dashboard must not care how many)."""
    trantib, sekcam = get_user("trantib"), get_user("sekcam")
    section = next(s for s in office.sections if s.code == "trantib")
    now = WorkflowEntry.created_at.default.arg(None)
    entries = [dict(office_id=office.id, section_id=section.id, kind="complaint", title=f"C{i}", year=2025,
                    state=EntryState.APPROVED, version=1, submitted_by_id=trantib.id, submitted_at=now,
                    decided_by_id=sekcam.id, decided_at=now, created_at=now, updated_at=now) for i in range(n)]
    db.session.execute(sa.insert(WorkflowEntry), entries)
    ids = db.session.scalars(sa.select(WorkflowEntry.id).where(WorkflowEntry.kind == "complaint")
                             .order_by(WorkflowEntry.id)).all()
    start = date(2025, 1, 1)
    db.session.execute(sa.insert(Complaint), [
        dict(office_id=office.id, entry_id=eid, year=2025, received_on=start + timedelta(days=i % 360),
             channel=ComplaintChannel.SURAT, desa="", summary="s", status=ComplaintStatus.SELESAI if i % 3 else
             ComplaintStatus.MASUK, resolved_on=(start + timedelta(days=i % 360)) if i % 3 else None,
             resolution="", evidence_note="", created_at=now) for i, eid in enumerate(ids)])
    db.session.commit()


def _count_queries(client, url: str) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_dashboard_query_count_does_not_grow_with_rows(client_as, office):
    c = client_as("sekcam")
    c.get("/dasbor/2025")  # the overview's earlier years are reused once computed (their data does not change here)
    _bulk_complaints(office, 10)
    small = _count_queries(c, "/dasbor/2025")
    db.session.execute(sa.delete(Complaint))
    db.session.execute(sa.delete(WorkflowEntry).where(WorkflowEntry.kind == "complaint"))
    db.session.commit()
    _bulk_complaints(office, 10_000)
    large = _count_queries(c, "/dasbor/2025")
    assert small == large
    item = year_summary(office.id, 2025)[3]
    assert item.measured.counts and sum(d for _, d in item.measured.counts.values()) == 10_000
