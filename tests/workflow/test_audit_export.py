"""Issue 11: the audit log exported from the audit page (CSV and JSON), scoped like the page, and an
exported chain verifiable from the file alone with the app's own hash function."""
from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from iku_workflow import audit
from iku_workflow.audit_export import COLUMNS, record_digest, verify_export
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent
from iku_workflow.models.audit import GENESIS_HASH


def _office_events(office_id):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.office_id == office_id)
                              .order_by(AuditEvent.seq)).all()


def test_json_export_holds_the_whole_chain_and_verifies(client_as, office, other_office):
    audit.record("test.event", office_id=office.id, username="tester", note="ü — ünïcode", amount="12.50",
                 nested={"b": [1, 2], "a": None})
    audit.record("test.event", office_id=other_office.id, username="elsewhere")
    db.session.commit()
    sekcam = client_as("sekcam")
    response = sekcam.get("/audit/ekspor.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["office"] == office.code and data["filters"] == {}
    events = data["events"]
    stored = _office_events(office.id)
    # every event of the office (the export's own sign-in included), none of the other office
    assert [e["id"] for e in events] == [e.id for e in stored]
    assert {e["office"] for e in events} == {office.code}
    assert all(e["username"] != "elsewhere" for e in events)
    assert list(events[0]) == list(COLUMNS)
    assert events[0]["seq"] == 1 and events[0]["prev_hash"] == GENESIS_HASH
    # the export itself is recorded, as the chain's last event
    assert (events[-1]["action"], events[-1]["username"], events[-1]["details"]) == ("audit.export", "sekcam", {"format": "json"})

    # recomputed from the exported fields alone: each hash and each link
    for record in events:
        assert record_digest(record) == record["hash"]
    for before, after in zip(events, events[1:]):
        assert after["prev_hash"] == before["hash"] and after["seq"] == before["seq"] + 1
    assert verify_export(events) == (len(events), None)

    # a changed field in the file is found
    tampered = [dict(e) for e in events]
    tampered[1]["username"] = "someone-else"
    count, problem = verify_export(tampered)
    assert count == 2 and "hash does not match" in problem


def test_filtered_export_keeps_the_filter_and_each_hash(client_as, office):
    audit.record("test.event", office_id=office.id, username="tester", n=1)
    audit.record("other.event", office_id=office.id, username="tester", n=2)
    db.session.commit()
    data = client_as("sekcam").get("/audit/ekspor.json?action=test.").get_json()
    assert data["filters"] == {"action": "test."}
    assert [e["action"] for e in data["events"]] == ["test.event"]
    export = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.export")).one()
    assert export.details == {"format": "json", "filters": {"action": "test."}}
    assert verify_export(data["events"], whole_chain=False) == (1, None)


def test_csv_export_has_the_chain_columns_and_neutralises_formulas(client_as, office):
    audit.record("test.event", office_id=office.id, username='=HYPERLINK("http://x")',
                 note='=cmd|" /C calc"!A0')
    db.session.commit()
    response = client_as("admin").get("/audit/ekspor.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS)
    event = next(r for r in rows if r["action"] == "test.event")
    assert event["username"] == "'=HYPERLINK(\"http://x\")"
    assert json.loads(event["details"]) == {"note": '=cmd|" /C calc"!A0'}  # JSON text starts with "{"
    stored = db.session.get(AuditEvent, int(event["id"]))
    assert event["hash"] == stored.hash and event["prev_hash"] == stored.prev_hash
    assert event["seq"] == str(stored.seq)
    for row in rows:
        assert not row["username"].startswith(("=", "+", "-", "@"))


def test_export_needs_the_audit_right(client_as, office):
    assert client_as("pmks").get("/audit/ekspor.json").status_code == 403
    assert client_as("pmks").get("/audit/ekspor.csv").status_code == 403
    assert client_as("sekcam").get("/audit/ekspor.xml").status_code == 404


def test_audit_page_links_both_exports_with_its_filter(client_as, office):
    html = client_as("sekcam").get("/audit?action=login").get_data(as_text=True)
    assert 'href="/audit/ekspor.csv?action=login"' in html
    assert 'href="/audit/ekspor.json?action=login"' in html
    assert "Unduh CSV" in html and "Unduh JSON" in html
