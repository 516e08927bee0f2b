"""The `iku-workflow` command line: seed, office, user, and `db upgrade` through the real entry point."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from conftest import PASSWORD
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, Office, Section, User

ROOT = Path(__file__).resolve().parent.parent


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Office, User, Section))


def test_seed_demo_twice_duplicates_nothing(runner):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    assert "Kecamatan Gumukmas dibuat dengan 5 seksi" in first.output
    assert "Pengguna demo dibuat: admin, camat, sekcam, sekretariat, pemerintahan, pelayanan, pmks, trantib." in first.output
    after_first = counts()
    # Gumukmas with its 8 users and 5 sections; Kencong (the second kecamatan, from the kabupaten's standard)
    # with 2 users and 5 sections; the 2 kabupaten users
    assert after_first == (2, 12, 10)

    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0, second.output
    assert "sudah ada" in second.output
    db.session.expire_all()
    assert counts() == after_first

    office = db.session.scalar(sa.select(Office).where(Office.code == "gumukmas"))
    assert office.camat_nip == "198406242002121001" and office.telephone == "0336-321042"


def test_seed_demo_refuses_a_weak_password(make_app):
    app = make_app(IKU_DEMO_PASSWORD="pendek")
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 1
    assert "IKU_DEMO_PASSWORD ditolak" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Office)) == 0


def test_office_create(runner):
    refused = runner.invoke(args=["office", "create", "puger", "--name", "Puger", "--kabupaten", "Jember"])
    assert refused.exit_code == 1 and "Kabupaten “Jember” belum ada" in refused.output
    made = runner.invoke(args=["kabupaten", "create", "jember", "--name", "Jember"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(args=["office", "create", "puger", "--name", "Puger", "--kabupaten", "Jember"])
    assert result.exit_code == 0, result.output
    assert "Kantor Kecamatan Puger (puger, Kabupaten Jember) dibuat dengan 5 seksi." in result.output
    office = db.session.scalar(sa.select(Office).where(Office.code == "puger"))
    assert sorted(s.code for s in office.sections) == ["pelayanan", "pemerintahan", "pmks", "sekretariat", "trantib"]

    again = runner.invoke(args=["office", "create", "PUGER", "--name", "Puger", "--kabupaten", "Jember"])
    assert again.exit_code == 1
    assert "sudah ada" in again.output
    listed = runner.invoke(args=["office", "list"])
    assert "puger\tKecamatan Puger\tKab. Jember" in listed.output


def test_office_create_bad_code(runner):
    for code in ("x", "ada spasi", "Ümlaut", "_awal", "a" * 41):
        result = runner.invoke(args=["office", "create", code, "--name", "X", "--kabupaten", "Jember"])
        assert result.exit_code == 1, code
        assert "Kode kantor hanya huruf kecil" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Office)) == 0


def create_user(runner, *args):
    return runner.invoke(args=["user", "create", *args])


def test_user_create_refusals(runner, office):
    before = counts()
    cases = [
        (["baru", "--office", "tidak-ada", "--role", "camat", "--password", "sandi-baru-1234"],
         "Kantor dengan kode 'tidak-ada' tidak ditemukan."),
        (["CAMAT", "--office", "gumukmas", "--role", "camat", "--password", "sandi-baru-1234"],
         "Nama pengguna 'camat' sudah dipakai."),
        (["baru", "--office", "gumukmas", "--role", "camat", "--password", "pendek"],
         "Kata sandi minimal 10 karakter."),
        (["baru", "--office", "gumukmas", "--role", "seksi", "--password", "sandi-baru-1234"],
         "Peran seksi wajib memiliki --section."),
        (["baru", "--office", "gumukmas", "--role", "seksi", "--section", "ekbang", "--password", "sandi-baru-1234"],
         "Seksi 'ekbang' tidak ada di Kecamatan Gumukmas."),
        (["baru", "--office", "gumukmas", "--role", "camat", "--nip", "198413241234567890",
          "--password", "sandi-baru-1234"], "8 angka pertama NIP harus tanggal lahir yang sah"),
        (["nama spasi", "--office", "gumukmas", "--role", "camat", "--password", "sandi-baru-1234"],
         "Nama pengguna hanya huruf"),
    ]
    for args, message in cases:
        result = create_user(runner, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    bad_role = create_user(runner, "baru", "--office", "gumukmas", "--role", "raja", "--password", "sandi-baru-1234")
    assert bad_role.exit_code == 2 and "raja" in bad_role.output
    db.session.expire_all()
    assert counts() == before


def test_user_create_success(runner, office):
    result = create_user(runner, "operator-pmks2", "--office", "gumukmas", "--role", "seksi", "--section", "pmks",
                         "--full-name", "Operator PMKS Dua", "--nip", "19840624 200212 1 001",
                         "--password", "sandi-operator-2")
    assert result.exit_code == 0, result.output
    assert "Pengguna operator-pmks2 (seksi) dibuat di Kecamatan Gumukmas." in result.output
    user = db.session.scalar(sa.select(User).where(User.username == "operator-pmks2"))
    assert user.section.code == "pmks" and user.nip == "198406242002121001"
    assert user.password_hash.startswith("$argon2id$") and "sandi-operator-2" not in user.password_hash
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.object_id == user.id and event.details == {"via": "cli"}


def test_user_create_password_from_environment(runner, office, monkeypatch):
    monkeypatch.setenv("IKU_NEW_PASSWORD", "sandi-dari-env-1")
    result = create_user(runner, "pemantau", "--office", "gumukmas", "--role", "viewer")
    assert result.exit_code == 0, result.output
    client = runner.app.test_client()
    assert client.post("/login", data={"username": "pemantau", "password": "sandi-dari-env-1"}).status_code == 302


def run_cli(tmp_path: Path, *args: str, database: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "test-secret", "PYTHONPATH": str(ROOT),
           "IKU_DEMO_PASSWORD": PASSWORD}
    env.pop("IKU_DEMO", None)
    return subprocess.run(
        [sys.executable, "-c", "from iku_workflow.cli import main; main()", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_db_upgrade_and_seed_through_the_entry_point(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    url = f"sqlite:///{path}"
    result = run_cli(tmp_path, "db", "upgrade", database=url)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"alembic_version", "offices", "sections", "users", "audit_events", "workflow_entries"} <= tables

    seeded = run_cli(tmp_path, "seed", "demo", database=url)
    assert seeded.returncode == 0, seeded.stderr
    assert "Kecamatan Gumukmas dibuat" in seeded.stdout
    again = run_cli(tmp_path, "db", "upgrade", database=url)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 12  # the demo office, the second kecamatan and the kabupaten users


def test_production_without_secret_key_fails_clearly(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PYTHONPATH": str(ROOT)}
    for name in ("IKU_DEMO", "SECRET_KEY"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", "from iku_workflow.cli import main; main()", "db", "upgrade"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY belum diatur" in result.stderr
