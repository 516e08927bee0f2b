"""The Rencana Aksi (renaksi) of an office-year and its quarterly monitoring (RULES.md §8): per PK indicator the
target of each triwulan and the actions (kegiatan) that deliver it, with the section responsible and the budget;
per indicator and triwulan the notes on obstacles (kendala) and follow-up (tindak lanjut), reviewed through the
workflow. The realisation is never stored here: it comes from the app's own measures."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .indicators import Indicator
from .office import Section
from .user import User
from .workflow import WorkflowEntry


class RenaksiPlan(db.Model):
    """The triwulan targets of one IKU in the renaksi (read by the indicator's year rule, as the targets grid's)."""

    __tablename__ = "renaksi_plans"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id"),
        sa.CheckConstraint("(tw1 IS NULL OR tw1 >= 0) AND (tw2 IS NULL OR tw2 >= 0) AND (tw3 IS NULL OR tw3 >= 0) "
                           "AND (tw4 IS NULL OR tw4 >= 0)", name="targets_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    tw1: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    tw2: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    tw3: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    tw4: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship()
    actions: Mapped[list["RenaksiAction"]] = relationship(back_populates="plan", order_by="RenaksiAction.position",
                                                          cascade="all, delete-orphan")

    def tw_targets(self) -> dict[int, Decimal | None]:
        return {tw: (None if getattr(self, f"tw{tw}") is None else Decimal(getattr(self, f"tw{tw}")))
                for tw in (1, 2, 3, 4)}


class RenaksiAction(db.Model):
    """One action (kegiatan / sub kegiatan) of an indicator's renaksi: the section responsible and its budget."""

    __tablename__ = "renaksi_actions"
    __table_args__ = (sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("renaksi_plans.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(sa.Text)
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="SET NULL"))
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))

    plan: Mapped[RenaksiPlan] = relationship(back_populates="actions")
    section: Mapped[Section | None] = relationship()


class RenaksiNote(db.Model):
    """The monitoring notes of one IKU for one triwulan, written by its section and reviewed (``entry``)."""

    __tablename__ = "renaksi_notes"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "triwulan"),
        sa.CheckConstraint("triwulan BETWEEN 1 AND 4", name="triwulan_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    triwulan: Mapped[int] = mapped_column()
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="SET NULL"))
    kendala: Mapped[str] = mapped_column(sa.Text, default="")
    tindak_lanjut: Mapped[str] = mapped_column(sa.Text, default="")
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship()
    section: Mapped[Section | None] = relationship()
    entry: Mapped[WorkflowEntry] = relationship()
    updated_by: Mapped[User | None] = relationship()
