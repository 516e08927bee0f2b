"""Lists that grow past 50 rows page with the shared pager: tasks, audit, the office's users and the
kabupaten's list of an office's users (what each page shows, and its links)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from conftest import get_user
from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import (AuditEvent, ComplaintChannel, ComplaintStatus, EntryState, Role, User,
                                 WorkflowEntry)
from iku_workflow.registers import operations as reg_ops
from iku_workflow.workflow import operations as wf


def _add_users(office, n: int) -> None:
    db.session.add_all([User(office_id=office.id, username=f"staf{i:03d}", full_name=f"Staf {i}", role=Role.VIEWER,
                             password_hash="x") for i in range(n)])
    db.session.commit()


def test_the_offices_users_page_by_fifty(office, admin):
    _add_users(office, 60)
    total = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.office_id == office.id))
    first = admin.get("/admin/pengguna").get_data(as_text=True)
    second = admin.get("/admin/pengguna?hal=2").get_data(as_text=True)
    shown = re.findall(r'data-username="([^"]+)"', first), re.findall(r'data-username="([^"]+)"', second)
    assert len(shown[0]) == 50 and len(shown[1]) == total - 50
    assert set(shown[0]) | set(shown[1]) == set(db.session.scalars(sa.select(User.username)
                                                                   .where(User.office_id == office.id)))
    assert f"1–50 dari {total}" in first and 'href="/admin/pengguna?hal=2"' in first
    assert admin.get("/admin/pengguna?hal=x").status_code == 400


def test_the_kabupaten_pages_an_offices_users(office, client_as):
    _add_users(office, 55)
    total = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.office_id == office.id))
    kab = client_as("kabupaten")
    first = kab.get("/kabupaten/kecamatan/gumukmas/pengguna").get_data(as_text=True)
    second = kab.get("/kabupaten/kecamatan/gumukmas/pengguna?hal=2").get_data(as_text=True)
    names = re.findall(r'data-user="([^"]+)"', first) + re.findall(r'data-user="([^"]+)"', second)
    assert len(re.findall(r'data-user="', first)) == 50
    assert sorted(names) == sorted(db.session.scalars(sa.select(User.username).where(User.office_id == office.id)))
    assert len(names) == total
    assert 'href="/kabupaten/kecamatan/gumukmas/pengguna?hal=2"' in first


def test_the_audit_log_pages_with_its_filter(office, client_as):
    sekcam = client_as("sekcam")
    for n in range(70):
        audit.record("test.paging", office_id=office.id, object_type="uji", object_id=n)
    db.session.commit()
    first = sekcam.get("/audit?action=test.paging").get_data(as_text=True)
    assert first.count('data-action="test.paging"') == 50
    assert "1–50 dari 70" in first and "Halaman 1 dari 2" in first
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert sorted(link.split("?", 1)[1].split("&")) == ["action=test.paging", "hal=2"]
    second = sekcam.get(link).get_data(as_text=True)
    assert second.count('data-action="test.paging"') == 20 and 'rel="next"' not in second
    # newest first across the pages
    ids = db.session.scalars(sa.select(AuditEvent.object_id).where(AuditEvent.action == "test.paging")
                             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())).all()
    assert ids[0] == 69
    # a page past the end shows the last one
    assert sekcam.get("/audit?action=test.paging&hal=99").get_data(as_text=True).count('data-action="test.paging"') == 20


def test_tasks_page_by_fifty_and_keep_the_urgency_order(office, client_as):
    trantib = get_user("trantib")
    rows = [reg_ops.create_row(office, trantib, "pengaduan", 2025, received_on=date(2025, 1, 1) + timedelta(days=i),
                               channel=ComplaintChannel.SURAT, desa="", summary=f"Aduan {i}",
                               status=ComplaintStatus.MASUK, resolved_on=None, resolution="") for i in range(60)]
    db.session.commit()
    sekcam = get_user("sekcam")
    for row in rows[:3]:  # three returned: before the drafts due the same day, with the note
        wf.submit(row.entry, trantib)
        wf.return_for_revision(row.entry, sekcam, note="Lengkapi")
    for row in rows[3:5]:
        wf.submit(row.entry, trantib)
    db.session.commit()
    section_entries = sa.select(sa.func.count(WorkflowEntry.id)).where(
        WorkflowEntry.office_id == office.id, WorkflowEntry.section_id == trantib.section_id)
    drafts = db.session.scalar(section_entries.where(WorkflowEntry.state == EntryState.DRAFT))
    total = db.session.scalar(section_entries.where(WorkflowEntry.state.in_(
        [EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED])))
    c = client_as("trantib")
    first = c.get("/tugas").get_data(as_text=True)
    second = c.get("/tugas?hal=2").get_data(as_text=True)
    shown = lambda html: [int(i) for i in re.findall(r'data-testid="task-row" data-entry="(\d+)"', html)]  # noqa: E731
    # the counts are of the whole list; the page holds 50 entries
    assert "<span class=\"badge text-bg-warning\">3</span>" in first
    assert f'<span class="badge text-bg-secondary">{drafts}</span>' in first
    assert '<span class="badge text-bg-primary">2</span>' in first and f"1–50 dari {total}" in first
    assert len(shown(first)) == 50
    # every entry appears on exactly one page, in the to-do order: the returned ones before the drafts of the
    # same due date (all of this TW I are due 10 April 2025), the submitted ones last (page 2)
    on_pages = shown(first) + shown(second)
    assert sorted(on_pages) == sorted(e.id for e in db.session.scalars(sa.select(WorkflowEntry).where(
        WorkflowEntry.office_id == office.id, WorkflowEntry.section_id == trantib.section_id,
        WorkflowEntry.state.in_([EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED]))))
    mine = [i for i in on_pages if i in {r.entry_id for r in rows}]
    assert mine[:3] == sorted(r.entry_id for r in rows[:3])
    assert set(mine[-2:]) == {r.entry_id for r in rows[3:5]} and set(mine[-2:]) <= set(shown(second))
    assert first.count('data-testid="task-note">Dikembalikan dengan catatan: Lengkapi') == 3
