"""Pages of the Rencana Aksi: the plan (triwulan targets and actions per PK indicator), the quarterly monitoring
(the dashboard's figures s.d. TW with the sections' notes, reviewed through the workflow) and the exports."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import can, load_or_404, require, scoped
from ..extensions import db
from ..formatting import roman
from ..indicators import summary
from ..indicators.forms import opts
from ..indicators.operations import RULE_LABELS
from ..models import Indicator, RenaksiAction, RenaksiNote, Section
from ..reports import DOCX_MIME
from . import bp, operations
from .forms import ActionForm, NoteForm, TargetsForm
from .operations import RenaksiError

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user():
    return current_user._get_current_object()


def _office():
    return current_user.office


def note_url(entry) -> str | None:
    note = db.session.scalar(sa.select(RenaksiNote).where(RenaksiNote.entry_id == entry.id))
    if note is None:
        return None
    return url_for("renaksi.monitoring", year=note.year, tw=note.triwulan) + f"#iku-{note.indicator_id}"


@bp.route("/renaksi")
@login_required
def index():
    require("renaksi.view")
    years = db.session.scalars(scoped(Indicator).with_only_columns(Indicator.year).distinct()
                               .order_by(Indicator.year.desc())).all()
    today = date.today().year
    year = today if today in years else (years[0] if years else today)
    return redirect(url_for(".plan", year=year))


def _indicator_or_404(year: int, indicator_id: int) -> Indicator:
    indicator = load_or_404(Indicator, indicator_id)
    if indicator.year != year:
        abort(404)
    return indicator


def _section_choices():
    sections = db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position))
    return opts([("", _("— pilih seksi —"))] + [(str(s.id), s.name) for s in sections])


def _forms_for(indicator, plan, bad: dict):
    targets = bad.get(("targets", indicator.id)) or TargetsForm(
        formdata=None, prefix=f"t{indicator.id}", data=plan.tw_targets() and {f"tw{t}": v for t, v in
                                                                              plan.tw_targets().items()}
        if plan else None)
    action = bad.get(("action", indicator.id)) or ActionForm(formdata=None, prefix=f"a{indicator.id}")
    action.section.choices = _section_choices()
    return targets, action


def _plan_page(year: int, bad: dict | None = None, status: int = 200):
    bad = bad or {}
    office = _office()
    indicators = operations.indicators_of(office, year)
    items = {i.indicator_id: i for i in summary.year_summary(office.id, year)}
    rows = []
    for indicator in indicators:
        plan = operations.plan_of(indicator)
        targets, action = _forms_for(indicator, plan, bad)
        rows.append({"indicator": indicator, "item": items.get(indicator.id), "plan": plan, "targets": targets,
                     "action": action})
    from ..pk.operations import find_pk

    return render_template("renaksi/plan.html", year=year, rows=rows, pk=find_pk(office, year),
                           can_manage=can(current_user, "renaksi.manage"), roman=roman,
                           rule_label=lambda rule: RULE_LABELS[rule]), status


@bp.route("/renaksi/<int:year>")
@login_required
def plan(year: int):
    require("renaksi.view")
    return _plan_page(year)


@bp.route("/renaksi/<int:year>/iku/<int:indicator_id>/target", methods=["POST"])
@login_required
def set_targets(year: int, indicator_id: int):
    require("renaksi.manage")
    indicator = _indicator_or_404(year, indicator_id)
    form = TargetsForm(prefix=f"t{indicator.id}")
    if not form.validate_on_submit():
        flash(_("Target belum disimpan: periksa isian yang ditandai."), "danger")
        return _plan_page(year, {("targets", indicator.id): form}, 422)
    try:
        changed = operations.set_targets(indicator, _user(), {t: getattr(form, f"tw{t}").data for t in operations.TW})
    except RenaksiError as exc:
        db.session.rollback()
        form.tw4.errors = list(form.tw4.errors) + [str(exc)]
        flash(_("Target belum disimpan: periksa isian yang ditandai."), "danger")
        return _plan_page(year, {("targets", indicator.id): form}, 422)
    db.session.commit()
    flash(_("Target triwulan IKU %(n)d disimpan.", n=indicator.number) if changed else _("Tidak ada perubahan."),
          "success")
    return redirect(url_for(".plan", year=year) + f"#iku-{indicator.id}")


@bp.route("/renaksi/<int:year>/iku/<int:indicator_id>/kegiatan", methods=["POST"])
@login_required
def add_action(year: int, indicator_id: int):
    require("renaksi.manage")
    indicator = _indicator_or_404(year, indicator_id)
    form = ActionForm(prefix=f"a{indicator.id}")
    form.section.choices = _section_choices()
    if not form.validate_on_submit():
        flash(_("Kegiatan belum disimpan: periksa isian yang ditandai."), "danger")
        return _plan_page(year, {("action", indicator.id): form}, 422)
    text = form.section.data or ""
    section = db.session.get(Section, int(text)) if re.fullmatch(r"[0-9]{1,9}", text) else None
    try:
        operations.add_action(indicator, _user(), form.name.data, section, form.budget.data)
    except RenaksiError as exc:
        db.session.rollback()
        form.name.errors = list(form.name.errors) + [str(exc)]
        return _plan_page(year, {("action", indicator.id): form}, 422)
    db.session.commit()
    flash(_("Kegiatan ditambahkan pada IKU %(n)d.", n=indicator.number), "success")
    return redirect(url_for(".plan", year=year) + f"#iku-{indicator.id}")


@bp.route("/renaksi/kegiatan/<int:action_id>/hapus", methods=["POST"])
@login_required
def delete_action(action_id: int):
    require("renaksi.manage")
    action = load_or_404(RenaksiAction, action_id)
    year, indicator_id = action.plan.year, action.plan.indicator_id
    from ..auth.forms import EmptyForm

    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".plan", year=year))
    operations.delete_action(action, _user())
    db.session.commit()
    flash(_("Kegiatan dihapus."), "success")
    return redirect(url_for(".plan", year=year) + f"#iku-{indicator_id}")


def _tw_or_404(tw: int) -> int:
    if tw not in operations.TW:
        abort(404)
    return tw


def _may_write(row) -> bool:
    section = operations.note_section(row.indicator)
    if not can(current_user, "renaksi.note") or section is None or current_user.section_id != section.id:
        return False
    return row.note is None or row.note.entry.state.value in ("draft", "returned")


def _monitoring_page(year: int, tw: int, bad: dict | None = None, status: int = 200):
    bad = bad or {}
    rows = operations.monitoring(_office(), year, tw)
    forms = {}
    for row in rows:
        if _may_write(row):
            forms[row.indicator.id] = bad.get(row.indicator.id) or NoteForm(
                formdata=None, prefix=f"n{row.indicator.id}",
                data={"kendala": row.note.kendala, "tindak_lanjut": row.note.tindak_lanjut} if row.note else None)
    from ..reports.pk import target_text

    return render_template("renaksi/monitoring.html", year=year, tw=tw, rows=rows, forms=forms, roman=roman,
                           target_text=target_text,
                           section_of=operations.note_section), status


@bp.route("/renaksi/<int:year>/monitoring/<int:tw>")
@login_required
def monitoring(year: int, tw: int):
    require("renaksi.view")
    return _monitoring_page(year, _tw_or_404(tw))


@bp.route("/renaksi/<int:year>/monitoring/<int:tw>/iku/<int:indicator_id>", methods=["POST"])
@login_required
def save_note(year: int, tw: int, indicator_id: int):
    require("renaksi.note")
    tw = _tw_or_404(tw)
    indicator = _indicator_or_404(year, indicator_id)
    form = NoteForm(prefix=f"n{indicator.id}")
    if not form.validate_on_submit():
        flash(_("Catatan belum disimpan: periksa isian yang ditandai."), "danger")
        return _monitoring_page(year, tw, {indicator.id: form}, 422)
    try:
        operations.save_note(indicator, tw, _user(), form.kendala.data, form.tindak_lanjut.data)
    except RenaksiError as exc:
        db.session.rollback()
        form.kendala.errors = list(form.kendala.errors) + [str(exc)]
        flash(str(exc), "danger")
        return _monitoring_page(year, tw, {indicator.id: form}, 422)
    db.session.commit()
    flash(_("Catatan monitoring IKU %(n)d TW %(tw)s disimpan. Ajukan untuk ditinjau bila sudah lengkap.",
            n=indicator.number, tw=roman(tw)), "success")
    return redirect(url_for(".monitoring", year=year, tw=tw) + f"#iku-{indicator.id}")


# ---------------------------------------------------------------- exports


def _name(year: int, what: str, suffix: str) -> str:
    office = re.sub(r"[^A-Za-z0-9]+", "-", _office().name).strip("-") or "Kecamatan"
    return f"{what}-{office}-{year}{suffix}"


@bp.route("/renaksi/<int:year>/renaksi.<fmt>")
@login_required
def export_plan(year: int, fmt: str):
    require("renaksi.view")
    from ..reports import renaksi as report
    from .content import plan_context

    ctx = plan_context(_office(), year)
    if fmt == "xlsx":
        data, mime = report.build_renaksi_xlsx(ctx), XLSX_MIME
    elif fmt == "docx":
        data, mime = report.build_renaksi_docx(ctx), DOCX_MIME
    else:
        abort(404)
    import io

    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=_name(year, "Rencana-Aksi", f".{fmt}"))


@bp.route("/renaksi/<int:year>/monitoring/<int:tw>.docx")
@login_required
def export_monitoring(year: int, tw: int):
    require("renaksi.view")
    tw = _tw_or_404(tw)
    from ..reports import renaksi as report
    from .content import monitoring_context

    import io

    data = report.build_monitoring_docx(monitoring_context(_office(), year, tw))
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=_name(year, f"Monitoring-Renaksi-TW{tw}", ".docx"))

