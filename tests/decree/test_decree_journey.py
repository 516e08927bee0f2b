"""Browser journey: the sekcam prepares the year's decree, the camat's signed scan makes it final."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from conftest import browser_login
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.models import Decree, Office

from factories import body_texts, open_docx, tiny_pdf

# the current year: after the merge the indicators demo seeds its IKU, so the lock check below runs
YEAR = date.today().year
EDITED = "Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja Instansi Pemerintah (uji jalur);"


@pytest.fixture
def seeded(live_server):
    from conftest import PASSWORD
    from iku_workflow.seed.demo import seed_demo

    office = seed_demo(PASSWORD, echo=lambda _m: None)
    db.session.commit()
    return office


def test_sekcam_prepares_downloads_and_finalises_the_decree(page, live_server, seeded, tmp_path):
    from playwright.sync_api import expect

    browser_login(page, "sekcam")
    page.click('[data-menu="decree"]')
    page.fill("#year", str(YEAR))
    page.click('[data-testid="create"]')
    expect(page.locator('[data-testid="decree-status"]')).to_have_text("Draf")
    expect(page.locator('[data-testid="diktum-word"]')).to_have_text(
        ["KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM"])

    # edit legal basis number 3
    page.fill("#mengingat-2", EDITED)
    page.fill("#nomor", f"000.8.6.3/17/35.09.04/{YEAR}")
    page.fill("#tanggal", f"{YEAR}-02-12")
    page.click('[data-testid="save"]')
    expect(page.locator(".alert-success")).to_contain_text("Keputusan disimpan.")
    expect(page.locator("#mengingat-2")).to_have_value(EDITED)

    with page.context.expect_page() as opened:  # the preview opens in a new tab, the editor stays
        page.click('[data-testid="preview-link"]')
    preview = opened.value
    expect(preview.locator('[data-testid="decree-preview"]')).to_contain_text("(uji jalur)")
    expect(preview.locator('[data-testid="iku-row"]')).to_have_count(6)
    preview.close()

    page.click('[data-testid="generate"]')
    expect(page.locator('[data-testid="versions"]')).to_contain_text("Sekretaris Camat Gumukmas")
    with page.expect_download() as info:
        page.click('[data-testid="download-1"]')
    download = info.value
    assert download.suggested_filename == f"Keputusan-Camat-Gumukmas-IKU-{YEAR}-v1.docx"
    saved = tmp_path / "draf.docx"
    download.save_as(saved)
    texts = body_texts(open_docx(saved.read_bytes()))
    assert any("(uji jalur)" in t for t in texts) and "KEENAM" in texts

    # the signed scan makes it final
    page.select_option("#version", "1")
    page.set_input_files("#signed", files=[{"name": "keputusan-ttd.pdf", "mimeType": "application/pdf",
                                            "buffer": tiny_pdf()}])
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-testid="finalize"]')
    expect(page.locator('[data-testid="final-box"]')).to_contain_text(f"000.8.6.3/17/35.09.04/{YEAR}")
    expect(page.locator('[data-testid="decree-status"]')).to_have_text("Final (ditetapkan)")
    expect(page.locator('[data-testid="decree-form"]')).to_have_count(0)
    expect(page.locator('[data-testid="generate"]')).to_have_count(0)
    expect(page.locator("textarea")).to_have_count(0)

    # a POST (with a valid CSRF token) is refused now
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    response = page.request.post(page.base_url + f"/keputusan/{YEAR}",
                                 form={"csrf_token": token, "nomor": "lain", "op": "save"})
    assert "sudah ditetapkan final; perubahan ditolak" in response.text()
    with live_server.app.app_context():
        office = db.session.scalar(sa.select(Office).where(Office.code == "gumukmas"))
        decree = db.session.scalar(sa.select(Decree).where(Decree.office_id == office.id, Decree.year == YEAR))
        assert decree.is_final and decree.nomor == f"000.8.6.3/17/35.09.04/{YEAR}"
        assert decree.mengingat[2] == EDITED
        assert operations.is_final(office.id, YEAR)
        _indicator_edit_is_locked(page, live_server.app, office.id)


def _indicator_edit_is_locked(page, app, office_id: int) -> None:
    """After the merge with the indicators capability: the year's IKU can no longer be edited."""
    try:
        from iku_workflow.indicators.locks import is_year_locked
    except ImportError:  # the indicators capability is not in this build
        return
    assert is_year_locked(office_id, YEAR)
    if "indicators.edit" not in app.view_functions:
        return
    from iku_workflow.models.indicators import Indicator

    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.office_id == office_id, Indicator.year == YEAR))
    assert indicator is not None, "the indicators demo seeds the current year's IKU"
    page.goto(page.base_url + f"/iku/{YEAR}/{indicator.number}/ubah")
    assert re.search(r"tidak dapat diubah|terkunci", page.content(), re.I)
    assert f"/iku/{YEAR}/{indicator.number}/ubah" not in page.url  # sent back to the catalogue
