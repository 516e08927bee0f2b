"""The public questionnaire at /s/<code>: no sign-in, throttled, with a honeypot and a timing check."""
from __future__ import annotations

import secrets
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..domain.dates import period_range
from ..extensions import db, limiter
from ..models import ResponseSource, SurveyPeriod, SurveyPublicToken
from . import public_bp
from .forms import PublicForm
from .operations import Answers, SurveyError, add_response

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
    return render_template("survey/public_form.html", period=period, form=fresh, error=error), 409


def _public_limit() -> str:
    return current_app.config.get("SKM_PUBLIC_LIMIT", "20 per hour")


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
@limiter.limit(_public_limit, methods=["POST"])
def questionnaire(code: str):
    period = _period_by_code(code)
    if not _accepting(period):
        return render_template("survey/public_closed.html", period=period), 410 if not period.is_open else 200
    form = PublicForm.for_period(period)
    if not form.is_submitted():
        form.t.data = _new_token(period)
        return render_template("survey/public_form.html", period=period, form=form)
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
                         answers=form.answers())
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
    return render_template("survey/public_form.html", period=period, form=form, error=error), 422


@public_bp.route("/s/<code>/terima-kasih")
def thanks(code: str):
    period = _period_by_code(code)
    return render_template("survey/public_thanks.html", period=period)
