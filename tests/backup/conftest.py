"""Instances of their own for backup and restore: each a fresh database built by the migrations (SQLite
file, or a new PostgreSQL database when IKU_TEST_DATABASE_URL is set) and a fresh file store (a folder,
or an S3 prefix with IKU_TEST_STORAGE=s3). The session database is not used: an archive records the
Alembic revision, and the session schema is built by create_all."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from conftest import PG_URL, base_config
from iku_workflow import create_app
from iku_workflow.extensions import db


@pytest.fixture
def instance(tmp_path):
    """instance("a", migrate=True) -> an app on a new database and a new file store."""
    admin = sa.create_engine(sa.make_url(PG_URL).set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT") if PG_URL else None
    databases, apps = [], []

    def factory(name: str, *, migrate: bool = True):
        if admin is None:
            url = "sqlite:///" + str(tmp_path / f"{name}.sqlite3")
        else:
            database = f"iku_backup_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
            databases.append(database)
            url = admin.url.set(database=database).render_as_string(hide_password=False)
        app = create_app(base_config(url, tmp_path / name))
        apps.append(app)
        if migrate:
            from flask_migrate import upgrade

            with app.app_context():
                upgrade()
                db.engine.dispose()
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            for database in databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
