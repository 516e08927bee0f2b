"""The one review mechanism: every reviewable thing (document, register row, survey result set, score)
owns one WorkflowEntry; its history is WorkflowEvent; people are told through Notification."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import sql_list, sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .office import Section
from .user import User


class EntryState(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    EntryState.DRAFT: _l("Draf"),
    EntryState.SUBMITTED: _l("Diajukan"),
    EntryState.RETURNED: _l("Dikembalikan"),
    EntryState.APPROVED: _l("Disetujui"),
}
STATE_BADGES = {
    EntryState.DRAFT: "secondary",
    EntryState.SUBMITTED: "primary",
    EntryState.RETURNED: "warning",
    EntryState.APPROVED: "success",
}


class WorkflowAction(str, enum.Enum):
    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    WorkflowAction.CREATE: _l("Dibuat"),
    WorkflowAction.EDIT: _l("Diubah"),
    WorkflowAction.SUBMIT: _l("Diajukan"),
    WorkflowAction.APPROVE: _l("Disetujui"),
    WorkflowAction.RETURN: _l("Dikembalikan"),
    WorkflowAction.REOPEN: _l("Dibuka kembali"),
    WorkflowAction.WITHDRAW: _l("Ditarik kembali"),
}


class WorkflowEntry(db.Model):
    """The review state of one reviewable thing. ``kind`` names which table holds the thing itself."""

    __tablename__ = "workflow_entries"
    __table_args__ = (
        sa.CheckConstraint(
            f"state != {sql_literal(EntryState.APPROVED)} OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="approved_has_decider",
        ),
        # A submitted entry has a time. ``submitted_by_id`` names who submitted it (also whoever closed a
        # survey period, which submits its result); it is NULL only when that user was deleted, or for a
        # survey result an older version submitted "as the system" (``WorkflowEntry.submitter`` then
        # reads the history).
        sa.CheckConstraint(
            f"state NOT IN {sql_list((EntryState.SUBMITTED, EntryState.APPROVED))} OR submitted_at IS NOT NULL",
            name="submitted_has_time",
        ),
        sa.CheckConstraint(f"state != {sql_literal(EntryState.RETURNED)} OR last_note IS NOT NULL",
                           name="returned_has_note"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.Index("ix_workflow_entries_queue", "office_id", "state", "submitted_at"),
        sa.Index("ix_workflow_entries_section", "office_id", "section_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(255))
    year: Mapped[int] = mapped_column()
    state: Mapped[EntryState] = mapped_column(enum_column(EntryState, 12), default=EntryState.DRAFT)
    version: Mapped[int] = mapped_column(default=1)
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_note: Mapped[str | None] = mapped_column(sa.Text)

    # Optimistic locking: an UPDATE that finds another version raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}

    section: Mapped[Section | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    events: Mapped[list["WorkflowEvent"]] = relationship(
        back_populates="entry", order_by="WorkflowEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_locked(self) -> bool:
        return self.state is EntryState.APPROVED

    @property
    def submitter(self) -> User | None:
        """Who submitted the entry for the review under way: ``submitted_by``, or the actor of the last
        submission in the history when ``submitted_by`` is empty (a result set an older version of the app
        submitted "as the system"). Nobody reviews an entry whose submitter they are."""
        if self.submitted_by is not None or self.submitted_at is None:
            return self.submitted_by
        for event in reversed(self.events):
            if event.action is WorkflowAction.SUBMIT:
                return event.actor
        return None

    @property
    def is_editable(self) -> bool:
        return self.state in (EntryState.DRAFT, EntryState.RETURNED)

    def __repr__(self) -> str:
        return f"<WorkflowEntry {self.id} {self.kind} {self.state.value}>"


class WorkflowEvent(db.Model):
    """History of one entry: who did what, when, from which state to which, and why."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[WorkflowAction] = mapped_column(enum_column(WorkflowAction, 12))
    from_state: Mapped[EntryState | None] = mapped_column(enum_column(EntryState, 12, name="from_state"))
    to_state: Mapped[EntryState] = mapped_column(enum_column(EntryState, 12, name="to_state"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[WorkflowEntry] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Notification(db.Model):
    """An in-app message to one user about one entry, or about a batch of entries (one step on many).

    ``message`` is the Indonesian text as it was sent (also the e-mail's); ``code`` and ``params`` let a
    page show it in the reader's language (``notify.text_of``). A batch names its entries in
    ``notification_entries`` and leads to ``link`` (a path inside the app, e.g. the filtered queue).
    """

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(sa.String(500))
    code: Mapped[str | None] = mapped_column(sa.String(40))
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entry: Mapped[WorkflowEntry | None] = relationship()


class ReminderSent(db.Model):
    """One reminder sent about one entry — or one due item that is not an entry (``item``, the key of a
    ``workflow.due_items.DueItem`` such as "decree:3:2025") — at one threshold ("7 days before", "overdue") of
    one due date: ``iku-workflow reminders send`` sends each once, however often it runs (a moved due date is
    new)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("entry_id", "threshold", "due_date"),
        sa.UniqueConstraint("item", "threshold", "due_date"),
        sa.CheckConstraint("(entry_id IS NULL) <> (item IS NULL)", name="entry_or_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="CASCADE"),
                                                 index=True)
    item: Mapped[str | None] = mapped_column(sa.String(80))
    # the office the reminder was about (an office backup takes its own reminders, item rows included)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    threshold: Mapped[str] = mapped_column(sa.String(16))  # "before-7", "before-1", "overdue"
    due_date: Mapped[date] = mapped_column(sa.Date)
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationEntry(db.Model):
    """One entry of a batch notification (read when the recipient opens or reviews any of them)."""

    __tablename__ = "notification_entries"

    notification_id: Mapped[int] = mapped_column(sa.ForeignKey("notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
