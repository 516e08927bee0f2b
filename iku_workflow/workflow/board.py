"""The office board (issue 14): section × item for one year, with each item's state and how late it is,
for the Sekretaris Camat and the Camat (``board.view``).

Each section lists its entries of the year. A kind with many entries (a register's rows) is one line with
its counts per state and how many are late; a kind with few (the required documents) lists each entry with
its due date. ``?seksi=<id>`` shows one section (the overview links a late section here). Due items that are
not entries (``workflow.due_items``: the year's decree) head their section's card, or the office's own card
(first on the board) when no section holds them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort, render_template, url_for
from flask_login import current_user, login_required

from ..access import require, scoped
from ..extensions import db
from ..models import EntryState, Section, WorkflowEntry
from ..url_params import MAX_ID, query_int
from . import bp, kinds
from .due import Due, due_of
from .due_items import DueItem, collect

#: a kind with more entries than this in a section is summarised in one line
LIST_AT_MOST = 5


@dataclass
class Line:
    label: str  # the kind (and, for one entry, its title)
    url: str | None
    states: Counter  # EntryState -> count
    late: int
    due: Due | None  # one entry: its own; a summary: the earliest open due date's
    entry: WorkflowEntry | None = None
    item: DueItem | None = None  # a due item that is not an entry (the year's decree)

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass
class SectionBoard:
    section: Section | None
    lines: list[Line] = field(default_factory=list)

    @property
    def late(self) -> int:
        return sum(line.late for line in self.lines)

    @property
    def open(self) -> int:
        return (sum(n for line in self.lines for state, n in line.states.items() if state is not EntryState.APPROVED)
                + sum(1 for line in self.lines if line.item is not None and not line.item.done))


def build_board(office_id: int, year: int, today: date, section_id: int | None = None) -> list[SectionBoard]:
    query = (sa.select(WorkflowEntry).where(WorkflowEntry.office_id == office_id, WorkflowEntry.year == year)
             .order_by(WorkflowEntry.kind, WorkflowEntry.due_date.is_(None), WorkflowEntry.due_date, WorkflowEntry.id))
    sections = db.session.scalars(sa.select(Section).where(Section.office_id == office_id)
                                  .order_by(Section.position, Section.id)).all()
    if section_id is not None:
        query = query.where(WorkflowEntry.section_id == section_id)
        sections = [s for s in sections if s.id == section_id]
    boards = {s.id: SectionBoard(s) for s in sections}
    grouped: dict[tuple[int | None, str], list[WorkflowEntry]] = {}
    for entry in db.session.scalars(query):
        grouped.setdefault((entry.section_id, entry.kind), []).append(entry)
    for (sid, kind), entries in grouped.items():
        board = boards.get(sid)
        if board is None:
            board = boards[sid] = SectionBoard(None)
        label = str(kinds.label_of(entries[0]))
        dues = [(e, due_of(e.due_date, e.state, today)) for e in entries]
        if len(entries) <= LIST_AT_MOST:
            for entry, due in dues:
                board.lines.append(Line(f"{label}: {entry.title}", kinds.url_of(entry), Counter({entry.state: 1}),
                                        int(due.late), due, entry))
        else:
            open_dues = [d for e, d in dues if d.days is not None and e.state is not EntryState.APPROVED]
            board.lines.append(Line(label, None, Counter(e.state for e in entries), sum(d.late for _e, d in dues),
                                    min(open_dues, key=lambda d: d.days) if open_dues else None))
    for item in collect(office_id, year):
        if section_id is not None and item.section_id != section_id:
            continue
        board = boards.get(item.section_id)
        if board is None:
            board = boards[item.section_id] = SectionBoard(None)
        due = item.due(today)
        board.lines.insert(0, Line(f"{item.label}: {item.title}", item.url(), Counter(), int(due.late), due, item=item))
    shown = [b for b in boards.values() if b.lines or section_id is not None]
    # the office's own card (the decree, entries without a section) first: the sekcam's and the Camat's items
    return sorted(shown, key=lambda b: b.section is not None)


@bp.route("/papan", defaults={"year": None})
@bp.route("/papan/<int:year>")
@login_required
def board(year: int | None):
    """Every section's items of the year with their state and lateness."""
    require("board.view")
    year = year or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    section_id = query_int("seksi", None, high=MAX_ID)
    if section_id is not None and db.session.scalar(scoped(Section).where(Section.id == section_id)) is None:
        abort(404)
    today = date.today()
    boards = build_board(current_user.office_id, year, today, section_id)
    return render_template("workflow/board.html", year=year, boards=boards, today=today, section_id=section_id,
                           states=[EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED, EntryState.APPROVED],
                           all_url=url_for("workflow.board", year=year))
