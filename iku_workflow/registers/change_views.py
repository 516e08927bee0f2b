"""Pages of the changes of approved register rows: propose (a form prefilled with the row's values and a
reason), the change with its old → new and its review, revise a returned change, cancel, its evidence."""
from __future__ import annotations

import enum
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import storage
from ..access import can, load_or_404, require
from ..extensions import db
from ..models import ChangeRequest
from ..storage import uploads
from ..workflow import operations as wf
from . import bp, changes, operations
from .forms import EVIDENCE_HELP, DeleteForm
from .spec import RegisterSpec
from .views import _register_or_404, _row_or_404


@lru_cache(maxsize=None)
def _change_form(form_class: type) -> type:
    """The register's edit form plus the reason of the change (required)."""
    return type(form_class.__name__ + "Change", (form_class,), {
        "change_reason": TextAreaField(_l("Alasan perubahan"), validators=[
            DataRequired(message=_l("Alasan perubahan wajib diisi.")), Length(max=2000)]),
        "version": HiddenField(),
    })


#: quick proposals: the values a common change sets on top of the row's (a complaint resolved today, an
#: activity facilitated today), offered as their own button on the row's page
QUICK = {
    "pengaduan": (_l("Usulkan «Selesai»"), lambda row: {"status": "selesai", "resolved_on": row.resolved_on or date.today()}),
    "kegiatan": (_l("Usulkan «Sudah difasilitasi»"),
                 lambda row: {"facilitated": True, "facilitated_on": row.facilitated_on or date.today()}),
}


def quick_label(reg: RegisterSpec, row):
    quick = QUICK.get(reg.slug)
    if quick is None:
        return None
    values = quick[1](row)
    current = {name: getattr(row, name) for name in values}
    if all((v.value if isinstance(v, enum.Enum) else v) == values[k] for k, v in current.items()):
        return None  # already so
    return quick[0]


def store_change_evidence(upload) -> dict | None:
    """The one place a change's new evidence file is stored (the key the change names; rolled back with
    the request). Raises uploads.UploadError for a refused file."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    checked = uploads.check(upload.stream, upload.filename)
    with checked:
        stored = storage.save(checked.file, storage.new_key(operations.EVIDENCE_FOLDER, suffix="." + checked.extension))
    return {"file": stored.key.rsplit("/", 1)[1], "filename": checked.name, "mime": checked.mime,
            "sha256": checked.sha256}


def _fill(form, reg: RegisterSpec, values: dict) -> None:
    for name, value in values.items():
        getattr(form, name).data = value.value if isinstance(value, enum.Enum) else value


def _read(form, reg: RegisterSpec, year: int):
    """(values, evidence) of a valid posted form, or None with the errors set on the form."""
    if not form.validate_on_submit():
        return None
    data = {name: getattr(form, name).data for name in reg.fields}
    errors = reg.check(data, year)
    for name, message in errors.items():
        getattr(form, name).errors = list(getattr(form, name).errors) + [message]
    if errors:
        return None
    try:
        evidence = store_change_evidence(form.evidence_upload.data)
    except uploads.UploadError as exc:
        form.evidence_upload.errors = [str(exc)]
        return None
    return reg.convert(data), evidence


def _version(form) -> int | None:
    text = form.version.data or ""
    return int(text) if text.isdigit() else None


@bp.route("/register/<register>/data/<int:row_id>/usulkan", methods=["GET", "POST"])
@login_required
def propose(register: str, row_id: int):
    """Propose new values for an approved row (the owning section's operator)."""
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    require("entry.edit", row.entry)
    back = url_for("registers.detail", register=register, row_id=row_id)
    pending = changes.open_change(row)
    if pending is not None:
        flash(_("Sudah ada usulan perubahan data ini yang belum selesai ditinjau."), "warning")
        return redirect(url_for("registers.change", register=register, change_id=pending.id))
    if not changes.may_propose(current_user, row):
        flash(_("Hanya data yang sudah disetujui yang diubah lewat usulan perubahan."), "warning")
        return redirect(back)
    form_class = _change_form(reg.form)
    if request.method == "GET":
        form = form_class(obj=row)
        _fill(form, reg, {name: getattr(row, name) for name in reg.fields})
        if request.args.get("cepat") and register in QUICK:
            _fill(form, reg, QUICK[register][1](row))
        form.version.data = str(row.entry.version)
    else:
        form = form_class()
    reg.prepare_form(form, row.office_id, row)  # the office's desa in the dropdown
    read = _read(form, reg, row.year) if request.method == "POST" else None
    if read is not None:
        values, evidence = read
        try:
            change = changes.propose(row, current_user._get_current_object(), values=values,
                                     reason=form.change_reason.data, evidence=evidence,
                                     expected_version=_version(form))
        except wf.ConflictError as exc:
            db.session.rollback()  # also deletes the evidence file just written
            return _render_form(reg, _row_or_404(reg, row_id), form, None, conflict=str(exc)), 409
        except (wf.WorkflowError, operations.RegisterError) as exc:
            db.session.rollback()
            return _render_form(reg, _row_or_404(reg, row_id), form, None, conflict=str(exc)), 422
        db.session.commit()
        flash(_("Usulan perubahan diajukan. Data yang disetujui tetap dihitung sampai Sekretaris Camat "
                "menyetujui perubahan."), "success")
        return redirect(url_for("registers.change", register=register, change_id=change.id))
    return _render_form(reg, row, form, None), 422 if request.method == "POST" else 200


def _render_form(reg, row, form, change, conflict: str | None = None):
    return render_template("registers/change_form.html", reg=reg, row=row, form=form, change=change,
                           conflict=conflict, evidence_help=EVIDENCE_HELP)


def _change_or_404(reg: RegisterSpec, change_id: int) -> ChangeRequest:
    change = load_or_404(ChangeRequest, change_id)
    if change.register != reg.slug:
        abort(404)
    require("entry.view", change.entry)
    return change


@bp.route("/register/<register>/perubahan/<int:change_id>")
@login_required
def change(register: str, change_id: int):
    reg = _register_or_404(register)
    change = _change_or_404(reg, change_id)
    row = changes.row_of(change)
    if row is None:
        abort(404)
    may_edit = change.entry.is_editable and can(current_user, "entry.edit", change.entry)
    return render_template("registers/change.html", reg=reg, row=row, change=change, entry=change.entry,
                           diff=changes.diff(change, row), may_edit=may_edit,
                           cancel_form=DeleteForm(formdata=None, version=change.entry.version) if may_edit else None)


@bp.route("/register/<register>/perubahan/<int:change_id>/ubah", methods=["GET", "POST"])
@login_required
def revise(register: str, change_id: int):
    """Revise a returned (or withdrawn) change and submit it again."""
    reg = _register_or_404(register)
    change = _change_or_404(reg, change_id)
    require("entry.edit", change.entry)
    row = changes.row_of(change)
    back = url_for("registers.change", register=register, change_id=change_id)
    if row is None or not change.entry.is_editable:
        flash(_("Usulan ini sedang ditinjau atau sudah diputuskan dan tidak dapat diubah."), "warning")
        return redirect(back)
    form_class = _change_form(reg.form)
    if request.method == "GET":
        form = form_class(obj=row)
        current = {name: getattr(row, name) for name in reg.fields}
        _fill(form, reg, current)
        spec_values = {name: changes.decode(reg, name, stored) for name, stored in change.proposed.items()}
        _fill(form, reg, spec_values)
        form.change_reason.data = change.reason
        form.version.data = str(change.entry.version)
    else:
        form = form_class()
    reg.prepare_form(form, row.office_id, row)
    read = _read(form, reg, row.year) if request.method == "POST" else None
    if read is not None:
        values, evidence = read
        try:
            changes.revise(change, current_user._get_current_object(), values=values, reason=form.change_reason.data,
                           evidence=evidence, expected_version=_version(form))
        except (wf.WorkflowError, operations.RegisterError) as exc:
            db.session.rollback()
            change = _change_or_404(reg, change_id)
            return _render_form(reg, changes.row_of(change), form, change, conflict=str(exc)), \
                409 if isinstance(exc, wf.ConflictError) else 422
        db.session.commit()
        flash(_("Usulan perubahan diajukan kembali."), "success")
        return redirect(back)
    return _render_form(reg, row, form, change), 422 if request.method == "POST" else 200


@bp.route("/register/<register>/perubahan/<int:change_id>/batalkan", methods=["POST"])
@login_required
def cancel(register: str, change_id: int):
    reg = _register_or_404(register)
    change = _change_or_404(reg, change_id)
    require("entry.edit", change.entry)
    row_id = change.row_id
    form = DeleteForm()
    back = url_for("registers.change", register=register, change_id=change_id)
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    version = form.version.data or ""
    try:
        changes.cancel(change, current_user._get_current_object(),
                       expected_version=int(version) if version.isdigit() else None)
    except wf.WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("Usulan perubahan dibatalkan; data tetap seperti yang disetujui."), "success")
    return redirect(url_for("registers.detail", register=register, row_id=row_id))


@bp.route("/register/<register>/perubahan/<int:change_id>/bukti")
@login_required
def change_evidence(register: str, change_id: int):
    reg = _register_or_404(register)
    change = _change_or_404(reg, change_id)
    if not change.evidence_file:
        abort(404)
    return storage.send(operations.evidence_key(change.evidence_file), mimetype=change.evidence_mime,
                        download_name=change.evidence_filename)


@bp.app_template_global()
def change_summary(entry) -> list[dict] | None:
    """old → new of a proposed change behind a queue entry (None for other kinds): the reviewer reads it
    in the queue and may approve it there."""
    if not entry.kind.endswith("_change"):
        return None
    change = db.session.scalar(sa.select(ChangeRequest).where(ChangeRequest.entry_id == entry.id))
    row = changes.row_of(change) if change is not None and change.register else None
    return changes.diff(change, row) if row is not None else None
