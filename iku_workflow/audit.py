"""Writing the audit log: the one function every capability calls."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent, User


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
    event = AuditEvent(
        office_id=office_id,
        user_id=user.id if user is not None else None,
        username=(user.username if user is not None else username)[:60],
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_ip(),
        details={k: v for k, v in details.items() if v is not None},
    )
    db.session.add(event)
    return event
