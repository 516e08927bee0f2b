"""Numbers typed by people: the one parser and the one formatter (RULES.md §6)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_workflow.domain.numbers import NumberFormatError, format_number, parse_number


# ---------------------------------------------------------------- every example of RULES.md §6

@pytest.mark.parametrize(("text", "expected"), [
    ("1.500", Decimal("1500")),
    ("1.500.000", Decimal("1500000")),
    ("1.500,75", Decimal("1500.75")),
    ("85,5", Decimal("85.5")),
    ("1500", Decimal("1500")),
    ("1.500,00", Decimal("1500")),  # a value the page itself shows
    ("0", Decimal("0")),
    ("0,5", Decimal("0.5")),
    ("1,500", Decimal("1.5")),  # "," is the decimal mark on an Indonesian page, whatever follows it
    ("  72,35 ", Decimal("72.35")),
    ("-1.500,5", Decimal("-1500.5")),
    ("1.000", Decimal("1000")),
    ("999.999.999,99", Decimal("999999999.99")),
])
def test_indonesian_page(text, expected):
    value = parse_number(text, "id")
    assert value == expected and isinstance(value, Decimal)


@pytest.mark.parametrize(("text", "expected"), [
    ("1,500", Decimal("1500")),
    ("1,500,000", Decimal("1500000")),
    ("1,500.75", Decimal("1500.75")),
    ("1,500.5", Decimal("1500.5")),
    ("85.5", Decimal("85.5")),
    ("1500", Decimal("1500")),
    ("1,500.00", Decimal("1500")),
    ("1.500", Decimal("1.5")),  # "." is the decimal mark on an English page
])
def test_english_page(text, expected):
    assert parse_number(text, "en") == expected


def test_default_is_indonesian_and_locale_names_are_understood():
    assert parse_number("1.500") == 1500
    assert parse_number("1.500", "id_ID") == 1500
    assert parse_number("1.500", "en_US") == Decimal("1.5")
    with pytest.raises(ValueError):
        parse_number("1", "fr")


@pytest.mark.parametrize(("text", "expected"), [
    ("Rp 1.500.000", Decimal("1500000")),
    ("Rp1.500.000", Decimal("1500000")),
    ("Rp. 1.500.000", Decimal("1500000")),
    ("rp 1.500.000,50", Decimal("1500000.50")),
    ("Rp 1.500.000,-", Decimal("1500000")),
])
def test_money(text, expected):
    assert parse_number(text, "id", money=True) == expected


def test_money_and_percent_only_where_the_field_is_money_or_a_percentage():
    with pytest.raises(NumberFormatError) as exc:
        parse_number("Rp 1.500.000", "id")
    assert exc.value.code == "not_a_number"
    with pytest.raises(NumberFormatError):
        parse_number("72,5%", "id")
    assert parse_number("72,5%", "id", percent=True) == Decimal("72.5")
    assert parse_number("72,5 %", "id", percent=True) == Decimal("72.5")
    assert parse_number("72.5%", "en", percent=True) == Decimal("72.5")
    assert parse_number("Rp 1,500,000", "en", money=True) == 1500000


# ---------------------------------------------------------------- refusals, never guesses

@pytest.mark.parametrize(("text", "code"), [
    ("1.5", "ambiguous"),
    ("72.35", "ambiguous"),
    ("1.5000", "ambiguous"),
    ("1500.000", "ambiguous"),  # the first group has more than three digits
    ("0.500", "ambiguous"),  # a group never follows a leading zero
    ("1.500.00", "ambiguous"),
    ("1,500.5", "wrong_order"),
    ("1,5,0", "many_decimal_marks"),
    ("1,500,000", "many_decimal_marks"),
    ("abc", "not_a_number"),
    ("", "not_a_number"),
    ("   ", "not_a_number"),
    ("1e5", "not_a_number"),
    ("1 500", "not_a_number"),
    ("85,", "not_a_number"),
    (".", "not_a_number"),
    ("-", "not_a_number"),
    ("tujuh puluh", "not_a_number"),
])
def test_indonesian_refusals(text, code):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, "id")
    assert exc.value.code == code
    assert isinstance(exc.value, ValueError)
    # the message shows the right form
    assert str(exc.value) == ('Tulis angka dengan koma sebagai tanda desimal dan titik sebagai pemisah ribuan, '
                              'mis. "1.500" atau "72,35".')
    assert (exc.value.example_whole, exc.value.example_decimal) == ("1.500", "72,35")


@pytest.mark.parametrize(("text", "code"), [
    ("1,5", "ambiguous"),
    ("72,35", "ambiguous"),
    ("0,500", "ambiguous"),
    ("1.500,5", "wrong_order"),
    ("1.2.3", "many_decimal_marks"),
    ("1.500.000", "many_decimal_marks"),
    ("abc", "not_a_number"),
])
def test_english_refusals_mirror_the_indonesian_ones(text, code):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, "en")
    assert exc.value.code == code
    assert (exc.value.example_whole, exc.value.example_decimal) == ("1,500", "72.35")


def test_plain_numbers_refuse_grouping():
    assert parse_number("2025", "id", grouping=False) == 2025
    with pytest.raises(NumberFormatError) as exc:
        parse_number("2.025", "id", grouping=False)
    assert exc.value.code == "grouping" and exc.value.example_whole == "2025"
    with pytest.raises(NumberFormatError) as exc:
        parse_number("2,025", "en", grouping=False)
    assert exc.value.code == "grouping"


def test_places_refuse_decimals_the_field_does_not_keep():
    assert parse_number("4,0", "id", places=0) == 4  # a whole number, written with a decimal
    assert parse_number("72,350", "id", places=2) == Decimal("72.35")
    with pytest.raises(NumberFormatError) as exc:
        parse_number("4,5", "id", places=0)
    assert exc.value.code == "not_whole"
    with pytest.raises(NumberFormatError) as exc:
        parse_number("72,355", "id", places=2)
    assert exc.value.code == "too_many_places" and exc.value.places == 2
    with pytest.raises(NumberFormatError) as exc:
        parse_number("1,500.25", "id", places=2)
    assert exc.value.code == "wrong_order"  # the ambiguity is named first


def test_a_very_long_number_is_read_exactly():
    assert parse_number("1" * 40, "id") == Decimal("1" * 40)


# ---------------------------------------------------------------- the formatter

@pytest.mark.parametrize(("value", "kwargs", "id_text", "en_text"), [
    (1500, {}, "1.500", "1,500"),
    (Decimal("1500.75"), {}, "1.500,75", "1,500.75"),
    (Decimal("85.5"), {}, "85,5", "85.5"),
    (Decimal("72.5"), {"min_places": 2}, "72,50", "72.50"),
    (Decimal("84.175"), {}, "84,18", "84.18"),  # half up, decimal
    (Decimal("1.2345"), {"places": 4}, "1,2345", "1.2345"),
    (Decimal("1500.0000"), {"places": 4}, "1.500", "1,500"),
    (1000000, {}, "1.000.000", "1,000,000"),
    (2025, {"places": 0, "grouping": False}, "2025", "2025"),
    (Decimal("-1500.5"), {}, "-1.500,5", "-1,500.5"),
    (0, {}, "0", "0"),
    (None, {}, "", ""),
])
def test_format_number(value, kwargs, id_text, en_text):
    assert format_number(value, "id", **kwargs) == id_text
    assert format_number(value, "en", **kwargs) == en_text


def _decimals(max_units: int = 10**9):
    """Values 0 … max_units with 0, 1 or 2 decimals, exactly."""
    return st.integers(0, 2).flatmap(
        lambda places: st.integers(0, max_units * 10**places).map(lambda n: Decimal(n).scaleb(-places)))


@settings(max_examples=300)
@given(value=_decimals(), locale=st.sampled_from(["id", "en"]), min_places=st.integers(0, 2))
def test_what_is_shown_reads_back_as_the_same_number(value, locale, min_places):
    text = format_number(value, locale, places=2, min_places=min_places)
    assert parse_number(text, locale) == value
    assert parse_number(text, locale, places=2) == value


@settings(max_examples=200)
@given(value=st.integers(0, 10**9), locale=st.sampled_from(["id", "en"]), grouping=st.booleans())
def test_whole_numbers_read_back(value, locale, grouping):
    text = format_number(value, locale, places=0, grouping=grouping)
    assert parse_number(text, locale, places=0, grouping=grouping) == value


@settings(max_examples=200)
@given(value=_decimals())
def test_english_text_on_an_indonesian_page_is_refused_or_read_the_same(value):
    """English-written numbers on an Indonesian page: refused, or read as the same number, except "1,500"
    (one comma, no dot), which the Indonesian convention reads as 1,5 (RULES.md §6: "," is the decimal mark)."""
    english = format_number(value, "en")
    try:
        read = parse_number(english, "id")
    except NumberFormatError:
        return
    # only "1,500"-like text (one comma, no dot) is valid in both conventions, and then it is a decimal
    assert read == value or ("." not in english and english.count(",") == 1)


def test_rupiah_written_with_a_dot_after_rp():
    assert parse_number("Rp.1.500.000", money=True) == Decimal(1500000)
    assert parse_number("Rp. 1.500", money=True) == Decimal(1500)


def test_indonesian_is_the_default():
    assert format_number(Decimal("1500.5")) == "1.500,5"
    assert format_number(Decimal("1500.5"), None) == "1.500,5"
    assert parse_number("1.500,5") == Decimal("1500.5") and parse_number("1.500,5", None) == Decimal("1500.5")
    assert parse_number("1.500,5", "id-ID") == Decimal("1500.5") and parse_number("1,500.5", "en_US") == Decimal("1500.5")
