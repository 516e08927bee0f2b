"""The office's programs of a year with their budget (pagu, from the DPA) and its realisation.

Shared by the Perjanjian Kinerja (table 2: No | Program | Anggaran (Rp) | Keterangan, RULES.md §7) and the
LKjIP's Bab III (per program: pagu, realisation, % serapan and efficiency, RULES.md §9)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import UTCDateTime, utcnow


class ProgramBudget(db.Model):
    """One program of the office-year: its code and name, the budget (pagu anggaran, Rp) and the budget
    realised (realisasi anggaran, Rp; unknown until entered). ``source`` says where the row came from:
    "manual" (typed) or "dpa" (imported from the DPA sheet)."""

    __tablename__ = "program_budgets"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "name"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("budget >= 0", name="budget_not_negative"),
        sa.CheckConstraint("realisation IS NULL OR realisation >= 0", name="realisation_not_negative"),
        sa.Index("ix_program_budgets_office_year", "office_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column(default=1)
    code: Mapped[str] = mapped_column(sa.String(60), default="")  # kode program, e.g. "7.01.01"
    name: Mapped[str] = mapped_column(sa.String(255))
    budget: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    realisation: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    note: Mapped[str] = mapped_column(sa.String(255), default="")  # keterangan (e.g. "APBD")
    source: Mapped[str] = mapped_column(sa.String(10), default="manual")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
