"""Indicators of a year: list, edit (sekcam/admin), targets (sekcam), copy a year forward."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import gettext as translate  # a message chosen at run time (pybabel extracts only literal _())
from flask_login import current_user, login_required

from .. import measures
from ..access import can, require, scoped
from ..auth.forms import EmptyForm
from ..domain.capaian import LowerFormula, Polarity, YearRule
from ..domain.formulation import FormulationError
from ..domain.formulation_text import blocks_to_text, text_to_blocks
from ..extensions import db
from ..models import Indicator, IndikatorTujuan, Section, TargetChange, Tujuan, Unit
from . import bp, operations
from .forms import (TARGET_PERIODS, YEAR_RULES, CopyYearForm, IndicatorAddForm, IndicatorForm, TargetForm, TujuanForm,
                    measure_choices, opts, target_key)
from .locks import YearLocked, is_year_locked, locked_message
from .summary import effective_rule, load_indicators, targets_of


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


def _locked_redirect(office_id: int, year: int):
    """None while the year may change; else back to its catalogue with the lock's message."""
    if not is_year_locked(office_id, year):
        return None
    flash(locked_message(year), "danger")
    return redirect(url_for("indicators.catalogue", year=year))


def _formulation_message(exc: FormulationError) -> str:
    """The markup error in the user's language (the domain writes it in Indonesian, naming the line)."""
    template = getattr(exc, "template", None)
    return translate(template, **exc.params) if template else str(exc)


def _active_sections() -> list[Section]:
    return db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position)).all()


def _set_choices(form: IndicatorForm, sections: list[Section]) -> None:
    form.sections.choices = [(s.id, s.short_name) for s in sections]
    form.measure.choices = measure_choices(measures.declared())  # an undeclared key is refused as a choice


def _posted_fields(form: IndicatorForm, sections: list[Section]) -> dict | None:
    """The indicator's fields from a valid POST, or None with the errors set next to the fields."""
    policy = measures.policy(form.measure.data)
    if (policy.fixed and "year_rule" not in request.form) or not form.year_rule.data:
        # a fixed rule is shown as text (nothing is posted); "" on the new page: the measure's own rule
        form.year_rule.data = policy.rules[0].value
    rule_error = operations.rule_refusal(form.measure.data, form.year_rule.data)
    try:
        blocks = text_to_blocks(form.formulation.data or "")
    except FormulationError as exc:
        form.formulation.errors = [_formulation_message(exc)]
        blocks = None
    if rule_error:
        form.year_rule.errors = [rule_error]
    if blocks is None or rule_error:
        return None
    chosen = [s for s in sections if s.id in set(form.sections.data or [])]
    return dict(sections=chosen, kinerja_utama=form.kinerja_utama.data.strip(), name=form.name.data.strip(),
                formulation=blocks, bidang_text=form.bidang_text.data.strip(),
                sumber_data=form.sumber_data.data.strip(), unit=Unit(form.unit.data),
                polarity=Polarity(form.polarity.data), lower_formula=LowerFormula(form.lower_formula.data),
                year_rule=YearRule(form.year_rule.data), measure=form.measure.data)


def _preview(form: IndicatorForm):
    """The "Pratinjau" button: the formulation parsed and shown as the catalogue shows it, nothing saved."""
    # CSRF is checked for every POST by CSRFProtect; only the formulation is checked here
    if form.formulation.validate(form):
        try:
            return text_to_blocks(form.formulation.data or "")
        except FormulationError as exc:
            form.formulation.errors = [_formulation_message(exc)]
    return None


def _render_form(form: IndicatorForm, year: int, indicator: Indicator | None, preview, fallback_measure: str,
                 status: int = 200):
    policy = measures.policy(form.measure.data or fallback_measure)
    if indicator is None:
        # a new indicator: the measure is chosen on the same page, so every rule is offered and the
        # measure's own rule is the default; a rule the measure does not allow is refused on saving
        form.year_rule.choices = opts([("", _("— menurut cara pengukuran —"))] + list(YEAR_RULES))
    else:
        form.year_rule.choices = opts((r.value, label) for r, label in ((YearRule(v), l) for v, l in YEAR_RULES)
                                      if r in policy.rules)
    return render_template("indicators/edit.html", form=form, indicator=indicator, year=year, preview=preview,
                           rule_policy=policy, rule_help=_rule_help() if indicator is None else None), status


def _rule_help() -> str:
    """What the new page says about the year rule: which measures fix theirs, which rules the others allow."""
    parts = []
    for key, declared in measures.declared().items():
        policy = measures.policy(key)
        if policy.fixed:
            parts.append(_("%(measure)s: %(rule)s", measure=declared.label, rule=policy.label))
        elif set(policy.rules) != set(YearRule):
            parts.append(_("%(measure)s: %(rules)s", measure=declared.label,
                           rules=" / ".join(str(operations.RULE_LABELS[r]) for r in policy.rules)))
    return _("Kosongkan untuk memakai aturan cara pengukurannya. Aturan yang ditetapkan atau diizinkan: "
             "%(list)s.", list="; ".join(parts)) if parts else ""


@bp.route("/iku/<int:year>/<int:number>/ubah", methods=["GET", "POST"])
@login_required
def edit(year: int, number: int):
    """Edit an indicator; the formulation is typed as plain-text markup (domain.formulation_text).

    The "Pratinjau" button posts the form with ``action=preview``: the formulation is parsed and shown
    as the catalogue shows it, nothing is saved.
    """
    require("indicators.manage")
    indicator = _indicator_or_404(year, number)
    if (locked := _locked_redirect(indicator.office_id, year)) is not None:
        return locked
    form = IndicatorForm(obj=indicator) if request.method == "GET" else IndicatorForm()
    sections = _active_sections()
    _set_choices(form, sections)
    preview = None
    if request.method == "GET":
        form.formulation.data = blocks_to_text(indicator.formulation or [])
        form.sections.data = [s.id for s in indicator.sections]
        for name in ("unit", "polarity", "lower_formula", "year_rule"):
            getattr(form, name).data = getattr(indicator, name).value
    elif request.form.get("action") == "preview":
        preview = _preview(form)
    elif form.validate_on_submit():
        fields = _posted_fields(form, sections)
        if fields is None:
            flash(_("Periksa isian yang ditandai."), "danger")
        else:
            try:
                operations.update_indicator(indicator, current_user._get_current_object(), **fields)
            except (YearLocked, operations.IndicatorError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(url_for("indicators.catalogue", year=year))
            db.session.commit()
            flash(_("IKU %(n)s tahun %(y)s disimpan.", n=number, y=year), "success")
            return redirect(url_for("indicators.catalogue", year=year))
    return _render_form(form, year, indicator, preview, indicator.measure)


@bp.route("/iku/<int:year>/baru", methods=["GET", "POST"])
@login_required
def new(year: int):
    """Add an indicator to the year: every field of the edit page and its number (the next free one proposed)."""
    require("indicators.manage")
    _year_or_404(year)
    office_id = current_user.office_id
    if (locked := _locked_redirect(office_id, year)) is not None:
        return locked
    form = IndicatorAddForm()
    sections = _active_sections()
    _set_choices(form, sections)
    preview = None
    status = 200
    if request.method == "GET":
        form.number.data = operations.next_number(office_id, year)
        form.measure.data = form.measure.choices[0].value if form.measure.choices else None
    elif request.form.get("action") == "preview":
        preview = _preview(form)
    elif form.validate_on_submit():
        fields = _posted_fields(form, sections)
        status = 400
        if fields is not None:
            try:
                indicator = operations.add_indicator(current_user.office, year, current_user._get_current_object(),
                                                     number=form.number.data, **fields)
            except operations.FieldError as exc:
                db.session.rollback()
                target = getattr(form, exc.field, None)
                if target is None:
                    flash(str(exc), "danger")
                else:
                    target.errors = list(target.errors) + [str(exc)]
            except (YearLocked, operations.IndicatorError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(url_for("indicators.catalogue", year=year))
            else:
                db.session.commit()
                flash(_("IKU %(n)s tahun %(y)s ditambahkan: %(name)s. Isi targetnya di halaman Target.",
                        n=indicator.number, y=year, name=indicator.name), "success")
                return redirect(url_for("indicators.catalogue", year=year))
        flash(_("Periksa isian yang ditandai."), "danger")
    else:
        if "csrf_token" in form.errors:
            abort(400)
        status = 400
        flash(_("Periksa isian yang ditandai."), "danger")
    return _render_form(form, year, None, preview, form.measure.data or "", status)


@bp.route("/iku/<int:year>/<int:number>/hapus", methods=["GET", "POST"])
@login_required
def remove(year: int, number: int):
    """Remove an indicator with its targets: GET asks (naming it), POST removes."""
    require("indicators.manage")
    indicator = _indicator_or_404(year, number)
    if (locked := _locked_redirect(indicator.office_id, year)) is not None:
        return locked
    form = EmptyForm()
    if request.method == "GET":
        return render_template("indicators/remove.html", indicator=indicator, year=year, form=form)
    if not form.validate_on_submit():
        abort(400)
    name = indicator.name
    try:
        operations.remove_indicator(indicator, current_user._get_current_object())
    except (YearLocked, operations.IndicatorError) as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("indicators.catalogue", year=year))
    db.session.commit()
    flash(_("IKU %(n)s tahun %(y)s dihapus beserta targetnya: %(name)s.", n=number, y=year, name=name), "success")
    return redirect(url_for("indicators.catalogue", year=year))


@bp.route("/iku/<int:year>/tujuan", methods=["GET", "POST"])
@login_required
def tujuan(year: int):
    """The year's tujuan and indikator tujuan, one per line."""
    require("indicators.manage")
    _year_or_404(year)
    office_id = current_user.office_id
    if (locked := _locked_redirect(office_id, year)) is not None:
        return locked
    form = TujuanForm()
    if request.method == "GET":
        texts, indikator = operations.tujuan_of(office_id, year)
        form.tujuan.data, form.indikator_tujuan.data = "\n".join(texts), "\n".join(indikator)
    elif form.validate_on_submit():
        try:
            changed = operations.set_tujuan(office_id, year, current_user._get_current_object(),
                                            tujuan=(form.tujuan.data or "").splitlines(),
                                            indikator_tujuan=(form.indikator_tujuan.data or "").splitlines())
        except (YearLocked, operations.IndicatorError) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("indicators.catalogue", year=year))
        db.session.commit()
        flash(_("Tujuan tahun %(y)s disimpan.", y=year) if changed else _("Tidak ada yang berubah."),
              "success" if changed else "info")
        return redirect(url_for("indicators.catalogue", year=year))
    else:
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Periksa isian yang ditandai."), "danger")
        return render_template("indicators/tujuan.html", form=form, year=year), 400
    return render_template("indicators/tujuan.html", form=form, year=year)


@bp.route("/iku/<int:year>/target", methods=["GET", "POST"])
@login_required
def targets(year: int):
    require("dashboard.view")
    _year_or_404(year)
    office_id = current_user.office_id
    indicators = load_indicators(office_id, year)
    locked = is_year_locked(office_id, year)
    stored = {target_key(i.number, t.triwulan or "y"): t.value for i in indicators for t in i.targets}
    errors: dict[str, str] = {}
    if request.method == "POST":
        require("targets.manage")
        form = TargetForm.for_indicators(indicators)
        if locked:
            flash(_("IKU tahun %(year)s sudah ditetapkan dengan keputusan final; target tidak dapat diubah.",
                    year=year), "danger")
            return redirect(url_for("indicators.targets", year=year))
        valid = form.validate_on_submit()
        if valid:
            parsed = {(ind, None if tw == "y" else tw): form[target_key(ind.number, tw)].data
                      for ind in indicators for tw in TARGET_PERIODS}
            errors.update(_target_rule_errors(indicators, parsed))
        if valid and not errors:
            user = current_user._get_current_object()
            try:
                changed = sum(operations.set_target(ind, user, form[target_key(ind.number, tw)].data,
                                                    None if tw == "y" else tw)
                              for ind in indicators for tw in TARGET_PERIODS)
            except (YearLocked, operations.IndicatorError) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(url_for("indicators.targets", year=year))
            db.session.commit()
            flash(_("%(n)s target diperbarui.", n=changed), "success")
            return redirect(url_for("indicators.targets", year=year))
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Periksa isian yang ditandai."), "danger")
    else:
        form = TargetForm.for_indicators(indicators, data=stored)
    history = db.session.scalars(scoped(TargetChange).where(TargetChange.indicator_id.in_([i.id for i in indicators]))
                                 .order_by(TargetChange.changed_at.desc(), TargetChange.id.desc()).limit(50)).all()
    numbers = {i.id: i.number for i in indicators}
    rules = {i.number: operations.rule_label(i.measure, effective_rule(i)) for i in indicators}
    stored_problems = {i.number: operations.target_refusal(i.measure, effective_rule(i), *targets_of(i))
                       for i in indicators}
    return render_template("indicators/targets.html", year=year, indicators=indicators, form=form, errors=errors,
                           periods=TARGET_PERIODS, target_key=target_key, locked=locked, history=history,
                           numbers=numbers, rules=rules, stored_problems=stored_problems)


def _target_rule_errors(indicators, parsed) -> dict[str, str]:
    """Row errors ("t-<number>") for targets that contradict the year's target under the indicator's rule."""
    errors = {}
    for ind in indicators:
        refusal = operations.target_refusal(ind.measure, effective_rule(ind), parsed[(ind, None)],
                                            {tw: parsed[(ind, tw)] for tw in (1, 2, 3, 4)})
        if refusal:
            errors[f"t-{ind.number}"] = refusal
    return errors


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
