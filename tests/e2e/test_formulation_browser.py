"""In a real Chromium: the Sekretaris Camat types IKU 4's formulation, previews it, fixes a mistake, saves."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login, submit
from factories import seeded_iku
from iku_workflow.extensions import db

pytestmark = pytest.mark.browser

TYPED = """*Formulasi Perhitungan :*
Jumlah pengaduan yang diselesaikan
---------------------------------- × 100%

*Penjelasan :*
- Pengaduan lisan dan tertulis
  - termasuk SP4N-LAPOR!"""


def test_sekcam_previews_fixes_and_saves_the_formulation(page, office):
    browser_login(page, "sekcam")
    page.goto(page.base_url + "/iku/2025/4/ubah")
    textarea = page.get_by_test_id("formulation-text")
    expect(textarea).to_have_value(re.compile(r"^\*Formulasi Perhitungan :\*\nJumlah laporan/aduan"))
    expect(page.get_by_test_id("formulation-help")).to_contain_text("Butir berpoin")

    textarea.fill(TYPED)  # the denominator is missing
    submit(page, "[data-testid=formulation-preview-button]")
    expect(page.get_by_test_id("formulation-error")).to_have_text(
        "Baris 3: di bawah garis pecahan harus ada penyebut, sejajar dengan pembilang.")
    expect(page.get_by_test_id("formulation-text")).to_have_value(TYPED)

    fixed = TYPED.replace("× 100%\n", "× 100%\nJumlah pengaduan yang masuk\n")
    page.get_by_test_id("formulation-text").fill(fixed)
    submit(page, "[data-testid=formulation-preview-button]")
    preview = page.get_by_test_id("formulation-preview")
    expect(preview.locator(".fraction-den")).to_have_text("Jumlah pengaduan yang masuk")
    expect(preview.locator("li li")).to_have_text("termasuk SP4N-LAPOR!")
    expect(page.get_by_test_id("formulation-text")).to_have_value(fixed)

    submit(page, "[data-testid=save]")
    expect(page.locator('tr[data-iku="4"] .fraction-num')).to_have_text("Jumlah pengaduan yang diselesaikan")
    db.session.expire_all()
    iku4 = seeded_iku(office, 4)
    assert iku4.formulation[0]["denominator"] == "Jumlah pengaduan yang masuk"
    assert iku4.formulation[1] == {"type": "bullets", "label": "Penjelasan :", "items": [
        {"text": "Pengaduan lisan dan tertulis", "children": [{"type": "bullets", "items": ["termasuk SP4N-LAPOR!"]}]}]}
