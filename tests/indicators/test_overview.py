"""The Camat's overview at the top of the dashboard (issue 14): the IKU strip with the numbers behind each
percentage (RULES.md §3 worked examples), the late sections, what waits for review, the SKM's sample, the
data-quality flags, and its print view."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories as mk
from iku_workflow.domain.capaian import LowerFormula, Polarity, capaian_rounded
from iku_workflow.extensions import db
from iku_workflow.formatting import format_decimal
from iku_workflow.indicators.overview import _outlier, capaian_formula
from iku_workflow.models import EntryState, SurveyPeriod, WorkflowEntry

H, L = Polarity.HIGHER, Polarity.LOWER


def _formula(r, t, polarity=H, lower=LowerFormula.TWICE_TARGET, locale="id"):
    return capaian_formula(Decimal(r), Decimal(t), polarity, lower, capaian_rounded(Decimal(r), Decimal(t), polarity, lower),
                           locale)


def test_the_worked_examples_written_out(app):
    with app.test_request_context("/"):
        assert _formula("81", "90") == "81 ÷ 90 × 100 = 90,00 %"
        assert _formula("66.6667", "100") == "66,67 ÷ 100 × 100 = 66,67 %"
        assert _formula("2.4", "3", L) == "(2 × 3 − 2,4) ÷ 3 × 100 = 120,00 %"
        assert _formula("3.6", "3", L) == "(2 × 3 − 3,6) ÷ 3 × 100 = 80,00 %"
        assert _formula("2.4", "3", L, LowerFormula.RATIO) == "3 ÷ 2,4 × 100 = 125,00 %"
        assert _formula("3.6", "3", L, LowerFormula.RATIO) == "3 ÷ 3,6 × 100 = 83,33 %"
        assert _formula("7", "3", L) == "(2 × 3 − 7) ÷ 3 × 100 = 0,00 % (paling rendah 0)"
        assert "target belum ditetapkan" in _formula("5", "0")
        assert _formula("0", "0", L).endswith("0 → 100,00 %")
        assert "tidak terdefinisi" in _formula("0", "3", L, LowerFormula.RATIO)
        assert capaian_formula(None, Decimal(3), H, LowerFormula.TWICE_TARGET, None) is None
        assert capaian_formula(Decimal(3), None, H, LowerFormula.TWICE_TARGET, None) is None
        assert _formula("1500.5", "2000", locale="en") == "1,500.5 ÷ 2,000 × 100 = 75.03 %"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(r=st.decimals(min_value=0, max_value=10**6, places=2), t=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
       polarity=st.sampled_from([H, L]), lower=st.sampled_from(list(LowerFormula)))
def test_the_written_result_is_the_capaian(app, r, t, polarity, lower):
    with app.test_request_context("/"):
        text = _formula(r, t, polarity, lower)
        value = capaian_rounded(r, t, polarity, lower)
        if value is None:
            assert "tidak terdefinisi" in text
        else:
            assert text.split(" = ")[1].split(" %")[0] == format_decimal(value, "id", 2)


def _page(client, year=2025):
    response = client.get(f"/dasbor/{year}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(html: str, number: int) -> str:
    match = re.search(rf'<tr data-iku="{number}" data-testid="overview-row">(.*?)</tr>', html, re.S)
    assert match, f"no overview row for IKU {number}"
    return match.group(1)


def test_the_strip_shows_each_iku_with_its_counts_and_formula(client_as, office):
    rows = [mk.complaint(office, date(2025, 1, 10)), mk.complaint(office, date(2025, 2, 10)),
            mk.complaint(office, date(2025, 3, 10), status="diproses")]
    mk.approve(*rows)
    html = _page(client_as("camat"))
    assert 'data-testid="overview"' in html
    iku4 = _row(html, 4)
    assert "66,67 ÷ 100 × 100 = 66,67 %" in iku4
    assert "2 dari 3" in iku4  # the counts behind the percentage
    assert "2 ÷ 3 × 100 = 66,67 %" in iku4
    assert 'data-band="sedang"' in iku4
    for number in range(1, 7):
        _row(html, number)  # every IKU of the decree has its line


def test_late_sections_are_named_with_their_count_until_approved(client_as, office):
    from iku_workflow.models import Section

    row = mk.complaint(office)
    row.entry.due_date = date.today() - timedelta(days=3)
    db.session.commit()
    section = db.session.get(Section, row.entry.section_id)

    def late_count() -> int:
        html = _page(client_as("camat"))
        late = re.search(r'data-testid="overview-late">(.*?)</div>\s*<div class="col', html, re.S).group(1)
        found = re.search(rf"<strong>{re.escape(section.name)}</strong>(?:</a>)?: (\d+) entri", late)
        return int(found.group(1)) if found else 0

    count = late_count()
    assert count >= 1
    mk.approve(row)
    assert late_count() == count - 1


def test_what_waits_for_review_is_counted_by_kind(client_as, office):
    before = db.session.scalar(sa.select(sa.func.count(WorkflowEntry.id)).where(
        WorkflowEntry.office_id == office.id, WorkflowEntry.state == EntryState.SUBMITTED))
    row = mk.complaint(office)
    from iku_workflow.workflow import operations as wf
    wf.submit(row.entry, row.entry.created_by)
    db.session.commit()
    html = _page(client_as("camat"))
    pending = re.search(r'data-testid="overview-pending">(.*?)</ul>', html, re.S).group(1)
    assert f"{before + 1} entri" in pending
    assert re.search(r"Pengaduan[^<]*: \d+", pending)


def test_the_skm_sample_says_whether_it_represents(client_as, office):
    periods = db.session.scalars(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == office.id,
                                                                SurveyPeriod.year == 2025)).all()
    html = _page(client_as("camat"))
    skm = re.search(r'data-testid="overview-skm">(.*?)</ul>|data-testid="overview-skm">(.*?)</div>\s*</div>', html, re.S).group(0)
    if not periods:
        assert "Belum ada periode SKM" in skm
        return
    period = periods[0]
    period.population = 1_000_000
    db.session.commit()
    html = _page(client_as("camat"))
    skm = re.search(r'data-testid="overview-skm">(.*?)</ul>', html, re.S).group(1)
    assert f"{period.title}:" in skm and "dari minimal 384" in skm
    assert "belum mewakili" in skm or "mewakili" in skm


def test_an_approved_row_without_evidence_is_flagged(client_as, office):
    # a "Selesai" complaint cannot be submitted without its file; one still "Diproses" can be approved bare
    row = mk.complaint(office, status="diproses")
    mk.approve(row)
    html = _page(client_as("camat"))
    assert "disetujui tanpa bukti" in _row(html, 4)
    assert 'data-testid="overview-flags"' in html
    row.evidence_note = "Berita acara no. 12, arsip Seksi Trantib"
    db.session.commit()
    assert "disetujui tanpa bukti" not in _row(_page(client_as("camat")), 4)


def test_a_value_far_from_earlier_years_or_the_other_triwulan_is_flagged(app):
    with app.test_request_context("/"):
        item = SimpleNamespace(realisation=Decimal("90"), measured=SimpleNamespace(tw={1: None, 2: None, 3: None, 4: None}))
        assert _outlier(item, {2023: Decimal("30"), 2024: Decimal("40")}) and "2023, 2024" in _outlier(
            item, {2023: Decimal("30"), 2024: Decimal("40")})
        assert _outlier(item, {2024: Decimal("80")}) is None
        assert _outlier(item, {}) is None
        spread = SimpleNamespace(realisation=Decimal("50"), measured=SimpleNamespace(tw={1: Decimal(10), 2: Decimal(11),
                                                                                        3: Decimal(90), 4: None}))
        assert "TW 3 (90)" in _outlier(spread, {})
        even = SimpleNamespace(realisation=Decimal("50"), measured=SimpleNamespace(tw={1: Decimal(10), 2: Decimal(11),
                                                                                      3: Decimal(12), 4: None}))
        assert _outlier(even, {}) is None


def test_the_print_view_is_the_overview_alone(client_as, office):
    c = client_as("camat")
    response = c.get("/dasbor/2025/ringkasan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="overview"' in html and "data-print" in html
    assert "chart-box" not in html  # no cards, no charts
    assert c.get("/dasbor/1999/ringkasan").status_code == 404


@pytest.mark.parametrize("role", ["pmks", "admin"])
def test_every_dashboard_reader_sees_the_overview(client_as, office, role):
    assert 'data-testid="overview"' in _page(client_as(role))
