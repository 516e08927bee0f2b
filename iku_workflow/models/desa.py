"""The desa of an office: the list a complaint's or an activity's desa is chosen from.

Rows keep the desa as its name (``Complaint.desa``, ``Activity.desa``: the clean name of a `Desa` of
their office); renaming a desa renames it in the office's rows too (``registers.desa.rename``). A desa
is deactivated, never deleted: old rows keep it, new rows cannot choose it.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import UTCDateTime, utcnow


class Desa(db.Model):
    __tablename__ = "desa"
    __table_args__ = (
        # one office holds each name once after trimming and case-folding (domain.desa.name_key)
        sa.UniqueConstraint("office_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_key: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Desa {self.name}>"
