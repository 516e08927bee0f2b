"""The requirements editor: sekcam or admin sets the year's list of required documents."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import load_or_404, require, scoped
from ..auth.forms import EmptyForm
from ..extensions import db
from ..models import DocumentType, RequiredDocument, Section
from . import bp, operations
from .forms import CopyForm, RequirementEditForm, RequirementForm
from .views import _check_year, _user, _year_documents


def _section_choices() -> list[tuple[int, str]]:
    sections = db.session.scalars(scoped(Section).where(Section.active.is_(True)).order_by(Section.position)).all()
    return [(0, _("— pilih seksi —"))] + [(s.id, s.short_name) for s in sections]


def _edit_form(doc: RequiredDocument, data=None) -> RequirementEditForm:
    form = RequirementEditForm(formdata=data, prefix=f"d{doc.id}", section_id=doc.entry.section_id,
                               due_date=doc.entry.due_date, description=doc.description)
    form.section_id.choices = _section_choices()
    return form


def _render(year: int, add_form: RequirementForm, edit_forms: dict | None = None, status: int = 200):
    docs = _year_documents(year)
    edit_forms = edit_forms or {}
    forms = {d.id: edit_forms.get(d.id) or _edit_form(d) for d in docs}
    last_year_count = db.session.scalar(sa.select(sa.func.count(RequiredDocument.id)).where(
        RequiredDocument.office_id == current_user.office_id, RequiredDocument.year == year - 1)) or 0
    return render_template("documents/requirements.html", year=year, docs=docs, add_form=add_form, forms=forms,
                           copy_form=CopyForm(from_year=year - 1), remove_form=EmptyForm(),
                           last_year_count=last_year_count), status


def _add_form(year: int, data=None) -> RequirementForm:
    taken = set(db.session.scalars(sa.select(RequiredDocument.type_id).where(
        RequiredDocument.office_id == current_user.office_id, RequiredDocument.year == year)))
    types = db.session.scalars(scoped(DocumentType).where(DocumentType.active.is_(True))
                               .order_by(DocumentType.position, DocumentType.name)).all()
    form = RequirementForm(formdata=data) if data is not None else RequirementForm()
    form.type_id.choices = [(0, _("— pilih jenis dokumen —"))] + [(t.id, t.name) for t in types if t.id not in taken]
    form.section_id.choices = _section_choices()
    return form


@bp.route("/<int:year>/daftar", methods=["GET", "POST"])
@login_required
def requirements(year: int):
    require("requirements.manage")
    _check_year(year)
    form = _add_form(year)
    if not form.is_submitted():
        return _render(year, form)
    if not form.validate():
        return _render(year, form, status=400)
    doc_type = load_or_404(DocumentType, form.type_id.data)
    section = load_or_404(Section, form.section_id.data)
    try:
        doc = operations.add_requirement(office_id=current_user.office_id, year=year, doc_type=doc_type,
                                         section=section, due_date=form.due_date.data,
                                         description=form.description.data or "", user=_user())
    except operations.DocumentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _render(year, _add_form(year), status=400)
    db.session.commit()
    flash(_("«%(name)s» ditambahkan ke daftar dokumen wajib %(year)d.", name=doc.type.name, year=year), "success")
    return redirect(url_for("documents.requirements", year=year))


@bp.route("/<int:year>/daftar/salin", methods=["POST"])
@login_required
def copy_requirements(year: int):
    require("requirements.manage")
    _check_year(year)
    form = CopyForm()
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("documents.requirements", year=year))
    copied, skipped = operations.copy_from_year(office_id=current_user.office_id, from_year=year - 1, to_year=year,
                                                user=_user())
    db.session.commit()
    if copied:
        flash(_("%(n)d dokumen wajib disalin dari tahun %(prev)d (%(s)d sudah ada, dilewati).",
                n=copied, prev=year - 1, s=skipped), "success")
    else:
        flash(_("Tidak ada yang disalin dari tahun %(prev)d (%(s)d sudah ada).", prev=year - 1, s=skipped), "info")
    return redirect(url_for("documents.requirements", year=year))


@bp.route("/wajib/<int:doc_id>/ubah", methods=["POST"])
@login_required
def edit_requirement(doc_id: int):
    require("requirements.manage")
    doc = load_or_404(RequiredDocument, doc_id)

    form = _edit_form(doc, request.form)
    if not form.validate():
        return _render(doc.year, _add_form(doc.year), {doc.id: form}, status=400)
    section = load_or_404(Section, form.section_id.data)
    try:
        operations.update_requirement(doc, section=section, due_date=form.due_date.data,
                                      description=form.description.data or "", user=_user())
    except operations.DocumentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("documents.requirements", year=doc.year))
    db.session.commit()
    flash(_("«%(name)s» diperbarui.", name=doc.type.name), "success")
    return redirect(url_for("documents.requirements", year=doc.year))


@bp.route("/wajib/<int:doc_id>/hapus", methods=["POST"])
@login_required
def remove_requirement(doc_id: int):
    require("requirements.manage")
    doc = load_or_404(RequiredDocument, doc_id)
    year, name = doc.year, doc.type.name
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for("documents.requirements", year=year))
    try:
        operations.remove_requirement(doc, _user())
    except operations.DocumentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("documents.requirements", year=year))
    db.session.commit()
    flash(_("«%(name)s» dihapus dari daftar %(year)d.", name=name, year=year), "success")
    return redirect(url_for("documents.requirements", year=year))
