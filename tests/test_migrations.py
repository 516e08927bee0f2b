"""The Alembic history builds exactly the models' schema, on SQLite and PostgreSQL, and unwinds to nothing.

Generic on purpose: it follows whatever revisions exist, so it keeps holding as capabilities add theirs.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from conftest import PG_URL, base_config
from iku_workflow import create_app
from iku_workflow.extensions import db


def schema_diffs(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
    return compare_metadata(context, db.metadata)


def check_round_trip(url: str, tmp_path) -> None:
    app = create_app(base_config(url, tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = schema_diffs(conn)
            tables = set(sa.inspect(conn).get_table_names())
        assert diffs == [], f"the migrations differ from the models: {diffs}"
        assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}

        upgrade()  # a second run is a no-op
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0

        upgrade()  # and up again from base
        with db.engine.connect() as conn:
            assert schema_diffs(conn) == []
        db.engine.dispose()


def test_sqlite_upgrade_matches_models_and_downgrades_to_base(tmp_path):
    check_round_trip("sqlite:///" + str(tmp_path / "migrate.sqlite3"), tmp_path)


def test_postgresql_upgrade_matches_models_and_downgrades_to_base(tmp_path):
    if not PG_URL:
        # The SQLite pass of .ci/run skips it; the PostgreSQL pass sets the URL and must reach the
        # server (the session's database fixture fails in CI when it cannot).
        pytest.skip("PostgreSQL migration check runs in the PostgreSQL pass (IKU_TEST_DATABASE_URL)")
    base = sa.make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"iku_migrate_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        check_round_trip(base.set(database=name).render_as_string(hide_password=False), tmp_path)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_every_revision_has_a_downgrade_and_one_head(app):
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, "the revisions must form one line (re-chain after merging)"
    for revision in script.walk_revisions():
        assert callable(getattr(revision.module, "downgrade", None)), revision.revision



def test_constraint_and_index_names_are_unique(app):
    """PostgreSQL refuses two constraints of one name on a table and two indexes of one name in a
    schema; SQLite accepts both. Render the PostgreSQL DDL here so the SQLite run catches it too."""
    import re

    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = postgresql.dialect()
    index_names: list[str] = []
    for table in db.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        names = re.findall(r"CONSTRAINT (\S+)", ddl)
        assert len(names) == len(set(names)), f"{table.name}: duplicate constraint names {sorted(names)}"
        for index in table.indexes:
            index_names += re.findall(r"CREATE (?:UNIQUE )?INDEX (\S+)", str(CreateIndex(index).compile(dialect=dialect)))
    assert len(index_names) == len(set(index_names)), f"duplicate index names {sorted(index_names)}"
