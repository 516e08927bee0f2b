"""The kabupaten console: the same numbers as each office's dashboard and `iku report --json`, a fixed
number of queries whatever the number of offices, the ranking with its rule, filters and the Excel export."""
from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from conftest import PASSWORD
from iku_workflow.extensions import db
from iku_workflow.indicators.summary import year_summary
from iku_workflow.kabupaten.console import console
from iku_workflow.models import ComplaintChannel, ComplaintStatus, Office, Role, User
from iku_workflow.registers import operations as reg_ops
from iku_workflow.security import hash_password
from iku_workflow.workflow import operations as wf

YEAR = date.today().year


def _operator(office: Office, section: str) -> User:
    sections = {s.code: s for s in office.sections}
    user = User(office_id=office.id, username=f"{section}.{office.code}", full_name=f"Operator {section}",
                role=Role.SEKSI, section_id=sections[section].id, password_hash=hash_password(PASSWORD))
    db.session.add(user)
    db.session.flush()
    return user


def _complaints(office: Office, resolved: int, received: int, year: int = YEAR) -> None:
    """``received`` approved complaints of ``office`` in TW I, ``resolved`` of them resolved."""
    operator = _operator(office, "trantib")
    sekcam = db.session.scalar(sa.select(User).where(User.office_id == office.id, User.role == Role.SEKCAM))
    for i in range(received):
        done = i < resolved
        row = reg_ops.create_row(office, operator, "pengaduan", year, received_on=date(year, 1, 10 + i),
                                 channel=ComplaintChannel.SURAT, desa="Desa", summary=f"Aduan {i}",
                                 status=ComplaintStatus.SELESAI if done else ComplaintStatus.MASUK,
                                 resolved_on=date(year, 1, 20 + i) if done else None, resolution="Mediasi" if done else "")
        if done:  # a resolved complaint is submitted with its evidence (issue 13)
            row.evidence_file, row.evidence_filename, row.evidence_mime = f"{row.id:032d}.pdf", "ba.pdf", "application/pdf"
        wf.submit(row.entry, operator)
        wf.approve(row.entry, sekcam)
    db.session.commit()


@pytest.fixture
def kencong(office):
    return db.session.scalar(sa.select(Office).where(Office.code == "kencong"))


def test_every_cell_agrees_with_the_offices_own_numbers(office, kencong, runner, kab_viewer):
    _complaints(office, 3, 4)
    _complaints(kencong, 1, 4)
    data = console(office.kabupaten_id, YEAR)
    assert [r.office.code for r in data.rows] == ["gumukmas", "kencong"]
    html = kab_viewer.get(f"/kabupaten/?tahun={YEAR}").get_data(as_text=True)
    for row in data.rows:
        cli = runner.invoke(args=["iku", "report", "--office", row.office.code, "--year", str(YEAR), "--json"])
        assert cli.exit_code == 0, cli.output
        expected = json.loads(cli.output)
        assert [row.iku[i["number"]].item.as_json() for i in expected] == expected
        for period in (1, 2, 3, 4):
            by_period = console(office.kabupaten_id, YEAR, period).rows
            cells = next(r for r in by_period if r.office.id == row.office.id).iku
            for item in year_summary(row.office.id, YEAR):
                assert cells[item.number].capaian == item.capaian_upto[period]
                assert cells[item.number].realisation == item.measured.upto[period]
                assert cells[item.number].band == item.band_upto[period]
    # IKU 4: 3 of 4 resolved at Gumukmas, 1 of 4 at Kencong — and the page prints the same capaian
    gumukmas = next(r for r in data.rows if r.office.code == "gumukmas")
    assert gumukmas.iku[4].realisation == Decimal(75)
    row_html = re.search(r'<tr data-office="kencong">.*?</tr>', html, re.S).group(0)
    cell = re.search(r'<td data-iku="4">.*?</td>', row_html, re.S).group(0)
    assert 'data-testid="realisation">25,00<' in cell and 'data-testid="capaian">25,00<' in cell
    assert 'data-band="sangat_rendah"' in cell and "Sangat Rendah" in cell


def test_the_office_page_opened_from_a_cell_shows_the_dashboards_numbers(office, kencong, kab_viewer, client_as):
    _complaints(kencong, 1, 4)
    page = kab_viewer.get(f"/kabupaten/kecamatan/kencong/{YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tampilan baca saja" in html and 'method="post"' not in html.split("<main", 1)[-1].lower()
    row = re.search(r'<tr id="iku-4".*?</tr>', html, re.S).group(0)
    assert "25,00 %" in row
    dashboard = client_as("sekcam.kencong").get(f"/dasbor/{YEAR}").get_data(as_text=True)
    assert "25,00" in dashboard


def _count_queries(client, url: str) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
        assert response.status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_console_asks_the_same_number_of_queries_for_3_and_31_offices(app, office, client):
    from iku_workflow.kabupaten.defaults import ensure_default_year, ensure_kabupaten
    from iku_workflow.kabupaten.offices import setup_office

    kab = ensure_kabupaten("lumajang", "Lumajang")
    ensure_default_year(kab, YEAR)
    db.session.add(User(kabupaten_id=kab.id, username="kab-lumajang", full_name="Bappeda Lumajang",
                        role=Role.KABUPATEN, password_hash=hash_password(PASSWORD)))
    names = [f"Kec{n:02d}" for n in range(31)]
    for name in names[:3]:
        setup_office(code=name.lower(), name=name, kabupaten=kab, years=[YEAR])
    db.session.commit()
    assert client.post("/login", data={"username": "kab-lumajang", "password": PASSWORD}).status_code == 302
    three = _count_queries(client, f"/kabupaten/?tahun={YEAR}")
    for name in names[3:]:
        setup_office(code=name.lower(), name=name, kabupaten=kab, years=[YEAR])
    db.session.commit()
    thirty_one = _count_queries(client, f"/kabupaten/?tahun={YEAR}")
    assert len(console(kab.id, YEAR).rows) == 31
    assert three == thirty_one
    # the export of another period computes its own matrix with the same queries; the page's is reused
    assert _count_queries(client, f"/kabupaten/capaian.xlsx?tahun={YEAR}&periode=3") == _count_queries(
        client, f"/kabupaten/capaian.xlsx?tahun={YEAR}&periode=2")
    assert _count_queries(client, f"/kabupaten/capaian.xlsx?tahun={YEAR}") < thirty_one


def test_the_ranking_follows_its_stated_rule(office, kencong, kab_viewer):
    _complaints(office, 4, 4)
    _complaints(kencong, 1, 4)
    data = console(office.kabupaten_id, YEAR)
    first, second = sorted(data.rows, key=lambda r: r.rank or 99)
    assert (first.office.code, first.rank, second.rank) == ("gumukmas", 1, 2)
    # the score is the mean of the capaian, each at most 100
    values = [min(c.capaian, Decimal(100)) for c in first.iku.values() if c.capaian is not None]
    assert first.score == sum(values) / len(values)
    html = kab_viewer.get(f"/kabupaten/?tahun={YEAR}").get_data(as_text=True)
    assert "Peringkat menurut rata-rata capaian IKU" in html and "dihitung paling tinggi 100%" in html
    rank_cell = re.search(r'<tr data-office="gumukmas">\s*<td data-testid="rank">(\d+)</td>', html)
    assert rank_cell.group(1) == "1"


def test_filters_keep_the_ranks_and_bad_filters_are_refused(office, kencong, kab_viewer):
    _complaints(office, 4, 4)
    _complaints(kencong, 1, 4)
    html = kab_viewer.get(f"/kabupaten/?tahun={YEAR}&q=kenc").get_data(as_text=True)
    assert 'data-office="kencong"' in html and 'data-office="gumukmas"' not in html
    assert re.search(r'<tr data-office="kencong">\s*<td data-testid="rank">2</td>', html)
    only_low = kab_viewer.get(f"/kabupaten/?tahun={YEAR}&kriteria=sangat_rendah").get_data(as_text=True)
    assert 'data-office="kencong"' in only_low
    none = kab_viewer.get(f"/kabupaten/?tahun={YEAR}&q=tidakada").get_data(as_text=True)
    assert "Tidak ada kecamatan yang cocok" in none
    for bad in ("tahun=1e309", "tahun=abc", "periode=5", "periode=NaN", "kriteria=bagus", "tahun=99999999999999999999"):
        assert kab_viewer.get(f"/kabupaten/?{bad}").status_code == 400, bad


def test_the_document_matrix_shows_state_lateness_and_missing_files(office, kencong, kab_viewer):
    from iku_workflow.models import RequiredDocument, WorkflowEntry

    lakip = db.session.scalar(sa.select(RequiredDocument).join(RequiredDocument.type).where(
        RequiredDocument.office_id == kencong.id, RequiredDocument.year == YEAR,
        sa.literal_column("document_types.code") == "lakip"))
    entry = db.session.get(WorkflowEntry, lakip.entry_id)
    entry.due_date = date(YEAR, 1, 1)
    db.session.commit()
    data = console(office.kabupaten_id, YEAR, today=date(YEAR, 1, 2))
    cell = next(r for r in data.rows if r.office.code == "kencong").documents["lakip"]
    assert cell.late and cell.missing and cell.state.value == "draft"
    html = kab_viewer.get(f"/kabupaten/?tahun={YEAR}").get_data(as_text=True)
    row = re.search(r'<tr data-office="kencong">\s*<th scope="row"><a href="[^"]+#dokumen">.*?</tr>', html, re.S).group(0)
    lakip_cell = re.search(r'<td data-doc="lakip"[^>]*>.*?</td>', row, re.S).group(0)
    if date.today() > date(YEAR, 1, 1):
        assert "terlambat" in lakip_cell and "table-danger" in lakip_cell
    assert "belum ada berkas" in lakip_cell


def test_the_excel_export_carries_the_matrix_as_numbers_and_text(office, kencong, kab_viewer):
    _complaints(kencong, 1, 4)
    response = kab_viewer.get(f"/kabupaten/capaian.xlsx?tahun={YEAR}")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    assert f'konsol-jember-{YEAR}-tahun.xlsx' in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Capaian IKU", "Dokumen wajib", "Peringkat"]
    ws = wb["Capaian IKU"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[2]
    kencong_row = next(r for r in rows if r[1] == "Kecamatan Kencong")
    col = head.index("IKU 4 capaian (%)")
    assert kencong_row[col] == 25.0 and kencong_row[col + 1] == "Sangat Rendah"
    from iku_workflow.reports.capaian_report import BAND_FILL

    assert ws.cell(row=rows.index(kencong_row) + 1, column=col + 2).fill.fgColor.rgb.endswith(BAND_FILL["sangat_rendah"])
    assert "Aturan: Peringkat menurut" in wb["Peringkat"]["A1"].value
    docs = list(wb["Dokumen wajib"].iter_rows(values_only=True))
    assert docs[0][0] == "Kecamatan" and "Dokumen LAKIP" in docs[0]


def test_a_kabupaten_user_sees_nothing_of_another_kabupaten(office, bondowoso, client_as):
    jember = client_as("kabupaten")
    assert 'data-office="tegalampel"' not in jember.get("/kabupaten/?tahun=2025").get_data(as_text=True)
    assert jember.get("/kabupaten/kecamatan/tegalampel/2025").status_code == 404
    other = client_as("kab-bondowoso")
    html = other.get("/kabupaten/?tahun=2025").get_data(as_text=True)
    assert 'data-office="tegalampel"' in html and 'data-office="gumukmas"' not in html
    assert other.get("/kabupaten/kecamatan/gumukmas/2025").status_code == 404
    assert other.get("/kabupaten/capaian.xlsx?tahun=2025").status_code == 200


def _statements(fn) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_matrix_is_reused_until_something_it_reads_changes(office, kencong, monkeypatch):
    from iku_workflow.kabupaten import console as console_module

    first = _statements(lambda: console(office.kabupaten_id, YEAR))
    again = _statements(lambda: console(office.kabupaten_id, YEAR))
    assert again == 1 < first  # the fingerprint only
    before = next(r for r in console(office.kabupaten_id, YEAR).rows if r.office.code == "kencong").iku[4]
    assert before.capaian is None
    _complaints(kencong, 1, 2)  # approvals change the entries: a new fingerprint
    after = next(r for r in console(office.kabupaten_id, YEAR).rows if r.office.code == "kencong").iku[4]
    assert after.realisation == Decimal(50)
    # a target changed: recomputed
    from iku_workflow.indicators import operations as ind_ops
    from iku_workflow.models import Indicator

    iku4 = db.session.scalar(sa.select(Indicator).where(Indicator.office_id == kencong.id, Indicator.year == YEAR,
                                                        Indicator.number == 4))
    ind_ops.set_target(iku4, None, Decimal(50), None)
    db.session.commit()
    cell = next(r for r in console(office.kabupaten_id, YEAR).rows if r.office.code == "kencong").iku[4]
    assert cell.target == Decimal(50) and cell.capaian == Decimal(100)
    # another day is another matrix (lateness); an old entry is recomputed
    assert _statements(lambda: console(office.kabupaten_id, YEAR, today=date(YEAR, 12, 31))) > 1
    monkeypatch.setattr(console_module, "CACHE_SECONDS", 0)
    assert _statements(lambda: console(office.kabupaten_id, YEAR)) > 1


def test_the_tables_are_rendered_once_per_matrix_and_language(office, kencong, kab_viewer, kab_admin, client_as):
    from conftest import get_user

    def tables(client):
        html = client.get(f"/kabupaten/?tahun={YEAR}").get_data(as_text=True)
        return html[html.index('<h2 class="h5">'):html.index("</main>")]

    first, other_user = tables(kab_viewer), tables(kab_admin)
    assert first == other_user and 'data-office="kencong"' in first
    user = get_user("kabupaten")
    user.locale = "en"
    db.session.commit()
    english = tables(client_as("kabupaten"))
    assert "Required documents" in english and "Dokumen wajib" not in english
    _complaints(kencong, 1, 4)
    changed = tables(kab_admin)
    assert changed != other_user and 'data-band="sangat_rendah"' in changed
