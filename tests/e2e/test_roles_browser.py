"""In a real Chromium: each role signs in and sees its own menu, signs out, and a wrong password is refused."""
from __future__ import annotations

import pytest

from conftest import browser_login

pytestmark = pytest.mark.browser

# role's demo user -> (menu keys that must be there, menu keys that must not)
MENUS = {
    "admin": ({"home", "admin.users", "admin.sections", "admin.office", "workflow.audit"},
              {"workflow.queue", "workflow.tasks"}),
    "sekcam": ({"home", "workflow.queue", "workflow.audit"}, {"admin.users", "admin.sections", "admin.office"}),
    "trantib": ({"home", "workflow.tasks"}, {"workflow.queue", "admin.users", "workflow.audit"}),
    # the Camat reviews what the sekcam submitted (an SKM period the sekcam closed): the queue is in the menu
    "camat": ({"home", "workflow.queue"}, {"workflow.tasks", "admin.users", "admin.office", "workflow.audit"}),
    "viewer": ({"home"}, {"workflow.queue", "workflow.tasks", "admin.users", "admin.office", "workflow.audit"}),
}


def menu_keys(page) -> set[str]:
    return set(page.locator("[data-menu]").evaluate_all("els => els.map(e => e.dataset.menu)"))


def test_each_role_sees_its_menu_and_signs_out(page, office, viewer):
    for username, (present, absent) in MENUS.items():
        browser_login(page, username)
        page.wait_for_url(page.base_url + "/dasbor")
        keys = menu_keys(page)
        assert present <= keys, (username, keys)
        assert not (absent & keys), (username, keys)
        if "admin.users" in keys:  # the Admin dropdown opens and leads to the page
            page.get_by_role("button", name="Admin").or_(page.get_by_role("link", name="Admin")).first.click()
            page.locator('[data-menu="admin.users"]').click()
            page.wait_for_url(page.base_url + "/admin/pengguna")
            assert page.locator("h1").inner_text() == "Pengguna"
        page.get_by_test_id("logout").click()
        page.wait_for_url(page.base_url + "/login")
        assert "Anda telah keluar." in page.content()
        assert menu_keys(page) == set()
        page.goto(page.base_url + "/")  # signed out for real
        assert page.url.startswith(page.base_url + "/login?next=")
        assert "Silakan masuk untuk membuka halaman ini." in page.content()


def test_wrong_password_is_refused(page, office):
    browser_login(page, "camat", "bukan-sandi-camat")
    page.wait_for_load_state()
    assert page.url.startswith(page.base_url + "/login")
    assert page.get_by_role("alert").inner_text().strip() == "Nama pengguna atau kata sandi salah."
    assert page.locator("input[name=username]").input_value() == "camat"
    assert menu_keys(page) == set()
