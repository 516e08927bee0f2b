"""Benchmark: the complaints register page of an office-year with 5,000 complaints against the same page
of a year with 50, in one run (goal: within 2×).

Fills a fresh database (a SQLite file by default; --database-url for PostgreSQL) with the demo office,
N complaints in year 2025 and 50 in 2024 (approved, spread over the desa, channels and statuses), then
times GET /register/pengaduan/<year> as the sekcam for both years: the first page, a filtered and
searched page, and a deep page of the big year. The page must not load all rows: paging, totals and
counts are SQL (registers/listing.py). Results are appended to bench/results/registers.txt.

    PYTHONPATH=. python bench/registers.py [--database-url URL] [--runs 30] [--complaints 5000]
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
from iku_workflow.models import Complaint, ComplaintChannel, ComplaintStatus, EntryState, User, WorkflowEntry  # noqa: E402
from iku_workflow.registers.desa import GUMUKMAS_DESA  # noqa: E402
from iku_workflow.seed.demo import seed_demo  # noqa: E402

PASSWORD = "bench-password-123"
BIG, SMALL = 2025, 2024
STATUSES = (ComplaintStatus.SELESAI, ComplaintStatus.DIPROSES, ComplaintStatus.MASUK)


def fill_year(office, year: int, n: int, users, section) -> None:
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(WorkflowEntry), [
        dict(office_id=office.id, section_id=section.id, kind="complaint", title=f"aduan {year} {i}", year=year,
             state=EntryState.APPROVED, version=1, submitted_by_id=users["trantib"].id, submitted_at=now,
             decided_by_id=users["sekcam"].id, decided_at=now, created_at=now, updated_at=now) for i in range(n)])
    ids = db.session.scalars(sa.select(WorkflowEntry.id).where(WorkflowEntry.kind == "complaint",
                                                               WorkflowEntry.year == year).order_by(WorkflowEntry.id)).all()
    rows = []
    for i, eid in enumerate(ids):
        received = date(year, 1, 1) + timedelta(days=i % 360)
        status = STATUSES[i % 3]
        rows.append(dict(office_id=office.id, entry_id=eid, year=year, received_on=received,
                         channel=list(ComplaintChannel)[i % 5], desa=GUMUKMAS_DESA[i % len(GUMUKMAS_DESA)],
                         summary=f"Aduan warga nomor {i} tentang parkir liar", status=status,
                         resolved_on=received + timedelta(days=2) if status is ComplaintStatus.SELESAI else None,
                         resolution="", evidence_note="", created_at=now))
        if len(rows) == 5000:
            db.session.execute(sa.insert(Complaint), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Complaint), rows)


def fill(complaints: int) -> None:
    office = seed_demo(PASSWORD, echo=lambda _m: None)
    db.session.commit()
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    section = next(s for s in office.sections if s.code == "trantib")
    fill_year(office, BIG, complaints, users, section)
    fill_year(office, SMALL, 50, users, section)
    db.session.commit()


def timed(client, url: str, runs: int, expect: str) -> list[float]:
    first = client.get(url)  # warm-up (template compilation, first connection)
    assert first.status_code == 200 and expect in first.get_data(as_text=True), url
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
    parser.add_argument("--database-url", default=None, help="an empty database (default: a new SQLite file)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--complaints", type=int, default=5_000)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "registers.txt"))
    args = parser.parse_args()
    if args.database_url:
        url = args.database_url
    else:
        path = Path(tempfile.gettempdir()) / "iku-bench-registers.sqlite3"
        path.unlink(missing_ok=True)
        url = "sqlite:///" + str(path)
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": True,
                      "IKU_DEMO_PASSWORD": PASSWORD, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "IKU_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        fill(args.complaints)
        fill_s = time.perf_counter() - t0
        big = db.session.scalar(sa.select(sa.func.count(Complaint.id)).where(Complaint.year == BIG))
        small = db.session.scalar(sa.select(sa.func.count(Complaint.id)).where(Complaint.year == SMALL))
    client = app.test_client()
    assert client.post("/login", data={"username": "sekcam", "password": PASSWORD}).status_code == 302
    base = "/register/pengaduan/"
    filtered = "?status=selesai&desa=Kepanjen&q=parkir&urut=-diterima"
    pages = -(-big // 50)
    cases = [
        ("first page, 50 rows", base + str(SMALL), small),
        (f"first page, {big:,} rows", base + str(BIG), big),
        ("filtered+searched, 50 rows", base + str(SMALL) + filtered, None),
        (f"filtered+searched, {big:,} rows", base + str(BIG) + filtered, None),
        (f"last page ({pages}), {big:,} rows", base + str(BIG) + f"?hal={pages}", big),
    ]
    results = []
    for label, page_url, total in cases:
        expect = f"{total:,}".replace(",", ".") + " pengaduan" if total else "pengaduan"
        results.append((label, page_url, timed(client, page_url, args.runs, expect)))
    small_med, big_med = statistics.median(results[0][2]), statistics.median(results[1][2])
    fsmall, fbig = statistics.median(results[2][2]), statistics.median(results[3][2])
    lines = [
        f"IKU Workflow register page benchmark — {datetime.now().isoformat(timespec='seconds')}",
        f"database: {sa.make_url(url).render_as_string(hide_password=True)} ({sa.make_url(url).get_backend_name()})",
        f"python {platform.python_version()} on {platform.machine()}; in-process test client; runs per page: {args.runs}",
        f"complaints (approved): year {BIG} {big:,}, year {SMALL} {small:,}; fill time {fill_s:.1f} s",
    ]
    for label, page_url, values in results:
        lines.append(f"{label:<34} median {statistics.median(values):7.2f} ms   p95 {p95(values):7.2f} ms   {page_url}")
    lines += [
        f"ratio first page {big:,}/50: median {big_med / small_med:4.2f}×   p95 {p95(results[1][2]) / p95(results[0][2]):4.2f}×"
        "   (goal ≤ 2×)",
        f"ratio filtered page {big:,}/50: median {fbig / fsmall:4.2f}×",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


if __name__ == "__main__":
    main()
