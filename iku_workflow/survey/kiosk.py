"""Counter (kiosk) mode of the public questionnaire: the office's tablet at the service counter.

A staff member of the section running the survey (or the sekcam) makes a kiosk for the period
(`SurveyKiosk`, with a random secret) and opens its signed link on the tablet; the link expires after
``SKM_KIOSK_LINK_HOURS`` (itsdangerous) and sets a long-lived signed cookie on that device
(``SKM_KIOSK_DEVICE_DAYS``). Link and cookie name the kiosk and its secret; both are checked against
the database on every request, so revoking the kiosk (or a new one) ends them at once. A kiosk's
answers go under its own limit (``SKM_KIOSK_LIMIT``) instead of the per-address one; the bot checks
of the public form stay the same.
"""
from __future__ import annotations

import hmac
import secrets

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import audit
from ..extensions import db
from ..models import SurveyKiosk, SurveyPeriod, User
from ..models._types import utcnow
from .operations import SurveyError

COOKIE = "skm_kiosk"
NAME_MAX = 80


def _link_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="skm-kiosk-link")


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="skm-kiosk-device")


def link_hours() -> int:
    return int(current_app.config.get("SKM_KIOSK_LINK_HOURS", 24))


def device_seconds() -> int:
    return int(current_app.config.get("SKM_KIOSK_DEVICE_DAYS", 200)) * 86400


def create(period: SurveyPeriod, name: str, user: User | None) -> SurveyKiosk:
    """A new counter tablet of ``period`` (flushes; the caller commits)."""
    if not period.is_open:
        raise SurveyError(_("Periode survei ini sudah ditutup."))
    name = " ".join((name or "").split()) or _("Tablet loket")
    if len(name) > NAME_MAX:
        raise SurveyError(_("Nama perangkat paling panjang %(max)d karakter.", max=NAME_MAX))
    device = SurveyKiosk(period_id=period.id, name=name, secret=secrets.token_urlsafe(32),
                         created_by_id=user.id if user else None)
    db.session.add(device)
    db.session.flush()
    audit.record("survey.kiosk_created", office_id=period.office_id, user=user, obj=device, period_id=period.id,
                 name=name)
    return device


def revoke(device: SurveyKiosk, user: User | None) -> None:
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        db.session.flush()
        audit.record("survey.kiosk_revoked", office_id=device.office_id, user=user, obj=device,
                     period_id=device.period_id)


def link_token(device: SurveyKiosk) -> str:
    """The signed part of the kiosk link; good for `link_hours` from now."""
    return _link_signer().dumps([device.id, device.secret])


def device_token(device: SurveyKiosk) -> str:
    return _device_signer().dumps([device.id, device.secret])


def _valid(signed, period: SurveyPeriod | None) -> SurveyKiosk | None:
    if not (isinstance(signed, list) and len(signed) == 2 and isinstance(signed[0], int)
            and isinstance(signed[1], str)):
        return None
    device = db.session.get(SurveyKiosk, signed[0])
    if device is None or device.revoked_at is not None or not hmac.compare_digest(device.secret, signed[1]):
        return None
    if period is not None and device.period_id != period.id:
        return None
    return device


def from_link(token: str, period: SurveyPeriod) -> SurveyKiosk | None:
    """The kiosk a link names, if it is signed, not expired, not revoked and of ``period``."""
    try:
        signed = _link_signer().loads(token or "", max_age=link_hours() * 3600)
    except BadSignature:  # also SignatureExpired
        return None
    return _valid(signed, period)


def _period_in_request() -> SurveyPeriod | None:
    code = (request.view_args or {}).get("code")
    if not code:
        return None
    return db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.code == code))


def from_request() -> SurveyKiosk | None:
    """The counter tablet this request comes from (its cookie, for the period in the address), or None."""
    if "skm_kiosk" in g:
        return g.skm_kiosk
    device = None
    raw = request.cookies.get(COOKIE)
    if raw:
        period = _period_in_request()
        if period is not None:
            try:
                signed = _device_signer().loads(raw, max_age=device_seconds())
            except BadSignature:
                signed = None
            device = _valid(signed, period)
    g.skm_kiosk = device
    return device


def current(period: SurveyPeriod) -> SurveyKiosk | None:
    device = from_request()
    return device if device is not None and device.period_id == period.id else None


def set_cookie(response, device: SurveyKiosk) -> None:
    response.set_cookie(COOKIE, device_token(device), max_age=device_seconds(), path="/s/", httponly=True,
                        samesite="Lax", secure=bool(current_app.config.get("IKU_HTTPS")))


def active(period: SurveyPeriod) -> list[SurveyKiosk]:
    return list(db.session.scalars(sa.select(SurveyKiosk).where(
        SurveyKiosk.period_id == period.id, SurveyKiosk.revoked_at.is_(None)).order_by(SurveyKiosk.id)))
