from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from iku_workflow.domain.capaian import (
    DEFAULT_SCALE,
    Band,
    LowerFormula,
    Polarity,
    YearRule,
    capaian,
    capaian_rounded,
    criteria,
    pooled_ratio,
    ratio_percent,
    ratio_percent_rounded,
    TargetProblem,
    target_problem,
    target_up_to,
    up_to,
    year_value,
)
from iku_workflow.domain.numbers import round_half_up

LOWER = Polarity.LOWER
RATIO = LowerFormula.RATIO


# --- RULES.md §3 worked examples -------------------------------------------------------------


def test_lower_is_better_twice_target():
    assert capaian_rounded(2.4, 3, LOWER) == Decimal("120.00")
    assert criteria(capaian(2.4, 3, LOWER)).label == "Sangat Tinggi"
    assert capaian_rounded(3.6, 3, LOWER) == Decimal("80.00")
    assert criteria(capaian(3.6, 3, LOWER)).label == "Tinggi"


def test_lower_is_better_target_over_realisation():
    assert capaian_rounded(2.4, 3, LOWER, RATIO) == Decimal("125.00")
    assert capaian_rounded(3.6, 3, LOWER, RATIO) == Decimal("83.33")


def test_higher_is_better():
    assert capaian_rounded(81, 90) == Decimal("90.00")
    assert criteria(capaian(81, 90)).label == "Tinggi"


def test_complaints_resolved_ratio():
    value = ratio_percent(2, 3)
    assert ratio_percent_rounded(2, 3) == Decimal("66.67")
    assert capaian_rounded(value, 100) == Decimal("66.67")
    assert criteria(capaian(value, 100)).label == "Sedang"


def test_pooled_ratio_is_not_the_mean_of_percentages():
    counts = {1: (40, 42), 2: (46, 48)}
    assert round_half_up(pooled_ratio(counts), 2) == Decimal("95.56")
    naive = (ratio_percent(40, 42) + ratio_percent(46, 48)) / 2
    assert round_half_up(naive, 2) == Decimal("95.54")
    assert round_half_up(pooled_ratio(counts, up_to_tw=1), 2) == Decimal("95.24")


# --- target 0, missing values, formulas -------------------------------------------------------


def test_target_zero_rules():
    assert capaian(0, 0, LOWER) == Decimal(100)
    assert capaian(1, 0, LOWER) == Decimal(0)
    assert capaian(0, 0, LOWER, RATIO) == Decimal(100)
    assert capaian(2, 0, LOWER, RATIO) == Decimal(0)
    assert capaian(5, 0) is None  # "target belum ditetapkan"
    assert capaian(0, 0, Polarity.HIGHER) is None


def test_missing_values_give_no_capaian():
    assert capaian(None, 10) is None
    assert capaian(5, None) is None
    assert capaian_rounded(None, 10, LOWER) is None
    assert criteria(None) is None


def test_ratio_formula_with_zero_realisation_is_undefined():
    assert capaian(0, 3, LOWER, RATIO) is None


def test_twice_target_never_below_zero():
    assert capaian(7, 3, LOWER) == Decimal(0)
    assert capaian(6, 3, LOWER) == Decimal(0)


def test_uncapped_above_hundred():
    assert capaian_rounded(150, 100) == Decimal("150.00")
    assert criteria(capaian(150, 100)).code == "sangat_tinggi"


def test_accepts_strings_and_enum_values_as_text():
    assert capaian_rounded("2.4", "3", "lower", "t_over_r") == Decimal("125.00")
    assert capaian_rounded(Decimal("81"), 90.0, "higher") == Decimal("90.00")


def test_unrounded_result_keeps_precision():
    assert capaian(2, 3) == Decimal("66.66666666666666666666666667")


def test_invalid_inputs():
    with pytest.raises(ValueError):
        capaian(1, -1)
    with pytest.raises(ValueError):
        capaian(-1, 3, LOWER)
    with pytest.raises(ValueError):
        capaian("abc", 3)
    with pytest.raises(ValueError):
        capaian(1, 3, "sideways")


def test_higher_is_better_allows_negative_realisation():
    assert capaian_rounded(-1, 4) == Decimal("-25.00")
    assert criteria(capaian(-1, 4)).code == "sangat_rendah"


# --- criteria bands (Permendagri 86/2017) -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (100, "sangat_tinggi"),
        (91, "sangat_tinggi"),
        (Decimal("90.995"), "sangat_tinggi"),  # rounds to 91.00
        (Decimal("90.99"), "tinggi"),
        (76, "tinggi"),
        (Decimal("75.99"), "sedang"),
        (66, "sedang"),
        (Decimal("65.99"), "rendah"),
        (51, "rendah"),
        (Decimal("50.99"), "sangat_rendah"),
        (0, "sangat_rendah"),
    ],
)
def test_criteria_boundaries(value, code):
    assert criteria(value).code == code


def test_default_scale_labels():
    labels = [b.label for b in DEFAULT_SCALE]
    assert labels == ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]


def test_custom_scale_in_any_order():
    scale = (Band("kurang", "Kurang", None), Band("baik", "Baik", Decimal("80")))
    assert criteria(85, scale).code == "baik"
    assert criteria(79, scale).code == "kurang"


def test_scale_without_catch_all_raises_below_lowest():
    with pytest.raises(ValueError):
        criteria(10, (Band("baik", "Baik", Decimal("80")),))


# --- ratios -------------------------------------------------------------------------------------


def test_ratio_percent():
    assert ratio_percent(0, 0) is None
    assert ratio_percent_rounded(5, 0) is None
    assert ratio_percent(0, 5) == Decimal(0)
    assert ratio_percent_rounded(3, 3) == Decimal("100.00")
    with pytest.raises(ValueError):
        ratio_percent(-1, 3)


@pytest.mark.parametrize("counts", [{1: (-1, 5), 2: (3, 5)}, {1: (3, 5), 2: (1, -1)}, {1: (-1, -1), 2: (3, 5)}])
def test_pooled_ratio_refuses_a_negative_count_even_when_the_total_stays_positive(counts):
    with pytest.raises(ValueError):
        pooled_ratio(counts)


def test_pooled_ratio_skips_missing_triwulan():
    assert pooled_ratio({}) is None
    assert pooled_ratio({1: (0, 0), 2: None}) is None
    assert pooled_ratio({1: (1, 2), 2: None, 3: (3, 6)}) == Decimal(50)
    assert pooled_ratio({1: (1, 2), 4: (0, 2)}, up_to_tw=3) == Decimal(50)
    with pytest.raises(ValueError):
        pooled_ratio({5: (1, 2)})
    with pytest.raises(ValueError):
        pooled_ratio({1: (1, 2)}, up_to_tw=0)


# --- triwulan to year -------------------------------------------------------------------------


def test_year_value_rules():
    values = {1: 10, 2: None, 3: 20}
    assert year_value(values, YearRule.CUMULATIVE) == Decimal(30)
    assert year_value(values, YearRule.LAST) == Decimal(20)
    assert year_value(values, YearRule.AVERAGE) == Decimal(15)
    assert year_value({1: 1, 2: 1, 3: 2}, "average") == Decimal("1.333333333333333333333333333")
    assert year_value({}, "cumulative") is None
    assert year_value({1: None, 2: None}, "last") is None


def test_year_value_last_uses_latest_triwulan_not_insertion_order():
    assert year_value({4: Decimal("83.25"), 1: Decimal("80")}, "last") == Decimal("83.25")


def test_year_value_rejects_unknown_keys_and_rules():
    with pytest.raises(ValueError):
        year_value({0: 1}, "cumulative")
    with pytest.raises(ValueError):
        year_value({1: 1}, "median")


def test_up_to():
    values = {1: 5, 2: 7, 3: None, 4: 9}
    assert up_to(values, 1, "cumulative") == Decimal(5)
    assert up_to(values, 2, "cumulative") == Decimal(12)
    assert up_to(values, 3, "last") == Decimal(7)
    assert up_to(values, 4, "last") == Decimal(9)
    assert up_to(values, 3, "average") == Decimal(6)
    with pytest.raises(ValueError):
        up_to(values, 5, "last")


def test_target_up_to():
    tw_targets = {1: 20, 2: 30, 3: 25, 4: 25}
    assert target_up_to(100, tw_targets, 2, YearRule.CUMULATIVE) == Decimal(50)
    assert target_up_to(100, tw_targets, 4, YearRule.CUMULATIVE) == Decimal(100)
    assert target_up_to(90, {1: 85, 2: 88, 3: 90, 4: 92}, 3, YearRule.LAST) == Decimal(90)
    assert target_up_to(100, {}, 2, YearRule.CUMULATIVE) == Decimal(100)
    assert target_up_to(100, None, 2, YearRule.CUMULATIVE) == Decimal(100)
    assert target_up_to("95.5", {1: None}, 1, YearRule.LAST) == Decimal("95.5")
    assert target_up_to(None, None, 1, YearRule.LAST) is None


# --- properties --------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=Decimal("0.001"), max_value=10**6, places=3)
formulas = st.sampled_from(list(LowerFormula))


@settings(max_examples=200)
@given(r1=amounts, r2=amounts, target=positive)
def test_higher_is_better_never_falls_when_realisation_rises(r1, r2, target):
    low, high = sorted((r1, r2))
    assert capaian(low, target) <= capaian(high, target)


@settings(max_examples=200)
@given(r1=amounts, r2=amounts, target=amounts, formula=formulas)
def test_lower_is_better_never_rises_when_realisation_rises(r1, r2, target, formula):
    low, high = sorted((r1, r2))
    a, b = capaian(low, target, LOWER, formula), capaian(high, target, LOWER, formula)
    assume(a is not None and b is not None)
    assert a >= b


@settings(max_examples=200)
@given(
    r=amounts | st.integers(min_value=0, max_value=10**6) | st.floats(min_value=0, max_value=1e6),
    t=amounts | st.integers(min_value=0, max_value=10**6) | st.floats(min_value=0, max_value=1e6),
    polarity=st.sampled_from(list(Polarity)),
    formula=formulas,
)
def test_no_exception_for_non_negative_inputs(r, t, polarity, formula):
    value = capaian(r, t, polarity, formula)
    rounded = capaian_rounded(r, t, polarity, formula)
    assert (value is None) == (rounded is None)
    if value is not None:
        assert value >= 0
        assert rounded == round_half_up(value, 2)
        assert criteria(value) is not None


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=0, max_value=500).flatmap(
            lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den))
        ),
    ),
    st.integers(min_value=1, max_value=4),
)
def test_pooled_ratio_within_0_and_100(counts, tw):
    value = pooled_ratio(counts, tw)
    if value is not None:
        assert Decimal(0) <= value <= Decimal(100)


scores = st.decimals(min_value=-50, max_value=300, places=4)


@settings(max_examples=200)
@given(scores, scores)
def test_criteria_monotone(a, b):
    low, high = sorted((a, b))
    rank = {band.code: i for i, band in enumerate(DEFAULT_SCALE)}  # 0 = best
    assert rank[criteria(low).code] >= rank[criteria(high).code]


triwulan = st.integers(min_value=1, max_value=4)


@settings(max_examples=200)
@given(st.dictionaries(triwulan, st.none() | amounts), triwulan)
def test_up_to_four_equals_year_value_and_cumulative_grows(values, tw):
    for rule in YearRule:
        assert up_to(values, 4, rule) == year_value(values, rule)
    before, after = up_to(values, tw, "cumulative"), up_to(values, 4, "cumulative")
    if before is not None:
        assert before <= after


# --- triwulan targets against the year's target ------------------------------------------------------

C, L, AV = YearRule.CUMULATIVE, YearRule.LAST, YearRule.AVERAGE


@pytest.mark.parametrize(("year", "targets", "rule", "problem"), [
    (100, {1: 30, 2: 30}, C, None),  # at most the year's while TW IV has no target
    (100, {3: 100}, C, None),
    (100, {1: 60, 2: 50}, C, ("sum_exceeds", 110, 100)),
    (100, {1: 25, 2: 25, 3: 25, 4: 20}, C, ("sum_differs", 95, 100)),
    (100, {1: 10, 2: 10, 4: 70}, C, ("sum_differs", 90, 100)),  # TW IV set, TW III not
    (100, {1: 25, 2: 25, 3: 25, 4: 25}, C, None),
    (80, {1: 50, 2: 60, 3: 70, 4: 80}, L, None),
    (80, {1: 50, 2: 90, 3: 70}, L, None),  # no TW IV: nothing to compare yet
    (80, {1: 50, 2: 60, 4: 70}, L, ("last_differs", 70, 80)),
    (80, {1: 70, 2: 90}, AV, None),
    (80, {1: 70, 2: 80, 3: 90, 4: 80}, AV, None),
    (80, {1: 70, 2: 80, 3: 90, 4: 90}, AV, ("mean_differs", Decimal("82.5"), 80)),
    (None, {1: 70, 4: 90}, C, None),
    (80, None, C, None),
    (80, {}, AV, None),
    (80, {1: None, 2: None}, L, None),
], ids=str)
def test_target_problem(year, targets, rule, problem):
    expected = None if problem is None else TargetProblem(problem[0], Decimal(problem[1]), Decimal(problem[2]))
    assert target_problem(year, targets, rule) == expected
    assert target_problem(year, targets, rule.value) == expected


def test_target_up_to_uses_the_year_when_the_triwulan_targets_contradict_it():
    assert target_up_to(80, {1: 50, 2: 60, 3: 70, 4: 80}, 2, C) == Decimal(80)  # "s.d." figures typed as amounts
    assert target_up_to(100, {1: 30}, 4, C) == Decimal(100)  # s.d. TW IV is the year's target
    assert target_up_to(None, {1: 30, 2: 30, 3: 20, 4: 20}, 4, C) == Decimal(100)  # the year from its triwulan
    assert target_up_to(None, {1: 30, 2: 30}, 2, C) == Decimal(60)


def test_a_missing_count_is_refused_not_a_type_error():
    for bad in ((None, 5), (5, None), (None, None)):
        with pytest.raises(ValueError):
            ratio_percent(*bad)
        with pytest.raises(ValueError):
            pooled_ratio({1: bad})
