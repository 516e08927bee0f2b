"""The office in its documents: the uploaded kop template and the kabupaten's lambang."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import in_list_check
from ._types import UTCDateTime, utcnow
from .user import User


class OfficeTemplate(db.Model):
    """An uploaded base .docx (kop, page setup, styles), in the file store under ``file_key``. The newest
    active one is used; older ones are kept."""

    __tablename__ = "office_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    file_key: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    active: Mapped[bool] = mapped_column(default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


#: The pictures a lambang may be (checked by content on upload, ``letterhead.logo``).
LOGO_MIMES = ("image/png", "image/jpeg")


class OfficeLogo(db.Model):
    """The kabupaten's lambang the office uploaded (PNG or JPEG, checked by content), printed at the left of
    every kop. The newest active one is used; a replaced or removed one is kept, inactive."""

    __tablename__ = "office_logos"
    __table_args__ = (
        in_list_check("mime", LOGO_MIMES, name="mime_known"),
        sa.CheckConstraint("width_px > 0 AND height_px > 0", name="dimensions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    mime: Mapped[str] = mapped_column(sa.String(20))
    file_key: Mapped[str] = mapped_column(sa.String(255))  # the picture, in the file store
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    width_px: Mapped[int] = mapped_column(sa.Integer)
    height_px: Mapped[int] = mapped_column(sa.Integer)
    active: Mapped[bool] = mapped_column(default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
