"""Migration 0020_desa: each office's desa list from the free text its rows held, one spelling per village."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from conftest import base_config
from iku_workflow import create_app
from iku_workflow.domain.desa import canonical_names, clean_name, name_key
from iku_workflow.extensions import db
from iku_workflow.models._types import utcnow


def _table(name, *columns):
    return sa.table(name, *(sa.column(c) for c in columns))


def _office(conn, kabupaten_id, code):
    offices = _table("offices", "code", "name", "kabupaten_id", "address", "telephone", "email", "postal_code", "city",
                     "camat_name", "camat_pangkat", "signatory_acting", "paper_size", "show_kabupaten_line", "created_at")
    return conn.execute(offices.insert().values(
        code=code, name=code.title(), kabupaten_id=kabupaten_id, address="", telephone="", email="", postal_code="",
        city="", camat_name="", camat_pangkat="", signatory_acting="", paper_size="F4", show_kabupaten_line=True,
        created_at=utcnow()).returning(sa.column("id"))).scalar_one()


def _entry(conn, office_id, kind):
    entries = _table("workflow_entries", "office_id", "kind", "title", "year", "state", "version", "created_at",
                     "updated_at")
    return conn.execute(entries.insert().values(office_id=office_id, kind=kind, title="x", year=2025, state="draft",
                                                version=1, created_at=utcnow(), updated_at=utcnow())
                        .returning(sa.column("id"))).scalar_one()


def _complaint(conn, office_id, desa):
    complaints = _table("complaints", "office_id", "entry_id", "year", "received_on", "channel", "desa", "summary",
                        "status", "resolution", "evidence_note", "created_at")
    return conn.execute(complaints.insert().values(
        office_id=office_id, entry_id=_entry(conn, office_id, "complaint"), year=2025, received_on=date(2025, 3, 1),
        channel="surat", desa=desa, summary="Aduan", status="masuk", resolution="", evidence_note="",
        created_at=utcnow()).returning(sa.column("id"))).scalar_one()


def _activity(conn, office_id, desa):
    activities = _table("activities", "office_id", "entry_id", "year", "name", "kind", "planned_triwulan", "desa",
                        "facilitated", "evidence_note", "created_at")
    return conn.execute(activities.insert().values(
        office_id=office_id, entry_id=_entry(conn, office_id, "activity"), year=2025, name="Kegiatan",
        kind="pelatihan", planned_triwulan=1, desa=desa, facilitated=False, evidence_note="",
        created_at=utcnow()).returning(sa.column("id"))).scalar_one()


def test_the_rules_trim_and_case_fold():
    assert clean_name("  Kepanjen   Lor ") == "Kepanjen Lor"
    assert name_key(" KEPANJEN ") == name_key("kepanjen") == "kepanjen"
    assert canonical_names(["kepanjen ", "Kepanjen", " Kepanjen", "", None, "Menampu"]) == {
        "kepanjen": "Kepanjen", "menampu": "Menampu"}
    # a tie goes to the spelling sorting first (capitals first)
    assert canonical_names(["kepanjen", "Kepanjen"]) == {"kepanjen": "Kepanjen"}


def test_the_migration_makes_one_desa_of_each_spelling_and_points_the_rows_at_it(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0016_standard_decree_texts")
        kabupaten = _table("kabupaten", "code", "name", "created_at")
        with db.engine.begin() as conn:
            kab = conn.execute(kabupaten.insert().values(code="jember", name="Jember", created_at=utcnow())
                               .returning(sa.column("id"))).scalar_one()
            one, two = _office(conn, kab, "satu"), _office(conn, kab, "dua")
            rows = {
                "c1": _complaint(conn, one, "Kepanjen"),
                "c2": _complaint(conn, one, "kepanjen "),
                "c3": _complaint(conn, one, " KEPANJEN"),
                "c4": _complaint(conn, one, ""),
                "a1": _activity(conn, one, "Kepanjen"),  # "Kepanjen" twice, "kepanjen" once: "Kepanjen" names it
                "a2": _activity(conn, one, "Menampu  Lor"),
                "o1": _complaint(conn, two, "kepanjen"),  # another office: a desa of its own
            }
        db.session.remove()
        upgrade(revision="0020_desa")
        with db.engine.connect() as conn:
            desa = conn.execute(sa.text("SELECT office_id, name, name_key, position, active FROM desa "
                                        "ORDER BY office_id, position")).all()
            complaints = dict(conn.execute(sa.text("SELECT id, desa FROM complaints")).all())
            activities = dict(conn.execute(sa.text("SELECT id, desa FROM activities")).all())
        assert [(d[0], d[1], d[2], d[3], bool(d[4])) for d in desa] == [
            (one, "Kepanjen", "kepanjen", 1, True), (one, "Menampu Lor", "menampu lor", 2, True),
            (two, "kepanjen", "kepanjen", 1, True)]
        assert [complaints[rows[k]] for k in ("c1", "c2", "c3", "c4", "o1")] == [
            "Kepanjen", "Kepanjen", "Kepanjen", "", "kepanjen"]
        assert [activities[rows[k]] for k in ("a1", "a2")] == ["Kepanjen", "Menampu Lor"]
        # one name per office after normalisation: the database refuses a second spelling
        with pytest.raises(sa.exc.IntegrityError):
            with db.engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO desa (office_id, name, name_key, position, active, created_at) "
                                     "VALUES (:o, 'KEPANJEN', 'kepanjen', 9, true, CURRENT_TIMESTAMP)"), {"o": one})
        downgrade(revision="0016_standard_decree_texts")
        with db.engine.connect() as conn:
            assert "desa" not in sa.inspect(conn).get_table_names()
        db.engine.dispose()
