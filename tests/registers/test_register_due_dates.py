"""Register reporting is due per triwulan (issue 14): a row's entry is due IKU_REGISTER_DUE_DAYS days after the end
of the triwulan it is reported in, follows an edit of that triwulan, and is what the reminders and the board read."""
from __future__ import annotations

from datetime import date

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.registers import operations as reg_ops


def test_each_register_is_due_after_its_triwulan(app, office):
    assert mk.complaint(office, date(2025, 2, 10)).entry.due_date == date(2025, 4, 10)
    assert mk.complaint(office, date(2025, 12, 1), status="diproses").entry.due_date == date(2026, 1, 10)
    assert mk.activity(office, tw=2, facilitated=False).entry.due_date == date(2025, 7, 10)
    assert mk.program(office).entry.due_date == date(2026, 1, 10)  # reported with the year
    assert mk.sakip(office).entry.due_date is None  # the LHE comes when the kabupaten evaluates


def test_moving_a_row_to_another_triwulan_moves_its_due_date(app, office):
    row = mk.activity(office, tw=1, facilitated=False)
    assert row.entry.due_date == date(2025, 4, 10)
    reg_ops.update_row(row, get_user("pmks"), planned_triwulan=3)
    db.session.commit()
    assert row.entry.due_date == date(2025, 10, 10)


def test_the_days_after_the_triwulan_are_a_setting(make_app, office):
    other = make_app(IKU_REGISTER_DUE_DAYS="5")
    with other.app_context():
        row = mk.complaint(office, date(2025, 5, 2), status="diproses")
        assert row.entry.due_date == date(2025, 7, 5)
        db.session.rollback()


def test_a_register_row_is_reminded_before_its_due_date(app, office):
    row = mk.complaint(office, date(2025, 2, 10), status="diproses")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--office", "gumukmas", "--today", "2025-04-03"])
    assert result.exit_code == 0 and "entri diingatkan" in result.output
    from iku_workflow.models import Notification

    messages = [n.message for n in db.session.query(Notification).filter_by(entry_id=row.entry_id)]
    assert any(m.startswith("Pengingat:") and "10 April 2025 (7 hari lagi)" in m for m in messages)
