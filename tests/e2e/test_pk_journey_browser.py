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

