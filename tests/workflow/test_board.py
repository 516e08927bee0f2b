"""The office board (issue 14): section × item with state and lateness, for the sekcam, the Camat and the admin;
one section from the overview's late list; lateness in words."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import factories as mk
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, Section
from iku_workflow.workflow.due import due_of


@pytest.mark.parametrize("due,state,code,text", [
    (date(2025, 3, 28), EntryState.DRAFT, "late", "terlambat 3 hari"),
    (date(2025, 3, 31), EntryState.RETURNED, "today", "jatuh tempo hari ini"),
    (date(2025, 4, 5), EntryState.SUBMITTED, "soon", "5 hari lagi"),
    (date(2025, 5, 1), EntryState.DRAFT, "later", "31 hari lagi"),
    (date(2025, 3, 1), EntryState.APPROVED, "done", "selesai"),
    (None, EntryState.DRAFT, "none", "tanpa tenggat"),
])
def test_lateness_in_words(app, due, state, code, text):
    with app.test_request_context("/"):
        found = due_of(due, state, date(2025, 3, 31))
        assert (found.code, found.text) == (code, text)
        assert found.late == (code == "late")


def _board(client, path="/papan/2025"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(html: str, section_id: int) -> str:
    match = re.search(rf'data-section="{section_id}">(.*?)</section>', html, re.S)
    assert match, f"section {section_id} not on the board"
    return match.group(1)


def test_the_board_shows_each_section_with_late_items(client_as, office):
    row = mk.complaint(office, date(2025, 3, 1), status="diproses")
    row.entry.due_date = date.today() - timedelta(days=4)
    db.session.commit()
    html = _board(client_as("camat"))
    trantib = _section(html, row.entry.section_id)
    assert "terlambat 4 hari" in trantib
    assert re.search(r'data-testid="board-late">(\d+) terlambat', trantib)
    assert row.entry.title in trantib  # few rows of a kind: each one listed


def test_many_rows_of_a_kind_are_one_line_with_counts(client_as, office):
    rows = [mk.complaint(office, date(2025, 1, 1) + timedelta(days=i), status="diproses") for i in range(7)]
    mk.approve(*rows[:3])
    for row in rows:  # rows of a past triwulan are late by default: give them a date ahead, one behind
        row.entry.due_date = date.today() + timedelta(days=30)
    rows[5].entry.due_date = date.today() - timedelta(days=1)
    db.session.commit()
    html = _board(client_as("sekcam"))
    trantib = _section(html, rows[0].entry.section_id)
    assert "(7 entri)" in trantib
    assert re.search(r'data-state="approved">[^<]*</span> 3', trantib)
    assert re.search(r'data-state="draft">[^<]*</span> 4', trantib)
    assert "· 1 terlambat" in trantib
    assert rows[0].entry.title not in trantib


def test_one_section_from_the_overview(client_as, office):
    row = mk.complaint(office, date(2025, 3, 1), status="diproses")
    row.entry.due_date = date.today() - timedelta(days=2)
    db.session.commit()
    camat = client_as("camat")
    dash = camat.get("/dasbor/2025").get_data(as_text=True)
    link = re.search(r'href="(/papan/2025\?seksi=(\d+))" data-testid="late-section-link"><strong>Seksi Ketenteraman', dash)
    assert link, "the late section links to its board"
    html = _board(camat, link.group(1).replace("&amp;", "&"))
    assert html.count('data-testid="board-section"') == 1
    assert f'data-section="{row.entry.section_id}"' in html


def test_a_section_with_nothing_is_told_why(client_as, office):
    empty = Section(office_id=office.id, code="uji", name="Seksi Uji", short_name="Uji", position=99)
    db.session.add(empty)
    db.session.commit()
    html = _board(client_as("sekcam"), f"/papan/2025?seksi={empty.id}")
    assert "tidak memegang dokumen wajib atau register tahun ini" in html


@pytest.mark.parametrize("path,status", [("/papan/2025?seksi=999999", 404), ("/papan/2025?seksi=abc", 400),
                                         ("/papan/1999", 404)])
def test_bad_addresses(client_as, office, path, status):
    assert client_as("sekcam").get(path).status_code == status


def test_another_offices_section_is_not_found(client_as, office):
    other = db.session.scalar(sa.select(Section).where(Section.office_id != office.id))
    assert other is not None, "the demo has a second kecamatan"
    assert client_as("sekcam").get(f"/papan/2025?seksi={other.id}").status_code == 404


@pytest.mark.parametrize("role,status", [("trantib", 403), ("camat", 200), ("admin", 200)])
def test_who_reads_the_board(client_as, office, role, status):
    assert client_as(role).get("/papan/2025").status_code == status
