"""The audit log page says each action in words (and keeps its code for filtering)."""
from __future__ import annotations

import re
from pathlib import Path

import iku_workflow
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.labels import AUDIT_ACTIONS
from iku_workflow.models import WorkflowAction

PACKAGE = Path(iku_workflow.__file__).resolve().parent


def _recorded_codes() -> set[str]:
    """Every action code the source passes to audit.record (a literal first argument)."""
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'audit\.record\(\s*"([a-z_.]+)"', text))
    return codes


def test_every_recorded_action_has_words():
    codes = _recorded_codes() | {f"workflow.{a.value}" for a in WorkflowAction}
    assert len(codes) > 30  # the scan found the calls
    assert sorted(codes - set(AUDIT_ACTIONS)) == []


def test_audit_page_shows_the_action_in_the_page_language(client_as, office):
    sekcam = client_as("sekcam")  # signing in writes login.success
    html = sekcam.get("/audit?action=login.success").get_data(as_text=True)
    assert re.search(r'data-action="login.success">Masuk<br><code[^>]*>login.success</code>', html)

    user = get_user("sekcam")
    user.locale = "en"
    db.session.commit()
    html = client_as("sekcam").get("/audit?action=login.success").get_data(as_text=True)
    assert re.search(r'data-action="login.success">Signed in<br>', html)
