"""The Camat's overview at the top of the dashboard (issue 14): the six IKU in one strip with the numbers
behind every percentage, the sections behind schedule, what waits for review, the SKM's
representativeness, and the data-quality flags where a number deserves doubt.

Everything here is read from the same places as the rest of the dashboard (``summary.year_summary``, the
workflow entries, the SKM periods), so the strip and the cards below it cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from ..domain import skm
from ..domain.capaian import LowerFormula, Polarity
from ..extensions import db
from ..formatting import format_decimal, format_number
from ..models import EntryState, Section, SurveyPeriod, SurveyResponse, WorkflowEntry
from ..number_input import page_locale
from ..workflow import kinds
from .summary import IkuSummary, year_summary_json

__all__ = ["capaian_formula", "Overview", "overview"]

#: a year's realisation this many times its earlier years' mean (or less than its inverse) is flagged
OUTLIER_FACTOR = Decimal(2)
#: a triwulan's own value this many times the median of the year's triwulan (or less than its inverse) is flagged
TRIWULAN_FACTOR = Decimal(3)
#: how many earlier years the outlier flag compares with
EARLIER_YEARS = 3


def capaian_formula(realisation, target, polarity, lower_formula, result, locale: str | None = None) -> str | None:
    """The capaian written out with its inputs (RULES.md §3): "2 ÷ 3 × 100 = 66,67 %",
    "(2 × 3 − 2,4) ÷ 3 × 100 = 120,00 %", "3 ÷ 2,4 × 100 = 125,00 %"; a target of 0 says its rule in
    words. None when there is no realisation or no target."""
    if realisation is None or target is None:
        return None
    locale = locale or page_locale()
    r, t = format_number(realisation, locale), format_number(target, locale)
    c = format_decimal(result, locale, 2) + " %" if result is not None else None
    polarity, lower_formula = Polarity(polarity), LowerFormula(lower_formula)
    if polarity is Polarity.HIGHER:
        if Decimal(target) == 0:
            return _("target 0: capaian tidak dihitung (target belum ditetapkan)")
        return f"{r} ÷ {t} × 100 = {c}"
    if Decimal(target) == 0:
        return _("target 0 (makin kecil makin baik): realisasi %(r)s → %(c)s", r=r, c=c)
    if lower_formula is LowerFormula.TWICE_TARGET:
        text = f"(2 × {t} − {r}) ÷ {t} × 100 = {c}"
        if result is not None and Decimal(result) == 0 and 2 * Decimal(target) < Decimal(realisation):
            text += " " + _("(paling rendah 0)")
        return text
    if Decimal(realisation) == 0:
        return _("%(t)s ÷ 0: tidak terdefinisi", t=t)
    return f"{t} ÷ {r} × 100 = {c}"


@dataclass(frozen=True)
class Row:
    item: IkuSummary
    formula: str | None  # the capaian written out
    inputs: str  # the counts behind the realisation ("2 dari 4 kegiatan difasilitasi")
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LateSection:
    section_id: int | None
    name: str
    late: int  # due date passed, not approved
    titles: tuple[str, ...]  # the first few, for the tooltip/list


@dataclass(frozen=True)
class SkmSample:
    period: SurveyPeriod
    respondents: int
    minimum: int | None

    @property
    def representative(self) -> bool | None:
        return None if self.minimum is None else self.respondents >= self.minimum


@dataclass(frozen=True)
class Overview:
    year: int
    today: date
    rows: tuple[Row, ...]
    late: tuple[LateSection, ...]
    pending: tuple[tuple[str, str, int], ...]  # (kind code, label, count) waiting for review
    skm: tuple[SkmSample, ...]
    flags: tuple[tuple[str, str], ...] = field(default=())  # (where, what) across the office

    @property
    def pending_total(self) -> int:
        return sum(n for _c, _l, n in self.pending)

    @property
    def late_total(self) -> int:
        return sum(s.late for s in self.late)


def _late_sections(office_id: int, year: int, today: date) -> tuple[LateSection, ...]:
    rows = db.session.execute(
        sa.select(WorkflowEntry.section_id, Section.name, WorkflowEntry.title)
        .outerjoin(Section, Section.id == WorkflowEntry.section_id)
        .where(WorkflowEntry.office_id == office_id, WorkflowEntry.year == year,
               WorkflowEntry.due_date.is_not(None), WorkflowEntry.due_date < today,
               WorkflowEntry.state != EntryState.APPROVED)
        .order_by(Section.position, WorkflowEntry.due_date, WorkflowEntry.id)).all()
    grouped: dict[int | None, list] = {}
    for section_id, name, title in rows:
        grouped.setdefault(section_id, [name or _("Tanpa seksi")]).append(title)
    return tuple(LateSection(sid, values[0], len(values) - 1, tuple(values[1:6])) for sid, values in grouped.items())


def _pending(office_id: int) -> tuple[tuple[str, str, int], ...]:
    counts = db.session.execute(
        sa.select(WorkflowEntry.kind, sa.func.count(WorkflowEntry.id))
        .where(WorkflowEntry.office_id == office_id, WorkflowEntry.state == EntryState.SUBMITTED)
        .group_by(WorkflowEntry.kind)).all()
    labels = {k.code: k.label for k in kinds.all_kinds()}
    return tuple(sorted(((code, str(labels.get(code, code)), n) for code, n in counts), key=lambda t: -t[2]))


def _skm(office_id: int, year: int) -> tuple[SkmSample, ...]:
    periods = db.session.scalars(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == office_id,
                                                                SurveyPeriod.year == year)
                                 .order_by(SurveyPeriod.id)).all()
    if not periods:
        return ()
    counts = dict(db.session.execute(
        sa.select(SurveyResponse.period_id, sa.func.count(SurveyResponse.id))
        .where(SurveyResponse.period_id.in_([p.id for p in periods])).group_by(SurveyResponse.period_id)).all())
    return tuple(SkmSample(p, counts.get(p.id, 0), skm.min_sample(p.population)) for p in periods)


def _late_submissions(office_id: int, year: int) -> int:
    """Entries of the year submitted (or decided) after their due date."""
    return db.session.scalar(sa.select(sa.func.count(WorkflowEntry.id)).where(
        WorkflowEntry.office_id == office_id, WorkflowEntry.year == year, WorkflowEntry.due_date.is_not(None),
        WorkflowEntry.submitted_at.is_not(None),
        sa.func.date(WorkflowEntry.submitted_at) > WorkflowEntry.due_date)) or 0


def _outlier(item: IkuSummary, earlier: dict[int, Decimal]) -> str | None:
    """A year's realisation far outside the office's own earlier years, or a triwulan far from the others."""
    value = item.realisation
    if value is None:
        return None
    if earlier:
        mean = sum(earlier.values()) / len(earlier)
        if mean > 0 and (Decimal(value) > mean * OUTLIER_FACTOR or Decimal(value) * OUTLIER_FACTOR < mean):
            years = ", ".join(str(y) for y in sorted(earlier))
            return _("Realisasi %(v)s jauh dari rata-rata tahun sebelumnya (%(m)s; %(years)s).",
                     v=format_number(value, page_locale()), m=format_number(round(mean, 2), page_locale()), years=years)
    by_tw = {tw: Decimal(v) for tw, v in item.measured.tw.items() if v is not None}
    if len(by_tw) >= 3:
        values = sorted(by_tw.values())
        median = values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
        far = [tw for tw, v in by_tw.items()
               if median > 0 and (v > median * TRIWULAN_FACTOR or v * TRIWULAN_FACTOR < median)]
        if far:
            tw = max(far, key=lambda t: abs(by_tw[t] - median))
            return _("Nilai TW %(tw)s (%(v)s) jauh dari triwulan lainnya (median %(m)s).", tw=tw,
                     v=format_number(by_tw[tw], page_locale()), m=format_number(round(median, 2), page_locale()))
    return None


def _earlier_realisations(office_id: int, year: int) -> dict[int, dict[int, Decimal]]:
    """IKU number -> {earlier year: realisation} (the summaries are reused per process while data holds)."""
    out: dict[int, dict[int, Decimal]] = {}
    for earlier in range(year - EARLIER_YEARS, year):
        for item in year_summary_json(office_id, earlier):
            value = (item.get("realisation") or {}).get("year")
            if value is not None:
                out.setdefault(item["number"], {})[earlier] = Decimal(str(value))
    return out


def _inputs(item: IkuSummary) -> str:
    """What the realisation is made of: for a ratio its pooled counts written out ("2 dari 3: 2 ÷ 3 × 100 =
    66,67 %", then the measure's own words), else the measure's explanation."""
    measured = item.measured
    if not measured.has_data:
        return ""
    if measured.counts:
        numerator = sum(n for n, _d in measured.counts.values())
        denominator = sum(d for _n, d in measured.counts.values())
        if denominator:
            locale = page_locale()
            return _("%(n)s dari %(d)s: %(n)s ÷ %(d)s × 100 = %(v)s %%. %(detail)s", n=format_number(numerator, locale),
                     d=format_number(denominator, locale), v=format_decimal(measured.year, locale, 2),
                     detail=measured.detail)
    return measured.detail


def overview(office_id: int, year: int, items: list[IkuSummary], today: date | None = None) -> Overview:
    """The overview of the office's ``year`` from the dashboard's own ``items``."""
    from ..registers.operations import approved_without_evidence

    today = today or date.today()
    earlier = _earlier_realisations(office_id, year)
    missing = approved_without_evidence(office_id, year)  # {iku number: (register title, count)}
    rows = []
    for item in items:
        flags = []
        if item.number in missing:
            title, n = missing[item.number]
            flags.append(_("%(n)d baris %(register)s disetujui tanpa bukti (berkas atau keterangan).", n=n,
                           register=title))
        if (text := _outlier(item, earlier.get(item.number, {}))):
            flags.append(text)
        formula = capaian_formula(item.realisation, item.target, item.polarity, item.lower_formula, item.capaian)
        rows.append(Row(item, formula, _inputs(item), tuple(flags)))
    office_flags = []
    if (late := _late_submissions(office_id, year)):
        office_flags.append((_("Alur kerja"), _("%(n)d entri diajukan setelah tenggatnya.", n=late)))
    for row in rows:
        for text in row.flags:
            office_flags.append((f"IKU {row.item.number}", text))
    from ..capability import registry

    for provider in registry().overview_flags:  # e.g. the PK's: its targets differ, or it is late
        office_flags.extend(provider(office_id, year, today))
    return Overview(year, today, tuple(rows), _late_sections(office_id, year, today), _pending(office_id),
                    _skm(office_id, year), tuple(office_flags))

