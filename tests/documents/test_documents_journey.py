"""Browser journey: an operator uploads evidence and submits; sekcam returns it; the operator fixes and
resubmits; sekcam approves; the year page's completion rate and IKU 1 go up by one."""
from __future__ import annotations

from datetime import date

import pytest

from playwright.sync_api import expect

from conftest import browser_login, submit
from factories import PDF, required

pytestmark = pytest.mark.browser


def _logout(page):
    submit(page, "[data-testid=logout]")


def _numbers(page, year):
    page.goto(f"{page.base_url}/dokumen/{year}")
    return page.inner_text("[data-testid=completion-rate]").strip(), page.inner_text("[data-testid=iku1]").strip()


def test_upload_return_fix_approve(page, office, tmp_path):
    year = date.today().year
    doc_url = f"{page.base_url}/dokumen/wajib/{required(office, 'sop').id}"
    first, second = tmp_path / "SOP KTP.pdf", tmp_path / "SOP KTP revisi.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF + b"% revisi\n")

    browser_login(page, "pelayanan")
    assert _numbers(page, year) == ("0,00 %", "0")
    page.click("text=SOP Pelayanan Publik")
    page.wait_for_url(doc_url)
    page.set_input_files("input[name=files]", str(first))
    page.fill("textarea[name=description]", "SOP pelayanan KTP-el")
    submit(page, "[data-testid=do-upload]")
    expect(page.locator("main")).to_contain_text("1 berkas tersimpan")
    submit(page, "[data-testid=do-submit]")
    expect(page.locator("[data-testid=workflow-card] [data-state=submitted]")).to_have_count(1)
    _logout(page)

    browser_login(page, "sekcam")
    page.goto(doc_url)
    page.fill("#note-return", "Tanda tangan Camat belum ada")
    submit(page, "[data-testid=do-return]")
    expect(page.locator("[data-testid=workflow-card] [data-state=returned]")).to_have_count(1)
    _logout(page)

    browser_login(page, "pelayanan")
    page.goto(doc_url)
    expect(page.locator("[data-testid=return-note]")).to_contain_text("Tanda tangan Camat belum ada")
    page.set_input_files("input[name=files]", str(second))
    submit(page, "[data-testid=do-upload]")
    expect(page.locator("[data-testid=files] tr[data-version]")).to_have_count(2)
    submit(page, "[data-testid=do-submit]")
    expect(page.locator("[data-testid=workflow-card] [data-state=submitted]")).to_have_count(1)
    _logout(page)

    browser_login(page, "sekcam")
    page.goto(doc_url)
    submit(page, "[data-testid=do-approve]")
    expect(page.locator("[data-testid=workflow-card] [data-state=approved]")).to_have_count(1)
    expect(page.locator("[data-testid=workflow-card]")).to_contain_text("Terkunci")
    assert _numbers(page, year) == ("9,09 %", "1")
    expect(page.locator("tr[data-doc=sop] [data-state=approved]")).to_have_count(1)
