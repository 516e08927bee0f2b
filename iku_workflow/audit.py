"""Writing the audit log: the one function every capability calls."""
from __future__ import annotations

import enum
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent, User
from .models._types import utcnow
from .models.audit import GENESIS_HASH, event_digest

# pg_advisory_xact_lock(namespace, office id): one writer at a time appends to an office's chain
CHAIN_LOCK_NAMESPACE = 5_012


def client_ip() -> str:
    if not has_request_context():
        return ""
    return (request.remote_addr or "")[:64]


def record(
    action: str,
    *,
    office_id: int | None,
    user: User | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: int | None = None,
    username: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one audit event (flushed with the caller's transaction, never committed here)."""
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user._get_current_object()  # type: ignore[attr-defined]
    if obj is not None:
        object_type = object_type or getattr(obj, "__tablename__", type(obj).__name__)
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    # the hash covers what the database gives back: the details as JSON text, time to the microsecond
    clean = json.loads(json.dumps({k: v for k, v in details.items() if v is not None}))
    seq, prev_hash = _chain_head(office_id)
    fields = dict(
        seq=seq + 1,
        created_at=utcnow(),
        office_id=office_id,
        user_id=user.id if user is not None else None,
        username=(user.username if user is not None else username)[:60],
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        ip_address=client_ip(),
        details=clean,
        prev_hash=prev_hash,
    )
    event = AuditEvent(**fields, hash=event_digest(**fields))
    db.session.add(event)
    # the next event's head query autoflushes this one, so it reads it as its chain's head
    return event


def record_many(action: str, objects: list[Any], *, office_id: int | None, user: User | None = None,
                details: Any = None) -> int:
    """Append one audit event per object of a batch (a bulk approval), as ``record`` would one by one.

    The chain's head is read once and the events chained in memory, so a batch of any size costs the
    same few statements. ``details(obj)`` gives each event's details."""
    if not objects:
        return 0
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user._get_current_object()  # type: ignore[attr-defined]
    seq, prev_hash = _chain_head(office_id)
    ip = client_ip()
    rows = []
    for obj in objects:
        raw = details(obj) if details else {}
        clean = json.loads(json.dumps({k: v for k, v in raw.items() if v is not None}))
        seq += 1
        fields = dict(
            seq=seq, created_at=utcnow(), office_id=office_id,
            user_id=user.id if user is not None else None,
            username=(user.username if user is not None else "")[:60],
            action=action, object_type=getattr(obj, "__tablename__", type(obj).__name__),
            object_id=getattr(obj, "id", None), ip_address=ip, details=clean, prev_hash=prev_hash,
        )
        prev_hash = event_digest(**fields)
        rows.append(dict(fields, hash=prev_hash))
    # one INSERT of many rows (an ORM flush would send one statement per event)
    db.session.execute(sa.insert(AuditEvent), rows)
    return len(rows)


def row_values(obj: Any) -> dict[str, Any]:
    """Every column of a mapped row as JSON-safe values (dates/decimals as text, enums by value):
    what a deletion's audit event keeps of the row it removed."""
    out: dict[str, Any] = {}
    for attr in sa.inspect(obj).mapper.column_attrs:
        value = getattr(obj, attr.key)
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, (datetime, date, time)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, (bytes, bytearray)):
            value = f"<{len(value)} bytes>"
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        out[attr.key] = value
    return out


def _chain_head(office_id: int | None) -> tuple[int, str]:
    """(seq, hash) of the office's last event, after taking the chain's lock until the transaction ends.

    Two transactions appending at once would read the same head and fork the chain. On PostgreSQL a
    transaction-level advisory lock makes the second wait for the first's commit; SQLite lets one
    writer at a time anyway (and the unique (office_id, seq) key refuses a fork)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:namespace, :office)"),
                           {"namespace": CHAIN_LOCK_NAMESPACE, "office": office_id or 0})
    db.session.flush()  # earlier events of this transaction too (also under no_autoflush)
    office = AuditEvent.office_id.is_(None) if office_id is None else AuditEvent.office_id == office_id
    head = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).where(office).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


def verify_chain(office_id: int | None = None, *, all_offices: bool = True):
    """Recompute the chains (one office's, or every one): (events checked, first broken event or None).

    The broken event comes as (event, expected hash, stored hash, reason)."""
    from .models.audit import digest_of

    query = sa.select(AuditEvent)
    if not all_offices:
        query = query.where(AuditEvent.office_id.is_(None) if office_id is None else AuditEvent.office_id == office_id)
    heads: dict[int | None, tuple[int, str]] = {}
    count = 0
    for event in db.session.scalars(query.order_by(AuditEvent.office_id, AuditEvent.seq)).yield_per(500):
        count += 1
        seq, prev_hash = heads.get(event.office_id, (0, GENESIS_HASH))
        if event.seq != seq + 1 or event.prev_hash != prev_hash:
            return count, (event, prev_hash, event.prev_hash, "prev_hash")
        expected = digest_of(event)
        if expected != event.hash:
            return count, (event, expected, event.hash, "hash")
        heads[event.office_id] = (event.seq, event.hash)
    return count, None
