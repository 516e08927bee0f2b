"""The Keputusan Camat on the IKU of a year, its generated Word versions, and the office's kop template and
lambang (logo)."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .office import Office
from .user import User


class DecreeStatus(str, enum.Enum):
    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"draft": _l("Draf"), "final": _l("Final (ditetapkan)")}[self.value]


class Decree(db.Model):
    """One office's decree on its IKU for one year.

    The list fields hold plain strings in order; ``diktum`` holds ``{text, items, item_style}``
    dicts (the shape of :class:`iku_workflow.reports.context.Diktum`). A final decree points at the
    version that was signed and holds the signed scan (a PDF in the file store under ``signed_path``).
    """

    __tablename__ = "decrees"
    __table_args__ = (
        # 0 = the year's decree, 1, 2 … its decrees of change (SK perubahan)
        sa.UniqueConstraint("office_id", "year", "sequence"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("sequence >= 0", name="sequence_nonneg"),
        # a final decree names its version, its scan and who set it
        sa.CheckConstraint(
            f"status <> {sql_literal(DecreeStatus.FINAL)} OR (final_version_id IS NOT NULL AND signed_path IS NOT NULL "
            "AND finalized_at IS NOT NULL)",
            name="final_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # an SK perubahan names the final decree it changes
    amends_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decrees.id", ondelete="RESTRICT"))
    nomor: Mapped[str] = mapped_column(sa.String(120), default="")
    tempat: Mapped[str] = mapped_column(sa.String(120), default="")
    tanggal: Mapped[date | None] = mapped_column(sa.Date)
    tentang: Mapped[str] = mapped_column(sa.Text, default="")
    menimbang: Mapped[list] = mapped_column(sa.JSON, default=list)
    mengingat: Mapped[list] = mapped_column(sa.JSON, default=list)
    memperhatikan: Mapped[list] = mapped_column(sa.JSON, default=list)
    diktum: Mapped[list] = mapped_column(sa.JSON, default=list)
    tembusan: Mapped[list] = mapped_column(sa.JSON, default=list)
    tugas: Mapped[list] = mapped_column(sa.JSON, default=list)
    fungsi: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[DecreeStatus] = mapped_column(enum_column(DecreeStatus, 10), default=DecreeStatus.DRAFT)
    final_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("decree_versions.id", ondelete="RESTRICT", use_alter=True, name="fk_decrees_final_version")
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
    versions: Mapped[list["DecreeVersion"]] = relationship(
        back_populates="decree", order_by="DecreeVersion.number", foreign_keys="DecreeVersion.decree_id",
        cascade="all, delete-orphan",
    )
    final_version: Mapped["DecreeVersion | None"] = relationship(foreign_keys=[final_version_id], post_update=True)
    finalized_by: Mapped[User | None] = relationship(foreign_keys=[finalized_by_id])
    amends: Mapped["Decree | None"] = relationship(remote_side=[id], foreign_keys=[amends_id])

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None

    @property
    def is_final(self) -> bool:
        return self.status is DecreeStatus.FINAL

    def __repr__(self) -> str:
        return f"<Decree {self.office_id}/{self.year} {self.status.value}>"


class DecreeVersion(db.Model):
    """One generated .docx of a decree, kept with who made it, when, and the content it was made from.

    The file itself is in the file store under ``file_key`` (``iku_workflow.storage``)."""

    __tablename__ = "decree_versions"
    __table_args__ = (
        sa.UniqueConstraint("decree_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(sa.ForeignKey("decrees.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    file_key: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # the random part of the public verification link printed (with its QR code) in the footer
    verify_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decree: Mapped[Decree] = relationship(back_populates="versions", foreign_keys=[decree_id])
    created_by: Mapped[User | None] = relationship()

    @property
    def created_by_name(self) -> str:
        # versions built by the command line have no user
        return self.created_by.full_name if self.created_by else "baris perintah (CLI)"
