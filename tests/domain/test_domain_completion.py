from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_workflow.domain.completion import (Rate, Requirement, completion, completion_of, completion_rate, iku1_by_triwulan,
                                            iku1_count, rate_by_triwulan)


def test_rate_worked_examples():
    assert completion_rate(0, 11) == Decimal("0.00")
    assert completion_rate(1, 11) == Decimal("9.09")
    assert completion_rate(2, 3) == Decimal("66.67")
    assert completion_rate(11, 11) == Decimal("100.00")
    assert completion_rate(0, 0) is None  # nothing required: no rate, not 0 %


@pytest.mark.parametrize("approved, required", [(-1, 3), (4, 3), (0, -1)])
def test_rate_refuses_impossible_counts(approved, required):
    with pytest.raises(ValueError):
        completion_rate(approved, required)


def test_overall_group_and_section():
    reqs = [
        Requirement("lakip", "lakip", "sekretariat", date(2025, 2, 1)),
        Requirement("anjab", "anjab", "sekretariat"),
        Requirement("abk", "anjab", "sekretariat", date(2025, 5, 1)),
        Requirement("sop", "pelayanan", "pelayanan"),
    ]
    result = completion_of(reqs)
    assert (result.overall.approved, result.overall.required, result.overall.percent) == (2, 4, Decimal("50.00"))
    assert result.by_group["anjab"].percent == Decimal("50.00")
    assert result.by_group["lakip"].percent == Decimal("100.00")
    assert result.by_section["sekretariat"].percent == Decimal("66.67")
    assert result.by_section["pelayanan"].percent == Decimal("0.00")


def test_cells_of_one_group_in_several_sections_add_up():
    result = completion([("pelayanan", "pelayanan", 1, 4), ("pelayanan", "sekretariat", 1, 1)])
    assert (result.by_group["pelayanan"].approved, result.by_group["pelayanan"].required) == (2, 5)
    assert completion([]).overall.percent is None


def test_iku1_by_triwulan():
    approvals = {"lakip": date(2025, 3, 31), "sop": date(2025, 4, 1), "abk": None, "skm": date(2025, 12, 31)}
    assert iku1_count(approvals) == 3
    assert iku1_by_triwulan(approvals, 2025, today=date(2026, 1, 5)) == {1: 1, 2: 2, 3: 2, 4: 3}
    # during the year: a triwulan not yet begun has no value; a past one with nothing approved is 0
    assert iku1_by_triwulan({"abk": None}, 2025, today=date(2025, 5, 2)) == {1: 0, 2: 0, 3: None, 4: None}


def test_iku1_approved_after_the_year_counts_in_tw_iv_like_the_year():
    # a 2025 LAKIP approved in January 2026: s.d. TW IV is the year's value, not 0
    approvals = {"lakip": date(2026, 1, 15), "sop": date(2024, 12, 30), "abk": None}
    assert iku1_by_triwulan(approvals, 2025, today=date(2026, 1, 20)) == {1: 1, 2: 1, 3: 1, 4: 2}
    assert iku1_by_triwulan(approvals, 2025, today=date(2026, 1, 20))[4] == iku1_count(approvals)


counts = st.integers(min_value=0, max_value=200).flatmap(
    lambda r: st.tuples(st.integers(min_value=0, max_value=r), st.just(r)))


@given(counts)
def test_rate_is_within_0_and_100(pair):
    approved, required = pair
    rate = completion_rate(approved, required)
    assert rate is None if required == 0 else Decimal(0) <= rate <= Decimal(100)


@given(counts)
def test_one_more_approval_never_lowers_the_rate_or_iku1(pair):
    approved, required = pair
    if approved < required:
        assert completion_rate(approved + 1, required) > completion_rate(approved, required)
    days = {f"t{i}": (date(2025, 1 + i % 12, 1) if i < approved else None) for i in range(required)}
    more = dict(days)
    pending = [k for k, v in days.items() if v is None]
    if pending:
        more[pending[0]] = date(2025, 6, 30)
        before = iku1_by_triwulan(days, 2025, date(2026, 1, 1))
        after = iku1_by_triwulan(more, 2025, date(2026, 1, 1))
        assert all(after[tw] >= before[tw] for tw in before) and after[4] == before[4] + 1


def test_rate_at_the_end_of_each_triwulan_is_counted_as_iku1():
    # one required document per type: the rate s.d. TW n is IKU 1 s.d. TW n over the documents required
    approvals = {"lakip": date(2025, 3, 31), "sop": date(2025, 4, 1), "abk": None, "skm": date(2025, 12, 31),
                 "anjab": date(2026, 1, 15)}  # a 2025 document approved after the year: s.d. TW IV, as IKU 1
    rates = rate_by_triwulan(approvals.values(), 2025, today=date(2026, 2, 1))
    assert rates == {1: Rate(1, 5), 2: Rate(2, 5), 3: Rate(2, 5), 4: Rate(4, 5)}
    assert [str(r.percent) for r in rates.values()] == ["20.00", "40.00", "40.00", "80.00"]
    iku1 = iku1_by_triwulan(approvals, 2025, today=date(2026, 2, 1))
    assert all(rates[tw].approved == iku1[tw] for tw in (1, 2, 3, 4))


def test_rate_of_a_triwulan_not_started_is_none_and_a_running_one_counts_so_far():
    days = [date(2025, 2, 1), date(2025, 5, 2), None]
    assert rate_by_triwulan(days, 2025, today=date(2025, 5, 10)) == {1: Rate(1, 3), 2: Rate(2, 3), 3: None, 4: None}
    assert rate_by_triwulan([], 2025, today=date(2026, 1, 1))[4].percent is None  # nothing required: no rate


def test_nothing_required_is_no_rate_not_an_error():
    result = completion([("lakip", "sekretariat", 0, 0)])
    assert (result.overall.approved, result.overall.required, result.overall.percent) == (0, 0, None)
    assert result.by_group["lakip"].percent is None and result.by_section["sekretariat"].percent is None
    empty = completion([])
    assert (empty.overall, empty.by_group, empty.by_section) == (Rate(0, 0), {}, {})
    assert completion_of([]).overall.percent is None


@pytest.mark.parametrize("cell", [("g", "s", 3, 2), ("g", "s", -1, 2), ("g", "s", 0, -1), ("g", "s", -2, -1)])
def test_completion_refuses_impossible_counts(cell):
    with pytest.raises(ValueError):
        completion([("h", "t", 1, 5), cell])  # even when the totals would look possible


def test_a_triwulan_shows_its_value_from_its_first_day():
    approvals = {"lakip": date(2025, 3, 31), "sop": None}
    for tw, first in ((2, date(2025, 4, 1)), (3, date(2025, 7, 1)), (4, date(2025, 10, 1))):
        assert iku1_by_triwulan(approvals, 2025, today=first)[tw] == 1
        assert rate_by_triwulan(approvals.values(), 2025, today=first)[tw] == Rate(1, 2)
        day_before = date.fromordinal(first.toordinal() - 1)
        assert iku1_by_triwulan(approvals, 2025, today=day_before)[tw] is None
        assert rate_by_triwulan(approvals.values(), 2025, today=day_before)[tw] is None
    assert iku1_by_triwulan({"sop": None}, 2025, today=date(2025, 1, 1)) == {1: 0, 2: None, 3: None, 4: None}
    assert rate_by_triwulan([None], 2025, today=date(2025, 1, 1)) == {1: Rate(0, 1), 2: None, 3: None, 4: None}
    assert iku1_by_triwulan({"sop": None}, 2025, today=date(2024, 12, 31)) == dict.fromkeys((1, 2, 3, 4))


def test_the_last_day_of_a_triwulan_counts_in_it():
    approvals = {"a": date(2025, 6, 30), "b": date(2025, 7, 1), "c": date(2025, 9, 30), "d": date(2025, 12, 31)}
    assert iku1_by_triwulan(approvals, 2025, today=date(2026, 1, 1)) == {1: 0, 2: 1, 3: 3, 4: 4}
    assert iku1_count(approvals, until=date(2025, 6, 30)) == 1
    rates = rate_by_triwulan(approvals.values(), 2025, today=date(2026, 1, 1))
    assert [rates[tw].approved for tw in (1, 2, 3, 4)] == [0, 1, 3, 4]
