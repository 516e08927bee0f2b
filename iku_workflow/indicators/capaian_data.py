"""The capaian report's data: the dashboard's numbers per IKU, up to a triwulan or for the year.

Nothing is recomputed here: the rows come from ``indicators.summary.year_summary`` and the document
completion rate from ``documents.numbers``. The report never falls back to example texts: without the
year's IKU it has no numbers to show (:class:`IkuDataUnavailable`), and inventing some would be worse
than saying so.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..documents.numbers import completion_by_triwulan, year_completion
from ..domain import sakip
from ..domain.completion import Rate
from ..models import Office
from ..reports.context import CapaianRow
from .summary import year_summary


class IkuDataUnavailable(LookupError):
    """The year has no IKU data to report (nothing entered)."""


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def completion_at(office: Office, year: int, upto_tw: int | None, today: date | None = None) -> Rate | None:
    """The document completion rate the report prints: the year's (approved so far) for a year report,
    the rate at the end of triwulan ``upto_tw`` for an "s.d. TW" report (counted as IKU 1's "s.d. TW"
    figure is: approvals dated up to that triwulan's last day; s.d. TW IV takes every approval of the
    year's documents). None for a triwulan not started yet."""
    if upto_tw is None:
        return year_completion(office.id, year).overall
    return completion_by_triwulan(office.id, year, today)[upto_tw]


def capaian_rows(office: Office, year: int, upto_tw: int | None) -> list[CapaianRow]:
    """Each IKU's sasaran (kinerja utama), target, realisation s.d. each triwulan and up to ``upto_tw``
    (None = the whole year), capaian and criteria band — the dashboard's own numbers
    (``indicators.summary.year_summary``; nothing is recomputed here) — and, for the SAKIP score, its
    predikat.

    Raises :class:`IkuDataUnavailable` when the year has no IKU.
    """
    summaries = year_summary(office.id, year)
    if not summaries:
        raise IkuDataUnavailable(year)
    rows = []
    for s in summaries:
        shown = range(1, 5) if upto_tw is None else range(1, upto_tw + 1)
        realisasi = {f"tw{tw}": (_dec(s.measured.upto.get(tw)) if tw in shown else None) for tw in range(1, 5)}
        if upto_tw is None:
            realisasi["year"] = _dec(s.measured.year)
            target, capaian, band = s.target, s.capaian, s.band
        else:
            realisasi["year"] = _dec(s.measured.upto.get(upto_tw))
            target, capaian, band = s.target_upto.get(upto_tw), s.capaian_upto.get(upto_tw), s.band_upto.get(upto_tw)
        rows.append(CapaianRow(s.number, s.name, s.unit, _dec(target), realisasi, _dec(capaian),
                               band.label if band is not None else "", sasaran=s.kinerja_utama or "",
                               predikat=sakip.predikat_label(realisasi["year"]) if s.measure == sakip.MEASURE else ""))
    return rows
