"""Evidence documents of IKU 1: the catalogue of document types, the documents a year requires, and
the uploaded file versions. Each required document owns one WorkflowEntry (kind "document"); its
responsible section and due date live on that entry, so the review queue and task list see them."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow
from .office import Section
from .user import User
from .workflow import WorkflowEntry


class DocumentGroup(str, enum.Enum):
    """The four groups of IKU 1's explanation in the decree (Keputusan Camat Gumukmas 2025, lampiran)."""

    LAKIP = "lakip"
    ANJAB = "anjab"
    ORGANISASI = "organisasi"
    PELAYANAN = "pelayanan"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


GROUP_LABELS = {
    DocumentGroup.LAKIP: _l("Dokumen LAKIP"),
    DocumentGroup.ANJAB: _l("Dokumen Anjab"),
    DocumentGroup.ORGANISASI: _l("Dokumen Penataan Organisasi"),
    DocumentGroup.PELAYANAN: _l("Dokumen Pelayanan Publik dan Tata Laksana"),
}


class DocumentType(db.Model):
    """One kind of document in an office's catalogue; ``code`` is stable (other capabilities find
    e.g. the year's "laporan_skm" by it)."""

    __tablename__ = "document_types"
    __table_args__ = (sa.UniqueConstraint("office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(160))
    group: Mapped[DocumentGroup] = mapped_column(enum_column(DocumentGroup, 12))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<DocumentType {self.code}>"


class RequiredDocument(db.Model):
    """A document the office must have for a year; its review state is ``entry``."""

    __tablename__ = "required_documents"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "type_id"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("document_types.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    # copied from the kabupaten's catalogue: its row and the hash of the content copied (or last taken)
    standard_id: Mapped[int | None] = mapped_column(sa.ForeignKey("standard_documents.id", ondelete="SET NULL"))
    standard_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    type: Mapped[DocumentType] = relationship()
    entry: Mapped[WorkflowEntry] = relationship()
    files: Mapped[list["DocumentFile"]] = relationship(
        back_populates="document", order_by="DocumentFile.version.desc()"
    )

    @property
    def section(self) -> Section | None:
        return self.entry.section

    @property
    def due_date(self) -> date | None:
        return self.entry.due_date

    def __repr__(self) -> str:
        return f"<RequiredDocument {self.year} {self.type_id}>"


class DocumentFile(db.Model):
    """One uploaded file version; never overwritten. Removed only while its document is a draft or
    returned and the version was never submitted (``documents.operations.delete_file``)."""

    __tablename__ = "document_files"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("required_documents.id", ondelete="RESTRICT"), index=True)
    version: Mapped[int] = mapped_column()
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    relative_dir: Mapped[str] = mapped_column(sa.String(120))  # "<office_code>/<year>"
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    mime: Mapped[str] = mapped_column(sa.String(120))
    extension: Mapped[str] = mapped_column(sa.String(10))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[RequiredDocument] = relationship(back_populates="files")
    uploaded_by: Mapped[User | None] = relationship()
