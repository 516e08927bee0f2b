"""The IKM through the database: worked example, interval edges, and SQL path == Python path."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import get_user
from iku_workflow import measures
from iku_workflow.domain import skm
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, SurveyResponse
from iku_workflow.survey import compute
from iku_workflow.survey.operations import SurveyError, close_period, open_period
from iku_workflow.workflow import operations as wf
from factories import WORKED_EXAMPLE, add_rows





def _period(office, label="S1", year=2025, **kw):
    return open_period(office.id, year, label, user=get_user("sekcam"), **kw)


def test_worked_example_through_sql(office):
    period = _period(office)
    add_rows(period, WORKED_EXAMPLE)
    result = compute.sql_index(period)
    assert result.respondents == 5
    assert [round(result.nrr[k], 2) for k in skm.UNSUR_KEYS] == [Decimal(x) for x in
                                                                  "3.60 3.00 3.00 4.00 3.20 3.60 3.80 3.00 2.80".split()]
    assert (result.ikm, result.konversi, result.mutu, result.kinerja) == (Decimal("3.3333"), Decimal("83.33"), "B", "Baik")
    assert result.priorities[0] == "u9"
    assert result == compute.python_index(WORKED_EXAMPLE) == compute.raw_index(period)


def test_worked_example_with_rounded_weight(office):
    period = _period(office, weighting="0.111")
    add_rows(period, WORKED_EXAMPLE)
    result = compute.sql_index(period)
    assert (result.ikm, result.konversi, result.mutu) == (Decimal("3.3300"), Decimal("83.25"), "B")


def _rows_for_total(total: int, n: int = 100):
    """n respondents whose 9 answers add up to ``total`` over all (so IKM = total / 9 / n)."""
    rows, remaining = [], total
    for i in range(n):
        left = n - i - 1
        row_total = min(36, remaining - 9 * left)
        row_total = max(row_total, 9)
        answers, rest = [], row_total
        for j in range(9):
            a = min(4, rest - (8 - j))
            answers.append(a)
            rest -= a
        rows.append(tuple(answers))
        remaining -= row_total
    assert remaining == 0
    return rows


# konversi = total × 25 / 900 with 100 respondents: 3179 → 88.31 (A), 3178 → 88.28 (B); 2758 → 76.61 (B),
# 2757 → 76.58 (C); 2340 → 65.00 (C), 2339 → 64.97 (D).
@pytest.mark.parametrize("total, konversi, mutu", [
    (3600, "100.00", "A"), (3179, "88.31", "A"), (3178, "88.28", "B"), (2758, "76.61", "B"),
    (2757, "76.58", "C"), (2340, "65.00", "C"), (2339, "64.97", "D"), (900, "25.00", "D"),
])
def test_interval_edges_through_sql(office, total, konversi, mutu):
    period = _period(office)
    add_rows(period, _rows_for_total(total))
    result = compute.sql_index(period)
    assert (str(result.konversi), result.mutu) == (konversi, mutu)


def test_per_service_and_profile(office):
    period = _period(office)
    ktp, kk = period.services[0], period.services[1]
    add_rows(period, WORKED_EXAMPLE[:2], service=ktp, jenis_kelamin="P", usia=25)
    add_rows(period, WORKED_EXAMPLE[2:], service=kk, pendidikan="D4/S1", usia=61)
    by_service = dict((s.name, r) for s, r in compute.per_service(period))
    assert by_service[ktp.name] == compute.python_index(WORKED_EXAMPLE[:2])
    assert by_service[kk.name] == compute.python_index(WORKED_EXAMPLE[2:])
    assert by_service["Izin"] is None
    profile = compute.profile(period)
    assert dict(profile.jenis_kelamin) == {"Laki-laki": 3, "Perempuan": 2}
    assert dict(profile.usia)["20–29"] == 2 and dict(profile.usia)["≥ 60"] == 3
    assert dict(profile.pendidikan)["D4/S1"] == 3 and dict(profile.layanan)["Izin"] == 0


answers = st.lists(st.tuples(*[st.integers(1, 4)] * 9), min_size=1, max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=answers, weighting=st.sampled_from(["exact", "0.111"]))
def test_sql_path_equals_python_path(office, rows, weighting):
    period = _period(office, label="TW3", year=2024, weighting=weighting)
    try:
        add_rows(period, rows)
        sql = compute.sql_index(period)
        assert sql == compute.python_index(rows, weighting)
        assert compute.raw_index(period) == sql
        assert Decimal("25.00") <= sql.konversi <= Decimal("100.00")
    finally:
        db.session.rollback()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 50))
def test_all_fours_give_the_top_of_the_scale(office, n):
    period = _period(office, label="TW4", year=2024)
    try:
        add_rows(period, [(4,) * 9] * n)
        result = compute.sql_index(period)
        assert (result.konversi, result.mutu, result.kinerja) == (Decimal("100.00"), "A", "Sangat Baik")
    finally:
        db.session.rollback()


def test_close_snapshots_and_approval_feeds_iku2(office):
    sekcam = get_user("sekcam")
    period = _period(office, population=1000)
    add_rows(period, WORKED_EXAMPLE)
    snapshot = close_period(period, sekcam)
    db.session.commit()
    assert (snapshot.respondents, snapshot.konversi, snapshot.mutu) == (5, Decimal("83.33"), "B")
    # whoever closes submits: the sekcam closed it, so the Camat approves (tests/test_review_rule.py)
    assert period.entry.state is EntryState.SUBMITTED and period.entry.submitted_by_id == sekcam.id
    assert measures.measure("survey_index", office.id, 2025).year is None  # not approved yet
    wf.approve(period.entry, get_user("camat"))
    db.session.commit()
    measured = measures.measure("survey_index", office.id, 2025)
    assert measured.tw[2] == Decimal("83.33") and measured.year == Decimal("83.33")
    assert measured.tw[1] is None and measured.upto[4] == Decimal("83.33")
    # The snapshot holds: a later row (bypassing the closed period) does not move the approved number.
    add_rows(period, [(1,) * 9])
    db.session.commit()
    assert measures.measure("survey_index", office.id, 2025).year == Decimal("83.33")
    assert compute.period_index(period).konversi == Decimal("83.33")


def test_triwulan_mapping_and_longer_period_wins(office):
    sekcam = get_user("sekcam")
    for label, rows in (("TW1", [(4,) * 9]), ("S2", [(3,) * 9]), ("TAHUN", [(2,) * 9])):
        period = _period(office, label=label)
        add_rows(period, rows)
        close_period(period, sekcam)
        wf.approve(period.entry, get_user("camat"))
    db.session.commit()
    measured = measures.measure("survey_index", office.id, 2025)
    assert measured.tw == {1: Decimal("100.00"), 2: None, 3: None, 4: Decimal("50.00")}
    assert measured.year == Decimal("50.00")


def test_return_reopens_the_period_and_closing_again_resubmits(office):
    sekcam = get_user("sekcam")
    period = _period(office)
    add_rows(period, WORKED_EXAMPLE)
    close_period(period, sekcam)
    wf.return_for_revision(period.entry, get_user("camat"), note="Kuesioner Maret belum dimasukkan")
    db.session.commit()
    assert period.is_open and period.entry.state is EntryState.RETURNED
    add_rows(period, [(4,) * 9])
    snapshot = close_period(period, sekcam)
    db.session.commit()
    assert snapshot.respondents == 6 and period.entry.state is EntryState.SUBMITTED
    with pytest.raises(SurveyError):
        close_period(period, sekcam)


def test_empty_period_cannot_be_closed_and_labels_are_checked(office):
    period = _period(office)
    with pytest.raises(SurveyError, match="belum memiliki responden"):
        close_period(period, get_user("sekcam"))
    with pytest.raises(SurveyError, match="sudah ada"):
        _period(office)
    with pytest.raises(SurveyError, match="tidak dikenal"):
        _period(office, label="S3")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 0
