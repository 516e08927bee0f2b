"""How an IKU's realisation is obtained: one provider per measurement kind.

The indicators capability asks ``measure(kind, office_id, year, rule)``; the capability that owns the
data declares the :class:`Measure` with its provider (documents → ``document_count``, survey →
``survey_index``, registers →
``ratio:<register>``, SAKIP → ``score``). Providers query the database with a fixed number of queries
(aggregates, never one query per row) and use the pure domain functions for the arithmetic.

Each kind also registers its ``RulePolicy``: which year rules (RULES.md §3) mean something for it. A
kind whose nature fixes the rule (a document count is cumulative, a ratio is recomputed from pooled
counts, the SAKIP score is one evaluation a year) has one rule, which the indicator form shows as
fixed with the reason; the others let the indicator choose among the rules that apply (an index such
as the IKM is never summed).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .domain.capaian import YearRule, pooled_ratio, up_to, year_value

TW = (1, 2, 3, 4)


@dataclass(frozen=True)
class Measured:
    """The realisation of one indicator for one year.

    ``tw``: the value of each triwulan on its own (None = no data);
    ``upto``: the value "s.d. TW" (from TW I up to that triwulan);
    ``year``: the year's value; ``counts``: for ratios, (numerator, denominator) per triwulan;
    ``detail``: a short Indonesian explanation of where the number comes from;
    ``warnings``: what makes the number less trustworthy than it looks (e.g. an SKM below its minimum
    sample), shown as text beside it.
    """

    tw: dict[int, Decimal | None]
    upto: dict[int, Decimal | None]
    year: Decimal | None
    counts: dict[int, tuple[int, int]] | None = None
    detail: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return self.year is not None or any(v is not None for v in self.tw.values())


def from_counts(counts: Mapping[int, tuple[int, int]], detail: str = "") -> Measured:
    """A ratio indicator (count over count): TW values and every "s.d." value from pooled counts."""
    full = {tw: tuple(counts.get(tw, (0, 0))) for tw in TW}
    tw_values = {tw: pooled_ratio({tw: full[tw]}, tw) for tw in TW}
    upto_values = {tw: pooled_ratio(full, tw) for tw in TW}
    return Measured(tw=tw_values, upto=upto_values, year=upto_values[4], counts=full, detail=detail)


def from_values(values: Mapping[int, Decimal | None], rule: YearRule, detail: str = "",
                warnings: tuple[str, ...] = ()) -> Measured:
    """An indicator whose triwulan values combine by its year rule (cumulative, last, average)."""
    tw_values = {tw: values.get(tw) for tw in TW}
    upto_values = {tw: up_to(tw_values, tw, rule) for tw in TW}
    return Measured(tw=tw_values, upto=upto_values, year=year_value(tw_values, rule), detail=detail,
                    warnings=tuple(warnings))


def empty(detail: str | None = None) -> Measured:
    detail = detail or _("Belum ada data.")
    none = {tw: None for tw in TW}
    return Measured(tw=dict(none), upto=dict(none), year=None, detail=detail)


@dataclass(frozen=True)
class RulePolicy:
    """The year rules an indicator measured by one kind may use (the first is its default).

    One rule: the kind fixes it; ``label`` is how the form names the fixed rule (e.g. "Rasio dari
    jumlah gabungan", which combines targets as "last value") and ``reason`` says why it is fixed.
    Several: the indicator chooses among them; ``reason`` says why the others are not offered.
    """

    rules: tuple[YearRule, ...]
    label: str = ""
    reason: str = ""

    @property
    def fixed(self) -> bool:
        return len(self.rules) == 1

    def effective(self, rule: YearRule | str | None) -> YearRule:
        """The rule that applies: ``rule`` when the kind allows it, else the kind's default."""
        try:
            chosen = YearRule(rule) if rule is not None else None
        except ValueError:
            chosen = None
        return chosen if chosen in self.rules else self.rules[0]


#: A kind without its own policy (or an unknown one): every rule may be chosen.
ANY_RULE = RulePolicy((YearRule.LAST, YearRule.CUMULATIVE, YearRule.AVERAGE))

Provider = Callable[[int, int, YearRule], Measured]

#: The policies of the built-in kinds, declared with their measures.
CUMULATIVE_COUNT = RulePolicy(
    (YearRule.CUMULATIVE,), _l("Kumulatif"),
    _l("Jumlah dokumen: dokumen yang disetujui pada tiap triwulan dijumlahkan, sehingga s.d. TW IV sama "
       "dengan jumlah setahun. Target triwulan diisi sebagai jumlah per triwulan."))
POOLED_RATIO = RulePolicy(
    (YearRule.LAST,), _l("Rasio dari jumlah gabungan"),
    _l("Rasio (pembilang ÷ penyebut): tahun dan setiap s.d. TW dihitung ulang dari jumlah pembilang dan "
       "penyebut, bukan dari persentase triwulan. Target triwulan dibaca sebagai target s.d. triwulan itu."))
ONE_SCORE = RulePolicy(
    (YearRule.LAST,), _l("Nilai LHE tahun itu"),
    _l("Satu evaluasi SAKIP (LHE) per tahun: nilai tahunan adalah nilai LHE itu. Target triwulan dibaca "
       "sebagai target s.d. triwulan itu."))
INDEX = RulePolicy(
    (YearRule.LAST, YearRule.AVERAGE), "",
    _l("Indeks (IKM) tiap periode survei tidak dapat dijumlahkan: pilih nilai terakhir atau rata-rata."))



@dataclass(frozen=True)
class Measure:
    """One way of measuring an IKU, declared by the capability that owns the data.

    ``key`` is what ``Indicator.measure`` stores; ``label`` names it in the IKU form and catalogue;
    ``provider(office_id, year, rule)`` measures it, combining triwulan by ``rule`` (``many`` does it
    for several offices at once); ``policy`` says
    which year rules mean something for it; ``data_page(year) -> (endpoint, url arguments)`` is the
    page with the data behind the number (the dashboard links to it), or None.
    """

    key: str
    label: str  # a lazy_gettext string
    provider: Provider
    data_page: Callable[[int], tuple[str, dict]] | None = None
    policy: RulePolicy = ANY_RULE
    #: ``many(office_ids, year, rule) -> {office_id: Measured}``: the same numbers for several offices in a
    #: fixed number of queries (the kabupaten console); ``provider`` of one office is ``many([id])[id]``
    many: Callable[[Sequence[int], int, YearRule], dict[int, Measured]] | None = None


class UnknownMeasure(LookupError):
    """No installed capability declares this measure key."""


def declared() -> Mapping[str, Measure]:
    """The measures of the current app, by key."""
    from .capability import registry

    return registry().measures


def policy(kind: str) -> RulePolicy:
    """The year rules of a measure kind (every rule for a key no capability declares)."""
    found = declared().get(kind)
    return found.policy if found is not None else ANY_RULE


def measure(kind: str, office_id: int, year: int, rule: YearRule | str | None = None) -> Measured:
    """The realisation of ``kind`` for the year, combined by ``rule`` (the kind's effective rule)."""
    found = declared().get(kind)
    if found is None:
        raise UnknownMeasure(f"no installed capability declares the measure {kind!r}")
    return found.provider(office_id, year, found.policy.effective(rule))


def measure_many(kind: str, office_ids: Sequence[int], year: int,
                 rule: YearRule | str | None = None) -> dict[int, Measured]:
    """The realisation of ``kind`` for several offices: one provider call whatever their number."""
    found = declared().get(kind)
    if found is None:
        raise UnknownMeasure(f"no installed capability declares the measure {kind!r}")
    effective = found.policy.effective(rule)
    if found.many is not None:
        return found.many(list(office_ids), year, effective)
    return {office_id: found.provider(office_id, year, effective) for office_id in office_ids}
