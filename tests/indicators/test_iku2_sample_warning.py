"""IKU 2 on the dashboard carries the SKM's own warning when the respondents are below the minimum sample:
30 responses against a population of 2.500 (Krejcie & Morgan: 333) are not a green "Sangat Tinggi" alone."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.domain import skm
from iku_workflow.extensions import db
from iku_workflow.models import SurveyPeriod
from iku_workflow.survey.operations import close_period, open_period
from iku_workflow.workflow import operations as wf
from factories import add_rows

YEAR = 2025
WARNING = "Jumlah responden (30) di bawah sampel minimal 333 untuk populasi 2.500 orang (Krejcie &amp; Morgan). " \
          "Hasil belum mewakili."


def _period(office, population, n=30, label="S1"):
    period = open_period(office.id, YEAR, label, user=get_user("sekcam"), population=population,
                         section=next(s for s in office.sections if s.code == "pelayanan"))
    add_rows(period, [(4,) * 9] * n)  # IKM 100.00: capaian 121.95 %, "Sangat Tinggi"
    close_period(period, get_user("pelayanan"))
    wf.approve(period.entry, get_user("sekcam"))
    db.session.commit()
    return period


def _card(client) -> str:
    html = client.get(f"/dasbor/{YEAR}").get_data(as_text=True)
    return html.split('<section class="card h-100" data-iku="2"')[1].split("</section>")[0]


@pytest.mark.demo_without("survey")
def test_dashboard_iku2_shows_the_skm_minimum_sample_warning(office, client_as):
    assert skm.min_sample(2500) == 333
    period = _period(office, 2500)
    camat = client_as("camat")
    card = _card(camat)
    assert 'data-band="sangat_tinggi">Sangat Tinggi<' in card  # the band stands ...
    assert 'data-testid="measure-warning"' in card  # ... with the warning in words beside it
    assert f"Semester I {YEAR}: {WARNING}" in card
    # the very sentence the SKM results page shows
    page = camat.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert 'data-testid="min-sample-warning"' in page and WARNING in page


@pytest.mark.demo_without("survey")
def test_no_warning_when_the_sample_is_reached_or_no_population_is_known(office, client_as):
    _period(office, 30)  # a population of 30 needs 28: 30 respondents are enough
    assert 'data-testid="measure-warning"' not in _card(client_as("camat"))
    db.session.execute(sa.update(SurveyPeriod).values(population=None))
    db.session.commit()
    assert 'data-testid="measure-warning"' not in _card(client_as("camat"))


@pytest.mark.demo_without("survey")
def test_the_warning_is_in_english_on_an_english_page(office, client_as):
    _period(office, 2500)
    camat = client_as("camat")
    user = get_user("camat")
    user.locale = "en"
    db.session.commit()
    card = _card(camat)
    assert 'data-testid="measure-warning"' in card and "below the minimum sample of 333" in card
