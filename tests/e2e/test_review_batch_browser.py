"""Review at volume in a real Chromium: the sekcam ticks "select all" on the queue filtered to complaints,
confirms "Setujui 60 data?" and the 60 rows Seksi Trantib submitted are approved in one step."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import browser_login, get_user, submit
from factories import complaint
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, WorkflowEntry
from iku_workflow.workflow import operations as wf

pytestmark = pytest.mark.browser


def test_the_sekcam_approves_60_submitted_complaints_in_one_action(page, office):
    trantib = get_user("trantib")
    rows = []
    for i in range(60):
        day = date(2025, 1, 2) + timedelta(days=i)
        rows.append(complaint(office, received=day, resolved=day + timedelta(days=1)))
    db.session.flush()
    for row in rows:
        wf.submit(row.entry, trantib)
    db.session.commit()
    ids = [row.entry_id for row in rows]

    browser_login(page, "sekcam")
    page.goto(page.base_url + "/tinjauan")
    page.select_option("select[name=kind]", "complaint")
    submit(page, "form[method=get] button[type=submit]")
    assert page.get_by_test_id("queue-count").inner_text() == "60"
    page.get_by_test_id("select-all").check()
    assert page.locator("[data-selected-count]").inner_text() == "60"
    assert page.locator("input[name=pilih]:checked").count() == 60
    asked: list[str] = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    submit(page, "[data-testid=batch-approve]")
    assert asked == ["Setujui 60 data?"]
    assert "60 disetujui." in page.content()
    assert page.url.endswith("/tinjauan?kind=complaint")  # back on the filtered queue, not on the register
    assert page.get_by_test_id("queue-count").inner_text() == "0"
    db.session.expire_all()
    states = db.session.scalars(sa.select(WorkflowEntry.state).where(WorkflowEntry.id.in_(ids))).all()
    assert len(states) == 60 and set(states) == {EntryState.APPROVED}
