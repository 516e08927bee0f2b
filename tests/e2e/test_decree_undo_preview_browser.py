"""The decree editor in Chromium (issue 14): "Hapus" on a list item can be undone until the form is saved, and
"Pratinjau" opens what is typed (not yet saved) in a new tab while the editor keeps it."""
from __future__ import annotations

import pytest

from conftest import browser_login, get_user, submit
from iku_workflow.decree import operations
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser


def _decree(office):
    operations.create_decree(office, 2030, get_user("sekcam"))
    db.session.commit()


def _stored_mengingat(office) -> list[str]:
    db.session.expire_all()
    return list(operations.find_decree(office, 2030).mengingat)


def test_a_removed_item_comes_back_with_urungkan_and_goes_only_when_saved(page, office):
    from playwright.sync_api import expect

    _decree(office)
    before = _stored_mengingat(office)
    browser_login(page, "sekcam")
    page.goto(page.base_url + "/keputusan/2030")
    item = page.locator('[data-item="mengingat-3"]')
    item.locator("button", has_text="Hapus").click()
    # taken out of the form at once, nothing posted, an "Urungkan" in its place
    expect(item).to_be_hidden()
    note = page.get_by_test_id("removed-item")
    expect(note).to_contain_text(before[3][:40])
    expect(note.get_by_test_id("undo-remove")).to_have_text("Urungkan")
    assert page.url.endswith("/keputusan/2030") and _stored_mengingat(office) == before
    note.get_by_test_id("undo-remove").click()
    expect(item).to_be_visible()
    expect(page.locator("#mengingat-3")).to_have_value(before[3])
    expect(page.get_by_test_id("removed-item")).to_have_count(0)

    # removed again, then another item moved: the move names the right item and the removal is stored with it
    item.locator("button", has_text="Hapus").click()
    submit(page, '[data-item="mengingat-1"] button:has-text("Turun")')
    after = _stored_mengingat(office)
    assert after == [before[0], before[2], before[1]] + before[4:]

    # a removed diktum, saved
    page.locator('[data-item="diktum-5"]').locator("button", has_text="Hapus").click()
    expect(page.get_by_test_id("removed-item")).to_have_count(1)
    submit(page, "[data-testid=save]")
    db.session.expire_all()
    assert len(operations.find_decree(office, 2030).diktum) == 5


def test_the_preview_shows_unsaved_text_in_a_new_tab_and_the_editor_keeps_it(page, office):
    from playwright.sync_api import expect

    _decree(office)
    before = _stored_mengingat(office)
    browser_login(page, "sekcam")
    page.goto(page.base_url + "/keputusan/2030")
    page.fill("#mengingat-0", "Undang-Undang yang baru diketik (belum disimpan);")
    page.locator('[data-item="mengingat-8"]').locator("button", has_text="Hapus").click()
    with page.context.expect_page() as opened:
        page.get_by_test_id("preview-link").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_test_id("preview-unsaved")).to_be_visible()
    expect(preview.get_by_test_id("decree-preview")).to_contain_text("Undang-Undang yang baru diketik (belum disimpan);")
    expect(preview.locator('[data-testid="mengingat-item"]')).to_have_count(len(before) - 1)
    preview.close()
    # the editor still holds the typed text, the button works again, and nothing was stored
    expect(page.locator("#mengingat-0")).to_have_value("Undang-Undang yang baru diketik (belum disimpan);")
    expect(page.get_by_test_id("preview-typed")).to_be_enabled()
    assert _stored_mengingat(office) == before
    # leaving still asks: the preview saved nothing
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    try:
        page.goto(page.base_url + "/dasbor", timeout=3000)
    except Exception:  # the navigation was cancelled by staying
        pass
    assert asked == ["beforeunload"]
