"""Measure providers for IKU 3-6: one aggregate query each (GROUP BY triwulan), only approved rows.

The counts go through ``measures.from_counts`` so every "s.d. TW" and the year are pooled ratios
(RULES.md §3), and a register without approved rows gives "Belum ada data" (None), never 0 %. The ratios
fix their year rule (pooled counts, ``measures.POOLED_RATIO``) and so does the SAKIP score (one LHE a
year, ``measures.ONE_SCORE``): the rule an indicator stored is not theirs to change.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import measures
from ..domain.capaian import YearRule
from ..domain.dates import triwulan_of
from ..extensions import db
from ..models import Activity, Complaint, EntryState, ProgramIndicator, SakipEvaluation, WorkflowEntry


def _approved(model):
    return sa.and_(WorkflowEntry.id == model.entry_id, WorkflowEntry.state == EntryState.APPROVED)


def _counts(rows) -> dict[int, tuple[int, int]]:
    return {int(tw): (int(num or 0), int(den or 0)) for tw, num, den in rows}


def complaints(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 4: complaints resolved ÷ complaints received, by triwulan of the date received.

    Grouped by the date received (at most 366 groups, read in the order of the covering index
    ix_complaints_office_year, no function per row); the dates fold into triwulan in Python.
    """
    rows = db.session.execute(
        sa.select(Complaint.received_on, sa.func.sum(sa.case((Complaint.status == "selesai", 1), else_=0)),
                  sa.func.count())
        .join(WorkflowEntry, _approved(Complaint))
        .where(Complaint.office_id == office_id, Complaint.year == year)
        .group_by(Complaint.received_on)).all()
    if not rows:
        return measures.empty()
    counts: dict[int, tuple[int, int]] = {}
    for received_on, resolved, received in rows:
        tw = triwulan_of(received_on)
        num, den = counts.get(tw, (0, 0))
        counts[tw] = (num + int(resolved or 0), den + int(received))
    return measures.from_counts(counts, _("Pengaduan diselesaikan ÷ pengaduan masuk (disetujui)."))


def activities(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 3: activities facilitated ÷ activities planned, pooled by planned triwulan."""
    rows = db.session.execute(
        sa.select(Activity.planned_triwulan, sa.func.sum(sa.case((Activity.facilitated.is_(True), 1), else_=0)),
                  sa.func.count())
        .join(WorkflowEntry, _approved(Activity))
        .where(Activity.office_id == office_id, Activity.year == year)
        .group_by(Activity.planned_triwulan)).all()
    if not rows:
        return measures.empty()
    return measures.from_counts(_counts(rows), _("Kegiatan difasilitasi ÷ kegiatan direncanakan (disetujui)."))


def programs(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 6: program indicators achieved ÷ all program indicators of the year (reported in TW IV)."""
    achieved, total = db.session.execute(
        sa.select(sa.func.sum(sa.case((ProgramIndicator.achieved.is_(True), 1), else_=0)), sa.func.count())
        .join(WorkflowEntry, _approved(ProgramIndicator))
        .where(ProgramIndicator.office_id == office_id, ProgramIndicator.year == year)).one()
    if not total:
        return measures.empty()
    return measures.from_counts({4: (int(achieved or 0), int(total))}, _("Indikator program tercapai ÷ seluruh indikator."))


def sakip(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 5: the approved SAKIP score, in the triwulan of its LHE date (TW IV when dated another year)."""
    row = db.session.execute(
        sa.select(SakipEvaluation.score, SakipEvaluation.lhe_date)
        .join(WorkflowEntry, _approved(SakipEvaluation))
        .where(SakipEvaluation.office_id == office_id, SakipEvaluation.year == year)).first()
    if row is None:
        return measures.empty()
    score, lhe_date = row
    tw = triwulan_of(lhe_date) if lhe_date is not None and lhe_date.year == year else 4
    return measures.from_values({tw: Decimal(score)}, YearRule.LAST, _("Nilai LHE SAKIP (disetujui)."))
