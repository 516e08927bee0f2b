"""The section's to-do list "Tugas seksi" (issue 14) with a fixed clock: grouped by year (newest first), by
urgency inside a year (most late first, then soonest, no due date last, what waits for review after), each
row's lateness in words and colour, the reviewer's note on returned rows, and why a year has nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, Role, Section, User, WorkflowEntry
from iku_workflow.security import hash_password
from iku_workflow.workflow import operations as wf
from iku_workflow.workflow import todo

TODAY = date(2026, 6, 15)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(todo, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def uji(office):
    """A section of its own (no demo document, no register) with one operator, "uji"."""
    section = Section(office_id=office.id, code="uji", name="Seksi Uji", short_name="Uji", position=99)
    db.session.add(section)
    db.session.flush()
    db.session.add(User(office_id=office.id, username="uji", full_name="Operator Uji", role=Role.SEKSI,
                        section_id=section.id, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    return section


def _entry(office, section, title, year, due, state=EntryState.DRAFT) -> WorkflowEntry:
    operator = get_user("uji")
    entry = wf.create_entry(office_id=office.id, kind="uji", title=title, year=year, user=operator,
                            section_id=section.id, due_date=due)
    if state is not EntryState.DRAFT:
        wf.submit(entry, operator)
    if state is EntryState.RETURNED:
        wf.return_for_revision(entry, get_user("sekcam"), note="Lampirkan daftar hadir")
    if state is EntryState.APPROVED:
        wf.approve(entry, get_user("sekcam"))
    db.session.commit()
    return entry


def _rows(html: str) -> list[tuple[int, str, str]]:
    """(entry id, data-due, the words shown) of every row, in page order."""
    return [(int(i), code, words) for i, code, words in re.findall(
        r'data-testid="task-row" data-entry="(\d+)" data-due="([a-z]+)">.*?data-testid="task-due">([^<]+)<', html, re.S)]


def _year(html: str, year: int) -> str:
    match = re.search(rf'data-testid="tasks-year" data-year="{year}">(.*?)</section>', html, re.S)
    assert match, f"no block for {year}"
    return match.group(1)


def test_years_newest_first_and_urgency_inside_a_year_in_words(office, uji, client_as, fixed_today):
    old = _entry(office, uji, "Laporan lama", 2025, date(2025, 11, 27))
    later = _entry(office, uji, "Bulan depan", 2026, date(2026, 7, 15))
    none = _entry(office, uji, "Tanpa tenggat", 2026, None)
    soon = _entry(office, uji, "Segera", 2026, date(2026, 6, 18))
    waiting = _entry(office, uji, "Sudah diajukan", 2026, date(2026, 6, 1), EntryState.SUBMITTED)
    late2 = _entry(office, uji, "Dikembalikan", 2026, date(2026, 6, 13), EntryState.RETURNED)
    due_today = _entry(office, uji, "Hari ini", 2026, date(2026, 6, 15))
    late10 = _entry(office, uji, "Paling terlambat", 2026, date(2026, 6, 5))
    _entry(office, uji, "Selesai", 2026, date(2026, 6, 1), EntryState.APPROVED)  # done: not listed

    html = client_as("uji").get("/tugas").get_data(as_text=True)

    assert html.index('data-year="2026"') < html.index('data-year="2025"')
    assert _rows(_year(html, 2026)) == [
        (late10.id, "late", "terlambat 10 hari"),
        (late2.id, "late", "terlambat 2 hari"),
        (due_today.id, "today", "jatuh tempo hari ini"),
        (soon.id, "soon", "3 hari lagi"),
        (later.id, "later", "30 hari lagi"),
        (none.id, "none", "tanpa tenggat"),
        (waiting.id, "waiting", "diajukan, menunggu tinjauan"),
    ]
    assert _rows(_year(html, 2025)) == [(old.id, "late", "terlambat 200 hari")]
    block = _year(html, 2026)
    # colour as well as words: the late rows are red, the soon one amber
    assert re.search(rf'list-group-item-danger" href="[^"]+" data-testid="task-row" data-entry="{late10.id}"', block)
    assert re.search(r'text-warning-emphasis fw-semibold" data-testid="task-due">3 hari lagi', block)
    assert 'class="text-danger fw-semibold" data-testid="task-due">terlambat 10 hari' in block
    # the returned row carries the reviewer's note; the year says how many are late
    assert block.count('data-testid="task-note">Dikembalikan dengan catatan: Lampirkan daftar hadir') == 1
    assert re.search(r'data-testid="tasks-year-late">2 terlambat</span> · 7 dalam daftar', block)
    assert "Batas: 5 Juni 2026" in block
    # the counts of the whole list
    assert re.search(r'Dikembalikan untuk diperbaiki <span class="badge text-bg-warning">1</span>', html)
    assert re.search(r'Draf <span class="badge text-bg-secondary">6</span>', html)
    assert re.search(r'Menunggu tinjauan <span class="badge text-bg-primary">1</span>', html)
    assert "Selesai" not in re.sub(r"<[^>]+>", "", block)


def test_a_section_holding_nothing_this_year_is_told_why(office, uji, client_as, fixed_today):
    html = client_as("uji").get("/tugas").get_data(as_text=True)
    assert re.findall(r'data-testid="tasks-why">([^<]+)<', _year(html, 2026)) == [
        "Seksi ini tidak memegang dokumen wajib atau register tahun ini."]
    assert 'data-testid="task-row"' not in html


def test_a_section_with_everything_done_this_year_is_told_so(office, uji, client_as, fixed_today):
    _entry(office, uji, "Selesai", 2026, date(2026, 6, 1), EntryState.APPROVED)
    old = _entry(office, uji, "Tahun lalu", 2025, None, EntryState.RETURNED)
    html = client_as("uji").get("/tugas").get_data(as_text=True)
    assert re.findall(r'data-testid="tasks-why">([^<]+)<', _year(html, 2026)) == [
        "Semua tugas tahun ini sudah selesai."]
    # last year's open work is still listed, below this year
    assert _rows(_year(html, 2025)) == [(old.id, "none", "tanpa tenggat")]
    assert html.index('data-year="2026"') < html.index('data-year="2025"')


def test_a_register_section_without_data_this_year_is_told_where_to_record(office, client_as, monkeypatch):
    monkeypatch.setattr(todo, "today", lambda: date(2031, 2, 1))  # no demo entry of 2031
    html = client_as("trantib").get("/tugas").get_data(as_text=True)
    why = re.findall(r'data-testid="tasks-why">([^<]+)<', _year(html, 2031))
    assert len(why) == 1
    assert why[0].startswith("Belum ada dokumen wajib atau data register tahun ini untuk seksi ini. "
                             "Data baru dicatat di register: ")
    assert "Pengaduan" in why[0]


def test_a_user_without_a_section_is_told_so(app, office):
    """The schema refuses an operator without a section (``seksi_has_section``); the page still says it plainly
    should an account reach it without one."""
    from flask import render_template
    from flask_login import login_user

    with app.test_request_context("/tugas"):
        login_user(get_user("trantib"))
        html = render_template("workflow/tasks.html", section=None, groups=[], page=None, today=TODAY,
                               counts={"returned": 0, "draft": 0, "submitted": 0})
    assert "Akun Anda belum terhubung ke seksi mana pun, jadi tidak ada tugas seksi." in html


def test_the_list_only_holds_the_own_sections_entries(office, uji, client_as, fixed_today):
    mine = _entry(office, uji, "Punya uji", 2026, date(2026, 6, 20))
    html = client_as("trantib").get("/tugas").get_data(as_text=True)
    assert f'data-entry="{mine.id}"' not in html
    assert db.session.scalar(sa.select(WorkflowEntry.section_id).where(WorkflowEntry.id == mine.id)) == uji.id


def test_the_list_in_english(office, uji, client_as, fixed_today):
    user = get_user("uji")
    user.locale = "en"
    db.session.commit()
    _entry(office, uji, "Laporan lama", 2025, date(2025, 11, 27), EntryState.RETURNED)
    html = client_as("uji").get("/tugas").get_data(as_text=True)
    assert "Year 2026" in html and "Year 2025" in html
    assert "This section holds no required document or register this year." in html
    assert "200 days late" in html and "Returned with the note: Lampirkan daftar hadir" in html
    assert "terlambat" not in html and "Tahun 2026" not in html
