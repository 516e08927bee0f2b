"""The IKU of an office for a year: tujuan, indikator tujuan, the indicators themselves and their targets."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.capaian import LowerFormula, Polarity, YearRule
from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow
from .office import Section
from .user import User


class Unit(str, enum.Enum):
    DOKUMEN = "dokumen"
    INDEKS = "indeks"
    PERSEN = "%"
    NILAI = "nilai"


class Tujuan(db.Model):
    """One tujuan of the office's IKU decree (numbered by position)."""

    __tablename__ = "tujuan"
    __table_args__ = (sa.UniqueConstraint("office_id", "year", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)


class IndikatorTujuan(db.Model):
    """The indicator(s) of the tujuan, e.g. "Hasil Survei Kepuasan Masyarakat (SKM)"."""

    __tablename__ = "indikator_tujuan"
    __table_args__ = (sa.UniqueConstraint("office_id", "year", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)


indicator_sections = sa.Table(
    "indicator_sections",
    db.metadata,
    sa.Column("indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("section_id", sa.ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True),
)


class IkuContent:
    """What an IKU says and how it is measured: an office's indicator and the kabupaten's standard one alike."""

    kinerja_utama: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)  # the indikator kinerja utama
    # Blocks: para / bullets / numbered / fraction (see templates/indicators/_formulation.html).
    formulation: Mapped[list] = mapped_column(sa.JSON, default=list)
    bidang_text: Mapped[str] = mapped_column(sa.Text, default="")
    sumber_data: Mapped[str] = mapped_column(sa.Text, default="")
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, 10), default=Unit.PERSEN)
    polarity: Mapped[Polarity] = mapped_column(enum_column(Polarity, 10), default=Polarity.HIGHER)
    lower_formula: Mapped[LowerFormula] = mapped_column(enum_column(LowerFormula, 12), default=LowerFormula.TWICE_TARGET)
    year_rule: Mapped[YearRule] = mapped_column(enum_column(YearRule, 12), default=YearRule.LAST)
    # How the realisation is obtained: the key of a measure an installed capability declares
    # (``measures.Measure``; checked at start-up and on every edit).
    measure: Mapped[str] = mapped_column(sa.String(40))


class Indicator(IkuContent, db.Model):
    """One IKU of an office for a year, as the decree's annex prints it, plus how it is measured."""

    __tablename__ = "indicators"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "number"),
        sa.CheckConstraint("number BETWEEN 1 AND 99", name="number_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    # copied from the kabupaten's standard set: its row and the hash of the content copied (or last taken)
    standard_id: Mapped[int | None] = mapped_column(sa.ForeignKey("standard_indicators.id", ondelete="SET NULL"))
    standard_hash: Mapped[str | None] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    sections: Mapped[list[Section]] = relationship(secondary=indicator_sections, order_by=Section.position)
    targets: Mapped[list["Target"]] = relationship(back_populates="indicator", cascade="all, delete-orphan",
                                                   order_by="Target.triwulan")

    def __repr__(self) -> str:
        return f"<Indicator {self.year} IKU {self.number}>"


class Target(db.Model):
    """The target of an indicator for its year (triwulan NULL) or for one triwulan (1..4)."""

    __tablename__ = "targets"
    __table_args__ = (
        # NULL triwulan = the year's target; a partial unique index keeps it single on both backends.
        sa.UniqueConstraint("indicator_id", "triwulan"),
        sa.Index("uq_targets_year_target", "indicator_id", unique=True,
                 sqlite_where=sa.text("triwulan IS NULL"), postgresql_where=sa.text("triwulan IS NULL")),
        sa.CheckConstraint("triwulan IS NULL OR triwulan BETWEEN 1 AND 4", name="triwulan_range"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    triwulan: Mapped[int | None] = mapped_column()
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class TargetChange(db.Model):
    """History of a target: old and new value, who changed it and when."""

    __tablename__ = "target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    triwulan: Mapped[int | None] = mapped_column()
    old_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    new_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    changed_by: Mapped[User | None] = relationship()
