from datetime import date

import pytest

from iku_workflow.domain.nip import NipError, NipParts, normalize_nip, parse_nip
from iku_workflow.formatting import format_nip

VALID = "198406242002121001"


@pytest.mark.parametrize(
    "typed",
    [
        VALID,
        "19840624 200212 1 001",
        "NIP. 19840624 200212 1 001",
        "nip 19840624.200212.1.001",
        "NIP: 198406242002121001",
        "  198406242002121001\t",
    ],
)
def test_normalize_accepts_usual_spellings(typed):
    assert normalize_nip(typed) == VALID


def test_format_nip_groups_digits():
    assert format_nip(VALID) == "19840624 200212 1 001"
    assert format_nip("NIP. 19840624.200212.1.001") == "19840624 200212 1 001"


def test_parse_nip():
    assert parse_nip(VALID) == NipParts(
        birth_date=date(1984, 6, 24), cpns_year=2002, cpns_month=12, sex="L", sequence=1
    )
    assert parse_nip("199001012015032005").sex == "P"
    assert parse_nip("199001012015032005").sequence == 5


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("19840624200212100", "NIP harus 18 angka."),  # 17 digits
        ("1984062420021210011", "NIP harus 18 angka."),  # 19 digits
        ("19840624200212100A", "NIP harus 18 angka."),
        ("1984O6242002121001", "NIP harus 18 angka."),
        ("198413242002121001", "8 angka pertama NIP harus tanggal lahir yang sah (YYYYMMDD)."),
        ("198402302002121001", "8 angka pertama NIP harus tanggal lahir yang sah (YYYYMMDD)."),
        ("193912312002121001", "8 angka pertama NIP harus tanggal lahir yang sah (YYYYMMDD)."),
        ("298406242002121001", "8 angka pertama NIP harus tanggal lahir yang sah (YYYYMMDD)."),
    ],
)
def test_invalid_nip_messages(bad, message):
    with pytest.raises(NipError) as info:
        normalize_nip(bad)
    assert str(info.value) == message


@pytest.mark.parametrize("bad", ["198406242002131001", "198406242002001001"])
def test_cpns_month_must_be_a_month(bad):
    with pytest.raises(NipError, match="bulan pengangkatan CPNS"):
        normalize_nip(bad)


@pytest.mark.parametrize("bad", ["198406242002123001", "198406242002120001"])
def test_sex_digit_must_be_1_or_2(bad):
    with pytest.raises(NipError, match="1 \\(laki-laki\\) atau 2 \\(perempuan\\)"):
        normalize_nip(bad)


@pytest.mark.parametrize("empty", [None, "", "   ", "NIP."])
def test_empty_nip(empty):
    with pytest.raises(NipError, match="wajib"):
        normalize_nip(empty)


def test_nip_error_is_a_value_error():
    assert issubclass(NipError, ValueError)
    with pytest.raises(ValueError):
        format_nip("123")
    with pytest.raises(ValueError):
        parse_nip("123")


def test_future_birth_year_rejected():
    year = date.today().year + 1
    with pytest.raises(NipError):
        normalize_nip(f"{year}01012002121001")
