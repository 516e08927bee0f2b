"""The LKjIP pages: the year's Bab III tables, the figures entered for it, the factors, the Word draft."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import can, load_or_404, require
from ..auth.forms import EmptyForm
from ..domain import lkjip as compute
from ..extensions import db
from ..indicators.summary import load_indicators
from ..models import Indicator, Office, ProgramBudget
from ..reports.lkjip import lkjip_filename
from ..workflow.operations import WorkflowError
from . import bp, data, operations
from .forms import FactorForm, PastValuesForm, ProgramBudgetForm, RenstraForm, past_key, renstra_key

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office() -> Office:
    return db.session.get(Office, current_user.office_id)


#: the years an LKjIP can report: its two previous years must be years the data tables hold (2000–2100)
YEARS = (2002, 2100)


def _check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        abort(404)


def _indicators(year: int) -> list[Indicator]:
    return load_indicators(current_user.office_id, year)


@bp.route("/")
@login_required
def index():
    require("lkjip.view")
    years = db.session.scalars(sa.select(Indicator.year).where(Indicator.office_id == current_user.office_id)
                               .distinct().order_by(Indicator.year.desc()))
    # the LKjIP reports a year that has ended: the latest year before this one with IKU, else the latest
    choices = list(years)
    past = [y for y in choices if y < date.today().year]
    year = past[0] if past else (choices[0] if choices else date.today().year - 1)
    return redirect(url_for("lkjip.year", year=year))


@bp.route("/<int:year>")
@login_required
def year(year: int):
    require("lkjip.view")
    _check_year(year)
    office = _office()
    indicators = _indicators(year)
    bab3 = data.bab3_of(office, year) if indicators else None
    factors = data.factors_of(office.id, year)
    doc = operations.requirement(office, year)
    return render_template(
        "lkjip/year.html", year=year, bab3=bab3, indicators=indicators, factors=factors,
        renstra=operations.renstra_of_year(office.id, year), programs=data.programs_of(office.id, year),
        attach_doc=doc, attach_refusal=operations.attach_refusal(office, year, current_user, doc) if indicators
        else None, form=EmptyForm(), app_source=compute.APP_SOURCE,
        may_manage=can(current_user, "lkjip.manage"), may_programs=can(current_user, "programs.manage"),
        may_attach=can(current_user, "lkjip.attach"),
        writable={i.number for i in indicators if operations.may_write_factor(current_user, i)})


@bp.route("/<int:year>/bab3.docx")
@login_required
def download(year: int):
    require("lkjip.view")
    _check_year(year)
    office = _office()
    try:
        payload = operations.report_bytes(office, year)
    except operations.LkjipError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("lkjip.year", year=year))
    return Response(payload, mimetype=DOCX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{lkjip_filename(office.code, year)}"'})


@bp.route("/<int:year>/lampirkan", methods=["POST"])
@login_required
def attach(year: int):
    """Attach the Bab III draft to the year's "Dokumen LAKIP" as a new file version."""
    require("lkjip.attach")
    _check_year(year)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman."), "danger")
        return redirect(url_for("lkjip.year", year=year))
    try:
        added = operations.attach_report(_office(), year, current_user)
        db.session.commit()
    except (operations.LkjipError, WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("lkjip.year", year=year))
    except BaseException:
        db.session.rollback()  # also deletes the file written (storage.transaction)
        raise
    flash(_("LKjIP dilampirkan pada Dokumen LAKIP tahun %(y)d sebagai berkas %(f)s.",
            y=year, f=added[0].original_name), "success")
    return redirect(url_for("lkjip.year", year=year))


# ---------------------------------------------------------------- earlier years' figures


@bp.route("/<int:year>/tahun-lalu", methods=["GET", "POST"])
@login_required
def past(year: int):
    require("lkjip.manage")
    _check_year(year)
    office = _office()
    indicators = _indicators(year)
    years = (year - 2, year - 1)
    stored = operations.past_values(office.id, year)
    initial = {}
    for ind in indicators:
        for y in years:
            row = stored.get((ind.number, y))
            if row is not None:
                initial[past_key("r", ind.number, y)] = row.realisation
                initial[past_key("c", ind.number, y)] = row.capaian
                initial[past_key("s", ind.number, y)] = row.source
    form = PastValuesForm.for_indicators(indicators, years, data=initial)
    app_years = data.previous_app_years(office.id, year)
    error = None
    if form.validate_on_submit():
        values = {(ind.number, y): (form[past_key("r", ind.number, y)].data, form[past_key("c", ind.number, y)].data,
                                    form[past_key("s", ind.number, y)].data or "")
                  for ind in indicators for y in years}
        try:
            changed = operations.save_past_values(office, year, current_user, values)
            db.session.commit()
        except operations.LkjipError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Angka tahun sebelumnya disimpan (%(n)d baris berubah).", n=changed), "success")
            return redirect(url_for("lkjip.year", year=year))
    status = 422 if request.method == "POST" else 200
    return render_template("lkjip/past.html", year=year, years=years, indicators=indicators, form=form,
                           app_years=app_years, error=error, past_key=past_key), status


# ---------------------------------------------------------------- Renstra


@bp.route("/<int:year>/renstra", methods=["GET", "POST"])
@login_required
def renstra(year: int):
    require("lkjip.manage")
    _check_year(year)
    office = _office()
    indicators = _indicators(year)
    period = operations.renstra_of_year(office.id, year)
    initial = {"start_year": period.start_year if period else year}
    if period is not None:
        initial.update({renstra_key(t.indicator_number): t.target for t in period.targets})
    form = RenstraForm.for_indicators(indicators, data=initial)
    error = None
    if form.validate_on_submit():
        try:
            operations.save_renstra(office, year, current_user, form.start_year.data,
                                    {ind.number: form[renstra_key(ind.number)].data for ind in indicators})
            db.session.commit()
        except operations.LkjipError as exc:
            db.session.rollback()
            error = str(exc)
            form.start_year.errors = list(form.start_year.errors) + [error]
        else:
            flash(_("Target akhir Renstra disimpan."), "success")
            return redirect(url_for("lkjip.year", year=year))
    status = 422 if request.method == "POST" else 200
    return render_template("lkjip/renstra.html", year=year, indicators=indicators, form=form, period=period,
                           renstra_key=renstra_key), status


# ---------------------------------------------------------------- programs


def _program_values(form: ProgramBudgetForm) -> dict:
    return dict(code=form.code.data or "", name=form.name.data or "", budget=form.budget.data,
                realisation=form.realisation.data, note=form.note.data or "")


@bp.route("/<int:year>/program", methods=["GET", "POST"])
@login_required
def programs(year: int):
    require("lkjip.view")
    _check_year(year)
    office = _office()
    may = can(current_user, "programs.manage")
    form = ProgramBudgetForm()
    if request.method == "POST":
        require("programs.manage")
        if form.validate_on_submit():
            try:
                operations.add_program(office, year, current_user, **_program_values(form))
                db.session.commit()
            except operations.LkjipError as exc:
                db.session.rollback()
                form.name.errors = list(form.name.errors) + [str(exc)]
            else:
                flash(_("Program ditambahkan."), "success")
                return redirect(url_for("lkjip.programs", year=year))
    rows = data.programs_of(office.id, year)
    bab3 = data.bab3_of(office, year) if _indicators(year) else None
    status = 422 if request.method == "POST" else 200
    return render_template("lkjip/programs.html", year=year, rows=rows, form=form, may=may, bab3=bab3,
                           delete_form=EmptyForm()), status


@bp.route("/program/<int:program_id>/ubah", methods=["GET", "POST"])
@login_required
def program_edit(program_id: int):
    require("programs.manage")
    program = load_or_404(ProgramBudget, program_id)
    form = ProgramBudgetForm(obj=program)
    if form.validate_on_submit():
        try:
            operations.update_program(program, current_user, **_program_values(form))
            db.session.commit()
        except operations.LkjipError as exc:
            db.session.rollback()
            program = load_or_404(ProgramBudget, program_id)
            form.name.errors = list(form.name.errors) + [str(exc)]
        else:
            flash(_("Program disimpan."), "success")
            return redirect(url_for("lkjip.programs", year=program.year))
    status = 422 if request.method == "POST" else 200
    return render_template("lkjip/program_form.html", program=program, form=form), status


@bp.route("/program/<int:program_id>/hapus", methods=["POST"])
@login_required
def program_delete(program_id: int):
    require("programs.manage")
    program = load_or_404(ProgramBudget, program_id)
    year = program.year
    if EmptyForm().validate_on_submit():
        operations.delete_program(program, current_user)
        db.session.commit()
        flash(_("Program dihapus."), "success")
    return redirect(url_for("lkjip.programs", year=year))


# ---------------------------------------------------------------- factors


@bp.route("/<int:year>/faktor/<int:number>", methods=["GET", "POST"])
@login_required
def factor(year: int, number: int):
    require("lkjip.view")
    _check_year(year)
    office = _office()
    indicator = operations.indicator_of(office, year, number)
    if indicator is None:
        abort(404)
    row = operations.factor_of(office.id, year, number)
    form = FactorForm(obj=row)
    if request.method == "GET" and row is not None:
        form.version.data = str(row.entry.version)
    may_write = operations.may_write_factor(current_user, indicator)
    conflict = None
    if request.method == "POST":
        if not may_write:
            abort(403)
        if form.validate_on_submit():
            version = form.version.data
            try:
                operations.save_factor(office, indicator, current_user, pendukung=form.pendukung.data or "",
                                       penghambat=form.penghambat.data or "", upaya=form.upaya.data or "",
                                       expected_version=int(version) if (version or "").isdigit() else None)
                db.session.commit()
            except WorkflowError as exc:
                db.session.rollback()
                conflict = str(exc)
                row = operations.factor_of(office.id, year, number)
            except IntegrityError:  # another operator wrote this indicator's first factors at the same moment
                db.session.rollback()
                conflict = _("Faktor indikator ini baru saja ditulis oleh pengguna lain. Muat ulang halaman.")
                row = operations.factor_of(office.id, year, number)
            else:
                flash(_("Faktor IKU %(n)d disimpan.", n=number), "success")
                return redirect(url_for("lkjip.factor", year=year, number=number))
    editable = may_write and (row is None or row.entry.state.value in ("draft", "returned"))
    status = 422 if request.method == "POST" else 200
    return render_template("lkjip/factor.html", year=year, indicator=indicator, row=row, form=form,
                           editable=editable, conflict=conflict), status
