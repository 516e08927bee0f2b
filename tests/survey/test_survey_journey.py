"""Browser journey: three respondents answer the public form, sekcam closes, the Camat approves, IKU 2 follows."""
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import PASSWORD, browser_login, get_user, submit
from iku_workflow import measures
from iku_workflow.domain.capaian import capaian_rounded
from iku_workflow.formatting import format_decimal as format_id
from iku_workflow.extensions import db
from iku_workflow.survey import compute
from iku_workflow.survey.operations import open_period
from factories import WORKED_EXAMPLE

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


def test_three_respondents_then_sekcam_closes_and_camat_approves(page, live_server):
    from iku_workflow.seed.demo import seed_demo

    office = seed_demo(PASSWORD, echo=lambda _m: None, without=("survey",))
    db.session.commit()
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
    page.wait_for_selector("[data-testid=awaits-camat]")  # the sekcam submitted it: no approve button here
    assert page.inner_text("[data-testid=period-status]") == "Ditutup"
    assert page.locator("[data-testid=do-approve]").count() == 0
    submit(page, "[data-testid=logout]")
    browser_login(page, "camat")
    page.goto(f"{page.base_url}/skm/periode/{period.id}")
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


def test_paper_entry_takes_one_digit_per_answer_box(page, live_server):
    """Nine digits typed in a row fill the nine boxes; a wrong digit stays in its own box, marked."""
    import sqlalchemy as sa
    from playwright.sync_api import expect

    from iku_workflow.models import SurveyResponse
    from iku_workflow.seed.demo import seed_demo

    office = seed_demo(PASSWORD, echo=lambda _m: None, without=("survey",))
    db.session.commit()
    period = open_period(office.id, TODAY.year, "S1" if TODAY.month <= 6 else "S2", user=get_user("sekcam"))
    db.session.commit()

    browser_login(page, "pelayanan")
    page.goto(f"{page.base_url}/skm/periode/{period.id}/entri")
    page.select_option("select[name=jenis_layanan]", label="KTP-el")
    page.fill("input[name=usia]", "41")
    page.check("input[name=jenis_kelamin][value=P]")
    page.select_option("select[name=pendidikan]", "SMA")
    page.select_option("select[name=pekerjaan]", "WIRAUSAHA")
    page.click("#u1")
    page.keyboard.type("345434343")
    for i, digit in enumerate("345434343", start=1):
        expect(page.locator(f"#u{i}")).to_have_value(digit)
    expect(page.locator("#u3")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#u4")).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#u9")).to_be_focused()

    # Correcting the wrong box: the new digit replaces it and the cursor moves on, U4 keeps its answer.
    page.click("#u3")
    page.keyboard.type("2")
    expect(page.locator("#u3")).to_have_value("2")
    expect(page.locator("#u3")).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#u4")).to_have_value("4")
    expect(page.locator("#u4")).to_be_focused()
    submit(page, "[data-testid=save-next]")
    expect(page.locator(".alert-success")).to_contain_text("Kuesioner tersimpan")
    db.session.expire_all()
    stored = db.session.scalars(sa.select(SurveyResponse).where(SurveyResponse.period_id == period.id)).one()
    assert stored.answers == (3, 4, 2, 4, 3, 4, 3, 4, 3)
