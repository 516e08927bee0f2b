from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_workflow.domain.sakip import COMPONENTS, PREDIKAT_TABLE, Predikat, predikat


def test_components_and_weights():
    assert [(c.code, c.weight) for c in COMPONENTS] == [
        ("perencanaan", 30),
        ("pengukuran", 30),
        ("pelaporan", 15),
        ("evaluasi", 25),
    ]
    assert sum(c.weight for c in COMPONENTS) == 100
    code, name, weight = COMPONENTS[3]
    assert name == "Evaluasi Akuntabilitas Kinerja Internal"


@pytest.mark.parametrize(
    ("score", "code", "meaning"),
    [
        (100, "AA", "Sangat Memuaskan"),
        ("90.01", "AA", "Sangat Memuaskan"),
        (90, "A", "Memuaskan"),
        (Decimal("90.00"), "A", "Memuaskan"),
        (80.01, "A", "Memuaskan"),
        (80, "BB", "Sangat Baik"),
        (70.01, "BB", "Sangat Baik"),
        (70, "B", "Baik"),
        (60.01, "B", "Baik"),
        (60, "CC", "Cukup"),
        (50.01, "CC", "Cukup"),
        (50, "C", "Kurang"),
        (30.01, "C", "Kurang"),
        (30, "D", "Sangat Kurang"),
        (0, "D", "Sangat Kurang"),
    ],
)
def test_predikat_boundaries(score, code, meaning):
    assert predikat(score) == Predikat(code, meaning)


def test_predikat_judges_the_printed_two_decimals():
    assert predikat("90.004").code == "A"  # printed 90,00
    assert predikat("90.005").code == "AA"  # printed 90,01


@pytest.mark.parametrize("bad", [-1, "100.01", -0.01, 101, None])
def test_predikat_out_of_range(bad):
    with pytest.raises(ValueError, match="Nilai SAKIP harus antara 0 dan 100."):
        predikat(bad)


def test_predikat_rejects_non_numbers():
    with pytest.raises(ValueError):
        predikat("sangat baik")


def test_table_is_highest_first():
    bounds = [bound for bound, _ in PREDIKAT_TABLE]
    assert bounds == sorted(bounds, reverse=True)


@settings(max_examples=200)
@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_predikat_monotone(a, b):
    order = ["D"] + [p.code for _, p in reversed(PREDIKAT_TABLE)]
    low, high = sorted((a, b))
    assert order.index(predikat(low).code) <= order.index(predikat(high).code)


def test_predikat_label_as_reports_print_it():
    from iku_workflow.domain.sakip import MEASURE, predikat_label

    assert predikat_label(Decimal("82.50")) == "A (Memuaskan)"
    assert predikat_label(Decimal("90.00")) == "A (Memuaskan)" and predikat_label("90.01") == "AA (Sangat Memuaskan)"
    assert predikat_label(None) == "" and predikat_label(Decimal("101")) == ""  # no predikat, never an error
    assert MEASURE == "score:sakip"
