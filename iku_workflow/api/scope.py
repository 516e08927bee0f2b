"""Which offices a token's user may read through the API: the one place that decides it.

Every endpoint starts from :func:`visible_offices`; an office outside it answers 404 (never "exists but
forbidden"). An office user sees their own office; a kabupaten user every office of their kabupaten,
and nothing of another kabupaten.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..models import Kabupaten, Office, User


def visible_offices(user: User) -> sa.Select:
    """SELECT of the offices ``user`` may read, ordered by code (empty for an inactive user)."""
    query = sa.select(Office).order_by(Office.code)
    if not user.active:
        return query.where(sa.false())
    if user.role.is_kabupaten:
        return query.where(Office.kabupaten_id == user.kabupaten_id)
    return query.where(Office.id == user.office_id)


def may_read(user: User, action: str) -> bool:
    """An office user by the office's rules table; a kabupaten user reads what the kabupaten console shows."""
    from ..access import can

    return can(user, "kabupaten.view" if user.role.is_kabupaten else action)


def visible_kabupaten(user: User) -> sa.Select:
    """SELECT of the kabupaten ``user`` may read: their own, or their office's."""
    query = sa.select(Kabupaten).order_by(Kabupaten.code)
    if not user.active:
        return query.where(sa.false())
    return query.where(Kabupaten.id == user.home_kabupaten_id)


#: :func:`visible_offices` narrowed to one code, for an office user and for a kabupaten user (built once:
#: every API request asks it)
_OFFICE_BY_CODE = {
    False: sa.select(Office).where(Office.id == sa.bindparam("scope"), Office.code == sa.bindparam("code")),
    True: sa.select(Office).where(Office.kabupaten_id == sa.bindparam("scope"), Office.code == sa.bindparam("code")),
}


def office_or_404(user: User, code: str) -> Office:
    """The visible office with this code, or 404 (the same rule as :func:`visible_offices`)."""
    if not user.active:
        abort(404)
    kabupaten = bool(user.role.is_kabupaten)
    office = db.session.scalar(_OFFICE_BY_CODE[kabupaten],
                               {"scope": user.kabupaten_id if kabupaten else user.office_id, "code": code})
    if office is None:
        abort(404)
    return office
