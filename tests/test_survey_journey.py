"""Browser journey: three respondents answer the public form, sekcam closes and approves, IKU 2 follows."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import PASSWORD, browser_login, get_user, submit
from iku_workflow import measures
from iku_workflow.domain.capaian import capaian_rounded
from iku_workflow.domain.numbers import format_id
from iku_workflow.extensions import db
from iku_workflow.survey import compute
from iku_workflow.survey.operations import open_period
from survey_support import WORKED_EXAMPLE, remove_demo_survey

pytestmark = pytest.mark.browser
TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()


@pytest.fixture
def live_server_config():
    """The bot timing check is off so a script may answer as fast as it likes."""
    return {"SKM_MIN_SECONDS": 0}


def _answer(page, code, answers, service="KTP-el"):
    page.goto(f"{page.base_url}/s/{code}")
    page.select_option("select[name=jenis_layanan]", label=service)
    page.fill("input[name=usia]", "41")
    page.click("label[for=jenis_kelamin-1]")  # Perempuan
    page.select_option("select[name=pendidikan]", "SMA")
    page.select_option("select[name=pekerjaan]", "WIRAUSAHA")
    for i, answer in enumerate(answers, start=1):
        page.click(f"label[for=u{i}-{answer - 1}]")
    submit(page, "[data-testid=skm-send]")
    page.wait_for_selector("[data-testid=skm-thanks]")


def test_three_respondents_then_sekcam_closes_and_approves(page, live_server):
    from iku_workflow.seed.demo import seed_demo

    office = seed_demo(PASSWORD, echo=lambda _m: None)
    db.session.commit()
    remove_demo_survey()
    label = "S1" if TODAY.month <= 6 else "S2"
    period = open_period(office.id, TODAY.year, label, user=get_user("sekcam"))
    db.session.commit()
    rows = WORKED_EXAMPLE[:3]
    expected = compute.python_index(rows)
    assert expected.konversi == Decimal("85.19") and expected.mutu == "B"

    page = page
    for answers in rows:
        _answer(page, period.code, answers)

    browser_login(page, "sekcam")
    page.goto(f"{page.base_url}/skm/periode/{period.id}")
    assert page.inner_text("[data-testid=respondents]") == "3"
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=close-period]")
    page.wait_for_selector("[data-testid=do-approve]")
    assert page.inner_text("[data-testid=period-status]") == "Ditutup"
    submit(page, "[data-testid=do-approve]")
    page.wait_for_selector("[data-state=approved]")
    assert page.inner_text("[data-testid=ikm-konversi]") == "85,19"
    assert page.inner_text("[data-testid=mutu]") == "B"
    assert page.locator("#skm-chart").is_visible()

    db.session.expire_all()
    measured = measures.measure("survey_index", office.id, TODAY.year)
    assert measured.year == Decimal("85.19")

    # The public link now says the survey is closed.
    page.goto(f"{page.base_url}/s/{period.code}")
    assert page.is_visible("[data-testid=skm-closed]")

    # The dashboard's IKU 2 card follows from the same measure: realisation, capaian against the demo
    # target 82, and the mutu in the line saying where the number comes from.
    assert "indicators.dashboard" in live_server.app.view_functions  # merged: this part must run
    page.goto(f"{page.base_url}/dasbor/{TODAY.year}")
    card = page.locator("section[data-iku='2']")
    assert card.locator("[data-testid=realisation]").inner_text() == format_id(expected.konversi) == "85,19"
    assert card.locator("[data-testid=target]").inner_text() == "82"
    assert card.locator("[data-testid=capaian]").inner_text() == f"{format_id(capaian_rounded(expected.konversi, 82))} %"
    assert f"IKM {format_id(expected.konversi)}, mutu {expected.mutu}" in card.inner_text()
    assert "mutu B" in card.inner_text() and "3 responden" in card.inner_text()
    card.locator("[data-testid=data-link]").click()
    page.wait_for_url("**/skm/")
