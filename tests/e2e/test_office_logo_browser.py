"""The admin gives the office profile its lambang in a real Chromium: the file input, the refusal next to the
field, the picture shown under the page's CSP, and the setting for the kabupaten line."""
from __future__ import annotations

import pytest

from conftest import browser_login, submit
from factories import png_bytes
from iku_workflow.letterhead import logo
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser


def test_admin_uploads_sees_and_removes_the_lambang(page, office, tmp_path):
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    browser_login(page, "admin")
    page.goto(page.base_url + "/admin/kantor")
    assert page.locator("[data-testid=logo-none]").is_visible()
    assert page.locator("#show_kabupaten_line").is_checked()

    fake = tmp_path / "lambang.png"
    fake.write_bytes(b"<html>bukan gambar</html>")
    page.set_input_files("#logo", str(fake))
    submit(page, "[data-testid=logo-upload]")
    assert "Lambang harus berupa gambar PNG atau JPEG." in page.locator("[data-testid=logo-error]").inner_text()
    assert page.locator("#logo").get_attribute("class").endswith("is-invalid")

    real = tmp_path / "lambang-jember.png"
    real.write_bytes(png_bytes(160, 200))
    page.set_input_files("#logo", str(real))
    submit(page, "[data-testid=logo-upload]")
    assert "Lambang diunggah" in page.content()
    image = page.locator("[data-testid=logo-image]")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 160  # drawn, not blocked by the CSP
    db.session.expire_all()
    assert logo.load_logo(office) == png_bytes(160, 200)

    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "[data-testid=logo-remove]")
    assert page.locator("[data-testid=logo-none]").is_visible()
    db.session.expire_all()
    assert logo.load_logo(office) is None
    assert console == []


def test_profile_page_with_lambang_fits_a_phone(_browser, live_server, office):
    from iku_workflow.models import User
    import sqlalchemy as sa

    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    logo.upload_logo(office, png_bytes(300, 300), "lambang.png", admin)
    db.session.commit()
    context = _browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    browser_login(page, "admin")
    page.goto(live_server.url + "/admin/kantor")
    assert page.locator("[data-testid=logo-image]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    context.close()
