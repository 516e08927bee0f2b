"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): periods, responses, imports and the approved result.

A period collects responses while open; closing it freezes them and submits its result set into the
workflow (``entry``, kind "survey_result"). ``SurveyResult`` is the snapshot of the sums taken at
closing, so an approved IKM cannot move when rows change later.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import skm_response as fields
from ..domain.dates import PERIOD_LABELS
from ..formatting import semester_label, triwulan_label
from ..domain.skm import Weighting
from ..extensions import db
from ._checks import between_check, in_list_check, sql_list, sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .office import Office, Section
from .user import User
from .workflow import WorkflowEntry

UNSUR_COLUMNS = tuple(answer.column for answer in fields.ANSWERS)  # u1 .. u9


class PeriodStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": _l("Dibuka"), "closed": _l("Ditutup")}[self.value]


class ResponseSource(str, enum.Enum):
    PUBLIC = "public"
    STAFF = "staff"
    IMPORT = "import"

    @property
    def label(self) -> str:
        return {"public": _l("Formulir publik"), "staff": _l("Entri petugas"), "import": _l("Impor berkas")}[self.value]


class SurveyPeriod(db.Model):
    """One survey period of an office: a semester, triwulan or the whole year."""

    __tablename__ = "survey_periods"
    __table_args__ = (
        sa.UniqueConstraint("office_id", "year", "label"),
        in_list_check("label", PERIOD_LABELS, separator=","),  # spaced as 0005 wrote it (SQLite keeps the text)
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("population IS NULL OR population > 0", name="population_positive"),
        in_list_check("weighting", Weighting),
        sa.CheckConstraint(f"status != {sql_literal(PeriodStatus.CLOSED)} OR closed_at IS NOT NULL",
                           name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(sa.String(6))
    status: Mapped[PeriodStatus] = mapped_column(enum_column(PeriodStatus, 8), default=PeriodStatus.OPEN)
    population: Mapped[int | None] = mapped_column()
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)  # public short link /s/<code>
    weighting: Mapped[str] = mapped_column(sa.String(8), default="exact")
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("workflow_entries.id", ondelete="RESTRICT"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[Office] = relationship()
    entry: Mapped[WorkflowEntry] = relationship()
    created_by: Mapped[User | None] = relationship()
    services: Mapped[list["SurveyService"]] = relationship(
        back_populates="period", order_by="SurveyService.position", cascade="all, delete-orphan"
    )
    result: Mapped["SurveyResult | None"] = relationship(back_populates="period", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status is PeriodStatus.OPEN

    @property
    def title(self) -> str:
        return f"{period_name(self.label)} {self.year}"

    def __repr__(self) -> str:
        return f"<SurveyPeriod {self.office_id} {self.year} {self.label}>"


def period_name(label: str) -> str:
    """"S1" -> "Semester I", "TW3" -> "Triwulan III", "TAHUN" -> "Tahun"."""
    if label.startswith("S"):
        return semester_label(int(label[1]))
    if label.startswith("TW"):
        return triwulan_label(int(label[2]))
    return "Tahun"


class SurveyService(db.Model):
    """A service type offered in a period (KTP-el, Kartu Keluarga, ...), what respondents received."""

    __tablename__ = "survey_services"
    __table_args__ = (sa.UniqueConstraint("period_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[SurveyPeriod] = relationship(back_populates="services")


class SurveyImport(db.Model):
    """One imported file; its SHA-256 refuses the same bytes a second time for the period."""

    __tablename__ = "survey_imports"
    __table_args__ = (sa.UniqueConstraint("period_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(255))
    rows: Mapped[int] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyPublicToken(db.Model):
    """A public questionnaire's form token that has been answered: each rendered form stores one answer.

    The token is signed (public.py) and carries a random ``nonce``; the first answer with it records the
    nonce here, a replay of the same token finds it (the primary key also stops two at the same moment).
    Kept when the answer is later deleted, so a deleted spam answer cannot be posted again."""

    __tablename__ = "survey_public_tokens"

    nonce: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyResponse(db.Model):
    """One respondent's questionnaire: all nine answers and the profile.

    The CHECK constraints are the field declarations of `domain.skm_response` (bounds, code lists).
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        *(between_check(spec.column, spec.low, spec.high) for spec in (*fields.ANSWERS, fields.USIA)),
        in_list_check("jenis_kelamin", fields.PROFILE_CODES["jenis_kelamin"].codes),
        # spaced as 0005 wrote them (SQLite keeps a constraint's text as written)
        in_list_check("pendidikan", fields.PROFILE_CODES["pendidikan"].codes, separator=","),
        in_list_check("pekerjaan", fields.PROFILE_CODES["pekerjaan"].codes, separator=","),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_services.id", ondelete="RESTRICT"))
    tanggal: Mapped[date] = mapped_column(sa.Date)
    jenis_kelamin: Mapped[str] = mapped_column(sa.String(1))
    usia: Mapped[int] = mapped_column(sa.SmallInteger)
    pendidikan: Mapped[str] = mapped_column(sa.String(8))
    pekerjaan: Mapped[str] = mapped_column(sa.String(12))
    u1: Mapped[int] = mapped_column(sa.SmallInteger)
    u2: Mapped[int] = mapped_column(sa.SmallInteger)
    u3: Mapped[int] = mapped_column(sa.SmallInteger)
    u4: Mapped[int] = mapped_column(sa.SmallInteger)
    u5: Mapped[int] = mapped_column(sa.SmallInteger)
    u6: Mapped[int] = mapped_column(sa.SmallInteger)
    u7: Mapped[int] = mapped_column(sa.SmallInteger)
    u8: Mapped[int] = mapped_column(sa.SmallInteger)
    u9: Mapped[int] = mapped_column(sa.SmallInteger)
    source: Mapped[ResponseSource] = mapped_column(enum_column(ResponseSource, 8))
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_imports.id", ondelete="CASCADE"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    service: Mapped[SurveyService] = relationship()
    period: Mapped[SurveyPeriod] = relationship(viewonly=True)

    @property
    def office_id(self) -> int:
        """The office of the response's period, so that ``access.can`` checks the office of a response too."""
        return self.period.office_id

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in UNSUR_COLUMNS)


class SurveyResult(db.Model):
    """The sums of a closed period, taken when it was closed: what the reviewer approves."""

    __tablename__ = "survey_results"
    __table_args__ = (
        sa.CheckConstraint("respondents >= 0", name="respondents_nonnegative"),
        *(sa.CheckConstraint(f"s{c[1:]} >= 0", name=f"s{c[1:]}_nonnegative") for c in UNSUR_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), unique=True)
    respondents: Mapped[int] = mapped_column()
    s1: Mapped[int] = mapped_column(sa.BigInteger)
    s2: Mapped[int] = mapped_column(sa.BigInteger)
    s3: Mapped[int] = mapped_column(sa.BigInteger)
    s4: Mapped[int] = mapped_column(sa.BigInteger)
    s5: Mapped[int] = mapped_column(sa.BigInteger)
    s6: Mapped[int] = mapped_column(sa.BigInteger)
    s7: Mapped[int] = mapped_column(sa.BigInteger)
    s8: Mapped[int] = mapped_column(sa.BigInteger)
    s9: Mapped[int] = mapped_column(sa.BigInteger)
    weighting: Mapped[str] = mapped_column(sa.String(8))
    ikm: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 4))
    konversi: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    mutu: Mapped[str] = mapped_column(sa.String(1), default="")
    kinerja: Mapped[str] = mapped_column(sa.String(20), default="")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    period: Mapped[SurveyPeriod] = relationship(back_populates="result")

    @property
    def sums(self) -> dict[str, int]:
        return {f"u{i}": getattr(self, f"s{i}") for i in range(1, 10)}


#: Longest "Saran dan masukan" and "Apa yang perlu diperbaiki?" texts a respondent may write.
SARAN_MAX = 1000
PERBAIKAN_MAX = 300


class SurveyComment(db.Model):
    """A respondent's own words: the "Saran dan masukan" of a questionnaire (``unsur`` NULL) or, for an
    unsur answered 1 or 2, what should be improved (``unsur`` "u1" .. "u9"). Deleted with the response."""

    __tablename__ = "survey_comments"
    __table_args__ = (
        sa.CheckConstraint(f"unsur IS NULL OR unsur IN {sql_list(UNSUR_COLUMNS, ',')}", name="unsur_known"),
        sa.UniqueConstraint("response_id", "unsur"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    unsur: Mapped[str | None] = mapped_column(sa.String(2))
    text: Mapped[str] = mapped_column(sa.String(SARAN_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyKiosk(db.Model):
    """A counter tablet of a period (kiosk mode): opened from a signed link that carries ``secret``.

    The device keeps a cookie with the same signed pair; a revoked kiosk (``revoked_at``) or a new
    secret makes both the link and the cookie worthless."""

    __tablename__ = "survey_kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    secret: Mapped[str] = mapped_column(sa.String(43))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    period: Mapped[SurveyPeriod] = relationship()

    @property
    def office_id(self) -> int:
        return self.period.office_id


class SurveyFollowUp(db.Model):
    """One line of a period's rencana tindak lanjut: what a section does about a weak unsur, by when."""

    __tablename__ = "survey_followups"
    __table_args__ = (
        in_list_check("unsur", UNSUR_COLUMNS, separator=","),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_periods.id", ondelete="CASCADE"), index=True)
    unsur: Mapped[str] = mapped_column(sa.String(2))
    action: Mapped[str] = mapped_column(sa.String(1000))
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="SET NULL"))
    due_date: Mapped[date] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    period: Mapped[SurveyPeriod] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def office_id(self) -> int:
        return self.period.office_id
