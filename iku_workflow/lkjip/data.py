"""Bab III's inputs read from the database: the dashboard's summaries, entered figures, Renstra, programs,
factors. ``domain.lkjip`` does the arithmetic; ``reports.lkjip`` writes the Word file."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..indicators.summary import IkuSummary, load_indicators, year_summary
from ..letterhead.identity import office_info, paper_of, signatory
from ..models import (EntryState, LkjipFactor, LkjipPastValue, Office, ProgramBudget, RenstraPeriod,
                      WorkflowEntry)
from ..reports.context import IkuRow
from ..reports.lkjip import FactorText, LkjipContext
from ..domain import lkjip as compute


class NoIkuForYear(LookupError):
    """The office has no IKU for the year: there is nothing to report."""

    def __init__(self, office: Office, year: int):
        super().__init__(f"{office.full_name} belum memiliki IKU tahun {year}; Bab III tidak dapat disusun.")


def previous_app_years(office_id: int, year: int) -> dict[int, dict[int, compute.IndicatorYear]]:
    """The app's own figures of year − 2 and year − 1 by IKU number (a year without IKU is absent)."""
    out = {}
    for y in (year - 2, year - 1):
        summaries = year_summary(office_id, y)
        if summaries:
            out[y] = {s.number: compute.from_summary(s) for s in summaries}
    return out


def entered_figures(office_id: int, year: int) -> dict[tuple[int, int], compute.EnteredFigure]:
    rows = db.session.scalars(sa.select(LkjipPastValue).where(
        LkjipPastValue.office_id == office_id, LkjipPastValue.year.in_((year - 2, year - 1))))
    return {(r.indicator_number, r.year): compute.EnteredFigure(
        Decimal(r.realisation), None if r.capaian is None else Decimal(r.capaian), r.source) for r in rows}


def renstra_periods(office_id: int) -> list[compute.Renstra]:
    periods = db.session.scalars(sa.select(RenstraPeriod).where(RenstraPeriod.office_id == office_id)
                                 .options(selectinload(RenstraPeriod.targets)).order_by(RenstraPeriod.start_year))
    return [compute.Renstra(p.start_year, p.end_year, {t.indicator_number: Decimal(t.target) for t in p.targets})
            for p in periods]


def programs_of(office_id: int, year: int) -> list[ProgramBudget]:
    return list(db.session.scalars(sa.select(ProgramBudget).where(
        ProgramBudget.office_id == office_id, ProgramBudget.year == year)
        .order_by(ProgramBudget.position, ProgramBudget.id)))


def program_inputs(office_id: int, year: int) -> list[compute.ProgramInput]:
    return [compute.ProgramInput(p.code or "", p.name, Decimal(p.budget),
                                 None if p.realisation is None else Decimal(p.realisation), p.note or "")
            for p in programs_of(office_id, year)]


def factors_of(office_id: int, year: int) -> dict[int, LkjipFactor]:
    rows = db.session.scalars(sa.select(LkjipFactor).join(WorkflowEntry, WorkflowEntry.id == LkjipFactor.entry_id)
                              .where(LkjipFactor.office_id == office_id, LkjipFactor.year == year)
                              .options(selectinload(LkjipFactor.entry)))
    return {f.indicator_number: f for f in rows}


def bab3_of(office: Office, year: int, summaries: list[IkuSummary] | None = None) -> compute.Bab3:
    """The year's Bab III numbers; raises :class:`NoIkuForYear` when the year has no IKU."""
    summaries = year_summary(office.id, year) if summaries is None else summaries
    if not summaries:
        raise NoIkuForYear(office, year)
    return compute.bab3(year, [compute.from_summary(s) for s in summaries], previous_app_years(office.id, year),
                        entered_figures(office.id, year), renstra_periods(office.id), program_inputs(office.id, year))


def missing_approvals(office: Office, year: int) -> list[int]:
    """IKU numbers of the year whose factors are not written or not approved yet."""
    factors = factors_of(office.id, year)
    return [i.number for i in load_indicators(office.id, year)
            if i.number not in factors or factors[i.number].entry.state is not EntryState.APPROVED]


def context(office: Office, year: int, today: date | None = None) -> LkjipContext:
    """Everything the Word file prints (raises :class:`NoIkuForYear`)."""
    bab3 = bab3_of(office, year)
    factors = {n: FactorText(f.pendukung or "", f.penghambat or "", f.upaya or "",
                             f.entry.state is EntryState.APPROVED)
               for n, f in factors_of(office.id, year).items()}
    iku_rows = [IkuRow(i.number, i.kinerja_utama, i.name, list(i.formulation or []), i.bidang_text or "",
                       i.sumber_data or "") for i in load_indicators(office.id, year)]
    return LkjipContext(office=office_info(office), year=year, bab3=bab3, factors=factors, iku_rows=iku_rows,
                        signatory=signatory(office), printed_on=today or date.today(), paper=paper_of(office),
                        signed_pk=signed_pk_rows(office, year))


def signed_pk_rows(office: Office, year: int) -> list[tuple] | None:
    """Table 1 of the office's final Camat PK of ``year`` as signed (its final version's snapshot), or None."""
    from ..pk.content import context_from_snapshot
    from ..pk.operations import find_pk

    pk = find_pk(office, year)
    if pk is None or not pk.is_final or pk.final_version is None or not pk.final_version.snapshot:
        return None
    signed = context_from_snapshot(pk.final_version.snapshot)
    return [(r.number, r.sasaran, r.indikator, r.target, r.unit) for r in signed.rows]
