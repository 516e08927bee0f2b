"""Benchmark: downloading a 20 MB evidence file through the app, on the local store and on S3
(SeaweedFS), beside a plain boto3 ``get_object()['Body'].iter_chunks()`` of the same object.

Each case runs in a fresh Python process (so one case's memory cannot hide another's): it opens the
app (or only boto3), signs in, then downloads the file ``--runs`` times through the documents
download view with Flask's test client, consuming the streamed response chunk by chunk. It reports
the median time, the growth of the process's peak RSS over all the downloads (VmHWM during them
minus VmRSS before the first) and the peak of Python allocations during one download (``tracemalloc``). A fourth
case reads the whole file into memory (``store.read``), to show what the figures look like when a
download is *not* streamed. Results go to bench/results/storage.txt as ratios to the boto3 baseline.

    PYTHONPATH=. .venv/bin/python bench/storage.py [--mb 20] [--runs 5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

RESULT = ROOT / "bench" / "results" / "storage.txt"
PASSWORD = "bench-password-123"
KIB = 1024


def app_config(database_url: str, storage_url: str, s3: dict, instance: Path) -> dict:
    return {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url, "IKU_DEMO": True,
            "IKU_DEMO_PASSWORD": PASSWORD, "IKU_UPLOAD_DIR": str(instance / "uploads"), "IKU_STORAGE_URL": storage_url,
            **s3, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
            "IKU_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def rss_now_kib() -> int:
    return _status_kib("VmRSS")


def rss_peak_kib() -> int:
    """The process's peak RSS since the last reset_peak() (VmHWM; ru_maxrss would carry the parent's
    peak across fork and exec)."""
    return _status_kib("VmHWM")


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:  # "5": reset the peak RSS to the current RSS
        fh.write("5")


# ---------------------------------------------------------------- one case, in its own process

def run_case(spec: dict) -> dict:
    runs, size, sha = spec["runs"], spec["size"], spec["sha256"]
    if spec["case"] == "boto3":
        from iku_workflow.storage.s3 import s3_client

        s3 = spec["s3"]
        client = s3_client(s3["IKU_S3_ENDPOINT_URL"], s3["IKU_S3_ACCESS_KEY"], s3["IKU_S3_SECRET_KEY"], "us-east-1")
        bucket, key = spec["bucket"], spec["s3_key"]

        def download(digest):
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
            for chunk in body.iter_chunks(64 * KIB):
                digest.update(chunk)
            body.close()
    else:
        from iku_workflow import create_app

        app = create_app(app_config(spec["database_url"], spec["storage_url"], spec["s3"], Path(spec["instance"])))
        ctx = app.app_context()
        ctx.push()
        client = app.test_client()
        assert client.post("/login", data={"username": "pelayanan", "password": PASSWORD}).status_code == 302
        url = f"/dokumen/berkas/{spec['file_id']}/unduh"
        # build the boto3 client now (botocore's service model is ~20 MB), as the baseline does before it
        # is measured: a running app has it from its first file on
        getattr(app.extensions["iku_storage"], "client", None)

        if spec["case"].endswith("-whole"):
            store = app.extensions["iku_storage"]

            def download(digest):  # what a non-streamed download costs: the whole file in memory
                digest.update(store.read(spec["key"]))
        else:
            def download(digest):
                response = client.get(url)
                assert response.status_code == 200 and response.content_length == size
                for chunk in response.response:
                    digest.update(chunk)
                response.close()

    reset_peak()
    before = rss_now_kib()  # the process with its app (or client) ready, before any download
    warm = hashlib.sha256()
    download(warm)  # connections, the first request's set-up
    assert warm.hexdigest() == sha, "the download returned other bytes"
    times = []
    for _ in range(runs):
        digest = hashlib.sha256()
        start = time.perf_counter()
        download(digest)
        times.append(time.perf_counter() - start)
        assert digest.hexdigest() == sha
    after = rss_peak_kib()
    tracemalloc.start()
    download(hashlib.sha256())
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"times": times, "rss_growth_kib": after - before, "rss_peak_kib": after,
            "traced_peak_kib": traced_peak // KIB}


# ---------------------------------------------------------------- set-up and report

def prepare(work: Path, megabytes: int, weed) -> dict:
    import sqlalchemy as sa

    from iku_workflow import create_app, storage
    from iku_workflow.extensions import db
    from iku_workflow.models import DocumentFile, DocumentType, RequiredDocument
    from iku_workflow.seed.demo import seed_demo

    database_url = "sqlite:///" + str(work / "bench.sqlite3")
    local_url = (work / "uploads").as_uri()
    s3_url = f"s3://{weed.bucket}/bench"
    data = b"%PDF-1.4\n" + os.urandom(megabytes * 1024 * 1024 - 15) + b"\n%%EOF"
    sha = hashlib.sha256(data).hexdigest()
    app = create_app(app_config(database_url, local_url, weed.config(), work))
    with app.app_context():
        db.create_all()
        office = seed_demo(PASSWORD, echo=lambda _m: None)
        db.session.commit()
        doc = db.session.scalar(sa.select(RequiredDocument).join(RequiredDocument.type).where(
            RequiredDocument.year == date.today().year, DocumentType.code == "sop"))
        relative_dir = f"{office.code}/{doc.year}"
        key = storage.new_key(relative_dir)
        for url in (local_url, s3_url):  # the same key in both stores: one row serves both cases
            written = storage.store_from_url(url, app.config).put(key, data)
            assert written.sha256 == sha
        item = DocumentFile(office_id=office.id, document_id=doc.id, version=1, original_name="pindaian.pdf",
                            stored_name=key.rsplit("/", 1)[1], relative_dir=relative_dir, size=len(data), sha256=sha,
                            mime="application/pdf", extension="pdf")
        db.session.add(item)
        db.session.commit()
        file_id = item.id
        db.engine.dispose()
    return {"database_url": database_url, "local_url": local_url, "s3_url": s3_url, "key": key, "size": len(data),
            "sha256": sha, "file_id": file_id, "instance": str(work), "bucket": weed.bucket,
            "s3_key": f"bench/{key}", "s3": weed.config()}


def spawn(spec: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, __file__, "--case-json", json.dumps(spec)], capture_output=True,
                          text=True, env=env, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"case {spec['case']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5, help="downloads per process")
    parser.add_argument("--rounds", type=int, default=3,
                        help="processes per case, the cases alternating (the machine's load hits all alike)")
    parser.add_argument("--case-json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case_json:
        print(json.dumps(run_case(json.loads(args.case_json))))
        return 0

    from weed_server import WeedServer

    with tempfile.TemporaryDirectory(prefix="iku-bench-storage-") as tmp:
        work = Path(tmp)
        weed = WeedServer.start(work / "seaweedfs")
        try:
            base = prepare(work, args.mb, weed)
            cases = [("boto3", "plain boto3 get_object()['Body'].iter_chunks()", None),
                     ("app-s3", "app download view, S3 store (SeaweedFS)", base["s3_url"]),
                     ("app-local", "app download view, local store", base["local_url"]),
                     ("local-whole", "contrast: store.read() of the whole file, local", base["local_url"])]
            rounds: dict[str, list[dict]] = {name: [] for name, _l, _u in cases}
            for _round in range(args.rounds):
                for name, _label, url in cases:
                    rounds[name].append(spawn({**base, "case": name, "storage_url": url, "runs": args.runs}))
            results = {name: {"median_s": statistics.median(t for r in runs for t in r["times"]),
                              "rss_growth_kib": max(r["rss_growth_kib"] for r in runs),
                              "rss_peak_kib": max(r["rss_peak_kib"] for r in runs),
                              "traced_peak_kib": max(r["traced_peak_kib"] for r in runs)}
                       for name, runs in rounds.items()}
        finally:
            weed.stop()

    size_mb = base["size"] / (1024 * 1024)
    baseline = results["boto3"]
    lines = [
        f"IKU Workflow file store benchmark — {datetime.now().isoformat(timespec='seconds')}",
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPU; "
        f"file {size_mb:.1f} MB; {args.rounds} processes per case, cases alternating, {args.runs} downloads each after "
        "one warm-up: median time, largest memory figures",
        "RSS growth: the process's peak RSS (VmHWM, reset before) during all downloads minus its RSS before the first;",
        "traced peak: tracemalloc's peak of Python allocations during one download.",
        "",
        f"{'case':<12} {'median':>9} {'x boto3':>8} {'RSS growth':>11} {'traced peak':>12}   what",
    ]
    for name, label, _url in cases:
        r = results[name]
        lines.append(f"{name:<12} {r['median_s'] * 1000:7.1f} ms {r['median_s'] / baseline['median_s']:7.2f}x "
                     f"{r['rss_growth_kib'] / 1024:8.1f} MB {r['traced_peak_kib'] / 1024:9.2f} MB   {label}")
    s3, local = results["app-s3"], results["app-local"]
    lines += [
        "",
        "process peak RSS: " + ", ".join(f"{n} {results[n]['rss_peak_kib'] / 1024:.0f} MB" for n, _l, _u in cases),
        f"streamed app download on S3: {s3['median_s'] / baseline['median_s']:.2f}x the time of plain boto3, "
        f"RSS growth {s3['rss_growth_kib'] / 1024:.1f} MB (boto3 {baseline['rss_growth_kib'] / 1024:.1f} MB), "
        f"traced peak {s3['traced_peak_kib'] / 1024:.2f} MB ({s3['traced_peak_kib'] / 1024 / size_mb:.1%} of the file); "
        f"local: {local['median_s'] / baseline['median_s']:.2f}x, RSS growth {local['rss_growth_kib'] / 1024:.1f} MB, "
        f"traced peak {local['traced_peak_kib'] / 1024:.2f} MB.",
        f"reading the whole file instead: RSS growth {results['local-whole']['rss_growth_kib'] / 1024:.1f} MB, traced "
        f"peak {results['local-whole']['traced_peak_kib'] / 1024:.1f} MB (memory grows with the file; the streamed "
        "views do not).",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
