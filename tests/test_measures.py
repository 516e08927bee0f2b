"""measures.py: how a measured realisation is put together (ratio from pooled counts, values by the year
rule) and which year rules a measure kind allows. Written out so that a changed rule fails here."""
from __future__ import annotations

from decimal import Decimal

import pytest

from iku_workflow import measures
from iku_workflow.domain.capaian import YearRule
from iku_workflow.measures import ANY_RULE, CUMULATIVE_COUNT, INDEX, ONE_SCORE, POOLED_RATIO, Measured, RulePolicy

D = Decimal


def test_a_ratio_pools_its_counts():
    m = measures.from_counts({1: (40, 42), 2: (46, 48)}, detail="uji")
    assert m.counts == {1: (40, 42), 2: (46, 48), 3: (0, 0), 4: (0, 0)}
    assert round(m.tw[1], 2) == D("95.24") and round(m.tw[2], 2) == D("95.83")
    assert m.tw[3] is None and m.tw[4] is None
    assert round(m.upto[1], 2) == D("95.24")  # s.d. TW I pools TW I alone
    assert round(m.upto[2], 2) == D("95.56") and m.upto[3] == m.upto[2] == m.year  # never the mean (95.54)
    assert m.detail == "uji" and m.warnings == () and m.has_data


def test_values_combine_by_the_year_rule():
    values = {1: D(10), 2: D(20), 4: D(40)}
    m = measures.from_values(values, YearRule.CUMULATIVE, "d", ("w",))
    assert m.tw == {1: D(10), 2: D(20), 3: None, 4: D(40)}
    assert m.upto == {1: D(10), 2: D(30), 3: D(30), 4: D(70)} and m.year == D(70)
    assert (m.detail, m.warnings, m.counts) == ("d", ("w",), None)
    last = measures.from_values(values, YearRule.LAST)
    assert (last.upto[3], last.year) == (D(20), D(40))
    mean = measures.from_values(values, YearRule.AVERAGE)
    assert (mean.upto[2], mean.year) == (D(15), D(70) / 3)


def test_has_data():
    none = {tw: None for tw in (1, 2, 3, 4)}
    assert not Measured(tw=dict(none), upto=dict(none), year=None).has_data
    assert Measured(tw=dict(none), upto=dict(none), year=D(0)).has_data
    assert Measured(tw=dict(none) | {3: D(0)}, upto=dict(none), year=None).has_data


def test_empty(app):
    with app.test_request_context():
        m = measures.empty()
        assert (m.tw, m.upto, m.year, m.detail) == (dict.fromkeys((1, 2, 3, 4)), dict.fromkeys((1, 2, 3, 4)), None,
                                                    "Belum ada data.")
        assert measures.empty("x").detail == "x" and not m.has_data


def test_the_policies_written_out():
    assert CUMULATIVE_COUNT.rules == (YearRule.CUMULATIVE,) and CUMULATIVE_COUNT.fixed
    assert POOLED_RATIO.rules == (YearRule.LAST,) and POOLED_RATIO.fixed
    assert ONE_SCORE.rules == (YearRule.LAST,) and ONE_SCORE.fixed
    assert INDEX.rules == (YearRule.LAST, YearRule.AVERAGE) and not INDEX.fixed
    assert ANY_RULE.rules == (YearRule.LAST, YearRule.CUMULATIVE, YearRule.AVERAGE) and not ANY_RULE.fixed


@pytest.mark.parametrize(("policy", "asked", "effective"), [
    (INDEX, "average", YearRule.AVERAGE), (INDEX, YearRule.LAST, YearRule.LAST),
    (INDEX, "cumulative", YearRule.LAST),  # an index is never summed
    (INDEX, None, YearRule.LAST), (INDEX, "nonsense", YearRule.LAST),
    (CUMULATIVE_COUNT, "last", YearRule.CUMULATIVE), (ANY_RULE, "cumulative", YearRule.CUMULATIVE),
    (RulePolicy((YearRule.AVERAGE, YearRule.LAST)), None, YearRule.AVERAGE),
])
def test_effective_rule(policy, asked, effective):
    assert policy.effective(asked) is effective


def test_declared_measures_and_unknown(app):
    with app.app_context():
        assert measures.policy("document_count") is CUMULATIVE_COUNT
        assert measures.policy("survey_index") is INDEX
        assert measures.policy("no-such-kind") is ANY_RULE
        with pytest.raises(measures.UnknownMeasure):
            measures.measure("no-such-kind", 1, 2025)


# -- measure() and measure_many(): the provider gets the office, the year and the kind's effective rule ------

def _echo(office_id, year, rule):
    return measures.from_values({4: D(office_id)}, YearRule.LAST, detail=f"{office_id}/{year}/{rule.value}")


CALLS: list = []


def _echo_many(office_ids, year, rule):
    CALLS.append((tuple(office_ids), year, rule))
    return {o: _echo(o, year, rule) for o in office_ids}


def _fake_capability():
    from iku_workflow.capability import Capability
    from iku_workflow.measures import Measure

    mean_first = RulePolicy((YearRule.AVERAGE, YearRule.LAST))
    return Capability("test-measures", measures=(
        Measure("test:echo", "Echo", _echo, policy=mean_first),
        Measure("test:many", "Echo many", _echo, policy=mean_first, many=_echo_many)))


@pytest.mark.parametrize("extra_capabilities", [(_fake_capability(),)])
def test_measure_passes_office_year_and_the_effective_rule(app):
    with app.app_context():
        assert measures.measure("test:echo", 7, 2025, "last").detail == "7/2025/last"
        assert measures.measure("test:echo", 7, 2031).detail == "7/2031/average"  # the kind's default
        assert measures.measure("test:echo", 8, 2025, "cumulative").detail == "8/2025/average"  # not allowed
        assert measures.measure("test:echo", 9, 2026, YearRule.LAST).year == D(9)


@pytest.mark.parametrize("extra_capabilities", [(_fake_capability(),)])
def test_measure_many_asks_once_or_per_office(app):
    with app.app_context():
        CALLS.clear()
        got = measures.measure_many("test:many", [3, 5], 2025, "cumulative")
        assert CALLS == [((3, 5), 2025, YearRule.AVERAGE)]  # one call for every office, the effective rule
        assert {o: m.detail for o, m in got.items()} == {3: "3/2025/average", 5: "5/2025/average"}
        per_office = measures.measure_many("test:echo", [4, 6], 2030, "last")
        assert {o: m.detail for o, m in per_office.items()} == {4: "4/2030/last", 6: "6/2030/last"}
        assert measures.measure_many("test:echo", [], 2030) == {}
        with pytest.raises(measures.UnknownMeasure):
            measures.measure_many("no-such-kind", [1], 2025)
