"""The rencana tindak lanjut of a period: per weak unsur an action, the section doing it, a due date,
and when it was done. The next period's report says how many of the previous period's were done."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..domain import skm
from ..domain.dates import period_range
from ..extensions import db
from ..models import Section, SurveyFollowUp, SurveyPeriod, User
from ..models._types import utcnow
from .operations import SurveyError

ACTION_MAX = 1000
JAKARTA = ZoneInfo("Asia/Jakarta")


def of_period(period: SurveyPeriod) -> list[SurveyFollowUp]:
    return list(db.session.scalars(sa.select(SurveyFollowUp).where(SurveyFollowUp.period_id == period.id)
                                   .order_by(SurveyFollowUp.due_date, SurveyFollowUp.id)))


def add(period: SurveyPeriod, unsur: str, action: str, section: Section | None, due_date: date | None,
        user: User | None) -> SurveyFollowUp:
    if unsur not in skm.UNSUR_KEYS:
        raise SurveyError(_("Pilih unsur."))
    action = " ".join((action or "").split())
    if not action:
        raise SurveyError(_("Isi rencana tindak lanjut."))
    if len(action) > ACTION_MAX:
        raise SurveyError(_("Rencana tindak lanjut paling panjang %(max)d karakter.", max=ACTION_MAX))
    if due_date is None:
        raise SurveyError(_("Isi batas waktu."))
    if section is not None and section.office_id != period.office_id:
        raise SurveyError(_("Seksi tidak ditemukan."))
    item = SurveyFollowUp(period_id=period.id, unsur=unsur, action=action, section_id=section.id if section else None,
                          due_date=due_date, created_by_id=user.id if user else None)
    db.session.add(item)
    db.session.flush()
    audit.record("survey.followup_added", office_id=period.office_id, user=user, obj=item, period_id=period.id,
                 unsur=unsur, due_date=due_date.isoformat())
    return item


def set_done(item: SurveyFollowUp, done: bool, user: User | None) -> None:
    item.done_at = utcnow() if done else None
    db.session.flush()
    audit.record("survey.followup_done" if done else "survey.followup_undone", office_id=item.office_id,
                 user=user, obj=item, period_id=item.period_id)


def previous_period(period: SurveyPeriod) -> SurveyPeriod | None:
    """The office's period that ended last before ``period`` begins (whose follow-up this one reports)."""
    first, _last = period_range(period.year, period.label)
    best, best_end = None, None
    for other in db.session.scalars(sa.select(SurveyPeriod).where(
            SurveyPeriod.office_id == period.office_id, SurveyPeriod.id != period.id,
            SurveyPeriod.year.between(period.year - 2, period.year))):
        _start, end = period_range(other.year, other.label)
        if end < first and (best_end is None or end > best_end):
            best, best_end = other, end
    return best


@dataclass(frozen=True)
class Carried:
    """The previous period's plan as the next report shows it."""

    period_title: str
    done: int
    total: int
    rows: list[tuple[str, str, str, date, date | None]]  # unsur, action, section, due, done on


def carried_over(period: SurveyPeriod) -> Carried | None:
    previous = previous_period(period)
    if previous is None:
        return None
    items = of_period(previous)
    if not items:
        return None
    rows = [(i.unsur, i.action, i.section.short_name if i.section else "", i.due_date,
             i.done_at.astimezone(JAKARTA).date() if i.done_at else None) for i in items]
    return Carried(period_title=previous.title, done=sum(1 for i in items if i.done_at), total=len(items), rows=rows)
