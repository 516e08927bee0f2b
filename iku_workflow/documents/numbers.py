"""The database side of the document numbers: aggregate queries that feed ``domain.completion``.

Two queries per year, whatever the number of documents: counts per (group, section) for the
completion rate, and the approval time per document type for IKU 1.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import measures
from ..domain.capaian import YearRule
from ..domain.completion import Completion, Rate, completion, iku1_by_triwulan, iku1_count, rate_by_triwulan
from ..extensions import db
from ..models import DocumentType, EntryState, RequiredDocument, WorkflowEntry

# Approval dates are counted in the office's calendar (WIB, UTC+7): an approval at 06:00 WIB on
# 1 April is still 31 March in UTC, yet it belongs to triwulan II.
LOCAL_TZ = ZoneInfo("Asia/Jakarta")


def year_completion(office_id: int, year: int) -> Completion:
    """Completion rate of ``year``: overall, per group (DocumentGroup) and per section id."""
    approved = sa.func.sum(sa.case((WorkflowEntry.state == EntryState.APPROVED, 1), else_=0))
    rows = db.session.execute(
        sa.select(DocumentType.group, WorkflowEntry.section_id, approved, sa.func.count(RequiredDocument.id))
        .join(RequiredDocument.type).join(RequiredDocument.entry)
        .where(RequiredDocument.office_id == office_id, RequiredDocument.year == year)
        .group_by(DocumentType.group, WorkflowEntry.section_id)
    ).all()
    return completion((g, s, int(a or 0), int(r)) for g, s, a, r in rows)


def _approved_on(state, decided_at) -> date | None:
    return decided_at.astimezone(LOCAL_TZ).date() if state is EntryState.APPROVED and decided_at else None


def completion_by_triwulan(office_id: int, year: int, today: date | None = None) -> dict[int, Rate | None]:
    """The overall completion rate at the end of each triwulan of ``year`` (None: not started yet).

    One query: the approval state and time of each required document. The dates are counted as for
    IKU 1 (:func:`approvals`, the office's calendar), so an "s.d. TW" report's rate and its IKU 1 agree;
    "s.d. TW IV" is the year's rate, late approvals of the year's documents included.
    """
    rows = db.session.execute(
        sa.select(WorkflowEntry.state, WorkflowEntry.decided_at).join(RequiredDocument.entry)
        .where(RequiredDocument.office_id == office_id, RequiredDocument.year == year)
    ).all()
    return rate_by_triwulan([_approved_on(state, decided_at) for state, decided_at in rows], year,
                            today or date.today())


def approvals_many(office_ids: Sequence[int], year: int) -> dict[int, dict[str, date | None]]:
    """Per office: type code -> local date its required document of ``year`` was approved (one query)."""
    rows = db.session.execute(
        sa.select(RequiredDocument.office_id, DocumentType.code, WorkflowEntry.state, WorkflowEntry.decided_at)
        .join(RequiredDocument.type).join(RequiredDocument.entry)
        .where(RequiredDocument.office_id.in_(office_ids), RequiredDocument.year == year)
    ).all()
    out: dict[int, dict[str, date | None]] = {office_id: {} for office_id in office_ids}
    for office_id, code, state, decided_at in rows:
        approved_on = _approved_on(state, decided_at)
        if out[office_id].get(code) is None:
            out[office_id][code] = approved_on
    return out


def approvals(office_id: int, year: int) -> dict[str, date | None]:
    """Type code -> local date its required document of ``year`` was approved (None: not approved)."""
    return approvals_many([office_id], year)[office_id]


def iku1(office_id: int, year: int, today: date | None = None) -> tuple[int, dict[int, int | None]]:
    """IKU 1 for the year (approved so far) and up to the end of each triwulan."""
    found = approvals(office_id, year)
    today = today or date.today()
    return iku1_count(found), iku1_by_triwulan(found, year, today)


def from_running_counts(by_tw: dict[int, int | None], detail: str = "") -> measures.Measured:
    """IKU 1 from the number approved by the end of each triwulan (None: not started), cumulatively.

    Each triwulan's own value is the number first approved in it; "s.d. TW" adds them up again.
    """
    values: dict[int, Decimal | None] = {}
    before = 0
    for tw in sorted(by_tw):
        count = by_tw[tw]
        values[tw] = None if count is None else Decimal(count - before)
        before = before if count is None else count
    return measures.from_values(values, YearRule.CUMULATIVE, detail=detail)


# lazy: the dashboard shows it in the page's language
DOCUMENT_COUNT_DETAIL = _l("Jumlah jenis dokumen wajib yang sudah disetujui Sekretaris Camat.")


def document_count_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.CUMULATIVE,
                        today: date | None = None) -> dict[int, measures.Measured]:
    """IKU 1 of several offices from one query (:func:`document_count`)."""
    today = today or date.today()
    return {office_id: from_running_counts(iku1_by_triwulan(found, year, today), DOCUMENT_COUNT_DETAIL)
            for office_id, found in approvals_many(office_ids, year).items()}


def document_count(office_id: int, year: int, rule: YearRule = YearRule.CUMULATIVE) -> measures.Measured:
    """measures provider "document_count": IKU 1, the number of document types approved.

    A count of documents is cumulative (``measures.CUMULATIVE_COUNT``, whatever the indicator stored):
    each triwulan's own value is the number of types first approved in it, and "s.d. TW" adds them up
    to the number approved by the end of that triwulan. Approvals that came after 31 December (a LAKIP
    of 2025 is often approved in 2026 and still counts for 2025) count in TW IV, so "s.d. TW IV" is the
    year's value: every type approved so far for that year. A triwulan not started yet has no value.
    """
    return document_count_many([office_id], year, rule)[office_id]
