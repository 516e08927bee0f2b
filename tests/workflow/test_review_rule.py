"""One workflow rule without exception: nobody approves their own submission, for every kind of entry.

An SKM result is submitted by closing its period, in the name of whoever closed it: an operator of the
section that runs the survey (or the admin) closes and the sekcam approves; when the sekcam closes, only
the Camat approves, and the Camat's review queue shows it."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import get_user
from factories import WORKED_EXAMPLE, add_rows, give_evidence, required
from iku_workflow.extensions import db
from iku_workflow.models import (EntryState, Notification, Role, SurveyPeriod, WorkflowAction, WorkflowEntry,
                                 WorkflowEvent)
from iku_workflow.survey.operations import SurveyError, close_period, open_period
from iku_workflow.workflow import operations as wf
from iku_workflow.workflow.views import review_count

pytestmark = pytest.mark.demo_without("survey")  # each test opens the SKM periods it needs

YEAR = 2025
A = WorkflowAction


@pytest.fixture
def period(office):
    """An open SKM period run by Seksi Pelayanan Umum, with the five respondents of RULES.md §1."""
    pelayanan = next(s for s in office.sections if s.code == "pelayanan")
    p = open_period(office.id, YEAR, "S1", user=get_user("sekcam"), section=pelayanan)
    add_rows(p, WORKED_EXAMPLE)
    db.session.commit()
    return p


def _history(entry) -> list[tuple[str, str | None]]:
    db.session.expire_all()
    events = db.session.scalars(sa.select(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id)
                                .order_by(WorkflowEvent.id)).all()
    return [(e.action.value, e.actor.username if e.actor else None) for e in events]


def _queue(client) -> str:
    return client.get("/tinjauan").get_data(as_text=True)


def test_sekcam_closes_then_cannot_approve_and_the_camat_does(period, client_as):
    sekcam = client_as("sekcam")
    assert sekcam.post(f"/skm/periode/{period.id}/tutup").status_code == 302
    entry = db.session.get(SurveyPeriod, period.id).entry
    assert entry.state is EntryState.SUBMITTED and entry.submitted_by.username == "sekcam"
    history = _history(entry)
    assert history[-1] == ("submit", "sekcam")

    page = sekcam.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert 'data-testid="do-approve"' not in page and 'data-testid="do-return"' not in page
    assert 'data-testid="awaits-camat"' in page
    assert f'data-entry="{entry.id}"' not in _queue(sekcam) and review_count(get_user("sekcam")) == 0
    # the POST anyway: refused with a message, nothing changes
    response = sekcam.post(f"/entri/{entry.id}/setujui", data={"version": entry.version, "note": ""},
                           follow_redirects=True)
    assert "Anda tidak dapat meninjau data yang Anda ajukan sendiri" in response.get_data(as_text=True)
    assert "ditinjau oleh Camat" in response.get_data(as_text=True)
    assert _history(entry) == history and db.session.get(WorkflowEntry, entry.id).state is EntryState.SUBMITTED
    with pytest.raises(wf.ForbiddenTransition, match="ajukan sendiri"):
        wf.return_for_revision(db.session.get(WorkflowEntry, entry.id), get_user("sekcam"), note="x")
    db.session.rollback()

    # the Camat is told, finds it in the review queue and approves it
    camat_user = get_user("camat")
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == camat_user.id, Notification.entry_id == entry.id)) == 1
    camat = client_as("camat")
    assert f'data-entry="{entry.id}"' in _queue(camat) and review_count(camat_user) == 1
    page = camat.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert 'data-testid="do-approve"' in page
    response = camat.post(f"/entri/{entry.id}/setujui", data={"version": entry.version, "note": ""})
    assert response.status_code == 302
    assert db.session.get(WorkflowEntry, entry.id).state is EntryState.APPROVED
    assert _history(entry)[-2:] == [("submit", "sekcam"), ("approve", "camat")]


def test_operator_closes_and_the_sekcam_approves(period, client_as):
    operator = client_as("pelayanan")
    page = operator.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert 'data-testid="close-period"' in page and 'data-testid="do-submit"' not in page
    assert operator.post(f"/skm/periode/{period.id}/tutup").status_code == 302
    entry = db.session.get(SurveyPeriod, period.id).entry
    assert entry.state is EntryState.SUBMITTED and entry.submitted_by.username == "pelayanan"

    assert f'data-entry="{entry.id}"' not in _queue(client_as("camat")) and review_count(get_user("camat")) == 0
    sekcam = client_as("sekcam")
    assert f'data-entry="{entry.id}"' in _queue(sekcam) and review_count(get_user("sekcam")) == 1
    assert sekcam.post(f"/entri/{entry.id}/setujui", data={"version": entry.version, "note": ""}).status_code == 302
    assert db.session.get(WorkflowEntry, entry.id).state is EntryState.APPROVED
    assert _history(entry)[-2:] == [("submit", "pelayanan"), ("approve", "sekcam")]


def test_only_the_running_section_closes_and_the_generic_submit_is_not_the_way(period, client_as):
    other = client_as("trantib")
    assert 'data-testid="close-period"' not in other.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert other.post(f"/skm/periode/{period.id}/tutup").status_code == 403
    with pytest.raises(SurveyError, match="operator seksi pelaksana"):
        close_period(period, get_user("trantib"))
    db.session.rollback()
    # "Ajukan" without closing would submit a result that was never computed: refused
    response = client_as("pelayanan").post(f"/entri/{period.entry.id}/ajukan",
                                           data={"version": period.entry.version}, follow_redirects=True)
    assert "diajukan dengan menutup periode" in response.get_data(as_text=True)
    assert db.session.get(SurveyPeriod, period.id).is_open


def test_admin_closes_and_the_sekcam_approves(period):
    close_period(period, get_user("admin"))
    wf.approve(period.entry, get_user("sekcam"))
    db.session.commit()
    assert _history(period.entry)[-2:] == [("submit", "admin"), ("approve", "sekcam")]


def test_a_period_without_a_section_is_closed_by_the_sekcam_for_the_camat(office, client_as):
    response = client_as("sekcam").post("/skm/periode/baru", data={
        "year": str(YEAR), "label": "S2", "services": "KTP-el", "weighting": "exact", "section": "0"})
    assert response.status_code == 302
    period = db.session.scalar(sa.select(SurveyPeriod))
    assert period.entry.section_id is None
    add_rows(period, WORKED_EXAMPLE)
    db.session.commit()
    with pytest.raises(SurveyError, match="operator seksi pelaksana"):
        close_period(period, get_user("pelayanan"))
    db.session.rollback()
    close_period(period, get_user("sekcam"))
    db.session.commit()
    with pytest.raises(wf.ForbiddenTransition, match="ajukan sendiri"):
        wf.approve(period.entry, get_user("sekcam"))
    db.session.rollback()
    wf.approve(period.entry, get_user("camat"))
    db.session.commit()
    assert period.entry.state is EntryState.APPROVED


def test_the_period_form_proposes_the_running_section(office, client_as):
    page = client_as("sekcam").get("/skm/periode/baru").get_data(as_text=True)
    select = page.split('name="section"')[1].split("</select>")[0]
    pelayanan = next(s for s in office.sections if s.code == "pelayanan")
    assert f'selected value="{pelayanan.id}"' in select or f'value="{pelayanan.id}" selected' in select


def test_a_result_an_older_version_submitted_as_the_system_goes_by_its_history(period):
    """Before this rule, closing left ``submitted_by`` empty: the history's submitter still may not approve."""
    close_period(period, get_user("sekcam"))
    db.session.commit()
    entry = period.entry
    entry.submitted_by_id = None  # as the old "system" submission stored it
    db.session.commit()
    db.session.expire_all()
    entry = db.session.get(WorkflowEntry, entry.id)
    assert entry.submitter.username == "sekcam"
    assert wf.allowed_actions(entry, get_user("sekcam")) == []
    with pytest.raises(wf.ForbiddenTransition, match="ajukan sendiri"):
        wf.approve(entry, get_user("sekcam"))
    db.session.rollback()
    assert A.APPROVE in wf.allowed_actions(db.session.get(WorkflowEntry, entry.id), get_user("camat"))


# ------------------------------------------------------------- every kind: the submitter never approves


def _submitted_entry(office, kind: str):
    """A submitted entry of ``kind`` and its submitter (the person its own workflow has submit it)."""
    if kind == "document":
        give_evidence(office)
        entry, user = required(office, "sop", YEAR).entry, get_user("pelayanan")
        wf.submit(entry, user)
    elif kind == "survey_result":
        pelayanan = next(s for s in office.sections if s.code == "pelayanan")
        period = open_period(office.id, YEAR, "S1", user=get_user("sekcam"), section=pelayanan)
        add_rows(period, WORKED_EXAMPLE)
        entry, user = period.entry, get_user("pelayanan")
        close_period(period, user)
    else:
        row = {"activity": lambda: mk.activity(office), "complaint": lambda: mk.complaint(office),
               "sakip": lambda: mk.sakip(office), "program": lambda: mk.program(office)}[kind]()
        entry, user = row.entry, row.entry.created_by
        wf.submit(entry, user)
    db.session.commit()
    assert entry.kind == kind and entry.submitted_by_id == user.id
    return entry, user


KINDS = ["document", "activity", "complaint", "sakip", "program", "survey_result"]


@pytest.mark.parametrize("reviewer_role", [Role.SEKCAM, Role.CAMAT], ids=lambda r: r.value)
@pytest.mark.parametrize("kind", KINDS)
def test_for_every_kind_the_submitter_cannot_approve(office, kind, reviewer_role):
    """Whatever the kind, and even when the submitter holds a reviewing role by the time of the review."""
    from iku_workflow.workflow import kinds

    assert set(KINDS) <= {k.code for k in kinds.all_kinds()}
    entry, submitter = _submitted_entry(office, kind)
    history = _history(entry)
    submitter.role, submitter.section_id = reviewer_role, None  # promoted while the entry waits
    db.session.commit()
    entry = db.session.get(WorkflowEntry, entry.id)
    assert not set(wf.allowed_actions(entry, submitter)) & {A.APPROVE, A.RETURN}
    for action in (A.APPROVE, A.RETURN):
        with pytest.raises(wf.ForbiddenTransition, match="ajukan sendiri"):
            wf.apply_action(entry, submitter, action, "ok", None)
        db.session.rollback()
    assert _history(entry) == history
    assert db.session.get(WorkflowEntry, entry.id).state is EntryState.SUBMITTED


@pytest.mark.parametrize("kind", KINDS)
def test_for_every_kind_the_sekcam_reviews_what_others_submit_and_the_camat_does_not(office, kind):
    entry, _submitter = _submitted_entry(office, kind)
    assert not set(wf.allowed_actions(entry, get_user("camat"))) & {A.APPROVE, A.RETURN}
    with pytest.raises(wf.ForbiddenTransition, match="ditinjau oleh Sekretaris Camat"):
        wf.approve(entry, get_user("camat"))
    db.session.rollback()
    entry = db.session.get(WorkflowEntry, entry.id)
    wf.approve(entry, get_user("sekcam"))
    db.session.commit()
    assert entry.state is EntryState.APPROVED and entry.decided_by_id != entry.submitted_by_id
