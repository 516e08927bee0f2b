"""The ``office`` fixture seeds the demo once per worker and copies its rows into later tests (conftest.py):
the copy must be the seed, row for row, and the database must go on as after a seed (new ids, the audit chain)."""
from __future__ import annotations

import sqlalchemy as sa

import conftest
from conftest import PASSWORD
from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import Office, Section
from iku_workflow.seed.demo import seed_demo


def _comparable(rows):
    """Rows without what differs between two seeds by nature: times, random salts, tokens and codes, and the
    audit hashes (which cover the times)."""
    skip = {"password_hash", "session_token", "hash", "prev_hash"}
    random_codes = {"survey_periods": {"code"}}
    out = {}
    for table, values in rows:
        cols = [c.name for c in table.c if c.name not in skip | random_codes.get(table.name, set()) and not isinstance(c.type, sa.DateTime)
                and "DateTime" not in type(c.type).__name__]
        out[table.name] = sorted((tuple(repr(v[c]) for c in cols) for v in values))
    return out


def _copy_again(app) -> Office:
    """Empty the tables and copy the demo's rows in again, as the ``office`` fixture does after its first seed."""
    key = next(k for k in conftest._DEMO_ROWS if k[0] == ())
    db.session.remove()  # this test's session (_empty_tables clears the one of its own app context)
    conftest._empty_tables(app)
    conftest._restore_rows(conftest._DEMO_ROWS[key])
    return db.session.scalar(sa.select(Office).where(Office.code == "gumukmas"))


def test_the_copied_demo_is_the_seeded_demo(app, office):
    _copy_again(app)
    copied = conftest._table_rows()
    db.session.remove()
    conftest._empty_tables(app)
    seed_demo(PASSWORD, echo=lambda _m: None)
    db.session.commit()
    assert _comparable(conftest._table_rows()) == _comparable(copied)


def test_after_a_copy_new_rows_get_new_ids_and_the_chain_holds(app, office):
    office = _copy_again(app)
    section = Section(office_id=office.id, code="baru", name="Seksi Baru", short_name="Baru")
    db.session.add(section)
    db.session.flush()
    assert section.id > max(s.id for s in office.sections if s is not section)
    audit.record("test.copy", office_id=office.id, user=None, obj=section)
    db.session.commit()
    assert audit.verify_chain(office.id, all_offices=False)[1] is None
