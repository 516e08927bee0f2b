"""An operator sees a reminder and the to-do list on a laptop and on a phone (issue 14): the day's
`reminders send` told them of a late complaint, the notification leads to it, and "Tugas seksi" lists it
first of its year with "terlambat N hari", nothing cut off on the right."""
from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import browser_login, get_user
from iku_workflow.extensions import db
from iku_workflow.models import Notification
from iku_workflow.workflow.reminders import send_reminders

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("IKU_SCREENSHOTS")  # a folder: the pages are saved there to be looked at


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_an_operator_sees_the_reminder_and_the_to_do_list(_browser, live_server, office, width, height):
    this_year = date.today().year
    late = mk.complaint(office, date(this_year, 1, 5), status="diproses")
    late.entry.due_date = date.today() - timedelta(days=3)
    soon = mk.complaint(office, date(this_year, 1, 6), status="diproses")
    soon.entry.due_date = date.today() + timedelta(days=2)
    db.session.commit()
    send_reminders(date.today())
    db.session.commit()
    trantib = get_user("trantib")
    notification_id = db.session.scalar(sa.select(Notification.id).where(
        Notification.user_id == trantib.id, Notification.entry_id == late.entry_id,
        Notification.message.startswith("Terlambat:")))
    assert notification_id is not None

    context = _browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    browser_login(page, "trantib")
    page.goto(live_server.url + "/notifikasi")
    reminder = page.locator(f'[data-notification="{notification_id}"]')
    assert "lewat tenggat" in reminder.inner_text() and "(3 hari)" in reminder.inner_text()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"reminder-{width}.png"), full_page=False)
    reminder.click()
    page.wait_for_url(f"**/register/pengaduan/data/{late.id}**")

    page.goto(live_server.url + "/tugas")
    year = page.locator(f'[data-testid="tasks-year"][data-year="{this_year}"]')
    order = year.get_by_test_id("task-row").evaluate_all("rows => rows.map(r => r.dataset.entry)")
    assert order.index(str(late.entry_id)) < order.index(str(soon.entry_id))  # the late one before the soon one
    row = year.locator(f'[data-entry="{late.entry_id}"]')
    assert "terlambat 3 hari" in row.inner_text()
    assert "2 hari lagi" in year.locator(f'[data-entry="{soon.entry_id}"]').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = row.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"todo-{width}.png"), full_page=False)
    row.click()
    page.wait_for_url(f"**/register/pengaduan/data/{late.id}**")
    context.close()


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_camat_sees_the_years_decree_on_the_office_board(_browser, live_server, office, width, height):
    context = _browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    browser_login(page, "camat")
    page.goto(live_server.url + "/papan/2025")
    card = page.locator('[data-testid="board-section"][data-section="0"]')
    text = card.inner_text()
    assert "Kantor (Sekretaris Camat dan Camat)" in text
    assert "Keputusan Camat tentang IKU tahun 2025" in text and "Draf" in text
    assert f"terlambat {(date.today() - date(2025, 1, 31)).days} hari" in text
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"board-decree-{width}.png"), full_page=False)
    context.close()
