"""Which offices a token's user may read through the API: the one place that decides it.

Every endpoint starts from :func:`visible_offices`; an office outside it answers 404 (never "exists but
forbidden"). Today a user sees their own office. A kabupaten user (who sees every office of their
kabupaten) is added here and nowhere else.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..models import Office, User


def visible_offices(user: User) -> sa.Select:
    """SELECT of the offices ``user`` may read, ordered by code (empty for an inactive user)."""
    query = sa.select(Office).order_by(Office.code)
    if not user.active:
        return query.where(sa.false())
    return query.where(Office.id == user.office_id)


def office_or_404(user: User, code: str) -> Office:
    """The visible office with this code, or 404."""
    office = db.session.scalar(visible_offices(user).where(Office.code == code))
    if office is None:
        abort(404)
    return office
