"""Fixtures of the survey tests: one SKM period, the public questionnaire's client, apps with overrides.

Every test here starts from an office without the demo survey (the ``demo_without("survey")`` marker is
added to each), so what a test counts is what it made. The period a module needs is declared, not
rebuilt: ``pytestmark = pytest.mark.skm_period(year=2025, label="S1", population=None, fill=...)``;
without the marker it is this semester's open period with a population of 100 and no answers.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import get_user
from iku_workflow.extensions import db

HERE = Path(__file__).resolve().parent
TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.demo_without("survey"))


def pytest_configure(config):
    config.addinivalue_line("markers", "skm_period(year, label, population, fill): the survey tests' `period` fixture")


@pytest.fixture
def period(office, request):
    """The SKM period the module declares (``skm_period`` marker), opened by the sekcam and committed;
    ``fill(period)`` adds the module's answers."""
    from iku_workflow.survey.operations import open_period

    mark = request.node.get_closest_marker("skm_period")
    spec = {"year": TODAY.year, "label": CURRENT, "population": 100, "fill": None, **(mark.kwargs if mark else {})}
    p = open_period(office.id, spec["year"], spec["label"], user=get_user("sekcam"), population=spec["population"])
    if spec["fill"] is not None:
        spec["fill"](p)
    db.session.commit()
    return p


@pytest.fixture
def closed(period):
    """``period`` closed by the sekcam."""
    from iku_workflow.survey.operations import close_period

    close_period(period, get_user("sekcam"))
    db.session.commit()
    return period


@pytest.fixture
def app_with(make_app):
    """make_app with overrides, its engine disposed afterwards (PostgreSQL warns about open connections)."""
    made = []

    def factory(**overrides):
        made.append(make_app(**overrides))
        return made[-1]

    yield factory
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def public(app_with, period):
    """A visitor's client of the public questionnaire (no minimum time to answer)."""
    return app_with(SKM_MIN_SECONDS=0).test_client()
