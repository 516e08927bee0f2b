"""Indicators of a year: list, edit (sekcam/admin), targets (sekcam), copy a year forward."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import gettext as translate  # a message chosen at run time (pybabel extracts only literal _())
from flask_login import current_user, login_required

from .. import measures
from ..access import can, require, scoped
from ..domain.capaian import LowerFormula, Polarity, YearRule
from ..domain.formulation import FormulationError
from ..domain.formulation_text import blocks_to_text, text_to_blocks
from ..extensions import db
from ..models import Indicator, IndikatorTujuan, Section, TargetChange, Tujuan, Unit
from . import bp, operations
from .forms import CopyYearForm, IndicatorForm, TargetForm, measure_choices
from .locks import YearLocked, is_year_locked, locked_message
from .summary import load_indicators


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _indicator_or_404(year: int, number: int) -> Indicator:
    indicator = db.session.scalar(scoped(Indicator).where(Indicator.year == year, Indicator.number == number))
    if indicator is None:
        abort(404)
    return indicator


@bp.app_template_global()
def measure_label(key: str) -> str:
    """How an indicator is measured, in words (the declaring capability's label)."""
    declared = measures.declared().get(key)
    return declared.label if declared else key


@bp.route("/iku")
@login_required
def catalogue_current():
    return redirect(url_for("indicators.catalogue", year=date.today().year))


@bp.route("/iku/<int:year>")
@login_required
def catalogue(year: int):
    require("dashboard.view")
    _year_or_404(year)
    office_id = current_user.office_id
    tujuan = db.session.scalars(scoped(Tujuan).where(Tujuan.year == year).order_by(Tujuan.position)).all()
    indikator_tujuan = db.session.scalars(
        scoped(IndikatorTujuan).where(IndikatorTujuan.year == year).order_by(IndikatorTujuan.position)).all()
    return render_template("indicators/catalogue.html", year=year, indicators=load_indicators(office_id, year),
                           tujuan=tujuan, indikator_tujuan=indikator_tujuan, locked=is_year_locked(office_id, year),
                           copy_form=CopyYearForm(dest=year + 1))


def _formulation_message(exc: FormulationError) -> str:
    """The markup error in the user's language (the domain writes it in Indonesian, naming the line)."""
    template = getattr(exc, "template", None)
    return translate(template, **exc.params) if template else str(exc)


@bp.route("/iku/<int:year>/<int:number>/ubah", methods=["GET", "POST"])
@login_required
def edit(year: int, number: int):
    """Edit an indicator; the formulation is typed as plain-text markup (domain.formulation_text).

    The "Pratinjau" button posts the form with ``action=preview``: the formulation is parsed and shown
    as the catalogue shows it, nothing is saved.
    """
    require("indicators.manage")
    indicator = _indicator_or_404(year, number)
    if is_year_locked(indicator.office_id, year):
        flash(locked_message(year), "danger")
        return redirect(url_for("indicators.catalogue", year=year))
    form = IndicatorForm(obj=indicator) if request.method == "GET" else IndicatorForm()
    sections = db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position)).all()
    form.sections.choices = [(s.id, s.short_name) for s in sections]
    form.measure.choices = measure_choices(measures.declared())  # an undeclared key is refused as a choice
    preview = None
    if request.method == "GET":
        form.formulation.data = blocks_to_text(indicator.formulation or [])
        form.sections.data = [s.id for s in indicator.sections]
        for name in ("unit", "polarity", "lower_formula", "year_rule"):
            getattr(form, name).data = getattr(indicator, name).value
    elif request.form.get("action") == "preview":
        # CSRF is checked for every POST by CSRFProtect; only the formulation is checked here
        if form.formulation.validate(form):
            try:
                preview = text_to_blocks(form.formulation.data or "")
            except FormulationError as exc:
                form.formulation.errors = [_formulation_message(exc)]
    elif form.validate_on_submit():
        try:
            blocks = text_to_blocks(form.formulation.data or "")
        except FormulationError as exc:
            form.formulation.errors = [_formulation_message(exc)]
            flash(_("Periksa isian yang ditandai."), "danger")
        else:
            chosen = [s for s in sections if s.id in set(form.sections.data or [])]
            try:
                operations.update_indicator(
                    indicator, current_user._get_current_object(), sections=chosen,
                    kinerja_utama=form.kinerja_utama.data.strip(), name=form.name.data.strip(), formulation=blocks,
                    bidang_text=form.bidang_text.data.strip(), sumber_data=form.sumber_data.data.strip(),
                    unit=Unit(form.unit.data), polarity=Polarity(form.polarity.data),
                    lower_formula=LowerFormula(form.lower_formula.data), year_rule=YearRule(form.year_rule.data),
                    measure=form.measure.data)
            except (YearLocked, operations.IndicatorError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(url_for("indicators.catalogue", year=year))
            db.session.commit()
            flash(_("IKU %(n)s tahun %(y)s disimpan.", n=number, y=year), "success")
            return redirect(url_for("indicators.catalogue", year=year))
    return render_template("indicators/edit.html", form=form, indicator=indicator, year=year, preview=preview)


def _parse_target(raw: str) -> Decimal | None:
    raw = (raw or "").strip().replace(".", "").replace(",", ".") if "," in (raw or "") else (raw or "").strip()
    if not raw:
        return None
    value = Decimal(raw)
    if not value.is_finite() or value < 0:
        raise InvalidOperation
    return value


@bp.route("/iku/<int:year>/target", methods=["GET", "POST"])
@login_required
def targets(year: int):
    require("dashboard.view")
    _year_or_404(year)
    office_id = current_user.office_id
    indicators = load_indicators(office_id, year)
    locked = is_year_locked(office_id, year)
    form = TargetForm()
    errors: dict[str, str] = {}
    if request.method == "POST":
        require("targets.manage")
        if not form.validate_on_submit():
            abort(400)
        if locked:
            flash(_("IKU tahun %(year)s sudah ditetapkan dengan keputusan final; target tidak dapat diubah.",
                    year=year), "danger")
            return redirect(url_for("indicators.targets", year=year))
        parsed = {}
        for ind in indicators:
            for tw in (None, 1, 2, 3, 4):
                key = f"t-{ind.number}-{tw or 'y'}"
                try:
                    parsed[(ind, tw)] = _parse_target(request.form.get(key, ""))
                except (InvalidOperation, ValueError):
                    errors[key] = _("Isi angka tidak negatif, mis. 82 atau 66,5.")
        if not errors:
            user = current_user._get_current_object()
            try:
                changed = sum(operations.set_target(ind, user, value, tw) for (ind, tw), value in parsed.items())
            except (YearLocked, operations.IndicatorError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(url_for("indicators.targets", year=year))
            db.session.commit()
            flash(_("%(n)s target diperbarui.", n=changed), "success")
            return redirect(url_for("indicators.targets", year=year))
        flash(_("Periksa isian yang ditandai."), "danger")
    history = db.session.scalars(scoped(TargetChange).where(TargetChange.indicator_id.in_([i.id for i in indicators]))
                                 .order_by(TargetChange.changed_at.desc(), TargetChange.id.desc()).limit(50)).all()
    numbers = {i.id: i.number for i in indicators}
    return render_template("indicators/targets.html", year=year, indicators=indicators, form=form, errors=errors,
                           values=request.form if request.method == "POST" else None, locked=locked,
                           history=history, numbers=numbers)


@bp.route("/iku/<int:year>/salin", methods=["POST"])
@login_required
def copy(year: int):
    require("indicators.manage")
    form = CopyYearForm()
    if not form.validate_on_submit():
        flash(_("Isi tahun tujuan antara 2000 dan 2100."), "danger")
        return redirect(url_for("indicators.catalogue", year=year))
    with_targets = bool(form.with_targets.data)
    if with_targets and not can(current_user, "targets.manage"):
        with_targets = False  # targets are the sekcam's
    try:
        count = operations.copy_year(current_user.office_id, year, form.dest.data, current_user._get_current_object(),
                                     with_targets=with_targets)
    except (YearLocked, operations.IndicatorError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("indicators.catalogue", year=year))
    db.session.commit()
    flash(_("%(n)s IKU disalin ke tahun %(y)s.", n=count, y=form.dest.data), "success")
    return redirect(url_for("indicators.catalogue", year=form.dest.data))
