"""A short password gets its message at once in Chromium (issue 14): when the field is left, while it is
corrected, and before the form is sent (nothing is posted); the server's check stays behind it."""
from __future__ import annotations

import pytest

from conftest import browser_login, get_user, submit
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser


def test_the_admin_is_told_at_once_that_the_password_is_short(page, office):
    from playwright.sync_api import expect

    browser_login(page, "admin")
    page.goto(page.base_url + "/admin/pengguna/baru")
    page.fill("#username", "pendek.uji")
    page.fill("#full_name", "Pengguna Uji")
    page.select_option("#role", "camat")
    page.fill("#password", "pendek1")
    page.locator("#full_name").focus()  # leaving the field
    message = page.locator("#password-too-short")
    expect(message).to_have_text("Kata sandi minimal 10 karakter.")
    expect(page.locator("#password")).to_have_class("form-control is-invalid")
    # sending is held back: no request, the typed values stay, the button still works
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.click("#submit")
    page.wait_for_timeout(300)
    assert requests == [] and page.url.endswith("/admin/pengguna/baru")
    expect(page.locator("#password")).to_be_focused()
    expect(page.locator("#submit")).to_be_enabled()
    expect(page.locator("#username")).to_have_value("pendek.uji")
    db.session.expire_all()
    assert get_user("pendek.uji") is None
    # corrected: the message goes while typing, and the form is sent
    page.fill("#password", "sandi-cukup-panjang-9")
    expect(message).to_have_count(0)
    submit(page, "#submit")
    expect(page.locator(".alert-success")).to_contain_text("Pengguna pendek.uji dibuat.")
    db.session.expire_all()
    assert get_user("pendek.uji").must_change_password is True


def test_the_reset_form_holds_back_a_short_password(page, office):
    from playwright.sync_api import expect

    target = get_user("pemerintahan")
    browser_login(page, "admin")
    page.goto(page.base_url + f"/admin/pengguna/{target.id}")
    reset = page.locator(f'form[action="/admin/pengguna/{target.id}/sandi"]')
    reset.locator("input[type=password]").fill("abc")
    reset.locator("input[type=submit], button[type=submit]").click()
    expect(reset.locator("[data-client-message]")).to_have_text("Kata sandi minimal 10 karakter.")
    assert page.url.endswith(f"/admin/pengguna/{target.id}")
    db.session.expire_all()
    assert get_user("pemerintahan").must_change_password is False
