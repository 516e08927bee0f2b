"""``/api/v1``: the office's IKU year read as JSON (offices, years, IKU summary, documents, SKM).

Each view: the token's user (``auth.authenticate`` ran as ``before_request``), the office through
``scope.office_or_404`` (the one rule of what a user may see), the action through ``access.can``, then
the same functions the pages and the CLI use, so the numbers are theirs.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from ..extensions import csrf, db, limiter
from ..domain.numbers import round_half_up
from ..models import Kabupaten, Office, DocumentFile, DocumentType, EntryState, Indicator, RequiredDocument, SurveyPeriod, WorkflowEntry
from . import auth, schemas
from .errors import ErrorSchema
from .scope import may_read, office_or_404, visible_kabupaten, visible_offices

#: the domain's years (the CLI's ``--year`` range, the tables' CHECK): another year is "not found"
YEARS = (2000, 2100)

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1",
               description="Read-only data of the offices the token's user may see.")
bp.before_request(auth.authenticate)
csrf.exempt(bp)  # bearer tokens only, GET only: no cookie, nothing to forge
limiter.limit(auth.rate_limit, key_func=auth.rate_limit_key, error_message="throttled")(bp)


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _refusals(func):
    """The errors every endpoint documents (a 404 too: the office, period or year may not be visible)."""
    func = bp.alt_response(401, schema=ErrorSchema, description="Missing, unknown or revoked token")(func)
    func = bp.alt_response(403, schema=ErrorSchema, description="The token's user may not read this")(func)
    func = bp.alt_response(404, schema=ErrorSchema, description="No such office (or not visible), year or period")(func)
    func = bp.alt_response(429, schema=ErrorSchema, description="Too many requests with this token")(func)
    return func


def _require(action: str) -> None:
    if not may_read(auth.current_api_user(), action):
        abort(403)


def _office(code: str):
    return office_or_404(auth.current_api_user(), code)


def _check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        abort(404)


@bp.route("/offices", methods=["GET"])
@bp.response(200, schemas.OfficeSchema(many=True))
@_refusals
def offices():
    """The offices the token's user may read."""
    _require("dashboard.view")
    return db.session.scalars(visible_offices(auth.current_api_user())).all()


@bp.route("/offices/<string:code>", methods=["GET"])
@bp.response(200, schemas.OfficeSchema)
@_refusals
def office(code: str):
    """One office."""
    _require("dashboard.view")
    return _office(code)


@bp.route("/offices/<string:code>/years", methods=["GET"])
@bp.response(200, schemas.YearsSchema)
@_refusals
def years(code: str):
    """The years for which the office has IKU."""
    _require("dashboard.view")
    office = _office(code)
    found = db.session.scalars(sa.select(Indicator.year).where(Indicator.office_id == office.id)
                               .distinct().order_by(Indicator.year.desc())).all()
    return {"office": office.code, "years": list(found)}


@bp.route("/offices/<string:code>/years/<int:year>/summary", methods=["GET"])
@bp.response(200, schemas.IkuSummarySchema(many=True))
@_refusals
def summary(code: str, year: int):
    """Every IKU of the year with target, realisation, capaian and criteria: the numbers of the dashboard
    and of ``iku-workflow iku report --json`` (same shape)."""
    from flask import current_app

    from ..indicators.summary import year_summary_text

    _require("reports.view")
    office = _office(code)
    _check_year(year)
    # the CLI's JSON (IkuSummary.as_json, the shape IkuSummarySchema documents), written once per change of
    # the office's data rather than dumped through the schema on every request
    return current_app.response_class(year_summary_text(office.id, year), mimetype="application/json")


@bp.route("/offices/<string:code>/years/<int:year>/documents", methods=["GET"])
@bp.response(200, schemas.DocumentSchema(many=True))
@_refusals
def documents(code: str, year: int):
    """The documents the year requires (IKU 1), in the order of the documents page."""
    _require("entry.view")
    office = _office(code)
    _check_year(year)
    docs = db.session.scalars(
        sa.select(RequiredDocument).where(RequiredDocument.office_id == office.id, RequiredDocument.year == year)
        .join(RequiredDocument.type)
        .options(selectinload(RequiredDocument.type),
                 selectinload(RequiredDocument.entry).selectinload(WorkflowEntry.section))
        .order_by(DocumentType.position, DocumentType.name)).all()
    counts = dict(db.session.execute(
        sa.select(DocumentFile.document_id, sa.func.count(DocumentFile.id))
        .where(DocumentFile.document_id.in_([d.id for d in docs])).group_by(DocumentFile.document_id)).all())
    today = date.today()
    return [{
        "id": d.id,
        "type_code": d.type.code,
        "type_name": d.type.name,
        "group": d.type.group.value,
        "section": d.entry.section,
        "due_date": d.entry.due_date,
        "state": d.entry.state.value,
        # as the documents page marks it: the due date has passed and the document is not approved
        "late": bool(d.entry.due_date and d.entry.due_date < today and d.entry.state is not EntryState.APPROVED),
        "files_count": counts.get(d.id, 0),
    } for d in docs]


def _ikm(result) -> dict | None:
    if result is None:
        return None
    return {"respondents": result.respondents, "ikm": float(result.ikm), "konversi": float(result.konversi),
            "mutu": result.mutu, "kinerja": result.kinerja}


def _period_fields(period: SurveyPeriod, result) -> dict:
    return {"id": period.id, "year": period.year, "label": period.label, "title": period.title,
            "status": period.status.value, "state": period.entry.state.value, "population": period.population,
            "closed_at": period.closed_at, "result": _ikm(result)}


@bp.route("/offices/<string:code>/skm-periods", methods=["GET"])
@bp.response(200, schemas.SkmPeriodSchema(many=True))
@_refusals
def skm_periods(code: str):
    """The office's SKM periods, newest first, each with its index (the list of the survey page)."""
    from ..survey import compute

    _require("survey.view")
    office = _office(code)
    periods = db.session.scalars(
        sa.select(SurveyPeriod).where(SurveyPeriod.office_id == office.id)
        .options(selectinload(SurveyPeriod.result), selectinload(SurveyPeriod.entry))
        .order_by(SurveyPeriod.year.desc(), SurveyPeriod.label)).all()
    indexes = compute.period_indexes(periods)
    return [_period_fields(p, indexes[p.id]) for p in periods]


@bp.route("/offices/<string:code>/skm-periods/<int:period_id>", methods=["GET"])
@bp.response(200, schemas.SkmPeriodDetailSchema)
@_refusals
def skm_period(code: str, period_id: int):
    """One SKM period: its index, the NRR of each unsur and the index of each service type (the result page)."""
    from ..domain import skm
    from ..domain.numbers import round_half_up
    from ..survey import compute

    _require("survey.view")
    office = _office(code)
    period = db.session.get(SurveyPeriod, period_id)
    if period is None or period.office_id != office.id:
        abort(404)
    result = compute.period_index(period)

    def nrr(key: str):
        value = result.nrr[key] if result else None
        return None if value is None else float(round_half_up(value, 4))

    return {
        **_period_fields(period, result),
        "weighting": period.weighting,
        "minimum_sample": skm.min_sample(period.population),
        "unsur": [{"key": u.key, "name": u.name, "nrr": nrr(u.key)} for u in skm.UNSUR],
        "priorities": list(result.priorities) if result else [],
        "services": [{"name": service.name, "result": _ikm(index)} for service, index in compute.per_service(period)],
    }


# -- the kabupaten ----------------------------------------------------------------------------------------

@bp.route("/kabupaten", methods=["GET"])
@bp.response(200, schemas.KabupatenSchema(many=True))
@_refusals
def kabupaten():
    """The kabupaten the token's user works in (a kabupaten user's own, an office user's office's)."""
    _require("dashboard.view")
    user = auth.current_api_user()
    rows = db.session.scalars(visible_kabupaten(user)).all()
    counts = dict(db.session.execute(sa.select(Office.kabupaten_id, sa.func.count(Office.id))
                                     .where(Office.id.in_(visible_offices(user).with_only_columns(Office.id)))
                                     .group_by(Office.kabupaten_id)).all())
    return [{"code": k.code, "name": k.name, "full_name": k.full_name, "offices": counts.get(k.id, 0)} for k in rows]


@bp.route("/kabupaten/<string:code>/matrix", methods=["GET"])
@bp.arguments(schemas.MatrixQuerySchema, location="query")
@bp.response(200, schemas.MatrixSchema)
@_refusals
def matrix(args: dict, code: str):
    """The kabupaten console's numbers for a year and a period: office × IKU (target, realisation, capaian,
    criteria), office × required document (state, late, files), the completion rate and the rank. The same
    numbers as each office's summary. For kabupaten users only."""
    from ..kabupaten.console import RANKING_RULE, console

    user = auth.current_api_user()
    kab = db.session.scalar(visible_kabupaten(user).where(Kabupaten.code == code))
    if kab is None:
        abort(404)  # another kabupaten's, or none: not found, whoever asks
    if not user.role.is_kabupaten:
        abort(403)  # an office user's own kabupaten: its matrix is for the kabupaten's users
    _require("kabupaten.view")
    year, period = args.get("year", date.today().year), args.get("period")
    data = console(kab.id, year, period)

    def num(value):
        return None if value is None else float(round_half_up(value, 2))

    return {
        "kabupaten": kab.code, "year": year, "period": period, "ranking_rule": str(RANKING_RULE),
        "offices": [{
            "code": row.office.code, "name": row.office.name, "rank": row.rank, "score": num(row.score),
            "completion": num(row.completion),
            "iku": [{"number": number, "name": cell.item.name, "target": num(cell.target),
                     "realisation": num(cell.realisation), "capaian": num(cell.capaian),
                     "criteria": cell.band.label if cell.band else None}
                    for number, cell in sorted(row.iku.items())],
            "documents": [{"code": doc_code, "name": cell.name, "state": cell.state.value, "late": cell.late,
                           "files": cell.files, "due_date": cell.due_date}
                          for doc_code, cell in row.documents.items()],
        } for row in data.rows],
    }
