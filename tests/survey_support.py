"""Helpers for the survey tests: a clean office (demo survey data removed) and responses in bulk."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from iku_workflow.extensions import db
from iku_workflow.models import (ResponseSource, SurveyImport, SurveyPeriod, SurveyResponse, SurveyResult,
                                 SurveyService, WorkflowEntry)
from iku_workflow.models._types import utcnow

WORKED_EXAMPLE = [  # RULES.md §1, five respondents
    (4, 3, 3, 4, 3, 4, 4, 3, 3),
    (3, 3, 2, 4, 3, 3, 4, 3, 2),
    (4, 4, 3, 4, 4, 4, 4, 4, 3),
    (3, 2, 3, 4, 3, 3, 3, 2, 3),
    (4, 3, 4, 4, 3, 4, 4, 3, 3),
]


def remove_demo_survey() -> None:
    """Drop what the demo seeder created, so a test starts from no survey at all."""
    entry_ids = list(db.session.scalars(sa.select(SurveyPeriod.entry_id)))
    for model in (SurveyResponse, SurveyImport, SurveyResult, SurveyService, SurveyPeriod):
        db.session.execute(sa.delete(model))
    if entry_ids:
        db.session.execute(sa.delete(WorkflowEntry).where(WorkflowEntry.id.in_(entry_ids)))
    db.session.commit()


def add_rows(period: SurveyPeriod, answers, *, day: date | None = None, service=None, **profile) -> None:
    """Insert one response per answer tuple (directly, as an import would)."""
    from iku_workflow.domain.dates import period_range

    day = day or period_range(period.year, period.label)[0]
    service = service or period.services[0]
    base = {"jenis_kelamin": "L", "usia": 30, "pendidikan": "SMA", "pekerjaan": "SWASTA", **profile}
    rows = [{"period_id": period.id, "service_id": service.id, "tanggal": day, "source": ResponseSource.STAFF,
             "created_at": utcnow(), **base, **{f"u{i}": a for i, a in enumerate(row, start=1)}}
            for row in answers]
    if rows:
        db.session.execute(sa.insert(SurveyResponse), rows)
    db.session.flush()


def fresh_user(client_as, username: str):
    """client_as(username) after forgetting the user Flask-Login cached on ``g``: the test's app context
    is reused by every request, so the previous client's user would otherwise answer the login."""
    from flask import g

    g.pop("_login_user", None)
    return client_as(username)
