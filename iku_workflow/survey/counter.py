"""Staff pages of the busy counter: kiosk links of a period, and the period's rencana tindak lanjut."""
from __future__ import annotations

import io

import segno
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..access import load_or_404, require, scoped
from ..auth.forms import EmptyForm
from ..extensions import db
from ..models import Section, SurveyFollowUp, SurveyKiosk, SurveyPeriod
from . import bp, followup, kiosk
from .forms import FollowUpForm, KioskForm
from .operations import SurveyError


def _period(period_id: int) -> SurveyPeriod:
    period = load_or_404(SurveyPeriod, period_id)
    require("survey.view", period)
    return period


def _qr_svg(link: str) -> Markup:
    """The link as a QR code (inline SVG): the tablet's camera opens it, nobody types the long link."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, omitsize=True)
    return Markup(out.getvalue().decode())


def _kiosk_page(period: SurveyPeriod, form: KioskForm, status: int = 200):
    devices = []
    for device in kiosk.active(period):
        link = url_for("survey_public.kiosk_open", code=period.code, token=kiosk.link_token(device), _external=True)
        devices.append((device, link, _qr_svg(link)))
    return render_template("survey/kiosk.html", period=period, form=form, devices=devices,
                           hours=kiosk.link_hours(), empty_form=EmptyForm()), status


@bp.route("/periode/<int:period_id>/loket", methods=["GET", "POST"])
@login_required
def kiosks(period_id: int):
    """The period's counter tablets: make one, and the signed link to open on it (valid for some hours)."""
    period = _period(period_id)
    require("survey.kiosk", period.entry)
    form = KioskForm()
    if form.validate_on_submit():
        try:
            device = kiosk.create(period, form.name.data, current_user)
        except SurveyError as exc:
            db.session.rollback()
            form.name.errors = [str(exc)]
            return _kiosk_page(period, form, 422)
        db.session.commit()
        flash(_("Tautan loket untuk %(name)s dibuat. Buka tautan itu sekali pada tablet loket.", name=device.name),
              "success")
        return redirect(url_for("survey.kiosks", period_id=period.id))
    return _kiosk_page(period, form, 422 if form.errors else 200)


@bp.route("/periode/<int:period_id>/loket/<int:kiosk_id>/cabut", methods=["POST"])
@login_required
def revoke_kiosk(period_id: int, kiosk_id: int):
    period = _period(period_id)
    require("survey.kiosk", period.entry)
    device = db.session.get(SurveyKiosk, kiosk_id)
    if device is None or device.period_id != period.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman."), "danger")
        return redirect(url_for("survey.kiosks", period_id=period.id))
    kiosk.revoke(device, current_user)
    db.session.commit()
    flash(_("Tautan loket %(name)s dicabut: perangkat itu kembali memakai batas formulir publik.", name=device.name),
          "success")
    return redirect(url_for("survey.kiosks", period_id=period.id))


def section_choices(form: FollowUpForm) -> list[Section]:
    sections = db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position)).all()
    form.section.choices = [(0, "—")] + [(s.id, s.short_name) for s in sections]
    return list(sections)


@bp.route("/periode/<int:period_id>/tindak-lanjut", methods=["POST"])
@login_required
def add_followup(period_id: int):
    period = _period(period_id)
    require("survey.followup", period)
    form = FollowUpForm()
    sections = section_choices(form)
    if form.validate_on_submit():
        section = next((s for s in sections if s.id == form.section.data), None)
        try:
            followup.add(period, form.unsur.data, form.action.data, section, form.due_date.data, current_user)
        except SurveyError as exc:
            db.session.rollback()
            form.action.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Rencana tindak lanjut disimpan."), "success")
            return redirect(url_for("survey.period", period_id=period.id) + "#tindak-lanjut")
    from .views import period_page

    return period_page(period, followup_form=form, status=422)


@bp.route("/periode/<int:period_id>/tindak-lanjut/<int:item_id>/selesai", methods=["POST"])
@login_required
def followup_done(period_id: int, item_id: int):
    period = _period(period_id)
    require("survey.followup", period)
    item = db.session.get(SurveyFollowUp, item_id)
    if item is None or item.period_id != period.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman."), "danger")
        return redirect(url_for("survey.period", period_id=period.id))
    followup.set_done(item, item.done_at is None, current_user)
    db.session.commit()
    flash(_("Tindak lanjut ditandai selesai.") if item.done_at else _("Tindak lanjut ditandai belum selesai."),
          "success")
    return redirect(url_for("survey.period", period_id=period.id) + "#tindak-lanjut")
