"""Users, their roles, and the session token that lets sign-out revoke old cookies."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._checks import sql_literal
from ._types import UTCDateTime, enum_column, utcnow
from .office import Kabupaten, Office, Section


class Role(str, enum.Enum):
    ADMIN = "admin"
    CAMAT = "camat"
    SEKCAM = "sekcam"
    SEKSI = "seksi"
    VIEWER = "viewer"
    # kabupaten-level users (no office): read across the kabupaten's offices; the admin also manages them
    KABUPATEN = "kabupaten"
    KABUPATEN_ADMIN = "kab_admin"

    @property
    def is_kabupaten(self) -> bool:
        return self in KABUPATEN_ROLES

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.CAMAT: _l("Camat"),
    Role.SEKCAM: _l("Sekretaris Camat"),
    Role.SEKSI: _l("Operator Seksi"),
    Role.VIEWER: _l("Pemantau"),
    Role.KABUPATEN: _l("Pemantau Kabupaten"),
    Role.KABUPATEN_ADMIN: _l("Admin Kabupaten"),
}
KABUPATEN_ROLES = frozenset({Role.KABUPATEN, Role.KABUPATEN_ADMIN})
OFFICE_ROLES = tuple(r for r in Role if r not in KABUPATEN_ROLES)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # An operator of a section must have a section; the schema refuses it even if a view forgets.
        sa.CheckConstraint(f"role != {sql_literal(Role.SEKSI)} OR section_id IS NOT NULL", name="seksi_has_section"),
        # an office user belongs to one office; a kabupaten user to one kabupaten and no office
        sa.CheckConstraint(
            f"(role IN ({sql_literal(Role.KABUPATEN)}, {sql_literal(Role.KABUPATEN_ADMIN)})"
            " AND office_id IS NULL AND kabupaten_id IS NOT NULL AND section_id IS NULL)"
            f" OR (role NOT IN ({sql_literal(Role.KABUPATEN)}, {sql_literal(Role.KABUPATEN_ADMIN)})"
            " AND office_id IS NOT NULL AND kabupaten_id IS NULL)", name="office_or_kabupaten"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    kabupaten_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kabupaten.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(160))
    nip: Mapped[str | None] = mapped_column(sa.String(18))
    email: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, 10))
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(default=True)
    # the password was set by someone else (an admin, an import): the user chooses their own at next sign-in
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office: Mapped[Office | None] = relationship()
    kabupaten_record: Mapped[Kabupaten | None] = relationship()

    @property
    def home_kabupaten_id(self) -> int | None:
        """The kabupaten the user works in: their own (kabupaten users) or their office's."""
        if self.kabupaten_id is not None:
            return self.kabupaten_id
        return self.office.kabupaten_id if self.office is not None else None
    section: Mapped[Section | None] = relationship()

    # Flask-Login: the cookie carries the session token, not the id, so rotating it revokes sessions.
    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return bool(self.active)

    def rotate_session(self) -> None:
        self.session_token = new_session_token()

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class LoginFailure(db.Model):
    """Failed sign-ins of one username from one address, and the backoff they earned.

    Kept per (username, address) rather than per account: a stranger typing wrong passwords from
    another address slows only that address down, never the owner at theirs. Unknown usernames are
    counted the same way, so the answer never tells whether an account exists."""

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.UniqueConstraint("username", "address"),
        sa.CheckConstraint("failures >= 0", name="failures_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60))  # as typed, lower-cased, cut to the column
    address: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
