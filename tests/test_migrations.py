"""The Alembic history builds exactly the models' schema, on SQLite and PostgreSQL, and unwinds to nothing.

Generic on purpose: it follows whatever revisions exist, so it keeps holding as capabilities add theirs.
Alembic's comparison sees tables, columns, indexes and keys but not CHECK constraints or triggers, so
those are compared too: a database built by `db upgrade` against one built by ``create_all`` from the
models, as each engine stores them. Revisions are history: none imports the application.
"""
from __future__ import annotations

import ast
import sys
import hashlib
import os
import shutil
import uuid
from pathlib import Path

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


VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def stored_objects(connection) -> dict:
    """What alembic's comparison leaves out, as the database stores it: the CHECK constraints of every
    table (name and SQL text), the triggers and, on PostgreSQL, the trigger functions."""
    inspector = sa.inspect(connection)
    found: dict = {f"checks of {table}": sorted((c["name"], c["sqltext"]) for c in inspector.get_check_constraints(table))
                   for table in inspector.get_table_names() if table != "alembic_version"}
    if connection.dialect.name == "sqlite":
        found["triggers"] = sorted(tuple(r) for r in connection.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")))
    else:
        found["triggers"] = sorted(tuple(r) for r in connection.execute(
            sa.text("SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal")))
        found["functions"] = sorted(tuple(r) for r in connection.execute(sa.text(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")))
    return found


def models_objects(url: str, tmp_path) -> dict:
    """`stored_objects` of a database built from the models by create_all (tests, ``db create``)."""
    app = create_app(base_config(url, tmp_path))
    with app.app_context():
        db.create_all()
        with db.engine.connect() as conn:
            found = stored_objects(conn)
        db.engine.dispose()
    return found


def check_round_trip(url: str, tmp_path, models_url: str) -> None:
    expected = models_objects(models_url, tmp_path)
    assert any(name for name, _ in expected["triggers"]) and len(expected) > 10  # the comparison sees something
    app = create_app(base_config(url, tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = schema_diffs(conn)
            tables = set(sa.inspect(conn).get_table_names())
            objects = stored_objects(conn)
        assert diffs == [], f"the migrations differ from the models: {diffs}"
        assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
        differing = {k: (objects.get(k), expected.get(k)) for k in objects.keys() | expected.keys()
                     if objects.get(k) != expected.get(k)}
        assert differing == {}, f"CHECK constraints or triggers of `db upgrade` differ from the models': {differing}"

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
    check_round_trip("sqlite:///" + str(tmp_path / "migrate.sqlite3"), tmp_path,
                     "sqlite:///" + str(tmp_path / "models.sqlite3"))


def test_postgresql_upgrade_matches_models_and_downgrades_to_base(tmp_path):
    if not PG_URL:
        # The SQLite pass of .ci/run skips it; the PostgreSQL pass sets the URL and must reach the
        # server (the session's database fixture fails in CI when it cannot).
        pytest.skip("PostgreSQL migration check runs in the PostgreSQL pass (IKU_TEST_DATABASE_URL)")
    base = sa.make_url(PG_URL).set(drivername="postgresql+psycopg")
    names = [f"iku_migrate_{os.getpid()}_{uuid.uuid4().hex[:8]}" for _ in ("upgrade", "models")]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        migrated, models = (base.set(database=name).render_as_string(hide_password=False) for name in names)
        check_round_trip(migrated, tmp_path, models)
    finally:
        with admin.connect() as conn:
            for name in names:
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


def test_no_revision_imports_the_application():
    """A revision is history: importing app code (types, trigger SQL) lets an edit of the app rewrite it."""
    revisions = sorted(VERSIONS.glob("*.py"))
    assert len(revisions) >= 7
    for path in revisions:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert not [m for m in imported if m.split(".")[0] == "iku_workflow"], f"{path.name} imports the app"
        assert "iku_workflow" not in used, f"{path.name} uses the app"
        # the standard library may serve (0009 hashes the files it moves); nothing else but alembic and sqlalchemy
        allowed = {"alembic", "sqlalchemy", *sys.stdlib_module_names}
        assert not any(m.split(".")[0] not in allowed for m in imported), \
            f"{path.name}: a revision imports only alembic, sqlalchemy and the standard library, not {imported}"


#: SHA-256 of the DDL 0007 ran when it was written (rendered then by iku_workflow.models.survey_totals):
#: the statements joined by newlines per engine, and the backfill.
FROZEN_0007 = {
    "sqlite": "9deb0969b509e2c18319f5567d58ead52371ba4ab2cf78ef4e5371516e4331df",
    "postgresql": "7a120e6915e75e6d591b1fefeca342ace5092f6f7043d910f662a80adfcc844f",
    "backfill": "ae8445e83e9ff1c056b8f85923057323dda76c72b8dcc9f58d6c3434f7363d7c",
}


def test_revision_0007_runs_the_ddl_it_was_written_with():
    """0007 holds its trigger SQL as text, the very text the app rendered for it: a later change to
    the triggers is a new revision (the round trips above check the models still match its result)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("revision_0007", VERSIONS / "0007_skm_totals.py")
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    frozen = {"sqlite": "\n".join(revision.SQLITE), "postgresql": "\n".join(revision.POSTGRESQL),
              "backfill": revision.BACKFILL}
    assert {k: hashlib.sha256(v.encode()).hexdigest() for k, v in frozen.items()} == FROZEN_0007


def test_autogenerate_writes_revisions_without_the_application(tmp_path):
    """`flask db migrate` renders the app's own column types as plain SQLAlchemy types (migrations/env.py)
    and its template imports nothing of the app, so a new revision starts out frozen too."""
    from flask_migrate import migrate

    directory = tmp_path / "migrations"
    shutil.copytree(VERSIONS.parent, directory, ignore=shutil.ignore_patterns("__pycache__"))
    for old in (directory / "versions").glob("*.py"):
        old.unlink()
    app = create_app(base_config("sqlite:///" + str(tmp_path / "empty.sqlite3"), tmp_path))
    with app.app_context():
        migrate(directory=str(directory), message="everything")
        db.engine.dispose()
    [written] = list((directory / "versions").glob("*.py"))
    text = written.read_text(encoding="utf-8")
    assert "op.create_table('survey_responses'" in text
    assert "sa.Column('created_at', sa.DateTime(timezone=True), nullable=False)" in text
    assert "iku_workflow" not in text
