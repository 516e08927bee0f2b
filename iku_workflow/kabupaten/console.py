"""The kabupaten console's numbers: every office × IKU and every office × required document of a year.

One fixed set of queries whatever the number of offices: the offices, their indicators (with sections
and targets), one ``measures.measure_many`` call per measure kind and year rule, and the required
documents. The capaian of each cell is computed by the same ``indicators.summary.summarise`` the
office's dashboard and `iku report --json` use, from the same providers, so the numbers agree.

The matrix is kept per app process and reused while nothing it reads has changed: one query reads a
fingerprint of the kabupaten's year (:func:`fingerprint`: the count and the summed optimistic-lock
versions of the workflow entries — every submission, approval, return and reopening bumps one —, the
indicators and targets with their last change, the required documents, their files and types, the
survey results), and a different fingerprint, another day (lateness and IKU 1 depend on the date) or
an entry older than :data:`CACHE_SECONDS` recomputes it. Numbers only move through those rows: a
register row or an SKM answer counts once its entry is approved.
"""
from __future__ import annotations

import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import measures
from ..domain.capaian import Band
from ..domain.completion import completion
from ..extensions import db
from ..indicators.summary import IkuSummary, data_fingerprint, effective_rule, summarise
from ..models import (DocumentFile, DocumentType, EntryState, Indicator, Office, RequiredDocument, WorkflowEntry)

#: the period a console shows: s.d. TW I..IV (1..4) or the year (None, the same numbers as s.d. TW IV)
PERIODS: tuple[int | None, ...] = (None, 1, 2, 3, 4)

RANKING_RULE = _l(
    "Peringkat menurut rata-rata capaian IKU kantor pada periode ini (tiap capaian dihitung paling tinggi 100%, "
    "hanya IKU yang sudah memiliki capaian); sama besar: tingkat kelengkapan dokumen wajib yang lebih tinggi, "
    "lalu nama kecamatan. Kantor tanpa capaian sama sekali tidak diberi peringkat.")


@dataclass(frozen=True)
class IkuCell:
    item: IkuSummary
    period: int | None

    @property
    def realisation(self) -> Decimal | None:
        m = self.item.measured
        return m.year if self.period is None else m.upto[self.period]

    @property
    def target(self) -> Decimal | None:
        return self.item.target if self.period is None else self.item.target_upto[self.period]

    @property
    def capaian(self) -> Decimal | None:
        return self.item.capaian if self.period is None else self.item.capaian_upto[self.period]

    @property
    def band(self) -> Band | None:
        return self.item.band if self.period is None else self.item.band_upto.get(self.period)


@dataclass(frozen=True)
class DocumentCell:
    document_id: int
    name: str
    state: EntryState
    due_date: date | None
    files: int
    late: bool  # past its due date and not approved

    @property
    def missing(self) -> bool:
        """Nothing uploaded yet."""
        return self.files == 0


@dataclass(frozen=True)
class OfficeRef:
    """What the console shows of an office (plain values: a row outlives the request that read it)."""

    id: int
    code: str
    name: str
    full_name: str


@dataclass
class OfficeRow:
    office: OfficeRef
    iku: dict[int, IkuCell] = field(default_factory=dict)  # IKU number -> cell
    documents: dict[str, DocumentCell] = field(default_factory=dict)  # document type code -> cell
    completion: Decimal | None = None  # approved ÷ required × 100, 2 decimals (the dashboard's)
    rank: int | None = None

    @property
    def score(self) -> Decimal | None:
        """The ranking's number: the mean capaian, each capped at 100, of the IKU that have one."""
        values = [min(c.capaian, Decimal(100)) for c in self.iku.values() if c.capaian is not None]
        if not values:
            return None
        return sum(values, Decimal(0)) / len(values)

    @property
    def late_count(self) -> int:
        return sum(1 for d in self.documents.values() if d.late)


@dataclass
class Console:
    year: int
    period: int | None
    rows: list[OfficeRow]
    iku_columns: list[tuple[int, str]]  # (number, name) over every office
    document_columns: list[tuple[str, str]]  # (type code, name) over every office
    #: names this console's content: the matrix it was cut from (fingerprint, day, when computed) and the filters
    key: tuple = ()


def office_rows(office_ids: list[int], year: int, period: int | None, today: date | None = None) -> dict[int, OfficeRow]:
    """The rows of ``office_ids`` (loaded by the caller) — indicators, measures and documents in bulk."""
    today = today or date.today()
    indicators = list(db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id.in_(office_ids), Indicator.year == year)
        .options(selectinload(Indicator.sections), selectinload(Indicator.targets))
        .order_by(Indicator.office_id, Indicator.number)))
    wanted: dict[tuple[str, object], list[int]] = defaultdict(list)
    for ind in indicators:
        key = (ind.measure, effective_rule(ind))
        if ind.office_id not in wanted[key]:
            wanted[key].append(ind.office_id)
    measured = {key: measures.measure_many(key[0], ids, year, key[1]) for key, ids in wanted.items()}
    rows: dict[int, OfficeRow] = {}
    for ind in indicators:
        row = rows.setdefault(ind.office_id, OfficeRow(office=None))  # type: ignore[arg-type]
        item = summarise(ind, measured[(ind.measure, effective_rule(ind))][ind.office_id])
        row.iku[ind.number] = IkuCell(item, period)
    files = (sa.select(sa.func.count(DocumentFile.id)).where(DocumentFile.document_id == RequiredDocument.id)
             .correlate(RequiredDocument).scalar_subquery())
    docs = db.session.execute(
        sa.select(RequiredDocument.office_id, RequiredDocument.id, DocumentType.code, DocumentType.name,
                  DocumentType.group, WorkflowEntry.section_id, WorkflowEntry.state, WorkflowEntry.due_date, files)
        .join(RequiredDocument.type).join(RequiredDocument.entry)
        .where(RequiredDocument.office_id.in_(office_ids), RequiredDocument.year == year)
        .order_by(RequiredDocument.office_id, DocumentType.position, DocumentType.id)).all()
    counts: dict[int, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for office_id, doc_id, code, name, group, section_id, state, due, nfiles in docs:
        row = rows.setdefault(office_id, OfficeRow(office=None))  # type: ignore[arg-type]
        approved = state is EntryState.APPROVED
        row.documents[code] = DocumentCell(doc_id, name, state, due, int(nfiles or 0),
                                           late=bool(due and due < today and not approved))
        c = counts[office_id][(group, section_id)]
        c[0] += int(approved)
        c[1] += 1
    for office_id, by_key in counts.items():
        rows[office_id].completion = completion(
            (g, s, a, r) for (g, s), (a, r) in by_key.items()).overall.percent
    return rows


CACHE_SECONDS = 60  # labels (an office's or a document type's name) are at most this old
CACHE_SIZE = 64


def fingerprint(kabupaten_id: int, year: int) -> tuple:
    """One query: what changes whenever a number or a cell of the kabupaten's year can change (its offices,
    and their year's data: ``indicators.summary.data_fingerprint``)."""
    offices = sa.select(Office.id).where(Office.kabupaten_id == kabupaten_id).scalar_subquery()
    return data_fingerprint(offices, year, extra=[
        sa.select(sa.func.count(Office.id)).where(Office.kabupaten_id == kabupaten_id).scalar_subquery(),
        sa.select(sa.func.max(Office.id)).where(Office.kabupaten_id == kabupaten_id).scalar_subquery()])


def _cache() -> OrderedDict:
    from flask import current_app

    return current_app.extensions.setdefault("iku_console_cache", OrderedDict())


def ranked_rows(kabupaten_id: int, year: int, period: int | None,
                today: date | None = None) -> tuple[tuple, list[OfficeRow]]:
    """Every office of the kabupaten with its cells, ranked (reused while :func:`fingerprint` holds), and the
    key that names this computation."""
    today = today or date.today()
    key = (kabupaten_id, year, period, today, fingerprint(kabupaten_id, year))
    cache = _cache()
    hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        cache.move_to_end(key)
        return key + (hit[0],), hit[1]
    offices = [OfficeRef(o.id, o.code, o.name, o.full_name) for o in db.session.scalars(
        sa.select(Office).where(Office.kabupaten_id == kabupaten_id).order_by(Office.name))]
    found = office_rows([o.id for o in offices], year, period, today) if offices else {}
    rows = []
    for office in offices:
        row = found.get(office.id) or OfficeRow(office=office)
        row.office = office
        rows.append(row)
    ranked = sorted((r for r in rows if r.score is not None),
                    key=lambda r: (-r.score, -(r.completion if r.completion is not None else Decimal(-1)),
                                   r.office.name))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    computed = time.monotonic()
    cache[key] = (computed, rows)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return key + (computed,), rows


def console(kabupaten_id: int, year: int, period: int | None = None, *, q: str = "", band: str = "",
            today: date | None = None) -> Console:
    """The console of a kabupaten's year: rows ranked by :data:`RANKING_RULE`, then filtered.

    ``q`` keeps offices whose name contains it; ``band`` keeps offices with at least one IKU in that band.
    The ranking is computed over every office before filtering, so a filter never changes a rank.
    """
    key, rows = ranked_rows(kabupaten_id, year, period, today)
    iku_columns: dict[int, str] = {}
    document_columns: dict[str, str] = {}
    for row in rows:
        for number, cell in row.iku.items():
            iku_columns.setdefault(number, cell.item.name)
        for code, cell in row.documents.items():
            document_columns.setdefault(code, cell.name)
    if q:
        rows = [r for r in rows if q.lower() in r.office.name.lower()]
    if band:
        rows = [r for r in rows if any(c.band is not None and c.band.code == band for c in r.iku.values())]
    return Console(year, period, rows, sorted(iku_columns.items()), list(document_columns.items()),
                   key=key + (q, band))
