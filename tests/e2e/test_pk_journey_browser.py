"""The Perjanjian Kinerja in a real browser (issue 15): the sekcam drafts the Camat's PK from the IKU and makes its
Word draft; the Camat finalises it with the signed scan; the public verification page answers for the QR link.
Laptop and phone viewports."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import browser_login, submit
from factories import tiny_pdf
from iku_workflow.extensions import db
from iku_workflow.models import PerformanceAgreement, PkStatus, Target

pytestmark = pytest.mark.browser

SHOTS = "/tmp/iku-shots"


def _accept_confirms(page):
    page.on("dialog", lambda dialog: dialog.accept())


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_sekcam_drafts_and_camat_finalises_the_pk(page, _browser, office, tmp_path, viewport):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _accept_confirms(page)
    browser_login(page, "sekcam")
    page.goto(page.base_url + "/pk")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=level]", "camat")
    submit(page, "[data-testid=pk-create]")
    assert "/pk/" in page.url and page.get_by_test_id("pk-row-6").is_visible()
    page.fill("input[name=second_name]", "Ir. H. MUHAMMAD FAWAIT, M.Sc.")
    page.fill("input[name='rows-2-target']", "95")
    submit(page, "[data-testid=pk-save]")
    assert "Perjanjian kinerja disimpan." in page.content()
    submit(page, "[data-testid=pk-generate]")
    assert page.get_by_test_id("pk-download-1").is_visible()
    page.screenshot(path=f"{SHOTS}/pk-draft-{viewport[0]}.png", full_page=True)
    pk_url = page.url.split("#")[0]

    camat = _browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID")
    try:
        cpage = camat.new_page()
        cpage.base_url = page.base_url
        _accept_confirms(cpage)
        browser_login(cpage, "camat")
        cpage.goto(pk_url)
        scan = tmp_path / "pk-ttd.pdf"
        scan.write_bytes(tiny_pdf("PK ditandatangani"))
        cpage.set_input_files("input[name=signed]", str(scan))
        submit(cpage, "[data-testid=pk-finalize]")
        assert cpage.get_by_test_id("pk-final-box").is_visible()
        assert "ditetapkan final" in cpage.content()
        cpage.screenshot(path=f"{SHOTS}/pk-final-{viewport[0]}.png", full_page=True)
        link = cpage.get_by_test_id("pk-verify-link").get_attribute("href")
    finally:
        camat.close()

    db.session.expire_all()
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    assert pk.status is PkStatus.FINAL
    third = pk.targets[2]
    assert db.session.scalar(sa.select(Target.value).where(Target.indicator_id == third.indicator_id,
                                                           Target.triwulan.is_(None))) == 95
    public = _browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID")
    try:
        ppage = public.new_page()
        ppage.goto(page.base_url + link)
        facts = ppage.get_by_test_id("pk-verify-facts").inner_text()
        assert "Perjanjian Kinerja Tahun 2025" in facts and "BUPATI JEMBER" in facts and pk.signed_sha256 in facts
        ppage.screenshot(path=f"{SHOTS}/pk-verify-{viewport[0]}.png", full_page=True)
    finally:
        public.close()

    # the kabupaten's reader finds the final PK on its page of the office and opens its Word version
    kabupaten = _browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID",
                                     accept_downloads=True)
    try:
        kpage = kabupaten.new_page()
        kpage.base_url = page.base_url
        browser_login(kpage, "kabupaten")
        kpage.goto(page.base_url + "/kabupaten/kecamatan/gumukmas/2025#pk")
        row = kpage.locator("[data-testid=kab-pk-table] tr[data-pk='camat-0']")
        assert "Final" in row.inner_text()
        assert kpage.get_by_test_id("kab-renaksi-table").is_visible()
        kpage.screenshot(path=f"{SHOTS}/kab-office-pk-{viewport[0]}.png", full_page=True)
        with kpage.expect_download() as download:
            row.get_by_test_id("kab-pk-docx").click()
        assert download.value.suggested_filename.endswith("-camat-v1.docx")
    finally:
        kabupaten.close()



def test_a_section_writes_its_tw2_notes_and_the_sekcam_takes_the_bab3_draft(page, _browser, office, tmp_path):
    """The rest of issue 15's journey: Trantib writes and submits its TW II monitoring notes, the sekcam approves
    them on the monitoring page and downloads the Bab III draft."""
    import os

    from docx import Document

    from iku_workflow.models import EntryState, RenaksiNote

    os.makedirs(SHOTS, exist_ok=True)
    _accept_confirms(page)
    browser_login(page, "trantib")
    page.goto(page.base_url + "/renaksi/2025/monitoring/2")
    form = page.get_by_test_id("note-form-4")
    form.locator("textarea[name$='-kendala']").fill("Personel terbatas: 3 orang untuk 8 desa")
    form.locator("textarea[name$='-tindak_lanjut']").fill("Kerja sama dengan Babinsa")
    submit(page, "[data-testid=save-note-4]")
    assert "disimpan" in page.content()
    submit(page, "[data-testid=monitor-iku-4] [data-testid=do-submit]")
    page.screenshot(path=f"{SHOTS}/renaksi-tw2-1366.png", full_page=True)

    sekcam = _browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID", accept_downloads=True)
    try:
        spage = sekcam.new_page()
        spage.base_url = page.base_url
        _accept_confirms(spage)
        browser_login(spage, "sekcam")
        spage.goto(page.base_url + "/renaksi/2025/monitoring/2")
        submit(spage, "[data-testid=monitor-iku-4] [data-testid=do-approve]")
        spage.goto(page.base_url + "/lkjip/2025")
        with spage.expect_download() as info:
            spage.get_by_test_id("download").click()
        path = tmp_path / "bab3.docx"
        info.value.save_as(str(path))
    finally:
        sekcam.close()
    db.session.expire_all()
    note = db.session.scalar(sa.select(RenaksiNote))
    assert note.kendala.startswith("Personel terbatas") and note.entry.state is EntryState.APPROVED
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "BAB III" in text.upper()
