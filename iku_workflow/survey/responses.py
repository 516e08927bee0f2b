"""Staff pages for single responses of a period: the list, correcting one, deleting one.

Who may see and correct responses is who may enter them (``survey.enter``: sekcam and the section
operators); correcting and deleting one response are ``survey.response_edit``/``survey.response_delete`` (sekcam
any response, an operator those their section entered). A
closed period is frozen: its list stays readable, every change is refused.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import load_or_404, require
from ..domain import skm
from ..extensions import db
from ..models import ResponseSource, SurveyPeriod, SurveyResponse, SurveyTotal, User
from . import bp
from .forms import ResponseDeleteForm, StaffForm
from ..url_params import query_int
from ..pagination import PER_PAGE as PAGINATION_PER_PAGE, Page
from .operations import FROZEN, SurveyError, delete_response, update_response

PER_PAGE = PAGINATION_PER_PAGE


def _period(period_id: int) -> SurveyPeriod:
    period = load_or_404(SurveyPeriod, period_id)
    require("survey.enter", period)
    return period


def _response(period: SurveyPeriod, response_id: int) -> SurveyResponse:
    """The response by id, only if it belongs to this (already office-checked) period."""
    response = db.session.get(SurveyResponse, response_id)
    if response is None or response.period_id != period.id:
        abort(404)
    return response


def _back(period: SurveyPeriod):
    page = query_int("hal", high=10**6)
    return redirect(url_for("survey.responses", period_id=period.id, hal=page if page and page > 1 else None))


@bp.route("/periode/<int:period_id>/responden")
@login_required
def responses(period_id: int):
    period = _period(period_id)
    page = query_int("hal", 1, high=10**6)
    # The trigger-kept totals count the period's rows without scanning them.
    total = int(db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(SurveyTotal.respondents), 0))
                                  .where(SurveyTotal.period_id == period.id)))
    pages = max(1, -(-total // PER_PAGE))
    page = min(page, pages)
    # Ids rise with every insert, so the newest stored response comes first.
    rows = db.session.execute(
        sa.select(SurveyResponse, User.full_name)
        .outerjoin(User, User.id == SurveyResponse.entered_by_id)
        .where(SurveyResponse.period_id == period.id)
        .order_by(SurveyResponse.id.desc())
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).all()
    services = {s.id: s.name for s in period.services}
    # the shared pager's links; the count is the trigger-kept total, not a COUNT over the responses
    pager = Page(items=rows, page=page, per_page=PER_PAGE, total=total)
    return render_template("survey/responses.html", period=period, rows=rows, services=services, page=page,
                           pages=pages, pager_page=pager, total=total, unsur=skm.UNSUR, public=ResponseSource.PUBLIC)


@bp.route("/periode/<int:period_id>/responden/<int:response_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_response(period_id: int, response_id: int):
    period = _period(period_id)
    response = _response(period, response_id)
    require("survey.response_edit", response)
    if not period.is_open:
        flash(str(FROZEN), "danger")
        return _back(period)
    if response.source is ResponseSource.PUBLIC:
        flash(_("Jawaban dari formulir publik tidak dapat diubah, hanya dapat dihapus."), "danger")
        return _back(period)
    form = StaffForm.for_period(period)
    error = None
    if form.validate_on_submit():
        try:
            update_response(period, response, form.values(), user=current_user)
        except SurveyError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Responden #%(id)d diperbarui. Indeks periode dihitung ulang.", id=response.id), "success")
            return _back(period)
    elif request.method == "GET":
        form.fill_from(response)
    else:
        error = _("Perubahan tidak disimpan: periksa isian yang ditandai. Kesembilan unsur wajib diisi %(low)d "
                  "sampai %(high)d.", low=form.SCORE_LOW, high=form.SCORE_HIGH)
    status = 422 if error else 200
    return render_template("survey/response_edit.html", period=period, response=response, form=form, error=error,
                           unsur=skm.UNSUR, page=query_int("hal", high=10**6)), status


@bp.route("/periode/<int:period_id>/responden/<int:response_id>/hapus", methods=["GET", "POST"])
@login_required
def remove_response(period_id: int, response_id: int):
    period = _period(period_id)
    response = _response(period, response_id)
    require("survey.response_delete", response)
    if not period.is_open:
        flash(str(FROZEN), "danger")
        return _back(period)
    form = ResponseDeleteForm()
    error = None
    if form.validate_on_submit():
        number = response.id
        try:
            delete_response(period, response, form.reason.data, user=current_user)
        except SurveyError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Responden #%(id)d dihapus. Indeks periode dihitung ulang.", id=number), "success")
            return _back(period)
    elif request.method == "POST":
        error = _("Responden tidak dihapus: isi alasan penghapusan.")
    entered_by = db.session.get(User, response.entered_by_id) if response.entered_by_id else None
    status = 422 if error else 200
    return render_template("survey/response_delete.html", period=period, response=response, form=form,
                           error=error, entered_by=entered_by, unsur=skm.UNSUR,
                           service=next((s.name for s in period.services if s.id == response.service_id), ""),
                           page=query_int("hal", high=10**6)), status
