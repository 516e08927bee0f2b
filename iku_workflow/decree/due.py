"""The year's decree as a due item (issue 14): an office with IKU for a year owes that year's Keputusan Camat
by ``IKU_DECREE_DUE`` (month-day in that year, default "01-31": the end of January), until a final
(signed) decree of the year exists. The Sekretaris Camat prepares it and the Camat signs it: both are
reminded (``workflow.due_items``).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import Decree, DecreeStatus, Indicator, Role

DEFAULT_DUE = (1, 31)


def decree_due_date(year: int, setting: str | None = None) -> date:
    """When the decree of ``year`` is due: ``IKU_DECREE_DUE`` read as "MM-DD" of that year (default 31 January);
    an unreadable setting, or a day the month does not have, falls back to the default."""
    text = setting if setting is not None else str(current_app.config.get("IKU_DECREE_DUE") or "")
    try:
        month, day = (int(part) for part in text.strip().split("-"))
        return date(year, month, day)
    except (TypeError, ValueError):
        return date(year, *DEFAULT_DUE)


def decree_due_items(office_id: int | None, year: int | None):
    """One item per (office, year) with IKU: the decree of that year, done once a decree of the year is final."""
    from ..workflow.due_items import DueItem

    years = sa.select(Indicator.office_id, Indicator.year).distinct()
    decrees = sa.select(Decree.office_id, Decree.year, Decree.sequence, Decree.status)
    if office_id is not None:
        years, decrees = years.where(Indicator.office_id == office_id), decrees.where(Decree.office_id == office_id)
    if year is not None:
        years, decrees = years.where(Indicator.year == year), decrees.where(Decree.year == year)
    state: dict[tuple[int, int], tuple[int, DecreeStatus, bool]] = {}
    for oid, y, sequence, status in db.session.execute(decrees.order_by(Decree.sequence)):
        final = status is DecreeStatus.FINAL or state.get((oid, y), (0, None, False))[2]
        state[(oid, y)] = (sequence, status, final)  # the newest decree's status; final once any was
    for oid, y in db.session.execute(years.order_by(Indicator.office_id, Indicator.year)):
        _seq, status, final = state.get((oid, y), (0, None, False))
        words = (_("Belum dibuat") if status is None else
                 _("Final (ditetapkan)") if final else str(DecreeStatus.DRAFT.label))
        yield DueItem(key=f"decree:{oid}:{y}", office_id=oid, year=y, label=_("Keputusan Camat"),
                      title=_("Keputusan Camat tentang IKU tahun %(y)s", y=y), due_date=decree_due_date(y),
                      done=final, status=words, endpoint="decree.edit" if status is not None else "decree.index",
                      values={"year": y} if status is not None else {}, roles=(Role.SEKCAM, Role.CAMAT))
