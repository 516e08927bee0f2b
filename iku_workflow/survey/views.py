"""Staff pages of the survey: periods, paper entry, import, results, exports, QR code."""
from __future__ import annotations

import io

import segno
import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from ..access import load_or_404, require, scoped
from ..auth.forms import EmptyForm
from ..domain import skm
from ..labels import domain_label
from ..extensions import db
from ..url_params import query_int
from ..models import ResponseSource, Section, SurveyPeriod, SurveyResponse
from ..number_input import page_locale
from ..reports import DOCX_MIME, XLSX_MIME
from ..workflow.operations import WorkflowError
from . import bp, compute, exports, importer
from .forms import ImportForm, PeriodForm, StaffForm
from .operations import SurveyError, add_response, close_period, default_section, open_period
from .sample import sample_warning



def _period(period_id: int) -> SurveyPeriod:
    period = load_or_404(SurveyPeriod, period_id)
    require("survey.view", period)
    return period


@bp.route("/")
@login_required
def index():
    require("survey.view")
    periods = db.session.scalars(scoped(SurveyPeriod).options(
        selectinload(SurveyPeriod.result), selectinload(SurveyPeriod.entry))
        .order_by(SurveyPeriod.year.desc(), SurveyPeriod.label)).all()
    counts = dict(db.session.execute(
        sa.select(SurveyResponse.period_id, sa.func.count()).where(
            SurveyResponse.period_id.in_([p.id for p in periods])).group_by(SurveyResponse.period_id)).all())
    indexes = compute.period_indexes(periods)
    return render_template("survey/index.html", periods=periods, counts=counts, indexes=indexes)


@bp.route("/periode/baru", methods=["GET", "POST"])
@login_required
def new_period():
    require("survey.manage")
    form = PeriodForm()
    sections = db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position)).all()
    form.section.choices = [(0, _("— tanpa seksi: ditutup Sekretaris Camat (disetujui Camat) —"))] + [
        (s.id, s.short_name) for s in sections]
    if request.method == "GET":
        from datetime import date

        today = date.today()
        form.year.data = today.year
        form.label.data = "S1" if today.month <= 6 else "S2"
        default = default_section(current_user.office_id)
        form.section.data = default.id if default else 0
    if form.validate_on_submit():
        section = next((s for s in sections if s.id == form.section.data), None)
        try:
            period = open_period(current_user.office_id, form.year.data, form.label.data, user=current_user,
                                 services=form.services.data.splitlines(), population=form.population.data,
                                 weighting=form.weighting.data, section=section)
        except SurveyError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Periode survei %(p)s dibuka.", p=period.title), "success")
            return redirect(url_for("survey.period", period_id=period.id))
    return render_template("survey/period_form.html", form=form)


@bp.route("/periode/<int:period_id>")
@login_required
def period(period_id: int):
    return period_page(_period(period_id))


def period_page(period: SurveyPeriod, followup_form=None, status: int = 200):
    """The period's results page (also shown again, 422, with a refused follow-up form)."""
    from . import followup
    from .counter import section_choices
    from .forms import FollowUpForm

    result = compute.period_index(period)
    services = compute.per_service(period)
    chart = {"labels": [u.key.upper() for u in skm.UNSUR], "names": [domain_label(u.name) for u in skm.UNSUR],
             "values": [float(result.nrr[k]) if result and result.nrr[k] is not None else None
                        for k in skm.UNSUR_KEYS]}
    if followup_form is None:
        followup_form = FollowUpForm(formdata=None)
        section_choices(followup_form)
        if result and result.priorities:
            followup_form.unsur.data = result.priorities[0]
    return render_template(
        "survey/period.html", period=period, result=result, services=services, profile=compute.profile(period),
        minimum=skm.min_sample(period.population),
        sample_warning=sample_warning(period.population, result.respondents) if result else None, chart=chart, unsur=skm.UNSUR, intervals=skm.INTERVALS,
        public_url=url_for("survey_public.questionnaire", code=period.code, _external=True),
        attach_doc=(doc := exports.requirement(period)), attach_refusal=exports.attach_refusal(period, current_user, doc),
        empty_form=EmptyForm(), comment_counts=compute.comment_counts(period),
        comments=compute.comments(period, limit=100), followups=followup.of_period(period),
        followup_form=followup_form, carried=followup.carried_over(period),
        unsur_names={u.key: u.name for u in skm.UNSUR}), status


@bp.route("/periode/<int:period_id>/tutup", methods=["POST"])
@login_required
def close(period_id: int):
    period = _period(period_id)
    require("survey.close", period.entry)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman."), "danger")
        return redirect(url_for("survey.period", period_id=period.id))
    try:
        result = close_period(period, current_user)
    except (SurveyError, WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Periode ditutup: %(n)d responden, IKM %(k)s. Hasil diajukan untuk ditinjau.",
                n=result.respondents, k=skm_format(result.konversi)), "success")
    return redirect(url_for("survey.period", period_id=period.id))


def skm_format(value) -> str:
    from ..formatting import format_decimal

    return format_decimal(value, page_locale())


@bp.route("/periode/<int:period_id>/entri", methods=["GET", "POST"])
@login_required
def enter(period_id: int):
    period = _period(period_id)
    require("survey.enter", period)
    form = StaffForm.for_period(period)
    if form.validate_on_submit():
        try:
            add_response(period, form.values(), source=ResponseSource.STAFF, user=current_user)
        except SurveyError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Kuesioner tersimpan. Silakan isi kuesioner berikutnya."), "success")
            # Keep date and service: paper forms of one day usually come in a pile.
            return redirect(url_for("survey.enter", period_id=period.id, tanggal=form.tanggal.data.isoformat(),
                                    layanan=form.jenis_layanan.data))
    elif request.method == "GET":
        if request.args.get("tanggal"):
            from datetime import date

            try:
                form.tanggal.data = date.fromisoformat(request.args["tanggal"])
            except ValueError:
                pass
        form.jenis_layanan.data = query_int("layanan")
    stored = db.session.scalar(sa.select(sa.func.count()).where(SurveyResponse.period_id == period.id))
    return render_template("survey/enter.html", period=period, form=form, stored=stored, unsur=skm.UNSUR)


@bp.route("/periode/<int:period_id>/impor", methods=["GET", "POST"])
@login_required
def import_(period_id: int):
    period = _period(period_id)
    require("survey.enter", period)
    form = ImportForm()
    issues, message = [], None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = importer.import_file(period, upload.read(), upload.filename or "impor", user=current_user,
                                         locale=page_locale())
        except importer.ImportRejected as exc:
            db.session.rollback()
            issues, message = exc.issues, str(exc)
        except SurveyError as exc:
            db.session.rollback()
            message = str(exc)
        else:
            db.session.commit()
            flash(_("%(n)d responden diimpor dari %(f)s.", n=batch.rows, f=batch.filename), "success")
            return redirect(url_for("survey.period", period_id=period.id))
    status = 422 if message else 200
    return render_template("survey/import.html", period=period, form=form, issues=issues[:500],
                           total_issues=len(issues), message=message, columns=importer.COLUMNS), status


@bp.route("/periode/<int:period_id>/templat.<fmt>")
@login_required
def template(period_id: int, fmt: str):
    period = _period(period_id)
    if fmt == "csv":
        return _download(importer.template_csv(period), "text/csv; charset=utf-8", f"templat-skm-{period.label}.csv")
    if fmt == "xlsx":
        return _download(importer.template_xlsx(period), XLSX_MIME, f"templat-skm-{period.label}.xlsx")
    return redirect(url_for("survey.import_", period_id=period.id))


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/periode/<int:period_id>/ekspor.xlsx")
@login_required
def export_xlsx(period_id: int):
    period = _period(period_id)
    return _download(exports.workbook(period), XLSX_MIME, f"skm-{period.office.code}-{period.year}-{period.label}.xlsx")


@bp.route("/periode/<int:period_id>/laporan.docx")
@login_required
def report_docx(period_id: int):
    period = _period(period_id)
    return _download(exports.report(period), DOCX_MIME, exports.report_filename(period))


@bp.route("/periode/<int:period_id>/lampirkan", methods=["POST"])
@login_required
def attach(period_id: int):
    """Attach the Laporan Hasil SKM to the year's required document "laporan_skm" as a new file version."""
    period = _period(period_id)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman."), "danger")
        return redirect(url_for("survey.period", period_id=period.id))
    try:
        added = exports.attach_report(period, current_user)
        db.session.commit()
    except (SurveyError, WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("survey.period", period_id=period.id))
    except BaseException:
        db.session.rollback()  # also deletes the report file written (storage.transaction)
        raise
    flash(_("Laporan SKM dilampirkan pada dokumen wajib tahun %(y)d sebagai berkas %(f)s.",
            y=period.year, f=added[0].original_name), "success")
    return redirect(url_for("survey.period", period_id=period.id))


def _qr(period: SurveyPeriod) -> segno.QRCode:
    return segno.make(url_for("survey_public.questionnaire", code=period.code, _external=True), error="m")


@bp.route("/periode/<int:period_id>/qr")
@login_required
def qr_page(period_id: int):
    period = _period(period_id)
    out = io.BytesIO()
    _qr(period).save(out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, omitsize=True)  # viewBox: CSS sizes it
    return render_template("survey/qr.html", period=period, svg=Markup(out.getvalue().decode()),
                           public_url=url_for("survey_public.questionnaire", code=period.code, _external=True))


@bp.route("/periode/<int:period_id>/qr.png")
@login_required
def qr_png(period_id: int):
    period = _period(period_id)
    out = io.BytesIO()
    _qr(period).save(out, kind="png", scale=10, border=2)
    return _download(out.getvalue(), "image/png", f"qr-skm-{period.label}-{period.year}.png")
