"""Browser journeys of facts that change after approval (issue 13), clicks counted.

1. The Trantib operator proposes "Selesai" on an approved complaint with an evidence file; the sekcam
   approves the change from the review queue. Counted: every click on a link or button, choosing the file
   (the file chooser is a click) — typing is not a click. The operator starts on the complaint's page,
   the sekcam on the dashboard they land on after signing in. Goal: at most 5 for the pair.
2. The IKU 6 sheet re-imported with new realisations shows the preview (old → new); after the sekcam's
   approval the dashboard shows the new number.
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conftest import PASSWORD, browser_login, get_user, submit
from factories import tiny_pdf
from iku_workflow import measures
from iku_workflow.extensions import db
from iku_workflow.models import ChangeRequest, Complaint, ComplaintChannel, ComplaintStatus, Office
from iku_workflow.registers import operations as reg_ops
from iku_workflow.seed.demo import seed_demo
from iku_workflow.workflow import operations as wf

pytestmark = pytest.mark.browser


class Clicks:
    def __init__(self, page):
        self.page, self.count = page, 0

    def submit(self, selector: str) -> None:
        """A click that loads another page."""
        self.count += 1
        submit(self.page, selector)

    def choose_file(self, selector: str, name: str, data: bytes, mime: str) -> None:
        self.count += 1
        self.page.set_input_files(selector, files=[{"name": name, "mimeType": mime, "buffer": data}])


def _seed(live_server):
    with live_server.app.app_context():
        seed_demo(PASSWORD, echo=lambda _m: None)
        db.session.commit()
        return db.session.scalar(sa.select(Office.id).where(Office.code == "gumukmas"))


def _approved(live_server, office_id: int, register: str, username: str, **values) -> int:
    with live_server.app.app_context():
        office = db.session.get(Office, office_id)
        row = reg_ops.create_row(office, get_user(username), register, date.today().year, **values)
        wf.submit(row.entry, get_user(username))
        wf.approve(row.entry, get_user("sekcam"))
        db.session.commit()
        return row.id


def test_trantib_proposes_selesai_and_sekcam_approves_in_few_clicks(page, live_server):
    office_id = _seed(live_server)
    today = date.today()
    row_id = _approved(live_server, office_id, "pengaduan", "trantib", received_on=today,
                       channel=ComplaintChannel.WHATSAPP, desa="Gumukmas", summary="Parkir liar di depan pasar",
                       status=ComplaintStatus.DIPROSES, resolved_on=None, resolution="")
    with live_server.app.app_context():
        before = measures.measure("ratio:complaints", office_id, today.year).counts
    browser_login(page, "trantib")
    page.wait_for_url("**/dasbor")
    page.goto(f"{page.base_url}/register/pengaduan/data/{row_id}")
    clicks = Clicks(page)
    clicks.submit("[data-testid=propose-quick]")
    assert page.input_value("select[name=status]") == "selesai"
    assert page.input_value("input[name=resolved_on]") == today.isoformat()
    page.fill("textarea[name=resolution]", "Ditertibkan bersama Satpol PP")
    clicks.choose_file("input[name=evidence_upload]", "berita-acara.pdf", tiny_pdf(), "application/pdf")
    page.fill("textarea[name=change_reason]", "Pengaduan sudah ditangani")
    clicks.submit("[data-testid=propose-submit]")
    assert page.locator("[data-testid=change-pending]").is_visible()
    operator_clicks = clicks.count
    # still counted as approved: "Diproses"
    with live_server.app.app_context():
        assert measures.measure("ratio:complaints", office_id, today.year).counts == before
        assert db.session.get(Complaint, row_id).status is ComplaintStatus.DIPROSES
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login")

    browser_login(page, "sekcam")
    page.wait_for_url("**/dasbor")
    clicks.submit('[data-menu="workflow.queue"]')
    change_row = page.locator("tr[data-entry]", has_text="Parkir liar di depan pasar")
    assert "Diproses" in change_row.inner_text() and "Selesai" in change_row.inner_text()
    clicks.submit("tr[data-entry]:has-text('Parkir liar di depan pasar') [data-testid=queue-approve-change] button")
    assert page.url.endswith("/tinjauan")
    print(f"\nCLICKS: operator {operator_clicks} + sekcam {clicks.count - operator_clicks} = {clicks.count} "
          "(propose «Selesai» with evidence, approve the change)")
    assert clicks.count <= 5
    with live_server.app.app_context():
        row = db.session.get(Complaint, row_id)
        assert row.status is ComplaintStatus.SELESAI and row.resolved_on == today
        assert row.evidence_filename == "berita-acara.pdf"
        num, den = (before or {}).get(_triwulan(today), (0, 0))
        after = measures.measure("ratio:complaints", office_id, today.year).counts
        assert after[_triwulan(today)] == (num + 1, den)
    # the row's page shows old → new
    page.goto(f"{page.base_url}/register/pengaduan/data/{row_id}")
    history = page.locator("[data-testid=row-change]").inner_text()
    assert "Diproses" in history and "Selesai" in history


def _triwulan(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Program", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_program_sheet_reimported_preview_then_dashboard_after_approval(page, live_server):
    office_id = _seed(live_server)
    year = date.today().year
    for indicator, realisation in (("Dokumen perencanaan tepat waktu", "40"), ("Laporan keuangan tepat waktu", "100")):
        _approved(live_server, office_id, "program", "sekretariat", program="Program Penunjang", indicator=indicator,
                  unit="%", polarity="higher", target=Decimal(100), realisation=Decimal(realisation))
    with live_server.app.app_context():
        achieved, total = measures.measure("ratio:programs", office_id, year).counts[4]
    browser_login(page, "sekretariat")
    page.wait_for_url("**/dasbor")
    dashboard_before = page.locator('section[data-iku="6"] [data-testid=realisation]').inner_text()
    page.goto(f"{page.base_url}/register/program/{year}")
    page.set_input_files("input[name=file]", files=[{
        "name": "program.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": _sheet([["Program Penunjang", "Dokumen perencanaan tepat waktu", "%", "naik", 100, 100],
                          ["Program Penunjang", "Laporan keuangan tepat waktu", "%", "naik", 100, 100]])}])
    submit(page, "form[action$='/impor'] button[type=submit]")
    preview = page.locator("[data-testid=import-preview]")
    assert preview.locator("tr[data-action=change]").count() == 1
    assert preview.locator("tr[data-action=same]").count() == 1
    assert "40 → 100" in " ".join(preview.locator("tr[data-action=change]").inner_text().split())
    page.fill("textarea[name=reason]", "Realisasi triwulan IV")
    submit(page, "[data-testid=import-confirm]")
    with live_server.app.app_context():
        assert measures.measure("ratio:programs", office_id, year).counts[4] == (achieved, total)
        assert db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 1
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login")

    browser_login(page, "sekcam")
    page.wait_for_url("**/dasbor")
    assert page.locator('section[data-iku="6"] [data-testid=realisation]').inner_text() == dashboard_before
    submit(page, '[data-menu="workflow.queue"]')
    submit(page, "tr[data-entry]:has-text('Dokumen perencanaan tepat waktu') [data-testid=queue-approve-change] button")
    with live_server.app.app_context():
        assert measures.measure("ratio:programs", office_id, year).counts[4] == (achieved + 1, total)
        expected = measures.measure("ratio:programs", office_id, year).year
    page.goto(page.base_url + "/dasbor")
    after = page.locator('section[data-iku="6"] [data-testid=realisation]').inner_text()
    assert after != dashboard_before
    assert after.replace(",00", "").replace(".", "").startswith(str(int(expected)))
