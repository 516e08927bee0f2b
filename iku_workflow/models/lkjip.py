"""What the LKjIP's Bab III needs beyond the year's own data (RULES.md §9).

- ``LkjipPastValue``: an indicator's realisation (and capaian) of an earlier year that was not run in the
  app, entered once with its source (e.g. "LKjIP 2023, hal. 14").
- ``RenstraPeriod`` / ``RenstraTarget``: the office's five-year Renstra period and its end-of-period
  target per indicator.
- ``LkjipFactor``: per office-year and indicator the supporting and hindering factors and the efforts,
  written by the responsible section and reviewed through the workflow (its ``entry``).

Indicators are matched across years by their IKU number (an office's IKU keep their numbers)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .office import Section
from .workflow import WorkflowEntry


class LkjipPastValue(db.Model):
    """An earlier year's figure of one indicator, typed from a document (``source``)."""

    __tablename__ = "lkjip_past_values"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "indicator_number", "year"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("indicator_number BETWEEN 1 AND 99", name="number_range"),
        sa.CheckConstraint("realisation >= 0", name="realisation_not_negative"),
        sa.CheckConstraint("capaian IS NULL OR capaian >= 0", name="capaian_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    indicator_number: Mapped[int] = mapped_column()
    year: Mapped[int] = mapped_column()
    realisation: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    capaian: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    source: Mapped[str] = mapped_column(sa.String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RenstraPeriod(db.Model):
    """The office's Renstra of five years: ``start_year`` .. ``end_year`` (= start + 4)."""

    __tablename__ = "renstra_periods"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "start_year"),
        sa.CheckConstraint("start_year BETWEEN 2000 AND 2096", name="start_range"),
        sa.CheckConstraint("end_year = start_year + 4", name="five_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    start_year: Mapped[int] = mapped_column()
    end_year: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    targets: Mapped[list["RenstraTarget"]] = relationship(back_populates="period", cascade="all, delete-orphan",
                                                          order_by="RenstraTarget.indicator_number")

    @property
    def label(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class RenstraTarget(db.Model):
    """The end-of-period target of one indicator (by IKU number) in a Renstra period."""

    __tablename__ = "renstra_targets"
    __table_args__ = (
        sa.UniqueConstraint("period_id", "indicator_number"),
        sa.CheckConstraint("indicator_number BETWEEN 1 AND 99", name="number_range"),
        sa.CheckConstraint("target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("renstra_periods.id", ondelete="CASCADE"))
    indicator_number: Mapped[int] = mapped_column()
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))

    period: Mapped[RenstraPeriod] = relationship(back_populates="targets")


class LkjipFactor(db.Model):
    """Faktor pendukung, penghambat and upaya of one indicator in one year; reviewed as ``entry``."""

    __tablename__ = "lkjip_factors"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "indicator_number"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("indicator_number BETWEEN 1 AND 99", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    indicator_number: Mapped[int] = mapped_column()
    pendukung: Mapped[str] = mapped_column(sa.Text, default="")
    penghambat: Mapped[str] = mapped_column(sa.Text, default="")
    upaya: Mapped[str] = mapped_column(sa.Text, default="")
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    entry: Mapped[WorkflowEntry] = relationship()

    @property
    def section(self) -> Section | None:
        return self.entry.section
