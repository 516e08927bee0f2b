"""The Camat reads the overview on a laptop and on a phone (issue 14): every IKU line is there with its formula,
nothing is cut off on the right, and the print view opens."""
from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

import factories as mk
from conftest import browser_login
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("IKU_SCREENSHOTS")  # a folder: the pages are saved there to be looked at


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_camat_reads_the_overview(_browser, live_server, office, width, height):
    rows = [mk.complaint(office, date(2025, 1, 10)), mk.complaint(office, date(2025, 2, 10)),
            mk.complaint(office, date(2025, 3, 10), status="diproses")]
    mk.approve(*rows)
    late = mk.complaint(office, date(2025, 4, 2), status="diproses")
    late.entry.due_date = date.today() - timedelta(days=5)
    db.session.commit()

    context = _browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    browser_login(page, "camat")
    page.goto(live_server.url + "/dasbor/2025")
    overview = page.get_by_test_id("overview")
    assert overview.is_visible()
    assert page.get_by_test_id("overview-row").count() == 6
    iku4 = page.locator('[data-testid="overview-row"][data-iku="4"]')
    assert "66,67 ÷ 100 × 100 = 66,67 %" in iku4.inner_text()
    assert "Seksi" in page.get_by_test_id("overview-late").inner_text()
    # nothing of the page reaches past the right edge of the screen
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = iku4.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"overview-{width}.png"), full_page=False)
    # the Camat opens the late section's board
    page.get_by_test_id("late-section-link").filter(has_text="Ketenteraman").click()
    page.wait_for_url(f"**/papan/2025?seksi={late.entry.section_id}")
    assert page.get_by_test_id("board-section").count() == 1
    assert "terlambat 5 hari" in page.get_by_test_id("board-section").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"board-{width}.png"), full_page=False)
    page.goto(live_server.url + "/dasbor/2025")
    page.get_by_test_id("overview-print").click()
    page.wait_for_url(live_server.url + "/dasbor/2025/ringkasan")
    assert page.get_by_test_id("overview-row").count() == 6
    if SHOTS:
        page.emulate_media(media="print")
        page.screenshot(path=os.path.join(SHOTS, f"overview-print-{width}.png"), full_page=True)
    context.close()
