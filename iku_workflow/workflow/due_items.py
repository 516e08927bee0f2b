"""What falls due besides a workflow entry's own ``due_date`` (issue 14): the year's decree today, later
documents (PK, LKjIP) that are not entries of a section.

A capability declares providers (``Capability.due_items``); each is called as ``provider(office_id, year)``
(``None``: every office / every year) and yields :class:`DueItem` records. The office board lists them
beside the sections' entries, a section's to-do list shows those its section holds, and
``iku-workflow reminders send`` reminds them like entries (``reminders_sent.item`` remembers the key).

A thing that *is* a workflow entry (a required document, a register row, an SKM period's result) sets its
entry's ``due_date`` instead and needs no provider.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from flask import has_request_context, url_for

from ..capability import registry
from ..models import EntryState, Role
from .due import Due, due_of

__all__ = ["DueItem", "collect"]


@dataclass(frozen=True)
class DueItem:
    #: unique across providers and stable over time ("decree:<office>:<year>"): reminders remember it
    key: str
    office_id: int
    year: int
    label: str  # what kind of thing, e.g. "Keputusan Camat"
    title: str
    due_date: date | None
    done: bool
    status: str  # its state in words ("Belum dibuat", "Draf", "Final (ditetapkan)")
    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)
    #: the section that holds it (its operators are reminded), or None
    section_id: int | None = None
    #: who is reminded when no section holds it, and alongside the section once it is late
    roles: tuple[Role, ...] = (Role.SEKCAM,)

    def due(self, today: date) -> Due:
        return due_of(self.due_date, EntryState.APPROVED if self.done else EntryState.DRAFT, today)

    def url(self) -> str:
        """Its page; a path also outside a request (the reminder command stores it with the notification)."""
        if has_request_context():
            return url_for(self.endpoint, **self.values)
        from flask import current_app

        with current_app.test_request_context():
            return url_for(self.endpoint, **self.values)


def collect(office_id: int | None, year: int | None = None, *, section_id: int | None = None,
            any_section: bool = True) -> list[DueItem]:
    """The items every installed provider yields for the office (and year), ordered by year, due date, key.

    ``any_section=False`` keeps the items ``section_id`` holds (a section's to-do list)."""
    items = [item for provider in registry().due_items for item in provider(office_id, year)]
    if not any_section:
        items = [item for item in items if item.section_id == section_id]
    return sorted(items, key=lambda i: (i.year, i.due_date is None, i.due_date or date.max, i.key))
