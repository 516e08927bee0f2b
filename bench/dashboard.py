"""Benchmark: the dashboard against a bare one-query endpoint of the same app, with a year of big registers.

Fills a database (a SQLite file by default; --database-url for PostgreSQL) with the demo office and
approved register rows (50,000 complaints, 5,000 activities, 500 program indicators by default),
then times GET /dasbor/<year> and a bench-only route doing one query (registered here, not in the
app), and reports median and p95 of each and their ratio. Results go to bench/results/dashboard.txt.

    PYTHONPATH=. python bench/dashboard.py [--database-url URL] [--runs 30]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iku_workflow import create_app  # noqa: E402
from iku_workflow.extensions import db  # noqa: E402
from iku_workflow.models import (Activity, ActivityKind, Complaint, ComplaintChannel, ComplaintStatus,  # noqa: E402
                                 EntryState, Office, ProgramIndicator, User, WorkflowEntry)
from iku_workflow.seed.demo import seed_demo  # noqa: E402

PASSWORD = "bench-password-123"
YEAR = 2025


def _entries(office, section, kind: str, n: int, submitter, decider) -> list[int]:
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(WorkflowEntry), [
        dict(office_id=office.id, section_id=section.id, kind=kind, title=f"{kind} {i}", year=YEAR,
             state=EntryState.APPROVED, version=1, submitted_by_id=submitter.id, submitted_at=now,
             decided_by_id=decider.id, decided_at=now, created_at=now, updated_at=now) for i in range(n)])
    return db.session.scalars(sa.select(WorkflowEntry.id).where(WorkflowEntry.kind == kind, WorkflowEntry.office_id
                                                                == office.id).order_by(WorkflowEntry.id)).all()


def fill(complaints: int, activities: int, programs: int) -> None:
    office = seed_demo(PASSWORD, echo=lambda _m: None)
    db.session.commit()
    if db.session.scalar(sa.select(sa.func.count(Complaint.id))):
        return
    sections = {s.code: s for s in office.sections}
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    sekcam = users["sekcam"]
    start = date(YEAR, 1, 1)
    ids = _entries(office, sections["trantib"], "complaint", complaints, users["trantib"], sekcam)
    rows = []
    for i, eid in enumerate(ids):
        received = start + timedelta(days=i % 360)
        done = i % 7 != 0
        rows.append(dict(office_id=office.id, entry_id=eid, year=YEAR, received_on=received,
                         channel=list(ComplaintChannel)[i % 5], desa="Gumukmas", summary=f"Aduan {i}",
                         status=ComplaintStatus.SELESAI if done else ComplaintStatus.DIPROSES,
                         resolved_on=received + timedelta(days=2) if done else None, resolution="",
                         evidence_note="", created_at=datetime.now(timezone.utc)))
        if len(rows) == 5000:
            db.session.execute(sa.insert(Complaint), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Complaint), rows)
    ids = _entries(office, sections["pmks"], "activity", activities, users["pmks"], sekcam)
    db.session.execute(sa.insert(Activity), [
        dict(office_id=office.id, entry_id=eid, year=YEAR, name=f"Kegiatan {i}", kind=ActivityKind.SOSIALISASI,
             planned_triwulan=i % 4 + 1, desa="", facilitated=i % 5 != 0,
             facilitated_on=date(YEAR, (i % 4) * 3 + 1, 15) if i % 5 else None, evidence_note="",
             created_at=datetime.now(timezone.utc)) for i, eid in enumerate(ids)])
    ids = _entries(office, sections["sekretariat"], "program", programs, users["sekretariat"], sekcam)
    db.session.execute(sa.insert(ProgramIndicator), [
        dict(office_id=office.id, entry_id=eid, year=YEAR, program=f"Program {i % 12}", indicator=f"Indikator {i}",
             unit="%", polarity="higher", target=Decimal(100), realisation=Decimal(90 + i % 20),
             achieved=90 + i % 20 >= 100, evidence_note="", created_at=datetime.now(timezone.utc))
        for i, eid in enumerate(ids)])
    db.session.commit()


def timed(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm-up (template compilation, first connection)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "dashboard.txt"))
    args = parser.parse_args()
    url = args.database_url or "sqlite:///" + str(Path(tempfile.gettempdir()) / "iku-bench-dashboard.sqlite3")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": True,
                      "IKU_DEMO_PASSWORD": PASSWORD, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "IKU_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})

    @app.route("/_bench/bare")
    def bench_bare():  # one query, same app, same middleware: the floor the dashboard is compared with
        return {"offices": db.session.scalar(sa.select(sa.func.count(Office.id)))}

    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        fill(args.complaints, args.activities, args.programs)
        fill_s = time.perf_counter() - t0
        counts = {m.__tablename__: db.session.scalar(sa.select(sa.func.count(m.id)))
                  for m in (Complaint, Activity, ProgramIndicator)}
    client = app.test_client()
    assert client.post("/login", data={"username": "sekcam", "password": PASSWORD}).status_code == 302
    dash = timed(client, f"/dasbor/{YEAR}", args.runs)
    bare = timed(client, "/_bench/bare", args.runs)
    d_med, b_med = statistics.median(dash), statistics.median(bare)
    lines = [
        f"IKU Workflow dashboard benchmark — {datetime.now().isoformat(timespec='seconds')}",
        f"database: {sa.make_url(url).render_as_string(hide_password=True)} ({sa.make_url(url).get_backend_name()})",
        f"python {platform.python_version()} on {platform.machine()}; runs per endpoint: {args.runs}",
        f"rows (approved, year {YEAR}): " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        + f"; fill time {fill_s:.1f} s (0 if reused)",
        f"GET /dasbor/{YEAR}:  median {d_med:7.2f} ms   p95 {p95(dash):7.2f} ms",
        f"GET /_bench/bare:    median {b_med:7.2f} ms   p95 {p95(bare):7.2f} ms   (one query)",
        f"ratio dashboard/bare: median {d_med / b_med:5.1f}×   p95 {p95(dash) / p95(bare):5.1f}×",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


if __name__ == "__main__":
    main()
