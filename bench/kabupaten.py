"""Benchmark at kabupaten scale: Kabupaten Jember with 31 kecamatan offices × 5 years on PostgreSQL,
served by gunicorn (2 workers) and measured with wrk at 20 concurrent connections.

Fill: a fresh database (dropped at the end unless --keep) migrated by the app's migrations
(``flask_migrate.upgrade``), the demo seed (Gumukmas, Kencong, the kabupaten users), Jember's standard
for every year (``kabupaten.defaults.ensure_default_year``), the 29 other kecamatan of Jember made by
``kabupaten.offices.setup_office``, and per office-year: the standard's required documents with 2 file
versions each (the bytes, 1–4 KB each, written through the app's storage API ``storage.save`` into a
local file store; the DocumentFile rows inserted in bulk), 300 complaints, 60 activities, 40 program
indicators and 1 SAKIP score (workflow entries and register rows inserted in bulk), and 2 SKM periods
(opened with ``survey.operations.open_period``, 400 responses each loaded with COPY, closed with
``close_period``, which computes and stores the result, then approved or returned through the workflow).
Workflow states: of every 20 entries 16 approved, 2 submitted, 1 returned, 1 draft.

Measure: gunicorn on a free port (DATABASE_URL = that database, SECRET_KEY, IKU_DEMO=0, IKU_API_RATE_LIMIT
very high; sign-ins are two successful ones, which the sign-in limits do not count), then wrk on
(a) the kabupaten console /kabupaten/?tahun=Y as ``kabupaten``, (b) /dasbor/Y as ``sekcam``, (c) the API
summary of Gumukmas with a bearer token, (d) /healthz (SELECT 1). Also the SQL statements of one console
request (in-process test client) with 3 offices (counted when the first 3 are filled) and with 31.

    PYTHONPATH=. .venv/bin/python bench/kabupaten.py [--keep] [--year 2025] [--duration 15]

Results are appended to bench/results/kabupaten.txt.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "rahasia-demo-123"  # tests/conftest.py PASSWORD: the demo users' password
RESULT = ROOT / "bench" / "results" / "kabupaten.txt"
KECAMATAN = ("Kencong", "Gumukmas", "Puger", "Wuluhan", "Ambulu", "Tempurejo", "Silo", "Mayang", "Mumbulsari",
             "Jenggawah", "Ajung", "Rambipuji", "Balung", "Umbulsari", "Semboro", "Jombang", "Sumberbaru",
             "Tanggul", "Bangsalsari", "Panti", "Sukorambi", "Arjasa", "Pakusari", "Kalisat", "Ledokombo",
             "Sumberjambe", "Sukowono", "Jelbuk", "Kaliwates", "Sumbersari", "Patrang")
YEARS = (2022, 2023, 2024, 2025, 2026)
PER_YEAR = {"complaint": 300, "activity": 60, "program": 40, "sakip": 1}
RESPONSES = 400
SURVEY_COLUMNS = ("period_id", "service_id", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
                  *(f"u{i}" for i in range(1, 10)), "source", "entered_by_id", "created_at")
TABLES = ("offices", "users", "indicators", "workflow_entries", "workflow_events", "required_documents",
          "document_files", "complaints", "activities", "program_indicators", "sakip_evaluations",
          "survey_periods", "survey_responses", "survey_results", "audit_events")
# users each office gets (gumukmas has the demo's): key -> (role, section code)
OFFICE_USERS = {"sekcam": ("SEKCAM", "sekretariat"), "camat": ("CAMAT", None), "sekretariat": ("SEKSI", "sekretariat"),
                "pelayanan": ("SEKSI", "pelayanan"), "pmks": ("SEKSI", "pmks"), "trantib": ("SEKSI", "trantib")}
REGISTER_SECTION = {"complaint": "trantib", "activity": "pmks", "program": "sekretariat", "sakip": "sekretariat"}


def state_of(i: int) -> str:
    """Of every 20 entries: 16 approved, 2 submitted, 1 returned, 1 draft."""
    return {0: "draft", 1: "returned", 2: "submitted", 3: "submitted"}.get(i % 20, "approved")


def p_(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# ---------------------------------------------------------------- fill

class Filler:
    def __init__(self, app, year_list):
        from iku_workflow.extensions import db

        self.app, self.db, self.years = app, db, list(year_list)
        self.rng = random.Random(12)
        self.password_hash = None
        self.file_bytes = 0

    def users_of(self, office) -> dict:
        """The office's users by key, creating the missing ones (bulk, the demo's password hash)."""
        from iku_workflow.models import Role, User

        db = self.db
        if self.password_hash is None:
            self.password_hash = db.session.scalar(sa.select(User.password_hash).where(User.username == "sekcam"))
        sections = {s.code: s for s in office.sections}
        names = {key: (key if office.code == "gumukmas" else f"{key}.{office.code}") for key in OFFICE_USERS}
        have = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(names.values())))}
        missing = [dict(office_id=office.id, username=name, full_name=f"{key.title()} {office.name}",
                        role=Role[OFFICE_USERS[key][0]],
                        section_id=sections[OFFICE_USERS[key][1]].id if OFFICE_USERS[key][1] else None,
                        password_hash=self.password_hash)
                   for key, name in names.items() if name not in have]
        for row in missing:
            db.session.add(User(**row))
        db.session.flush()
        return {key: db.session.scalar(sa.select(User).where(User.username == name)) for key, name in names.items()}

    def _entry_fields(self, i: int, users: dict, submitter) -> dict:
        from iku_workflow.models import EntryState

        now = datetime.now(timezone.utc)
        state = state_of(i)
        fields = dict(state=EntryState(state), version=1, created_by_id=submitter.id, created_at=now, updated_at=now,
                      submitted_by_id=None, submitted_at=None, decided_by_id=None, decided_at=None, last_note=None)
        if state != "draft":
            fields.update(submitted_by_id=submitter.id, submitted_at=now, version=2)
        if state in ("approved", "returned"):
            fields.update(decided_by_id=users["sekcam"].id, decided_at=now, version=3)
        if state == "returned":
            fields["last_note"] = "Lengkapi bukti dukung."
        return fields

    def registers(self, office, users: dict) -> None:
        from iku_workflow.models import (Activity, ActivityKind, Complaint, ComplaintChannel, ComplaintStatus,
                                         ProgramIndicator, SakipEvaluation, WorkflowEntry)

        db, rng = self.db, self.rng
        sections = {s.code: s for s in office.sections}
        entries, made = [], []
        for year in self.years:
            for kind, n in PER_YEAR.items():
                submitter = users[REGISTER_SECTION[kind]]
                for i in range(n):
                    entries.append(dict(office_id=office.id, section_id=sections[REGISTER_SECTION[kind]].id,
                                        kind=kind, title=f"{kind} {year}-{i}", year=year,
                                        **self._entry_fields(i + year, users, submitter)))
                    made.append((year, kind, i))
        ids = db.session.scalars(sa.insert(WorkflowEntry).returning(WorkflowEntry.id, sort_by_parameter_order=True),
                                 entries).all()
        now = datetime.now(timezone.utc)
        rows = {"complaint": [], "activity": [], "program": [], "sakip": []}
        channels, kinds = list(ComplaintChannel), list(ActivityKind)
        for eid, (year, kind, i) in zip(ids, made):
            base = dict(office_id=office.id, entry_id=eid, year=year, evidence_note="", created_at=now)
            if kind == "complaint":
                received = date(year, 1, 1) + timedelta(days=rng.randrange(360))
                status = rng.choices(list(ComplaintStatus), weights=(1, 2, 12))[0]
                rows[kind].append(dict(base, received_on=received, channel=channels[i % len(channels)],
                                       desa=f"Desa {i % 12 + 1}", summary=f"Aduan warga nomor {i}", status=status,
                                       resolved_on=received + timedelta(days=rng.randrange(1, 10))
                                       if status is ComplaintStatus.SELESAI else None,
                                       resolution="Ditindaklanjuti." if status is ComplaintStatus.SELESAI else ""))
            elif kind == "activity":
                done = rng.random() < 0.8
                tw = i % 4 + 1
                rows[kind].append(dict(base, name=f"Kegiatan {i}", kind=kinds[i % len(kinds)], planned_triwulan=tw,
                                       desa=f"Desa {i % 12 + 1}", facilitated=done,
                                       facilitated_on=date(year, tw * 3 - 1, 1 + i % 28) if done else None))
            elif kind == "program":
                target = Decimal(100)
                real = Decimal(70 + rng.randrange(45))
                rows[kind].append(dict(base, program=f"Program {i % 8 + 1}", indicator=f"Indikator program {i}",
                                       unit="%", polarity="higher", target=target, realisation=real,
                                       achieved=real >= target))
            else:
                rows[kind].append(dict(base, score=Decimal(rng.randrange(5500, 8500)) / 100,
                                       lhe_reference=f"700/{i + 1}/LHE/{year}", lhe_date=date(year, 11, 20)))
        for kind, model in (("complaint", Complaint), ("activity", Activity), ("program", ProgramIndicator),
                            ("sakip", SakipEvaluation)):
            db.session.execute(sa.insert(model), rows[kind])

    def documents(self, office, users: dict) -> None:
        from iku_workflow import storage
        from iku_workflow.models import DocumentFile, RequiredDocument, WorkflowEntry

        db, rng = self.db, self.rng
        docs = db.session.execute(sa.select(RequiredDocument.id, RequiredDocument.year, RequiredDocument.entry_id,
                                            WorkflowEntry.section_id)
                                  .join(WorkflowEntry, WorkflowEntry.id == RequiredDocument.entry_id)
                                  .where(RequiredDocument.office_id == office.id)
                                  .order_by(RequiredDocument.year, RequiredDocument.id)).all()
        by_section = {u.section_id: u for key, u in users.items() if key not in ("sekcam", "camat")}
        files, updates = [], []
        has_files = set(db.session.scalars(sa.select(DocumentFile.document_id).where(DocumentFile.office_id == office.id)))
        for n, (doc_id, year, entry_id, section_id) in enumerate(docs):
            if doc_id in has_files:
                continue  # the demo's own uploads
            uploader = by_section.get(section_id, users["sekretariat"])
            for version in (1, 2):
                data = b"%PDF-1.4\n" + rng.randbytes(rng.randrange(1024, 4096)) + b"\n%%EOF\n"
                stored = storage.save(data, storage.new_key(office.code, year))
                self.file_bytes += stored.size
                files.append(dict(office_id=office.id, document_id=doc_id, version=version,
                                  original_name=f"dokumen-{doc_id}-v{version}.pdf",
                                  stored_name=stored.key.rsplit("/", 1)[1], relative_dir=f"{office.code}/{year}",
                                  size=stored.size, sha256=stored.sha256, mime="application/pdf", extension="pdf",
                                  description="", uploaded_by_id=uploader.id,
                                  uploaded_at=datetime(year, 3, 1, tzinfo=timezone.utc)))
            fields = self._entry_fields(n + 7, users, uploader)
            fields.pop("created_at")
            fields.pop("created_by_id")
            updates.append(dict(b_id=entry_id, **fields))
        db.session.execute(sa.insert(DocumentFile), files)
        # Core UPDATE (the ORM's bulk update by primary key would match on the version counter)
        table = WorkflowEntry.__table__
        db.session.execute(table.update().where(table.c.id == sa.bindparam("b_id"))
                           .values({k: sa.bindparam(k) for k in updates[0] if k != "b_id"}), updates)

    def surveys(self, office, users: dict) -> None:
        from iku_workflow.models import SurveyPeriod
        from iku_workflow.survey.operations import close_period, default_section, find_period, open_period
        from iku_workflow.workflow import operations as wf

        db, rng = self.db, self.rng
        raw = db.session.connection().connection.driver_connection
        now = datetime.now(timezone.utc)
        for n, (year, label) in enumerate((y, lab) for y in self.years for lab in ("S1", "S2")):
            period = find_period(office.id, year, label)
            if period is not None and not period.is_open:
                continue  # the demo's own closed period
            if period is None:
                period = open_period(office.id, year, label, user=users["pelayanan"],
                                     section=default_section(office.id), population=5000)
            services = [s.id for s in period.services]
            first = date(year, 1 if label == "S1" else 7, 1)
            with raw.cursor() as cur:
                with cur.copy(f"COPY survey_responses ({', '.join(SURVEY_COLUMNS)}) FROM STDIN") as copy:
                    for _ in range(RESPONSES):
                        copy.write_row((period.id, rng.choice(services), first + timedelta(days=rng.randrange(180)),
                                        rng.choice("LP"), rng.randint(18, 70),
                                        rng.choice(("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2")),
                                        rng.choice(("PNS", "SWASTA", "WIRAUSAHA", "LAINNYA")),
                                        *(rng.choices((1, 2, 3, 4), weights=(1, 3, 10, 6), k=9)),
                                        "staff", users["pelayanan"].id, now))
            db.session.expire(period)
            period = db.session.get(SurveyPeriod, period.id)
            close_period(period, users["pelayanan"])
            state = state_of(n + 4)
            if state in ("approved", "draft"):  # a result not yet decided stays submitted
                wf.approve(period.entry, users["sekcam"], note="Hasil SKM disetujui.")
            elif state == "returned":
                wf.return_for_revision(period.entry, users["sekcam"], note="Periksa jumlah responden.")

    def office(self, office) -> None:
        users = self.users_of(office)
        self.registers(office, users)
        self.documents(office, users)
        self.surveys(office, users)
        self.db.session.commit()


def console_queries(app, year: int) -> int:
    """SQL statements of one console request (test client, signed in as the demo kabupaten user)."""
    from iku_workflow.extensions import db

    client = app.test_client()
    assert client.post("/login", data={"username": "kabupaten", "password": PASSWORD}).status_code == 302
    assert client.get(f"/kabupaten/?tahun={year}").status_code == 200  # warm-up
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(f"/kabupaten/?tahun={year}").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def _add_offices(app, filler: Filler, names, first: int, t0: float) -> None:
    """Create (or complete) and fill the offices ``names``, in their own app and request context."""
    from iku_workflow.extensions import db
    from iku_workflow.kabupaten.defaults import JEMBER, code_of, find_kabupaten
    from iku_workflow.kabupaten.offices import setup_office
    from iku_workflow.kabupaten.standard import apply_standard
    from iku_workflow.models import Indicator, Office

    with app.app_context(), app.test_request_context():
        jember = find_kabupaten(JEMBER[0])
        for number, name in enumerate(names, start=first):
            code = code_of(name)
            office = db.session.scalar(sa.select(Office).where(Office.code == code))
            if office is None:
                office, _counts = setup_office(code=code, name=name, kabupaten=jember, years=YEARS,
                                               address=f"Jalan Raya {name} No. 1", camat_name=f"Camat {name}")
            else:  # the demo's offices have the demo years only
                had = set(db.session.scalars(sa.select(Indicator.year).where(Indicator.office_id == office.id)
                                             .distinct()))
                for y in YEARS:
                    if y not in had:
                        apply_standard(office, y)
            db.session.flush()
            filler.office(office)
            print(f"  {number:2d}/{len(KECAMATAN)} {name}: {time.perf_counter() - t0:6.1f} s", flush=True)


def fill(app, year: int) -> dict:
    from flask_migrate import upgrade

    from iku_workflow.extensions import db
    from iku_workflow.kabupaten.defaults import JEMBER, ensure_default_year, ensure_kabupaten
    from iku_workflow.seed.demo import seed_demo

    out = {}
    t0 = time.perf_counter()
    with app.app_context(), app.test_request_context():
        upgrade()
        seed_demo(PASSWORD, echo=lambda _m: None)
        jember = ensure_kabupaten(*JEMBER)
        for y in YEARS:
            ensure_default_year(jember, y)
        db.session.commit()
    filler = Filler(app, YEARS)
    _add_offices(app, filler, KECAMATAN[:3], 1, t0)
    t1 = time.perf_counter()
    # counted outside the fill's contexts: a request would otherwise share the fill's session (identity map)
    out["queries_3"] = console_queries(app, year)
    paused = time.perf_counter() - t1
    _add_offices(app, filler, KECAMATAN[3:], 4, t0 + paused)
    with app.app_context():
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        out["fill_s"] = time.perf_counter() - t0 - paused
        out["file_bytes"] = filler.file_bytes
        out["rows"] = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in TABLES}
        out["db_size"] = db.session.scalar(sa.text("SELECT pg_database_size(current_database())"))
    out["queries_31"] = console_queries(app, year)
    out["in_process"] = in_process(app, year)
    return out


def in_process(app, year: int, runs: int = 15) -> dict:
    """Median time and SQL statements of one request to each endpoint, test client, one at a time (no load)."""
    import statistics

    from iku_workflow.extensions import db
    from iku_workflow.models import ApiToken, User

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sekcam"))
        _token, secret = ApiToken.issue(user, "bench kabupaten in-process")
        db.session.commit()
        engine = db.engine
    clients = {}
    for username in ("kabupaten", "sekcam"):
        clients[username] = app.test_client()
        assert clients[username].post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    anonymous = app.test_client()
    cases = {"console": (clients["kabupaten"], f"/kabupaten/?tahun={year}", {}),
             "dashboard": (clients["sekcam"], f"/dasbor/{year}", {}),
             "api_summary": (anonymous, f"/api/v1/offices/gumukmas/years/{year}/summary",
                             {"Authorization": "Bearer " + secret}),
             "healthz": (anonymous, "/healthz", {})}
    out = {}
    for key, (client, url, headers) in cases.items():
        assert client.get(url, headers=headers).status_code == 200
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            assert client.get(url, headers=headers).status_code == 200
            times.append((time.perf_counter() - t) * 1000)
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            client.get(url, headers=headers)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        out[key] = (statistics.median(times), len(statements))
    return out


# ---------------------------------------------------------------- serve and measure

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


UA = "iku-bench-kabupaten"


def sign_in(base: str, username: str) -> str:
    import requests

    s = requests.Session()
    s.headers["User-Agent"] = UA
    page = s.get(base + "/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    r = s.post(base + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
               allow_redirects=False)
    assert r.status_code == 302, (username, r.status_code)
    cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
    return cookie


LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %f %f\\n", summary.requests, summary.duration,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def run_wrk(url: str, header: str, lua: Path, duration: int, connections: int) -> dict:
    import requests

    name, value = header.split(": ", 1)
    check = requests.get(url, headers={name: value, "User-Agent": UA}, allow_redirects=False)
    assert check.status_code == 200, (url, check.status_code, check.text[:200])
    for _ in range(5):  # warm both workers' caches
        requests.get(url, headers={name: value, "User-Agent": UA})
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s", "-s", str(lua),
           "-H", header, "-H", f"User-Agent: {UA}", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    n, dur_us, bad_status, socket_errors, p50, p95 = line.split()[1:]
    return {"requests": int(n), "rps": int(n) / (int(dur_us) / 1e6), "non2xx": int(bad_status),
            "socket_errors": int(socket_errors), "median_ms": float(p50) / 1000, "p95_ms": float(p95) / 1000}


@contextlib.contextmanager
def redis_server(workdir: Path):
    """Debian's redis-server on a free port, keeping nothing on disk: the limits' storage of the production
    setup (RATELIMIT_STORAGE_URI), shared by both gunicorn workers as in a deployment; None without it."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def measure(url: str, workdir: Path, year: int, duration: int, connections: int) -> dict:
    with redis_server(workdir) as limits:
        results = _measure(url, workdir, year, duration, connections, limits)
    results["limits"] = "Redis (redis-server, RATELIMIT_STORAGE_URI)" if limits else "in-process memory (no redis-server)"
    return results


def _measure(url: str, workdir: Path, year: int, duration: int, connections: int, limits: str | None) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-kabupaten-secret", IKU_DEMO="0",
               RATELIMIT_STORAGE_URI=limits or "memory://",
               IKU_API_RATE_LIMIT="1000000 per minute", IKU_UPLOAD_DIR=str(workdir / "uploads"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen([str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
                               "iku_workflow:create_app()"], cwd=str(ROOT), env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        import requests

        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still starting
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer; see " + str(workdir / "gunicorn.log"))
        kab_cookie, sekcam_cookie = sign_in(base, "kabupaten"), sign_in(base, "sekcam")
        token = make_token(url)
        lua = workdir / "report.lua"
        lua.write_text(LUA)
        cases = [("console", f"/kabupaten/?tahun={year}", "Cookie: " + kab_cookie, "kabupaten"),
                 ("dashboard", f"/dasbor/{year}", "Cookie: " + sekcam_cookie, "sekcam"),
                 ("api_summary", f"/api/v1/offices/gumukmas/years/{year}/summary", "Authorization: Bearer " + token,
                  "sekcam's token"),
                 ("healthz", "/healthz", "Accept: */*", "no session: one SELECT 1")]
        results = {}
        for key, path, header, who in cases:
            print(f"  wrk {path} ...", flush=True)
            results[key] = dict(run_wrk(base + path, header, lua, duration, connections), path=path, who=who)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def make_token(url: str) -> str:
    from iku_workflow import create_app
    from iku_workflow.extensions import db
    from iku_workflow.models import ApiToken, User

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": False})
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sekcam"))
        _token, secret = ApiToken.issue(user, "bench kabupaten")
        db.session.commit()
    return secret


# ---------------------------------------------------------------- report

def report(args, data: dict, results: dict) -> str:
    c, d, a, h = (results[k] for k in ("console", "dashboard", "api_summary", "healthz"))
    cd_med, cd_p95 = c["median_ms"] / d["median_ms"], c["p95_ms"] / d["p95_ms"]
    ah_med, ah_p95 = a["median_ms"] / h["median_ms"], a["p95_ms"] / h["p95_ms"]

    def met(*ratios, goal):
        return "met" if all(r <= goal for r in ratios) else "not met"

    rows = data["rows"]
    lines = [
        f"IKU Workflow kabupaten benchmark — {datetime.now().isoformat(timespec='seconds')}",
        f"machine: {os.cpu_count()} CPU (nproc), python {platform.python_version()} on {platform.machine()}; "
        f"PostgreSQL {data['pg_version']} on 127.0.0.1 (same machine)",
        f"data: Kabupaten Jember, {rows['offices']} offices × years {YEARS[0]}–{YEARS[-1]}; per office-year "
        f"{PER_YEAR['complaint']} complaints, {PER_YEAR['activity']} activities, {PER_YEAR['program']} program "
        f"indicators, {PER_YEAR['sakip']} SAKIP score, the standard's required documents × 2 file versions, "
        f"2 SKM periods × {RESPONSES} responses (closed, results computed); entries 16/20 approved, "
        "2/20 submitted, 1/20 returned, 1/20 draft",
        f"files: bytes written through storage.save (local store, {data['file_bytes'] / 1e6:.1f} MB), "
        "DocumentFile rows inserted in bulk",
        f"fill time {data['fill_s']:.1f} s (migrations, demo seed, {rows['offices'] - 2} offices by setup_office, the data; "
        f"ANALYZE); database size {data['db_size'] / 2**20:.1f} MB (pg_database_size)",
        "rows: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()),
        f"load: gunicorn 2 sync workers on 127.0.0.1, wrk -t2 -c{args.connections} -d{args.duration}s per endpoint, "
        f"year {args.year}; rate limits kept in {results['limits']}",
        "",
        f"{'endpoint':<46} {'median':>9} {'p95':>9} {'req/s':>8} {'requests':>9}  non-2xx  as",
    ]
    for r in (c, d, a, h):
        lines.append(f"{r['path']:<46} {r['median_ms']:7.1f}ms {r['p95_ms']:7.1f}ms {r['rps']:8.1f} "
                     f"{r['requests']:9d}  {r['non2xx'] + r['socket_errors']:7d}  {r['who']}")
    ip = data["in_process"]
    lines += ["", "in-process, one request at a time (test client, no load): " + ", ".join(
        f"{k} {ms:.1f} ms / {n} SQL" for k, (ms, n) in ip.items())]
    lines += [
        "",
        f"console ÷ dashboard:  median {cd_med:5.2f}×  p95 {cd_p95:5.2f}×  (goal ≤ 2): "
        f"{met(cd_med, cd_p95, goal=2)}",
        f"API summary ÷ bare:   median {ah_med:5.2f}×  p95 {ah_p95:5.2f}×  (goal ≤ 3): "
        f"{met(ah_med, ah_p95, goal=3)}",
        f"SQL statements of one console request (test client, in-process): {data['queries_3']} with 3 offices, "
        f"{data['queries_31']} with {rows['offices']} offices",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=PG_ADMIN)
    parser.add_argument("--database", default="iku_bench_kabupaten")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database (and its file store) afterwards")
    parser.add_argument("--output", default=str(RESULT))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")

    from iku_workflow import create_app

    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{args.database}"'))
        pg_version = conn.execute(sa.text("SHOW server_version")).scalar()
    url = sa.make_url(args.admin_url).set(database=args.database).render_as_string(hide_password=False)
    workdir = Path(tempfile.mkdtemp(prefix="iku-bench-kabupaten-"))
    try:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": True,
                          "IKU_DEMO_PASSWORD": PASSWORD, "IKU_UPLOAD_DIR": str(workdir / "uploads"),
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        print(f"filling {args.database} ...", flush=True)
        data = fill(app, args.year)
        data["pg_version"] = pg_version
        with app.app_context():
            from iku_workflow.extensions import db

            db.engine.dispose()
        print(f"fill {data['fill_s']:.1f} s; measuring ...", flush=True)
        results = measure(url, workdir, args.year, args.duration, args.connections)
        text = report(args, data, results)
        print(text, end="")
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {url} and the file store {workdir / 'uploads'}")
        admin.dispose()


if __name__ == "__main__":
    main()
