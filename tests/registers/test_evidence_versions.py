"""Issue 13, evidence a reviewer can read: register evidence as versions (add, list, delete a wrong one
while the row is a draft or returned), the evidence a row that claims the work done needs before it is
submitted (one row, and "Ajukan semua"), and the "Bukti" mark in the register list and the review queue."""
from __future__ import annotations

import hashlib
import io

import sqlalchemy as sa
from flask import g

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import Activity, AuditEvent, Complaint, EntryState, RegisterEvidenceFile, WorkflowEvent
from iku_workflow.registers import operations as reg_ops
from iku_workflow.registers import spec
from iku_workflow.storage import uploads
from iku_workflow.workflow import operations as wf

A = mk.PDF + b"% versi A"
B = mk.PDF + b"% versi B"
ACTIVITY = {"name": "Sosialisasi PHBS", "kind": "sosialisasi", "planned_triwulan": "2", "desa": "Gumukmas",
            "facilitated_on": "", "evidence_note": "Daftar hadir"}
COMPLAINT = {"received_on": "2025-04-02", "channel": "sp4n", "desa": "Menampu", "summary": "Balap liar",
             "resolution": "", "resolved_on": "", "evidence_note": ""}


def _as(client_as, username):
    g.pop("_login_user", None)
    return client_as(username)


def _keys(app):
    return set(app.extensions["iku_storage"].iter_keys())


def _activity(client_as, *files, facilitated=False):
    data = {**ACTIVITY, **({"facilitated": "y", "facilitated_on": "2025-05-20"} if facilitated else {})}
    if files:
        data["evidence_upload"] = (io.BytesIO(files[0]), "A.pdf")
    assert _as(client_as, "pmks").post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                                       data=data).status_code == 302
    row = db.session.scalar(sa.select(Activity).order_by(Activity.id.desc()))
    for content in files[1:]:
        assert _as(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/ubah", content_type="multipart/form-data",
                                           data={**data, "evidence_upload": (io.BytesIO(content), "B.pdf")}
                                           ).status_code == 302
    db.session.expire_all()
    return row


def _delete(client_as, row, item, username="pmks", register="kegiatan"):
    db.session.expire_all()
    return _as(client_as, username).post(f"/register/{register}/data/{row.id}/bukti/{item.id}/hapus",
                                         data={"version": row.entry.version}, follow_redirects=True)


# ------------------------------------------------------------------------------- versions

def test_add_evidence_is_the_next_version_and_the_current_one(app, office, client_as):
    """The public operation another part (a change proposal's approval) calls."""
    row = _activity(client_as, A)
    with uploads.check(B, "BA ttd.pdf") as checked:
        item = reg_ops.add_evidence(row, get_user("pmks"), checked)
    db.session.commit()
    assert (item.version, item.filename, item.sha256, item.size) == (2, "BA ttd.pdf", hashlib.sha256(B).hexdigest(), len(B))
    assert app.extensions["iku_storage"].read(item.key) == B
    assert row.evidence_file == item.stored_name and row.evidence_filename == "BA ttd.pdf"
    assert [v.version for v in reg_ops.evidence_versions(row)] == [2, 1]
    # a request file (stream + name) is checked by the upload policy first
    refused = type("Upload", (), {"stream": io.BytesIO(b"<html><script>1</script></html>"), "filename": "x.pdf"})()
    try:
        reg_ops.add_evidence(row, get_user("pmks"), refused)
    except uploads.UploadError as exc:
        assert exc.code == "kind"
    else:
        raise AssertionError("an HTML file was accepted as evidence")


def test_operator_deletes_a_wrong_version_of_a_draft(app, office, client_as):
    row = _activity(client_as, A, B)
    newest, first = reg_ops.evidence_versions(row)
    page = _as(client_as, "pmks").get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
    assert page.count('data-testid="evidence-delete"') == 2 and "data-confirm=" in page
    response = _delete(client_as, row, newest)
    assert "Bukti versi 2 «B.pdf» dihapus." in response.get_data(as_text=True)
    db.session.expire_all()
    # the file left the store, the row's current evidence is version 1 again
    assert newest.key not in _keys(app) and first.key in _keys(app)
    assert db.session.get(RegisterEvidenceFile, newest.id) is None
    assert (row.evidence_file, row.evidence_filename) == (first.stored_name, "A.pdf")
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "registers.evidence.delete")).all()
    assert event.details["sha256"] == hashlib.sha256(B).hexdigest() and event.details["key"] == newest.key
    assert event.user_id == get_user("pmks").id and event.object_id == row.id
    notes = [e.note or "" for e in db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id == row.entry_id))]
    assert any("versi 2" in n and hashlib.sha256(B).hexdigest() in n for n in notes)
    # the last one too: the row then has no evidence
    _delete(client_as, row, first)
    db.session.expire_all()
    assert row.evidence_file is None and _keys(app) == set()


def test_a_submitted_entry_keeps_its_versions(app, office, client_as):
    row = _activity(client_as, A, B)
    newest = reg_ops.evidence_versions(row)[0]
    wf.submit(row.entry, get_user("pmks"))
    db.session.commit()
    page = _as(client_as, "pmks").get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
    assert 'data-testid="evidence-delete"' not in page
    response = _delete(client_as, row, newest)
    assert "sedang ditinjau" in response.get_data(as_text=True)
    assert db.session.get(RegisterEvidenceFile, newest.id) is not None and newest.key in _keys(app)
    assert all(v.submitted for v in reg_ops.evidence_versions(row))


def test_a_version_once_submitted_stays_after_the_return(app, office, client_as):
    row = _activity(client_as, A)
    first = reg_ops.evidence_versions(row)[0]
    wf.submit(row.entry, get_user("pmks"))
    wf.return_for_revision(row.entry, get_user("sekcam"), note="Daftar hadir tanpa tanda tangan.")
    db.session.commit()
    row = db.session.get(Activity, first.row_id)
    # a new version may be added and deleted again; the one the sekcam saw may not
    assert _as(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/ubah", content_type="multipart/form-data",
                                       data={**ACTIVITY, "evidence_upload": (io.BytesIO(B), "B.pdf")}).status_code == 302
    db.session.expire_all()
    newest = reg_ops.evidence_versions(row)[0]
    page = _as(client_as, "pmks").get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
    assert page.count('data-testid="evidence-delete"') == 1
    refused = _delete(client_as, row, first).get_data(as_text=True)
    assert "Versi 1 sudah pernah diajukan" in refused
    assert db.session.get(RegisterEvidenceFile, first.id) is not None and first.key in _keys(app)
    assert "dihapus" in _delete(client_as, row, newest).get_data(as_text=True)
    db.session.expire_all()
    assert row.evidence_filename == "A.pdf" and newest.key not in _keys(app)


def test_another_section_cannot_delete_a_version(app, office, client_as):
    row = _activity(client_as, A)
    item = reg_ops.evidence_versions(row)[0]
    for username in ("trantib", "sekcam", "camat"):
        response = _as(client_as, username).post(f"/register/kegiatan/data/{row.id}/bukti/{item.id}/hapus",
                                                 data={"version": row.entry.version})
        assert response.status_code == 403, username
    assert db.session.get(RegisterEvidenceFile, item.id) is not None and item.key in _keys(app)


def test_a_version_id_of_another_row_or_office_is_refused(app, office, other_office, client_as):
    mine = _activity(client_as, A)
    other_row = _activity(client_as, B)
    theirs = reg_ops.evidence_versions(other_row)[0]
    # another row's version through this row's address
    response = _delete(client_as, mine, theirs)
    assert "Versi bukti tidak ditemukan" in response.get_data(as_text=True)
    assert db.session.get(RegisterEvidenceFile, theirs.id) is not None
    # a version of another office: a row of Puger with evidence, addressed through our row and through theirs
    puger = reg_ops.create_row(other_office, get_user("trantib-puger"), "pengaduan", 2025, **mk_complaint_fields())
    with uploads.check(A, "puger.pdf") as checked:
        foreign = reg_ops.add_evidence(puger, get_user("trantib-puger"), checked)
    db.session.commit()
    assert "Versi bukti tidak ditemukan" in _delete(client_as, mine, foreign).get_data(as_text=True)
    assert _as(client_as, "trantib").post(f"/register/pengaduan/data/{puger.id}/bukti/{foreign.id}/hapus",
                                          data={"version": puger.entry.version}).status_code == 404
    assert _as(client_as, "trantib").get(f"/register/pengaduan/data/{puger.id}/bukti/{foreign.id}").status_code == 404
    assert db.session.get(RegisterEvidenceFile, foreign.id) is not None


def mk_complaint_fields(status="masuk"):
    from datetime import date

    from iku_workflow.models import ComplaintChannel, ComplaintStatus

    done = status == "selesai"
    return dict(received_on=date(2025, 4, 2), channel=ComplaintChannel.SURAT, desa="Puger", summary="Aduan",
                status=ComplaintStatus(status), resolved_on=date(2025, 4, 5) if done else None,
                resolution="Mediasi" if done else "")


def test_deleting_a_row_removes_only_its_never_submitted_versions(app, office, client_as):
    row = _activity(client_as, A)
    wf.submit(row.entry, get_user("pmks"))
    wf.return_for_revision(row.entry, get_user("sekcam"), note="Kurang tanda tangan.")
    db.session.commit()
    with uploads.check(B, "B.pdf") as checked:
        reg_ops.add_evidence(row, get_user("pmks"), checked)
    db.session.commit()
    seen, unseen = reversed(reg_ops.evidence_versions(row))
    assert _as(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/hapus",
                                       data={"version": row.entry.version}).status_code == 302
    assert _keys(app) == {seen.key}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEvidenceFile)) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registers.delete"))
    assert [(v["version"], v["submitted"], v["sha256"]) for v in event.details["evidence_versions"]] == [
        (2, False, hashlib.sha256(B).hexdigest()), (1, True, hashlib.sha256(A).hexdigest())]


# ------------------------------------------------------------------ evidence before submitting

def test_the_setting_is_on_for_complaints_and_activities_only():
    assert spec.PENGADUAN.evidence_required_when is not None and spec.KEGIATAN.evidence_required_when is not None
    assert spec.SAKIP.evidence_required_when is None and spec.PROGRAM.evidence_required_when is None


def test_a_resolved_complaint_is_not_submitted_without_evidence(app, office, client_as):
    trantib = _as(client_as, "trantib")
    assert trantib.post("/register/pengaduan/2025/baru", data={
        **COMPLAINT, "status": "selesai", "resolved_on": "2025-04-05", "resolution": "Patroli"}).status_code == 302
    row = db.session.scalar(sa.select(Complaint).order_by(Complaint.id.desc()))
    # the row page says so before the operator tries
    page = trantib.get(f"/register/pengaduan/data/{row.id}").get_data(as_text=True)
    assert 'data-testid="evidence-required"' in page
    response = trantib.post(f"/entri/{row.entry_id}/ajukan", data={"note": "", "version": row.entry.version},
                            follow_redirects=True)
    assert "menyatakan pekerjaan sudah selesai: unggah berkas buktinya" in response.get_data(as_text=True)
    db.session.expire_all()
    assert row.entry.state is EntryState.DRAFT
    # with its evidence it goes
    assert _as(client_as, "trantib").post(f"/register/pengaduan/data/{row.id}/ubah", content_type="multipart/form-data",
                                          data={**COMPLAINT, "status": "selesai", "resolved_on": "2025-04-05",
                                                "resolution": "Patroli",
                                                "evidence_upload": (io.BytesIO(A), "BA.pdf")}).status_code == 302
    db.session.expire_all()
    page = _as(client_as, "trantib").get(f"/register/pengaduan/data/{row.id}").get_data(as_text=True)
    assert 'data-testid="evidence-required"' not in page
    _as(client_as, "trantib").post(f"/entri/{row.entry_id}/ajukan", data={"note": "", "version": row.entry.version})
    db.session.expire_all()
    assert row.entry.state is EntryState.SUBMITTED


def test_a_complaint_in_progress_and_an_unfacilitated_activity_need_no_evidence(app, office, client_as):
    for row in (mk.complaint(office, status="diproses"), mk.activity(office, facilitated=False)):
        wf.submit(row.entry, row.entry.created_by)
        assert row.entry.state is EntryState.SUBMITTED
    db.session.commit()


def test_a_facilitated_activity_without_evidence_is_refused_by_the_operation(app, office):
    row = mk.activity(office, evidence=False)
    try:
        wf.submit(row.entry, get_user("pmks"))
    except wf.ForbiddenTransition as exc:
        assert "Pelatihan TW1" in str(exc)
    else:
        raise AssertionError("a facilitated activity without evidence was submitted")


def test_submit_all_names_the_rows_without_evidence_and_submits_the_others(app, office, client_as):
    done_bare = mk.activity(office, 1, evidence=False)
    done_proved = mk.activity(office, 2)
    planned = mk.activity(office, 3, facilitated=False)
    db.session.commit()
    page = _as(client_as, "pmks").post("/register/kegiatan/2025/ajukan-semua", data={},
                                       follow_redirects=True).get_data(as_text=True)
    assert "2 data diajukan untuk ditinjau." in page
    assert "1 data belum diajukan karena menyatakan selesai tanpa berkas bukti: «Pelatihan TW1»" in page
    db.session.expire_all()
    assert [r.entry.state for r in (done_bare, done_proved, planned)] == [
        EntryState.DRAFT, EntryState.SUBMITTED, EntryState.SUBMITTED]


# -------------------------------------------------------------------------- "Bukti" at a glance

def _cell(html: str, marker: str) -> str:
    start = html.index(marker)
    cell = html.index('data-testid="evidence-cell"', start)
    return html[cell:html.index("</td>", cell)]


def test_the_register_list_and_the_queue_show_which_rows_carry_evidence(app, office, client_as):
    proved = mk.complaint(office)
    bare = mk.complaint(office, status="diproses")
    claimed = mk.complaint(office, evidence=False)
    db.session.commit()
    page = _as(client_as, "sekcam").get("/register/pengaduan/2025").get_data(as_text=True)
    assert "<th>Bukti</th>" in page
    assert 'evidence-yes' in _cell(page, f'data-row="{proved.id}"')
    assert 'evidence-no' in _cell(page, f'data-row="{bare.id}"')
    assert 'evidence-missing' in _cell(page, f'data-row="{claimed.id}"')
    for row in (proved, bare):
        wf.submit(row.entry, get_user("trantib"))
    db.session.commit()
    queue = _as(client_as, "sekcam").get("/tinjauan").get_data(as_text=True)
    assert 'evidence-yes' in _cell(queue, f'data-entry="{proved.entry_id}"')
    assert 'evidence-no' in _cell(queue, f'data-entry="{bare.entry_id}"')
