"""The one bridge between the decree/report pages and the year's IKU data.

The IKU catalogue (indicators, tujuan, targets, the dashboard numbers) belongs to the indicators
capability. When the office has filled the year, the annex and the capaian report read it; when the
office has no indicators for the year yet, the annex falls back to the
reference decree's texts (``seed.gumukmas_2025``) and says so (:attr:`Annex.from_seed`). The capaian
report never falls back: without the IKU data it has no numbers to show
(:class:`IkuDataUnavailable`), and inventing some would be worse than saying so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..documents.numbers import completion_by_triwulan, year_completion
from ..domain import sakip
from ..domain.completion import Rate
from ..indicators.summary import year_summary
from ..models import Decree, IndikatorTujuan, Indicator, Office, Tujuan
from ..reports.context import AnnexContent, CapaianRow, IkuRow
from ..seed import gumukmas_2025 as seed


class IkuDataUnavailable(LookupError):
    """The year has no IKU data to report (nothing entered)."""


@dataclass(frozen=True)
class Annex:
    content: AnnexContent
    from_seed: bool  # True: texts of the reference decree, because the year has no IKU yet


def _office_indicators(office: Office, year: int) -> list:
    return list(db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year)
        .order_by(Indicator.number)
    ))


def _texts(model, office: Office, year: int) -> list[str]:
    return list(db.session.scalars(
        sa.select(model.text).where(model.office_id == office.id, model.year == year).order_by(model.position)
    ))


def annex_content(office: Office, year: int, decree: Decree) -> Annex:
    """The lampiran of ``decree``: tugas/fungsi from the decree, tujuan and the IKU table from the year's data."""
    instansi = office.full_name
    indicators = _office_indicators(office, year)
    if indicators:
        rows = [IkuRow(i.number, i.kinerja_utama, i.name, list(i.formulation or []), i.bidang_text or "",
                       i.sumber_data or "") for i in indicators]
        content = AnnexContent(instansi, list(decree.tugas), list(decree.fungsi),
                               _texts(Tujuan, office, year), _texts(IndikatorTujuan, office, year), rows)
        return Annex(content, from_seed=False)
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"], r["bidang_text"],
                   r["sumber_data"]) for r in seed.iku_rows(year)]
    tujuan = [t.replace("Gumukmas", office.name) for t in seed.TUJUAN]
    content = AnnexContent(instansi, list(decree.tugas), list(decree.fungsi), tujuan,
                           list(seed.INDIKATOR_TUJUAN), rows)
    return Annex(content, from_seed=True)


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
