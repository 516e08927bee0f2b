"""The registers behind IKU 3-6. Each row owns one WorkflowEntry; only approved rows count."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import LazyString, pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.capaian import Polarity
from ..extensions import db
from ._checks import sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .workflow import WorkflowEntry


class ActivityKind(str, enum.Enum):
    PELATIHAN = "pelatihan"
    SOSIALISASI = "sosialisasi"
    BANTUAN = "bantuan"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return {
            "pelatihan": _l("Pelatihan keterampilan"),
            "sosialisasi": _l("Sosialisasi"),
            "bantuan": _l("Fasilitasi penyaluran bantuan bahan/alat"),
            "lainnya": _l("Lainnya"),
        }[self.value]


class ComplaintChannel(str, enum.Enum):
    LANGSUNG = "langsung"
    SURAT = "surat"
    WHATSAPP = "whatsapp"
    SP4N = "sp4n"
    MEDSOS = "medsos"

    @property
    def label(self) -> str:
        return {
            "langsung": _l("Langsung/lisan"),
            "surat": _l("Surat"),
            "whatsapp": _l("WhatsApp pengaduan"),
            "sp4n": _l("SP4N-LAPOR!"),
            "medsos": _l("Media sosial kecamatan"),
        }[self.value]


# "Masuk" alone is also the sign-in button; the context keeps the complaint status apart in the catalog.
_MASUK = LazyString(lambda: pgettext("status pengaduan", "Masuk"))


class ComplaintStatus(str, enum.Enum):
    MASUK = "masuk"
    DIPROSES = "diproses"
    SELESAI = "selesai"

    @property
    def label(self) -> str:
        return {"masuk": _MASUK, "diproses": _l("Diproses"), "selesai": _l("Selesai")}[self.value]


class _RegisterRow:
    """Columns every register row shares: its office, year and workflow entry."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    # What proves the row and where it is kept (e.g. "Berita acara no. …, arsip Seksi Trantib").
    evidence_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The current evidence version (a copy of the newest row of ``register_evidence_files`` for this row,
    # kept by ``registers.operations`` so lists, measures and exports read it without a join): file store key
    # "evidence/<evidence_file>", the user's file name and its type. Every version is in RegisterEvidenceFile.
    evidence_file: Mapped[str | None] = mapped_column(sa.String(64))
    evidence_filename: Mapped[str | None] = mapped_column(sa.String(200))
    evidence_mime: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Activity(_RegisterRow, db.Model):
    """IKU 3: a planned community-empowerment activity, later marked as facilitated."""

    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("planned_triwulan BETWEEN 1 AND 4", name="triwulan_range"),
        sa.CheckConstraint("NOT facilitated OR facilitated_on IS NOT NULL", name="facilitated_has_date"),
        # Covers the IKU 3 aggregate (no table reads): office, year, triwulan, facilitated, entry.
        sa.Index("ix_activities_office_year", "office_id", "year", "planned_triwulan", "facilitated", "entry_id"),
    )

    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, 12))
    planned_triwulan: Mapped[int] = mapped_column()
    desa: Mapped[str] = mapped_column(sa.String(120), default="")
    facilitated: Mapped[bool] = mapped_column(default=False)
    facilitated_on: Mapped[date | None] = mapped_column(sa.Date)

    entry: Mapped[WorkflowEntry] = relationship()


class Complaint(_RegisterRow, db.Model):
    """IKU 4: a public-order complaint (laporan/aduan trantib)."""

    __tablename__ = "complaints"
    __table_args__ = (
        sa.CheckConstraint(f"status != {sql_literal(ComplaintStatus.SELESAI)} OR resolved_on IS NOT NULL",
                           name="resolved_has_date"),
        sa.CheckConstraint("resolved_on IS NULL OR resolved_on >= received_on", name="resolved_after_received"),
        # Covers the IKU 4 aggregate (no table reads): office, year, date received, status, entry.
        sa.Index("ix_complaints_office_year", "office_id", "year", "received_on", "status", "entry_id"),
    )

    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    received_on: Mapped[date] = mapped_column(sa.Date)
    channel: Mapped[ComplaintChannel] = mapped_column(enum_column(ComplaintChannel, 12))
    desa: Mapped[str] = mapped_column(sa.String(120), default="")
    summary: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus, 10), default=ComplaintStatus.MASUK)
    resolved_on: Mapped[date | None] = mapped_column(sa.Date)
    resolution: Mapped[str] = mapped_column(sa.Text, default="")

    entry: Mapped[WorkflowEntry] = relationship()


class SakipEvaluation(_RegisterRow, db.Model):
    """IKU 5: the SAKIP evaluation score of a year from the LHE (one per office and year)."""

    __tablename__ = "sakip_evaluations"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year"),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
    )

    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    score: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    lhe_reference: Mapped[str] = mapped_column(sa.String(255), default="")  # nomor LHE
    lhe_date: Mapped[date | None] = mapped_column(sa.Date)

    entry: Mapped[WorkflowEntry] = relationship()


class ProgramIndicator(_RegisterRow, db.Model):
    """IKU 6: one program indicator of the office's Renja/DPA with its target and realisation."""

    __tablename__ = "program_indicators"
    __table_args__ = (
        sa.CheckConstraint("target >= 0", name="target_not_negative"),
        sa.Index("ix_program_indicators_office_year", "office_id", "year"),
    )

    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    program: Mapped[str] = mapped_column(sa.String(255))
    indicator: Mapped[str] = mapped_column(sa.String(255))
    unit: Mapped[str] = mapped_column(sa.String(40))
    polarity: Mapped[Polarity] = mapped_column(enum_column(Polarity, 10), default=Polarity.HIGHER)
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 4))
    realisation: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    # Stored at save time from domain.capaian (so aggregates can count it in SQL): capaian >= 100.
    achieved: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[WorkflowEntry] = relationship()


class RegisterEvidenceFile(db.Model):
    """One evidence file version of a register row (``register`` slug + ``row_id``), like DocumentFile.

    The newest version is the row's current evidence (copied into the row's evidence columns). A version
    leaves only while its row is a draft or returned, by its section's operator; ``submitted`` says it was
    part of a submission (the sekcam saw it): such a file is never removed from the store."""

    __tablename__ = "register_evidence_files"
    __table_args__ = (
        sa.UniqueConstraint("register", "row_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.Index("ix_register_evidence_files_row", "register", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(sa.String(20))  # RegisterSpec.slug
    row_id: Mapped[int] = mapped_column()  # id in the register's own table
    version: Mapped[int] = mapped_column()
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)  # file store key "evidence/<stored_name>"
    filename: Mapped[str] = mapped_column(sa.String(200))
    mime: Mapped[str] = mapped_column(sa.String(120))
    # unknown (NULL) only for files stored before versions existed; filled when such a version is submitted
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted: Mapped[bool] = mapped_column(default=False)

    uploaded_by = relationship("User")

    @property
    def key(self) -> str:
        return f"evidence/{self.stored_name}"
