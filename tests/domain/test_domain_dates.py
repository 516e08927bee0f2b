from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_workflow.domain.dates import (
    parse_tanggal,
    period_range,
    semester_of,
    triwulan_of,
    triwulan_range,
)
from iku_workflow.formatting import TRIWULAN_LABELS
from iku_workflow.formatting import format_date as format_tanggal


@pytest.mark.parametrize(
    "text",
    [
        "12 Februari 2025",
        "12 Pebruari 2025",
        "12 februari 2025",
        "12 PEBRUARI 2025",
        "  12   Februari  2025 ",
        "2025-02-12",
        "12-02-2025",
        "12/02/2025",
        "12/2/2025",
    ],
)
def test_parse_tanggal(text):
    assert parse_tanggal(text) == date(2025, 2, 12)


def test_parse_tanggal_nopember():
    assert parse_tanggal("1 Nopember 2024") == date(2024, 11, 1)


@pytest.mark.parametrize(
    "bad",
    ["", "besok", "12 Febuary 2025", "31 April 2025", "2025-13-01", "12-02/2025", "29 Februari 2025", None],
)
def test_parse_tanggal_rejects(bad):
    with pytest.raises(ValueError) as info:
        parse_tanggal(bad)
    assert any(word in str(info.value) for word in ("Tanggal", "bulan"))


@settings(max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_format_then_parse_round_trips(d):
    assert parse_tanggal(format_tanggal(d)) == d
    assert parse_tanggal(d.isoformat()) == d


@pytest.mark.parametrize(
    ("month", "tw", "semester"),
    [(1, 1, 1), (3, 1, 1), (4, 2, 1), (6, 2, 1), (7, 3, 2), (9, 3, 2), (10, 4, 2), (12, 4, 2)],
)
def test_triwulan_and_semester(month, tw, semester):
    assert triwulan_of(date(2025, month, 15)) == tw
    assert semester_of(date(2025, month, 15)) == semester


def test_triwulan_range():
    assert triwulan_range(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert triwulan_range(2024, 2) == (date(2024, 4, 1), date(2024, 6, 30))
    assert triwulan_range(2024, 3) == (date(2024, 7, 1), date(2024, 9, 30))
    assert triwulan_range(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))


@pytest.mark.parametrize("bad", [0, 5, -1, True])
def test_triwulan_range_rejects(bad):
    with pytest.raises(ValueError):
        triwulan_range(2024, bad)


def test_triwulan_labels():
    assert TRIWULAN_LABELS == {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("S1", (date(2025, 1, 1), date(2025, 6, 30))),
        ("S2", (date(2025, 7, 1), date(2025, 12, 31))),
        ("TW1", (date(2025, 1, 1), date(2025, 3, 31))),
        ("TW2", (date(2025, 4, 1), date(2025, 6, 30))),
        ("TW3", (date(2025, 7, 1), date(2025, 9, 30))),
        ("TW4", (date(2025, 10, 1), date(2025, 12, 31))),
        ("TAHUN", (date(2025, 1, 1), date(2025, 12, 31))),
        ("tw2", (date(2025, 4, 1), date(2025, 6, 30))),
    ],
)
def test_period_range(label, expected):
    assert period_range(2025, label) == expected


@pytest.mark.parametrize("bad", ["S3", "TW5", "TW0", "", "Q1", "tahunan"])
def test_period_range_rejects(bad):
    with pytest.raises(ValueError, match="Periode tidak dikenal"):
        period_range(2025, bad)


@settings(max_examples=200)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_lies_in_its_periods(d):
    first, last = triwulan_range(d.year, triwulan_of(d))
    assert first <= d <= last
    first, last = period_range(d.year, f"S{semester_of(d)}")
    assert first <= d <= last
