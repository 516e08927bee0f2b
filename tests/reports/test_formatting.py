from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from iku_workflow.reports.formatting import (
    diktum_word, format_date, format_nip, format_number, item_marker,
)


def test_dates_and_nip():
    assert format_date(date(2025, 2, 12)) == "12 Februari 2025"
    assert format_date(date(2025, 12, 1)) == "1 Desember 2025"
    assert format_nip("198406242002121001") == "19840624 200212 1 001"
    assert format_nip("19840624 200212 1 001") == "19840624 200212 1 001"


@pytest.mark.parametrize("n,word", [(1, "KESATU"), (4, "KEEMPAT"), (6, "KEENAM"),
                                     (10, "KESEPULUH"), (11, "KESEBELAS"),
                                     (12, "KEDUA BELAS"), (20, "KEDUA PULUH"),
                                     (21, "KEDUA PULUH SATU")])
def test_diktum_words(n, word):
    assert diktum_word(n) == word


def test_numbers_use_decimal_comma_and_half_up():
    assert format_number(Decimal("83.325")) == "83,33"
    assert format_number(Decimal("84.175")) == "84,18"
    assert format_number(Decimal("1234.5")) == "1.234,50"
    assert format_number(None) == "–"
    assert item_marker(0, "letter") == "a." and item_marker(1, "paren_number") == "(2)"


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False))
def test_number_round_trips(value):
    text = format_number(value, 4)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value
