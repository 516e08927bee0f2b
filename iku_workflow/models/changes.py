"""Changes proposed to something already approved: a register row's new values, or a request to reopen an
approved document. Each change owns its own WorkflowEntry (reviewed like everything else); the thing it
changes keeps its approved values, and keeps counting with them, until that entry is approved."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .workflow import WorkflowEntry


class ChangeRequest(db.Model):
    """One proposed change of an approved thing (``target_entry``).

    ``register`` is the register slug and ``row_id`` the row when a register row changes (``proposed``:
    field -> new value, JSON-encoded; ``old_values``: the values it replaced, written when applied); both
    are NULL for a request to reopen an approved document (``reason`` says why).
    """

    __tablename__ = "change_requests"
    __table_args__ = (
        sa.CheckConstraint("(register IS NULL) = (row_id IS NULL)", name="row_with_register"),
        sa.Index("ix_change_requests_target", "target_entry_id", "id"),
        sa.Index("ix_change_requests_row", "office_id", "register", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    # the change's own review
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    # the approved thing it changes (a register row's or a document's entry)
    target_entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="CASCADE"))
    # the target's entry version the change was proposed against: a target changed since is not overwritten
    base_version: Mapped[int] = mapped_column()
    register: Mapped[str | None] = mapped_column(sa.String(40))
    row_id: Mapped[int | None] = mapped_column()
    proposed: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    old_values: Mapped[dict | None] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text)
    # an optional new evidence file (file store key "evidence/<evidence_file>"), given to the row when applied
    evidence_file: Mapped[str | None] = mapped_column(sa.String(64))
    evidence_filename: Mapped[str | None] = mapped_column(sa.String(200))
    evidence_mime: Mapped[str | None] = mapped_column(sa.String(120))
    evidence_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entry: Mapped[WorkflowEntry] = relationship(foreign_keys=[entry_id])
    target_entry: Mapped[WorkflowEntry] = relationship(foreign_keys=[target_entry_id])
