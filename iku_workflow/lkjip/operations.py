"""Every change of the LKjIP's data happens here: earlier years' figures, the Renstra, programs, factors,
and attaching the Bab III draft to the year's "Dokumen LAKIP". Operations flush; the caller commits."""
from __future__ import annotations

import io
from decimal import Decimal

import sqlalchemy as sa

from .. import audit
from ..documents import operations as doc_ops
from ..extensions import db
from ..indicators.summary import load_indicators
from ..letterhead.kop import template_bytes
from ..models import (DocumentType, EntryState, Indicator, LkjipFactor, LkjipPastValue, Office, ProgramBudget,
                      RenstraPeriod, RenstraTarget, RequiredDocument, User)
from ..reports.letterhead import TemplateError
from ..reports.lkjip import build_lkjip_docx, lkjip_filename
from ..storage import uploads
from ..workflow import operations as workflow
from . import data

#: the workflow kind of an indicator-year's factors
KIND = "lkjip_factor"
#: type code of the required document the approved LKjIP is attached to (documents capability)
LAKIP = "lakip"


class LkjipError(ValueError):
    """A refused LKjIP step; the message is for the user (Indonesian)."""


def report_bytes(office: Office, year: int) -> bytes:
    """The Bab III draft on the office's kop (its uploaded template, else the default)."""
    try:
        return build_lkjip_docx(data.context(office, year), template_bytes(office))
    except data.NoIkuForYear as exc:
        raise LkjipError(str(exc)) from exc
    except TemplateError as exc:
        raise LkjipError(f"Templat kop kantor tidak dapat dipakai: {exc}") from exc


# ---------------------------------------------------------------- earlier years' figures


def past_values(office_id: int, year: int) -> dict[tuple[int, int], LkjipPastValue]:
    rows = db.session.scalars(sa.select(LkjipPastValue).where(
        LkjipPastValue.office_id == office_id, LkjipPastValue.year.in_((year - 2, year - 1))))
    return {(r.indicator_number, r.year): r for r in rows}


def save_past_values(office: Office, year: int, user: User,
                     values: dict[tuple[int, int], tuple[Decimal | None, Decimal | None, str]]) -> int:
    """Store the figures of year − 2 and year − 1 typed for the year's indicators: (number, year) ->
    (realisation, capaian, source). A line without a realisation removes what was stored. Returns how many
    lines changed."""
    stored = past_values(office.id, year)
    changed = 0
    for (number, y), (realisation, capaian, source) in values.items():
        if y not in (year - 2, year - 1):
            raise LkjipError(f"Tahun {y} bukan salah satu dari dua tahun sebelum {year}.")
        row = stored.get((number, y))
        if realisation is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if not (source or "").strip():
            raise LkjipError(f"IKU {number} tahun {y}: sebutkan sumber angkanya (mis. LKjIP {y}, halaman …).")
        if row is None:
            row = LkjipPastValue(office_id=office.id, indicator_number=number, year=y, realisation=realisation,
                                 capaian=capaian, source=source.strip())
            db.session.add(row)
            changed += 1
        elif (Decimal(row.realisation), None if row.capaian is None else Decimal(row.capaian), row.source) \
                != (realisation, capaian, source.strip()):
            row.realisation, row.capaian, row.source = realisation, capaian, source.strip()
            changed += 1
    if changed:
        db.session.flush()
        audit.record("lkjip.past_values", office_id=office.id, user=user, year=year, lines=changed)
    return changed


# ---------------------------------------------------------------- Renstra


def renstra_of_year(office_id: int, year: int) -> RenstraPeriod | None:
    return db.session.scalar(sa.select(RenstraPeriod).where(
        RenstraPeriod.office_id == office_id, RenstraPeriod.start_year <= year, RenstraPeriod.end_year >= year)
        .order_by(RenstraPeriod.start_year.desc()).limit(1))


def save_renstra(office: Office, year: int, user: User, start_year: int,
                 targets: dict[int, Decimal | None]) -> RenstraPeriod:
    """Set the Renstra period holding ``year`` (start year; it ends four years later) and its end targets."""
    if not start_year <= year <= start_year + 4:
        raise LkjipError(f"Periode Renstra {start_year}–{start_year + 4} tidak memuat tahun {year}.")
    period = renstra_of_year(office.id, year)
    if period is not None and period.start_year != start_year:
        clash = db.session.scalar(sa.select(RenstraPeriod).where(
            RenstraPeriod.office_id == office.id, RenstraPeriod.start_year == start_year))
        if clash is not None:
            raise LkjipError(f"Periode Renstra {clash.label} sudah ada.")
        period.start_year, period.end_year = start_year, start_year + 4
    if period is None:
        period = db.session.scalar(sa.select(RenstraPeriod).where(
            RenstraPeriod.office_id == office.id, RenstraPeriod.start_year == start_year))
    if period is None:
        period = RenstraPeriod(office_id=office.id, start_year=start_year, end_year=start_year + 4)
        db.session.add(period)
    db.session.flush()
    overlap = db.session.scalar(sa.select(RenstraPeriod).where(
        RenstraPeriod.office_id == office.id, RenstraPeriod.id != period.id,
        RenstraPeriod.start_year <= start_year + 4, RenstraPeriod.end_year >= start_year))
    if overlap is not None:
        raise LkjipError(f"Periode {start_year}–{start_year + 4} bertumpang tindih dengan Renstra {overlap.label}.")
    by_number = {t.indicator_number: t for t in period.targets}
    for number, value in targets.items():
        row = by_number.get(number)
        if value is None:
            if row is not None:
                period.targets.remove(row)
        elif row is None:
            period.targets.append(RenstraTarget(office_id=office.id, indicator_number=number, target=value))
        else:
            row.target = value
    db.session.flush()
    audit.record("lkjip.renstra", office_id=office.id, user=user, obj=period, start_year=start_year)
    return period


# ---------------------------------------------------------------- programs (pagu and realisasi)


def _check_program(office: Office, year: int, name: str, program: ProgramBudget | None = None) -> None:
    same = db.session.scalar(sa.select(ProgramBudget).where(
        ProgramBudget.office_id == office.id, ProgramBudget.year == year, ProgramBudget.name == name.strip()))
    if same is not None and same is not program:
        raise LkjipError(f"Program \"{name.strip()}\" tahun {year} sudah ada.")


def add_program(office: Office, year: int, user: User, *, code: str, name: str, budget: Decimal,
                realisation: Decimal | None, note: str) -> ProgramBudget:
    _check_program(office, year, name)
    if realisation is not None and realisation > budget:
        raise LkjipError("Realisasi anggaran melebihi pagu; periksa kembali angkanya.")
    position = (db.session.scalar(sa.select(sa.func.max(ProgramBudget.position)).where(
        ProgramBudget.office_id == office.id, ProgramBudget.year == year)) or 0) + 1
    row = ProgramBudget(office_id=office.id, year=year, position=position, code=(code or "").strip(),
                        name=name.strip(), budget=budget, realisation=realisation, note=(note or "").strip(),
                        source="manual")
    db.session.add(row)
    db.session.flush()
    audit.record("program.create", office_id=office.id, user=user, obj=row, name=row.name)
    return row


def update_program(program: ProgramBudget, user: User, *, code: str, name: str, budget: Decimal,
                   realisation: Decimal | None, note: str) -> None:
    office = db.session.get(Office, program.office_id)
    _check_program(office, program.year, name, program)
    if realisation is not None and realisation > budget:
        raise LkjipError("Realisasi anggaran melebihi pagu; periksa kembali angkanya.")
    program.code, program.name, program.budget = (code or "").strip(), name.strip(), budget
    program.realisation, program.note = realisation, (note or "").strip()
    db.session.flush()
    audit.record("program.update", office_id=program.office_id, user=user, obj=program, name=program.name)


def delete_program(program: ProgramBudget, user: User) -> None:
    audit.record("program.delete", office_id=program.office_id, user=user, obj=program, name=program.name)
    db.session.delete(program)
    db.session.flush()


# ---------------------------------------------------------------- factors (reviewed through the workflow)


def indicator_of(office: Office, year: int, number: int) -> Indicator | None:
    return next((i for i in load_indicators(office.id, year) if i.number == number), None)


def factor_of(office_id: int, year: int, number: int) -> LkjipFactor | None:
    return db.session.scalar(sa.select(LkjipFactor).where(
        LkjipFactor.office_id == office_id, LkjipFactor.year == year, LkjipFactor.indicator_number == number))


def may_write_factor(user: User, indicator: Indicator) -> bool:
    """An operator of one of the indicator's sections writes its factors (RULES: "lkjip.factors")."""
    from ..access import can

    return can(user, "lkjip.factors", indicator) and user.section_id in {s.id for s in indicator.sections}


def save_factor(office: Office, indicator: Indicator, user: User, *, pendukung: str, penghambat: str,
                upaya: str, expected_version: int | None = None) -> LkjipFactor:
    """Write the indicator-year's factors: the first save makes the workflow entry (the indicator's first
    section is responsible), later ones record an edit (a draft or returned entry only)."""
    if not may_write_factor(user, indicator):
        raise workflow.ForbiddenTransition("Faktor ditulis oleh operator seksi penanggung jawab indikator ini.")
    factor = factor_of(office.id, indicator.year, indicator.number)
    texts = dict(pendukung=pendukung.strip(), penghambat=penghambat.strip(), upaya=upaya.strip())
    if factor is None:
        section = next((s for s in indicator.sections if s.id == user.section_id), None)
        entry = workflow.create_entry(office_id=office.id, kind=KIND, year=indicator.year, user=user,
                                      section_id=section.id if section else None,
                                      title=f"Faktor LKjIP {indicator.year} IKU {indicator.number}")
        factor = LkjipFactor(office_id=office.id, year=indicator.year, indicator_number=indicator.number,
                             entry_id=entry.id, **texts)
        db.session.add(factor)
    else:
        workflow.ensure_version(factor.entry, expected_version)
        workflow.record_edit(factor.entry, user)
        for key, value in texts.items():
            setattr(factor, key, value)
    db.session.flush()
    audit.record("lkjip.factor_saved", office_id=office.id, user=user, obj=factor, year=indicator.year,
                 indicator=indicator.number)
    return factor


def factor_complete(entry, action, user) -> str | None:
    """Guard of the kind: factors are submitted with all three texts written."""
    from ..models import WorkflowAction

    if action is not WorkflowAction.SUBMIT:
        return None
    factor = db.session.scalar(sa.select(LkjipFactor).where(LkjipFactor.entry_id == entry.id))
    if factor is None or not (factor.pendukung and factor.penghambat and factor.upaya):
        return "Isi faktor pendukung, faktor penghambat dan upaya sebelum mengajukan."
    return None


# ---------------------------------------------------------------- attaching to the year's Dokumen LAKIP


def requirement(office: Office, year: int) -> RequiredDocument | None:
    return db.session.scalar(
        sa.select(RequiredDocument).join(DocumentType, DocumentType.id == RequiredDocument.type_id).where(
            RequiredDocument.office_id == office.id, RequiredDocument.year == year, DocumentType.code == LAKIP))


def attach_refusal(office: Office, year: int, user: User, doc: RequiredDocument | None) -> str | None:
    """Why ``user`` cannot attach the LKjIP now, or None. The LKjIP is attached once every indicator's
    factors are approved (its numbers are the dashboard's; its texts are reviewed)."""
    if not load_indicators(office.id, year):
        return f"Tahun {year} belum memiliki IKU."
    missing = data.missing_approvals(office, year)
    if missing:
        return ("LKjIP dilampirkan setelah faktor setiap indikator disetujui; belum disetujui: IKU "
                + ", ".join(str(n) for n in missing) + ".")
    if doc is None:
        return f"Dokumen wajib \"Dokumen LAKIP\" tahun {year} belum ditetapkan di daftar dokumen wajib."
    try:
        workflow.ensure_editable(doc.entry, user)
    except workflow.WorkflowError as exc:
        section = doc.entry.section.name if doc.entry.section else "seksi penanggung jawab"
        return (f"Dokumen LAKIP {year} berstatus {doc.entry.state.label}: LKjIP hanya dapat dilampirkan oleh "
                f"operator {section} saat dokumen berstatus draf atau dikembalikan. {exc}")
    return None


def attach_report(office: Office, year: int, user: User) -> list:
    """Add the Bab III draft as a new file version of the year's "Dokumen LAKIP" (the documents
    capability's own upload: checks, version, history, audit). The caller commits."""
    doc = requirement(office, year)
    refusal = attach_refusal(office, year, user, doc)
    if refusal:
        raise LkjipError(refusal)
    try:
        return doc_ops.upload_files(doc, user, [(io.BytesIO(report_bytes(office, year)),
                                                 lkjip_filename(office.code, year))],
                                    description=f"LKjIP {year} Bab III, dibuat dari aplikasi")
    except (uploads.UploadError, doc_ops.DocumentError) as exc:
        raise LkjipError(str(exc)) from exc


def approved_count(office_id: int, year: int) -> int:
    from ..models import WorkflowEntry

    return db.session.scalar(sa.select(sa.func.count(LkjipFactor.id)).join(
        WorkflowEntry, WorkflowEntry.id == LkjipFactor.entry_id).where(
        LkjipFactor.office_id == office_id, LkjipFactor.year == year,
        WorkflowEntry.state == EntryState.APPROVED)) or 0


def factor_by_entry(entry_id: int) -> LkjipFactor | None:
    return db.session.scalar(sa.select(LkjipFactor).where(LkjipFactor.entry_id == entry_id))
