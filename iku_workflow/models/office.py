"""A kabupaten, its offices (one per kecamatan) and their sections (seksi)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow


class PaperSize(str, enum.Enum):
    F4 = "F4"
    A4 = "A4"


class Kabupaten(db.Model):
    """A kabupaten: its offices, its kabupaten users and its standard sets (``models.standard``).

    The kecamatan's IKU follow the kabupaten's (Keputusan Camat Gumukmas 2025, diktum KELIMA): the
    standard sets kept here are what a new office copies.
    """

    __tablename__ = "kabupaten"
    __table_args__ = (sa.CheckConstraint("length(code) >= 2", name="code_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)  # "jember"
    name: Mapped[str] = mapped_column(sa.String(120))  # "Jember" (without "Kabupaten")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    offices: Mapped[list["Office"]] = relationship(back_populates="kabupaten_record", order_by="Office.name")

    @property
    def full_name(self) -> str:
        return f"Kabupaten {self.name}"

    def __repr__(self) -> str:
        return f"<Kabupaten {self.code}>"


class Office(db.Model):
    """One kecamatan. Every other record belongs to exactly one office."""

    __tablename__ = "offices"
    __table_args__ = (
        sa.CheckConstraint("length(code) >= 2", name="code_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))  # "Gumukmas" (without "Kecamatan")
    kabupaten_id: Mapped[int] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="RESTRICT"), index=True)
    address: Mapped[str] = mapped_column(sa.String(255), default="")
    telephone: Mapped[str] = mapped_column(sa.String(60), default="")
    email: Mapped[str] = mapped_column(sa.String(120), default="")
    postal_code: Mapped[str] = mapped_column(sa.String(10), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")  # tempat penetapan
    camat_name: Mapped[str] = mapped_column(sa.String(160), default="")
    camat_pangkat: Mapped[str] = mapped_column(sa.String(120), default="")
    camat_nip: Mapped[str | None] = mapped_column(sa.String(18))
    signatory_acting: Mapped[str] = mapped_column(sa.String(10), default="")  # "", "Plt.", "Plh."
    paper_size: Mapped[PaperSize] = mapped_column(enum_column(PaperSize, 4), default=PaperSize.F4)
    # "KABUPATEN JEMBER" under "KEPUTUSAN CAMAT …" in the decree's title and under the jabatan in every
    # signature, as the seed decree prints them
    show_kabupaten_line: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sections: Mapped[list["Section"]] = relationship(
        back_populates="office", order_by="Section.position", cascade="all, delete-orphan"
    )
    kabupaten_record: Mapped[Kabupaten] = relationship(back_populates="offices")

    @property
    def kabupaten(self) -> str:
        """The kabupaten's name as the office's documents print it ("Jember")."""
        return self.kabupaten_record.name

    @property
    def full_name(self) -> str:
        return f"Kecamatan {self.name}"

    @property
    def jabatan_camat(self) -> str:
        return f"CAMAT {self.name.upper()}"

    @property
    def kabupaten_line(self) -> str:
        """"KABUPATEN JEMBER" when the office prints that line under the jabatan, else ""."""
        return f"KABUPATEN {self.kabupaten.upper()}" if self.show_kabupaten_line else ""

    def __repr__(self) -> str:
        return f"<Office {self.code}>"


class Section(db.Model):
    """A unit of the office: Sekretariat or a Seksi."""

    __tablename__ = "sections"
    __table_args__ = (sa.UniqueConstraint("office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(160))
    short_name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    office: Mapped[Office] = relationship(back_populates="sections")

    def __repr__(self) -> str:
        return f"<Section {self.code}>"
