"""Asking for an approved document to be reopened: the reason reaches the sekcam's queue; the sekcam
reopens (approves the request) or declines (returns it with a note). The document counts until then."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import bring_to, required
from iku_workflow.documents import reopen
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, ChangeRequest, EntryState, Notification
from iku_workflow.workflow import operations as ops

pytestmark = pytest.mark.usefixtures("evidence_everywhere")

S = EntryState


def _approved(office):
    return bring_to(required(office, "sop").entry, S.APPROVED) and required(office, "sop")


def test_request_reaches_the_queue_and_approval_reopens(app, office, client_as):
    doc = _approved(office)
    client = client_as("pelayanan")
    page = client.get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert 'data-testid="request-reopen"' in page
    token = _token(page)
    response = client.post(f"/dokumen/wajib/{doc.id}/minta-buka",
                           data={"csrf_token": token, "version": str(doc.entry.version), "note": "Nomor SOP salah"})
    assert response.status_code == 302
    request = db.session.scalar(sa.select(ChangeRequest))
    assert request.reason == "Nomor SOP salah" and request.entry.state is S.SUBMITTED
    assert request.entry.kind == "reopen_request"
    sekcam = get_user("sekcam")
    assert request.entry in db.session.scalars(ops.review_queue(sekcam)).all()
    notice = db.session.scalar(sa.select(Notification).where(Notification.entry_id == request.entry_id,
                                                             Notification.user_id == sekcam.id))
    assert notice is not None
    queue = client_as("sekcam").get("/tinjauan").get_data(as_text=True)
    assert "Buka kembali: " in queue
    # still approved (and counted) while the request waits; the requester may not decide it
    assert doc.entry.state is S.APPROVED
    with pytest.raises(ops.ForbiddenTransition):
        ops.approve(request.entry, get_user("pelayanan"))
    db.session.rollback()
    ops.approve(request.entry, sekcam, expected_version=request.entry.version)
    db.session.commit()
    db.session.expire_all()
    assert doc.entry.state is S.RETURNED and "Nomor SOP salah" in doc.entry.last_note
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "workflow.reopen",
                                                            AuditEvent.object_id == doc.entry_id)) is not None


def test_declined_request_keeps_the_document_approved(app, office):
    doc = _approved(office)
    request = reopen.request_reopen(doc, get_user("pelayanan"), reason="Perlu revisi")
    ops.return_for_revision(request.entry, get_user("sekcam"), note="Tidak perlu: revisi tahun depan")
    db.session.commit()
    assert doc.entry.state is S.APPROVED and request.entry.state is S.RETURNED


def test_refusals(app, office):
    doc = required(office, "sop")
    operator = get_user("pelayanan")
    with pytest.raises(reopen.ReopenRequestError, match="sudah disetujui"):
        reopen.request_reopen(doc, operator, reason="x")  # a draft is changed directly
    db.session.rollback()
    bring_to(doc.entry, S.APPROVED)
    with pytest.raises(reopen.ReopenRequestError, match="Alasan wajib"):
        reopen.request_reopen(doc, operator, reason="  ")
    for username in ("pmks", "sekcam", "camat", "admin"):
        with pytest.raises(ops.ForbiddenTransition):
            reopen.request_reopen(doc, get_user(username), reason="x")
    with pytest.raises(ops.ConflictError):
        reopen.request_reopen(doc, operator, reason="x", expected_version=doc.entry.version - 1)
    db.session.rollback()
    first = reopen.request_reopen(doc, operator, reason="x")
    db.session.commit()
    with pytest.raises(reopen.ReopenRequestError, match="sudah diajukan"):
        reopen.request_reopen(doc, operator, reason="lagi")
    db.session.rollback()
    # reopened by the sekcam directly meanwhile: the request is no longer approved
    ops.reopen(doc.entry, get_user("sekcam"), reason="langsung")
    db.session.commit()
    with pytest.raises(ops.ForbiddenTransition, match="tidak lagi berstatus disetujui"):
        ops.approve(first.entry, get_user("sekcam"))
    db.session.rollback()


def _token(html: str) -> str:
    """The page's CSRF token (empty when the test app runs without CSRF)."""
    import re

    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    return found.group(1) if found else ""
