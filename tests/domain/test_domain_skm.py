from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_workflow.domain.skm import (
    INTERVALS,
    JENIS_KELAMIN,
    PEKERJAAN,
    PENDIDIKAN,
    UNSUR,
    UNSUR_KEYS,
    Weighting,
    classify,
    compute_from_responses,
    compute_from_sums,
    min_sample,
    normalize_code,
    nrr,
    unsur_weight,
    weight_text,
    weighted_nrr,
)

# RULES.md §1 worked example: 5 respondents, answers u1..u9.
EXAMPLE = [
    (4, 3, 3, 4, 3, 4, 4, 3, 3),
    (3, 3, 2, 4, 3, 3, 4, 3, 2),
    (4, 4, 3, 4, 4, 4, 4, 4, 3),
    (3, 2, 3, 4, 3, 3, 3, 2, 3),
    (4, 3, 4, 4, 3, 4, 4, 3, 3),
]
EXAMPLE_NRR = ("3.60", "3.00", "3.00", "4.00", "3.20", "3.60", "3.80", "3.00", "2.80")


def sums_of(rows):
    return {key: sum(row[i] for row in rows) for i, key in enumerate(UNSUR_KEYS)}


# --- the unsur ----------------------------------------------------------------------------------


def test_unsur_table():
    assert UNSUR_KEYS == tuple(f"u{i}" for i in range(1, 10))
    assert [u.key for u in UNSUR] == list(UNSUR_KEYS)
    assert UNSUR[0].name == "Persyaratan"
    assert UNSUR[0].answers == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
    assert UNSUR[3].answers == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert UNSUR[7].name == "Sarana dan Prasarana"
    assert UNSUR[8].name == "Penanganan Pengaduan, Saran dan Masukan"
    assert UNSUR[8].answers[-1] == "Dikelola dengan baik"
    assert all(len(u.answers) == 4 for u in UNSUR)


# --- worked examples ----------------------------------------------------------------------------


def test_worked_example_exact_weight():
    result = compute_from_responses(EXAMPLE)
    assert result.respondents == 5
    assert [round(result.nrr[k], 2) for k in UNSUR_KEYS] == [Decimal(v) for v in EXAMPLE_NRR]
    assert result.ikm == Decimal("3.3333")
    assert result.konversi == Decimal("83.33")
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert result.priorities[0] == "u9"
    assert result.priorities == ("u9", "u2", "u3")  # 2.80, then the 3.00 ties in key order


def test_worked_example_rounded_weight():
    result = compute_from_responses(EXAMPLE, Weighting.ROUNDED)
    assert result.ikm == Decimal("3.3300")
    assert result.konversi == Decimal("83.25")
    assert (result.mutu, result.kinerja) == ("B", "Baik")


def test_all_answers_four():
    rows = [(4,) * 9] * 7
    exact = compute_from_responses(rows)
    assert exact.konversi == Decimal("100.00") and exact.ikm == Decimal("4.0000")
    assert exact.mutu == "A"
    rounded = compute_from_responses(rows, "0.111")
    assert rounded.konversi == Decimal("99.90") and rounded.mutu == "A"


def test_all_answers_one():
    result = compute_from_responses([(1,) * 9])
    assert result.konversi == Decimal("25.00")
    assert (result.mutu, result.kinerja) == ("D", "Tidak Baik")


@pytest.mark.parametrize(
    ("konversi", "expected"),
    [
        ("100.00", ("A", "Sangat Baik")),
        ("88.31", ("A", "Sangat Baik")),
        ("88.30", ("B", "Baik")),
        ("76.61", ("B", "Baik")),
        ("76.60", ("C", "Kurang Baik")),
        ("65.00", ("C", "Kurang Baik")),
        ("64.99", ("D", "Tidak Baik")),
        ("25.00", ("D", "Tidak Baik")),
        ("88.305", ("A", "Sangat Baik")),  # judged at 2 decimals: 88.31
    ],
)
def test_interval_boundaries(konversi, expected):
    assert classify(Decimal(konversi)) == expected


def test_intervals_table():
    assert [(row.mutu, row.kinerja) for row in INTERVALS] == [
        ("A", "Sangat Baik"),
        ("B", "Baik"),
        ("C", "Kurang Baik"),
        ("D", "Tidak Baik"),
    ]
    assert INTERVALS[0].konversi_min == Decimal("88.31") and INTERVALS[0].ikm_max == Decimal("4.00")
    assert INTERVALS[3].konversi_max == Decimal("64.99")


def test_exact_half_is_rounded_up_once():
    # 40 respondents, Σ of all answers 1 197: konversi = 25 · 1197 / 360 = 83.125 exactly.
    sums = dict(zip(UNSUR_KEYS, (133,) * 9))
    result = compute_from_sums(40, sums)
    assert result.ikm_raw == Decimal("3.325")
    assert result.konversi == Decimal("83.13")


def test_exact_tie_survives_non_terminating_nrr():
    # 24 respondents: NRR such as 70/24 repeat forever, yet Σ = 675 makes konversi
    # 25 · 675 / 216 = 78.125 exactly, a tie that must round up (exact arithmetic, no drift).
    uneven = dict(zip(UNSUR_KEYS, (70, 80, 71, 79, 75, 75, 74, 76, 75)))
    assert compute_from_sums(24, uneven).konversi == Decimal("78.13")


# --- compute_from_sums: the SQL path -------------------------------------------------------------


def test_sql_path_equals_python_path():
    assert compute_from_sums(5, sums_of(EXAMPLE)) == compute_from_responses(EXAMPLE)


def test_sql_sums_may_be_decimals_and_none():
    sums = {k: Decimal(v) for k, v in sums_of(EXAMPLE).items()}
    assert compute_from_sums(5, sums).konversi == Decimal("83.33")
    counts = dict.fromkeys(UNSUR_KEYS, 5) | {"u9": 0}
    result = compute_from_sums(5, sums | {"u9": None}, counts)
    assert result.nrr["u9"] is None
    assert "u9" not in result.priorities
    # mean of the eight answered NRR: (30.00 − 2.80) / 8 = 3.40 -> 85.00
    assert result.konversi == Decimal("85.00")


def test_counts_may_be_lower_than_respondents():
    counts = dict.fromkeys(UNSUR_KEYS, 5) | {"u9": 4}
    sums = sums_of(EXAMPLE) | {"u9": 11}  # one respondent skipped u9
    result = compute_from_sums(5, sums, counts)
    assert result.nrr["u9"] == Decimal("2.75")


def test_no_respondents_gives_none():
    assert compute_from_sums(0, dict.fromkeys(UNSUR_KEYS, 0)) is None
    assert compute_from_responses([]) is None
    assert compute_from_sums(3, dict.fromkeys(UNSUR_KEYS, 0), dict.fromkeys(UNSUR_KEYS, 0)) is None


@pytest.mark.parametrize(
    ("respondents", "sums", "counts"),
    [
        (5, {"u1": 10}, None),  # missing keys
        (5, sums_of(EXAMPLE) | {"u10": 3}, None),  # unknown key
        (5, sums_of(EXAMPLE) | {"u1": 4}, None),  # below 1 per answer
        (5, sums_of(EXAMPLE) | {"u1": 21}, None),  # above 4 per answer
        (5, sums_of(EXAMPLE), dict.fromkeys(UNSUR_KEYS, 6)),  # more answers than respondents
        (-1, sums_of(EXAMPLE), None),
        (5, sums_of(EXAMPLE) | {"u1": Decimal("18.5")}, None),
    ],
)
def test_compute_from_sums_rejects_impossible_data(respondents, sums, counts):
    with pytest.raises(ValueError):
        compute_from_sums(respondents, sums, counts)


@pytest.mark.parametrize(
    "rows",
    [
        [(4, 3, 3, 4, 3, 4, 4, 3)],
        [(4, 3, 3, 4, 3, 4, 4, 3, 5)],
        [(4, 3, 3, 4, 3, 4, 4, 3, 0)],
        [(4, 3, 3, 4, 3, 4, 4, 3, 3.0)],
        [(4, 3, 3, 4, 3, 4, 4, 3, "3")],
        [(4, 3, 3, 4, 3, 4, 4, 3, True)],
    ],
)
def test_compute_from_responses_validates_answers(rows):
    with pytest.raises(ValueError):
        compute_from_responses(rows)


def test_nrr():
    assert nrr(18, 5) == Decimal("3.6")
    assert nrr(0, 0) is None
    assert nrr(10, 3) == Decimal("3.333333333333333333333333333")
    with pytest.raises(ValueError):
        nrr(21, 5)


# --- sample size ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "n"),
    [
        (100, 80), (1000, 278), (10000, 370), (1000000, 384),
        (15, 14), (500, 217), (4000, 351),  # more rows of the published table: N - 2 or 3.84 miss them
        (10, 10), (50, 44), (1, 1), (None, None), (0, None),
    ],  # fmt: skip
)
def test_min_sample(population, n):
    assert min_sample(population) == n


def test_min_sample_rejects_negative():
    with pytest.raises(ValueError):
        min_sample(-5)


# --- respondent profile codes ----------------------------------------------------------------------


def test_code_lists():
    assert JENIS_KELAMIN == (("L", "Laki-laki"), ("P", "Perempuan"))
    assert [c for c, _ in PENDIDIKAN] == ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"]
    assert [c for c, _ in PEKERJAAN] == ["PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"]
    assert dict(PEKERJAAN)["SWASTA"] == "Swasta"


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("pendidikan", "d4/s1", "D4/S1"),
        ("pendidikan", "S1", "D4/S1"),
        ("pendidikan", "D1–D3", "D1-D3"),
        ("pendidikan", "d3", "D1-D3"),
        ("pendidikan", " sma ", "SMA"),
        ("jenis_kelamin", "Laki-laki", "L"),
        ("jenis_kelamin", "l", "L"),
        ("jenis_kelamin", "PEREMPUAN", "P"),
        ("pekerjaan", "swasta", "SWASTA"),
        ("pekerjaan", "Wirausaha", "WIRAUSAHA"),
        ("pekerjaan", "polri", "POLRI"),
    ],
)
def test_normalize_code(kind, value, code):
    assert normalize_code(kind, value) == code


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("pendidikan", "S4"),
        ("jenis_kelamin", "X"),
        ("pekerjaan", ""),
        ("agama", "Islam"),
        ("pendidikan", None),
    ],
)
def test_normalize_code_rejects_unknown(kind, value):
    with pytest.raises(ValueError):
        normalize_code(kind, value)


# --- properties --------------------------------------------------------------------------------------

answers = st.lists(st.tuples(*[st.integers(min_value=1, max_value=4)] * 9), min_size=1, max_size=40)


@settings(max_examples=200)
@given(answers, st.sampled_from(list(Weighting)))
def test_konversi_within_25_and_100(rows, weighting):
    result = compute_from_responses(rows, weighting)
    assert Decimal(25) * Decimal("0.999") <= result.konversi <= Decimal(100)
    if weighting is Weighting.EXACT:
        assert Decimal(25) <= result.konversi
    assert classify(result.konversi) == (result.mutu, result.kinerja)
    assert len(result.priorities) == 3


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=500))
def test_all_four_gives_hundred(respondents):
    assert compute_from_responses([(4,) * 9] * respondents).konversi == Decimal("100.00")


@settings(max_examples=200)
@given(answers, st.sampled_from(list(Weighting)))
def test_responses_path_equals_sums_path(rows, weighting):
    from_sums = compute_from_sums(len(rows), sums_of(rows), weighting=weighting)
    assert compute_from_responses(rows, weighting) == from_sums


@settings(max_examples=200)
@given(answers)
def test_priorities_are_the_weakest(rows):
    result = compute_from_responses(rows)
    weakest = max(result.nrr[k] for k in result.priorities)
    others = [result.nrr[k] for k in UNSUR_KEYS if k not in result.priorities]
    assert all(weakest <= v for v in others)
    assert [result.nrr[k] for k in result.priorities] == sorted(result.nrr[k] for k in result.priorities)


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=10**7), st.integers(min_value=1, max_value=10**7))
def test_min_sample_monotone_and_bounded(a, b):
    low, high = sorted((a, b))
    assert min_sample(low) <= min_sample(high) <= 384
    assert min_sample(low) <= low


def test_weighted_nrr_of_the_worked_example_adds_up_to_the_ikm():
    result = compute_from_responses(EXAMPLE)
    exact = weighted_nrr(result.nrr)
    assert exact["u1"] == Decimal("0.4") and exact["u9"].quantize(Decimal("0.0001")) == Decimal("0.3111")
    assert sum(exact.values()).quantize(Decimal("0.0001")) == result.ikm == Decimal("3.3333")
    printed = weighted_nrr(result.nrr, Weighting.ROUNDED)
    assert printed["u1"] == Decimal("0.3996") and sum(printed.values()) == Decimal("3.33")
    assert compute_from_responses(EXAMPLE, Weighting.ROUNDED).ikm == Decimal("3.3300")
    assert (weight_text(Weighting.EXACT), weight_text("0.111")) == ("1/9", "0,111")


def test_weighted_nrr_leaves_out_an_unsur_nobody_answered():
    nrrs = dict.fromkeys(UNSUR_KEYS, Decimal(3))
    nrrs["u9"] = None
    weighted = weighted_nrr(nrrs)
    assert weighted["u9"] is None and weighted["u1"] == Decimal("0.375")  # 3 x 1/8
    assert sum(v for v in weighted.values() if v is not None) == Decimal(3)
    assert unsur_weight("0.111", 8) == Decimal("0.125") and weight_text("exact", 8) == "1/8"
    assert weighted_nrr(dict.fromkeys(UNSUR_KEYS)) == dict.fromkeys(UNSUR_KEYS)


# --- the answer scale and the profile aliases, written out ----------------------------------------


@pytest.mark.parametrize("bad", [0, 5, -1, 10])
def test_an_answer_outside_1_to_4_is_refused_by_the_domain(bad):
    for position in range(9):
        row = [3] * 9
        row[position] = bad
        with pytest.raises(ValueError, match="jawaban harus 1 sampai 4"):
            compute_from_responses([row])


def test_the_scale_ends_are_answers():
    assert compute_from_responses([(1,) * 9, (4,) * 9]).respondents == 2
    assert nrr(4, 1) == Decimal(4) and nrr(1, 1) == Decimal(1)
    with pytest.raises(ValueError):
        nrr(5, 1)  # one answer of 5
    with pytest.raises(ValueError):
        nrr(0, 1)  # one answer of 0
    with pytest.raises(ValueError):
        compute_from_sums(1, dict.fromkeys(UNSUR_KEYS, 5))


# Every alias of an imported spreadsheet and the code it stands for (a wrong or dropped alias fails).
ALIASES = {
    "jenis_kelamin": {"laki laki": "L", "lakilaki": "L", "pria": "L", "wanita": "P"},
    "pendidikan": {"s1": "D4/S1", "d4": "D4/S1", "d1": "D1-D3", "d2": "D1-D3", "d3": "D1-D3",
                   "sltp": "SMP", "slta": "SMA", "smk": "SMA", "sma/smk": "SMA"},
    "pekerjaan": {"wiraswasta": "WIRAUSAHA", "polisi": "POLRI", "lain-lain": "LAINNYA"},
}


@pytest.mark.parametrize(("kind", "alias", "code"),
                         [(k, a, c) for k, table in ALIASES.items() for a, c in table.items()])
def test_every_profile_alias(kind, alias, code):
    assert normalize_code(kind, alias) == code
    assert normalize_code(kind, alias.upper()) == code


@pytest.mark.parametrize(("kind", "choices"), [("jenis_kelamin", JENIS_KELAMIN), ("pendidikan", PENDIDIKAN),
                                               ("pekerjaan", PEKERJAAN)])
def test_every_profile_code_and_label_reads_as_itself(kind, choices):
    for code, label in choices:
        assert normalize_code(kind, code) == code
        assert normalize_code(kind, label.lower()) == code


def test_one_answered_unsur_weighs_everything():
    assert unsur_weight("exact", 1) == 1 and unsur_weight("0.111", 1) == 1
    with pytest.raises(ValueError):
        unsur_weight("exact", 0)


def test_a_refused_answer_names_its_respondent():
    with pytest.raises(ValueError, match="Responden ke-2, u3:"):
        compute_from_responses([(3,) * 9, (3, 3, 7, 3, 3, 3, 3, 3, 3)])
    with pytest.raises(ValueError, match="Responden ke-1:"):
        compute_from_responses([(3,) * 8])


@pytest.mark.parametrize("written", ["D1–D3", "D1—D3", "D1‐D3", "D1 - D3"])
def test_every_dash_of_a_spreadsheet_reads(written):
    assert normalize_code("pendidikan", written) == "D1-D3"
    assert normalize_code("pendidikan", "D4 / S1") == "D4/S1"
