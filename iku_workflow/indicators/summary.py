"""The year's achievement of every IKU of an office, assembled once for the dashboard, Excel and CLI.

``year_summary`` is the single source of the numbers: targets from the database, realisations from the
measure providers (a fixed number of aggregate queries each), capaian and criteria from the pure
domain functions (RULES.md §3). A report builder receives these plain objects, never a request.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import measures
from ..domain.capaian import (Band, LowerFormula, Polarity, TargetProblem, YearRule, capaian_rounded, criteria,
                              target_problem, target_up_to, year_target_of)
from ..domain.numbers import round_half_up
from ..extensions import db
from ..models import EntryState, Indicator, WorkflowEntry

TW = (1, 2, 3, 4)


@dataclass(frozen=True)
class IkuSummary:
    """One IKU for one year: target, realisation (per TW, s.d. TW, year), capaian and its band."""

    indicator_id: int
    number: int
    name: str
    kinerja_utama: str
    unit: str
    polarity: Polarity
    lower_formula: LowerFormula
    year_rule: YearRule
    measure: str
    sections: tuple[str, ...]
    target: Decimal | None  # the year's target (as set, or what the triwulan targets give)
    tw_targets: dict[int, Decimal | None]
    target_upto: dict[int, Decimal | None]  # "s.d. TW IV" is the year's target
    measured: measures.Measured
    capaian_upto: dict[int, Decimal | None]  # 2 decimals, half up
    capaian: Decimal | None  # the year's, 2 decimals
    band: Band | None
    band_upto: dict[int, Band | None] = field(default_factory=dict)
    # the triwulan targets contradict the year's under the rule: they are not used (see target_up_to)
    target_problem: TargetProblem | None = None

    @property
    def realisation(self) -> Decimal | None:
        return self.measured.year

    def as_json(self) -> dict:
        """The CLI/API shape: numbers rounded to 2 decimals, None for "no data".

        ``realisation`` carries, as issue 4 specifies, ``tw1``..``tw4`` (the realisation of each triwulan on
        its own: its own counts, RULES.md's "TW II 46/48") and ``year``; beside them ``sd_tw1``..``sd_tw4``,
        the cumulative "s.d. TW" values that the dashboard and the capaian report show."""
        def num(value):
            return None if value is None else float(round_half_up(value, 2))

        return {
            "number": self.number,
            "name": self.name,
            "unit": self.unit,
            "polarity": self.polarity.value,
            "target": num(self.target),
            "realisation": {**{f"tw{tw}": num(self.measured.tw[tw]) for tw in TW},
                            "year": num(self.measured.year),
                            **{f"sd_tw{tw}": num(self.measured.upto[tw]) for tw in TW}},
            "capaian": num(self.capaian),
            "criteria": self.band.label if self.band else None,
        }


def load_indicators(office_id: int, year: int) -> list[Indicator]:
    return list(db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id == office_id, Indicator.year == year)
        .options(selectinload(Indicator.sections), selectinload(Indicator.targets))
        .order_by(Indicator.number)))


def effective_rule(indicator: Indicator) -> YearRule:
    """The year rule that governs the indicator: its own, unless its measure kind fixes another."""
    return measures.policy(indicator.measure).effective(indicator.year_rule)


def targets_of(indicator: Indicator) -> tuple[Decimal | None, dict[int, Decimal | None]]:
    """The year's target as stored (None when unset) and the triwulan targets."""
    year_target = next((Decimal(t.value) for t in indicator.targets if t.triwulan is None), None)
    tw_targets: dict[int, Decimal | None] = {tw: None for tw in TW}
    for t in indicator.targets:
        if t.triwulan is not None:
            tw_targets[t.triwulan] = Decimal(t.value)
    return year_target, tw_targets


def summarise(indicator: Indicator, measured: measures.Measured) -> IkuSummary:
    """Combine one indicator, its targets and its measured realisation (pure; no queries).

    One year rule (``effective_rule``) governs realisation and targets alike, and "s.d. TW IV" is the
    year for both, so its capaian is the year's capaian.
    """
    year_target, tw_targets = targets_of(indicator)
    rule = effective_rule(indicator)
    polarity, formula = Polarity(indicator.polarity), LowerFormula(indicator.lower_formula)
    target = year_target_of(year_target, tw_targets, rule)
    target_upto = {tw: target_up_to(year_target, tw_targets, tw, rule) for tw in TW}
    capaian_upto = {tw: capaian_rounded(measured.upto[tw], target_upto[tw], polarity, formula) for tw in TW}
    year_capaian = capaian_rounded(measured.year, target, polarity, formula)
    return IkuSummary(
        indicator_id=indicator.id, number=indicator.number, name=indicator.name,
        kinerja_utama=indicator.kinerja_utama, unit=indicator.unit.value if hasattr(indicator.unit, "value") else
        str(indicator.unit), polarity=polarity, lower_formula=formula, year_rule=rule, measure=indicator.measure,
        sections=tuple(s.code for s in indicator.sections), target=target, tw_targets=tw_targets,
        target_upto=target_upto, measured=measured, capaian_upto=capaian_upto, capaian=year_capaian,
        band=criteria(year_capaian), band_upto={tw: criteria(capaian_upto[tw]) for tw in TW},
        target_problem=target_problem(year_target, tw_targets, rule),
    )


def year_summary(office_id: int, year: int) -> list[IkuSummary]:
    """Every IKU of the office's year with its achievement (a fixed number of queries)."""
    out = []
    cache: dict[tuple[str, YearRule], measures.Measured] = {}
    for indicator in load_indicators(office_id, year):
        key = (indicator.measure, effective_rule(indicator))
        if key not in cache:
            cache[key] = measures.measure(indicator.measure, office_id, year, key[1])
        out.append(summarise(indicator, cache[key]))
    return out


def pending_review_count(office_id: int) -> int:
    """Entries submitted and waiting for the sekcam's review (all kinds)."""
    return db.session.scalar(sa.select(sa.func.count(WorkflowEntry.id)).where(
        WorkflowEntry.office_id == office_id, WorkflowEntry.state == EntryState.SUBMITTED)) or 0


def document_completion(office_id: int, year: int) -> Decimal | None:
    """The year's document completion rate (%): approved required documents ÷ required × 100.

    None when the year requires no document. The numbers are the documents capability's own, so the
    dashboard, the documents year page and the capaian report agree.
    """
    from ..documents.numbers import year_completion

    return year_completion(office_id, year).overall.percent


def data_fingerprint(office_ids, year: int, extra=(), *, documents: bool = True) -> tuple:
    """One query: what changes whenever an IKU number of these offices' ``year`` (or a document cell) can.

    The count and the summed optimistic-lock versions of the year's workflow entries (every submission,
    approval, return and reopening bumps one; a register row or an SKM answer counts once its entry is
    approved), the indicators and targets with their last change, the SKM results and (``documents``, for
    pages that show them) the required documents, their files and types. ``office_ids``: a list or a scalar
    subquery of office ids.

    With a list of ids and no ``extra`` (the API summary, the dashboard) the statement is built once per
    process with bound parameters: building this select costs more than running it.
    """
    if not extra and isinstance(office_ids, (list, tuple)):
        statement = _FINGERPRINTS.get(documents)
        if statement is None:
            statement = _FINGERPRINTS[documents] = _fingerprint_select(
                sa.bindparam("office_ids", expanding=True), sa.bindparam("year"), (), documents)
        return tuple(db.session.execute(statement, {"office_ids": list(office_ids), "year": year}).one())
    return tuple(db.session.execute(_fingerprint_select(office_ids, year, extra, documents)).one())


_FINGERPRINTS: dict[bool, sa.Select] = {}


def _fingerprint_select(office_ids, year, extra, documents: bool) -> sa.Select:
    from ..models import DocumentFile, DocumentType, RequiredDocument, SurveyPeriod, SurveyResult, Target

    def agg(*columns, where):
        return [sa.select(c).where(*where).scalar_subquery() for c in columns]

    parts = [
        *extra,
        *agg(sa.func.count(WorkflowEntry.id), sa.func.sum(WorkflowEntry.version), sa.func.max(WorkflowEntry.updated_at),
             where=[WorkflowEntry.office_id.in_(office_ids), WorkflowEntry.year == year]),
        *agg(sa.func.count(Indicator.id), sa.func.max(Indicator.updated_at),
             where=[Indicator.office_id.in_(office_ids), Indicator.year == year]),
        *agg(sa.func.count(Target.id), sa.func.max(Target.updated_at), sa.func.max(Target.id),
             where=[Target.office_id.in_(office_ids)]),
        *agg(sa.func.count(SurveyResult.id), sa.func.max(SurveyResult.id),
             where=[SurveyResult.period_id.in_(sa.select(SurveyPeriod.id).where(SurveyPeriod.office_id.in_(office_ids),
                                                                                SurveyPeriod.year == year))]),
    ]
    if documents:
        parts += [
            *agg(sa.func.count(RequiredDocument.id), sa.func.max(RequiredDocument.id),
                 where=[RequiredDocument.office_id.in_(office_ids), RequiredDocument.year == year]),
            *agg(sa.func.count(DocumentFile.id), sa.func.max(DocumentFile.id),
                 where=[DocumentFile.office_id.in_(office_ids)]),
            *agg(sa.func.count(DocumentType.id), sa.func.max(DocumentType.id),
                 where=[DocumentType.office_id.in_(office_ids)]),
        ]
    return sa.select(*parts)


SUMMARY_CACHE_SECONDS = 60
SUMMARY_CACHE_SIZE = 256


def _summary_cached(office_id: int, year: int) -> tuple[list[dict], str]:
    """The year's summary as JSON items and as text, reused per process while the office's
    :func:`data_fingerprint`, the day (IKU 1 by triwulan depends on it) and a minute hold."""
    import json
    import time
    from collections import OrderedDict
    from datetime import date

    from flask import current_app

    cache = current_app.extensions.setdefault("iku_summary_cache", OrderedDict())
    # a required document is a workflow entry: what IKU 1 counts moves with the entries
    key = (office_id, year, date.today(), data_fingerprint([office_id], year, documents=False))
    hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < SUMMARY_CACHE_SECONDS:
        cache.move_to_end(key)
        return hit[1], hit[2]
    items = [item.as_json() for item in year_summary(office_id, year)]
    text = json.dumps(items, ensure_ascii=False)
    cache[key] = (time.monotonic(), items, text)
    while len(cache) > SUMMARY_CACHE_SIZE:
        cache.popitem(last=False)
    return items, text


def year_summary_json(office_id: int, year: int) -> list[dict]:
    """``[item.as_json() for item in year_summary(office_id, year)]`` (reused: :func:`_summary_cached`)."""
    return _summary_cached(office_id, year)[0]


def year_summary_text(office_id: int, year: int) -> str:
    """:func:`year_summary_json` written as JSON text (the API's answer)."""
    return _summary_cached(office_id, year)[1]
