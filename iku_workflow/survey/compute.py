"""The index of a period: SUM/COUNT in the database (or over loaded rows) fed to the one arithmetic path.

All paths end in `domain.skm.compute_from_sums` (RULES.md §1), so they give identical numbers. The
database paths never load rows into Python: `sql_index` and `per_service` add up the trigger-kept
running totals of the period (``survey_totals``, one line per service type), which is what makes a
million responses cheap; `raw_index` / `raw_per_service` aggregate the response rows themselves and are
the verification path (tests) and what closing a period snapshots.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import sqlalchemy as sa

from ..domain import skm
from ..domain.skm_response import USIA
from ..extensions import db
from ..models import SurveyPeriod, SurveyResponse, SurveyResult, SurveyService, SurveyTotal
from ..models.survey import UNSUR_COLUMNS
from ..models.survey_totals import SUM_COLUMNS

_SUM_COLUMNS = [sa.func.sum(getattr(SurveyResponse, c)) for c in UNSUR_COLUMNS]
_TOTAL_COLUMNS = [sa.func.sum(getattr(SurveyTotal, c)) for c in SUM_COLUMNS]

#: Age bands of the respondent profile (inclusive bounds, years), from the youngest to the oldest age a
#: response may hold (`skm_response.USIA`).
AGE_BANDS = ((USIA.low, 19, "< 20"), (20, 29, "20–29"), (30, 39, "30–39"), (40, 49, "40–49"),
             (50, 59, "50–59"), (60, USIA.high, "≥ 60"))  # fmt: skip


def sums_query(period_id: int) -> sa.Select:
    """SELECT COUNT(*), SUM(u1) .. SUM(u9) of one period over its response rows (one row)."""
    return sa.select(sa.func.count(), *_SUM_COLUMNS).where(SurveyResponse.period_id == period_id)


def totals_query(period_id: int) -> sa.Select:
    """The same numbers from the running totals: a sum over one line per service type."""
    return (sa.select(sa.func.sum(SurveyTotal.respondents), *_TOTAL_COLUMNS)
            .where(SurveyTotal.period_id == period_id))


def _from_row(row: Sequence, weighting: str) -> skm.IkmResult | None:
    respondents, *sums = row
    return skm.compute_from_sums(
        int(respondents or 0), {k: int(s or 0) for k, s in zip(skm.UNSUR_KEYS, sums)}, weighting=weighting
    )


def sql_index(period: SurveyPeriod, connection=None) -> skm.IkmResult | None:
    """The IKM of the period from its running totals (``None`` without respondents)."""
    target = connection if connection is not None else db.session
    return _from_row(target.execute(totals_query(period.id)).one(), period.weighting)


def raw_index(period: SurveyPeriod, connection=None) -> skm.IkmResult | None:
    """The IKM of the period by aggregating its response rows (the verification path)."""
    target = connection if connection is not None else db.session
    return _from_row(target.execute(sums_query(period.id)).one(), period.weighting)


def python_index(rows: Iterable[Sequence[int]], weighting: str = "exact") -> skm.IkmResult | None:
    """The IKM over answer rows already in memory (small sets, tests): same arithmetic path."""
    return skm.compute_from_responses(rows, weighting=weighting)


def snapshot_index(result: SurveyResult) -> skm.IkmResult | None:
    """The IKM of a stored snapshot (what was submitted and approved)."""
    return skm.compute_from_sums(result.respondents, result.sums, weighting=result.weighting)


def _by_service(period: SurveyPeriod, query: sa.Select) -> list[tuple[SurveyService, skm.IkmResult | None]]:
    by_service = {row[0]: _from_row(row[1:], period.weighting) for row in db.session.execute(query)}
    return [(service, by_service.get(service.id)) for service in period.services]


def per_service(period: SurveyPeriod) -> list[tuple[SurveyService, skm.IkmResult | None]]:
    """The index of every service type offered, from the running totals (services without answers too)."""
    return _by_service(period, sa.select(SurveyTotal.service_id, SurveyTotal.respondents,
                                         *[getattr(SurveyTotal, c) for c in SUM_COLUMNS])
                       .where(SurveyTotal.period_id == period.id))


def raw_per_service(period: SurveyPeriod) -> list[tuple[SurveyService, skm.IkmResult | None]]:
    """The same by one GROUP BY over the response rows (the verification path)."""
    return _by_service(period, sa.select(SurveyResponse.service_id, sa.func.count(), *_SUM_COLUMNS)
                       .where(SurveyResponse.period_id == period.id).group_by(SurveyResponse.service_id))


@dataclass
class Profile:
    """Counts of respondents by gender, age band, education, occupation and service (label, count)."""

    jenis_kelamin: list[tuple[str, int]] = field(default_factory=list)
    usia: list[tuple[str, int]] = field(default_factory=list)
    pendidikan: list[tuple[str, int]] = field(default_factory=list)
    pekerjaan: list[tuple[str, int]] = field(default_factory=list)
    layanan: list[tuple[str, int]] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [("Jenis Kelamin", self.jenis_kelamin), ("Usia", self.usia), ("Pendidikan", self.pendidikan),
                ("Pekerjaan", self.pekerjaan), ("Jenis Layanan", self.layanan)]


def _grouped(period_id: int, column) -> Counter:
    rows = db.session.execute(
        sa.select(column, sa.func.count()).where(SurveyResponse.period_id == period_id).group_by(column)
    ).all()
    return Counter({key: count for key, count in rows})


def profile(period: SurveyPeriod) -> Profile:
    """The respondents' profile by GROUP BY queries, labels in the codes' order, zero counts kept."""
    out = Profile()
    for attr, codes in (("jenis_kelamin", skm.JENIS_KELAMIN), ("pendidikan", skm.PENDIDIKAN),
                        ("pekerjaan", skm.PEKERJAAN)):
        counts = _grouped(period.id, getattr(SurveyResponse, attr))
        setattr(out, attr, [(label, counts.get(code, 0)) for code, label in codes])
    band = sa.case(*[(SurveyResponse.usia.between(lo, hi), name) for lo, hi, name in AGE_BANDS], else_="?")
    ages = _grouped(period.id, band)
    out.usia = [(name, ages.get(name, 0)) for _lo, _hi, name in AGE_BANDS]
    services = _grouped(period.id, SurveyResponse.service_id)
    out.layanan = [(s.name, services.get(s.id, 0)) for s in period.services]
    return out


def period_index(period: SurveyPeriod) -> skm.IkmResult | None:
    """The headline index: the stored snapshot of a closed period, else live SQL aggregation."""
    return period_indexes([period])[period.id]


def period_indexes(periods: Sequence[SurveyPeriod]) -> dict[int, skm.IkmResult | None]:
    """`period_index` of many periods with one query on the running totals (for the list of periods).

    Closed periods take their snapshot (``result`` should be loaded with the periods), open ones the
    running totals grouped by period, so the number of queries does not grow with the periods.
    """
    ids = [p.id for p in periods if p.is_open or p.result is None]  # the snapshots need no query
    running = {row[0]: row[1:] for row in db.session.execute(
        sa.select(SurveyTotal.period_id, sa.func.sum(SurveyTotal.respondents), *_TOTAL_COLUMNS)
        .where(SurveyTotal.period_id.in_(ids)).group_by(SurveyTotal.period_id))} if ids else {}
    out: dict[int, skm.IkmResult | None] = {}
    for period in periods:
        if not period.is_open and period.result is not None:
            out[period.id] = snapshot_index(period.result)
        else:
            out[period.id] = _from_row(running.get(period.id, (0,)), period.weighting)
    return out


def comment_counts(period) -> dict[str | None, int]:
    """How many respondents wrote something, per unsur ("u1" ..: improvement notes) and None (saran)."""
    from ..models import SurveyComment

    return dict(db.session.execute(
        sa.select(SurveyComment.unsur, sa.func.count()).where(SurveyComment.period_id == period.id)
        .group_by(SurveyComment.unsur)).all())


def comments(period, limit: int | None = None) -> list[tuple[int, str | None, str]]:
    """(response id, unsur or None for saran, text), newest first."""
    from ..models import SurveyComment

    query = (sa.select(SurveyComment.response_id, SurveyComment.unsur, SurveyComment.text)
             .where(SurveyComment.period_id == period.id)
             .order_by(SurveyComment.response_id.desc(), SurveyComment.id))
    if limit:
        query = query.limit(limit)
    return [tuple(r) for r in db.session.execute(query).all()]
