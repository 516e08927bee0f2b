"""Migration 0019 carries the evidence that existed into versions: the files an earlier edit kept
(audit "registers.evidence_kept", submitted, with their hash) first, the row's current file last; a row
never submitted has its file as an unsubmitted version 1. Runs on the session's kind of database."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask_migrate import upgrade

from conftest import PASSWORD, base_config, get_user
from iku_workflow import audit, create_app
from iku_workflow.extensions import db
from iku_workflow.models import Activity, EntryState, WorkflowAction, WorkflowEvent

BEFORE = "0018_review_batches"  # the revision before 0019_register_evidence_versions


def test_existing_and_kept_evidence_become_versions(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision=BEFORE)
        from iku_workflow.seed.demo import seed_demo
        from factories import activity

        office = seed_demo(PASSWORD, echo=lambda _m: None, without=["survey"])
        reviewed, draft, bare = activity(office, 1, evidence=False), activity(office, 2, evidence=False), \
            activity(office, 3, facilitated=False, evidence=False)
        reviewed.evidence_file, reviewed.evidence_filename, reviewed.evidence_mime = "b" * 32 + ".pdf", "B.pdf", \
            "application/pdf"
        draft.evidence_file, draft.evidence_filename, draft.evidence_mime = "c" * 32 + ".png", "foto.png", "image/png"
        sha_a = hashlib.sha256(b"A").hexdigest()
        # what issue 11's replacement left: the audit event naming the kept first file, and the submission
        audit.record("registers.evidence_kept", office_id=office.id, user=get_user("pmks"), obj=reviewed,
                     entry_id=reviewed.entry_id, key="evidence/" + "a" * 32 + ".pdf", sha256=sha_a,
                     filename="A.pdf", mime="application/pdf", reason="replaced", state="returned")
        db.session.add(WorkflowEvent(entry_id=reviewed.entry_id, office_id=office.id, actor_id=get_user("pmks").id,
                                     action=WorkflowAction.SUBMIT, from_state=EntryState.DRAFT,
                                     to_state=EntryState.SUBMITTED))
        db.session.commit()
        ids = reviewed.id, draft.id, bare.id
        db.session.remove()

        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT register, row_id, version, stored_name, filename, mime, sha256, submitted "
                "FROM register_evidence_files ORDER BY row_id, version")).all()
        assert [tuple(r) for r in rows] == [
            ("kegiatan", ids[0], 1, "a" * 32 + ".pdf", "A.pdf", "application/pdf", sha_a, True),
            ("kegiatan", ids[0], 2, "b" * 32 + ".pdf", "B.pdf", "application/pdf", None, True),
            ("kegiatan", ids[1], 1, "c" * 32 + ".png", "foto.png", "image/png", None, False),
        ]
        assert db.session.get(Activity, ids[2]).evidence_file is None
        db.session.remove()
        db.engine.dispose()
