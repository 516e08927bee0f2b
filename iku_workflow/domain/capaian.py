"""Achievement (capaian kinerja) of an indicator against its target (RULES.md §3).

All arithmetic is exact (fractions) and converted to Decimal at the end, so the 2-decimal figure a
report shows is the exact value rounded half up once.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .numbers import fraction_to_decimal, round_half_up, to_fraction

__all__ = [
    "DEFAULT_SCALE",
    "Band",
    "LowerFormula",
    "Polarity",
    "YearRule",
    "capaian",
    "capaian_rounded",
    "criteria",
    "pooled_ratio",
    "ratio_percent",
    "ratio_percent_rounded",
    "TargetProblem",
    "target_problem",
    "target_up_to",
    "up_to",
    "year_target_of",
    "year_value",
]

_HUNDRED = Fraction(100)
_TRIWULAN = (1, 2, 3, 4)


class Polarity(str, enum.Enum):
    """Whether a larger realisation is better (most indicators) or worse (waiting days)."""

    HIGHER = "higher"
    LOWER = "lower"


class LowerFormula(str, enum.Enum):
    """How a lower-is-better indicator's capaian is computed (a per-indicator setting)."""

    TWICE_TARGET = "2t_minus_r"  # (2·target − realisation) ÷ target × 100, never below 0
    RATIO = "t_over_r"  # target ÷ realisation × 100


class YearRule(str, enum.Enum):
    """How triwulan values make a year (or "s.d. TW") value."""

    CUMULATIVE = "cumulative"  # counts: sum of the triwulan
    LAST = "last"  # percentages and indices (IKM): the latest triwulan with data
    AVERAGE = "average"  # mean of the triwulan with data


def _capaian_exact(realisation, target, polarity, lower_formula) -> Fraction | None:
    r = to_fraction(realisation)
    t = to_fraction(target)
    if r is None or t is None:
        return None
    polarity = Polarity(polarity)
    lower_formula = LowerFormula(lower_formula)
    if t < 0:
        raise ValueError("Target tidak boleh negatif.")
    if polarity is Polarity.HIGHER:
        # Realisasi ÷ target × 100 [sure]. Target 0: "target belum ditetapkan" -> no capaian.
        return None if t == 0 else r * _HUNDRED / t
    if r < 0:
        raise ValueError("Realisasi indikator yang makin kecil makin baik tidak boleh negatif.")
    if t == 0:
        # [our choice, RULES.md §3] nothing was allowed: meeting it is 100 %, anything else 0 %.
        return _HUNDRED if r == 0 else Fraction(0)
    if lower_formula is LowerFormula.TWICE_TARGET:
        # (2t − r) ÷ t × 100, floored at 0 (PermenPANRB performance-management practice).
        return max(Fraction(0), (2 * t - r) * _HUNDRED / t)
    # t ÷ r × 100 is undefined ("tidak terdefinisi") for r = 0: no capaian rather than a guess.
    return None if r == 0 else t * _HUNDRED / r


def capaian(
    realisation,
    target,
    polarity: Polarity | str = Polarity.HIGHER,
    lower_formula: LowerFormula | str = LowerFormula.TWICE_TARGET,
) -> Decimal | None:
    """Capaian in percent, unrounded (28 significant digits) and uncapped (120 stays 120).

    Higher is better: realisation ÷ target × 100. Lower is better: (2·target − realisation) ÷
    target × 100, never below 0, or with ``LowerFormula.RATIO`` target ÷ realisation × 100.

    Returns ``None`` (no capaian) when the realisation or the target is missing, when a
    higher-is-better target is 0 ("target belum ditetapkan"), and for ``RATIO`` with realisation
    0, where target ÷ 0 is undefined ("tidak terdefinisi"). A lower-is-better target of 0 gives
    100 when the realisation is 0 and 0 otherwise. Raises ``ValueError`` for a negative target,
    for a negative realisation of a lower-is-better indicator, and for non-numbers.
    """
    exact = _capaian_exact(realisation, target, polarity, lower_formula)
    return None if exact is None else fraction_to_decimal(exact)


def capaian_rounded(
    realisation,
    target,
    polarity: Polarity | str = Polarity.HIGHER,
    lower_formula: LowerFormula | str = LowerFormula.TWICE_TARGET,
) -> Decimal | None:
    """`capaian` rounded half up to 2 decimals from the exact value (the figure reports show)."""
    exact = _capaian_exact(realisation, target, polarity, lower_formula)
    return None if exact is None else round_half_up(exact, 2)


@dataclass(frozen=True)
class Band:
    """One criterion of a capaian scale: values ≥ ``minimum`` (``None``: everything below)."""

    code: str
    label: str
    minimum: Decimal | None


#: Permendagri 86/2017 criteria [likely]; over 100 is Sangat Tinggi. Highest band first.
DEFAULT_SCALE: tuple[Band, ...] = (
    Band("sangat_tinggi", "Sangat Tinggi", Decimal("91")),
    Band("tinggi", "Tinggi", Decimal("76")),
    Band("sedang", "Sedang", Decimal("66")),
    Band("rendah", "Rendah", Decimal("51")),
    Band("sangat_rendah", "Sangat Rendah", None),
)


def criteria(capaian_value, scale: tuple[Band, ...] = DEFAULT_SCALE) -> Band | None:
    """The band of a capaian, judged on its 2-decimal rounded value (what the reader sees).

    ``None`` gives ``None``. The scale may be listed in any order; the band with the highest
    minimum not above the value wins, and a band with ``minimum=None`` catches the rest. Raises
    ``ValueError`` when no band fits (a scale without a catch-all).
    """
    if capaian_value is None:
        return None
    value = round_half_up(capaian_value, 2)
    bounded = sorted((b for b in scale if b.minimum is not None), key=lambda b: b.minimum, reverse=True)
    for band in bounded:
        if value >= band.minimum:
            return band
    for band in scale:
        if band.minimum is None:
            return band
    raise ValueError(f"Skala kriteria tidak mencakup nilai {value}.")


def _ratio_exact(numerator, denominator) -> Fraction | None:
    num = to_fraction(numerator)
    den = to_fraction(denominator)
    if num is None or den is None:
        raise ValueError("Pembilang dan penyebut wajib diisi.")
    if num < 0 or den < 0:
        raise ValueError("Pembilang dan penyebut tidak boleh negatif.")
    return None if den == 0 else num * _HUNDRED / den


def ratio_percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100, unrounded; ``None`` when the denominator is 0 (no data).

    For ratio indicators (IKU 3, 4, 6): e.g. complaints resolved over complaints received.
    Raises ``ValueError`` for negative counts.
    """
    exact = _ratio_exact(numerator, denominator)
    return None if exact is None else fraction_to_decimal(exact)


def ratio_percent_rounded(numerator: int, denominator: int) -> Decimal | None:
    """`ratio_percent` rounded half up to 2 decimals (2 of 3 -> 66.67)."""
    exact = _ratio_exact(numerator, denominator)
    return None if exact is None else round_half_up(exact, 2)


def _check_triwulan_keys(values: Mapping[int, object], up_to_tw: int) -> None:
    if isinstance(up_to_tw, bool) or up_to_tw not in _TRIWULAN:
        raise ValueError(f"Triwulan harus 1 sampai 4, bukan {up_to_tw!r}.")
    for key in values:
        if isinstance(key, bool) or key not in _TRIWULAN:
            raise ValueError(f"Triwulan harus 1 sampai 4, bukan {key!r}.")


def _present(values: Mapping[int, object], up_to_tw: int = 4) -> list[tuple[int, Fraction]]:
    """(triwulan, exact value) for the triwulan 1..up_to_tw that have a value, in order."""
    _check_triwulan_keys(values, up_to_tw)
    found = []
    for tw in sorted(values):
        value = to_fraction(values[tw])
        if tw <= up_to_tw and value is not None:
            found.append((tw, value))
    return found


def _combine(found: list[tuple[int, Fraction]], rule: YearRule | str) -> Decimal | None:
    rule = YearRule(rule)
    if not found:
        return None
    if rule is YearRule.CUMULATIVE:
        return fraction_to_decimal(sum((v for _, v in found), Fraction(0)))
    if rule is YearRule.LAST:
        return fraction_to_decimal(found[-1][1])
    return fraction_to_decimal(sum((v for _, v in found), Fraction(0)) / len(found))


def year_value(values: Mapping[int, object], rule: YearRule | str) -> Decimal | None:
    """The year's value from triwulan values ``{1: .., 4: ..}``; missing or ``None`` are skipped.

    Cumulative: the sum; last: the latest triwulan with a value; average: the mean of those
    present (unrounded). ``None`` when no triwulan has a value. Keys other than 1-4 raise
    ``ValueError``.
    """
    return _combine(_present(values), rule)


def up_to(values: Mapping[int, object], tw: int, rule: YearRule | str) -> Decimal | None:
    """The "s.d. TW ``tw``" value: like `year_value`, using only triwulan 1..``tw``."""
    return _combine(_present(values, tw), rule)


def pooled_ratio(counts: Mapping[int, tuple[int, int] | None], up_to_tw: int = 4) -> Decimal | None:
    """A ratio indicator's value up to a triwulan, from the pooled counts (unrounded percent).

    ``counts`` maps triwulan to (numerator, denominator); a missing or ``None`` triwulan has no
    data. The numerators and denominators of triwulan 1..``up_to_tw`` are summed and divided once
    — never the mean of the triwulan percentages [likely, RULES.md §3]: 40/42 and 46/48 give
    86/90 = 95.56 (not 95.54). ``None`` when the pooled denominator is 0.
    """
    _check_triwulan_keys(counts, up_to_tw)
    numerator = denominator = Fraction(0)
    for tw, pair in counts.items():
        if tw <= up_to_tw and pair is not None:
            num, den = (to_fraction(x) for x in pair)
            if num is None or den is None or num < 0 or den < 0:
                raise ValueError(f"Data TW {tw} harus dua bilangan tidak negatif.")
            numerator += num
            denominator += den
    return ratio_percent(numerator, denominator)


@dataclass(frozen=True)
class TargetProblem:
    """Why a set of triwulan targets does not fit the year's target under the year rule.

    ``code``: ``"sum_exceeds"`` (cumulative: the triwulan targets add up to more than the year's),
    ``"sum_differs"`` (cumulative, TW IV set: they do not add up to the year's), ``"last_differs"``
    (last value: TW IV's target is not the year's), ``"mean_differs"`` (average, TW IV set: their mean
    is not the year's). ``combined`` is what the triwulan targets give, ``year`` the year's target.
    """

    code: str
    combined: Decimal
    year: Decimal


def target_problem(year_target, tw_targets: Mapping[int, object] | None, rule: YearRule | str) -> TargetProblem | None:
    """Check triwulan targets against the year's target (RULES.md §3 and §8); ``None`` when they fit.

    The year's target decides the year, so "s.d. TW IV" must be the year's target. The triwulan targets
    are read by the year rule: cumulative — the amount of each triwulan, adding up to the year's
    (at most the year's while TW IV has no target); last value — the target up to that triwulan, TW IV's
    being the year's; average — their mean is the year's once TW IV has a target. Without a year's
    target, or without triwulan targets, there is nothing to contradict.
    """
    rule = YearRule(rule)
    year = to_fraction(year_target)
    found = _present(tw_targets or {})
    if year is None or not found:
        return None
    values = [v for _, v in found]
    has_tw4 = found[-1][0] == 4
    if rule is YearRule.CUMULATIVE:
        total = sum(values, Fraction(0))
        if total > year:
            return TargetProblem("sum_exceeds", fraction_to_decimal(total), fraction_to_decimal(year))
        if has_tw4 and total != year:
            return TargetProblem("sum_differs", fraction_to_decimal(total), fraction_to_decimal(year))
        return None
    if not has_tw4:
        return None
    if rule is YearRule.LAST:
        combined, code = values[-1], "last_differs"
    else:
        combined, code = sum(values, Fraction(0)) / len(values), "mean_differs"
    return None if combined == year else TargetProblem(code, fraction_to_decimal(combined), fraction_to_decimal(year))


def year_target_of(year_target, tw_targets: Mapping[int, object] | None, rule: YearRule | str) -> Decimal | None:
    """The year's target: the one set for the year, else what the triwulan targets give by the rule."""
    year = to_fraction(year_target)
    if year is not None:
        return fraction_to_decimal(year)
    return year_value(tw_targets or {}, rule)


def target_up_to(
    year_target, tw_targets: Mapping[int, object] | None, tw: int, rule: YearRule | str
) -> Decimal | None:
    """The target an "s.d. TW ``tw``" realisation is compared with (RULES.md §3).

    "s.d. TW IV" is the year's target (`year_target_of`), so the year and s.d. TW IV never disagree.
    Before TW IV, the triwulan targets of 1..``tw`` combined by the rule: cumulative — their sum; last
    value — the latest; average — their mean. When none of them is set, or when the triwulan targets
    contradict the year's target (`target_problem`: e.g. 50/60/70/80 typed as "s.d." figures under a
    cumulative rule with a year's target of 80), the year's target is used.
    """
    _check_triwulan_keys(tw_targets or {}, tw)
    year = year_target_of(year_target, tw_targets, rule)
    if tw == 4 or target_problem(year_target, tw_targets, rule) is not None:
        return year
    combined = up_to(tw_targets or {}, tw, rule)
    return year if combined is None else combined
