"""Two gunicorn app servers that share nothing on disk (issue 12): the kabupaten's production setup.

Real processes, as deployed: PostgreSQL (a fresh database, migrated and seeded through the command
line), Debian's redis-server for the sign-in and API rate limits (RATELIMIT_STORAGE_URI), SeaweedFS for
the files (IKU_STORAGE_URL=s3://…), and two gunicorn servers with the same SECRET_KEY, each with its own
empty instance folder. Whatever one server does, the other sees: an uploaded file, a sign-in limit, a
session cookie, an API token and its rate limit. CSRF is on, as in production.
"""
from __future__ import annotations

import importlib.util
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from conftest import IN_CI, PASSWORD, PG_URL
from factories import PDF, form_with, forms

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = "/usr/bin/redis-server"
LOGIN_LIMIT = 3  # failed sign-ins of one username from one address, per minute
API_LIMIT = 5  # API requests per token, per minute

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL.startswith("postgresql"),
                       reason="servers that share nothing need PostgreSQL (SQLite is a file on one server's "
                              "disk); set IKU_TEST_DATABASE_URL"),
]


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail("CI=true but " + message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process this test started, by its own pid (gunicorn's master stops its worker)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture
def redis_url(tmp_path):
    """Debian's redis-server on a free port, nothing kept on disk, stopped at the end."""
    if not os.access(REDIS_SERVER, os.X_OK):
        _unavailable(f"{REDIS_SERVER} is not installed (apt-get install redis-server); the shared-nothing "
                     "servers test did not run")
    if importlib.util.find_spec("redis") is None:  # Flask-Limiter's Redis storage needs the client
        _unavailable("the Python package redis is not installed (pip install -e '.[test]'); the shared-nothing "
                     "servers test did not run")
    port = _free_port()
    log = tmp_path / "redis.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}: {_tail(log)}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


def _cli(env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "-c", "from iku_workflow.cli import main; main()", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"iku-workflow {' '.join(args)}: {result.stdout}\n{result.stderr}"


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 40
    while True:
        try:
            if requests.get(url + "/healthz", timeout=2).json() == {"status": "ok", "database": "ok"}:
                return
        except (requests.RequestException, ValueError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"gunicorn at {url} did not answer /healthz: {_tail(log)}")
        time.sleep(0.2)


@pytest.fixture
def servers(tmp_path, empty_database_url, redis_url, weed):
    """Two gunicorn servers (A, B) of one freshly migrated and seeded deployment, each with its own
    instance folder (not there before: the server makes it); yields (urls, instance folders, the database URL, the S3 prefix)."""
    prefix = f"shared-nothing-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("IKU_", "RATELIMIT_", "AWS_")) and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])),
        "DATABASE_URL": empty_database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "IKU_DEMO": "0",
        "IKU_DEMO_PASSWORD": PASSWORD,
        "RATELIMIT_STORAGE_URI": redis_url,
        "IKU_STORAGE_URL": f"s3://{weed.bucket}/{prefix}",
        **weed.config(),
        "IKU_LOGIN_LIMIT": f"{LOGIN_LIMIT} per minute",
        "IKU_LOGIN_ADDRESS_LIMIT": "100 per minute",
        "IKU_MAX_FAILED_LOGINS": "100",  # the database's lockout (shared anyway) must not be what refuses
        "IKU_API_RATE_LIMIT": f"{API_LIMIT} per minute",
    })
    _cli({**env, "IKU_INSTANCE_PATH": str(tmp_path / "instance-cli")}, "db", "upgrade")
    _cli({**env, "IKU_INSTANCE_PATH": str(tmp_path / "instance-cli")}, "seed", "demo")

    processes, urls, instances, logs = [], [], [], []
    try:
        for name in ("a", "b"):
            port, instance, log = _free_port(), tmp_path / f"instance-{name}", tmp_path / f"gunicorn-{name}.log"
            with open(log, "wb") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "60",
                     "iku_workflow:create_app()"],
                    cwd=tmp_path, env={**env, "IKU_INSTANCE_PATH": str(instance)}, stdout=out,
                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            urls.append(f"http://127.0.0.1:{port}")
            instances.append(instance)
            logs.append(log)
        for url, process, log in zip(urls, processes, logs):
            _wait_healthy(url, process, log)
        # each server made its own instance folder (IKU_INSTANCE_PATH; the factory creates it)
        assert all(instance.is_dir() for instance in instances)
        yield urls, instances, empty_database_url, prefix
    finally:
        for process in processes:
            _stop(process)


def _login_form(session: requests.Session, base: str, username: str, password: str) -> dict:
    page = session.get(base + "/login", timeout=10)
    assert page.status_code == 200
    return form_with(page.text, "password").data(username=username, password=password)


def _sign_in(session: requests.Session, base: str, username: str, password: str = PASSWORD) -> requests.Response:
    return session.post(base + "/login", data=_login_form(session, base, username, password), timeout=20,
                        allow_redirects=False)


def _sop_document_id(database_url: str) -> int:
    """The demo office's required SOP document of this year (the seed creates it)."""
    from iku_workflow.models import DocumentType, Office, RequiredDocument

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(
                sa.select(RequiredDocument.id).join(DocumentType, RequiredDocument.type_id == DocumentType.id)
                .join(Office, RequiredDocument.office_id == Office.id)
                .where(Office.code == "gumukmas", DocumentType.code == "sop", RequiredDocument.year == date.today().year))
    finally:
        engine.dispose()


def _full_name(database_url: str, username: str) -> str:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT full_name FROM users WHERE username = :u"), {"u": username})
    finally:
        engine.dispose()


def test_two_servers_share_files_limits_sessions_and_tokens(servers, weed):
    (a, b), instances, database_url, prefix = servers

    # c. signed in on A, the same cookie is a signed-in session on B (same SECRET_KEY, users in PostgreSQL)
    on_a = requests.Session()
    assert _sign_in(on_a, a, "pelayanan").status_code == 302
    cookie = on_a.cookies.get("iku_session")
    assert cookie
    on_b = requests.Session()
    on_b.cookies.set("iku_session", cookie)
    account_b = on_b.get(b + "/akun", timeout=10, allow_redirects=False)
    assert account_b.status_code == 200
    assert _full_name(database_url, "pelayanan") in account_b.text

    # a. evidence uploaded through A (CSRF token read from A's form) comes back byte-identical through B
    doc_id = _sop_document_id(database_url)
    content = PDF + b"% " + secrets.token_hex(64 * 1024).encode() + b"\n"  # 128 KB, unique to this run
    page = on_a.get(f"{a}/dokumen/wajib/{doc_id}", timeout=10)
    assert page.status_code == 200
    form = next(f for f in forms(page.text) if f.action.endswith(f"/dokumen/wajib/{doc_id}/unggah"))
    data = form.data(description="SOP lintas server")
    uploaded = on_a.post(a + form.action, data=data, files={"files": ("SOP lintas server.pdf", content, "application/pdf")},
                         timeout=30)
    assert uploaded.status_code == 200 and "1 berkas tersimpan" in uploaded.text
    [link] = sorted(set(re.findall(r'href="(/dokumen/berkas/\d+/unduh)"', uploaded.text)))  # one file, linked from its list
    downloaded = on_b.get(b + link, timeout=20)
    assert downloaded.status_code == 200
    assert downloaded.content == content
    keys = [o["Key"] for o in weed.client().list_objects_v2(Bucket=weed.bucket, Prefix=prefix + "/").get("Contents", [])]
    assert len(keys) == 1 and keys[0].startswith(f"{prefix}/gumukmas/{date.today().year}/")

    # d. an API token made on A works on B, and its rate limit counts across both servers
    account_a = on_a.get(a + "/akun", timeout=10)
    token_form = form_with(account_a.text, "token-name")
    made = on_a.post(a + token_form.action, data=token_form.data(**{"token-name": "lintas server"}), timeout=10)
    assert made.status_code == 200
    [secret] = re.findall(r'data-testid="new-token-secret">\s*([^<\s]+)\s*<', made.text)
    bearer = {"Authorization": f"Bearer {secret}"}
    answers = [requests.get(url + "/api/v1/offices", headers=bearer, timeout=10) for url in (b, a, b, a, b)]
    assert [r.status_code for r in answers] == [200] * API_LIMIT
    assert [r.json()[0]["code"] for r in answers] == ["gumukmas"] * API_LIMIT
    # one count for both: what is left falls with every request, whichever server answered it
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in answers] == list(range(API_LIMIT - 1, -1, -1))
    for url in (a, b):
        throttled = requests.get(url + "/api/v1/offices", headers=bearer, timeout=10)
        assert throttled.status_code == 429, url
        assert throttled.headers["Content-Type"].startswith("application/json")

    # b. wrong passwords through A reach the sign-in limit; B then refuses even the right password
    stranger = requests.Session()
    for _ in range(LOGIN_LIMIT):
        assert _sign_in(stranger, a, "sekcam", "salah-sekali-123").status_code == 401
    refused = _sign_in(requests.Session(), b, "sekcam")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk. Tunggu sebentar" in refused.text  # the limiter's, not the lockout's
    assert _sign_in(requests.Session(), a, "sekcam").status_code == 429
    # the limit is that username's: another user still signs in on B
    assert _sign_in(requests.Session(), b, "admin").status_code == 302

    # nothing was kept on either server's disk: its instance folder stays empty
    for instance in instances:
        assert [p for p in instance.rglob("*")] == [], instance
