from decimal import Decimal
from fractions import Fraction

import pytest

from iku_workflow.domain.numbers import round_half_up, to_decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (84.175, 2, "84.18"),  # float rounding would give 84.17 (RULES.md §1)
        ("84.175", 2, "84.18"),
        (Decimal("84.175"), 2, "84.18"),
        (-84.175, 2, "-84.18"),
        (100, 2, "100.00"),
        (Decimal("3.33335"), 4, "3.3334"),
        (Fraction(2, 3) * 100, 2, "66.67"),
        (Fraction(1, 8), 2, "0.13"),
        (-0.001, 2, "0.00"),
        (2.5, 0, "3"),
        (Decimal("1E+3"), 1, "1000.0"),
    ],
)
def test_round_half_up(value, places, expected):
    result = round_half_up(value, places)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_round_half_up_rejects_none_and_negative_places():
    with pytest.raises(ValueError):
        round_half_up(None, 2)
    with pytest.raises(ValueError):
        round_half_up(1, -1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Decimal(1)),
        (0.1, Decimal("0.1")),
        ("  2.50 ", Decimal("2.50")),
        (Decimal("7"), Decimal("7")),
        (Fraction(1, 4), Decimal("0.25")),
    ],
)
def test_to_decimal_converts(value, expected):
    assert to_decimal(value) == expected


def test_to_decimal_keeps_none():
    assert to_decimal(None) is None


# "83,25" is text typed by a person: parse_number reads it in the page's convention, to_decimal never guesses.
@pytest.mark.parametrize("bad", ["abc", "", "1.234,50", "83,25", "nan", float("inf"), True, object()])
def test_to_decimal_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        to_decimal(bad)
