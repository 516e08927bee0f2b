"""The numbers of the LKjIP's Bab III (RULES.md §9), computed from plain inputs (no database, no Flask).

The year's target, realisation and capaian of every indicator are not computed here: they are the
dashboard's (``indicators.summary.year_summary`` -> :func:`from_summary`). This module adds what the
dashboard does not show:

- the two previous years per indicator: the app's own figure when the app ran that year and has a
  realisation, else the figure entered with its source, else "tidak ada data";
- the Renstra end-of-period target and the progress towards it: the year's realisation against the end
  target with the indicator's own capaian formula (higher is better: realisasi ÷ target akhir × 100);
- per program: % serapan = realisasi anggaran ÷ pagu × 100, and
  efisiensi = capaian kinerja rata-rata ÷ % serapan, where the capaian kinerja rata-rata is the mean of the
  year's indicators' capaian (each as printed, 2 decimals) and both operands are the printed 2-decimal
  figures, so a reader recomputes the ratio from the page. A ratio of 1,00 or more: the office achieved
  at least as much performance as it spent budget ("efisien").

Every figure is rounded half up to 2 decimals once, from the exact value (``domain.numbers``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .capaian import LowerFormula, Polarity, capaian_rounded
from .numbers import round_half_up, to_fraction

#: the source printed for a previous year's figure that comes from the app's own data
APP_SOURCE = "Data aplikasi"
#: what a previous year without any figure prints
NO_DATA = "tidak ada data"
#: the formulas as the page and the document print them
SERAPAN_FORMULA = "% Serapan = Realisasi anggaran ÷ Pagu anggaran × 100"
EFISIENSI_FORMULA = ("Efisiensi = Capaian kinerja rata-rata ÷ % Serapan (nilai 1,00 atau lebih: efisien); "
                     "capaian kinerja rata-rata = rata-rata % capaian indikator tahun ini")
PROGRESS_FORMULA = ("Progres = Realisasi tahun ini ÷ Target akhir Renstra × 100 (indikator makin kecil makin baik: "
                    "rumus capaian indikator itu sendiri)")


@dataclass(frozen=True)
class IndicatorYear:
    """One indicator's figures of one year, as the dashboard shows them."""

    number: int
    sasaran: str
    name: str
    unit: str
    target: Decimal | None
    realisation: Decimal | None
    capaian: Decimal | None
    kriteria: str = ""
    polarity: Polarity = Polarity.HIGHER
    lower_formula: LowerFormula = LowerFormula.TWICE_TARGET


def from_summary(summary) -> IndicatorYear:
    """An ``indicators.summary.IkuSummary`` as an :class:`IndicatorYear` (same numbers, nothing recomputed)."""
    return IndicatorYear(
        number=summary.number, sasaran=summary.kinerja_utama or "", name=summary.name, unit=summary.unit,
        target=summary.target, realisation=summary.realisation, capaian=summary.capaian,
        kriteria=summary.band.label if summary.band is not None else "",
        polarity=summary.polarity, lower_formula=summary.lower_formula)


@dataclass(frozen=True)
class EnteredFigure:
    """A figure of a year not run in the app, typed from a document."""

    realisation: Decimal
    capaian: Decimal | None
    source: str


@dataclass(frozen=True)
class PastFigure:
    """A previous year's realisation and capaian of an indicator, and where it comes from."""

    year: int
    realisation: Decimal | None
    capaian: Decimal | None
    source: str  # APP_SOURCE, the entered source, or "" when there is no data

    @property
    def has_data(self) -> bool:
        return self.realisation is not None


@dataclass(frozen=True)
class Renstra:
    start_year: int
    end_year: int
    targets: dict[int, Decimal]  # IKU number -> end-of-period target

    @property
    def label(self) -> str:
        return f"{self.start_year}–{self.end_year}"


@dataclass(frozen=True)
class ProgramInput:
    code: str
    name: str
    pagu: Decimal
    realisasi: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class ProgramLine:
    code: str
    name: str
    pagu: Decimal
    realisasi: Decimal | None
    serapan: Decimal | None
    efisiensi: Decimal | None
    note: str = ""

    @property
    def efisien(self) -> bool | None:
        return None if self.efisiensi is None else self.efisiensi >= 1


@dataclass(frozen=True)
class IndicatorLine:
    current: IndicatorYear
    previous: tuple[PastFigure, PastFigure]  # year − 2, year − 1
    renstra_target: Decimal | None
    progress: Decimal | None  # % of the Renstra end target reached by the year's realisation


@dataclass(frozen=True)
class SasaranGroup:
    number: int
    sasaran: str
    lines: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class Bab3:
    year: int
    groups: tuple[SasaranGroup, ...]
    renstra: Renstra | None
    average_capaian: Decimal | None
    programs: tuple[ProgramLine, ...]
    total: ProgramLine | None  # the programs' sum (None without programs)

    @property
    def lines(self) -> list[IndicatorLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def previous_years(self) -> tuple[int, int]:
        return self.year - 2, self.year - 1


def past_figure(year: int, number: int, app_year: dict[int, IndicatorYear] | None,
                entered: dict[tuple[int, int], EnteredFigure]) -> PastFigure:
    """The app's figure of ``number`` in ``year`` when it has a realisation, else the entered one, else none."""
    own = (app_year or {}).get(number)
    if own is not None and own.realisation is not None:
        return PastFigure(year, own.realisation, own.capaian, APP_SOURCE)
    typed = entered.get((number, year))
    if typed is not None:
        return PastFigure(year, typed.realisation, typed.capaian, typed.source)
    return PastFigure(year, None, None, "")


def renstra_of(year: int, periods: list[Renstra]) -> Renstra | None:
    """The Renstra period that holds ``year`` (the latest start when several would)."""
    holding = [p for p in periods if p.start_year <= year <= p.end_year]
    return max(holding, key=lambda p: p.start_year) if holding else None


def percent(part, whole) -> Decimal | None:
    """``part`` ÷ ``whole`` × 100, 2 decimals half up; None when either is missing or ``whole`` is 0."""
    p, w = to_fraction(part), to_fraction(whole)
    if p is None or w is None or w == 0:
        return None
    return round_half_up(p * 100 / w, 2)


def ratio(numerator, denominator) -> Decimal | None:
    n, d = to_fraction(numerator), to_fraction(denominator)
    if n is None or d is None or d == 0:
        return None
    return round_half_up(n / d, 2)


def average(values) -> Decimal | None:
    """The mean of the values that exist, 2 decimals half up (None when none exists)."""
    present = [to_fraction(v) for v in values if v is not None]
    if not present:
        return None
    return round_half_up(sum(present, Fraction(0)) / len(present), 2)


def program_line(program: ProgramInput, average_capaian: Decimal | None) -> ProgramLine:
    serapan = percent(program.realisasi, program.pagu)
    return ProgramLine(program.code, program.name, Decimal(program.pagu), program.realisasi, serapan,
                       ratio(average_capaian, serapan), program.note)


def bab3(year: int, current: list[IndicatorYear], app_past: dict[int, dict[int, IndicatorYear]],
         entered: dict[tuple[int, int], EnteredFigure], renstra_periods: list[Renstra],
         programs: list[ProgramInput]) -> Bab3:
    """Bab III's numbers of ``year``.

    ``current``: the year's indicators (:func:`from_summary`), in IKU order. ``app_past``: for year − 1 and
    year − 2, the app's own figures by IKU number (absent when the app did not run that year). ``entered``:
    (IKU number, year) -> the figure typed with its source. ``renstra_periods``: the office's periods.
    """
    renstra = renstra_of(year, renstra_periods)
    lines = []
    for ind in current:
        previous = tuple(past_figure(y, ind.number, app_past.get(y), entered) for y in (year - 2, year - 1))
        end_target = renstra.targets.get(ind.number) if renstra else None
        progress = capaian_rounded(ind.realisation, end_target, ind.polarity, ind.lower_formula) \
            if end_target is not None else None
        lines.append(IndicatorLine(ind, previous, end_target, progress))
    groups: list[SasaranGroup] = []
    for line in lines:
        key = line.current.sasaran.strip()
        for i, group in enumerate(groups):
            if group.sasaran.strip() == key:
                groups[i] = SasaranGroup(group.number, group.sasaran, group.lines + (line,))
                break
        else:
            groups.append(SasaranGroup(len(groups) + 1, line.current.sasaran, (line,)))
    mean = average(line.current.capaian for line in lines)
    program_lines = tuple(program_line(p, mean) for p in programs)
    total = None
    if program_lines:
        pagu = sum((p.pagu for p in program_lines), Decimal(0))
        spent = None if any(p.realisasi is None for p in program_lines) \
            else sum((p.realisasi for p in program_lines), Decimal(0))
        total = program_line(ProgramInput("", "Jumlah", pagu, spent), mean)
    return Bab3(year, tuple(groups), renstra, mean, program_lines, total)
