import pytest

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, Notification, WorkflowEvent
from iku_workflow.workflow import operations as ops


def _entry(office, section_code="trantib"):
    section = next(s for s in office.sections if s.code == section_code)
    entry = ops.create_entry(office_id=office.id, kind="test", title="Uji", year=2025, user=None, section_id=section.id)
    db.session.commit()
    return entry


def test_submit_return_resubmit_approve(app, office):
    entry = _entry(office)
    trantib, sekcam = get_user("trantib"), get_user("sekcam")
    ops.submit(entry, trantib)
    with pytest.raises(ops.WorkflowError):
        ops.return_for_revision(entry, sekcam, note="  ")
    ops.return_for_revision(entry, sekcam, note="Lampirkan foto")
    assert entry.state is EntryState.RETURNED and entry.last_note == "Lampirkan foto"
    ops.submit(entry, trantib)
    ops.approve(entry, sekcam)
    db.session.commit()
    assert entry.state is EntryState.APPROVED and entry.decided_by_id == sekcam.id
    actions = [e.action.value for e in db.session.query(WorkflowEvent).filter_by(entry_id=entry.id).order_by(WorkflowEvent.id)]
    assert actions == ["create", "submit", "return", "submit", "approve"]
    assert db.session.query(Notification).filter_by(user_id=trantib.id).count() == 2


def test_other_section_cannot_submit(app, office):
    entry = _entry(office, "trantib")
    with pytest.raises(ops.ForbiddenTransition):
        ops.submit(entry, get_user("pmks"))


def test_stale_version_is_refused(app, office):
    entry = _entry(office)
    ops.submit(entry, get_user("trantib"))
    db.session.commit()
    seen = entry.version
    ops.approve(entry, get_user("sekcam"), expected_version=seen)
    db.session.commit()
    with pytest.raises(ops.ConflictError):
        ops.reopen(entry, get_user("sekcam"), reason="salah", expected_version=seen)


def test_unread_notifications_are_marked_in_words_until_read(client_as, office):
    entry = _entry(office)
    ops.submit(entry, get_user("trantib"))
    ops.return_for_revision(entry, get_user("sekcam"), note="Lampirkan foto")
    db.session.commit()
    trantib = client_as("trantib")
    page = trantib.get("/notifikasi").get_data(as_text=True)
    assert page.count('data-unread="true"') == 1 and ">Baru</span>" in page
    assert trantib.post("/notifikasi").status_code == 302  # "mark all read"
    page = trantib.get("/notifikasi").get_data(as_text=True)
    assert 'data-unread="true"' not in page and ">Baru</span>" not in page and 'data-unread="false"' in page


def test_review_buttons_say_the_action_not_the_state(client_as, office):
    import re

    entry = _entry(office)
    ops.submit(entry, get_user("trantib"))
    db.session.commit()
    page = client_as("sekcam").get(f"/entri/{entry.id}").get_data(as_text=True)
    buttons = dict(re.findall(r'data-testid="do-(\w+)">([^<]+)</button>', page))
    assert buttons == {"approve": "Setujui", "return": "Kembalikan"}
