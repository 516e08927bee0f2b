"""The sekcam's menu, with both counters showing, fits a 1280×720 laptop: nothing is pushed off screen."""
from __future__ import annotations

import pytest

from conftest import browser_login, get_user
from iku_workflow.extensions import db
from iku_workflow.workflow import operations as ops

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 1024])
def test_sekcam_menu_with_counters_fits_a_laptop(_browser, live_server, office, width):
    section = next(s for s in office.sections if s.code == "trantib")
    entry = ops.create_entry(office_id=office.id, kind="test", title="Uji", year=2025, user=None,
                             section_id=section.id)
    ops.submit(entry, get_user("trantib"))  # one waiting review and one notification for the sekcam
    db.session.commit()

    context = _browser.new_context(viewport={"width": width, "height": 720}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    browser_login(page, "sekcam")
    page.wait_for_url(live_server.url + "/dasbor")
    assert page.locator('[data-badge="workflow.queue"]').inner_text() == "1"
    assert page.locator('[data-badge="workflow.notifications"]').inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = page.get_by_test_id("logout").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    context.close()
