"""Benchmark: approving 200 selected rows of the review queue in one request against approving one.

Fills a database (a SQLite file by default; --database-url for PostgreSQL: the script creates and drops its
own database ``iku_bench_review`` on that server) with the demo office, then, for each run, puts 1 + 200
complaints of Seksi Trantib in the sekcam's queue and times POST /tinjauan/setujui with one ticked row
and with 200. Reports median and p95 of each and their ratio (goal: 200 rows within 5× one row).
Results are appended to bench/results/review.txt.

    PYTHONPATH=. python bench/review.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--runs 15]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iku_workflow import create_app  # noqa: E402
from iku_workflow.extensions import db  # noqa: E402
from iku_workflow.models import (Complaint, ComplaintChannel, ComplaintStatus, EntryState, User,  # noqa: E402
                                 WorkflowEntry)
from iku_workflow.seed.demo import seed_demo  # noqa: E402

PASSWORD = "bench-password-123"
YEAR = 2025
BENCH_DB = "iku_bench_review"


def submitted(n: int, tag: str) -> list[tuple[int, int]]:
    """``n`` complaints submitted by the Trantib operator, as (entry id, version)."""
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    trantib = users["trantib"]
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(WorkflowEntry), [
        dict(office_id=trantib.office_id, section_id=trantib.section_id, kind="complaint", title=f"{tag} {i}",
             year=YEAR, state=EntryState.SUBMITTED, version=2, submitted_by_id=trantib.id, submitted_at=now,
             created_by_id=trantib.id, created_at=now, updated_at=now) for i in range(n)])
    picks = db.session.execute(sa.select(WorkflowEntry.id, WorkflowEntry.version)
                               .where(WorkflowEntry.title.like(f"{tag} %")).order_by(WorkflowEntry.id)).all()
    ids = [eid for eid, _version in picks]
    db.session.execute(sa.insert(Complaint), [
        dict(office_id=trantib.office_id, entry_id=eid, year=YEAR, received_on=date(YEAR, 3, 1) + timedelta(days=i % 200),
             channel=ComplaintChannel.SURAT, desa="Gumukmas", summary=f"Aduan {i}", status=ComplaintStatus.DIPROSES,
             resolution="", evidence_note="", created_at=now) for i, eid in enumerate(ids)])
    db.session.commit()
    return [(eid, version) for eid, version in picks]


def approve(client, picks: list[tuple[int, int]]) -> float:
    data = {"pilih": [f"{i}:{v}" for i, v in picks], "next": "/tinjauan"}
    t0 = time.perf_counter()
    response = client.post("/tinjauan/setujui", data=data)
    elapsed = (time.perf_counter() - t0) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _database(url: str | None) -> tuple[str, str | None]:
    """(URL the app uses, admin URL to drop it afterwards or None)."""
    if not url:
        path = Path(tempfile.gettempdir()) / "iku-bench-review.sqlite3"
        path.unlink(missing_ok=True)
        return "sqlite:///" + str(path), None
    admin = sa.make_url(url)
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{BENCH_DB}"'))
    engine.dispose()
    return admin.set(database=BENCH_DB).render_as_string(hide_password=False), url


def _drop(admin_url: str | None) -> None:
    if admin_url:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}"'))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "review.txt"))
    args = parser.parse_args()
    url, admin_url = _database(args.database_url)
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": True,
                      "IKU_DEMO_PASSWORD": PASSWORD, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "IKU_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    try:
        with app.app_context():
            db.create_all()
            seed_demo(PASSWORD, echo=lambda _m: None)
            db.session.commit()
            client = app.test_client()
            assert client.post("/login", data={"username": "sekcam", "password": PASSWORD}).status_code == 302
            approve(client, submitted(1, "warm-one"))  # warm-up (templates, first connection)
            approve(client, submitted(args.batch, "warm-many"))
            one, many = [], []
            for run in range(args.runs):  # interleaved, so drift hits both alike
                single, batch = submitted(1, f"one-{run}"), submitted(args.batch, f"many-{run}")
                one.append(approve(client, single))
                many.append(approve(client, batch))
            approved = db.session.scalar(sa.select(sa.func.count(WorkflowEntry.id)).where(
                WorkflowEntry.state == EntryState.APPROVED, WorkflowEntry.title.like("many-%")))
            assert approved == args.runs * args.batch, approved
            backend = sa.make_url(url).get_backend_name()
            db.session.remove()
            db.engine.dispose()  # its connections closed, so its database can be dropped
    finally:
        _drop(admin_url)
    o_med, m_med = statistics.median(one), statistics.median(many)
    lines = [
        f"IKU Workflow bulk review benchmark — {datetime.now().isoformat(timespec='seconds')}",
        f"database: {backend}; python {platform.python_version()} on {platform.machine()}; runs: {args.runs}",
        f"POST /tinjauan/setujui, 1 row:          median {o_med:7.2f} ms   p95 {p95(one):7.2f} ms",
        f"POST /tinjauan/setujui, {args.batch} rows:       median {m_med:7.2f} ms   p95 {p95(many):7.2f} ms",
        f"ratio {args.batch} rows / 1 row: median {m_med / o_med:5.2f}×   p95 {p95(many) / p95(one):5.2f}×   (goal ≤ 5×)",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


if __name__ == "__main__":
    main()
