"""The decree editor asks before the page is left with typed changes not saved (issue 14), and not after saving."""
from __future__ import annotations

import pytest

from conftest import browser_login, get_user, submit
from iku_workflow.decree import operations
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser


def test_leaving_with_unsaved_changes_asks_first(page, office):
    operations.create_decree(office, 2030, get_user("sekcam"))
    db.session.commit()
    browser_login(page, "sekcam")
    page.goto(page.base_url + "/keputusan/2030")
    asked: list[str] = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", on_dialog)
    page.fill("textarea[name=tentang]", "INDIKATOR KINERJA UTAMA (diubah)")
    page.get_by_test_id("decree-form").click(position={"x": 5, "y": 5})  # a user gesture: Chromium asks only then
    try:
        page.goto(page.base_url + "/dasbor", timeout=3000)
    except Exception:  # the navigation was cancelled by staying
        pass
    assert asked == ["beforeunload"]
    assert page.url.endswith("/keputusan/2030")
    # saving is not leaving: no question, and afterwards the page leaves freely
    submit(page, "[data-testid=save]")
    page.goto(page.base_url + "/dasbor")
    assert asked == ["beforeunload"] and page.url.endswith("/dasbor")
