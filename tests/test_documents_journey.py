"""Browser journey: an operator uploads evidence and submits; sekcam returns it; the operator fixes and
resubmits; sekcam approves; the year page's completion rate and IKU 1 go up by one."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import browser_login
from documents_helpers import PDF, required

pytestmark = pytest.mark.browser


def _logout(page):
    page.click("[data-testid=logout]")


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
    page.set_input_files("input[name=files]", str(first))
    page.fill("textarea[name=description]", "SOP pelayanan KTP-el")
    page.click("[data-testid=do-upload]")
    assert "1 berkas tersimpan" in page.inner_text("main")
    page.click("[data-testid=do-submit]")
    assert page.locator("[data-testid=workflow-card] [data-state=submitted]").count() == 1
    _logout(page)

    browser_login(page, "sekcam")
    page.goto(doc_url)
    page.fill("#note-return", "Tanda tangan Camat belum ada")
    page.click("[data-testid=do-return]")
    assert page.locator("[data-testid=workflow-card] [data-state=returned]").count() == 1
    _logout(page)

    browser_login(page, "pelayanan")
    page.goto(doc_url)
    assert "Tanda tangan Camat belum ada" in page.inner_text("[data-testid=return-note]")
    page.set_input_files("input[name=files]", str(second))
    page.click("[data-testid=do-upload]")
    assert page.locator("[data-testid=files] tr[data-version]").count() == 2
    page.click("[data-testid=do-submit]")
    _logout(page)

    browser_login(page, "sekcam")
    page.goto(doc_url)
    page.click("[data-testid=do-approve]")
    assert page.locator("[data-testid=workflow-card] [data-state=approved]").count() == 1
    assert "Terkunci" in page.inner_text("[data-testid=workflow-card]")
    assert _numbers(page, year) == ("9,09 %", "1")
    assert page.locator("tr[data-doc=sop] [data-state=approved]").count() == 1
