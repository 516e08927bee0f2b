"""How far an entry is from its due date, in words as well as colour ("terlambat 3 hari", "5 hari lagi"):
the same words on the section's to-do list, the office board and the overview."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..models import EntryState

#: a due date this close is shown as urgent
SOON_DAYS = 7


@dataclass(frozen=True)
class Due:
    days: int | None  # due − today (negative: late); None without a due date
    text: str
    css: str  # text colour class
    code: str  # "late", "today", "soon", "later", "done", "none" (for tests and filters)

    @property
    def late(self) -> bool:
        return self.code == "late"


def due_of(due: date | None, state: EntryState, today: date) -> Due:
    if state is EntryState.APPROVED:
        return Due(None if due is None else (due - today).days, _("selesai"), "text-success", "done")
    if due is None:
        return Due(None, _("tanpa tenggat"), "text-body-secondary", "none")
    days = (due - today).days
    if days < 0:
        return Due(days, _("terlambat %(n)d hari", n=-days), "text-danger fw-semibold", "late")
    if days == 0:
        return Due(0, _("jatuh tempo hari ini"), "text-danger fw-semibold", "today")
    if days <= SOON_DAYS:
        return Due(days, _("%(n)d hari lagi", n=days), "text-warning-emphasis fw-semibold", "soon")
    return Due(days, _("%(n)d hari lagi", n=days), "text-body-secondary", "later")
