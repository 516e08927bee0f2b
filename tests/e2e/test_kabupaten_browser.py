"""The kabupaten's journey in a real Chromium: the kabupaten admin sets up a kecamatan and its users from a
sheet, a new user chooses their own password, and the kabupaten's reader finds the new office in the console.
The console and the office form are also looked at on a phone."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conftest import PASSWORD, browser_login, submit
from iku_workflow.extensions import db
from iku_workflow.models import Indicator, Office, User

pytestmark = pytest.mark.browser
YEAR = date.today().year


def _sheet(path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["username", "nama lengkap", "NIP", "peran", "seksi", "email"])
    ws.append(["admin.puger", "Admin Kecamatan Puger", "", "admin", "", "admin@puger.example.go.id"])
    ws.append(["trantib.puger", "Operator Trantib Puger", "", "seksi", "trantib", ""])
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())


def _logout(page) -> None:
    submit(page, "[data-testid=logout]")


def test_the_kabupaten_sets_up_a_kecamatan_and_sees_it_in_the_console(page, office, tmp_path):
    browser_login(page, "kabadmin")
    assert page.url.endswith("/kabupaten/")  # a kabupaten user lands on the console
    page.click("[data-menu='kabupaten.offices']")
    page.click("[data-testid=office-new]")
    page.fill("#code", "puger")
    page.fill("#name", "Puger")
    page.fill("#address", "Jalan Raya Puger No. 1")
    page.fill("#camat_name", "Drs. Camat Puger")
    submit(page, "[data-testid=office-create]")
    assert "Kecamatan Puger dibuat" in page.content() and "6 IKU dan 11 dokumen wajib" in page.content()

    page.click("[data-testid=users-import]")
    sheet = tmp_path / "pengguna-puger.xlsx"
    _sheet(sheet)
    page.set_input_files("#file", str(sheet))
    submit(page, "button[type=submit][name=submit], input[type=submit]")
    assert "tidak ditampilkan lagi" in page.content()
    temporary = page.locator("[data-username='admin.puger'] [data-testid=temporary-password]").inner_text().strip()
    assert len(temporary) >= 10
    _logout(page)

    # the new admin signs in with the temporary password and must choose their own first
    browser_login(page, "admin.puger", temporary)
    assert "/kata-sandi-baru" in page.url
    page.fill("#current", temporary)
    page.fill("#new", "sandi-puger-sendiri-2026")
    page.fill("#confirm", "sandi-puger-sendiri-2026")
    submit(page, "[data-testid=first-password-form] [type=submit]")
    assert "/kata-sandi-baru" not in page.url
    page.goto(page.base_url + f"/iku/{YEAR}")
    assert "Belum ada IKU" not in page.content() and "Indeks Kepuasan Masyarakat" in page.content()
    _logout(page)
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.username == "admin.puger"))
    assert user.must_change_password is False
    puger = db.session.scalar(sa.select(Office).where(Office.code == "puger"))
    assert db.session.scalar(sa.select(sa.func.count(Indicator.id)).where(Indicator.office_id == puger.id,
                                                                           Indicator.year == YEAR)) == 6

    # the kabupaten's reader finds Puger in the console and opens its page from a cell
    browser_login(page, "kabupaten", PASSWORD)
    row = page.locator("[data-testid=console-iku] tr[data-office=puger]")
    assert row.is_visible() and "Kecamatan Puger" in row.inner_text()
    with page.expect_navigation():
        row.locator("td[data-iku='1'] a").click()
    assert f"/kabupaten/kecamatan/puger/{YEAR}" in page.url
    assert page.locator("[data-testid=read-only]").is_visible()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_console_and_the_office_form_fit_the_screen(_browser, live_server, office, width):
    context = _browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        browser_login(page, "kabadmin")
        for path in ("/kabupaten/", "/kabupaten/kecamatan/baru", f"/kabupaten/standar/{YEAR}"):
            page.goto(page.base_url + path)
            # the page itself never scrolls sideways (wide tables scroll inside their own box)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (path, width, overflow)
    finally:
        context.close()
