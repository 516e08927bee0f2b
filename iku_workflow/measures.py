"""How an IKU's realisation is obtained: one provider per measurement kind.

The indicators capability asks ``measure(kind, office_id, year)``; the capability that owns the data
declares the :class:`Measure` with its provider (documents → ``document_count``, survey → ``survey_index``, registers →
``ratio:<register>``, SAKIP → ``score``). Providers query the database with a fixed number of queries
(aggregates, never one query per row) and use the pure domain functions for the arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Mapping

from flask_babel import gettext as _

from .domain.capaian import YearRule, pooled_ratio, up_to, year_value

TW = (1, 2, 3, 4)


@dataclass(frozen=True)
class Measured:
    """The realisation of one indicator for one year.

    ``tw``: the value of each triwulan on its own (None = no data);
    ``upto``: the value "s.d. TW" (from TW I up to that triwulan);
    ``year``: the year's value; ``counts``: for ratios, (numerator, denominator) per triwulan;
    ``detail``: a short Indonesian explanation of where the number comes from.
    """

    tw: dict[int, Decimal | None]
    upto: dict[int, Decimal | None]
    year: Decimal | None
    counts: dict[int, tuple[int, int]] | None = None
    detail: str = ""

    @property
    def has_data(self) -> bool:
        return self.year is not None or any(v is not None for v in self.tw.values())


def from_counts(counts: Mapping[int, tuple[int, int]], detail: str = "") -> Measured:
    """A ratio indicator (count over count): TW values and every "s.d." value from pooled counts."""
    full = {tw: tuple(counts.get(tw, (0, 0))) for tw in TW}
    tw_values = {tw: pooled_ratio({tw: full[tw]}, tw) for tw in TW}
    upto_values = {tw: pooled_ratio(full, tw) for tw in TW}
    return Measured(tw=tw_values, upto=upto_values, year=upto_values[4], counts=full, detail=detail)


def from_values(values: Mapping[int, Decimal | None], rule: YearRule, detail: str = "") -> Measured:
    """An indicator whose triwulan values combine by its year rule (cumulative, last, average)."""
    tw_values = {tw: values.get(tw) for tw in TW}
    upto_values = {tw: up_to(tw_values, tw, rule) for tw in TW}
    return Measured(tw=tw_values, upto=upto_values, year=year_value(tw_values, rule), detail=detail)


def empty(detail: str | None = None) -> Measured:
    detail = detail or _("Belum ada data.")
    none = {tw: None for tw in TW}
    return Measured(tw=dict(none), upto=dict(none), year=None, detail=detail)


Provider = Callable[[int, int], Measured]


@dataclass(frozen=True)
class Measure:
    """One way of measuring an IKU, declared by the capability that owns the data.

    ``key`` is what ``Indicator.measure`` stores; ``label`` names it in the IKU form and catalogue;
    ``provider(office_id, year)`` measures it; ``data_page(year) -> (endpoint, url arguments)`` is the
    page with the data behind the number (the dashboard links to it), or None.
    """

    key: str
    label: str  # a lazy_gettext string
    provider: Provider
    data_page: Callable[[int], tuple[str, dict]] | None = None


class UnknownMeasure(LookupError):
    """No installed capability declares this measure key."""


def declared() -> Mapping[str, Measure]:
    """The measures of the current app, by key."""
    from .capability import registry

    return registry().measures


def measure(kind: str, office_id: int, year: int) -> Measured:
    found = declared().get(kind)
    if found is None:
        raise UnknownMeasure(f"no installed capability declares the measure {kind!r}")
    return found.provider(office_id, year)
