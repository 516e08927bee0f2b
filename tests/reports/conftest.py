"""Fixtures of the report tests (the contexts themselves are built in tests/factories.py)."""

from __future__ import annotations

import pytest

from factories import make_decree


@pytest.fixture(scope="session")
def decree_bytes() -> bytes:
    from iku_workflow.reports.decree import build_decree

    return build_decree(make_decree())
