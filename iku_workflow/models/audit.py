"""The append-only, hash-chained audit log.

Each office has one chain (events without an office, such as a sign-in with an unknown username, form
their own chain): event ``seq`` n carries ``prev_hash``, the ``hash`` of event n-1 of the same chain,
and its own ``hash``, the SHA-256 of its canonical form (:func:`event_digest`). One chain per office
keeps an office's export verifiable on its own, and lets two offices write without waiting for each
other. ``iku-workflow audit verify`` recomputes every chain.

The database refuses UPDATE and DELETE of audit rows (triggers on both SQLite and PostgreSQL,
created by migration 0011 and, for ``create_all``, by :func:`_create_guard`); INSERT stays allowed.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow
from .user import User

#: prev_hash of the first event of a chain
GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """One thing that happened: who, when, what, on which object, in which office.

    Rows are only ever inserted (see ``iku_workflow.audit.record``); an ORM guard and database
    triggers refuse updates and deletes of existing rows.
    """

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_office_created", "office_id", "created_at"),
                      sa.UniqueConstraint("office_id", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(sa.String(60), default="")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(60), default="")
    object_id: Mapped[int | None] = mapped_column()
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: position in the office's chain, from 1
    seq: Mapped[int] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    user: Mapped[User | None] = relationship()


def canonical_time(value: datetime) -> str:
    """UTC, microseconds, 'Z': the same text whether the value comes back from SQLite or PostgreSQL."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(*, seq: int, created_at: datetime, office_id: int | None, user_id: int | None,
                 username: str, action: str, object_type: str, object_id: int | None, ip_address: str,
                 details: dict, prev_hash: str) -> str:
    """SHA-256 (hex) of the event's content as sorted-key compact JSON (version 1 of the chain).

    Migration 0011 holds a copy of this function (a revision may not import the app): change both or
    neither, and a changed form needs a new revision that re-chains."""
    content = {"v": 1, "seq": seq, "created_at": canonical_time(created_at), "office_id": office_id,
               "user_id": user_id, "username": username or "", "action": action,
               "object_type": object_type or "", "object_id": object_id, "ip_address": ip_address or "",
               "details": details or {}, "prev_hash": prev_hash}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_of(event: AuditEvent) -> str:
    return event_digest(seq=event.seq, created_at=event.created_at, office_id=event.office_id,
                        user_id=event.user_id, username=event.username, action=event.action,
                        object_type=event.object_type, object_id=event.object_id,
                        ip_address=event.ip_address, details=event.details, prev_hash=event.prev_hash)


@sa.event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - guard
    raise RuntimeError("Catatan audit tidak boleh diubah.")


@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):  # pragma: no cover - guard
    raise RuntimeError("Catatan audit tidak boleh dihapus.")


# The same text as migration 0011 (tests/test_migrations.py compares the triggers of both schemas).
GUARD_SQLITE = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END""",
]
GUARD_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_events is append-only: ' || TG_OP || ' refused', ERRCODE = 'insufficient_privilege';
END;
$$""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()""",
]
#: names of the SQLite triggers (tests drop and recreate them to empty the table)
GUARD_SQLITE_NAMES = ("audit_events_no_update", "audit_events_no_delete")


def guard_ddl(dialect: str) -> list[str]:
    """The statements that make audit_events append-only on this dialect."""
    if dialect == "sqlite":
        return list(GUARD_SQLITE)
    if dialect == "postgresql":
        return list(GUARD_POSTGRESQL)
    raise NotImplementedError(f"the audit guard is written for SQLite and PostgreSQL, not {dialect}")


@sa.event.listens_for(AuditEvent.__table__, "after_create")
def _create_guard(target, connection, **kw) -> None:
    """create_all (tests, bench, ``db create``) gets the same triggers as the migration."""
    for statement in guard_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)
