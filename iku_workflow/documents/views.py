"""Pages of the documents capability: the year, one document (upload, review, files), the list editor.

Views parse, authorise (load_or_404 + require), call an operation, commit once, redirect.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from .. import storage
from ..access import can, load_or_404, require, scoped
from ..auth.views import safe_next
from ..extensions import db
from ..models import (DocumentFile, DocumentGroup, DocumentType, RequiredDocument, Section, WorkflowEntry,
                      WorkflowEvent)
from ..storage import uploads
from ..workflow import operations as workflow
from . import bp, numbers, operations
from .forms import CopyForm, FileDeleteForm, UploadForm


def _user():
    return current_user._get_current_object()


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        abort(404)


def _years() -> list[int]:
    years = set(db.session.scalars(sa.select(RequiredDocument.year).where(
        RequiredDocument.office_id == current_user.office_id).distinct()))
    return sorted(years | {date.today().year}, reverse=True)


def _year_documents(year: int) -> list[RequiredDocument]:
    return db.session.scalars(
        scoped(RequiredDocument).where(RequiredDocument.year == year)
        .join(RequiredDocument.type)
        .options(selectinload(RequiredDocument.type),
                 selectinload(RequiredDocument.entry).selectinload(WorkflowEntry.section))
        .order_by(DocumentType.position, DocumentType.name)
    ).all()


@bp.route("/")
@login_required
def index():
    require("entry.view")
    return redirect(url_for("documents.year", year=date.today().year))


@bp.route("/<int:year>")
@login_required
def year(year: int):
    require("entry.view")
    _check_year(year)
    docs = _year_documents(year)
    entry_ids = [d.entry_id for d in docs]
    last_ids = sa.select(sa.func.max(WorkflowEvent.id)).where(WorkflowEvent.entry_id.in_(entry_ids)).group_by(
        WorkflowEvent.entry_id)
    last_events = {ev.entry_id: ev for ev in db.session.scalars(
        sa.select(WorkflowEvent).where(WorkflowEvent.id.in_(last_ids)).options(selectinload(WorkflowEvent.actor)))}
    file_counts = dict(db.session.execute(
        sa.select(DocumentFile.document_id, sa.func.count(DocumentFile.id))
        .where(DocumentFile.document_id.in_([d.id for d in docs])).group_by(DocumentFile.document_id)).all())
    sections = {s.id: s for s in db.session.scalars(scoped(Section))}
    iku1_total, iku1_tw = numbers.iku1(current_user.office_id, year)
    return render_template(
        "documents/year.html", year=year, years=_years(), docs=docs, last_events=last_events,
        file_counts=file_counts, completion=numbers.year_completion(current_user.office_id, year),
        groups=list(DocumentGroup), sections=sections, iku1_total=iku1_total, iku1_tw=iku1_tw,
        today=date.today(), copy_form=CopyForm(),
    )


@bp.route("/entri/<int:entry_id>")
@login_required
def by_entry(entry_id: int):
    """The URL the workflow pages use for a document entry."""
    entry = load_or_404(WorkflowEntry, entry_id)
    require("entry.view", entry)
    doc_id = db.session.scalar(sa.select(RequiredDocument.id).where(RequiredDocument.entry_id == entry.id))
    if doc_id is None:
        abort(404)
    # the queue's way back (?next=) goes on to the document's page, so its review step returns there
    back = safe_next(request.args.get("next"))
    return redirect(url_for("documents.document", doc_id=doc_id, **({"next": back} if back else {})))


def _render_document(doc: RequiredDocument, form: UploadForm, error: str | None = None, status: int = 200):
    user = _user()
    may_upload = can(user, "entry.edit", doc.entry) and doc.entry.is_editable
    deletable = {f.id for f in doc.files if not operations.was_submitted(f)} if may_upload else set()
    return render_template("documents/document.html", doc=doc, entry=doc.entry, form=form, error=error,
                           may_upload=may_upload, max_mb=current_app.config["IKU_MAX_UPLOAD_MB"],
                           deletable=deletable,
                           file_delete_form=FileDeleteForm(formdata=None, version=doc.entry.version)), status


@bp.route("/wajib/<int:doc_id>")
@login_required
def document(doc_id: int):
    doc = load_or_404(RequiredDocument, doc_id)
    require("entry.view", doc.entry)
    return _render_document(doc, UploadForm())


@bp.route("/wajib/<int:doc_id>/unggah", methods=["POST"])
@login_required
def upload(doc_id: int):
    doc = load_or_404(RequiredDocument, doc_id)
    require("entry.edit", doc.entry)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_document(doc, form, _("Periksa kembali isian formulir."), 400)
    chosen = [f for f in request.files.getlist(form.files.name) if f and (f.filename or f.content_length)]
    try:
        stored = operations.upload_files(
            doc, _user(), [(f.stream, f.filename) for f in chosen], description=form.description.data or "")
        db.session.commit()
    except (uploads.UploadError, workflow.WorkflowError) as exc:
        db.session.rollback()  # also deletes any file already written (storage.transaction)
        doc = load_or_404(RequiredDocument, doc_id)
        return _render_document(doc, form, str(exc), 400)
    except BaseException:
        db.session.rollback()
        raise
    flash(_("%(n)d berkas tersimpan. Ajukan dokumen bila sudah lengkap.", n=len(stored)), "success")
    return redirect(url_for("documents.document", doc_id=doc_id))


@bp.route("/berkas/<int:file_id>/unduh")
@login_required
def download(file_id: int):
    item = load_or_404(DocumentFile, file_id)
    require("entry.view", item.document.entry)
    # streamed from the file store: a 20 MB scan is never read into memory whole
    return storage.send_file_safely(operations.file_key(item), mimetype=item.mime, download_name=item.original_name)


@bp.route("/berkas/<int:file_id>/lihat")
@login_required
def view_file(file_id: int):
    """A PDF or image version shown in the browser (sandboxed); any other file is downloaded."""
    item = load_or_404(DocumentFile, file_id)
    require("entry.view", item.document.entry)
    return storage.send_file_safely(operations.file_key(item), mimetype=item.mime, download_name=item.original_name,
                                    inline=True)


@bp.route("/wajib/<int:doc_id>/berkas/<int:file_id>/hapus", methods=["POST"])
@login_required
def delete_file(doc_id: int, file_id: int):
    """Delete a wrongly uploaded, never submitted version of a draft/returned document."""
    doc = load_or_404(RequiredDocument, doc_id)
    require("entry.edit", doc.entry)
    back = url_for("documents.document", doc_id=doc_id)
    form = FileDeleteForm()
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    version = form.version.data or ""
    try:
        item = operations.delete_file(doc, _user(), file_id,
                                      expected_version=int(version) if version.isdigit() else None)
    except (operations.DocumentError, workflow.WorkflowError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()  # the file leaves the store after this commit
    flash(_("Versi %(n)s «%(name)s» dihapus.", n=item.version, name=item.original_name), "success")
    return redirect(back)

