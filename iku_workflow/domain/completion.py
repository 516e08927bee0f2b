"""IKU 1 and the completion rate of a year's required documents (pure: plain values in, numbers out).

IKU 1 of the Keputusan Camat Gumukmas 2025 is "Jumlah Dokumen Penataan Organisasi dan Tata Laksana
Pemerintah Daerah": the number of documents available, from the groups its explanation lists (LAKIP;
Anjab, ABK, peta jabatan; penataan organisasi; pelayanan publik dan tata laksana). A document is
available when its entry is approved by the Sekretaris Camat, so:

- completion rate = approved required documents ÷ required documents × 100 (None when nothing is
  required: there is no rate to show, not 0 %);
- IKU 1 realisation = the number of required document TYPES with an approved entry; "up to
  triwulan n" counts only approvals dated on or before the last day of triwulan n.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .capaian import ratio_percent_rounded
from .dates import triwulan_range

TRIWULAN = (1, 2, 3, 4)


@dataclass(frozen=True)
class Requirement:
    """One required document of the year as the numbers need it."""

    type_code: str
    group: Hashable
    section: Hashable
    approved_on: date | None = None  # local date of approval; None = not (or no longer) approved

    @property
    def approved(self) -> bool:
        return self.approved_on is not None


@dataclass(frozen=True)
class Rate:
    approved: int
    required: int

    @property
    def percent(self) -> Decimal | None:
        """approved ÷ required × 100, half up to 2 decimals; None when nothing is required."""
        return completion_rate(self.approved, self.required)


@dataclass(frozen=True)
class Completion:
    overall: Rate
    by_group: dict = field(default_factory=dict)
    by_section: dict = field(default_factory=dict)


def completion_rate(approved: int, required: int) -> Decimal | None:
    """approved ÷ required × 100 rounded half up to 2 decimals; None when ``required`` is 0."""
    if approved < 0 or required < 0 or approved > required:
        raise ValueError("Jumlah dokumen disetujui harus antara 0 dan jumlah dokumen wajib.")
    return ratio_percent_rounded(approved, required)


def _tally(cells: Iterable[tuple[Hashable, int, int]]) -> dict:
    out: dict = {}
    for key, approved, required in cells:
        a, r = out.get(key, (0, 0))
        out[key] = (a + approved, r + required)
    return {k: Rate(a, r) for k, (a, r) in out.items()}


def completion(cells: Iterable[tuple[Hashable, Hashable, int, int]]) -> Completion:
    """Overall, per group and per section, from counts per (group, section) cell.

    ``cells`` are (group, section, approved, required) — what a GROUP BY query returns; a group or
    section may appear in several cells.
    """
    cells = list(cells)
    for _g, _s, approved, required in cells:
        if approved < 0 or required < 0 or approved > required:
            raise ValueError("Jumlah dokumen disetujui harus antara 0 dan jumlah dokumen wajib.")
    overall = Rate(sum(c[2] for c in cells), sum(c[3] for c in cells))
    return Completion(
        overall=overall,
        by_group=_tally((g, a, r) for g, _s, a, r in cells),
        by_section=_tally((s, a, r) for _g, s, a, r in cells),
    )


def completion_of(requirements: Iterable[Requirement]) -> Completion:
    """`completion` from individual requirements (for callers holding rows, and for tests)."""
    return completion((r.group, r.section, int(r.approved), 1) for r in requirements)


def iku1_count(approvals: Mapping[str, date | None], until: date | None = None) -> int:
    """Number of document types approved (on or before ``until`` when given).

    ``approvals`` maps a type code to the local date its required document was approved (None: not
    approved). Each type counts once, however many documents it has.
    """
    return sum(1 for day in approvals.values() if day is not None and (until is None or day <= until))


def iku1_by_triwulan(approvals: Mapping[str, date | None], year: int, today: date) -> dict[int, int | None]:
    """IKU 1 "up to the end of each triwulan" of ``year``.

    A triwulan that has not started yet on ``today`` has no value (None); a past or current
    triwulan has its count, 0 included. A triwulan still running counts the approvals so far.
    "s.d. TW IV" counts every approval of the year's documents, also those after 31 December (a
    LAKIP of 2025 approved in January 2026): it is the year's value (:func:`iku1_count`), so the
    year and s.d. TW IV never disagree. Approvals before 1 January count from TW I on.
    """
    out: dict[int, int | None] = {}
    for tw in TRIWULAN:
        first, last = triwulan_range(year, tw)
        out[tw] = None if first > today else iku1_count(approvals, None if tw == 4 else last)
    return out


def rate_by_triwulan(approved_on: Iterable[date | None], year: int, today: date) -> dict[int, Rate | None]:
    """The completion rate at the end of each triwulan of ``year``, counted as IKU 1 is.

    ``approved_on`` holds one entry per required document: the local date it was approved (None: not
    approved). The rate "s.d. TW n" is the documents approved on or before the last day of triwulan n
    over every required document; "s.d. TW IV" counts every approval of the year's documents, also those
    after 31 December, so it equals the year's rate (as :func:`iku1_by_triwulan` does for IKU 1). A
    triwulan that has not started on ``today`` has no rate (None); one still running counts the
    approvals so far.
    """
    days = list(approved_on)
    out: dict[int, Rate | None] = {}
    for tw in TRIWULAN:
        first, last = triwulan_range(year, tw)
        if first > today:
            out[tw] = None
            continue
        approved = sum(1 for day in days if day is not None and (tw == 4 or day <= last))
        out[tw] = Rate(approved, len(days))
    return out
