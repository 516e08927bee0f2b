"""`iku-workflow reminders send` with a fixed clock (issue 14): N days before a due date and once it has passed,
once per entry and threshold however often it runs, to the section's operators (and the sekcam when overdue),
in-app and by e-mail when SMTP is set."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, Notification, ReminderSent, User
from iku_workflow.workflow import operations as wf
from iku_workflow.workflow.reminders import days_before, send_reminders, threshold_reached

DUE = date(2025, 3, 31)


@pytest.mark.parametrize("today,expected", [
    (date(2025, 3, 23), None),  # 8 days ahead: nothing yet
    (date(2025, 3, 24), "before-7"),
    (date(2025, 3, 29), "before-7"),
    (date(2025, 3, 30), "before-1"),
    (date(2025, 3, 31), "before-1"),  # the day itself: "hari ini"
    (date(2025, 4, 1), "overdue"),
    (date(2025, 6, 1), "overdue"),
])
def test_the_threshold_reached_on_a_day(today, expected):
    assert threshold_reached(DUE, today, (7, 1)) == expected


def test_the_days_before_read_from_the_setting(app):
    assert days_before("7,1") == (7, 1)
    assert days_before("1; 14 ,3") == (14, 3, 1)
    assert days_before("x, -2, 9999") == (7, 1)  # nothing usable: the default
    assert days_before("") == (7, 1)


def _complaint_due(office, due: date):
    row = mk.complaint(office, date(2025, 3, 1), status="diproses")
    row.entry.due_date = due
    db.session.commit()
    return row


def _mine(username: str, entry_id: int) -> list[str]:
    """The reminders (not the workflow's own notifications) the user got about the entry."""
    user = get_user(username)
    return [m for m in db.session.scalars(sa.select(Notification.message).where(
        Notification.user_id == user.id, Notification.entry_id == entry_id).order_by(Notification.id))
        if m.startswith(("Pengingat:", "Terlambat:"))]


def _run(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["reminders", "send", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def test_running_twice_sends_once(app, office):
    row = _complaint_due(office, DUE)
    first = _run(app, "--office", "gumukmas", "--today", "2025-03-24")
    assert "notifikasi" in first
    assert _mine("trantib", row.entry_id) == [
        f"Pengingat: {_label(row)} «{row.entry.title}» jatuh tempo 31 Maret 2025 (7 hari lagi)."]
    _run(app, "--office", "gumukmas", "--today", "2025-03-24")
    _run(app, "--office", "gumukmas", "--today", "2025-03-27")  # still the same threshold
    assert len(_mine("trantib", row.entry_id)) == 1
    assert db.session.scalar(sa.select(sa.func.count(ReminderSent.id)).where(ReminderSent.entry_id == row.entry_id)) == 1


def _label(row) -> str:
    from flask_babel import force_locale

    from iku_workflow.workflow import kinds

    with force_locale("id"):
        return str(kinds.label_of(row.entry))


def test_each_threshold_once_and_overdue_also_reaches_the_sekcam(app, office):
    row = _complaint_due(office, DUE)
    for day in ("2025-03-24", "2025-03-31", "2025-04-01", "2025-04-02", "2025-04-15"):
        _run(app, "--today", day)
    trantib = _mine("trantib", row.entry_id)
    assert len(trantib) == 3
    assert "(hari ini)" in trantib[1]
    assert trantib[2].startswith("Terlambat:") and "lewat tenggat 31 Maret 2025 (1 hari)" in trantib[2]
    sekcam = _mine("sekcam", row.entry_id)
    assert len(sekcam) == 1 and sekcam[0] == trantib[2]
    assert _mine("pmks", row.entry_id) == []  # another section hears nothing


def test_a_missed_week_sends_only_the_most_urgent(app, office):
    row = _complaint_due(office, DUE)
    _run(app, "--today", "2025-03-31")
    assert [m.split(":")[0] for m in _mine("trantib", row.entry_id)] == ["Pengingat"]
    assert "(hari ini)" in _mine("trantib", row.entry_id)[0]


def test_submitted_and_approved_entries_are_not_reminded(app, office):
    submitted = _complaint_due(office, DUE)
    wf.submit(submitted.entry, get_user("trantib"))
    approved = _complaint_due(office, DUE)
    mk.approve(approved)
    db.session.commit()
    _run(app, "--today", "2025-04-05")
    assert _mine("trantib", submitted.entry_id) == [] and _mine("trantib", approved.entry_id) == []
    # returned to the section: it is theirs again
    wf.return_for_revision(db.session.get(type(submitted.entry), submitted.entry_id), get_user("sekcam"), note="Lengkapi")
    db.session.commit()
    _run(app, "--today", "2025-04-05")
    assert len(_mine("trantib", submitted.entry_id)) == 1


def test_a_moved_due_date_is_reminded_afresh(app, office):
    row = _complaint_due(office, DUE)
    _run(app, "--today", "2025-03-30")
    row.entry.due_date = DUE + timedelta(days=14)
    db.session.commit()
    _run(app, "--today", "2025-04-07")
    messages = _mine("trantib", row.entry_id)
    assert len(messages) == 2 and "14 April 2025 (7 hari lagi)" in messages[1]


def test_an_unknown_office_or_date_is_refused(app, office):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["reminders", "send", "--office", "tidakada"])
    assert bad.exit_code == 1 and "tidak ditemukan" in bad.output
    bad = runner.invoke(args=["reminders", "send", "--today", "31-03-2025"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


def test_reminders_are_mailed_when_smtp_is_set(make_app, office, monkeypatch):
    import smtplib

    from tests_reminders_smtp import Recorder

    monkeypatch.setattr(smtplib, "SMTP", Recorder)
    Recorder.sent = []
    mail_app = make_app(SMTP_HOST="smtp.jemberkab.test")
    with mail_app.app_context():
        get_user("trantib").email = "trantib@gumukmas.test"
        db.session.commit()
        row = _complaint_due(office, DUE)
        result = send_reminders(date(2025, 3, 24))
        assert Recorder.sent == []  # not before the commit
        db.session.commit()
        assert result.mails >= 1
        assert [to for to, _s, _b in Recorder.sent] == ["trantib@gumukmas.test"]
        assert row.entry.title in Recorder.sent[0][2]
        db.session.remove()


def test_no_operator_in_the_section_reminds_the_sekcam(app, office):
    row = _complaint_due(office, DUE)
    for user in db.session.scalars(sa.select(User).where(User.section_id == row.entry.section_id)):
        user.active = False
    db.session.commit()
    send_reminders(date(2025, 3, 24))
    db.session.commit()
    assert len(_mine("sekcam", row.entry_id)) == 1
    assert row.entry.state is EntryState.DRAFT


def test_a_reminder_reads_in_the_reader_s_language(app, office, client_as):
    """Stored (and mailed) in Indonesian; shown on the notifications page in the language the reader chose."""
    row = _complaint_due(office, DUE)
    for day in ("2025-03-24", "2025-04-02"):
        _run(app, "--today", day)
    trantib = get_user("trantib")
    trantib.locale = "en"
    db.session.commit()
    page = client_as("trantib").get("/notifikasi").get_data(as_text=True)
    assert f"Reminder: Public order complaints (IKU 4) «{row.entry.title}» is due 31 March 2025 (in 7 days)." in page
    assert f"Overdue: Public order complaints (IKU 4) «{row.entry.title}» passed its deadline of 31 March 2025 (2 days late)." in page
    assert "jatuh tempo" not in page and "lewat tenggat" not in page
    stored = _mine("trantib", row.entry_id)
    assert stored[0].endswith("jatuh tempo 31 Maret 2025 (7 hari lagi).")
    trantib.locale = "id"
    db.session.commit()
    page = client_as("trantib").get("/notifikasi").get_data(as_text=True)
    assert stored[0] in page and stored[1] in page


def test_one_day_is_said_in_the_singular_in_english(app, office):
    from flask_babel import force_locale

    from iku_workflow.workflow.notify import reminder_text

    params = {"kinds": ["complaint"], "title": "Pengaduan pasar", "due": "2025-03-31", "days": 1}
    with app.test_request_context(), force_locale("en"):
        assert reminder_text("reminder_due", params).endswith("due 31 March 2025 (in 1 day).")
        assert reminder_text("reminder_overdue", params).endswith("31 March 2025 (1 day late).")
    with app.test_request_context(), force_locale("id"):
        assert reminder_text("reminder_due", params).endswith("jatuh tempo 31 Maret 2025 (1 hari lagi).")
        assert reminder_text("reminder_overdue", params).endswith("lewat tenggat 31 Maret 2025 (1 hari).")
