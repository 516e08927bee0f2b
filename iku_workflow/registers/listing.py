"""A register's list at hundreds of rows: search, filters, sorting, totals per status and pages.

Each register's record (``spec.RegisterSpec``) declares its own filters (`ListFilter`), the text columns
its search reads, its sort keys (`SortKey`, the only ORDER BYs a URL can ask for) and the column its
totals count (`Tally`). `Listing.from_args` reads them from the query string: a value that is not one
of a filter's options is ignored (a bookmarked link to a renamed desa shows the unfiltered list, never a
500); a bad page number is a 400 (``pagination``). Counting and paging are SQL: a page of 5,000 rows
loads its 50.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping

import sqlalchemy as sa
from flask_babel import format_date
from sqlalchemy.orm import selectinload

from ..domain.desa import clean_name
from ..extensions import db
from ..models import EntryState, WorkflowEntry
from ..models.workflow import STATE_LABELS
from ..pagination import Page, paginate

SEARCH_MAX = 100


@dataclass(frozen=True)
class ListFilter:
    """One select of the filter form: ``?<key>=<value>``, ``value`` one of ``options``."""

    key: str
    label: Any
    options: Callable[[int, int], list[tuple[str, Any]]]  # (office_id, year) -> [(value, label)]
    where: Callable[[type, str, int], Any]  # (model, value, year) -> SQL condition


@dataclass(frozen=True)
class SortKey:
    key: str  # ?urut=<key> ascending, ?urut=-<key> descending
    label: Any
    columns: Callable[[type], tuple]  # model -> ORDER BY columns (ascending); the row id always ends it


@dataclass(frozen=True)
class Tally:
    """What the totals above a list count: the rows of the filtered set per value of ``column``."""

    noun: Any  # "pengaduan": "63 pengaduan"
    column: Callable[[type], Any]
    labels: Callable[[], Mapping[Any, Any]]  # stored value -> its label ("selesai": "Selesai")


# ---------------------------------------------------------------------------------- filters every register uses

def _state_options(office_id, year):
    return [(s.value, STATE_LABELS[s]) for s in EntryState]


def state_filter(label) -> ListFilter:
    return ListFilter("tinjauan", label, _state_options, lambda model, value, year: WorkflowEntry.state == EntryState(value))


def enum_filter(key: str, label, enum_cls, attr: str) -> ListFilter:
    return ListFilter(key, label, lambda office_id, year: [(m.value, m.label) for m in enum_cls],
                      lambda model, value, year: getattr(model, attr) == enum_cls(value))


def desa_filter(label) -> ListFilter:
    def options(office_id, year):
        from .desa import office_desa

        return [(d.name, d.name) for d in office_desa(office_id)]

    return ListFilter("desa", label, options, lambda model, value, year: model.desa == value)


def month_filter(label, attr: str) -> ListFilter:
    def options(office_id, year):
        return [(str(m), format_date(date(2000, m, 1), "MMMM")) for m in range(1, 13)]

    def where(model, value, year):
        m = int(value)
        start, end = date(year, m, 1), (date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1))
        column = getattr(model, attr)
        return sa.and_(column >= start, column < end)

    return ListFilter("bulan", label, options, where)


def triwulan_filter(label, attr: str) -> ListFilter:
    from ..labels import QUARTER_SHORT

    return ListFilter("tw", label, lambda office_id, year: [(str(k), v) for k, v in QUARTER_SHORT.items()],
                      lambda model, value, year: getattr(model, attr) == int(value))


def yes_no_filter(key: str, label, attr: str, yes, no, values: tuple[str, str] = ("ya", "tidak")) -> ListFilter:
    """A boolean column: ``?<key>=<values[0]>`` keeps the true rows, ``values[1]`` the false ones."""
    return ListFilter(key, label, lambda office_id, year: [(values[0], yes), (values[1], no)],
                      lambda model, value, year: getattr(model, attr).is_(value == values[0]))


# ---------------------------------------------------------------------------------- one request's list

@dataclass
class Listing:
    reg: Any
    year: int
    office_id: int
    q: str = ""
    chosen: dict[str, str] = field(default_factory=dict)  # filter key -> value (only valid ones)
    options: dict[str, list] = field(default_factory=dict)
    sort: str = ""  # "" (the register's order), "<key>" or "-<key>"

    @classmethod
    def from_args(cls, reg, year: int, office_id: int, args: Mapping[str, str]) -> "Listing":
        # printable text only: a NUL byte is refused by PostgreSQL (a 500), other control characters match nothing
        q = clean_name("".join(ch for ch in args.get("q", "") if ch.isprintable() or ch.isspace()))[:SEARCH_MAX] \
            if reg.search else ""
        listing = cls(reg=reg, year=year, office_id=office_id, q=q)
        for f in reg.filters:
            opts = f.options(office_id, year)
            listing.options[f.key] = opts
            value = (args.get(f.key) or "").strip()
            if value and value in {v for v, _label in opts}:
                listing.chosen[f.key] = value
        sort = (args.get("urut") or "").strip()
        if sort.removeprefix("-") in {s.key for s in reg.sorts}:
            listing.sort = sort
        return listing

    @property
    def args(self) -> dict[str, str]:
        """The filter's own values, for links (the pager, the sort links): never request.args as a whole."""
        out = {"q": self.q} if self.q else {}
        out.update(self.chosen)
        if self.sort:
            out["urut"] = self.sort
        return out

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.chosen)

    def base(self) -> sa.Select:
        model = self.reg.model
        query = (sa.select(model).join(WorkflowEntry, WorkflowEntry.id == model.entry_id)
                 .where(model.office_id == self.office_id, model.year == self.year))
        for f in self.reg.filters:
            if f.key in self.chosen:
                query = query.where(f.where(model, self.chosen[f.key], self.year))
        if self.q:
            pattern = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(sa.or_(*(sa.func.lower(getattr(model, c)).like(pattern.lower(), escape="\\")
                                         for c in self.reg.search)))
        return query

    def ordered(self, query: sa.Select) -> sa.Select:
        model = self.reg.model
        if not self.sort:
            return query.order_by(*self.reg.order)
        key = next(s for s in self.reg.sorts if s.key == self.sort.removeprefix("-"))
        desc = self.sort.startswith("-")
        columns = [c.desc() if desc else c.asc() for c in key.columns(model)]
        return query.order_by(*columns, model.id.desc() if desc else model.id)

    def page(self) -> Page:
        return paginate(self.ordered(self.base()).options(selectinload(self.reg.model.entry)))

    def totals(self) -> tuple[int, list[tuple[Any, int]]]:
        """(rows of the filtered set, [(label, count)] per value of the register's tally), counted in SQL."""
        tally = self.reg.tally
        inner = self.base().order_by(None).subquery()
        if tally is None:
            return db.session.scalar(sa.select(sa.func.count()).select_from(inner)) or 0, []
        column = inner.c[tally.column(self.reg.model).key]
        counts = dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())
        labels = tally.labels()
        return sum(counts.values()), [(label, counts.get(value, 0)) for value, label in labels.items()]

    def has_editable(self) -> bool:
        """Whether a draft or returned row of the year exists (the "submit all drafts" button), whatever the filter."""
        model = self.reg.model
        return db.session.scalar(
            sa.select(model.id).join(WorkflowEntry, WorkflowEntry.id == model.entry_id)
            .where(model.office_id == self.office_id, model.year == self.year,
                   WorkflowEntry.state.in_([EntryState.DRAFT, EntryState.RETURNED])).limit(1)) is not None

    def sort_args(self, key: str) -> dict[str, str]:
        """The links of a sortable column head: ascending first, then descending."""
        out = {k: v for k, v in self.args.items() if k != "urut"}
        out["urut"] = "-" + key if self.sort == key else key
        return out
