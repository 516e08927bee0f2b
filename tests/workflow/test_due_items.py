"""Due dates of SKM periods and of the year's decree (issue 14), on the to-do list and the office board, and
their reminders with a fixed clock: N days before and once late, once per item and threshold however often
`iku-workflow reminders send` runs. Due items that are not entries come from providers a capability declares
(``Capability.due_items``), so later documents add theirs."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import tiny_pdf
from iku_workflow.capability import Capability
from iku_workflow.decree import operations as decree_ops
from iku_workflow.decree.due import decree_due_date, decree_due_items
from iku_workflow.extensions import db
from iku_workflow.models import Notification, ReminderSent, Role, Section
from iku_workflow.survey import operations as survey_ops
from iku_workflow.workflow import todo
from iku_workflow.workflow.due_items import DueItem, collect


def _run(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--office", "gumukmas", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _reminders(username: str, *, entry_id: int | None = None, about: str = "") -> list[str]:
    """The reminders (not the workflow's own notifications) the user got: about an entry, or mentioning ``about``."""
    query = sa.select(Notification.message).where(Notification.user_id == get_user(username).id)
    if entry_id is not None:
        query = query.where(Notification.entry_id == entry_id)
    return [m for m in db.session.scalars(query.order_by(Notification.id))
            if m.startswith(("Pengingat:", "Terlambat:")) and about in m]


# ------------------------------------------------------------------------------------------- SKM periods

def _pelayanan(office) -> Section:
    return db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == "pelayanan"))


@pytest.mark.parametrize("label,settings,due", [
    ("S1", {}, date(2026, 7, 10)),  # the end of June + the registers' 10 days
    ("TW2", {"IKU_SKM_DUE_DAYS": "5"}, date(2026, 7, 5)),  # its own setting
    ("S2", {"IKU_SKM_DUE_DAYS": "", "IKU_REGISTER_DUE_DAYS": "20"}, date(2027, 1, 20)),  # the registers' setting
    ("TAHUN", {"IKU_SKM_DUE_DAYS": "x", "IKU_REGISTER_DUE_DAYS": "x"}, date(2027, 1, 10)),  # unreadable: 10 days
])
@pytest.mark.demo_without("survey")
def test_an_skm_period_is_due_after_it_ends(app, office, label, settings, due):
    app.config.update(settings)
    period = survey_ops.open_period(office.id, 2026, label, user=get_user("sekcam"), section=_pelayanan(office))
    db.session.commit()
    assert period.entry.due_date == due


@pytest.mark.demo_without("survey")
def test_an_open_skm_period_is_on_the_running_sections_list_and_reminded_once(app, office, client_as, monkeypatch):
    period = survey_ops.open_period(office.id, 2026, "S1", user=get_user("sekcam"), section=_pelayanan(office))
    db.session.commit()
    entry_id = period.entry_id
    monkeypatch.setattr(todo, "today", lambda: date(2026, 7, 13))
    html = client_as("pelayanan").get("/tugas").get_data(as_text=True)
    row = re.search(rf'data-entry="{entry_id}" data-due="late">.*?</a>', html, re.S)
    assert row and "Hasil SKM: Hasil SKM S1 2026" in row.group(0) and "terlambat 3 hari" in row.group(0)

    _run(app, "--today", "2026-07-03")
    _run(app, "--today", "2026-07-03")  # twice the same day: once
    assert _reminders("pelayanan", entry_id=entry_id) == [
        "Pengingat: Hasil SKM «Hasil SKM S1 2026» jatuh tempo 10 Juli 2026 (7 hari lagi)."]
    _run(app, "--today", "2026-07-11")
    _run(app, "--today", "2026-07-12")
    late = _reminders("pelayanan", entry_id=entry_id)
    assert len(late) == 2 and late[1] == "Terlambat: Hasil SKM «Hasil SKM S1 2026» lewat tenggat 10 Juli 2026 (1 hari)."
    assert _reminders("sekcam", entry_id=entry_id) == [late[1]]  # late: the sekcam hears too
    assert _reminders("trantib", entry_id=entry_id) == []
    assert db.session.scalar(sa.select(sa.func.count(ReminderSent.id)).where(ReminderSent.entry_id == entry_id)) == 2


# ------------------------------------------------------------------------------------------- the decree

def test_the_decree_is_due_on_the_setting_of_its_year(app):
    assert decree_due_date(2026) == date(2026, 1, 31)
    assert decree_due_date(2026, "03-15") == date(2026, 3, 15)
    assert decree_due_date(2026, "02-30") == date(2026, 1, 31)  # a day February does not have: the default
    assert decree_due_date(2026, "akhir Januari") == date(2026, 1, 31)
    app.config["IKU_DECREE_DUE"] = "02-28"
    assert decree_due_date(2027) == date(2027, 2, 28)


def _decree_item(office, year: int) -> DueItem:
    items = [i for i in collect(office.id, year) if i.key == f"decree:{office.id}:{year}"]
    assert len(items) == 1
    return items[0]


def _finalise_2025(office) -> None:
    decree = decree_ops.find_decree(office, 2025)
    version = decree_ops.generate_version(decree, get_user("sekcam"))
    decree_ops.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()


def test_each_year_with_iku_owes_its_decree_until_one_is_final(app, office):
    this_year = date.today().year
    with app.test_request_context("/"):
        draft = _decree_item(office, 2025)  # the demo's draft of 2025
        assert (draft.done, draft.status, draft.due_date, draft.roles) == (
            False, "Draf", date(2025, 1, 31), (Role.SEKCAM, Role.CAMAT))
        assert draft.url() == "/keputusan/2025"
        if this_year != 2025:
            missing = _decree_item(office, this_year)
            assert (missing.done, missing.status, missing.url()) == (False, "Belum dibuat", "/keputusan")
        assert collect(office.id, 2019) == []  # no IKU that year: nothing owed
        _finalise_2025(office)
        final = _decree_item(office, 2025)
        assert (final.done, final.status) == (True, "Final (ditetapkan)")
        assert final.due(date(2025, 3, 1)).code == "done"


def test_the_decree_is_reminded_to_the_sekcam_and_the_camat_once_per_threshold(app, office):
    def about_2025(username):
        return _reminders(username, about="Keputusan Camat tentang IKU tahun 2025")

    first = _run(app, "--today", "2025-01-24")
    assert "1 butir lain (mis. Keputusan Camat)" in first
    _run(app, "--today", "2025-01-24")
    _run(app, "--today", "2025-01-26")
    expected = "Pengingat: Keputusan Camat «Keputusan Camat tentang IKU tahun 2025» jatuh tempo 31 Januari 2025 (7 hari lagi)."
    assert about_2025("sekcam") == [expected] and about_2025("camat") == [expected]
    assert about_2025("pelayanan") == []
    _run(app, "--today", "2025-02-03")
    _run(app, "--today", "2025-02-04")
    late = "Terlambat: Keputusan Camat «Keputusan Camat tentang IKU tahun 2025» lewat tenggat 31 Januari 2025 (3 hari)."
    assert about_2025("camat") == [expected, late]
    link = db.session.scalars(sa.select(Notification.link).where(
        Notification.user_id == get_user("sekcam").id, Notification.message == late)).all()
    assert link == ["/keputusan/2025"]
    assert db.session.scalar(sa.select(sa.func.count(ReminderSent.id)).where(
        ReminderSent.item == f"decree:{office.id}:2025")) == 2


def test_a_final_decree_is_not_reminded(app, office):
    _finalise_2025(office)
    _run(app, "--today", "2025-02-03")
    assert _reminders("sekcam", about="tahun 2025") == []


def test_the_board_shows_the_decree_with_its_state_and_lateness(office, client_as):
    html = client_as("camat").get("/papan/2025").get_data(as_text=True)
    office_card = re.search(r'data-section="0">(.*?)</section>', html, re.S)
    assert office_card, "the office's own card is missing"
    card = office_card.group(1)
    assert "Kantor (Sekretaris Camat dan Camat)" in card
    line = re.search(r'<tr data-testid="board-line" class="table-danger">(.*?)</tr>', card, re.S).group(1)
    assert 'href="/keputusan/2025">Keputusan Camat: Keputusan Camat tentang IKU tahun 2025</a>' in line
    assert 'data-testid="board-item-status">Draf<' in line
    late_days = (date.today() - date(2025, 1, 31)).days
    assert f'data-due="late">terlambat {late_days} hari<' in line


# ------------------------------------------------------------------------------------------- pluggable

def _lkjip_items(office_id, year):
    """A later document's provider, as PK or LKjIP would declare it: held by the Sekretariat, due 31 March."""
    sections = sa.select(Section).where(Section.code == "sekretariat")
    if office_id is not None:
        sections = sections.where(Section.office_id == office_id)
    for section in db.session.scalars(sections):
        for y in ([year] if year else [2025]):
            yield DueItem(key=f"uji-lkjip:{section.office_id}:{y}", office_id=section.office_id, year=y, label="LKjIP",
                          title=f"LKjIP {y}", due_date=date(y + 1, 3, 31), done=False, status="Belum diunggah",
                          endpoint="workflow.board", values={"year": y}, section_id=section.id)


@pytest.mark.parametrize("extra_capabilities", [(Capability("uji-lkjip", due_items=(_lkjip_items,)),)],
                         ids=["lkjip"])
def test_a_capability_adds_its_due_items_to_the_list_board_and_reminders(app, office, client_as, monkeypatch):
    monkeypatch.setattr(todo, "today", lambda: date(2026, 3, 29))
    html = client_as("sekretariat").get("/tugas").get_data(as_text=True)
    block = re.search(r'data-year="2025">(.*?)</section>', html, re.S).group(1)
    row = re.search(r'<a [^>]*data-testid="task-row" data-due="soon">(.*?)</a>', block, re.S)
    assert row and "LKjIP: LKjIP 2025" in row.group(1) and "2 hari lagi" in row.group(1)
    assert "Belum diunggah" in row.group(1)

    board = client_as("camat").get("/papan/2025").get_data(as_text=True)
    assert "LKjIP: LKjIP 2025" in board

    _run(app, "--today", "2026-03-24")
    _run(app, "--today", "2026-03-24")
    assert _reminders("sekretariat", about="LKjIP") == [
        "Pengingat: LKjIP «LKjIP 2025» jatuh tempo 31 Maret 2026 (7 hari lagi)."]
    assert _reminders("sekcam", about="LKjIP") == []  # before the date: the section only
    _run(app, "--today", "2026-04-01")
    assert len(_reminders("sekcam", about="LKjIP")) == 1  # late: the sekcam too


def test_the_registry_keeps_the_providers_in_capability_order(app):
    from iku_workflow.capability import registry

    assert decree_due_items in registry().due_items
