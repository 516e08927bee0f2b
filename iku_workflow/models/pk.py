"""The Perjanjian Kinerja (PK) of an office-year: the Camat's with the Bupati, and the Sekretaris Camat's and each
Kepala Seksi's with the Camat (RULES.md §7); its indicator rows, its generated Word versions and the signed final."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .indicators import Indicator
from .office import Office, Section
from .user import User


class PkLevel(str, enum.Enum):
    CAMAT = "camat"  # the Camat (pihak pertama) with the Bupati (pihak kedua): the office's IKU
    SEKCAM = "sekcam"  # the Sekretaris Camat with the Camat
    SEKSI = "seksi"  # a Kepala Seksi with the Camat

    @property
    def label(self) -> str:
        return {"camat": _l("Camat dengan Bupati"), "sekcam": _l("Sekretaris Camat dengan Camat"),
                "seksi": _l("Kepala Seksi dengan Camat")}[self.value]


class PkStatus(str, enum.Enum):
    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"draft": _l("Draf"), "final": _l("Final (ditandatangani)")}[self.value]


class PerformanceAgreement(db.Model):
    """One PK of an office-year for one holder: ``holder`` is "camat", "sekcam" or "seksi-<section id>";
    ``sequence`` 0 is the PK, 1, 2 … its PK Perubahan (each a new record that keeps the one it changes).

    Both parties are stored on the PK (filled from the office profile when it is made, editable until final):
    ``first_*`` the pihak pertama (who promises), ``second_*`` the pihak kedua (the superior; the Bupati signs
    without NIP)."""

    __tablename__ = "performance_agreements"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "holder", "sequence"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("sequence >= 0", name="sequence_nonneg"),
        sa.CheckConstraint(
            f"status <> {sql_literal(PkStatus.FINAL)} OR (final_version_id IS NOT NULL AND signed_path IS NOT NULL "
            "AND finalized_at IS NOT NULL)",
            name="final_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    level: Mapped[PkLevel] = mapped_column(enum_column(PkLevel, 10))
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="RESTRICT"))
    holder: Mapped[str] = mapped_column(sa.String(40))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    amends_id: Mapped[int | None] = mapped_column(sa.ForeignKey("performance_agreements.id", ondelete="RESTRICT"))
    tempat: Mapped[str] = mapped_column(sa.String(120), default="")
    tanggal: Mapped[date | None] = mapped_column(sa.Date)
    # the date the budget (DPA) was approved: the PK is due one month after it
    dpa_date: Mapped[date | None] = mapped_column(sa.Date)
    first_name: Mapped[str] = mapped_column(sa.String(160), default="")
    first_jabatan: Mapped[str] = mapped_column(sa.String(160), default="")
    first_pangkat: Mapped[str] = mapped_column(sa.String(120), default="")
    first_nip: Mapped[str] = mapped_column(sa.String(18), default="")
    first_acting: Mapped[str] = mapped_column(sa.String(10), default="")
    second_name: Mapped[str] = mapped_column(sa.String(160), default="")
    second_jabatan: Mapped[str] = mapped_column(sa.String(160), default="")
    second_pangkat: Mapped[str] = mapped_column(sa.String(120), default="")
    second_nip: Mapped[str] = mapped_column(sa.String(18), default="")
    second_acting: Mapped[str] = mapped_column(sa.String(10), default="")
    status: Mapped[PkStatus] = mapped_column(enum_column(PkStatus, 10), default=PkStatus.DRAFT)
    final_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("performance_versions.id", ondelete="RESTRICT", use_alter=True, name="fk_pk_final_version")
    )
    signed_path: Mapped[str | None] = mapped_column(sa.String(255))
    signed_name: Mapped[str | None] = mapped_column(sa.String(255))
    signed_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    signed_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    finalized_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    office: Mapped[Office] = relationship()
    section: Mapped[Section | None] = relationship()
    targets: Mapped[list["PerformanceTarget"]] = relationship(
        back_populates="agreement", order_by="PerformanceTarget.position", cascade="all, delete-orphan")
    versions: Mapped[list["PerformanceVersion"]] = relationship(
        back_populates="agreement", order_by="PerformanceVersion.number",
        foreign_keys="PerformanceVersion.agreement_id", cascade="all, delete-orphan")
    final_version: Mapped["PerformanceVersion | None"] = relationship(foreign_keys=[final_version_id],
                                                                      post_update=True)
    finalized_by: Mapped[User | None] = relationship(foreign_keys=[finalized_by_id])
    amends: Mapped["PerformanceAgreement | None"] = relationship(remote_side=[id], foreign_keys=[amends_id])

    @property
    def is_final(self) -> bool:
        return self.status is PkStatus.FINAL

    @property
    def is_amendment(self) -> bool:
        return self.sequence > 0

    def __repr__(self) -> str:
        return f"<PerformanceAgreement {self.office_id}/{self.year} {self.holder} #{self.sequence}>"


class PerformanceTarget(db.Model):
    """One row of the PK's table 1: sasaran strategis, indikator kinerja, target with its unit. ``indicator_id``
    names the office's IKU the row is (Camat's PK) or cascades to (a section's PK); none for a row of its own."""

    __tablename__ = "performance_targets"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "position"),
        sa.CheckConstraint("target IS NULL OR target >= 0", name="target_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_agreements.id", ondelete="CASCADE"),
                                              index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    sasaran: Mapped[str] = mapped_column(sa.Text, default="")
    indicator_text: Mapped[str] = mapped_column(sa.Text)
    target: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    indicator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("indicators.id", ondelete="SET NULL"))

    agreement: Mapped[PerformanceAgreement] = relationship(back_populates="targets")
    indicator: Mapped[Indicator | None] = relationship()


class PerformanceVersion(db.Model):
    """One generated .docx of a PK (statement page and lampiran), with the frozen snapshot of both signatories,
    the targets and the programs it printed. The file is in the file store under ``file_key``."""

    __tablename__ = "performance_versions"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("performance_agreements.id", ondelete="CASCADE"),
                                              index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    file_key: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    verify_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agreement: Mapped[PerformanceAgreement] = relationship(back_populates="versions", foreign_keys=[agreement_id])
    created_by: Mapped[User | None] = relationship()

    @property
    def created_by_name(self) -> str:
        return self.created_by.full_name if self.created_by else "baris perintah (CLI)"
