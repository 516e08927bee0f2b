"""Asking for an approved document to be reopened: the owning section's operator gives a reason, the
request goes to the sekcam's review queue as its own entry (kind ``reopen_request``). Approving it reopens
the document (with the reason); returning it declines (the note says why). The document stays approved,
and counts, until then."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import audit
from ..access import can, load_or_404, require
from ..extensions import db
from ..models import ChangeRequest, EntryState, RequiredDocument, User, WorkflowAction, WorkflowEntry
from ..workflow import operations as wf
from ..workflow.forms import TransitionForm
from ..workflow.kinds import Kind
from . import bp

KIND = "reopen_request"
OPEN_STATES = (EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED)


class ReopenRequestError(wf.WorkflowError):
    pass


def open_request(target: WorkflowEntry) -> ChangeRequest | None:
    """The request to reopen ``target`` under way (draft, submitted or returned), if any."""
    return db.session.scalar(sa.select(ChangeRequest).join(ChangeRequest.entry).where(
        ChangeRequest.target_entry_id == target.id, ChangeRequest.register.is_(None),
        WorkflowEntry.state.in_(OPEN_STATES)))


def request_reopen(doc: RequiredDocument, user: User, *, reason: str,
                   expected_version: int | None = None) -> ChangeRequest:
    """Ask the sekcam to reopen an approved document; submitted for review at once."""
    target = doc.entry
    reason = (reason or "").strip()
    if target.state is not EntryState.APPROVED:
        raise ReopenRequestError(_("Hanya dokumen yang sudah disetujui yang dapat diminta dibuka kembali."))
    if not can(user, "entry.edit", target):
        raise wf.ForbiddenTransition(_("Hanya operator seksi penanggung jawab yang dapat meminta dokumen ini "
                                       "dibuka kembali."))
    wf.ensure_version(target, expected_version)
    if not reason:
        raise ReopenRequestError(_("Alasan wajib diisi untuk meminta dokumen dibuka kembali."))
    if open_request(target) is not None:
        raise ReopenRequestError(_("Permintaan membuka kembali dokumen ini sudah diajukan dan belum diputuskan."))
    entry = wf.create_entry(office_id=target.office_id, kind=KIND, title=("Buka kembali: " + target.title)[:255],
                            year=target.year, user=user, section_id=target.section_id)
    request = ChangeRequest(office_id=target.office_id, entry=entry, target_entry_id=target.id,
                            base_version=target.version, proposed={}, reason=reason)
    db.session.add(request)
    db.session.flush()
    audit.record("documents.reopen_requested", office_id=target.office_id, user=user, obj=request,
                 document_id=doc.id, entry_id=target.id, reason=reason)
    wf.submit(entry, user, note=reason)
    return request


def _request_of(entry: WorkflowEntry) -> ChangeRequest | None:
    return db.session.scalar(sa.select(ChangeRequest).where(ChangeRequest.entry_id == entry.id))


def _target_unchanged(entry: WorkflowEntry, action, user) -> str | None:
    if action is not WorkflowAction.APPROVE:
        return None
    request = _request_of(entry)
    if request is None or request.target_entry.state is not EntryState.APPROVED:
        return _("Dokumen ini tidak lagi berstatus disetujui; permintaan tidak perlu diputuskan lagi.")
    return None


def _reopen_on_approve(entry: WorkflowEntry, action, user: User) -> None:
    if action is not WorkflowAction.APPROVE:
        return
    request = _request_of(entry)
    submitter = entry.submitter
    who = submitter.full_name if submitter else "operator"
    wf.reopen(request.target_entry, user, reason=f"Atas permintaan {who}: {request.reason}")


def _url(entry: WorkflowEntry) -> str:
    request = _request_of(entry)
    doc_id = db.session.scalar(sa.select(RequiredDocument.id).where(
        RequiredDocument.entry_id == request.target_entry_id)) if request else None
    if doc_id is None:
        return url_for("workflow.entry", entry_id=entry.id)
    return url_for("documents.document", doc_id=doc_id)


KINDS = (Kind(KIND, _l("Permintaan buka kembali dokumen"), url=_url, hooks=(_reopen_on_approve,),
              guards=(_target_unchanged,)),)


@bp.app_template_global()
def reopen_requests_of(entry: WorkflowEntry) -> list[ChangeRequest]:
    """The requests to reopen ``entry`` (newest first), for the document page."""
    return list(db.session.scalars(sa.select(ChangeRequest).where(
        ChangeRequest.target_entry_id == entry.id, ChangeRequest.register.is_(None)).order_by(ChangeRequest.id.desc())))


@bp.app_template_global()
def may_request_reopen(entry: WorkflowEntry) -> bool:
    return entry.state is EntryState.APPROVED and can(current_user, "entry.edit", entry) and open_request(entry) is None


@bp.route("/wajib/<int:doc_id>/minta-buka", methods=["POST"])
@login_required
def request_reopen_view(doc_id: int):
    doc = load_or_404(RequiredDocument, doc_id)
    require("entry.edit", doc.entry)
    form = TransitionForm()
    back = url_for("documents.document", doc_id=doc_id)
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    version = form.version.data or ""
    try:
        request_reopen(doc, current_user._get_current_object(), reason=form.note.data or "",
                       expected_version=int(version) if version.isdigit() else None)
    except wf.WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("Permintaan membuka kembali diajukan ke Sekretaris Camat."), "success")
    return redirect(back)
