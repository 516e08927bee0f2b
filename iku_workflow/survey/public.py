"""The public questionnaire at /s/<code>: no sign-in, throttled, with a honeypot and a timing check."""
from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..domain.dates import period_range
from ..extensions import db, limiter
from ..models import ResponseSource, SurveyPeriod
from . import public_bp
from .forms import PublicForm
from .operations import Answers, SurveyError, add_response

JAKARTA = ZoneInfo("Asia/Jakarta")


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="skm-public-form")


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
        form.t.data = _signer().dumps(period.code)
        return render_template("survey/public_form.html", period=period, form=form)
    if form.website.data:
        abort(400)  # the hidden field: only a bot fills it
    try:
        code_signed, issued = _signer().loads(form.t.data or "", max_age=2 * 86400, return_timestamp=True)
    except BadSignature:
        abort(400)
    if code_signed != period.code:
        abort(400)
    error = None
    if time.time() - issued.timestamp() < current_app.config.get("SKM_MIN_SECONDS", 3):
        error = _("Formulir terkirim terlalu cepat. Periksa kembali jawaban Anda lalu kirim lagi.")
    elif form.validate():
        values = Answers(tanggal=_today(), service_id=form.jenis_layanan.data, jenis_kelamin=form.jenis_kelamin.data,
                         usia=form.usia.data, pendidikan=form.pendidikan.data, pekerjaan=form.pekerjaan.data,
                         answers=form.answers())
        try:
            add_response(period, values, source=ResponseSource.PUBLIC)
        except SurveyError as exc:
            db.session.rollback()
            error = str(exc)
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
