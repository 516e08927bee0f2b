"""The public questionnaire at /s/<code>: no sign-in, throttled, with a honeypot and a timing check.

A counter tablet (kiosk, `kiosk.py`) is not held to the per-address limit but to its own, higher one;
the bot checks are the same for every device. A refused-by-limit answer is never lost: the form comes
back (429) with everything entered and says when to try again.
"""
from __future__ import annotations

import math
import secrets
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..domain.dates import period_range
from ..extensions import db, limiter
from ..models import ResponseSource, SurveyPeriod, SurveyPublicToken
from . import kiosk, public_bp
from .forms import PublicForm
from .operations import Answers, SurveyError, add_response
from .page import public_office

JAKARTA = ZoneInfo("Asia/Jakarta")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="skm-public-form")


def _new_token(period: SurveyPeriod) -> str:
    """The signed form token: the period's code and a random id good for one answer."""
    return _signer().dumps([period.code, secrets.token_urlsafe(16)])


def _already_answered(period: SurveyPeriod, form: PublicForm):
    """A form token sent again (a reload, a second click, a replay): nothing stored, an empty new form."""
    fresh = PublicForm.for_period(period, formdata=None)
    fresh.t.data = _new_token(period)
    error = _("Jawaban dari formulir ini sudah kami terima, jadi tidak disimpan dua kali. Untuk mengisi "
              "kuesioner baru (responden lain), gunakan formulir kosong di bawah.")
    return _form_page(period, fresh, error), 409


def _form_page(period: SurveyPeriod, form: PublicForm, error: str | None = None):
    return render_template("survey/public_form.html", period=period, form=form, error=error,
                           kiosk=kiosk.current(period), public=public_office(period.office))


def _public_limit() -> str:
    return current_app.config.get("SKM_PUBLIC_LIMIT", "20 per hour")


def _kiosk_limit() -> str:
    return current_app.config.get("SKM_KIOSK_LIMIT", "240 per hour")


def _on_kiosk() -> bool:
    """Whether this request comes from a valid counter tablet of the period in the address."""
    return kiosk.from_request() is not None


def _kiosk_key() -> str:
    device = kiosk.from_request()
    return f"skm-kiosk:{device.id}" if device is not None else f"skm-kiosk:none:{request.remote_addr}"


def _period_by_code(code: str) -> SurveyPeriod:
    period = db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.code == code))
    if period is None:
        abort(404)
    return period


def _today():
    return datetime.now(JAKARTA).date()


def _accepting(period: SurveyPeriod) -> bool:
    first, last = period_range(period.year, period.label)
    return period.is_open and first <= _today() <= last


@public_bp.route("/s/<code>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"], exempt_when=_on_kiosk)
@limiter.limit(_kiosk_limit, methods=["POST"], key_func=_kiosk_key, exempt_when=lambda: not _on_kiosk())
def questionnaire(code: str):
    period = _period_by_code(code)
    if not _accepting(period):
        return render_template("survey/public_closed.html", period=period,
                               public=public_office(period.office)), 410 if not period.is_open else 200
    form = PublicForm.for_period(period)
    if not form.is_submitted():
        form.t.data = _new_token(period)
        return _form_page(period, form)
    if form.website.data:
        abort(400)  # the hidden field: only a bot fills it
    try:
        signed, issued = _signer().loads(form.t.data or "", max_age=2 * 86400, return_timestamp=True)
    except BadSignature:
        abort(400)
    if not (isinstance(signed, list) and len(signed) == 2 and signed[0] == period.code
            and isinstance(signed[1], str) and 0 < len(signed[1]) <= 32):
        abort(400)
    nonce = signed[1]
    if db.session.get(SurveyPublicToken, nonce) is not None:
        return _already_answered(period, form)
    error = None
    if time.time() - issued.timestamp() < current_app.config.get("SKM_MIN_SECONDS", 3):
        error = _("Formulir terkirim terlalu cepat. Periksa kembali jawaban Anda lalu kirim lagi.")
    elif form.validate():
        values = Answers(tanggal=_today(), service_id=form.jenis_layanan.data, jenis_kelamin=form.jenis_kelamin.data,
                         usia=form.usia.data, pendidikan=form.pendidikan.data, pekerjaan=form.pekerjaan.data,
                         answers=form.answers(), saran=form.comments()[0], perbaikan=form.comments()[1])
        try:
            add_response(period, values, source=ResponseSource.PUBLIC)
            db.session.add(SurveyPublicToken(nonce=nonce, period_id=period.id))
            db.session.flush()
        except SurveyError as exc:
            db.session.rollback()
            error = str(exc)
        except sa.exc.IntegrityError:
            db.session.rollback()  # the same form sent twice at the same moment: the other one is stored
            return _already_answered(period, form)
        else:
            db.session.commit()
            return redirect(url_for("survey_public.thanks", code=period.code))
    else:
        error = _("Jawaban belum lengkap. Semua pertanyaan yang bertanda * wajib diisi.")
    return _form_page(period, form, error), 422


@public_bp.route("/s/<code>/terima-kasih")
def thanks(code: str):
    period = _period_by_code(code)
    return render_template("survey/public_thanks.html", period=period, public=public_office(period.office),
                           kiosk=kiosk.current(period),
                           return_seconds=int(current_app.config.get("SKM_KIOSK_RETURN_SECONDS", 6)))


@public_bp.errorhandler(429)
def throttled(exc):
    """A limit refused the answer: the same form again, with what was entered, and when to retry."""
    period = db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.code == (request.view_args or {}).get("code")))
    if period is None or request.endpoint != "survey_public.questionnaire":
        return render_template("survey/public_404.html", public=None), 429
    form = PublicForm.for_period(period)  # the posted values, not validated: nothing is stored or refused
    limit = limiter.current_limit
    seconds = max(1, math.ceil(limit.reset_at - time.time())) if limit is not None else 60
    minutes = max(1, math.ceil(seconds / 60))
    error = _("Terlalu banyak jawaban dari perangkat ini. Jawaban Anda belum tersimpan dan masih ada di bawah. "
              "Coba lagi dalam %(n)d menit.", n=minutes)
    body = render_template("survey/public_form.html", period=period, form=form, error=error,
                           kiosk=kiosk.current(period), public=public_office(period.office), throttled=True)
    return body, 429, {"Retry-After": str(seconds)}


@public_bp.errorhandler(404)
def not_found(exc):
    return render_template("survey/public_404.html", public=None), 404


@public_bp.route("/s/<code>/loket/<token>")
def kiosk_open(code: str, token: str):
    """The signed kiosk link opened on the counter tablet: the device keeps a kiosk cookie."""
    period = _period_by_code(code)
    device = kiosk.from_link(token, period)
    if device is None:
        message = _("Tautan loket ini tidak berlaku lagi (kedaluwarsa atau dicabut). Minta tautan baru kepada "
                    "petugas yang menjalankan survei.")
        return render_template("survey/public_404.html", public=public_office(period.office), message=message,
                               title=_("Tautan loket tidak berlaku")), 403
    response = redirect(url_for("survey_public.questionnaire", code=period.code))
    kiosk.set_cookie(response, device)
    return response
