"""Measure providers for IKU 3-6: one aggregate query each (GROUP BY triwulan), only approved rows.

The counts go through ``measures.from_counts`` so every "s.d. TW" and the year are pooled ratios
(RULES.md §3), and a register without approved rows gives "Belum ada data" (None), never 0 %. The ratios
fix their year rule (pooled counts, ``measures.POOLED_RATIO``) and so does the SAKIP score (one LHE a
year, ``measures.ONE_SCORE``): the rule an indicator stored is not theirs to change.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

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


def _by_office(office_ids: Sequence[int], build) -> dict[int, measures.Measured]:
    """Each office's Measured from ``build(rows of that office)``; an office without rows has none."""
    return {office_id: build(office_id) for office_id in office_ids}


def complaints_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.LAST) -> dict[int, measures.Measured]:
    """IKU 4 of several offices in one query: complaints resolved ÷ complaints received, by triwulan of
    the date received.

    Grouped by office and date received (at most 366 groups an office, read in the order of the covering
    index ix_complaints_office_year, no function per row); the dates fold into triwulan in Python.
    """
    rows = db.session.execute(
        sa.select(Complaint.office_id, Complaint.received_on,
                  sa.func.sum(sa.case((Complaint.status == "selesai", 1), else_=0)), sa.func.count())
        .join(WorkflowEntry, _approved(Complaint))
        .where(Complaint.office_id.in_(office_ids), Complaint.year == year)
        .group_by(Complaint.office_id, Complaint.received_on)).all()
    counts: dict[int, dict[int, tuple[int, int]]] = {}
    for office_id, received_on, resolved, received in rows:
        tw = triwulan_of(received_on)
        num, den = counts.setdefault(office_id, {}).get(tw, (0, 0))
        counts[office_id][tw] = (num + int(resolved or 0), den + int(received))
    detail = _("Pengaduan diselesaikan ÷ pengaduan masuk (disetujui).")
    return _by_office(office_ids, lambda o: measures.from_counts(counts[o], detail) if o in counts else measures.empty())


def complaints(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 4 of one office (:func:`complaints_many`)."""
    return complaints_many([office_id], year, rule)[office_id]


def activities_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.LAST) -> dict[int, measures.Measured]:
    """IKU 3 of several offices in one query: activities facilitated ÷ planned, pooled by planned triwulan."""
    rows = db.session.execute(
        sa.select(Activity.office_id, Activity.planned_triwulan,
                  sa.func.sum(sa.case((Activity.facilitated.is_(True), 1), else_=0)), sa.func.count())
        .join(WorkflowEntry, _approved(Activity))
        .where(Activity.office_id.in_(office_ids), Activity.year == year)
        .group_by(Activity.office_id, Activity.planned_triwulan)).all()
    counts: dict[int, list] = {}
    for office_id, tw, num, den in rows:
        counts.setdefault(office_id, []).append((tw, num, den))
    detail = _("Kegiatan difasilitasi ÷ kegiatan direncanakan (disetujui).")
    return _by_office(office_ids, lambda o: measures.from_counts(_counts(counts[o]), detail) if o in counts
                      else measures.empty())


def activities(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 3 of one office (:func:`activities_many`)."""
    return activities_many([office_id], year, rule)[office_id]


def programs_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.LAST) -> dict[int, measures.Measured]:
    """IKU 6 of several offices in one query: program indicators achieved ÷ all program indicators of the
    year (reported in TW IV)."""
    rows = db.session.execute(
        sa.select(ProgramIndicator.office_id, sa.func.sum(sa.case((ProgramIndicator.achieved.is_(True), 1), else_=0)),
                  sa.func.count())
        .join(WorkflowEntry, _approved(ProgramIndicator))
        .where(ProgramIndicator.office_id.in_(office_ids), ProgramIndicator.year == year)
        .group_by(ProgramIndicator.office_id)).all()
    found = {office_id: (int(achieved or 0), int(total)) for office_id, achieved, total in rows if total}
    detail = _("Indikator program tercapai ÷ seluruh indikator.")
    return _by_office(office_ids, lambda o: measures.from_counts({4: found[o]}, detail) if o in found
                      else measures.empty())


def programs(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 6 of one office (:func:`programs_many`)."""
    return programs_many([office_id], year, rule)[office_id]


def sakip_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.LAST) -> dict[int, measures.Measured]:
    """IKU 5 of several offices in one query: the approved SAKIP score, in the triwulan of its LHE date
    (TW IV when dated another year)."""
    rows = db.session.execute(
        sa.select(SakipEvaluation.office_id, SakipEvaluation.score, SakipEvaluation.lhe_date)
        .join(WorkflowEntry, _approved(SakipEvaluation))
        .where(SakipEvaluation.office_id.in_(office_ids), SakipEvaluation.year == year)
        .order_by(SakipEvaluation.office_id, SakipEvaluation.id)).all()
    found: dict[int, tuple] = {}
    for office_id, score, lhe_date in rows:
        found[office_id] = (score, lhe_date)  # one LHE an office-year (a unique key)

    def build(office_id: int) -> measures.Measured:
        if office_id not in found:
            return measures.empty()
        score, lhe_date = found[office_id]
        tw = triwulan_of(lhe_date) if lhe_date is not None and lhe_date.year == year else 4
        return measures.from_values({tw: Decimal(score)}, YearRule.LAST, _("Nilai LHE SAKIP (disetujui)."))
    return _by_office(office_ids, build)


def sakip(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """IKU 5 of one office (:func:`sakip_many`)."""
    return sakip_many([office_id], year, rule)[office_id]
