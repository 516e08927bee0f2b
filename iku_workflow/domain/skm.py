"""Survei Kepuasan Masyarakat: the nine unsur, NRR, IKM and its mutu (PermenPANRB 14/2017).

RULES.md §1. One arithmetic path, `compute_from_sums`: the Python path (`compute_from_responses`)
and the database path (SUM/COUNT per unsur) both call it, so their numbers are identical. The
arithmetic is exact (fractions); each reported figure is rounded half up once, from the exact value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from ..formatting import format_decimal
from .numbers import fraction_to_decimal, round_half_up, to_fraction

# The questionnaire itself (unsur, answer scale, profile codes) and the checks of one response.
from .skm_response import (
    ANSWERS,
    JENIS_KELAMIN,
    PEKERJAAN,
    PENDIDIKAN,
    SCORE_HIGH,
    SCORE_LOW,
    UNSUR,
    UNSUR_KEYS,
    FieldError,
    Unsur,
    normalize_code,
)

__all__ = [
    "INTERVALS",
    "JENIS_KELAMIN",
    "PEKERJAAN",
    "PENDIDIKAN",
    "UNSUR",
    "UNSUR_KEYS",
    "IkmInterval",
    "IkmResult",
    "Unsur",
    "Weighting",
    "classify",
    "compute_from_responses",
    "compute_from_sums",
    "min_sample",
    "normalize_code",
    "nrr",
    "unsur_weight",
    "weight_text",
    "weighted_nrr",
]


class Weighting(str, enum.Enum):
    """The weight of each unsur: exact 1/9 (default) or the regulation's printed 0.111."""

    EXACT = "exact"
    ROUNDED = "0.111"


class IkmInterval(NamedTuple):
    """A row of the regulation's interval table (values as printed there)."""

    konversi_min: Decimal
    konversi_max: Decimal
    ikm_min: Decimal
    ikm_max: Decimal
    mutu: str
    kinerja: str


#: PermenPANRB 14/2017 interval table, best first (for display; `classify` applies it).
INTERVALS: tuple[IkmInterval, ...] = tuple(
    IkmInterval(Decimal(a), Decimal(b), Decimal(c), Decimal(d), mutu, kinerja)
    for a, b, c, d, mutu, kinerja in (
        ("88.31", "100.00", "3.5324", "4.00", "A", "Sangat Baik"),
        ("76.61", "88.30", "3.0644", "3.532", "B", "Baik"),
        ("65.00", "76.60", "2.60", "3.064", "C", "Kurang Baik"),
        ("25.00", "64.99", "1.00", "2.5996", "D", "Tidak Baik"),
    )
)


@dataclass(frozen=True)
class IkmResult:
    """The index of one survey period. ``nrr`` is unrounded; ``ikm`` is for display."""

    respondents: int
    nrr: dict[str, Decimal | None]
    ikm: Decimal  # 4 decimals, half up
    ikm_raw: Decimal  # unrounded (28 significant digits)
    konversi: Decimal  # ikm × 25, 2 decimals half up: what is reported and classified
    mutu: str
    kinerja: str
    priorities: tuple[str, ...]  # the three weakest unsur keys, weakest first


def _count(value, what: str) -> int:
    """A whole, non-negative number from int or an integral Decimal/float/str (SQL SUM gives these)."""
    exact = Fraction(0) if value is None else to_fraction(value)
    if exact.denominator != 1 or exact < 0:
        raise ValueError(f"{what} harus bilangan bulat tidak negatif, bukan {value!r}.")
    return int(exact)


def nrr(sum_: int, count: int) -> Decimal | None:
    """Nilai rata-rata of one unsur: sum of its answers ÷ number of answers (unrounded).

    ``None`` when there are no answers. Raises ``ValueError`` when the sum cannot come from that
    many answers (each scored ``SCORE_LOW`` to ``SCORE_HIGH``).
    """
    exact = _nrr_exact(sum_, count, "nrr")
    return None if exact is None else fraction_to_decimal(exact)


def _nrr_exact(sum_, count, key: str) -> Fraction | None:
    total = _count(sum_, f"Jumlah nilai {key}")
    n = _count(count, f"Jumlah jawaban {key}")
    if not SCORE_LOW * n <= total <= SCORE_HIGH * n:
        raise ValueError(f"Jumlah nilai {key} ({total}) tidak mungkin dari {n} jawaban "
                         f"bernilai {SCORE_LOW}-{SCORE_HIGH}.")
    return None if n == 0 else Fraction(total, n)


def classify(konversi) -> tuple[str, str]:
    """Mutu and kinerja of a converted IKM: ≥ 88.31 A Sangat Baik; ≥ 76.61 B Baik;
    ≥ 65.00 C Kurang Baik; otherwise D Tidak Baik (PermenPANRB 14/2017).

    The value is judged at 2 decimals (rounded half up), as the regulation's table is written.
    """
    value = round_half_up(konversi, 2)
    for row in INTERVALS[:-1]:
        if value >= row.konversi_min:
            return row.mutu, row.kinerja
    return INTERVALS[-1].mutu, INTERVALS[-1].kinerja


def _weight(weighting: Weighting, unsur_with_data: int) -> Fraction:
    # The regulation: weight = 1 ÷ number of unsur; it prints 1/9 rounded as 0.111. With an unsur
    # nobody answered, the same rule over the unsur that have answers (1/8, or 0.125 rounded).
    exact = Fraction(1, unsur_with_data)
    if weighting is Weighting.EXACT:
        return exact
    return to_fraction(round_half_up(exact, 3))


def unsur_weight(weighting: Weighting | str, unsur_with_data: int) -> Fraction:
    """The weight of each answered unsur: 1/k exact, or 1/k rounded to 3 decimals (0.111 for nine)."""
    if unsur_with_data < 1:
        raise ValueError("Bobot unsur memerlukan minimal satu unsur yang dijawab.")
    return _weight(Weighting(weighting), unsur_with_data)


def weight_text(weighting: Weighting | str, unsur_with_data: int = len(UNSUR_KEYS)) -> str:
    """The weight as a report prints it: "1/9" (exact) or "0,111" (the regulation's printed figure)."""
    weight = unsur_weight(weighting, unsur_with_data)
    if Weighting(weighting) is Weighting.EXACT:
        return f"{weight.numerator}/{weight.denominator}"
    return format_decimal(weight, "id", 3)


def weighted_nrr(nrr_by_key: Mapping[str, Decimal | None],
                 weighting: Weighting | str = Weighting.EXACT) -> dict[str, Decimal | None]:
    """NRR × weight of every unsur ("NRR tertimbang", PermenPANRB 14/2017), unrounded.

    Their sum is the IKM of `compute_from_sums`: with the exact weight Σ NRR ÷ k, with 0.111
    Σ NRR × 0.111. An unsur nobody answered has no weighted NRR (None) and the others share the weight
    over the k unsur answered, as in `compute_from_sums`.
    """
    answered = [k for k in UNSUR_KEYS if nrr_by_key.get(k) is not None]
    if not answered:
        return dict.fromkeys(UNSUR_KEYS)
    weight = unsur_weight(weighting, len(answered))
    return {k: None if nrr_by_key.get(k) is None else fraction_to_decimal(to_fraction(nrr_by_key[k]) * weight)
            for k in UNSUR_KEYS}


def compute_from_sums(
    respondents: int,
    sums: Mapping[str, int],
    counts: Mapping[str, int] | None = None,
    weighting: Weighting | str = Weighting.EXACT,
) -> IkmResult | None:
    """The IKM of a period from the sum and count of answers per unsur (RULES.md §1).

    ``sums`` must give every key of `UNSUR_KEYS` (a SQL ``SUM`` of ``None`` counts as 0);
    ``counts`` defaults to ``respondents`` for every unsur. NRR = sum ÷ count; IKM = Σ NRR × w with
    w = 1/9 (``Weighting.EXACT``, computed as Σ NRR ÷ 9) or 0.111 (``Weighting.ROUNDED``);
    konversi = IKM × 25 rounded half up to 2 decimals; mutu and kinerja from `classify`.

    An unsur with no answers has NRR ``None`` and is left out (weights become 1/k over the k unsur
    answered). Returns ``None`` when there are no respondents or no answers at all. Raises
    ``ValueError`` for unknown or missing keys, negative or fractional numbers, a count above the
    respondents, or a sum impossible for answers of the score scale.
    """
    weighting = Weighting(weighting)
    n_respondents = _count(respondents, "Jumlah responden")
    if n_respondents == 0:
        return None
    if counts is None:
        counts = dict.fromkeys(UNSUR_KEYS, n_respondents)
    for name, mapping in (("sums", sums), ("counts", counts)):
        if set(mapping) != set(UNSUR_KEYS):
            raise ValueError(f"{name} harus berisi tepat unsur {', '.join(UNSUR_KEYS)}.")

    exact_nrr: dict[str, Fraction | None] = {}
    for key in UNSUR_KEYS:
        if _count(counts[key], f"Jumlah jawaban {key}") > n_respondents:
            raise ValueError(f"Jumlah jawaban {key} melebihi jumlah responden.")
        exact_nrr[key] = _nrr_exact(sums[key], counts[key], key)

    answered = [(UNSUR_KEYS.index(k), v, k) for k, v in exact_nrr.items() if v is not None]
    if not answered:
        return None
    total = sum((v for _, v, _ in answered), Fraction(0))
    if weighting is Weighting.EXACT:
        ikm_exact = total / len(answered)  # Σ NRR ÷ 9: exact, no rounded weight
    else:
        ikm_exact = total * _weight(weighting, len(answered))
    konversi = round_half_up(ikm_exact * 25, 2)
    mutu, kinerja = classify(konversi)
    weakest = sorted(answered, key=lambda item: (item[1], item[0]))[:3]
    return IkmResult(
        respondents=n_respondents,
        nrr={k: None if v is None else fraction_to_decimal(v) for k, v in exact_nrr.items()},
        ikm=round_half_up(ikm_exact, 4),
        ikm_raw=fraction_to_decimal(ikm_exact),
        konversi=konversi,
        mutu=mutu,
        kinerja=kinerja,
        priorities=tuple(k for _, _, k in weakest),
    )


def compute_from_responses(
    rows: Iterable[Sequence[int]], weighting: Weighting | str = Weighting.EXACT
) -> IkmResult | None:
    """The IKM from questionnaire rows, each the nine answers u1..u9 as whole-number scores.

    Sums per unsur and calls `compute_from_sums`. ``None`` for no rows. Raises ``ValueError`` for
    a row without exactly nine answers or an answer that is not an int of the score scale
    (`skm_response.ANSWERS`).
    """
    sums = dict.fromkeys(UNSUR_KEYS, 0)
    respondents = 0
    for number, row in enumerate(rows, start=1):
        answers = tuple(row)
        if len(answers) != len(UNSUR_KEYS):
            raise ValueError(f"Responden ke-{number}: harus ada {len(UNSUR_KEYS)} jawaban.")
        for spec, answer in zip(ANSWERS, answers):
            try:
                sums[spec.name] += spec.check(answer)
            except FieldError:
                raise ValueError(f"Responden ke-{number}, {spec.name}: jawaban harus {spec.low} sampai "
                                 f"{spec.high}, bukan {answer!r}.") from None
        respondents += 1
    return compute_from_sums(respondents, sums, weighting=weighting)


def min_sample(population: int | None) -> int | None:
    """Minimum respondents for ``population`` people served (Krejcie & Morgan, 95 % confidence).

    n = 3.841·N·0.25 ÷ (0.0025·(N − 1) + 3.841·0.25), rounded to the nearest whole number (half
    up), which reproduces the published table: 100 -> 80, 1 000 -> 278, 1 000 000 -> 384.
    ``None`` for ``None`` or 0; ``ValueError`` for a negative or fractional population.
    """
    if population is None:
        return None
    n = _count(population, "Jumlah populasi")
    if n == 0:
        return None
    chi2, p, d2 = Fraction("3.841"), Fraction("0.25"), Fraction("0.0025")
    exact = chi2 * n * p / (d2 * (n - 1) + chi2 * p)
    return int(round_half_up(exact, 0))
