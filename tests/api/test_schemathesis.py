"""The whole OpenAPI document exercised in-process by schemathesis: whatever the generated parameters,
no 500, and every answer (200 or error) has a documented status, content type and matches its schema.

``test_generated`` lets schemathesis (hypothesis) choose the parameters (mostly unknown codes and ids: 404); the demo
office's real values are checked by ``test_real_values`` so that every 200 body is validated too.
"""
from __future__ import annotations

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from iku_workflow.extensions import db
from iku_workflow.models import SurveyPeriod

from .conftest import bearer


@pytest.fixture
def api_schema(app, office):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# schemathesis.pytest.from_fixture + schema.parametrize() is the documented way, but its pytest plugin
# (4.32) sets ``request.node._nodeid``, which pytest 9 no longer has. The same generation is driven here
# through hypothesis directly: one strategy of cases per operation of the document.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated(api_schema, secret, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=bearer(secret))

        check()


def test_real_values(api_schema, office, secret):
    """With the sekcam's token and the kabupaten reader's: every operation answers 200 to one of them."""
    from .conftest import issue

    period_ids = db.session.scalars(sa.select(SurveyPeriod.id).where(SurveyPeriod.office_id == office.id)).all()
    values = {"code": ["gumukmas", "kencong", "jember", "puger", "x"], "year": [2025, 2026, 1999],
              "period_id": [*period_ids, 0]}
    answered = set()
    for secret_of in (secret, issue("kabupaten")):
        for result in api_schema.get_all_operations():
            operation = result.ok()
            names = [p.name for p in operation.path_parameters]
            combinations = [{}]
            for name in names:
                combinations = [{**c, name: v} for c in combinations for v in values[name]]
            for params in combinations:
                case = operation.Case(path_parameters=params)
                response = case.call_and_validate(headers=bearer(secret_of))
                if response.status_code == 200:
                    answered.add(operation.label)
    assert len(answered) == 9  # every operation answered 200 at least once, and was validated
