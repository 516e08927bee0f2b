"""SAKIP evaluation: components and the predikat of a score (PermenPANRB 88/2021, RULES.md §2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .numbers import round_half_up

__all__ = ["COMPONENTS", "MEASURE", "PREDIKAT_TABLE", "Component", "Predikat", "predikat", "predikat_label"]

#: The measure kind (``measures``) whose realisation is the SAKIP score: IKU 5, "Nilai SAKIP OPD".
MEASURE = "score:sakip"


class Component(NamedTuple):
    """One evaluated component and its weight (points out of 100)."""

    code: str
    name: str
    weight: int


#: PermenPANRB 88/2021: the four components and their weights (total 100).
COMPONENTS: tuple[Component, ...] = (
    Component("perencanaan", "Perencanaan Kinerja", 30),
    Component("pengukuran", "Pengukuran Kinerja", 30),
    Component("pelaporan", "Pelaporan Kinerja", 15),
    Component("evaluasi", "Evaluasi Akuntabilitas Kinerja Internal", 25),
)


@dataclass(frozen=True)
class Predikat:
    """A SAKIP predikat: its code ("AA") and what it means ("Sangat Memuaskan")."""

    code: str
    meaning: str


#: (exclusive lower bound, predikat), highest first; a score of 0-30 inclusive is D.
PREDIKAT_TABLE: tuple[tuple[Decimal, Predikat], ...] = (
    (Decimal("90"), Predikat("AA", "Sangat Memuaskan")),
    (Decimal("80"), Predikat("A", "Memuaskan")),
    (Decimal("70"), Predikat("BB", "Sangat Baik")),
    (Decimal("60"), Predikat("B", "Baik")),
    (Decimal("50"), Predikat("CC", "Cukup")),
    (Decimal("30"), Predikat("C", "Kurang")),
)
_LOWEST = Predikat("D", "Sangat Kurang")
_SCORE_RANGE_MESSAGE = "Nilai SAKIP harus antara 0 dan 100."


def predikat(score) -> Predikat:
    """The predikat of a SAKIP score 0-100; lower bounds are exclusive (90.00 is A, 90.01 AA).

    The score is judged on its 2-decimal half-up value, the figure the evaluation report prints.
    Raises ``ValueError`` ("Nilai SAKIP harus antara 0 dan 100.") outside 0..100, and for a
    missing or non-numeric score.
    """
    if score is None:
        raise ValueError(_SCORE_RANGE_MESSAGE)
    value = round_half_up(score, 2)
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_SCORE_RANGE_MESSAGE)
    for bound, result in PREDIKAT_TABLE:
        if value > bound:
            return result
    return _LOWEST


def predikat_label(score) -> str:
    """"A (Memuaskan)" for a score, as reports print it beside the number; "" for no score or one
    outside 0..100 (which has no predikat: the number is then printed alone)."""
    if score is None:
        return ""
    try:
        p = predikat(score)
    except ValueError:
        return ""
    return f"{p.code} ({p.meaning})"
