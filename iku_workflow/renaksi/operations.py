"""The Rencana Aksi and its quarterly monitoring (RULES.md §8): one function per change, each with an audit event;
operations flush, the caller commits.

The indicators of the renaksi are the PK's: the rows of the office's current Camat PK that name an IKU, in its
order; without a PK, the year's IKU. The year's target is the IKU's (which the final PK sets). The triwulan targets
are checked by the indicator's year rule as the targets grid checks them. The realisation of each triwulan is the
dashboard's own ``measured.upto`` ("s.d. TW"), never typed twice; the capaian compares it with the renaksi's target
s.d. that triwulan (the dashboard's when the renaksi gives no triwulan targets)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..domain.capaian import Band, Polarity, YearRule, capaian_rounded, criteria, target_up_to
from ..extensions import db
from ..formatting import roman
from ..indicators import summary
from ..indicators.operations import target_refusal
from ..models import Indicator, Office, RenaksiAction, RenaksiNote, RenaksiPlan, Section, User
from ..workflow import operations as wf

KIND = "renaksi_note"
TW = (1, 2, 3, 4)


class RenaksiError(ValueError):
    """A refused change; ``str(exc)`` is the Indonesian message for the user."""


def indicators_of(office: Office, year: int) -> list[Indicator]:
    """The renaksi's indicators: the current Camat PK's IKU rows in its order, else the year's IKU."""
    from ..pk.operations import find_pk

    iku = {i.id: i for i in summary.load_indicators(office.id, year)}
    pk = find_pk(office, year)
    if pk is not None:
        chosen = [iku[t.indicator_id] for t in pk.targets if t.indicator_id in iku]
        if chosen:
            return list(dict.fromkeys(chosen))
    return sorted(iku.values(), key=lambda i: i.number)


def plan_of(indicator: Indicator) -> RenaksiPlan | None:
    return db.session.scalar(sa.select(RenaksiPlan).where(RenaksiPlan.indicator_id == indicator.id))


def _plan(indicator: Indicator) -> RenaksiPlan:
    plan = plan_of(indicator)
    if plan is None:
        plan = RenaksiPlan(office_id=indicator.office_id, year=indicator.year, indicator_id=indicator.id)
        db.session.add(plan)
        db.session.flush()
    return plan


def _order_refusal(item_rule: YearRule, polarity: Polarity, tw: dict[int, Decimal | None]) -> str | None:
    """Under the last-value rule the triwulan targets are "s.d." figures: they do not fall back (nor rise, for a
    lower-is-better indicator) from one triwulan to the next."""
    if item_rule is not YearRule.LAST:
        return None
    values = [(t, tw[t]) for t in TW if tw[t] is not None]
    for (a, va), (b, vb) in zip(values, values[1:]):
        if (polarity is Polarity.HIGHER and vb < va) or (polarity is Polarity.LOWER and vb > va):
            return _("Aturan nilai terakhir: target TW %(b)s (%(vb)s) tidak boleh %(way)s dari target TW %(a)s (%(va)s); "
                     "target triwulan adalah capaian s.d. triwulan itu.", a=roman(a), b=roman(b),
                     va=_plain(va), vb=_plain(vb),
                     way=_("lebih kecil") if polarity is Polarity.HIGHER else _("lebih besar"))
    return None


def _plain(value: Decimal) -> str:
    from ..template_filters import page_number

    return page_number(value)


def set_targets(indicator: Indicator, user: User | None, tw: dict[int, Decimal | None]) -> bool:
    """Store the renaksi's triwulan targets of ``indicator`` after the year rule's checks; True when changed."""
    if any(v is not None and v < 0 for v in tw.values()):
        raise RenaksiError(_("Target tidak boleh negatif."))
    year_target, _iku_tw = summary.targets_of(indicator)
    if year_target is None and any(v is not None for v in tw.values()):
        raise RenaksiError(_("IKU %(n)d belum memiliki target tahun %(year)d: isi target tahunnya (atau tetapkan PK) "
                             "lebih dahulu.", n=indicator.number, year=indicator.year))
    rule = summary.effective_rule(indicator)
    reason = target_refusal(indicator.measure, rule, year_target, tw) or _order_refusal(
        rule, Polarity(indicator.polarity), tw)
    if reason:
        raise RenaksiError(reason)
    plan = _plan(indicator)
    if plan.tw_targets() == {t: tw.get(t) for t in TW}:
        return False
    for t in TW:
        setattr(plan, f"tw{t}", tw.get(t))
    db.session.flush()
    audit.record("renaksi.targets_set", office_id=indicator.office_id, obj=plan, user=user, year=indicator.year,
                 number=indicator.number, targets={f"tw{t}": (None if tw.get(t) is None else str(tw[t])) for t in TW})
    return True


def add_action(indicator: Indicator, user: User | None, name: str, section: Section | None,
               budget: Decimal | None) -> RenaksiAction:
    name = (name or "").strip()
    if not name:
        raise RenaksiError(_("Isi nama kegiatan."))
    if section is not None and section.office_id != indicator.office_id:
        raise RenaksiError(_("Seksi tidak ditemukan."))
    if budget is not None and budget < 0:
        raise RenaksiError(_("Anggaran tidak boleh negatif."))
    plan = _plan(indicator)
    action = RenaksiAction(plan_id=plan.id, office_id=indicator.office_id, position=len(plan.actions) + 1,
                           name=name, section_id=section.id if section else None, budget=budget)
    plan.actions.append(action)
    db.session.flush()
    audit.record("renaksi.action_added", office_id=indicator.office_id, obj=action, user=user, year=indicator.year,
                 number=indicator.number, name=name, budget=None if budget is None else str(budget))
    return action


def delete_action(action: RenaksiAction, user: User | None) -> None:
    plan = action.plan
    audit.record("renaksi.action_deleted", office_id=action.office_id, obj=action, user=user, year=plan.year,
                 name=action.name, budget=None if action.budget is None else str(action.budget),
                 section_id=action.section_id)
    plan.actions.remove(action)
    db.session.flush()
    for n, other in enumerate(plan.actions, 1):
        other.position = n
    db.session.flush()


# ---------------------------------------------------------------- quarterly monitoring


@dataclass(frozen=True)
class MonitorRow:
    """One indicator in the monitoring of triwulan ``tw``: the dashboard's item, the renaksi's target s.d. TW, the
    realisation s.d. TW (the dashboard's), the capaian and its band, and the notes."""

    item: summary.IkuSummary
    indicator: Indicator
    tw: int
    target: Decimal | None
    realisation: Decimal | None
    capaian: Decimal | None
    band: Band | None
    plan: RenaksiPlan | None
    note: RenaksiNote | None


def monitoring(office: Office, year: int, tw: int, summaries: list | None = None) -> list[MonitorRow]:
    """Every renaksi indicator's figures s.d. triwulan ``tw`` and its notes (the dashboard's numbers);
    ``summaries``: the year's ``summary.year_summary`` when the caller already has it."""
    if tw not in TW:
        raise RenaksiError(_("Triwulan harus 1 sampai 4."))
    items = {i.indicator_id: i for i in (summary.year_summary(office.id, year) if summaries is None else summaries)}
    notes = {n.indicator_id: n for n in db.session.scalars(sa.select(RenaksiNote).where(
        RenaksiNote.office_id == office.id, RenaksiNote.year == year, RenaksiNote.triwulan == tw))}
    plans = {p.indicator_id: p for p in db.session.scalars(sa.select(RenaksiPlan).where(
        RenaksiPlan.office_id == office.id, RenaksiPlan.year == year))}
    rows = []
    for indicator in indicators_of(office, year):
        item = items[indicator.id]
        plan = plans.get(indicator.id)
        realisation = item.measured.upto[tw]
        if plan is not None and any(v is not None for v in plan.tw_targets().values()):
            year_target, _iku_tw = summary.targets_of(indicator)
            target = target_up_to(year_target, plan.tw_targets(), tw, item.year_rule)
            capaian = capaian_rounded(realisation, target, item.polarity, item.lower_formula)
        else:  # no renaksi targets: the dashboard's own s.d. TW target and capaian
            target, capaian = item.target_upto[tw], item.capaian_upto[tw]
        rows.append(MonitorRow(item, indicator, tw, target, realisation, capaian, criteria(capaian), plan,
                               notes.get(indicator.id)))
    return rows


def note_section(indicator: Indicator) -> Section | None:
    """The section that writes an indicator's monitoring notes: its first responsible section."""
    return indicator.sections[0] if indicator.sections else None


def save_note(indicator: Indicator, tw: int, user: User, kendala: str, tindak_lanjut: str) -> RenaksiNote:
    """Store the notes of ``indicator`` for triwulan ``tw`` (made with its workflow entry on first save). Only the
    responsible section's operators write them, and only while the entry is a draft or returned."""
    if tw not in TW:
        raise RenaksiError(_("Triwulan harus 1 sampai 4."))
    kendala, tindak_lanjut = (kendala or "").strip(), (tindak_lanjut or "").strip()
    if not kendala and not tindak_lanjut:
        raise RenaksiError(_("Isi kendala atau tindak lanjut."))
    note = db.session.scalar(sa.select(RenaksiNote).where(RenaksiNote.indicator_id == indicator.id,
                                                          RenaksiNote.triwulan == tw))
    section = note_section(indicator)
    if note is None:
        if user.section_id is None or section is None or user.section_id != section.id:
            raise RenaksiError(_("Catatan monitoring IKU %(n)d ditulis oleh seksi penanggung jawabnya.",
                                 n=indicator.number))
        entry = wf.create_entry(office_id=indicator.office_id, kind=KIND, year=indicator.year, user=user,
                                section_id=section.id,
                                title=_("Monitoring renaksi TW %(tw)s %(year)d — IKU %(n)d", tw=roman(tw),
                                        year=indicator.year, n=indicator.number))
        note = RenaksiNote(office_id=indicator.office_id, year=indicator.year, indicator_id=indicator.id,
                           triwulan=tw, section_id=section.id, entry_id=entry.id, entry=entry)
        db.session.add(note)
    else:
        try:
            wf.ensure_editable(note.entry, user)
        except wf.WorkflowError as exc:
            raise RenaksiError(str(exc)) from exc
        if (note.kendala, note.tindak_lanjut) == (kendala, tindak_lanjut):
            return note
        wf.record_edit(note.entry, user)
    note.kendala, note.tindak_lanjut, note.updated_by_id = kendala, tindak_lanjut, user.id
    db.session.flush()
    audit.record("renaksi.note_saved", office_id=indicator.office_id, obj=note, user=user, year=indicator.year,
                 number=indicator.number, triwulan=tw, kendala=kendala, tindak_lanjut=tindak_lanjut)
    return note


def note_guard(entry, action, user) -> str | None:
    """A note is submitted with something written in it."""
    from ..models import WorkflowAction

    if action is not WorkflowAction.SUBMIT:
        return None
    note = db.session.scalar(sa.select(RenaksiNote).where(RenaksiNote.entry_id == entry.id))
    if note is None or not (note.kendala or note.tindak_lanjut):
        return _("Isi kendala atau tindak lanjut sebelum diajukan.")
    return None
