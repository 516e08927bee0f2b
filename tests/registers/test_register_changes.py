"""Changes of approved register rows: proposed by the owning section, reviewed, applied only on approval.

The counting rule: the approved values count until the sekcam approves the change; a returned change keeps
the old values; an approved change applies the new ones, and the row's history shows old → new."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import activity, approve, complaint, program, tiny_pdf
from iku_workflow import measures, storage
from iku_workflow.extensions import db
from iku_workflow.models import (AuditEvent, ChangeRequest, Complaint, ComplaintStatus, EntryState, Notification,
                                 WorkflowAction, WorkflowEvent)
from iku_workflow.registers import changes, operations as reg_ops
from iku_workflow.workflow import operations as wf


def _received(office):
    """An approved complaint of 2025, still being handled ("Diproses")."""
    row = complaint(office, received=date(2025, 2, 10), status="diproses")
    approve(row)
    return row


def _iku4(office):
    return measures.measure("ratio:complaints", office.id, 2025)


def _selesai(row, **extra):
    return dict(status=ComplaintStatus.SELESAI, resolved_on=date(2025, 3, 1), resolution="Mediasi", **extra)


def _propose(row, user="trantib", reason="Sudah dimediasi", **values):
    return changes.propose(row, get_user(user), values=values or _selesai(row), reason=reason,
                           expected_version=row.entry.version)


def test_approved_values_count_until_the_change_is_approved(app, office):
    row = _received(office)
    assert _iku4(office).counts[1] == (0, 1)
    change = _propose(row)
    db.session.commit()
    # proposed and waiting: the row and the measure are as approved
    assert change.entry.state is EntryState.SUBMITTED and change.entry.kind == "complaint_change"
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.DIPROSES
    assert row.entry.state is EntryState.APPROVED
    assert _iku4(office).counts[1] == (0, 1)
    # the change waits in the sekcam's queue and the sekcam is told
    sekcam = get_user("sekcam")
    assert change.entry in db.session.scalars(wf.review_queue(sekcam)).all()
    assert db.session.scalar(sa.select(Notification).where(Notification.entry_id == change.entry_id,
                                                           Notification.user_id == sekcam.id)) is not None
    wf.approve(change.entry, sekcam, expected_version=change.entry.version)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Complaint, row.id)
    assert (row.status, row.resolved_on, row.resolution) == (ComplaintStatus.SELESAI, date(2025, 3, 1), "Mediasi")
    assert row.entry.state is EntryState.APPROVED
    assert _iku4(office).counts[1] == (1, 1) and _iku4(office).year == Decimal(100)
    change = db.session.get(ChangeRequest, change.id)
    assert change.old_values == {"status": "diproses", "resolved_on": None, "resolution": ""}
    assert change.applied_at is not None
    # the row's history shows old -> new for each changed field, and the audit log the applied values
    note = db.session.scalars(sa.select(WorkflowEvent.note).where(
        WorkflowEvent.entry_id == row.entry_id, WorkflowEvent.action == WorkflowAction.EDIT)).all()[-1]
    assert "Status: Diproses → Selesai" in note and "Tanggal selesai: — → 01-03-2025" in note
    assert "Alasan: Sudah dimediasi" in note
    applied = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registers.change_applied",
                                                            AuditEvent.object_id == row.id))
    assert applied.details["old"]["status"] == "diproses" and applied.details["new"]["status"] == "selesai"


def test_a_returned_change_keeps_the_old_values_and_can_be_revised_or_cancelled(app, office):
    row = _received(office)
    change = _propose(row)
    sekcam = get_user("sekcam")
    wf.return_for_revision(change.entry, sekcam, note="Tanggal selesai salah")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.DIPROSES
    assert _iku4(office).counts[1] == (0, 1)
    # revised and submitted again, then approved with the revised date
    changes.revise(change, get_user("trantib"), values=_selesai(row) | {"resolved_on": date(2025, 3, 5)},
                   reason="Tanggal dibetulkan", expected_version=change.entry.version)
    db.session.commit()
    assert change.entry.state is EntryState.SUBMITTED and change.proposed["resolved_on"] == "2025-03-05"
    wf.approve(change.entry, sekcam)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).resolved_on == date(2025, 3, 5)
    # a second change, returned then cancelled: nothing changes, the audit keeps it
    row = db.session.get(Complaint, row.id)
    second = _propose(row, resolution="Mediasi dan surat pernyataan", reason="Lengkapi")
    wf.return_for_revision(second.entry, sekcam, note="Tidak perlu")
    db.session.commit()
    second_id = second.id
    changes.cancel(second, get_user("trantib"))
    db.session.commit()
    assert db.session.get(ChangeRequest, second_id) is None
    assert db.session.get(Complaint, row.id).resolution == "Mediasi"
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "registers.change_cancelled")) is not None


def test_refusals(app, office):
    row = _received(office)
    # no reason
    with pytest.raises(reg_ops.RegisterError, match="Alasan perubahan wajib"):
        _propose(row, reason="  ")
    # not the owning section (another section's operator, the sekcam, the viewer roles)
    for username in ("pmks", "sekcam", "camat", "admin"):
        with pytest.raises(wf.ForbiddenTransition):
            _propose(row, user=username)
    # stale version: the form was opened before the row changed
    with pytest.raises(wf.ConflictError):
        changes.propose(row, get_user("trantib"), values=_selesai(row), reason="x", expected_version=row.entry.version - 1)
    # nothing changed
    with pytest.raises(reg_ops.RegisterError, match="Tidak ada yang berubah"):
        changes.propose(row, get_user("trantib"), values={"status": ComplaintStatus.DIPROSES}, reason="x")
    # the year of a row does not move (a complaint's year is its date received)
    with pytest.raises(reg_ops.RegisterError, match="Tahun data"):
        changes.propose(row, get_user("trantib"), values={"received_on": date(2024, 12, 30)}, reason="x")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 0
    # a row not approved is edited directly, not through a change
    draft = complaint(office, status="diproses")
    db.session.commit()
    with pytest.raises(reg_ops.RegisterError, match="sudah disetujui"):
        _propose(draft)
    db.session.rollback()
    # one change at a time
    change = _propose(row)
    db.session.commit()
    with pytest.raises(reg_ops.RegisterError, match="Sudah ada usulan"):
        _propose(row, resolution="lain")
    db.session.rollback()
    # nobody approves their own proposal (the same person, made sekcam while it waits)
    proposer = get_user("trantib")
    with pytest.raises(wf.ForbiddenTransition):
        wf.approve(change.entry, proposer)
    db.session.rollback()
    # a stale review is refused
    with pytest.raises(wf.ConflictError):
        wf.approve(change.entry, get_user("sekcam"), expected_version=change.entry.version - 1)
    db.session.rollback()
    # a submitted change is not cancelled (withdrawn first)
    with pytest.raises(wf.ForbiddenTransition, match="tarik kembali"):
        changes.cancel(change, proposer)
    db.session.rollback()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.DIPROSES


def test_a_change_of_a_row_reopened_meanwhile_is_not_applied(app, office):
    row = _received(office)
    change = _propose(row)
    sekcam = get_user("sekcam")
    wf.reopen(row.entry, sekcam, reason="Tanggal diterima salah")
    db.session.commit()
    with pytest.raises(wf.ForbiddenTransition, match="tidak lagi berstatus disetujui"):
        wf.approve(change.entry, sekcam)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.DIPROSES
    # the row, back in the operator's hands, is deleted together with its change
    wf.submit(row.entry, get_user("trantib"))
    wf.return_for_revision(row.entry, sekcam, note="hapus saja")
    db.session.commit()
    change_entry_id = change.entry_id
    reg_ops.delete_row(row, get_user("trantib"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(WorkflowEvent.id)).where(
        WorkflowEvent.entry_id == change_entry_id)) == 0


def test_activity_and_program_changes_count_on_approval(app, office):
    planned = activity(office, tw=2, facilitated=False)
    indicator = program(office, target="100", realisation="50")
    approve(planned, indicator)
    assert measures.measure("ratio:activities", office.id, 2025).counts[2] == (0, 1)
    programs_before = measures.measure("ratio:programs", office.id, 2025).counts[4]
    a = changes.propose(planned, get_user("pmks"), values={"facilitated": True, "facilitated_on": date(2025, 5, 2)},
                        reason="Sudah dilaksanakan")
    p = changes.propose(indicator, get_user("sekretariat"), values={"realisation": Decimal("100")},
                        reason="Realisasi TW IV")
    db.session.commit()
    assert measures.measure("ratio:activities", office.id, 2025).counts[2] == (0, 1)
    assert measures.measure("ratio:programs", office.id, 2025).counts[4] == programs_before
    sekcam = get_user("sekcam")
    wf.approve(a.entry, sekcam)
    wf.approve(p.entry, sekcam)
    db.session.commit()
    assert measures.measure("ratio:activities", office.id, 2025).counts[2] == (1, 1)
    achieved, total = programs_before
    assert measures.measure("ratio:programs", office.id, 2025).counts[4] == (achieved + 1, total)
    assert p.old_values == {"realisation": "50.0000"}


# ------------------------------------------------------------------------------- through the pages

def _form_data(html: str) -> dict:
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = body.strip()
    for name, block in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', block)
        if chosen:
            data[name] = chosen.group(1) or chosen.group(2)
    return data


def test_propose_and_approve_through_the_pages_with_evidence(app, office, other_office, client_as):
    row = _received(office)
    trantib = client_as("trantib")
    page = trantib.get(f"/register/pengaduan/data/{row.id}").get_data(as_text=True)
    assert 'data-testid="propose-quick"' in page and 'data-testid="propose-change"' in page
    form = trantib.get(f"/register/pengaduan/data/{row.id}/usulkan?cepat=1").get_data(as_text=True)
    data = _form_data(form)
    assert data["status"] == "selesai" and data["summary"] == "Keributan di pasar"
    # no reason: refused next to the field, what was typed kept
    data.update(resolved_on="2025-03-01", resolution="Mediasi di balai desa", change_reason="")
    refused = trantib.post(f"/register/pengaduan/data/{row.id}/usulkan", data=data)
    assert refused.status_code == 422 and "Alasan perubahan wajib diisi." in refused.get_data(as_text=True)
    assert "Mediasi di balai desa" in refused.get_data(as_text=True)
    data.update(change_reason="Sudah dimediasi", evidence_upload=(io.BytesIO(tiny_pdf()), "berita-acara.pdf"))
    done = trantib.post(f"/register/pengaduan/data/{row.id}/usulkan", data=data, content_type="multipart/form-data")
    assert done.status_code == 302
    change = db.session.scalar(sa.select(ChangeRequest))
    assert change.evidence_filename == "berita-acara.pdf" and change.evidence_sha256
    assert storage.read(reg_ops.evidence_key(change.evidence_file)) == tiny_pdf()
    # the operator may not approve; the sekcam sees old -> new and approves from the change's page
    sekcam = client_as("sekcam")
    shown = sekcam.get(f"/register/pengaduan/perubahan/{change.id}").get_data(as_text=True)
    assert "Diproses" in shown and "Selesai" in shown and 'data-testid="do-approve"' in shown
    assert 'data-testid="do-approve"' not in trantib.get(f"/register/pengaduan/perubahan/{change.id}").get_data(as_text=True)
    token = _form_data(shown)
    response = sekcam.post(f"/entri/{change.entry_id}/setujui", data={
        "csrf_token": token.get("csrf_token", ""), "version": str(change.entry.version), "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Complaint, row.id)
    assert row.status is ComplaintStatus.SELESAI and row.evidence_filename == "berita-acara.pdf"
    detail = trantib.get(f"/register/pengaduan/data/{row.id}").get_data(as_text=True)
    assert 'data-testid="row-change"' in detail and "Diproses" in detail and 'data-state="approved"' in detail
    assert trantib.get(f"/register/pengaduan/perubahan/{change.id}/bukti").data == tiny_pdf()
    # another office sees nothing of it
    assert client_as("trantib-puger").get(f"/register/pengaduan/perubahan/{change.id}").status_code == 404


def test_withdrawn_change_is_revised_or_cancelled_by_its_section_only(app, office):
    row = _received(office)
    change = _propose(row)
    db.session.commit()
    # only the submitting section withdraws; after that the proposal is a draft nobody reviews
    with pytest.raises(wf.ForbiddenTransition):
        wf.withdraw(change.entry, get_user("pmks"))
    db.session.rollback()
    wf.withdraw(change.entry, get_user("trantib"), expected_version=change.entry.version)
    db.session.commit()
    assert change.entry.state is EntryState.DRAFT
    assert change.entry not in db.session.scalars(wf.review_queue(get_user("sekcam"))).all()
    # another section neither revises nor cancels it
    with pytest.raises(wf.ForbiddenTransition):
        changes.revise(change, get_user("pmks"), values=_selesai(row), reason="x")
    db.session.rollback()
    with pytest.raises(wf.ForbiddenTransition):
        changes.cancel(change, get_user("pmks"))
    db.session.rollback()
    # a stale cancel is refused, the proper one removes it; the row is untouched throughout
    with pytest.raises(wf.ConflictError):
        changes.cancel(change, get_user("trantib"), expected_version=change.entry.version - 1)
    db.session.rollback()
    changes.cancel(change, get_user("trantib"), expected_version=change.entry.version)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ChangeRequest.id))) == 0
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.DIPROSES
    # the row may be proposed again now
    _propose(row)
    db.session.commit()


def test_the_queue_shows_old_and_new_and_approves_in_place(app, office, client_as):
    row = _received(office)
    change = _propose(row)
    db.session.commit()
    sekcam = client_as("sekcam")
    html = sekcam.get("/tinjauan").get_data(as_text=True)
    block = html[html.index(f'data-entry="{change.entry_id}"'):]
    block = block[:block.index("</tr>")]
    assert 'data-testid="queue-change-diff"' in block
    assert "Status: <span class=\"text-muted\">Diproses</span> → <strong>Selesai</strong>" in block
    assert 'data-testid="queue-approve-change"' in block and f'form="queue-approve-{change.entry_id}"' in block
    # the form it submits sits after the batch form (forms do not nest) and approves this entry
    assert re.search(rf'action="/entri/{change.entry_id}/setujui" id="queue-approve-{change.entry_id}"', html)
    response = sekcam.post(f"/entri/{change.entry_id}/setujui",
                           data={"version": str(change.entry.version), "note": "", "next": "/tinjauan"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/tinjauan")
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).status is ComplaintStatus.SELESAI


def test_sakip_score_change(app, office):
    from factories import sakip

    row = sakip(office, score="70.5")
    approve(row)
    assert measures.measure("score:sakip", office.id, 2025).year == Decimal("70.5")
    change = changes.propose(row, get_user("sekretariat"), values={"score": Decimal("75.25")},
                             reason="LHE revisi")
    db.session.commit()
    assert measures.measure("score:sakip", office.id, 2025).year == Decimal("70.5")
    wf.approve(change.entry, get_user("sekcam"))
    db.session.commit()
    assert measures.measure("score:sakip", office.id, 2025).year == Decimal("75.25")
    assert change.old_values == {"score": "70.50"} and change.proposed == {"score": "75.25"}

