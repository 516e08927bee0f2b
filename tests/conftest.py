"""Fixtures for the whole suite: the app on SQLite or PostgreSQL, users of each role, signed-in clients,
and a live server with Chromium for browser journeys.

Run on PostgreSQL by setting IKU_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres):
a fresh database is created for the session (one per xdist worker) and dropped afterwards. Every test
starts from empty tables.

Files go to a folder of the test (file:// store) or, with IKU_TEST_STORAGE=s3, to a real S3 server:
SeaweedFS started for the session (one per xdist worker, ``weed`` fixture), each test under its own
key prefix. tests/storage runs on both backends whatever IKU_TEST_STORAGE says.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from hypothesis import settings

# A loaded CI machine (two cores, PostgreSQL and Chromium beside the tests) must not fail a property
# test on time: hypothesis's per-example deadline is off, the number of examples stays modest.
settings.register_profile("iku", deadline=None)
settings.load_profile("iku")

from iku_workflow import create_app
from iku_workflow.extensions import db
from iku_workflow.models import Office
from iku_workflow.models.audit import GUARD_SQLITE_NAMES, guard_ddl
from iku_workflow.seed.gumukmas_2025 import OFFICE as DEMO_OFFICE

PASSWORD = "rahasia-demo-123"
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("IKU_TEST_DATABASE_URL", "").strip()
TEST_STORAGE = os.environ.get("IKU_TEST_STORAGE", "file").strip().lower() or "file"
if TEST_STORAGE not in ("file", "s3"):
    raise RuntimeError(f"IKU_TEST_STORAGE must be 'file' or 's3', not {TEST_STORAGE!r}")
# filled by the session fixture _storage_backend when IKU_TEST_STORAGE=s3
_S3: dict = {}

def _pg_admin_url(url: str) -> sa.URL:
    return sa.make_url(url).set(drivername="postgresql+psycopg")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database for this test session: a new PostgreSQL database, or a SQLite file."""
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        return
    base = _pg_admin_url(PG_URL)
    name = f"iku_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL tidak dapat dihubungi di {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL tidak dapat dihubungi: {exc}")
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def storage_config(tmp_path: Path, backend: str | None = None) -> dict:
    """The app settings of the file store of one test: a folder under ``tmp_path``, or a fresh prefix
    in the session's S3 bucket."""
    backend = backend or TEST_STORAGE
    if backend == "s3":
        if not _S3:
            raise RuntimeError("the S3 backend needs the `weed` fixture (SeaweedFS) first")
        # one prefix per test folder: every app of one test (make_app twice) shares its files, as on disk
        prefix = hashlib.sha256(str(tmp_path.resolve()).encode()).hexdigest()[:24]
        return {"IKU_STORAGE_URL": f"s3://{_S3['bucket']}/t-{prefix}", **_S3["config"]}
    return {"IKU_STORAGE_URL": (tmp_path / "uploads").resolve().as_uri()}


def base_config(database_url: str, tmp_path: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "IKU_DEMO": True,
        "IKU_DEMO_PASSWORD": PASSWORD,
        "IKU_UPLOAD_DIR": str(tmp_path / "uploads"),
        **storage_config(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Fast hashing in tests (the production default is far stronger).
        "IKU_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }


@pytest.fixture(scope="session")
def weed(tmp_path_factory):
    """SeaweedFS serving S3 on free local ports for this session (this xdist worker), stopped at the end.
    Where the binary cannot start, the tests that need it are skipped with the reason (failed in CI)."""
    from weed_server import WeedServer, WeedUnavailable

    server, failure = None, None
    for _attempt in range(3):  # a free port taken by someone else between choosing and binding: try again
        try:
            server = WeedServer.start(tmp_path_factory.mktemp("seaweedfs"))
            break
        except WeedUnavailable as exc:
            failure = exc
            if "not installed" in str(exc):
                break
    if server is None:
        message = f"S3 storage tests need a SeaweedFS server and it could not start: {failure}"
        if IN_CI:
            pytest.fail("CI=true but " + message)
        pytest.skip(message)
    _S3.update(bucket=server.bucket, config=server.config())
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _storage_backend(request):
    """With IKU_TEST_STORAGE=s3 every app of the session keeps its files in SeaweedFS."""
    if TEST_STORAGE == "s3":
        request.getfixturevalue("weed")
    yield TEST_STORAGE


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Create the tables once per session from the models."""
    app = create_app(base_config(database_url, tmp_path_factory.mktemp("schema")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return database_url


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql":
            # DELETE of a few hundred rows is far cheaper than TRUNCATE of 70 tables (which rewrites each
            # table's files); as replica the foreign keys and the audit guard's trigger stay out of the way.
            # The serials start again at 1, as TRUNCATE ... RESTART IDENTITY did.
            with db.engine.begin() as conn:
                conn.exec_driver_sql(
                    "SET LOCAL session_replication_role = replica; "
                    + " ".join(f'DELETE FROM "{t}";' for t in reversed(tables))
                    + " SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"
                      " AND c.relnamespace = 'public'::regnamespace;")
        else:
            # Foreign keys are on for SQLite connections; switch them off (outside a transaction, where
            # the pragma works) to empty tables that point at each other (a decree and its final version).
            raw = db.engine.raw_connection()
            try:
                raw.execute("PRAGMA foreign_keys=OFF")
                # the audit log refuses DELETE by trigger: lift the guard while emptying, then restore it
                for name in GUARD_SQLITE_NAMES:
                    raw.execute(f"DROP TRIGGER IF EXISTS {name}")
                for table in reversed(tables):
                    raw.execute(f'DELETE FROM "{table}"')
                for statement in guard_ddl("sqlite"):
                    raw.execute(statement)
                raw.commit()
                raw.execute("PRAGMA foreign_keys=ON")
            finally:
                raw.close()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``app`` fixture keeps an application context open so tests can use ``db.session``; Flask
    then reuses that context (and its ``g``) for test-client requests. Flask-Login caches the
    signed-in user and Flask-Babel the locale on ``g``, so without this one client's user (or a
    revoked session) would leak into the next request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            if has_app_context():
                g.__dict__.clear()


@pytest.fixture
def extra_capabilities() -> tuple:
    """Capabilities a test installs beside ``capabilities.ALL`` (parametrize or override this fixture)."""
    return ()


@pytest.fixture
def make_app(_schema, tmp_path, extra_capabilities):
    """Factory for apps on the session database; tables are emptied after the test."""
    from iku_workflow.capabilities import ALL

    apps = []

    def factory(**overrides):
        app = create_app({**base_config(_schema, tmp_path), **overrides}, capabilities=ALL + tuple(extra_capabilities))
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
    # Each app has its own engine and pool: close them all, or PostgreSQL connections are left for
    # the garbage collector (a ResourceWarning, i.e. an error, in some later test).
    for extra in apps[1:]:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def office(app, request):
    """The demo office Kecamatan Gumukmas with its sections and one user per role.

    ``@pytest.mark.demo_without("survey")`` (on a test or a module) leaves out that capability's demo
    data, so a test of the survey starts from no survey at all."""
    from iku_workflow.seed.demo import seed_demo

    without = [name for mark in request.node.iter_markers("demo_without") for name in mark.args]
    key = (tuple(sorted(without)), tuple(cap.name for cap in app.extensions["iku"].capabilities), db.engine.dialect.name)
    rows = _DEMO_ROWS.get(key)
    if rows is None:
        office = seed_demo(PASSWORD, echo=lambda _msg: None, without=without)
        db.session.commit()
        _DEMO_ROWS[key] = _table_rows()
        return office
    _restore_rows(rows)
    return db.session.scalar(sa.select(Office).where(Office.code == DEMO_OFFICE["code"]))


# The demo office's rows, seeded once per worker and per (demo_without, capabilities) and copied into the
# emptied tables for every later test: seeding takes half a second and hundreds of statements, copying its
# 500 rows a few INSERTs. The demo stores no files; tests/test_seed_copy.py checks the copy against a seed.
_DEMO_ROWS: dict[tuple, list[tuple[sa.Table, list[dict]]]] = {}


def _table_rows() -> list[tuple[sa.Table, list[dict]]]:
    out = []
    for table in db.metadata.sorted_tables:
        rows = [dict(r) for r in db.session.execute(sa.select(table)).mappings()]
        if rows:
            out.append((table, rows))
    return out


def _restore_rows(rows: list[tuple[sa.Table, list[dict]]]) -> None:
    # a table the database fills by trigger from rows copied before it (the SKM totals) is already whole:
    # found by counting on the first copy, remembered for the later ones
    filled = _FILLED_BY_TRIGGER.get(id(rows))
    if filled is None:
        filled = set()
        for table, values in rows:
            if db.session.scalar(sa.select(sa.func.count()).select_from(table)):
                filled.add(table.name)
                continue
            db.session.execute(sa.insert(table), values)
        _FILLED_BY_TRIGGER[id(rows)] = filled
    else:
        for table, values in rows:
            if table.name not in filled:
                db.session.execute(sa.insert(table), values)
    if db.engine.dialect.name == "postgresql":
        # the ids were given: move each serial past them (one statement), as the seed's own INSERTs did
        moves = [f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), {max(v['id'] for v in values)})"
                 for table, values in rows if "id" in table.c and isinstance(values[0].get("id"), int)]
        db.session.execute(sa.text("SELECT " + ", ".join(moves)))
    db.session.commit()


_FILLED_BY_TRIGGER: dict[int, set[str]] = {}


@pytest.fixture
def other_office(app, office):
    """A second kecamatan in the same deployment, with an admin and a seksi operator."""
    from iku_workflow.models import Role, User
    from iku_workflow.security import hash_password
    from iku_workflow.seed.demo import create_office

    other = create_office("puger", "Puger", "Jember", address="Jl. Puger 1")
    db.session.flush()
    sections = {s.code: s for s in other.sections}
    pw = hash_password(PASSWORD)
    db.session.add_all([
        User(office_id=other.id, username="admin-puger", full_name="Admin Puger", role=Role.ADMIN, password_hash=pw),
        User(office_id=other.id, username="sekcam-puger", full_name="Sekcam Puger", role=Role.SEKCAM,
             section_id=sections["sekretariat"].id, password_hash=pw),
        User(office_id=other.id, username="trantib-puger", full_name="Trantib Puger", role=Role.SEKSI,
             section_id=sections["trantib"].id, password_hash=pw),
    ])
    db.session.commit()
    return other


@pytest.fixture
def admin(client_as):
    """The demo office's admin, signed in."""
    return client_as("admin")


@pytest.fixture
def csrf_app(make_app, office):
    """An app with CSRF protection on, as in production (the other tests switch it off)."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def evidence_everywhere(request):
    """Every required document already has its evidence file (for tests about the workflow, not uploads);
    a module asks for it with ``pytestmark = pytest.mark.usefixtures("evidence_everywhere")``."""
    if "office" in request.fixturenames:
        from factories import give_evidence

        give_evidence(request.getfixturevalue("office"))


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database of its own, empty (a migration can run from the start), on the session's kind of database."""
    url = sa.make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield "sqlite:///" + str(tmp_path / "migrate.sqlite3")
        return
    import uuid

    name = f"iku_store_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def viewer(office):
    """A read-only user ("Pemantau") of the demo office, username ``viewer``."""
    from iku_workflow.models import Role, User
    from iku_workflow.security import hash_password

    user = User(office_id=office.id, username="viewer", full_name="Pemantau Gumukmas", role=Role.VIEWER,
                password_hash=hash_password(PASSWORD))
    db.session.add(user)
    db.session.commit()
    return user


def require_tool(name: str, what: str) -> str:
    """The path of a program a visual check needs (soffice, pdftoppm …): skipped with the reason when it
    is missing, failed under CI=true (.ci/run installs it)."""
    path = shutil.which(name)
    if not path:
        message = (f"{name} is not installed (apt-get install libreoffice-writer-nogui poppler-utils); "
                   f"{what} did not run")
        if IN_CI:
            pytest.fail("CI=true but " + message)
        pytest.skip(message)
    return path


def get_user(username: str):
    from iku_workflow.models import User

    return db.session.scalar(sa.select(User).where(User.username == username))


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        return self._client.post("/login", data={"username": username, "password": password, **kwargs})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def client_as(app, office):
    """client_as("sekcam") -> a test client signed in as that demo user."""

    def factory(username: str):
        c = app.test_client()
        response = c.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
        return c

    return factory


# ---------------------------------------------------------------- browser journeys

@pytest.fixture
def live_server_config() -> dict:
    """Extra configuration of the live server; a test module overrides this fixture to change it."""
    return {}


@pytest.fixture
def live_server(make_app, live_server_config):
    """The app served on a free local port from a thread of this process (shares the test database)."""
    from werkzeug.serving import make_server

    app = make_app(WTF_CSRF_ENABLED=True, **live_server_config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    with app.app_context():
        yield server
        db.session.remove()
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def _browser():
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail("CI=true but " + message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    context = _browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base_url = live_server.url
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def submit(page, selector: str) -> None:
    """Click something that submits a form and wait until the page it leads to has loaded.

    A bare ``page.click`` returns as soon as the click is dispatched; reading the page right after it can read
    the old page (CI once counted the files of the page before the upload). Every form-submitting click in the
    browser journeys goes through here."""
    with page.expect_navigation():
        page.click(selector)


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "button[type=submit]")


# ---------------------------------------------------------------- what did not run

def pytest_terminal_summary(terminalreporter, exitstatus, config):
    backend = "PostgreSQL (" + PG_URL + ")" if PG_URL else "SQLite"
    terminalreporter.write_line(f"IKU Workflow test database: {backend}")
    terminalreporter.write_line(
        "IKU Workflow test file store: " + ("S3 (SeaweedFS, IKU_TEST_STORAGE=s3)" if TEST_STORAGE == "s3" else
                                           "file:// (IKU_TEST_STORAGE=s3 runs the suite on SeaweedFS; "
                                           "tests/storage runs on both)"))
    if not PG_URL:
        terminalreporter.write_line(
            "NOTE PostgreSQL run not included here: set IKU_TEST_DATABASE_URL (see README; .ci/run does both)."
        )
    if not os.path.exists(CHROMIUM):
        terminalreporter.write_line(
            f"SKIPPED browser journeys: Debian's chromium is not at {CHROMIUM} (apt-get install -y chromium)."
        )
