"""The audit log page says an event's details in words (states, kinds, yes/no, sizes), in the page's language;
the exports keep the keys and values as stored."""
from __future__ import annotations

import re

from conftest import get_user
from factories import complaint
from iku_workflow.extensions import db
from iku_workflow.labels import audit_details
from iku_workflow.workflow import operations as wf


def _details_of(html: str, action: str) -> str:
    row = html[html.index(f'data-action="{action}"'):]
    return row[:row.index("</tr>")]


def test_a_batch_approval_reads_in_words(app, client_as, office):
    entry = complaint(office).entry
    db.session.flush()
    with app.test_request_context():
        wf.submit(entry, get_user("trantib"))
        db.session.commit()
        wf.review_many(get_user("sekcam"), wf.A.APPROVE, {entry.id: entry.version}, note="Lengkap")
        db.session.commit()
    html = client_as("admin").get("/audit?action=workflow.approve").get_data(as_text=True)
    row = _details_of(html, "workflow.approve")
    assert 'title="from_state">Dari status:</span> Diajukan' in row
    assert 'title="to_state">Ke status:</span> Disetujui' in row
    assert 'title="kind">Jenis data:</span> Pengaduan trantib' in row
    assert 'title="batch">Sekaligus:</span> Ya' in row
    assert "submitted" not in re.sub(r'title="[^"]*"|data-key="[^"]*"', "", row)
    export = client_as("admin").get("/audit/ekspor.csv?action=workflow.approve").get_data(as_text=True)
    assert "submitted" in export and "Dari status" not in export  # the export keeps what is stored
    admin = get_user("admin")
    admin.locale = "en"
    db.session.commit()
    row = _details_of(client_as("admin").get("/audit?action=workflow.approve").get_data(as_text=True), "workflow.approve")
    assert 'title="from_state">From state:</span> Submitted' in row and 'title="batch">In one step:</span> Yes' in row


def test_unknown_values_stay_and_long_ones_are_cut(app, office):
    with app.test_request_context():
        words = {key: text for key, _label, text in audit_details(
            {"to_state": "returned", "batch": False, "size": 12_600, "rows": list(range(200)), "unknown": "x",
             "kind": "no-such-kind", "from_state": "bogus"})}
    assert words["batch"] == "Tidak" and words["unknown"] == "x" and words["size"] == "12,3 KB"
    assert words["to_state"] == "Dikembalikan"
    assert words["kind"] == "no-such-kind" and words["from_state"] == "bogus"
    assert len(words["rows"]) == 240 and words["rows"].endswith("…")
    assert audit_details(None) == [] and audit_details("text") == []
