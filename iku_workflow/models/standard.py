"""The kabupaten's standard sets: what every office of the kabupaten copies for a year.

A kabupaten admin keeps, per year: the IKU set (tujuan, indikator tujuan and the IKU with their texts,
unit, polarity, year rule, measure kind, the section kinds that answer for them, sumber data and the
default target), the required-document catalogue with its due dates (the jadwal), and, once for all
years, the section template. An office copies them (``kabupaten.standard.apply_standard``) and then
owns its copy: each copied indicator and required document remembers the standard row and the hash of
the content it copied (``standard_id``, ``standard_hash``), so a later change of the standard can be
offered to the office without ever overwriting what the office edited itself.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import in_list_check
from ._types import UTCDateTime, enum_column, utcnow
from .documents import DocumentGroup
from .indicators import IkuContent
from .office import Kabupaten


class StandardSection(db.Model):
    """One section of the kabupaten's section template; its ``code`` is the section kind."""

    __tablename__ = "standard_sections"
    __table_args__ = (sa.UniqueConstraint("kabupaten_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(160))
    short_name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)


#: a standard goal is a tujuan or an indikator tujuan
GOAL_KINDS = ("tujuan", "indikator")


class StandardGoal(db.Model):
    """A tujuan (``kind`` "tujuan") or an indikator tujuan (``kind`` "indikator") of the year's set."""

    __tablename__ = "standard_goals"
    __table_args__ = (
        sa.UniqueConstraint("kabupaten_id", "year", "kind", "position"),
        in_list_check("kind", GOAL_KINDS, name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)


class StandardIndicator(IkuContent, db.Model):
    """One IKU of the kabupaten's standard set for a year (its texts and measure: ``IkuContent``)."""

    __tablename__ = "standard_indicators"
    __table_args__ = (
        sa.UniqueConstraint("kabupaten_id", "year", "number"),
        sa.CheckConstraint("number BETWEEN 1 AND 99", name="number_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    # the section kinds (StandardSection.code) that answer for it by default
    section_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    default_target: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    kabupaten: Mapped[Kabupaten] = relationship()


class StandardDocument(db.Model):
    """One required document of the kabupaten's catalogue for a year, with its due date (the jadwal)."""

    __tablename__ = "standard_documents"
    __table_args__ = (
        sa.UniqueConstraint("kabupaten_id", "year", "code"),
        sa.CheckConstraint("due_month BETWEEN 1 AND 12 AND due_day BETWEEN 1 AND 31", name="due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(160))
    group: Mapped[DocumentGroup] = mapped_column(enum_column(DocumentGroup, 12))
    section_code: Mapped[str] = mapped_column(sa.String(40))  # the owning section kind
    due_month: Mapped[int] = mapped_column()
    due_day: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class StandardDecreeText(db.Model):
    """The year's default texts of the Camat's decree on the IKU (a new decree of an office starts from them).

    ``{kecamatan}`` and ``{kabupaten}`` in a text are replaced by the office's and the kabupaten's names
    when an office starts its decree. The diktum stay the reference decree's (each office edits its own).
    """

    __tablename__ = "standard_decree_texts"
    __table_args__ = (sa.UniqueConstraint("kabupaten_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    tentang: Mapped[str] = mapped_column(sa.Text)
    menimbang: Mapped[list] = mapped_column(sa.JSON, default=list)
    mengingat: Mapped[list] = mapped_column(sa.JSON, default=list)
    memperhatikan: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
