"""Benchmark of the SKM index: a million responses, SQL aggregation beside a bare AVG, and the import rate.

    PYTHONPATH=. python bench/survey.py                  # SQLite (/tmp) and PostgreSQL (temporary database)
    PYTHONPATH=. python bench/survey.py --rows 100000    # scaled down
    PYTHONPATH=. python bench/survey.py --database-url sqlite:////tmp/x.sqlite3   # one database only

Loads the rows in bulk (executemany on SQLite, COPY on PostgreSQL; the survey_totals triggers fire, so
the load time includes keeping the running totals), times `survey.compute.sql_index` (the IKM as the
application computes it: the period's trigger-kept totals, then `domain.skm.compute_from_sums`) against
`SELECT AVG(u1)` over the response table (best of 5 each). For the record it also times
`survey.compute.raw_index` (COUNT(*) + SUM(u1..u9) over the million rows, the verification path) and
checks that both give the same result. Imports a 100,000-row CSV through `survey.importer.import_file`.
Writes bench/results/survey.txt.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
COLUMNS = ("period_id", "service_id", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
           *(f"u{i}" for i in range(1, 10)), "source", "created_at")


def _rows(n: int, period_id: int, services: list[int], seed: int):
    rng = random.Random(seed)
    first = date(2025, 1, 1)
    now = "2025-07-01 00:00:00.000000"
    edu = ("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3")
    job = ("PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA")
    for _ in range(n):
        yield (period_id, rng.choice(services), first + timedelta(days=rng.randrange(181)), rng.choice("LP"),
               rng.randint(18, 70), rng.choice(edu), rng.choice(job), *(rng.randint(1, 4) for _ in range(9)),
               "import", now)


def _load(conn, n: int, period_id: int, services: list[int]) -> float:
    start = time.perf_counter()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY survey_responses ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in _rows(n, period_id, services, 1):
                    copy.write_row(row)
    else:
        sql = f"INSERT INTO survey_responses ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        batch = []
        for row in _rows(n, period_id, services, 1):
            batch.append((*row[:2], row[2].isoformat(), *row[3:]))
            if len(batch) == 50_000:
                raw.executemany(sql, batch)
                batch.clear()
        if batch:
            raw.executemany(sql, batch)
    return time.perf_counter() - start


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _csv(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tanggal", "jenis_layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
                     *(f"u{i}" for i in range(1, 10))])
    rng = random.Random(7)
    services = ("KTP-el", "Kartu Keluarga", "Surat Pindah", "Legalisasi", "Izin")
    for _ in range(n):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        writer.writerow([day.strftime("%d/%m/%Y"), rng.choice(services), rng.choice("LP"), rng.randint(18, 70),
                         rng.choice(("SMA", "S1", "SMP")), rng.choice(("Wiraswasta", "PNS", "Lainnya")),
                         *(rng.randint(1, 4) for _ in range(9))])
    return out.getvalue().encode()


def run(url: str, rows: int, import_rows: int) -> dict:
    from iku_workflow import create_app
    from iku_workflow.extensions import db
    from iku_workflow.seed.demo import create_office
    from iku_workflow.survey import compute, importer
    from iku_workflow.survey.operations import open_period

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "IKU_DEMO": True,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        office = create_office("bench", "Bench", "Jember")
        period = open_period(office.id, 2025, "S1", user=None)
        db.session.commit()
        conn = db.session.connection()
        load = _load(conn, rows, period.id, [s.id for s in period.services])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE survey_responses"))
        else:
            db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        result = compute.sql_index(period)
        assert result.respondents == rows
        assert compute.raw_index(period) == result
        ikm_time = _best(lambda: compute.sql_index(period))
        raw_time = _best(lambda: compute.raw_index(period))
        avg_time = _best(lambda: db.session.execute(sa.text("SELECT AVG(u1) FROM survey_responses")).scalar())
        other = open_period(office.id, 2025, "TAHUN", user=None)
        db.session.commit()
        data = _csv(import_rows)
        start = time.perf_counter()
        batch = importer.import_file(other, data, "bench.csv", user=None)
        db.session.commit()
        import_time = time.perf_counter() - start
        assert batch.rows == import_rows
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return {"db": sa.make_url(url).get_backend_name(), "rows": rows, "load_s": load, "ikm_s": ikm_time,
            "avg_s": avg_time, "ratio": ikm_time / avg_time,
            "raw_s": raw_time, "raw_ratio": raw_time / avg_time, "konversi": result.konversi, "mutu": result.mutu,
            "import_rows": import_rows, "import_s": import_time, "import_rate": import_rows / import_time}


def _pg_temp():
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"iku_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return admin, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="run on this database only (its tables are dropped!)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "survey.txt"))
    args = parser.parse_args()
    results = []
    if args.database_url:
        results.append(run(args.database_url, args.rows, args.import_rows))
    else:
        path = Path("/tmp/iku-bench-survey.sqlite3")
        path.unlink(missing_ok=True)
        results.append(run(f"sqlite:///{path}", args.rows, args.import_rows))
        path.unlink(missing_ok=True)
        admin, name = _pg_temp()
        try:
            url = sa.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
            results.append(run(url, args.rows, args.import_rows))
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    lines = [f"SKM benchmark ({date.today().isoformat()}, Python {platform.python_version()}, "
             f"{platform.machine()}, {os.cpu_count()} CPU)", ""]
    for r in results:
        lines += [
            f"[{r['db']}] {r['rows']:,} responses loaded in bulk in {r['load_s']:.1f} s",
            f"  IKM (trigger-kept totals, compute_from_sums): {r['ikm_s'] * 1000:.2f} ms "
            f"-> {r['konversi']} {r['mutu']}",
            f"  bare SELECT AVG(u1) over the rows:            {r['avg_s'] * 1000:.1f} ms",
            f"  ratio IKM / AVG: {r['ratio']:.3f}x (goal <= 1.5x)",
            f"  verification path, SUM u1..u9 + COUNT over the rows: {r['raw_s'] * 1000:.1f} ms "
            f"({r['raw_ratio']:.2f}x AVG), same result",
            f"  import of a {r['import_rows']:,}-row CSV (checked, bulk insert): {r['import_s']:.1f} s "
            f"= {r['import_rate']:,.0f} rows/s",
            "",
        ]
    text = "\n".join(lines)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
