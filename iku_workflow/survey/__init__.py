"""Survei Kepuasan Masyarakat (SKM): periods, the public questionnaire, staff entry, import, the IKM."""
from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("survey", __name__, url_prefix="/skm")
public_bp = Blueprint("survey_public", __name__)


def _entry_url(entry) -> str:
    import sqlalchemy as sa

    from ..extensions import db
    from ..models import SurveyPeriod

    period_id = db.session.scalar(sa.select(SurveyPeriod.id).where(SurveyPeriod.entry_id == entry.id))
    return url_for("survey.period", period_id=period_id) if period_id else url_for("workflow.entry", entry_id=entry.id)


from . import counter, public, responses, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..measures import INDEX, Measure  # noqa: E402
from ..nav import NavItem  # noqa: E402
from ..workflow.kinds import Kind  # noqa: E402
from . import operations  # noqa: E402
from .cli import skm_group  # noqa: E402
from .measure import survey_index, survey_index_many  # noqa: E402
from .seed import seed_demo_survey  # noqa: E402

CAPABILITY = Capability(
    name="survey",
    blueprints=(bp, public_bp),
    workflow_kinds=(Kind(operations.KIND, _l("Hasil SKM"), url=_entry_url, hooks=(operations._reopen_on_return,),
                         own_submit=_l("Hasil SKM diajukan dengan menutup periode surveinya.")),),
    measures=(Measure("survey_index", _l("Indeks Kepuasan Masyarakat (SKM)"), survey_index,
                      data_page=lambda year: ("survey.index", {}), policy=INDEX, many=survey_index_many),),
    nav=(NavItem("survey", _l("SKM"), "survey.index", "survey.view", order=30),),
    seeders=(seed_demo_survey,),
    cli_groups=(skm_group,),
)
