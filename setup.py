"""Build hook: ship the top-level templates/ and migrations/ inside the wheel (iku_workflow/bundled/),
so a non-editable install finds them (see iku_workflow._resource_dir)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "iku_workflow" / "bundled"
        for name in ("templates", "migrations"):
            source = HERE / name
            if source.is_dir():
                dest = target / name
                if dest.exists():
                    shutil.rmtree(dest)
                shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithResources})
