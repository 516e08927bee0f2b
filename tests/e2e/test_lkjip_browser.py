"""Issue 15's LKjIP journey in a browser: a section writes its factors and submits them, the sekcam approves
them, enters the Renstra's end target and downloads the Bab III draft."""
from __future__ import annotations

import pytest

from conftest import browser_login, submit
from factories import body_texts, open_docx
from iku_workflow.extensions import db
from iku_workflow.lkjip import operations as lk

pytestmark = pytest.mark.browser


def test_factors_renstra_and_the_bab_iii_draft(page, office):
    browser_login(page, "trantib")
    page.goto(page.base_url + "/lkjip/2025")
    page.click('li[data-iku="4"] a')
    page.fill("textarea[name=pendukung]", "Linmas aktif di setiap desa.")
    page.fill("textarea[name=penghambat]", "Laporan masuk lewat banyak saluran.")
    page.fill("textarea[name=upaya]", "Satu nomor WA pengaduan.")
    submit(page, "[data-testid=save]")
    submit(page, "[data-testid=do-submit]")
    assert page.locator('[data-testid=workflow-card] [data-state="submitted"]').count() == 1
    page.click("[data-testid=logout]")

    browser_login(page, "sekcam")
    page.goto(page.base_url + "/tinjauan")
    assert page.locator("text=Faktor LKjIP 2025 IKU 4").count() >= 1
    page.goto(page.base_url + "/lkjip/2025/faktor/4")
    submit(page, "[data-testid=do-approve]")
    page.goto(page.base_url + "/lkjip/2025")
    assert page.locator('li[data-iku="4"] [data-state="approved"]').count() == 1
    page.click("[data-testid=edit-renstra]")
    page.fill("input[name=start_year]", "2025")
    page.fill("input[name=rt-2]", "85")
    submit(page, "[data-testid=save]")
    assert page.locator('[data-testid=renstra-table] tr[data-iku="2"] [data-col=progress]').inner_text() == "94,12"
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    data = info.value.path().read_bytes()
    texts = body_texts(open_docx(data))
    assert "Faktor pendukung: Linmas aktif di setiap desa." in texts
    assert info.value.suggested_filename == "LKjIP-Bab-III-gumukmas-2025.docx"
    db.session.expire_all()
    assert lk.renstra_of_year(office.id, 2025).label == "2025–2029"
