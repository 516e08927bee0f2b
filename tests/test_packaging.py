"""A non-editable install works: the wheel carries templates/ and migrations/ (iku_workflow/bundled)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(work), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(work.glob("iku_workflow-*.whl"))
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def _run(target: Path, cwd: Path, code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(target), "SECRET_KEY": "x" * 32, "IKU_DEMO": "1",
           "DATABASE_URL": "sqlite:///" + str(cwd / "pkg.sqlite3"), "IKU_DEMO_PASSWORD": "paket-demo-12345"}
    env.pop("IKU_TEST_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_install_migrates_and_serves(installed, tmp_path):
    where = _run(installed, tmp_path, "import iku_workflow; print(iku_workflow.__file__, iku_workflow.TEMPLATE_DIR, iku_workflow.MIGRATIONS_DIR)")
    assert where.returncode == 0, where.stderr
    module_file, templates, migrations = where.stdout.split()
    assert module_file.startswith(str(installed)), "the installed copy, not the checkout, must be imported"
    assert templates.startswith(str(installed)) and migrations.startswith(str(installed))

    upgraded = _run(installed, tmp_path, "from iku_workflow.cli import main; main()", "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    seeded = _run(installed, tmp_path, "from iku_workflow.cli import main; main()", "seed", "demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "Kecamatan Gumukmas" in seeded.stdout

    served = _run(installed, tmp_path,
                  "from iku_workflow import create_app; c = create_app().test_client(); r = c.get('/login'); "
                  "print(r.status_code, 'Masuk ke IKU Workflow' in r.get_data(as_text=True), c.get('/static/vendor/chartjs/chart.umd.min.js').status_code)")
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == ["200", "True", "200"]
