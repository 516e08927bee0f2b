"""IKU 2's realisation: the approved IKM (converted, 25-100) of each period, by triwulan.

A period counts in the triwulan its last day falls in (S1 → TW II, S2 and TAHUN → TW IV, TWn → n).
When two approved periods end in the same triwulan (e.g. S2 and TAHUN), the longer one counts: it
covers more of the year's service. The periods combine by the indicator's year rule (RULES.md §3):
the last period's IKM (the default for an index) or the mean of the periods' IKM — never their sum
(``measures.INDEX``). A counted period whose respondents are below the minimum sample carries the SKM
results page's own warning.
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import measures
from ..domain.capaian import YearRule
from ..domain.dates import period_range, triwulan_of
from ..formatting import format_decimal
from ..number_input import page_locale
from ..extensions import db
from ..models import EntryState, SurveyPeriod, SurveyResult, WorkflowEntry
from .sample import sample_warning


def approved_results_many(office_ids: Sequence[int], year: int) -> dict[int, list[tuple[SurveyPeriod, SurveyResult]]]:
    """The approved periods of a year with their snapshots, by office (one query)."""
    rows = db.session.execute(
        sa.select(SurveyPeriod, SurveyResult)
        .join(SurveyResult, SurveyResult.period_id == SurveyPeriod.id)
        .join(WorkflowEntry, WorkflowEntry.id == SurveyPeriod.entry_id)
        .where(SurveyPeriod.office_id.in_(office_ids), SurveyPeriod.year == year,
               WorkflowEntry.state == EntryState.APPROVED)
        .order_by(SurveyPeriod.office_id, SurveyPeriod.id)
    ).all()
    out: dict[int, list[tuple[SurveyPeriod, SurveyResult]]] = {office_id: [] for office_id in office_ids}
    for period, result in rows:
        out[period.office_id].append((period, result))
    return out


def approved_results(office_id: int, year: int) -> list[tuple[SurveyPeriod, SurveyResult]]:
    """The approved periods of a year with their snapshots (one query)."""
    return approved_results_many([office_id], year)[office_id]


def _index(results: list[tuple[SurveyPeriod, SurveyResult]], year: int, rule) -> measures.Measured:
    chosen: dict[int, tuple[int, SurveyPeriod, SurveyResult]] = {}
    for period, result in results:
        if result.konversi is None:
            continue
        first, last = period_range(year, period.label)
        tw, span = triwulan_of(last), (last - first).days
        if tw not in chosen or span > chosen[tw][0]:
            chosen[tw] = (span, period, result)
    if not chosen:
        return measures.empty(_("Belum ada hasil SKM yang disetujui untuk tahun ini."))
    values = {tw: result.konversi for tw, (_span, _p, result) in chosen.items()}
    parts = [_("%(period)s (%(n)s responden, IKM %(ikm)s, mutu %(mutu)s)", period=p.title, n=r.respondents,
               ikm=format_decimal(r.konversi, page_locale()), mutu=r.mutu)
             for _tw, (_s, p, r) in sorted(chosen.items())]
    detail = _("IKM hasil SKM yang disetujui: %(results)s", results=", ".join(parts))
    warnings = tuple(f"{p.title}: {w}" for _tw, (_s, p, r) in sorted(chosen.items())
                     if (w := sample_warning(p.population, r.respondents)))
    return combine(values, rule, detail=detail, warnings=warnings)


def survey_index_many(office_ids: Sequence[int], year: int, rule: YearRule = YearRule.LAST) -> dict[int, measures.Measured]:
    """IKU 2 of several offices from one query (:func:`survey_index`)."""
    return {office_id: _index(results, year, rule)
            for office_id, results in approved_results_many(office_ids, year).items()}


def survey_index(office_id: int, year: int, rule: YearRule = YearRule.LAST) -> measures.Measured:
    """Provider for measure kind "survey_index": the approved IKM by triwulan, combined by ``rule``."""
    return survey_index_many([office_id], year, rule)[office_id]


def combine(values: dict, rule: YearRule | str | None, detail: str = "", warnings: tuple[str, ...] = ()) -> measures.Measured:
    """The periods' IKM by triwulan combined by the rule an index allows (last value or average)."""
    return measures.from_values(values, measures.INDEX.effective(rule), detail=detail, warnings=warnings)

