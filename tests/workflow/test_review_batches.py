"""Review at volume (issue 13): the queue's filters and pages, approving and returning many entries in one
step (each still checked), "Setujui & berikutnya", where the reviewer lands, and the batch notifications."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import complaint
from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import (
    AuditEvent, EntryState, Notification, NotificationEntry, WorkflowEntry, WorkflowEvent,
)
from iku_workflow.models._types import utcnow
from iku_workflow.workflow import operations as wf

QUEUE = "/tinjauan?kind=complaint"


def submitted_complaints(office, n: int, *, user: str = "trantib", start: int = 0) -> list[WorkflowEntry]:
    """``n`` complaints of Seksi Trantib, each submitted by its operator (committed)."""
    rows = [received_complaint(office, date(2025, 1, 1) + timedelta(days=(start + i) % 300)) for i in range(n)]
    for i, row in enumerate(rows):
        row.entry.title = f"Pengaduan nomor {start + i:03d}"
    db.session.flush()
    operator = get_user(user)
    for row in rows:
        wf.submit(row.entry, operator)
    db.session.commit()
    return [row.entry for row in rows]


def received_complaint(office, day: date):
    return complaint(office, received=day, resolved=day + timedelta(days=2))


def picks(entries) -> list[str]:
    return [f"{e.id}:{e.version}" for e in entries]


def url_of(entry) -> str:
    from flask import current_app

    from iku_workflow.workflow import kinds

    with current_app.test_request_context():
        return kinds.url_of(entry)


def state_of(entry_id: int) -> EntryState:
    return db.session.scalar(sa.select(WorkflowEntry.state).where(WorkflowEntry.id == entry_id))


def flashes(client) -> str:
    return client.get("/notifikasi").get_data(as_text=True)


def unread(username: str) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == get_user(username).id, Notification.read_at.is_(None)).order_by(Notification.id)))


# ------------------------------------------------------------------ approving and returning many

def test_approving_many_in_one_step_approves_each_audits_each_and_tells_the_operator_once(client_as, office):
    entries = submitted_complaints(office, 12)
    trantib_before = len(unread("trantib"))
    sekcam = client_as("sekcam")
    response = sekcam.post("/tinjauan/setujui", data={"pilih": picks(entries), "next": QUEUE})
    assert response.status_code == 302 and response.headers["Location"] == QUEUE
    db.session.expire_all()
    assert all(state_of(e.id) is EntryState.APPROVED for e in entries)
    assert "12 disetujui." in sekcam.get(QUEUE).get_data(as_text=True)
    approvals = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "workflow.approve", AuditEvent.office_id == office.id,
        AuditEvent.object_type == "workflow_entries", AuditEvent.object_id.in_([e.id for e in entries]))).all()
    assert sorted(a.object_id for a in approvals) == sorted(e.id for e in entries)
    assert audit.verify_chain(office.id, all_offices=False)[1] is None  # the batch keeps the chain whole
    events = db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id.in_([e.id for e in entries]), WorkflowEvent.action == "approve")).all()
    assert len(events) == 12 and {ev.actor_id for ev in events} == {get_user("sekcam").id}
    news = unread("trantib")[trantib_before:]
    assert len(news) == 1  # one notification for the batch, not twelve
    assert "menyetujui 12 data Pengaduan trantib (IKU 4)" in news[0].message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationEntry)
                             .where(NotificationEntry.notification_id == news[0].id)) == 12


def test_a_stale_version_and_a_self_submitted_entry_are_refused_and_named_the_others_approved(client_as, office):
    entries = submitted_complaints(office, 4)
    stale = entries[1]
    seen = picks(entries)
    stale.title = stale.title  # someone changed it meanwhile: bump its version
    stale.last_note = "diubah"
    db.session.commit()
    assert stale.version != int(seen[1].split(":")[1])
    # an SKM-like result the sekcam submitted: the sekcam never approves it, even when injected in the form
    own = wf.create_entry(office_id=office.id, kind="test", title="Hasil yang saya tutup", year=2025, user=None)
    wf.submit_result(own, get_user("sekcam"), note="ditutup")
    db.session.commit()
    sekcam = client_as("sekcam")
    response = sekcam.post("/tinjauan/setujui", data={"pilih": seen + picks([own]), "next": "/tinjauan"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "3 disetujui; 2 tidak:" in html
    assert f"{stale.title} (sudah diubah)" in html
    assert "Hasil yang saya tutup (Anda sendiri yang mengajukan)" in html
    db.session.expire_all()
    assert [state_of(e.id) for e in entries] == [EntryState.APPROVED, EntryState.SUBMITTED,
                                                  EntryState.APPROVED, EntryState.APPROVED]
    assert state_of(own.id) is EntryState.SUBMITTED


def test_an_entry_of_another_office_in_the_form_refuses_the_batch_and_touches_nothing(client_as, office, other_office):
    entries = submitted_complaints(office, 3)
    foreign = wf.create_entry(office_id=other_office.id, kind="test", title="Puger", year=2025, user=None,
                              section_id=next(s.id for s in other_office.sections if s.code == "trantib"))
    wf.submit(foreign, get_user("trantib-puger"))
    db.session.commit()
    sekcam = client_as("sekcam")
    response = sekcam.post("/tinjauan/setujui", data={"pilih": picks(entries) + picks([foreign])})
    assert response.status_code == 404
    response = sekcam.post("/tinjauan/setujui", data={"pilih": picks(entries) + ["999999:1"]})
    assert response.status_code == 404
    db.session.expire_all()
    assert all(state_of(e.id) is EntryState.SUBMITTED for e in entries + [foreign])


def test_only_a_reviewer_reviews_in_a_batch(client_as, office, viewer):
    entries = submitted_complaints(office, 2)
    assert client_as("trantib").post("/tinjauan/setujui", data={"pilih": picks(entries)}).status_code == 403
    assert client_as("viewer").post("/tinjauan/setujui", data={"pilih": picks(entries)}).status_code == 403
    # the Camat reviews what a sekcam submitted; an operator's rows are the sekcam's
    html = client_as("camat").post("/tinjauan/setujui", data={"pilih": picks(entries)},
                                   follow_redirects=True).get_data(as_text=True)
    assert "0 disetujui; 2 tidak:" in html and f"{entries[0].title} (bukan tinjauan Anda)" in html
    db.session.expire_all()
    assert all(state_of(e.id) is EntryState.SUBMITTED for e in entries)


def test_an_entry_no_longer_waiting_is_named(client_as, office):
    entries = submitted_complaints(office, 2)
    wf.approve(entries[0], get_user("sekcam"))
    db.session.commit()
    html = client_as("sekcam").post("/tinjauan/setujui", data={"pilih": [f"{entries[0].id}:{entries[0].version}",
                                                                         picks(entries)[1]]},
                                    follow_redirects=True).get_data(as_text=True)
    assert "1 disetujui; 1 tidak:" in html and f"{entries[0].title} (tidak lagi menunggu tinjauan)" in html


def test_an_empty_selection_and_a_broken_one_are_refused(client_as, office):
    submitted_complaints(office, 1)
    sekcam = client_as("sekcam")
    html = sekcam.post("/tinjauan/setujui", data={"next": "/tinjauan"}, follow_redirects=True).get_data(as_text=True)
    assert "Pilih minimal satu data." in html
    assert sekcam.post("/tinjauan/setujui", data={"pilih": ["12"]}).status_code == 400
    assert sekcam.post("/tinjauan/setujui", data={"pilih": ["x:1"]}).status_code == 400
    assert sekcam.post("/tinjauan/hapus", data={"pilih": ["1:1"]}).status_code == 404


def test_returning_many_needs_one_note_and_gives_it_to_each(client_as, office):
    entries = submitted_complaints(office, 5)
    sekcam = client_as("sekcam")
    html = sekcam.post("/tinjauan/kembalikan", data={"pilih": picks(entries), "note": "  "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Catatan wajib diisi saat mengembalikan data untuk diperbaiki." in html
    db.session.expire_all()
    assert all(state_of(e.id) is EntryState.SUBMITTED for e in entries)
    before = len(unread("trantib"))
    html = sekcam.post("/tinjauan/kembalikan", data={"pilih": picks(entries), "note": "Lampirkan foto"},
                       follow_redirects=True).get_data(as_text=True)
    assert "5 dikembalikan." in html
    db.session.expire_all()
    for e in entries:
        entry = db.session.get(WorkflowEntry, e.id)
        assert entry.state is EntryState.RETURNED and entry.last_note == "Lampirkan foto"
    news = unread("trantib")[before:]
    assert len(news) == 1 and "mengembalikan 5 data" in news[0].message and "Catatan: Lampirkan foto" in news[0].message


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_next_page_is_never_outside_the_app(client_as, office, target):
    entries = submitted_complaints(office, 1)
    response = client_as("sekcam").post("/tinjauan/setujui", data={"pilih": picks(entries), "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/tinjauan"
    entry = submitted_complaints(office, 1, start=1)[0]
    response = client_as("sekcam").post(f"/entri/{entry.id}/setujui", data={"version": entry.version, "next": target})
    assert response.status_code == 302 and not response.headers["Location"].startswith(("http", "//", "/\\", "javascript"))


# ------------------------------------------------------------------ the queue: filters, pages, next

def test_the_queue_pages_by_100_and_filters_by_kind_and_age(client_as, office):
    entries = submitted_complaints(office, 105)
    old = entries[:3]
    for e in old:
        e.submitted_at = utcnow() - timedelta(days=20)
    db.session.commit()
    sekcam = client_as("sekcam")
    first = sekcam.get(QUEUE).get_data(as_text=True)
    assert 'data-testid="queue-count">105<' in first and first.count('name="pilih"') == 100
    assert "1–100 dari 105" in first
    second = sekcam.get(QUEUE + "&hal=2").get_data(as_text=True)
    assert second.count('name="pilih"') == 5
    aged = sekcam.get(QUEUE + "&age=14").get_data(as_text=True)
    assert aged.count('name="pilih"') == 3 and all(f'value="{e.id}:{e.version}"' in aged for e in old)
    assert sekcam.get(QUEUE + "&age=30").get_data(as_text=True).count('name="pilih"') == 0
    assert 'data-testid="queue-count">0<' in sekcam.get("/tinjauan?kind=activity").get_data(as_text=True)
    # a link to an entry leads back to the queue with its filter
    assert "next=" + quote("/tinjauan?kind=complaint&age=14", safe="") in aged


def test_the_queue_counts_what_the_user_reviews_in_sql(client_as, office):
    """An entry whose submitter only the history names (submitted "as the system" by a sekcam) is the
    Camat's, not the sekcam's: the SQL knows it, so pages and the badge agree."""
    entry = wf.create_entry(office_id=office.id, kind="test", title="Hasil lama", year=2025, user=None)
    wf.submit_result(entry, get_user("sekcam"), note="ditutup")
    db.session.commit()
    entry.submitted_by_id = None  # an older version stored no submitter; the history names the sekcam
    db.session.commit()
    from iku_workflow.workflow.views import review_count

    assert entry.id not in db.session.scalars(wf.review_queue(get_user("sekcam")).with_only_columns(WorkflowEntry.id)).all()
    assert entry.id in db.session.scalars(wf.review_queue(get_user("camat")).with_only_columns(WorkflowEntry.id)).all()
    assert f'data-entry="{entry.id}"' in client_as("camat").get("/tinjauan").get_data(as_text=True)
    assert f'data-entry="{entry.id}"' not in client_as("sekcam").get("/tinjauan").get_data(as_text=True)
    assert review_count(get_user("camat")) >= 1


def test_an_entry_opened_from_the_queue_leads_back_to_it(client_as, office):
    entries = submitted_complaints(office, 1)
    sekcam = client_as("sekcam")
    queue = sekcam.get(QUEUE).get_data(as_text=True)
    import re

    link = re.search(r'href="([^"]+)">Tinjau<', queue).group(1).replace("&amp;", "&")
    page = sekcam.get(link).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/tinjauan?kind=complaint"' in page
    assert 'data-testid="do-approve-next"' in page
    response = sekcam.post(f"/entri/{entries[0].id}/setujui",
                           data={"version": entries[0].version, "next": "/tinjauan?kind=complaint"})
    assert response.headers["Location"] == "/tinjauan?kind=complaint"
    # opened with an outside ?next=, the form leads back to the page itself
    page = sekcam.get(link.split("?")[0] + "?next=https://evil.example").get_data(as_text=True)
    assert "evil.example" not in page


def test_approve_and_next_opens_the_next_entry_of_the_filtered_queue(client_as, office):
    entries = submitted_complaints(office, 3)
    sekcam = client_as("sekcam")
    response = sekcam.post(f"/entri/{entries[0].id}/setujui",
                           data={"version": entries[0].version, "next": QUEUE, "then": "next"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == url_of(entries[1]) + "?next=" + quote(QUEUE, safe="")
    db.session.expire_all()
    assert state_of(entries[0].id) is EntryState.APPROVED and state_of(entries[1].id) is EntryState.SUBMITTED
    for e in entries[1:2]:
        sekcam.post(f"/entri/{e.id}/setujui", data={"version": e.version, "next": QUEUE})
    last = db.session.get(WorkflowEntry, entries[2].id)
    response = sekcam.post(f"/entri/{last.id}/setujui", data={"version": last.version, "next": QUEUE, "then": "next"})
    assert response.headers["Location"] == QUEUE
    assert "Tidak ada lagi data yang menunggu tinjauan." in sekcam.get(QUEUE).get_data(as_text=True)


# ------------------------------------------------------------------ notifications

def test_submit_all_asks_with_the_count_and_tells_the_sekcam_once(client_as, office):
    rows = [received_complaint(office, date(2025, 3, 1) + timedelta(days=i)) for i in range(60)]
    db.session.commit()
    trantib = client_as("trantib")
    page = trantib.get("/register/pengaduan/2025").get_data(as_text=True)
    assert 'data-confirm="Ajukan 60 data Pengaduan trantib (IKU 4)?"' in page
    before = len(unread("sekcam"))
    assert trantib.post("/register/pengaduan/2025/ajukan-semua").status_code == 302
    db.session.expire_all()
    assert all(db.session.get(WorkflowEntry, r.entry_id).state is EntryState.SUBMITTED for r in rows)
    news = unread("sekcam")[before:]
    assert len(news) == 1
    assert news[0].message == "Seksi Trantib mengajukan 60 data Pengaduan trantib (IKU 4)."
    assert news[0].link == "/tinjauan?kind=complaint&year=2025"
    sekcam = client_as("sekcam")
    assert "Seksi Trantib mengajukan 60 data" in sekcam.get("/notifikasi").get_data(as_text=True)
    # opening it leads to the filtered queue and marks it read
    response = sekcam.get(f"/notifikasi/{news[0].id}")
    assert response.headers["Location"] == "/tinjauan?kind=complaint&year=2025"
    assert news[0].id not in [n.id for n in unread("sekcam")]
    # someone else's notification is not theirs to open
    assert client_as("camat").get(f"/notifikasi/{news[0].id}").status_code == 404


def test_a_batch_notification_is_read_once_the_reviewer_reviews_one_of_its_entries(client_as, office):
    rows = [received_complaint(office, date(2025, 3, 1) + timedelta(days=i)) for i in range(3)]
    db.session.commit()
    client_as("trantib").post("/register/pengaduan/2025/ajukan-semua")
    batch = unread("sekcam")[-1]
    assert batch.code == "batch_submit"
    entry = db.session.get(WorkflowEntry, rows[0].entry_id)
    client_as("sekcam").post(f"/entri/{entry.id}/setujui", data={"version": entry.version})
    assert batch.id not in [n.id for n in unread("sekcam")]


def test_a_notification_is_read_when_its_recipient_opens_the_row(client_as, office):
    entries = submitted_complaints(office, 1)
    wf.return_for_revision(entries[0], get_user("sekcam"), note="Lengkapi")
    db.session.commit()
    mine = [n for n in unread("trantib") if n.entry_id == entries[0].id]
    assert len(mine) == 1
    url = url_of(entries[0])
    assert client_as("pmks").get(url).status_code == 200  # someone else opening it changes nothing of theirs
    assert [n.id for n in unread("trantib") if n.entry_id == entries[0].id] == [mine[0].id]
    assert client_as("trantib").get(url).status_code == 200
    assert not [n for n in unread("trantib") if n.entry_id == entries[0].id]


def test_reviewing_an_entry_marks_its_notification_read(client_as, office):
    entries = submitted_complaints(office, 1)
    assert [n for n in unread("sekcam") if n.entry_id == entries[0].id]
    client_as("sekcam").post(f"/entri/{entries[0].id}/setujui", data={"version": entries[0].version})
    assert not [n for n in unread("sekcam") if n.entry_id == entries[0].id]


def test_notifications_page_by_50_and_all_are_marked_read_at_once(client_as, office):
    submitted_complaints(office, 55)  # 55 single submissions: 55 notifications to the sekcam
    sekcam = client_as("sekcam")
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                              .where(Notification.user_id == get_user("sekcam").id))
    assert total >= 55
    first = sekcam.get("/notifikasi").get_data(as_text=True)
    assert first.count("data-notification=") == 50 and f"1–50 dari {total}" in first
    assert sekcam.get("/notifikasi?hal=2").get_data(as_text=True).count("data-notification=") == total - 50
    sekcam.post("/notifikasi")
    assert unread("sekcam") == []


def test_notifications_show_in_english_on_english_pages(client_as, office):
    rows = [received_complaint(office, date(2025, 3, 1) + timedelta(days=i)) for i in range(2)]
    db.session.commit()
    client_as("trantib").post("/register/pengaduan/2025/ajukan-semua")
    sekcam = get_user("sekcam")
    sekcam.locale = "en"
    db.session.commit()
    html = client_as("sekcam").get("/notifikasi").get_data(as_text=True)
    assert "Seksi Trantib submitted 2 entries of Public order complaints (IKU 4)." in html
    assert "mengajukan 2 data" not in html
    assert len(rows) == 2


# ------------------------------------------------------------------ a fixed number of statements

def _statements_of_a_batch(client, entries) -> int:
    statements: list[str] = []
    data = {"pilih": picks(entries), "next": "/tinjauan"}
    db.session.expire_all()  # the request reads everything itself, as a fresh one would

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.post("/tinjauan/setujui", data=data)
        assert response.status_code == 302
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    db.session.expire_all()
    assert all(state_of(e.id) is EntryState.APPROVED for e in entries)
    return len(statements)


def test_a_bulk_approval_asks_the_same_number_of_queries_for_10_and_200_rows(client_as, office):
    ten = submitted_complaints(office, 10)
    two_hundred = submitted_complaints(office, 200, start=10)
    sekcam = client_as("sekcam")
    small = _statements_of_a_batch(sekcam, ten)
    large = _statements_of_a_batch(sekcam, two_hundred)
    assert small == large, (small, large)
    assert small < 40


def test_a_document_opened_from_the_queue_keeps_the_way_back(client_as, office):
    from iku_workflow.models import RequiredDocument

    doc = db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.office_id == office.id)
                             .order_by(RequiredDocument.id)).first()
    sekcam = client_as("sekcam")
    response = sekcam.get(f"/dokumen/entri/{doc.entry_id}?next=" + quote("/tinjauan?kind=document", safe=""))
    assert response.status_code == 302
    from urllib.parse import parse_qs, urlsplit

    location = urlsplit(response.headers["Location"])
    assert location.path == f"/dokumen/wajib/{doc.id}"
    assert parse_qs(location.query) == {"next": ["/tinjauan?kind=document"]}
    response = sekcam.get(f"/dokumen/entri/{doc.entry_id}?next=https://evil.example")
    assert response.headers["Location"] == f"/dokumen/wajib/{doc.id}"
