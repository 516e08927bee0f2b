"""The office's own catalogue of document types (/dokumen/jenis): add, rename, deactivate, delete.

Sekcam or admin (``requirements.manage``). A type a year requires cannot be deleted, only deactivated
(no longer offered for a year's list). Views parse, authorise, call one operation, commit, redirect.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import load_or_404, require, scoped
from ..auth.forms import EmptyForm
from ..extensions import db
from ..models import DocumentType, RequiredDocument
from . import bp, operations
from .forms import DocumentTypeEditForm, DocumentTypeForm


def _user():
    return current_user._get_current_object()


def _edit_form(doc_type: DocumentType, data=None) -> DocumentTypeEditForm:
    return DocumentTypeEditForm(formdata=data, prefix=f"t{doc_type.id}", name=doc_type.name,
                                group=doc_type.group.value)


def _render(add_form: DocumentTypeForm, edit_forms: dict | None = None, status: int = 200):
    types = db.session.scalars(scoped(DocumentType).order_by(DocumentType.position, DocumentType.name)).all()
    uses = dict(db.session.execute(sa.select(RequiredDocument.type_id, sa.func.count(RequiredDocument.id))
                                   .where(RequiredDocument.office_id == current_user.office_id)
                                   .group_by(RequiredDocument.type_id)).all())
    edit_forms = edit_forms or {}
    forms = {t.id: edit_forms.get(t.id) or _edit_form(t) for t in types}
    return render_template("documents/types.html", types=types, uses=uses, add_form=add_form, forms=forms,
                           button_form=EmptyForm(), year=_back_year()), status


def _back_year() -> int | None:
    """The year of the requirements page the user came from (``?tahun=``), for the way back."""
    year = request.args.get("tahun", type=int)
    return year if year is not None and 2000 <= year <= 2100 else None


def _field_error(form, exc: operations.DocumentError) -> None:
    target = getattr(form, getattr(exc, "field", ""), None)
    if target is None:
        flash(str(exc), "danger")
    else:
        target.errors = list(target.errors) + [str(exc)]


@bp.route("/jenis", methods=["GET", "POST"])
@login_required
def types():
    require("requirements.manage")
    form = DocumentTypeForm()
    if not form.is_submitted():
        return _render(form)
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)
        return _render(form, status=400)
    try:
        doc_type = operations.create_document_type(current_user.office, _user(), name=form.name.data,
                                                   group=form.group.data, code=form.code.data or None)
    except operations.DocumentError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return _render(form, status=400)
    db.session.commit()
    flash(_("Jenis dokumen «%(name)s» ditambahkan (kode %(code)s).", name=doc_type.name, code=doc_type.code),
          "success")
    return redirect(url_for("documents.types"))


@bp.route("/jenis/<int:type_id>/ubah", methods=["POST"])
@login_required
def edit_type(type_id: int):
    require("requirements.manage")
    doc_type = load_or_404(DocumentType, type_id)
    form = _edit_form(doc_type, request.form)
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)
        return _render(DocumentTypeForm(formdata=None), {doc_type.id: form}, status=400)
    try:
        changed = operations.update_document_type(doc_type, _user(), name=form.name.data, group=form.group.data)
    except operations.DocumentError as exc:
        db.session.rollback()
        doc_type = load_or_404(DocumentType, type_id)
        form = _edit_form(doc_type, request.form)
        _field_error(form, exc)
        return _render(DocumentTypeForm(formdata=None), {doc_type.id: form}, status=400)
    db.session.commit()
    if changed:
        flash(_("Jenis dokumen «%(name)s» disimpan.", name=doc_type.name), "success")
    return redirect(url_for("documents.types"))


@bp.route("/jenis/<int:type_id>/status", methods=["POST"])
@login_required
def toggle_type(type_id: int):
    require("requirements.manage")
    doc_type = load_or_404(DocumentType, type_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    operations.set_document_type_active(doc_type, _user(), not doc_type.active)
    db.session.commit()
    flash(_("«%(name)s» diaktifkan kembali.", name=doc_type.name) if doc_type.active else
          _("«%(name)s» dinonaktifkan: tidak ditawarkan lagi untuk daftar dokumen wajib.", name=doc_type.name),
          "success")
    return redirect(url_for("documents.types"))


@bp.route("/jenis/<int:type_id>/hapus", methods=["GET", "POST"])
@login_required
def remove_type(type_id: int):
    """GET asks (naming the type), POST deletes; a type in use is refused with the advice to deactivate it."""
    require("requirements.manage")
    doc_type = load_or_404(DocumentType, type_id)
    uses = operations.type_uses(doc_type)
    form = EmptyForm()
    if request.method == "GET":
        return render_template("documents/type_remove.html", doc_type=doc_type, uses=uses, form=form)
    if not form.validate_on_submit():
        abort(400)
    name = doc_type.name
    try:
        operations.delete_document_type(doc_type, _user())
    except operations.DocumentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("documents.types"))
    db.session.commit()
    flash(_("Jenis dokumen «%(name)s» dihapus.", name=name), "success")
    return redirect(url_for("documents.types"))
