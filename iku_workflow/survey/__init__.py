"""Survei Kepuasan Masyarakat (SKM): periods, the public questionnaire, staff entry, import, the IKM."""
from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("survey", __name__, url_prefix="/skm")
public_bp = Blueprint("survey_public", __name__)

from . import public, responses, views  # noqa: E402,F401  (routes)


def register(app) -> None:
    """Blueprints, the workflow kind, the IKU 2 measure and the demo seeder (called once per app)."""
    from ..seed.demo import DEMO_SEEDERS
    from ..workflow import kinds
    from . import measure, operations
    from .seed import seed_demo_survey

    from ..domain.numbers import format_id

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.jinja_env.filters.setdefault("idnum", format_id)
    if operations.KIND not in kinds.KINDS:
        kind = kinds.register(operations.KIND, _l("Hasil SKM"), url=_entry_url)
        kind.own_submit = _l("Hasil SKM diajukan dengan menutup periode surveinya.")
        kinds.on_transition(operations.KIND, operations._reopen_on_return)
    measure.register()
    if seed_demo_survey not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(seed_demo_survey)


def _entry_url(entry) -> str:
    import sqlalchemy as sa

    from ..extensions import db
    from ..models import SurveyPeriod

    period_id = db.session.scalar(sa.select(SurveyPeriod.id).where(SurveyPeriod.entry_id == entry.id))
    return url_for("survey.period", period_id=period_id) if period_id else url_for("workflow.entry", entry_id=entry.id)
