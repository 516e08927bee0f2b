"""The counter tablet takes 50 answers in a row (issue 14): the sekcam makes a kiosk link, the tablet
opens it once, then 50 respondents answer one after another (the thanks page returns to an empty form by
itself); all 50 are stored although the per-address limit is 20 an hour. On a phone-sized tablet the
"Apa yang perlu diperbaiki?" box appears when 1 or 2 is chosen, and its text is stored."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import browser_login, get_user, submit
from iku_workflow.extensions import db
from iku_workflow.models import SurveyComment, SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.demo_without("survey")]

ANSWERS = 50


@pytest.fixture
def live_server_config():
    # the real per-address limit: without the kiosk the 21st answer would be refused
    return {"SKM_MIN_SECONDS": 0, "RATELIMIT_ENABLED": True, "SKM_PUBLIC_LIMIT": "20 per hour",
            "SKM_KIOSK_LIMIT": "240 per hour", "SKM_KIOSK_RETURN_SECONDS": 1}


def _period(office):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from iku_workflow.survey.operations import open_period

    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    period = open_period(office.id, today.year, "S1" if today.month <= 6 else "S2", user=get_user("sekcam"),
                         population=100)
    db.session.commit()
    return period


def _answer(tablet, n: int) -> None:
    tablet.select_option("select[name=jenis_layanan]", index=1 + n % 2)
    tablet.fill("input[name=usia]", str(20 + n % 50))
    tablet.click(f"label[for=jenis_kelamin-{n % 2}]")
    tablet.select_option("select[name=pendidikan]", index=1 + n % 3)
    tablet.select_option("select[name=pekerjaan]", index=1 + n % 4)
    for i in range(1, 10):
        tablet.click(f"label[for=u{i}-{2 + (n + i) % 2}]")  # 3 or 4


# the form's controls set in the page in one step, as _answer's clicks set them (the first respondents are
# answered control by control; the rest of the queue this way, so fifty answers do not take minutes)
_FILL = """n => {
  const pick = (name, index) => { const s = document.querySelector(`select[name=${name}]`); s.selectedIndex = index;
                                   s.dispatchEvent(new Event('change', {bubbles: true})); };
  pick('jenis_layanan', 1 + n % 2);
  const age = document.querySelector('input[name=usia]'); age.value = String(20 + n % 50);
  age.dispatchEvent(new Event('input', {bubbles: true}));
  document.getElementById(`jenis_kelamin-${n % 2}`).click();
  pick('pendidikan', 1 + n % 3);
  pick('pekerjaan', 1 + n % 4);
  for (let i = 1; i < 10; i++) document.getElementById(`u${i}-${2 + (n + i) % 2}`).click();
}"""


def _answer_quickly(tablet, n: int) -> None:
    tablet.evaluate(_FILL, n)
    assert tablet.locator(f"#u9-{2 + (n + 9) % 2}").is_checked()


def test_the_counter_tablet_takes_fifty_answers_in_a_row(_browser, office, page, live_server):
    period = _period(office)
    browser_login(page, "sekcam")
    page.goto(f"{live_server.url}/skm/periode/{period.id}")
    page.click("[data-testid=kiosk-page]")
    page.fill("input[name=name]", "Tablet meja pelayanan")
    submit(page, "[data-testid=kiosk-create]")
    link = page.locator("[data-testid=kiosk-link]").first.get_attribute("href")
    assert f"/s/{period.code}/loket/" in link

    context = _browser.new_context(viewport={"width": 800, "height": 1280}, locale="id-ID")  # the tablet
    tablet = context.new_page()
    tablet.set_default_timeout(10_000)
    errors: list[str] = []
    tablet.on("pageerror", lambda exc: errors.append(str(exc)))
    tablet.goto(link)  # opened once
    assert tablet.locator("[data-testid=kiosk-badge]").is_visible()
    assert tablet.locator("[data-testid=public-office]").inner_text() == office.full_name
    assert "IKU Workflow" not in tablet.content()

    for n in range(ANSWERS):
        (_answer if n < 3 else _answer_quickly)(tablet, n)
        if n == 0:  # the first respondent finds the service slow: the box appears with answer 1
            box = tablet.locator("[data-perbaikan=u3]")
            assert not box.is_visible()
            tablet.click("label[for=u3-0]")
            assert box.is_visible()
            tablet.fill("input[name=p_u3]", "Antrean terlalu lama")
            tablet.fill("textarea[name=saran]", "Tambah kursi tunggu")
        with tablet.expect_navigation():
            tablet.click("[data-testid=skm-send]")
        assert tablet.locator("[data-testid=skm-thanks]").is_visible(), tablet.content()[:2000]
        # the next respondent: the empty form comes back by itself (meta refresh), no staff sign-in
        tablet.wait_for_selector("[data-testid=skm-public-form]")
        assert tablet.locator("select[name=jenis_layanan]").input_value() == "0"
        assert tablet.locator("textarea[name=saran]").input_value() == ""
    context.close()
    assert errors == []

    db.session.expire_all()
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)
                               .where(SurveyResponse.period_id == period.id))
    assert stored == ANSWERS
    notes = {(c.unsur, c.text) for c in db.session.scalars(sa.select(SurveyComment))}
    assert notes == {("u3", "Antrean terlalu lama"), (None, "Tambah kursi tunggu")}
