"""Every form with a numeric field: the value the page shows, submitted unchanged, stores the same number.

Issue 9 / RULES.md §6, on Indonesian and on English pages. The walker finds the numeric fields twice:

- in the code: every module-level ``IkuForm`` subclass of the app and its fields of a numeric type;
- on the pages: a crawl of what each role can reach by links (and the public questionnaire), every
  ``<input>`` a number is typed into (``data-number``, ``inputmode=numeric|decimal``, ``type=number``).

Each one must be covered by a `Driver` below, which knows where the page is and how to put a value into
the database (edit pages) or into the form (create pages). A numeric field that no driver covers, or that
is not a `NumberField`, fails the walk: a new numeric form is walked, or reported, automatically.

Edit pages: the value is stored, the page is read as a browser shows it, every field of the form is
posted back as shown, and the stored value must be the same. Create pages (nothing stored to show yet):
the field's own rendering of the value (what the page shows for it) is typed over the page's form.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import DecimalField, DecimalRangeField, FloatField, IntegerField, IntegerRangeField
from wtforms.fields.core import UnboundField

import factories as mk
import iku_workflow
from conftest import get_user
from factories import form_with, numeric_inputs
from iku_workflow.admin.forms import DesaForm, SectionForm
from iku_workflow.decree.forms import DecreeCreateForm
from iku_workflow.extensions import db
from iku_workflow.forms_base import IkuForm, NumberField
from iku_workflow.indicators import operations as ind_ops
from iku_workflow.indicators.forms import TARGET_PERIODS, CopyYearForm, IndicatorAddForm, TargetForm, target_key
from iku_workflow.lkjip.forms import PastValuesForm, ProgramBudgetForm, RenstraForm
from iku_workflow.kabupaten.forms import (OfficeCreateForm, StandardDocumentForm, StandardIndicatorAddForm,
                                          StandardIndicatorForm)
from iku_workflow.models import (Decree, Desa, Indicator, IndikatorTujuan, LkjipPastValue, ProgramBudget, RenstraPeriod,
                                 RenstraTarget, ResponseSource, Section, SurveyPeriod, SurveyResponse, SurveyService,
                                 Tujuan, WorkflowEntry)
from iku_workflow.pk.forms import PkCreateForm, RowForm
from iku_workflow.renaksi.forms import ActionForm, TargetsForm
from iku_workflow.registers.forms import ProgramForm, SakipForm
from iku_workflow.survey.forms import PeriodForm, PublicForm, QuestionnaireForm, StaffForm
from iku_workflow.survey.operations import Answers, add_response

NUMERIC_TYPES = (NumberField, IntegerField, DecimalField, FloatField, IntegerRangeField, DecimalRangeField)
LOCALES = ("id", "en")
EXAMPLES = 25  # per form and language: enough to meet grouping, decimals and zero, and keep the suite fast
YEAR = 2025
SEEDED_YEARS = {2025, date.today().year}  # the demo office has indicators (and the 2025 decree) for these


# ---------------------------------------------------------------- discovery in the code

def form_classes() -> list[type]:
    """Every IkuForm subclass defined at module level in the app (forms built per request are not)."""
    for info in pkgutil.walk_packages(iku_workflow.__path__, "iku_workflow."):
        importlib.import_module(info.name)
    found, stack = set(), [IkuForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if getattr(sys.modules.get(sub.__module__), sub.__name__, None) is sub:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def numeric_fields(cls: type) -> dict[str, type]:
    out = {}
    for name in dir(cls):
        value = getattr(cls, name, None)
        if isinstance(value, UnboundField) and issubclass(value.field_class, NUMERIC_TYPES):
            out[name] = value.field_class
    return out


# ---------------------------------------------------------------- values

def decimals(largest: int = 10**9):
    """0 … largest with 0, 1 or 2 decimals, exactly."""
    return st.integers(0, 2).flatmap(
        lambda places: st.integers(0, largest * 10**places).map(lambda n: Decimal(n).scaleb(-places)))


def free_years(taken=frozenset()):
    return st.integers(2000, 2100).filter(lambda y: y not in SEEDED_YEARS and y not in taken)


# ---------------------------------------------------------------- the walk

class Walk:
    """The app, the demo office and signed-in clients in either language."""

    def __init__(self, app, office, client_as):
        self.app, self.office, self._client_as = app, office, client_as
        self._clients: dict[str, Any] = {}
        self._anonymous: dict[str, Any] = {}

    def client(self, username: str, locale: str):
        user = get_user(username)
        if user.locale != locale:
            user.locale = locale
            db.session.commit()
        if username not in self._clients:
            self._clients[username] = self._client_as(username)
        return self._clients[username]

    def anonymous(self, locale: str):
        if locale not in self._anonymous:
            client = self.app.test_client()
            client.post("/bahasa", data={"locale": locale, "next": "/login"})
            self._anonymous[locale] = client
        return self._anonymous[locale]

    def shown(self, form_cls: type, name: str, value, locale: str) -> str:
        """What the page shows in the box ``name`` of ``form_cls`` for ``value`` (the field's own rendering)."""
        with self.app.test_request_context(), force_locale(locale):
            form = form_cls(formdata=None, **{name: value})
            html = str(form[name]())
        match = re.search(r'\svalue="([^"]*)"', html)
        return match.group(1) if match else ""

    def resubmit(self, client, url: str, field: str, **changes):
        """GET ``url``, then post its form holding ``field`` as the browser would, with ``changes`` typed."""
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        form = form_with(page.get_data(as_text=True), field)
        response = client.post(urljoin(url, form.action) if form.action else url, data=form.data(**changes))
        return form, response


def saved(response, form_field: str = "") -> None:
    """The post was accepted (a redirect); otherwise show the page's field errors."""
    if response.status_code != 302:
        html = response.get_data(as_text=True)
        errors = re.findall(r'class="invalid-feedback[^"]*">([^<]*)<', html)
        raise AssertionError(f"{form_field}: not saved ({response.status_code}); errors on the page: {errors}")


@dataclass(frozen=True)
class Driver:
    name: str
    covers: dict  # form class -> the numeric fields this driver walks ("*": the fields are made per request)
    pages: tuple  # (endpoint, regular expression of the input names) of the pages that show them
    values: Any  # a Hypothesis strategy of the stored value
    setup: Callable[[Walk], Any]
    check: Callable[[Walk, Any, Any, str], None]
    examples: int = EXAMPLES


def _refresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


# -- targets grid (edit) ---------------------------------------------------------------------------

def _targets_of_year(office) -> dict:
    db.session.expire_all()
    return {(i.number, t.triwulan): Decimal(t.value) for i in db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == YEAR)) for t in i.targets}


def _check_targets(walk, state, example, locale):
    value, number, period = example
    indicator = mk.seeded_iku(walk.office, number, YEAR)
    # one target alone in the indicator's row: a value can contradict no other under the year rule
    # (the targets page refuses triwulan targets that disagree with the year's, tests/test_year_rule.py)
    for tw in (None, 1, 2, 3, 4):
        ind_ops.set_target(indicator, get_user("sekcam"), None, tw)
    ind_ops.set_target(indicator, get_user("sekcam"), value, None if period == "y" else period)
    db.session.commit()
    before = _targets_of_year(walk.office)
    _, response = walk.resubmit(walk.client("sekcam", locale), f"/iku/{YEAR}/target", target_key(number, period))
    saved(response, "targets")
    after = _targets_of_year(walk.office)
    assert after[(number, None if period == "y" else period)] == value
    assert after == before  # the whole grid, saved unchanged, changed nothing


# -- register rows (edit) --------------------------------------------------------------------------

def _setup_sakip(walk):
    row = mk.sakip(walk.office)
    db.session.commit()
    return row


def _check_sakip(walk, row, value, locale):
    row = _refresh(row)
    row.score = value
    db.session.commit()
    _, response = walk.resubmit(walk.client("sekretariat", locale), f"/register/sakip/data/{row.id}/ubah", "score")
    saved(response, "score")
    assert _refresh(row).score == value


def _setup_program(walk):
    row = mk.program(walk.office)
    db.session.commit()
    return row


def _check_program(walk, row, example, locale):
    target, realisation = example
    row = _refresh(row)
    row.target, row.realisation = target, realisation
    db.session.commit()
    _, response = walk.resubmit(walk.client("sekretariat", locale), f"/register/program/data/{row.id}/ubah", "target")
    saved(response, "target")
    row = _refresh(row)
    assert (row.target, row.realisation) == (target, realisation)


# -- admin: section position (edit) ----------------------------------------------------------------

def _setup_section(walk):
    return db.session.scalar(sa.select(Section).where(Section.office_id == walk.office.id).order_by(Section.id))


def _check_section(walk, section, value, locale):
    section = _refresh(section)
    section.position = value
    db.session.commit()
    _, response = walk.resubmit(walk.client("admin", locale), f"/admin/seksi/{section.id}", "position")
    saved(response, "position")
    assert _refresh(section).position == value


def _setup_desa(walk):
    return db.session.scalar(sa.select(Desa).where(Desa.office_id == walk.office.id).order_by(Desa.id))


def _check_desa(walk, desa, value, locale):
    desa = _refresh(desa)
    desa.position = value
    db.session.commit()
    _, response = walk.resubmit(walk.client("admin", locale), f"/admin/desa/{desa.id}", "position")
    saved(response, "position")
    assert _refresh(desa).position == value


# -- SKM: a paper questionnaire corrected (edit), the public questionnaire and a new period (create) --

def _open_period(walk) -> SurveyPeriod:
    """The demo office's open period of this semester (its public questionnaire accepts answers today)."""
    periods = db.session.scalars(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == walk.office.id)
                                 .order_by(SurveyPeriod.id)).all()
    return next(p for p in periods if p.is_open)


def _setup_staff_response(walk):
    period = _open_period(walk)
    response = add_response(period, Answers(tanggal=date.today(), service_id=period.services[0].id,
                                            jenis_kelamin="L", usia=30, pendidikan="SMA", pekerjaan="PNS",
                                            answers=(3,) * 9), source=ResponseSource.STAFF, user=get_user("pelayanan"))
    db.session.commit()
    return response


def _check_staff_response(walk, response, example, locale):
    usia, answers = example
    response = _refresh(response)
    response.usia = usia
    for i, answer in enumerate(answers, start=1):
        setattr(response, f"u{i}", answer)
    db.session.commit()
    url = f"/skm/periode/{response.period_id}/responden/{response.id}/ubah"
    _, result = walk.resubmit(walk.client("pelayanan", locale), url, "usia")
    saved(result, "usia/u1-u9")
    response = _refresh(response)
    assert (response.usia, tuple(response.answers)) == (usia, answers)


def _setup_public(walk):
    walk.app.config["SKM_MIN_SECONDS"] = 0  # the timing check against bots is not what is tested here
    return _open_period(walk)


def _check_public(walk, period, usia, locale):
    client = walk.anonymous(locale)
    answers = {f"u{i}": "3" for i in range(1, 10)}
    form, response = walk.resubmit(client, f"/s/{period.code}", "usia", usia=walk.shown(PublicForm, "usia", usia, locale),
                                   jenis_layanan=str(period.services[0].id), jenis_kelamin="P", pendidikan="SMA",
                                   pekerjaan="SWASTA", **answers)
    assert form.value("usia") == ""  # nothing to show yet
    saved(response, "usia")
    db.session.expire_all()
    stored = db.session.scalar(sa.select(SurveyResponse.usia).where(SurveyResponse.period_id == period.id,
                                                                    SurveyResponse.source == ResponseSource.PUBLIC)
                               .order_by(SurveyResponse.id.desc()))
    assert stored == usia


def _check_new_period(walk, state, example, locale):
    year, population = example
    client = walk.client("sekcam", locale)
    form, response = walk.resubmit(client, "/skm/periode/baru", "population", label="S1",
                                   year=walk.shown(PeriodForm, "year", year, locale),
                                   population=walk.shown(PeriodForm, "population", population, locale))
    assert form.value("year") == walk.shown(PeriodForm, "year", date.today().year, locale)  # the page's default
    saved(response, "year/population")
    db.session.expire_all()
    period = db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == walk.office.id,
                                                             SurveyPeriod.year == year))
    assert (period.year, period.population) == (year, population)
    entry_id = period.entry_id
    db.session.execute(sa.delete(SurveyService).where(SurveyService.period_id == period.id))
    db.session.execute(sa.delete(SurveyPeriod).where(SurveyPeriod.id == period.id))
    db.session.execute(sa.delete(WorkflowEntry).where(WorkflowEntry.id == entry_id))
    db.session.commit()


# -- a year's indicators copied, a new decree (create) ---------------------------------------------

def _check_copy_year(walk, state, dest, locale):
    client = walk.client("admin", locale)
    form, response = walk.resubmit(client, f"/iku/{YEAR}", "dest", dest=walk.shown(CopyYearForm, "dest", dest, locale))
    assert form.value("dest") == walk.shown(CopyYearForm, "dest", YEAR + 1, locale)  # the page's default
    saved(response, "dest")
    assert response.headers["Location"].endswith(f"/iku/{dest}")
    db.session.expire_all()
    copied = db.session.scalars(sa.select(Indicator).where(Indicator.office_id == walk.office.id,
                                                           Indicator.year == dest)).all()
    assert len(copied) == 6
    for indicator in copied:
        indicator.sections = []
        db.session.delete(indicator)
    for model in (Tujuan, IndikatorTujuan):
        db.session.execute(sa.delete(model).where(model.office_id == walk.office.id, model.year == dest))
    db.session.commit()


NEW_IKU_YEAR = 2040  # a year without indicators: every number 1-99 is free


def _check_new_indicator(walk, state, number, locale):
    client = walk.client("sekcam", locale)
    form, response = walk.resubmit(client, f"/iku/{NEW_IKU_YEAR}/baru", "number",
                                   number=walk.shown(IndicatorAddForm, "number", number, locale),
                                   kinerja_utama="KU", name="IKU baru", measure="document_count", action="save")
    assert form.value("number") == walk.shown(IndicatorAddForm, "number", 1, locale)  # the next free number
    saved(response, "number")
    db.session.expire_all()
    added = db.session.scalars(sa.select(Indicator).where(Indicator.office_id == walk.office.id,
                                                          Indicator.year == NEW_IKU_YEAR)).all()
    assert [i.number for i in added] == [number]
    for indicator in added:
        db.session.delete(indicator)
    db.session.commit()


def _check_decree(walk, state, year, locale):
    client = walk.client("sekcam", locale)
    form, response = walk.resubmit(client, "/keputusan", "year", year=walk.shown(DecreeCreateForm, "year", year, locale))
    assert form.value("year") == walk.shown(DecreeCreateForm, "year", date.today().year, locale)
    saved(response, "year")
    assert response.headers["Location"].endswith(f"/keputusan/{year}")
    db.session.expire_all()
    decree = db.session.scalar(sa.select(Decree).where(Decree.office_id == walk.office.id, Decree.year == year))
    assert decree is not None
    db.session.delete(decree)
    db.session.commit()


# -- the Perjanjian Kinerja: a new PK (its year), a target of table 1 -----------------------------------

def _check_pk_create(walk, state, year, locale):
    from iku_workflow.models import PerformanceAgreement

    trantib = db.session.scalar(sa.select(Section).where(Section.office_id == walk.office.id, Section.code == "trantib"))
    client = walk.client("sekcam", locale)
    form, response = walk.resubmit(client, "/pk", "year", year=walk.shown(PkCreateForm, "year", year, locale),
                                   level="seksi", section=str(trantib.id))
    assert form.value("year") == walk.shown(PkCreateForm, "year", date.today().year, locale)
    saved(response, "year")
    db.session.expire_all()
    pk = db.session.scalar(sa.select(PerformanceAgreement).where(PerformanceAgreement.office_id == walk.office.id,
                                                                 PerformanceAgreement.year == year))
    assert pk is not None and response.headers["Location"].endswith(f"/pk/{pk.id}")
    db.session.delete(pk)
    db.session.commit()


def _setup_pk(walk):
    from iku_workflow.models import PkLevel
    from iku_workflow.pk import operations as pk_ops

    pk = pk_ops.create_pk(walk.office, YEAR, PkLevel.CAMAT, None, None)
    db.session.commit()
    return pk


def _check_pk_target(walk, pk, value, locale):
    pk = _refresh(pk)
    pk.targets[0].target = value
    db.session.commit()
    _, response = walk.resubmit(walk.client("sekcam", locale), f"/pk/{pk.id}", "rows-0-target")
    saved(response, "rows-0-target")
    pk = _refresh(pk)
    assert Decimal(pk.targets[0].target) == value and len(pk.targets) == 6


# -- the renaksi: the triwulan targets of IKU 1 (cumulative, 11 in the year), an action's budget --------------

def _check_renaksi_targets(walk, state, example, locale):
    from iku_workflow.models import RenaksiPlan
    from iku_workflow.renaksi import operations as renaksi_ops

    first, second = example
    iku1 = mk.seeded_iku(walk.office, 1, YEAR)
    plan = renaksi_ops.plan_of(iku1)
    if plan is not None:
        db.session.delete(plan)
        db.session.commit()
    renaksi_ops.set_targets(iku1, None, {1: first, 2: second, 3: None, 4: None})
    db.session.commit()
    form, response = walk.resubmit(walk.client("sekcam", locale), f"/renaksi/{YEAR}", f"t{iku1.id}-tw1")
    saved(response, "tw1")
    db.session.expire_all()
    plan = db.session.scalar(sa.select(RenaksiPlan).where(RenaksiPlan.indicator_id == iku1.id))
    assert plan.tw_targets()[1] == first and plan.tw_targets()[2] == second


def _check_action_budget(walk, state, budget, locale):
    from iku_workflow.models import RenaksiAction
    from iku_workflow.renaksi.forms import ActionForm

    iku4 = mk.seeded_iku(walk.office, 4, YEAR)
    client = walk.client("sekcam", locale)
    prefix = f"a{iku4.id}"
    _form, response = walk.resubmit(client, f"/renaksi/{YEAR}", f"{prefix}-budget", **{
        f"{prefix}-name": "Patroli", f"{prefix}-budget": walk.shown(ActionForm, "budget", budget, locale)})
    saved(response, "budget")
    db.session.expire_all()
    action = db.session.scalar(sa.select(RenaksiAction).order_by(RenaksiAction.id.desc()))
    assert Decimal(action.budget) == budget
    db.session.delete(action)
    db.session.commit()


# -- the kabupaten admin: a new kecamatan, the standard's default target and the jadwal ----------------

def _check_new_office(walk, state, year, locale):
    from iku_workflow.models import AuditEvent, Office
    from iku_workflow.kabupaten.forms import OfficeCreateForm

    code = f"uji{db.session.scalar(sa.select(sa.func.count(Office.id)))}"
    client = walk.client("kabadmin", locale)
    form, response = walk.resubmit(client, "/kabupaten/kecamatan/baru", "year", code=code, name=code.title(),
                                   year=walk.shown(OfficeCreateForm, "year", year, locale))
    assert form.value("year") == walk.shown(OfficeCreateForm, "year", date.today().year, locale)  # the default
    saved(response, "year")
    db.session.expire_all()
    office = db.session.scalar(sa.select(Office).where(Office.code == code))
    applied = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.office_id == office.id,
                                                            AuditEvent.action == "office.standard_applied"))
    assert applied.details["year"] == year


def _standard_iku(walk):
    from iku_workflow.kabupaten.standard import standard_indicators

    return standard_indicators(walk.office.kabupaten_id, YEAR)[0]


def _check_standard_target(walk, std, value, locale):
    from iku_workflow.kabupaten.forms import StandardIndicatorForm
    from iku_workflow.models import StandardIndicator

    client = walk.client("kabadmin", locale)
    _, response = walk.resubmit(client, f"/kabupaten/standar/iku/{std.id}", "default_target",
                                default_target=walk.shown(StandardIndicatorForm, "default_target", value, locale))
    saved(response, "default_target")
    db.session.expire_all()
    assert db.session.get(StandardIndicator, std.id).default_target == value


def _standard_doc(walk):
    from iku_workflow.kabupaten.standard import standard_documents

    return standard_documents(walk.office.kabupaten_id, YEAR)[0]


def _check_standard_due(walk, std, example, locale):
    from iku_workflow.kabupaten.forms import StandardDocumentForm
    from iku_workflow.models import StandardDocument

    month, day = example
    client = walk.client("kabadmin", locale)
    _, response = walk.resubmit(client, f"/kabupaten/standar/dokumen/{std.id}", "due_month",
                                due_month=walk.shown(StandardDocumentForm, "due_month", month, locale),
                                due_day=walk.shown(StandardDocumentForm, "due_day", day, locale))
    saved(response, "due_month/due_day")
    db.session.expire_all()
    stored = db.session.get(StandardDocument, std.id)
    assert (stored.due_month, stored.due_day) == (month, day)


def _check_new_standard_iku(walk, state, number, locale):
    from iku_workflow.kabupaten.forms import StandardIndicatorAddForm
    from iku_workflow.models import StandardIndicator

    client = walk.client("kabadmin", locale)
    form, response = walk.resubmit(client, f"/kabupaten/standar/{NEW_IKU_YEAR}/iku/baru", "number",
                                   number=walk.shown(StandardIndicatorAddForm, "number", number, locale),
                                   kinerja_utama="KU", name="IKU standar baru", measure="document_count",
                                   year_rule="cumulative")
    assert form.value("number") == walk.shown(StandardIndicatorAddForm, "number", 1, locale)  # the next free one
    saved(response, "number")
    db.session.expire_all()
    added = db.session.scalars(sa.select(StandardIndicator).where(StandardIndicator.year == NEW_IKU_YEAR)).all()
    assert [s.number for s in added] == [number]
    for std in added:
        db.session.delete(std)
    db.session.commit()


# -- LKjIP: earlier years' figures, the Renstra's end targets (grids) and a program's budget (edit) --------

def _past_of_year(office) -> dict:
    db.session.expire_all()
    return {(r.indicator_number, r.year): (r.realisation, r.capaian, r.source) for r in db.session.scalars(
        sa.select(LkjipPastValue).where(LkjipPastValue.office_id == office.id))}


def _check_past(walk, state, example, locale):
    realisation, capaian, number = example
    db.session.execute(sa.delete(LkjipPastValue))
    db.session.add(LkjipPastValue(office_id=walk.office.id, indicator_number=number, year=YEAR - 2,
                                  realisation=realisation, capaian=capaian, source="LKjIP 2023"))
    db.session.commit()
    before = _past_of_year(walk.office)
    _, response = walk.resubmit(walk.client("sekcam", locale), f"/lkjip/{YEAR}/tahun-lalu", f"r-{number}-{YEAR - 2}")
    saved(response, "earlier years")
    after = _past_of_year(walk.office)
    assert after[(number, YEAR - 2)][:2] == (realisation, capaian)
    assert after == before


def _check_renstra(walk, state, example, locale):
    target, start = example
    db.session.execute(sa.delete(RenstraTarget))
    db.session.execute(sa.delete(RenstraPeriod))
    period = RenstraPeriod(office_id=walk.office.id, start_year=start, end_year=start + 4)
    period.targets.append(RenstraTarget(office_id=walk.office.id, indicator_number=2, target=target))
    db.session.add(period)
    db.session.commit()
    _, response = walk.resubmit(walk.client("sekcam", locale), f"/lkjip/{YEAR}/renstra", "rt-2")
    saved(response, "renstra")
    db.session.expire_all()
    [stored] = db.session.scalars(sa.select(RenstraPeriod)).all()
    assert (stored.start_year, [(t.indicator_number, t.target) for t in stored.targets]) == (start, [(2, target)])


def _setup_budget(walk):
    row = ProgramBudget(office_id=walk.office.id, year=YEAR, name="Program Penunjang", budget=Decimal("150000000"),
                        realisation=Decimal("142500000"))
    db.session.add(row)
    db.session.commit()
    return row


def _check_budget(walk, row, example, locale):
    budget, spent = example
    row = _refresh(row)
    row.budget, row.realisation = budget, None if spent is None else min(spent, budget)
    db.session.commit()
    _, response = walk.resubmit(walk.client("sekcam", locale), f"/lkjip/program/{row.id}/ubah", "budget")
    saved(response, "budget")
    stored = _refresh(row)
    assert (stored.budget, stored.realisation) == (budget, None if spent is None else min(spent, budget))


DRIVERS = (
    Driver("LKjIP earlier years", {PastValuesForm: ("*",)}, (("lkjip.past", r"[rc]-\d+-\d+"),),
           st.tuples(decimals(), st.none() | decimals(), st.integers(1, 6)), lambda w: None, _check_past),
    Driver("Renstra end targets", {RenstraForm: ("start_year", "*")}, (("lkjip.renstra", r"start_year|rt-\d+"),),
           st.tuples(decimals(), st.integers(YEAR - 4, YEAR)), lambda w: None, _check_renstra),
    Driver("program budget", {ProgramBudgetForm: ("budget", "realisation")},
           (("lkjip.programs", r"budget|realisation"), ("lkjip.program_edit", r"budget|realisation")),
           st.tuples(decimals(), st.none() | decimals()), _setup_budget, _check_budget),
    Driver("targets grid", {TargetForm: ("*",)}, (("indicators.targets", r"t-\d+-(y|[1-4])"),),
           st.tuples(decimals(), st.integers(1, 6), st.sampled_from(TARGET_PERIODS)), lambda w: None, _check_targets),
    Driver("SAKIP score", {SakipForm: ("score",)},
           (("registers.new", r"score"), ("registers.edit", r"score")), decimals(100), _setup_sakip, _check_sakip),
    Driver("program indicator", {ProgramForm: ("target", "realisation")},
           (("registers.new", r"target|realisation"), ("registers.edit", r"target|realisation")),
           st.tuples(decimals(), st.none() | decimals()), _setup_program, _check_program),
    Driver("section position", {SectionForm: ("position",)}, (("admin.section_edit", r"position"),),
           st.integers(0, 9999), _setup_section, _check_section),
    # the desa list's add form and a desa's edit form: one form class, its place in the list
    Driver("desa position", {DesaForm: ("position",)}, (("admin.desa_list", r"position"), ("admin.desa_edit", r"position")),
           st.integers(0, 9999), _setup_desa, _check_desa),
    # the same form enters a paper questionnaire (survey.enter) and corrects one (survey.edit_response)
    Driver("paper questionnaire", {StaffForm: ("usia",) + tuple(f"u{i}" for i in range(1, 10))},
           (("survey.enter", r"usia|u[1-9]"), ("survey.edit_response", r"usia|u[1-9]")),
           st.tuples(st.integers(10, 120), st.tuples(*[st.integers(1, 4)] * 9)),
           _setup_staff_response, _check_staff_response),
    Driver("public questionnaire", {PublicForm: ("usia",)}, (("survey_public.questionnaire", r"usia"),),
           st.integers(10, 120), _setup_public, _check_public),
    Driver("new SKM period", {PeriodForm: ("year", "population")}, (("survey.new_period", r"year|population"),),
           st.tuples(free_years(), st.integers(1, 10**9)), lambda w: None, _check_new_period),
    Driver("copy a year's IKU", {CopyYearForm: ("dest",)}, (("indicators.catalogue", r"dest"),),
           free_years(), lambda w: None, _check_copy_year, examples=10),
    Driver("new IKU", {IndicatorAddForm: ("number",)}, (("indicators.new", r"number"),),
           st.integers(1, 99), lambda w: None, _check_new_indicator, examples=10),
    Driver("new decree", {DecreeCreateForm: ("year",)}, (("decree.index", r"year"),),
           free_years(), lambda w: None, _check_decree, examples=10),
    Driver("new PK", {PkCreateForm: ("year",)}, (("pk.index", r"year"),),
           st.integers(2000, 2100), lambda w: None, _check_pk_create, examples=10),
    Driver("PK target", {RowForm: ("target",)}, (("pk.edit", r"rows-\d+-target"),),
           decimals(), _setup_pk, _check_pk_target),
    # IKU 1's targets are cumulative with 11 in the year: two triwulan that add up to at most 11
    Driver("renaksi targets", {TargetsForm: ("tw1", "tw2", "tw3", "tw4")}, (("renaksi.plan", r"t\d+-tw[1-4]"),),
           st.integers(0, 1100).flatmap(lambda a: st.integers(0, 1100 - a).map(
               lambda b: (Decimal(a).scaleb(-2), Decimal(b).scaleb(-2)))),
           lambda w: None, _check_renaksi_targets),
    Driver("renaksi action budget", {ActionForm: ("budget",)}, (("renaksi.plan", r"a\d+-budget"),),
           decimals(10**9), lambda w: None, _check_action_budget, examples=10),
    Driver("new kecamatan", {OfficeCreateForm: ("year",)}, (("kabupaten.office_new", r"year"),),
           st.integers(2000, 2100), lambda w: None, _check_new_office, examples=6),
    Driver("standard IKU's default target", {StandardIndicatorForm: ("default_target",)},
           (("kabupaten.standard_indicator", r"default_target"), ("kabupaten.standard_indicator_new", r"default_target")),
           decimals(10**6), _standard_iku, _check_standard_target),
    Driver("new standard IKU", {StandardIndicatorAddForm: ("number", "default_target")},
           (("kabupaten.standard_indicator_new", r"number"),), st.integers(1, 99), lambda w: None,
           _check_new_standard_iku, examples=10),
    Driver("standard document's due date", {StandardDocumentForm: ("due_month", "due_day")},
           (("kabupaten.standard_document", r"due_month|due_day"), ("kabupaten.standard_document_new", r"due_month|due_day")),
           st.tuples(st.integers(1, 12), st.integers(1, 28)), _standard_doc, _check_standard_due),
)


def _covered(cls: type, name: str) -> bool:
    return any(issubclass(covered, cls) and name in fields
               for d in DRIVERS for covered, fields in d.covers.items())


# ---------------------------------------------------------------- the tests

def test_every_numeric_form_field_is_a_number_field_and_is_walked():
    classes = form_classes()
    fields = {(cls, name): kind for cls in classes for name, kind in numeric_fields(cls).items()}
    not_ours = [f"{c.__module__}.{c.__name__}.{n}: {k.__name__}" for (c, n), k in fields.items()
                if not issubclass(k, NumberField)]
    assert not_ours == [], "numeric fields must be forms_base.NumberField (RULES.md §6)"
    unknown = [f"{c.__module__}.{c.__name__}.{n}" for (c, n) in fields if not _covered(c, n)]
    unknown += [f"{c.__module__}.{c.__name__} (fields made per request)" for c in classes
                if getattr(c, "dynamic_fields", False) and not any(c in d.covers for d in DRIVERS)]
    assert unknown == [], "numeric fields the walker does not know how to submit: add a Driver"
    # the walk covers this many forms and fields (QuestionnaireForm.usia is walked through its two subclasses)
    assert len({c for c, _ in fields}) >= 8 and len(fields) >= 19
    assert QuestionnaireForm in {c for c, _ in fields}
    print(f"\nnumeric fields in the form classes: {len(fields)} in {len({c for c, _ in fields})} classes;",
          f"drivers: {len(DRIVERS)}")


def _crawl(client, start: list[str], app, limit_per_endpoint: int = 2) -> dict[tuple[str, str], dict]:
    """GET what the client reaches by links from ``start``: the numeric inputs by (endpoint, name)."""
    adapter = app.url_map.bind("localhost")
    seen_urls, per_endpoint, found = set(), {}, {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen_urls or re.search(r"\.(xlsx|docx|pdf|png|csv|svg|js|css)$", path) or path.startswith("/static"):
            continue
        try:
            endpoint, args = adapter.match(path, method="GET")
        except Exception:  # noqa: BLE001  (not a page of the app, or not a GET page)
            continue
        # a page per kind: ids and years do not make another kind of page, a register's name does
        kind = (endpoint, tuple(sorted((k, v) for k, v in args.items() if isinstance(v, str))))
        if per_endpoint.get(kind, 0) >= limit_per_endpoint:
            continue
        seen_urls.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        per_endpoint[kind] = per_endpoint.get(kind, 0) + 1
        html = response.get_data(as_text=True)
        for form, name, attrs in numeric_inputs(html):
            found.setdefault((endpoint, name), attrs)
        for href in re.findall(r'href="([^"#]+)', html):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return found


def test_every_numeric_input_on_the_pages_is_walked(app, office, client_as):
    walk = Walk(app, office, client_as)
    sakip, program, response = _setup_sakip(walk), _setup_program(walk), _setup_staff_response(walk)
    _setup_pk(walk)
    budget = _setup_budget(walk)
    found: dict[tuple[str, str], dict] = {}
    starts = ["/", "/dasbor", f"/iku/{YEAR}", f"/iku/{YEAR}/target", "/skm/", "/keputusan", "/pk", f"/renaksi/{YEAR}", "/admin/seksi",
              f"/register/sakip/data/{sakip.id}/ubah", f"/register/program/data/{program.id}/ubah",
              f"/skm/periode/{response.period_id}/responden/{response.id}/ubah", f"/lkjip/program/{budget.id}/ubah"]
    for username in ("admin", "sekcam", "sekretariat", "pelayanan", "camat"):
        found.update(_crawl(walk.client(username, "id"), starts, app))
    found.update(_crawl(walk.client("kabadmin", "id"), ["/kabupaten/", "/kabupaten/kecamatan",
                                                        f"/kabupaten/standar/{YEAR}"], app))
    found.update(_crawl(walk.anonymous("id"), [f"/s/{_open_period(walk).code}"], app))
    claims = [(endpoint, re.compile(pattern)) for d in DRIVERS for endpoint, pattern in d.pages]
    unclaimed = sorted(f"{e}: {n}" for (e, n) in found
                       if not any(e == ce and cp.fullmatch(n) for ce, cp in claims))
    assert unclaimed == [], "numeric inputs the walker does not know how to submit: add a Driver"
    not_ours = sorted(f"{e}: {n}" for (e, n), attrs in found.items() if "data-number" not in attrs)
    assert not_ours == [], "numeric inputs not rendered by NumberField"
    unseen = sorted(f"{e}: {p}" for d in DRIVERS for e, p in d.pages
                    if not any(fe == e and re.fullmatch(p, fn) for fe, fn in found))
    assert unseen == [], "a driver names a page whose numeric inputs the crawl did not find"
    assert len(found) >= 19
    print(f"\nnumeric inputs found on the pages: {len(found)} on {len({e for e, _ in found})} pages:",
          ", ".join(sorted(f"{e}:{n}" for e, n in found)))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
def test_value_shown_and_submitted_unchanged_is_stored(app, office, client_as, driver, locale):
    walk = Walk(app, office, client_as)
    state = driver.setup(walk)

    @settings(max_examples=driver.examples, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(driver.values)
    def round_trip(value):
        driver.check(walk, state, value, locale)

    round_trip()
