"""The kabupaten's standard sets and an office's copy of them.

``apply_standard`` gives an office the year's tujuan, IKU (with their default targets) and required
documents from its kabupaten's set; each copied indicator and required document keeps the standard row
it came from and the hash of the content it copied (:func:`indicator_content`, :func:`document_content`).
Later, :func:`pending_updates` compares three things per row: what was copied (the stored hash), what
the standard says now, and what the office holds now. A standard that changed while the office kept its
copy untouched is offered as an update; one that changed where the office made its own edit is offered
as a conflict, taken only when the office ticks it (:func:`take_updates`); a standard row the office
never had is offered as an addition. Nothing is ever written over an office's own edit unasked.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import audit, measures
from ..extensions import db
from ..models import (DocumentType, IndikatorTujuan, Indicator, Kabupaten, Office, RequiredDocument, Section,
                      StandardDocument, StandardGoal, StandardIndicator, StandardSection, Target, Tujuan, User)


class StandardError(ValueError):
    """A standard set cannot be applied; the message says why (Indonesian)."""


# -- content and its hash -------------------------------------------------------------------------------

def _value(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def standard_indicator_content(std: StandardIndicator, office_codes: Iterable[str]) -> dict:
    """What an office's copy of ``std`` holds (sections: the kinds the office has)."""
    codes = set(office_codes)
    return {
        "kinerja_utama": std.kinerja_utama, "name": std.name, "formulation": list(std.formulation or []),
        "bidang_text": std.bidang_text or "", "sumber_data": std.sumber_data or "", "unit": _value(std.unit),
        "polarity": _value(std.polarity), "lower_formula": _value(std.lower_formula),
        "year_rule": _value(measures.policy(std.measure).effective(std.year_rule)), "measure": std.measure,
        "sections": sorted(c for c in (std.section_codes or []) if c in codes),
    }


def indicator_content(ind: Indicator) -> dict:
    return {
        "kinerja_utama": ind.kinerja_utama, "name": ind.name, "formulation": list(ind.formulation or []),
        "bidang_text": ind.bidang_text or "", "sumber_data": ind.sumber_data or "", "unit": _value(ind.unit),
        "polarity": _value(ind.polarity), "lower_formula": _value(ind.lower_formula),
        "year_rule": _value(ind.year_rule), "measure": ind.measure,
        "sections": sorted(s.code for s in ind.sections),
    }


def standard_document_content(std: StandardDocument, office_codes: Iterable[str]) -> dict:
    return {"code": std.code, "name": std.name, "group": _value(std.group),
            "section": std.section_code if std.section_code in set(office_codes) else None,
            "due": [std.due_month, std.due_day]}


def document_content(doc: RequiredDocument) -> dict:
    due = doc.entry.due_date
    return {"code": doc.type.code, "name": doc.type.name, "group": _value(doc.type.group),
            "section": doc.entry.section.code if doc.entry.section else None,
            "due": [due.month, due.day] if due else None}


def due_date(std: StandardDocument, year: int) -> date:
    """The standard's due date in ``year`` (29 February falls back to 28 in a common year)."""
    day = std.due_day
    while True:
        try:
            return date(year, std.due_month, day)
        except ValueError:
            day -= 1


# -- reading the sets -----------------------------------------------------------------------------------

def section_template(kabupaten: Kabupaten) -> list[StandardSection]:
    return list(db.session.scalars(sa.select(StandardSection).where(StandardSection.kabupaten_id == kabupaten.id)
                                   .order_by(StandardSection.position, StandardSection.id)))


def goals(kabupaten_id: int, year: int, kind: str) -> list[StandardGoal]:
    return list(db.session.scalars(sa.select(StandardGoal).where(
        StandardGoal.kabupaten_id == kabupaten_id, StandardGoal.year == year, StandardGoal.kind == kind)
        .order_by(StandardGoal.position)))


def standard_indicators(kabupaten_id: int, year: int) -> list[StandardIndicator]:
    return list(db.session.scalars(sa.select(StandardIndicator).where(
        StandardIndicator.kabupaten_id == kabupaten_id, StandardIndicator.year == year)
        .order_by(StandardIndicator.number)))


def standard_documents(kabupaten_id: int, year: int) -> list[StandardDocument]:
    return list(db.session.scalars(sa.select(StandardDocument).where(
        StandardDocument.kabupaten_id == kabupaten_id, StandardDocument.year == year)
        .order_by(StandardDocument.position, StandardDocument.id)))


def standard_years(kabupaten_id: int) -> list[int]:
    years = set(db.session.scalars(sa.select(StandardIndicator.year).where(StandardIndicator.kabupaten_id == kabupaten_id)))
    years |= set(db.session.scalars(sa.select(StandardDocument.year).where(StandardDocument.kabupaten_id == kabupaten_id)))
    return sorted(years)


def copy_standard_year(kabupaten: Kabupaten, source: int, dest: int) -> int:
    """Start the standard set of ``dest`` from ``source`` (the kabupaten admin then edits it)."""
    if standard_indicators(kabupaten.id, dest) or standard_documents(kabupaten.id, dest):
        raise StandardError(str(_l("Standar tahun %(year)s sudah ada.", year=dest)))
    count = 0
    for goal in db.session.scalars(sa.select(StandardGoal).where(StandardGoal.kabupaten_id == kabupaten.id,
                                                                 StandardGoal.year == source)):
        db.session.add(StandardGoal(kabupaten_id=kabupaten.id, year=dest, kind=goal.kind, position=goal.position,
                                    text=goal.text.replace(str(source), str(dest))))
    for std in standard_indicators(kabupaten.id, source):
        db.session.add(StandardIndicator(
            kabupaten_id=kabupaten.id, year=dest, number=std.number, kinerja_utama=std.kinerja_utama, name=std.name,
            formulation=json.loads(json.dumps(std.formulation or []).replace(str(source), str(dest))),
            bidang_text=std.bidang_text, sumber_data=std.sumber_data, unit=std.unit, polarity=std.polarity,
            lower_formula=std.lower_formula, year_rule=std.year_rule, measure=std.measure,
            section_codes=list(std.section_codes or []), default_target=std.default_target))
        count += 1
    for std in standard_documents(kabupaten.id, source):
        db.session.add(StandardDocument(kabupaten_id=kabupaten.id, year=dest, code=std.code, name=std.name,
                                        group=std.group, section_code=std.section_code, due_month=std.due_month,
                                        due_day=std.due_day, position=std.position))
        count += 1
    db.session.flush()
    return count


# -- an office's copy ------------------------------------------------------------------------------------

def apply_sections(office: Office) -> int:
    """Give the office the template's sections it lacks (by code); return how many were added."""
    existing = {s.code for s in office.sections}
    added = 0
    for std in section_template(office.kabupaten_record):
        if std.code not in existing:
            office.sections.append(Section(code=std.code, name=std.name, short_name=std.short_name,
                                           position=std.position))
            added += 1
    db.session.flush()
    return added


def _new_indicator(office: Office, std: StandardIndicator, number: int, sections: dict[str, Section]) -> Indicator:
    ind = Indicator(
        office_id=office.id, year=std.year, number=number, kinerja_utama=std.kinerja_utama, name=std.name,
        formulation=list(std.formulation or []), bidang_text=std.bidang_text or "", sumber_data=std.sumber_data or "",
        unit=std.unit, polarity=std.polarity, lower_formula=std.lower_formula,
        year_rule=measures.policy(std.measure).effective(std.year_rule), measure=std.measure,
        sections=[sections[c] for c in (std.section_codes or []) if c in sections],
        standard_id=std.id, standard_hash=content_hash(standard_indicator_content(std, sections)))
    db.session.add(ind)
    db.session.flush()
    if std.default_target is not None:
        db.session.add(Target(office_id=office.id, indicator_id=ind.id, triwulan=None, value=Decimal(std.default_target)))
    return ind


def apply_indicators(office: Office, year: int) -> int:
    """Copy the year's tujuan and IKU of the office's kabupaten unless the year has indicators already.

    Returns the number of indicators copied (0 when the office's year was not empty, or the kabupaten has
    no IKU set for that year).
    """
    if db.session.scalar(sa.select(Indicator.id).where(Indicator.office_id == office.id, Indicator.year == year).limit(1)):
        return 0
    rows = standard_indicators(office.kabupaten_id, year)
    if not rows:
        return 0
    for kind, model in (("tujuan", Tujuan), ("indikator", IndikatorTujuan)):
        if db.session.scalar(sa.select(model.id).where(model.office_id == office.id, model.year == year).limit(1)):
            continue
        for goal in goals(office.kabupaten_id, year, kind):
            db.session.add(model(office_id=office.id, year=year, position=goal.position,
                                 text=goal.text.replace("{kecamatan}", office.name)))
    sections = {s.code: s for s in office.sections}
    for std in rows:
        _new_indicator(office, std, std.number, sections)
    db.session.flush()
    return len(rows)


def _document_type(office: Office, std: StandardDocument) -> DocumentType:
    doc_type = db.session.scalar(sa.select(DocumentType).where(DocumentType.office_id == office.id,
                                                               DocumentType.code == std.code))
    if doc_type is None:
        doc_type = DocumentType(office_id=office.id, code=std.code, name=std.name, group=std.group,
                                position=std.position)
        db.session.add(doc_type)
        db.session.flush()
    return doc_type


def _new_requirement(office: Office, std: StandardDocument, sections: dict[str, Section], user: User | None):
    from ..documents import operations as documents

    section = sections.get(std.section_code)
    if section is None:
        return None
    doc = documents.add_requirement(office_id=office.id, year=std.year, doc_type=_document_type(office, std),
                                    section=section, due_date=due_date(std, std.year), user=user)
    doc.standard_id = std.id
    doc.standard_hash = content_hash(standard_document_content(std, sections))
    return doc


def apply_documents(office: Office, year: int, user: User | None = None) -> int:
    """Require the year's catalogue documents the office does not require yet; return how many were added.

    A catalogue row whose owning section kind the office does not have is left out.
    """
    present = set(db.session.scalars(sa.select(DocumentType.code).join(RequiredDocument, RequiredDocument.type_id == DocumentType.id)
                                     .where(RequiredDocument.office_id == office.id, RequiredDocument.year == year)))
    sections = {s.code: s for s in office.sections}
    added = 0
    for std in standard_documents(office.kabupaten_id, year):
        if std.code not in present and _new_requirement(office, std, sections, user) is not None:
            added += 1
    db.session.flush()
    return added


def apply_standard(office: Office, year: int, user: User | None = None) -> tuple[int, int]:
    """Sections, IKU and required documents of ``year`` from the kabupaten's standard sets."""
    apply_sections(office)
    counts = apply_indicators(office, year), apply_documents(office, year, user)
    audit.record("office.standard_applied", office_id=office.id, user=user, year=year,
                 indicators=counts[0], documents=counts[1])
    return counts


# -- offering later changes ------------------------------------------------------------------------------

ADD, UPDATE, CONFLICT = "add", "update", "conflict"


@dataclass(frozen=True)
class Change:
    """One change of the standard the office has not taken.

    ``action``: ADD (the office never had this row), UPDATE (the standard changed; the office's copy is
    untouched) or CONFLICT (both changed: taken only when ticked). ``key`` names it in the form.
    """

    kind: str  # "indicator" or "document"
    action: str
    key: str
    title: str
    standard: Any
    current: Any | None
    differs: tuple[str, ...] = ()


def _differs(a: dict, b: dict) -> tuple[str, ...]:
    return tuple(k for k in a if a.get(k) != b.get(k))


def pending_updates(office: Office, year: int) -> list[Change]:
    """What the office could take from the standard of ``year`` (a few queries, no writes)."""
    codes = {s.code for s in office.sections}
    changes: list[Change] = []
    mine = {i.standard_id: i for i in db.session.scalars(sa.select(Indicator).where(
        Indicator.office_id == office.id, Indicator.year == year))}
    for std in standard_indicators(office.kabupaten_id, year):
        wanted = standard_indicator_content(std, codes)
        current = mine.get(std.id)
        title = f"IKU {std.number}. {std.name}"
        if current is None:
            changes.append(Change("indicator", ADD, f"i{std.id}", title, std, None))
            continue
        if content_hash(wanted) == current.standard_hash:
            continue  # the standard did not change since the office copied it
        now = indicator_content(current)
        if now == wanted:
            continue  # the office already holds what the standard says
        action = UPDATE if content_hash(now) == current.standard_hash else CONFLICT
        changes.append(Change("indicator", action, f"i{std.id}", title, std, current, _differs(wanted, now)))
    docs = {d.standard_id: d for d in db.session.scalars(sa.select(RequiredDocument).where(
        RequiredDocument.office_id == office.id, RequiredDocument.year == year))}
    held_codes = {d.type.code for d in docs.values()}
    for std in standard_documents(office.kabupaten_id, year):
        current = docs.get(std.id)
        if current is None:
            if std.code not in held_codes and std.section_code in codes:
                changes.append(Change("document", ADD, f"d{std.id}", std.name, std, None))
            continue
        wanted = standard_document_content(std, codes)
        if content_hash(wanted) == current.standard_hash:
            continue
        now = document_content(current)
        if now == wanted:
            continue
        action = UPDATE if content_hash(now) == current.standard_hash else CONFLICT
        changes.append(Change("document", action, f"d{std.id}", std.name, std, current, _differs(wanted, now)))
    return changes


def take_updates(office: Office, year: int, keys: Iterable[str], user: User | None) -> int:
    """Take the changes named by ``keys`` (from :func:`pending_updates`); return how many were taken."""
    from ..indicators.locks import ensure_unlocked

    wanted = set(keys)
    chosen = [c for c in pending_updates(office, year) if c.key in wanted]
    if any(c.kind == "indicator" for c in chosen):
        ensure_unlocked(office.id, year)
    sections = {s.code: s for s in office.sections}
    for change in chosen:
        std = change.standard
        if change.kind == "indicator":
            if change.current is None:
                taken = {n for n in db.session.scalars(sa.select(Indicator.number).where(
                    Indicator.office_id == office.id, Indicator.year == year))}
                number = std.number if std.number not in taken else max(taken) + 1
                _new_indicator(office, std, number, sections)
            else:
                ind = change.current
                content = standard_indicator_content(std, sections)
                for field in ("kinerja_utama", "name", "bidang_text", "sumber_data", "measure"):
                    setattr(ind, field, content[field])
                ind.formulation = content["formulation"]
                ind.unit, ind.polarity = std.unit, std.polarity
                ind.lower_formula = std.lower_formula
                ind.year_rule = measures.policy(std.measure).effective(std.year_rule)
                ind.sections = [sections[c] for c in content["sections"]]
                ind.standard_hash = content_hash(content)
        else:
            if change.current is None:
                _new_requirement(office, std, sections, user)
            else:
                doc = change.current
                content = standard_document_content(std, sections)
                doc.type.name, doc.type.group = std.name, std.group
                if content["section"] is not None:
                    doc.entry.section_id = sections[content["section"]].id
                doc.entry.due_date = due_date(std, year)
                doc.standard_hash = content_hash(content)
        audit.record("office.standard_taken", office_id=office.id, user=user, year=year, kind=change.kind,
                     change=change.action, key=change.key, differs=list(change.differs))
    db.session.flush()
    return len(chosen)
