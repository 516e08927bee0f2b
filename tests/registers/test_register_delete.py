"""Deleting a mistaken register row (IKU 3-6): who may, in which state, and that nothing is left behind."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import PASSWORD, browser_login, get_user, submit
from iku_workflow import measures, storage
from iku_workflow.registers.operations import evidence_key
from iku_workflow.extensions import db
from iku_workflow.models import (Activity, AuditEvent, Complaint, EntryState, Notification, ProgramIndicator,
                                 SakipEvaluation, WorkflowEntry, WorkflowEvent)
from iku_workflow.workflow import operations as wf
from iku_workflow.workflow.views import task_count

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

# register slug -> (model, maker, operator of the owning section, the flashed title of the maker's row)
KINDS = {
    "kegiatan": (Activity, lambda office: mk.activity(office), "pmks", "Pelatihan TW1"),
    "pengaduan": (Complaint, lambda office: mk.complaint(office), "trantib", "10-02-2025 Keributan di pasar"),
    "sakip": (SakipEvaluation, lambda office: mk.sakip(office), "sekretariat", "Nilai SAKIP 2025"),
    "program": (ProgramIndicator, lambda office: mk.program(office), "sekretariat",
                "Program Penunjang: Dokumen tepat waktu"),
}


def make_row(office, slug: str, state: EntryState = EntryState.DRAFT):
    """A row of ``slug`` with a stored evidence file, brought to ``state`` through the workflow."""
    _model, maker, owner, _title = KINDS[slug]
    row = maker(office)
    stored = storage.save(PDF, storage.new_key("evidence", suffix=".pdf"))
    row.evidence_file = stored.key.split("/", 1)[1]
    row.evidence_filename, row.evidence_mime = "berita acara.pdf", "application/pdf"
    db.session.commit()
    if state is not EntryState.DRAFT:
        wf.submit(row.entry, get_user(owner))
    if state is EntryState.RETURNED:
        wf.return_for_revision(row.entry, get_user("sekcam"), note="Salah ketik, periksa lagi")
    if state is EntryState.APPROVED:
        wf.approve(row.entry, get_user("sekcam"))
    db.session.commit()
    assert row.entry.state is state
    return row


def snapshot(row) -> dict:
    """What the database and the disk hold for ``row`` (to show a refused delete changed nothing)."""
    db.session.expire_all()
    model = type(row)
    entry_id = row.entry_id
    entry = db.session.get(WorkflowEntry, entry_id)
    return {
        "row": db.session.get(model, row.id) is not None,
        "entry": (entry.state, entry.version) if entry else None,
        "events": db.session.scalar(sa.select(sa.func.count()).where(WorkflowEvent.entry_id == entry_id)),
        "notifications": db.session.scalar(sa.select(sa.func.count()).where(Notification.entry_id == entry_id)),
        "file": storage.current_store().exists(evidence_key(row.evidence_file)),
        "deleted": db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "registers.delete")),
    }


def url(slug: str, row) -> str:
    return f"/register/{slug}/data/{row.id}/hapus"


def assert_gone(slug: str, row_id: int, entry_id: int, evidence_file: str, file_kept: bool = False) -> None:
    """``file_kept``: the row had been submitted for review, so its evidence file stays (issue 11)."""
    model = KINDS[slug][0]
    db.session.expire_all()
    assert db.session.get(model, row_id) is None
    assert db.session.get(WorkflowEntry, entry_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).where(WorkflowEvent.entry_id == entry_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Notification.entry_id == entry_id)) == 0
    assert storage.current_store().exists(evidence_key(evidence_file)) is file_kept


# ------------------------------------------------------------------------------------ deleted

@pytest.mark.parametrize("deleter", ["owner", "sekcam"])
@pytest.mark.parametrize("state", [EntryState.DRAFT, EntryState.RETURNED])
@pytest.mark.parametrize("slug", sorted(KINDS))
def test_row_in_draft_or_returned_is_deleted_with_everything_it_owns(client_as, office, slug, state, deleter):
    model, _maker, owner, title = KINDS[slug]
    username = owner if deleter == "owner" else "sekcam"
    row = make_row(office, slug, state)
    row_id, entry_id, evidence_file = row.id, row.entry_id, row.evidence_file
    before = snapshot(row)
    assert before["row"] and before["file"] and before["events"] >= 1
    if state is EntryState.RETURNED:  # submit told the sekcam, return told the operator
        assert before["notifications"] >= 2
    client = client_as(username)
    assert f'data-row="{row_id}"' in client.get(f"/register/{slug}/2025").get_data(as_text=True)

    response = client.post(url(slug, row), data={"version": str(before["entry"][1])})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/register/{slug}/2025"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Data «{title}» dihapus." in page
    assert f'data-row="{row_id}"' not in page

    assert_gone(slug, row_id, entry_id, evidence_file, file_kept=state is EntryState.RETURNED)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registers.delete"))
    assert event.username == username and event.office_id == office.id
    assert event.object_type == model.__tablename__ and event.object_id == row_id
    assert event.details["state"] == state.value and event.details["title"] == title
    assert event.details["register"] == slug and event.details["entry_id"] == entry_id
    assert event.details["evidence_filename"] == "berita acara.pdf"
    assert client.get(f"/register/{slug}/data/{row_id}").status_code == 404


def test_delete_button_with_confirmation_is_shown_only_to_who_may_delete(client_as, office, viewer):
    row = make_row(office, "pengaduan")
    detail, edit = f"/register/pengaduan/data/{row.id}", f"/register/pengaduan/data/{row.id}/ubah"
    for username in ("trantib", "sekcam"):
        html = client_as(username).get(detail).get_data(as_text=True)
        assert 'data-testid="delete-row"' in html and f'action="{url("pengaduan", row)}"' in html
        assert 'data-confirm="Hapus data ini?' in html
    assert 'data-testid="delete-row"' in client_as("trantib").get(edit).get_data(as_text=True)
    for username in ("pmks", "camat", "viewer", "admin"):
        assert 'data-testid="delete-row"' not in client_as(username).get(detail).get_data(as_text=True)
    wf.submit(row.entry, get_user("trantib"))
    db.session.commit()
    for username in ("trantib", "sekcam"):
        assert 'data-testid="delete-row"' not in client_as(username).get(detail).get_data(as_text=True)


# ------------------------------------------------------------------------------------ refused

@pytest.mark.parametrize("state, message", [
    (EntryState.SUBMITTED, "Data sedang ditinjau dan tidak dapat dihapus. Minta Sekretaris Camat mengembalikannya"),
    (EntryState.APPROVED, "Data yang sudah disetujui tidak dapat dihapus. Sekretaris Camat harus membukanya kembali"),
])
@pytest.mark.parametrize("slug", sorted(KINDS))
def test_submitted_or_approved_row_is_not_deleted(client_as, office, slug, state, message):
    row = make_row(office, slug, state)
    before = snapshot(row)
    for username in (KINDS[slug][2], "sekcam"):
        client = client_as(username)
        response = client.post(url(slug, row), data={"version": str(before["entry"][1])})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/register/{slug}/data/{row.id}"
        assert message in client.get(response.headers["Location"]).get_data(as_text=True)
        assert snapshot(row) == before


def test_approved_row_can_be_deleted_after_the_sekcam_reopens_it(client_as, office):
    row = make_row(office, "kegiatan", EntryState.APPROVED)
    row_id, entry_id, evidence_file = row.id, row.entry_id, row.evidence_file
    wf.reopen(row.entry, get_user("sekcam"), reason="Kegiatan ganda")
    db.session.commit()
    assert client_as("pmks").post(url("kegiatan", row)).status_code == 302
    assert_gone("kegiatan", row_id, entry_id, evidence_file, file_kept=True)  # it was reviewed


@pytest.mark.parametrize("username", ["pemerintahan", "trantib", "camat", "viewer", "admin"])
def test_other_section_camat_and_viewer_are_refused(client_as, office, viewer, username):
    row = make_row(office, "kegiatan")  # owned by Seksi PMKS
    before = snapshot(row)
    assert client_as(username).post(url("kegiatan", row), data={}).status_code == 403
    assert snapshot(row) == before


@pytest.mark.parametrize("username", ["trantib-puger", "sekcam-puger"])
def test_another_office_gets_404(client_as, office, other_office, username):
    row = make_row(office, "pengaduan")
    before = snapshot(row)
    assert client_as(username).post(url("pengaduan", row), data={}).status_code == 404
    assert snapshot(row) == before


def test_register_of_the_wrong_kind_gets_404(client_as, office):
    row = make_row(office, "pengaduan")
    before = snapshot(row)
    assert client_as("trantib").post(f"/register/nope/data/{row.id}/hapus").status_code == 404
    assert snapshot(row) == before


def test_get_is_not_allowed(client_as, office):
    row = make_row(office, "pengaduan")
    before = snapshot(row)
    assert client_as("trantib").get(url("pengaduan", row)).status_code == 405
    assert snapshot(row) == before


def test_stale_page_does_not_delete(client_as, office):
    """The page was opened before a colleague's edit (older version): nothing is deleted."""
    row = make_row(office, "pengaduan")
    seen = row.entry.version
    wf.record_edit(row.entry, get_user("trantib"), "Data diubah.")
    db.session.commit()
    before = snapshot(row)
    client = client_as("trantib")
    response = client.post(url("pengaduan", row), data={"version": str(seen)}, follow_redirects=True)
    assert "sudah diubah oleh pengguna lain" in response.get_data(as_text=True)
    assert snapshot(row) == before


def test_failed_commit_keeps_the_row_and_its_file(client_as, office, monkeypatch):
    """The evidence file leaves the disk only after the commit: a failing commit leaves both in place."""
    row = make_row(office, "kegiatan")
    before = snapshot(row)
    client = client_as("pmks")

    def broken_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit, raising=False)
    with pytest.raises(RuntimeError, match="database went away"):
        client.post(url("kegiatan", row))
    monkeypatch.undo()
    db.session.rollback()
    assert snapshot(row) == before


# ------------------------------------------------------------------------------------ CSRF



def signed_in(app, username: str):
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    return client


def test_without_csrf_token_nothing_is_deleted_and_with_the_page_token_it_is(csrf_app, office):
    row = make_row(office, "pengaduan")
    row_id, entry_id, evidence_file = row.id, row.entry_id, row.evidence_file
    before = snapshot(row)
    client = signed_in(csrf_app, "trantib")
    assert client.post(url("pengaduan", row), data={}).status_code == 400
    assert client.post(url("pengaduan", row), data={"csrf_token": "palsu"}).status_code == 400
    assert snapshot(row) == before
    # The "Hapus" form of the page is a plain POST that carries its token and the version seen.
    html = client.get(f"/register/pengaduan/data/{row_id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/register/pengaduan/data/\d+/hapus".*?</form>', html, re.S).group(0)
    data = dict(re.findall(r'name="(csrf_token|version)" type="hidden" value="([^"]*)"', form))
    assert data["version"] == str(before["entry"][1])
    assert client.post(url("pengaduan", row), data=data).status_code == 302
    assert_gone("pengaduan", row_id, entry_id, evidence_file)


# ------------------------------------------------------------------------------------ counts

def test_counts_and_lists_no_longer_show_a_deleted_row(client_as, office):
    """A counted complaint reopened by the sekcam and deleted leaves the measure, the list and the tasks."""
    kept, mistaken = mk.complaint(office), mk.complaint(office, status="masuk")
    db.session.commit()
    mk.approve(kept, mistaken)
    assert measures.measure("ratio:complaints", office.id, 2025).counts[1] == (1, 2)
    wf.reopen(mistaken.entry, get_user("sekcam"), reason="Aduan tercatat dua kali")
    db.session.commit()
    trantib = client_as("trantib")
    assert task_count(get_user("trantib")) == 1
    assert f'data-row="{mistaken.id}"' in trantib.get("/register/pengaduan/2025").get_data(as_text=True)
    assert f"/register/pengaduan/data/{mistaken.id}" in trantib.get("/tugas").get_data(as_text=True)
    mistaken_id = mistaken.id

    assert trantib.post(url("pengaduan", mistaken)).status_code == 302
    listing = trantib.get("/register/pengaduan/2025").get_data(as_text=True)
    assert f'data-row="{mistaken_id}"' not in listing and f'data-row="{kept.id}"' in listing
    assert f"/register/pengaduan/data/{mistaken_id}" not in trantib.get("/tugas").get_data(as_text=True)
    assert task_count(get_user("trantib")) == 0
    measured = measures.measure("ratio:complaints", office.id, 2025)
    assert measured.counts[1] == (1, 1)
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 1
    sekcam = client_as("sekcam")
    assert sekcam.get("/dasbor/2025").status_code == 200
    audit_page = sekcam.get("/audit?action=registers.delete").get_data(as_text=True)
    assert f"complaints #{mistaken_id}" in audit_page and "10-02-2025 Keributan di pasar" in audit_page
    assert 'data-key="state"><span class="text-muted" title="state">Status:</span> Dikembalikan' in audit_page


# ------------------------------------------------------------------------------------ browser

@pytest.mark.browser
def test_delete_in_the_browser_asks_first(page, live_server):
    """The confirmation runs under the CSP: dismissing it keeps the row, accepting deletes it."""
    from playwright.sync_api import expect

    from iku_workflow.seed.demo import seed_demo

    with live_server.app.app_context():
        office = seed_demo(PASSWORD, echo=lambda _m: None)
        db.session.commit()
        row = mk.activity(office)
        db.session.commit()
        row_id = row.id
    browser_login(page, "pmks")
    page.goto(f"{page.base_url}/register/kegiatan/data/{row_id}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=delete-row]")
    expect(page.locator("[data-testid=delete-row]")).to_be_enabled()
    assert page.url.endswith(f"/register/kegiatan/data/{row_id}")
    with live_server.app.app_context():
        assert db.session.get(Activity, row_id) is not None
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "[data-testid=delete-row]")
    expect(page.locator(".alert-success")).to_contain_text("Data «Pelatihan TW1» dihapus.")
    expect(page.locator(f"tr[data-row='{row_id}']")).to_have_count(0)
    with live_server.app.app_context():
        db.session.expire_all()
        assert db.session.get(Activity, row_id) is None


# ------------------------------------------------------------------------------------ last values kept

@pytest.mark.parametrize("state", [EntryState.DRAFT, EntryState.RETURNED])
@pytest.mark.parametrize("slug", sorted(KINDS))
def test_deletion_event_keeps_the_rows_last_values(client_as, office, slug, state):
    """Issue 11: a deleted row leaves its last values (every column, JSON-safe) in the audit event."""
    from iku_workflow.audit import row_values
    from iku_workflow.registers.operations import _sha256_of

    model, _maker, owner, _title = KINDS[slug]
    row = make_row(office, slug, state)
    db.session.expire_all()
    row = db.session.get(model, row.id)
    expected = row_values(row)  # what the database gave back, in the JSON-safe form
    key, version = evidence_key(row.evidence_file), row.entry.version
    sha256 = _sha256_of(key)
    response = client_as(owner).post(url(slug, row), data={"version": str(version)})
    assert response.status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registers.delete"))
    kept = event.details["row"]
    assert kept == {**expected, "evidence_key": key, "evidence_sha256": sha256}
    assert kept["id"] == row.id and kept["entry_id"] == row.entry_id and kept["year"] == 2025
    assert kept["evidence_filename"] == "berita acara.pdf" and len(kept["evidence_sha256"]) == 64
    if slug == "pengaduan":
        assert kept["received_on"] == "2025-02-10" and kept["channel"] == "surat" and kept["status"] == "selesai"
        assert kept["summary"] == "Keributan di pasar"
    if slug == "sakip":
        from decimal import Decimal

        assert Decimal(kept["score"]) == Decimal("72.5")
    assert isinstance(kept["created_at"], str)


def test_removed_document_requirement_keeps_its_values(client_as, office):
    from iku_workflow.documents import operations as doc_ops

    doc = mk.required(office, "sop")
    doc_id, type_code, year = doc.id, doc.type.code, doc.year
    section = doc.entry.section.code
    doc_ops.remove_requirement(doc, get_user("sekcam"))
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "documents.requirement.remove"))
    assert event.details["row"]["id"] == doc_id and event.details["row"]["year"] == year
    assert event.details["type"] == type_code
    assert event.details["entry"]["section"] == section and event.details["entry"]["state"] == "draft"
