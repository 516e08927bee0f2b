"""A section's to-do list (issue 14, "Tugas seksi"): its entries still open — drafts, returned ones (with the
reviewer's note) and those waiting for review — grouped by year, newest year first, and inside a year by
urgency: the latest first (most days late first), then the soonest due, those without a due date last;
what waits for review comes after what the section still has to do. Each row says how far it is from its
due date in words as well as colour (``due.due_of``).

Ordered in SQL and paged with the shared pager; the counts per state and per year are of the whole list. A
year with nothing listed (the current year on the first page) says why: the section holds no required
document or register that year, or everything of that year is done.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..access import scoped
from ..capability import registry
from ..extensions import db
from ..models import EntryState, Section, WorkflowEntry
from ..pagination import Page, paginate
from .due import Due, due_of
from .due_items import DueItem, collect

#: the states a section's list holds, in the order of their count badges
TASK_STATES = (EntryState.RETURNED, EntryState.DRAFT, EntryState.SUBMITTED)
#: still in the section's hands (late counts only these)
OPEN_STATES = (EntryState.DRAFT, EntryState.RETURNED)


def today() -> date:
    """The day the list is drawn for (one place, so tests fix the clock)."""
    return date.today()


@dataclass
class Row:
    entry: WorkflowEntry | None
    due: Due
    item: DueItem | None = None

    @property
    def waiting(self) -> bool:
        return self.entry is not None and self.entry.state is EntryState.SUBMITTED


@dataclass
class YearGroup:
    year: int
    rows: list[Row] = field(default_factory=list)
    total: int = 0  # listed entries of the year on every page
    late: int = 0  # of them, late and still with the section
    why: str | None = None  # nothing listed: the reason


def todo_order():
    """Newest year first; what the section still has to do before what waits for review; by due date (the
    most late first, no due date last); a returned entry before a draft due the same day."""
    W = WorkflowEntry
    return (W.year.desc(),
            sa.case((W.state == EntryState.SUBMITTED, 1), else_=0),
            sa.case((W.due_date.is_(None), 1), else_=0),
            W.due_date,
            sa.case((W.state == EntryState.RETURNED, 0), else_=1),
            W.id)


def _urgency(row: Row) -> tuple:
    due = row.entry.due_date if row.entry is not None else row.item.due_date
    return (row.waiting, due is None, due or date.max)


def _why(office_id: int, section: Section, year: int) -> str:
    held = db.session.scalar(sa.select(sa.func.count(WorkflowEntry.id)).where(
        WorkflowEntry.office_id == office_id, WorkflowEntry.section_id == section.id, WorkflowEntry.year == year)) or 0
    registers = [str(spec.label) for spec in registry().registers.values() if spec.section == section.code]
    if held:
        text = _("Semua tugas tahun ini sudah selesai.")
    elif registers:
        text = _("Belum ada dokumen wajib atau data register tahun ini untuk seksi ini.")
    else:
        return _("Seksi ini tidak memegang dokumen wajib atau register tahun ini.")
    if registers:
        text += " " + _("Data baru dicatat di register: %(names)s.", names=", ".join(registers))
    return text


def build_todo(office_id: int, section: Section, today: date) -> tuple[Page, list[YearGroup], dict[str, int]]:
    """The page asked for (``?hal=``), its rows grouped by year, and the counts per state of the whole list."""
    W = WorkflowEntry
    base = scoped(W).where(W.section_id == section.id, W.state.in_(TASK_STATES))
    listed = base.subquery()
    counts = {state.value: 0 for state in TASK_STATES}
    per_year: dict[int, list[int]] = {}
    late = sa.case((sa.and_(listed.c.state.in_(OPEN_STATES), listed.c.due_date < today), 1), else_=0)
    for year, state, n, n_late in db.session.execute(
            sa.select(listed.c.year, listed.c.state, sa.func.count(), sa.func.sum(late))
            .group_by(listed.c.year, listed.c.state)):
        state = EntryState(state)
        counts[state.value] += n
        totals = per_year.setdefault(year, [0, 0])
        totals[0] += n
        totals[1] += n_late or 0
    page = paginate(base.options(selectinload(W.section)).order_by(*todo_order()))
    groups: dict[int, YearGroup] = {}
    for entry in page.items:
        group = groups.setdefault(entry.year, YearGroup(entry.year, [], *per_year.get(entry.year, (0, 0))))
        group.rows.append(Row(entry, due_of(entry.due_date, entry.state, today)))
    if page.page == 1:
        items = [i for i in collect(office_id, section_id=section.id, any_section=False) if not i.done]
        for item in items:
            group = groups.setdefault(item.year, YearGroup(item.year, [], *per_year.get(item.year, (0, 0))))
            due = item.due(today)
            group.rows.append(Row(None, due, item))
            group.total += 1
            group.late += int(due.late)
            # into the order of its year (stable: the entries keep the database's order among equals)
            group.rows.sort(key=_urgency)
        if today.year not in groups and today.year not in per_year:
            groups[today.year] = YearGroup(today.year, why=_why(office_id, section, today.year))
    return page, [groups[y] for y in sorted(groups, reverse=True)], counts
