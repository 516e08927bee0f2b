"""Browser journey: the Trantib operator records complaints, the sekcam approves, the dashboard shows IKU 4."""
from datetime import date

import pytest

from conftest import PASSWORD, browser_login, submit
from factories import PDF
from iku_workflow.extensions import db
from iku_workflow.seed.demo import seed_demo

pytestmark = pytest.mark.browser


def _record(page, year: int, summary: str) -> str:
    page.goto(f"{page.base_url}/register/pengaduan/{year}/baru")
    page.fill("input[name=received_on]", date.today().isoformat())
    page.select_option("select[name=channel]", "whatsapp")
    page.select_option("select[name=desa]", "Gumukmas")
    page.fill("textarea[name=summary]", summary)
    submit(page, "[data-testid=save]")
    page.wait_for_selector("[data-testid=workflow-card]")
    return page.url


def _resolve(page, url: str) -> None:
    page.goto(url)
    page.click("[data-testid=edit-row]")
    page.select_option("select[name=status]", "selesai")
    page.fill("input[name=resolved_on]", date.today().isoformat())
    page.fill("textarea[name=resolution]", "Mediasi di kantor kecamatan")
    # "Selesai" is submitted only with its evidence (issue 13)
    page.set_input_files("input[name=evidence_upload]", files=[
        {"name": "berita acara.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page, "[data-testid=save]")
    page.wait_for_selector("[data-testid=workflow-card]")


def test_trantib_complaints_to_dashboard(page, live_server):
    with live_server.app.app_context():
        seed_demo(PASSWORD, echo=lambda _m: None)
        db.session.commit()
    year = date.today().year
    browser_login(page, "trantib")
    page.wait_for_url("**/dasbor")
    urls = [_record(page, year, f"Gangguan ketertiban nomor {n}") for n in (1, 2, 3)]
    _resolve(page, urls[0])
    _resolve(page, urls[1])
    for url in urls:
        page.goto(url)
        submit(page, "[data-testid=do-submit]")
        page.wait_for_selector("text=Diajukan")
    submit(page, "[data-testid=logout]")

    browser_login(page, "sekcam")
    page.wait_for_url("**/dasbor")
    assert page.inner_text("[data-testid=pending-review]").startswith("3")
    for _ in range(3):
        page.goto(page.base_url + "/tinjauan")
        submit(page, "tr[data-entry] a.btn >> nth=0")
        submit(page, "[data-testid=do-approve]")
        # back on the queue the row was opened from (issue 13), the step said
        assert page.url == page.base_url + "/tinjauan"
        assert "»: disetujui." in page.content()
    assert page.inner_text("[data-testid=queue-count]") == "0"

    page.goto(page.base_url + "/dasbor")
    card = page.locator("section[data-iku='4']")
    assert card.locator("[data-testid=capaian]").inner_text() == "66,67 %"
    assert card.locator("[data-testid=realisation]").inner_text() == "66,67"
    assert card.locator("[data-testid=criteria]").inner_text() == "Sedang"
    assert page.locator("canvas[data-iku='4']").count() == 1
    page.wait_for_function("Chart.getChart(document.querySelector('canvas[data-iku=\"4\"]')) !== undefined")
    assert page.evaluate("Chart.getChart(document.querySelector('canvas[data-iku=\"4\"]')).data.datasets[0].data.filter(v => v !== null).length") >= 1
