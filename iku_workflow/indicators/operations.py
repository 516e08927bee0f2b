"""Changes to indicators, tujuan and targets: every one checks the year lock, flushes and audits.

Views commit once after calling these. Register rows are not here (see ``registers``).
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit, measures
from ..domain.capaian import YearRule, target_problem
from ..extensions import db
from ..models import Indicator, IndikatorTujuan, Section, Target, TargetChange, Tujuan, User
from ..models._types import utcnow
from .locks import YearLocked, ensure_unlocked

__all__ = ["YearLocked", "IndicatorError", "FieldError", "update_indicator", "set_target", "copy_year",
           "add_indicator", "remove_indicator", "next_number", "set_tujuan", "tujuan_of"]

EDITABLE_FIELDS = ("kinerja_utama", "name", "formulation", "bidang_text", "sumber_data", "unit", "polarity",
                   "lower_formula", "year_rule", "measure")


class IndicatorError(ValueError):
    """Refused input; ``str(exc)`` is the Indonesian message."""


def rule_refusal(measure: str, rule: YearRule | str | None) -> str | None:
    """Why ``rule`` cannot be an indicator's year rule with ``measure`` (None: it can).

    A measure kind that fixes its rule accepts only that rule; the others accept the rules their
    ``measures.RulePolicy`` lists (an index is never cumulative).
    """
    policy = measures.policy(measure)
    try:
        chosen = YearRule(rule) if rule is not None else None
    except ValueError:
        chosen = None
    if chosen in policy.rules:
        return None
    if policy.fixed:
        return _("Cara pengukuran ini menetapkan aturannya sendiri: %(rule)s. %(reason)s",
                 rule=policy.label, reason=policy.reason)
    return str(policy.reason) or _("Pilih aturan nilai tahunan.")


RULE_LABELS = {YearRule.CUMULATIVE: _l("Kumulatif"), YearRule.LAST: _l("Nilai terakhir"),
               YearRule.AVERAGE: _l("Rata-rata")}


def rule_label(measure: str, rule: YearRule) -> str:
    """How a page names the rule that governs an indicator (a fixed rule by its kind's own name)."""
    policy = measures.policy(measure)
    return str(policy.label) if policy.fixed and policy.label else str(RULE_LABELS[rule])


def target_refusal(measure: str, rule: YearRule, year_target: Decimal | None,
                   tw_targets: dict[int, Decimal | None]) -> str | None:
    """Why these targets cannot be saved together under the indicator's year rule (None: they can).

    The year's target decides "s.d. TW IV" (RULES.md §3); the triwulan targets must agree with it as
    the rule reads them (`domain.capaian.target_problem`). Cumulative targets typed as "s.d." figures
    (50, 60, 70, 80 for a year of 80) are told what to type instead (50, 10, 10, 10).
    """
    from ..template_filters import page_number as number_id

    problem = target_problem(year_target, tw_targets, rule)
    if problem is None:
        return None
    combined, year = number_id(problem.combined), number_id(problem.year)
    label = rule_label(measure, rule)
    if problem.code in ("sum_exceeds", "sum_differs"):
        message = (_("Aturan %(rule)s: target triwulan adalah jumlah tiap triwulan dan dijumlahkan; jumlahnya "
                     "(%(combined)s) melebihi target tahunan (%(year)s).", rule=label, combined=combined, year=year)
                   if problem.code == "sum_exceeds" else
                   _("Aturan %(rule)s: jumlah target TW I–IV (%(combined)s) harus sama dengan target tahunan "
                     "(%(year)s).", rule=label, combined=combined, year=year))
        present = [(tw, v) for tw, v in sorted(tw_targets.items()) if v is not None]
        values = [v for _tw, v in present]
        if values and values == sorted(values) and values[-1] == problem.year:
            amounts = [values[0]] + [b - a for a, b in zip(values, values[1:])]
            message += " " + _("Bila yang diisi target s.d. triwulan, isi selisihnya: %(amounts)s.",
                               amounts=", ".join(number_id(a) for a in amounts))
        return message
    if problem.code == "last_differs":
        return _("Aturan %(rule)s: target TW IV (%(combined)s) adalah target tahunan dan harus sama dengan target "
                 "tahunan (%(year)s).", rule=label, combined=combined, year=year)
    return _("Aturan %(rule)s: rata-rata target triwulan (%(combined)s) harus sama dengan target tahunan "
             "(%(year)s).", rule=label, combined=combined, year=year)


def update_indicator(indicator: Indicator, user: User, *, sections: list[Section] | None = None, **fields) -> None:
    ensure_unlocked(indicator.office_id, indicator.year)
    if "measure" in fields and fields["measure"] not in measures.declared():
        raise IndicatorError(_("Cara pengukuran '%(key)s' tidak tersedia di aplikasi ini; pilih salah satu dari daftar.",
                               key=fields["measure"]))
    changed = {}
    for name in fields:
        if name not in EDITABLE_FIELDS:
            raise KeyError(name)
    if "year_rule" in fields or "measure" in fields:
        reason = rule_refusal(fields.get("measure", indicator.measure), fields.get("year_rule", indicator.year_rule))
        if reason:
            raise IndicatorError(reason)
    for name, value in fields.items():
        if getattr(indicator, name) != value:
            changed[name] = True
            setattr(indicator, name, value)
    if sections is not None:
        if any(s.office_id != indicator.office_id for s in sections):
            raise IndicatorError(_("Seksi tidak ditemukan."))
        if {s.id for s in sections} != {s.id for s in indicator.sections}:
            indicator.sections = list(sections)
            changed["sections"] = True
    db.session.flush()
    if changed:
        audit.record("indicator.updated", office_id=indicator.office_id, user=user, obj=indicator,
                     year=indicator.year, number=indicator.number, fields=sorted(changed))


def set_target(indicator: Indicator, user: User | None, value: Decimal | None, triwulan: int | None = None) -> bool:
    """Set (or with ``None`` clear) the year's or a triwulan's target; history kept. True when changed."""
    ensure_unlocked(indicator.office_id, indicator.year)
    if triwulan is not None and triwulan not in (1, 2, 3, 4):
        raise IndicatorError(_("Triwulan harus 1 sampai 4."))
    if value is not None and value < 0:
        raise IndicatorError(_("Target tidak boleh negatif."))
    current = db.session.scalar(sa.select(Target).where(
        Target.indicator_id == indicator.id,
        Target.triwulan.is_(None) if triwulan is None else Target.triwulan == triwulan))
    old = current.value if current is not None else None
    if old is not None and value is not None and Decimal(old) == Decimal(value):
        return False
    if old is None and value is None:
        return False
    if value is None:
        db.session.delete(current)
    elif current is None:
        db.session.add(Target(office_id=indicator.office_id, indicator_id=indicator.id, triwulan=triwulan, value=value))
    else:
        current.value = value
        current.updated_at = utcnow()
    db.session.add(TargetChange(office_id=indicator.office_id, indicator_id=indicator.id, triwulan=triwulan,
                                old_value=old, new_value=value, changed_by_id=user.id if user else None))
    db.session.flush()
    audit.record("target.changed", office_id=indicator.office_id, user=user, obj=indicator, year=indicator.year,
                 number=indicator.number, triwulan=triwulan, old=None if old is None else str(old),
                 new=None if value is None else str(value))
    return True


def indicators_of(office_id: int, year: int) -> list[Indicator]:
    return list(db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id == office_id, Indicator.year == year).order_by(Indicator.number)))


def copy_year(office_id: int, source: int, dest: int, user: User | None, *, with_targets: bool = False) -> int:
    """Copy the indicators and tujuan of ``source`` to ``dest`` (which must be empty and unlocked).

    Returns the number of indicators copied.
    """
    ensure_unlocked(office_id, dest)
    if source == dest:
        raise IndicatorError(_("Tahun tujuan harus berbeda dari tahun asal."))
    if indicators_of(office_id, dest):
        raise IndicatorError(_("Tahun %(year)s sudah memiliki indikator; tidak ada yang disalin.", year=dest))
    originals = indicators_of(office_id, source)
    if not originals:
        raise IndicatorError(_("Tahun %(year)s belum memiliki indikator untuk disalin.", year=source))
    for model in (Tujuan, IndikatorTujuan):
        for row in db.session.scalars(sa.select(model).where(model.office_id == office_id, model.year == source)):
            db.session.add(model(office_id=office_id, year=dest, position=row.position, text=row.text))
    for old in originals:
        new = Indicator(office_id=office_id, year=dest, number=old.number,
                        **{f: getattr(old, f) for f in EDITABLE_FIELDS})
        new.year_rule = measures.policy(old.measure).effective(old.year_rule)  # a rule its kind allows
        new.formulation = list(old.formulation or [])
        new.sections = list(old.sections)
        db.session.add(new)
        db.session.flush()
        if with_targets:
            for t in old.targets:
                set_target(new, user, Decimal(t.value), t.triwulan)
    audit.record("indicators.copied", office_id=office_id, user=user, source=source, dest=dest,
                 count=len(originals), with_targets=with_targets)
    db.session.flush()
    return len(originals)


# ------------------------------------------------------------------ an office adapts its own list

class FieldError(IndicatorError):
    """Refused input of one field; ``field`` names it (the page shows the message next to it)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def numbers_taken(office_id: int, year: int) -> set[int]:
    return set(db.session.scalars(sa.select(Indicator.number).where(Indicator.office_id == office_id,
                                                                    Indicator.year == year)))


def next_number(office_id: int, year: int) -> int | None:
    """The number a new indicator of the year gets: the first free one (numbers stay contiguous), None when full."""
    taken = numbers_taken(office_id, year)
    return next((n for n in range(1, 100) if n not in taken), None)


def add_indicator(office, year: int, user: User | None, *, number: int | None = None,
                  sections: list[Section] | None = None, **fields) -> Indicator:
    """Add an indicator to the office's ``year`` (callable without a request; the caller commits).

    ``fields`` are `EDITABLE_FIELDS` (``kinerja_utama``, ``name`` and ``measure`` required); ``number``
    defaults to `next_number`. Refused (`FieldError` naming the field, `YearLocked`) when the year is
    locked, a text is empty, the number is taken or out of 1..99, the measure is not installed or its
    kind does not allow the year rule.
    """
    office_id = office.id
    if not 2000 <= year <= 2100:
        raise FieldError("year", _("Tahun harus antara 2000 dan 2100."))
    ensure_unlocked(office_id, year)
    for name in fields:
        if name not in EDITABLE_FIELDS:
            raise KeyError(name)
    for name in ("kinerja_utama", "name"):
        fields[name] = (fields.get(name) or "").strip()
        if not fields[name]:
            raise FieldError(name, _("Wajib diisi."))
    measure = fields.get("measure")
    if measure not in measures.declared():
        raise FieldError("measure", _("Cara pengukuran '%(key)s' tidak tersedia di aplikasi ini; pilih salah satu "
                                      "dari daftar.", key=measure))
    policy = measures.policy(measure)
    rule = fields.get("year_rule")
    if rule is None:
        rule = policy.rules[0]
    reason = rule_refusal(measure, rule)
    if reason:
        raise FieldError("year_rule", reason)
    fields["year_rule"] = YearRule(rule)
    if number is None:
        number = next_number(office_id, year)
        if number is None:
            raise FieldError("number", _("Tahun ini sudah memiliki 99 IKU."))
    if not 1 <= number <= 99:
        raise FieldError("number", _("Nomor IKU harus antara 1 dan 99."))
    if number in numbers_taken(office_id, year):
        raise FieldError("number", _("Nomor %(n)s sudah dipakai IKU lain tahun %(y)s; nomor bebas berikutnya: "
                                     "%(free)s.", n=number, y=year, free=next_number(office_id, year) or "-"))
    sections = list(sections or [])
    if any(s.office_id != office_id for s in sections):
        raise FieldError("sections", _("Seksi tidak ditemukan."))
    for name in ("bidang_text", "sumber_data"):
        fields[name] = (fields.get(name) or "").strip()
    fields["formulation"] = list(fields.get("formulation") or [])
    indicator = Indicator(office_id=office_id, year=year, number=number, **fields)
    indicator.sections = sections
    db.session.add(indicator)
    db.session.flush()
    audit.record("indicator.added", office_id=office_id, user=user, obj=indicator, year=year, number=number,
                 name=indicator.name, measure=indicator.measure, year_rule=indicator.year_rule.value,
                 sections=[s.code for s in sections])
    return indicator


def remove_indicator(indicator: Indicator, user: User | None) -> None:
    """Remove an indicator with its targets and their history; the later ones of the year move up one
    number, so the numbers stay 1, 2, 3 … (the caller commits). Refused (`YearLocked`) in a locked year."""
    ensure_unlocked(indicator.office_id, indicator.year)
    office_id, year, number = indicator.office_id, indicator.year, indicator.number
    audit.record("indicator.removed", office_id=office_id, user=user, obj=indicator, year=year, number=number,
                 name=indicator.name, row=audit.row_values(indicator),
                 sections=[s.code for s in indicator.sections],
                 targets={("y" if t.triwulan is None else str(t.triwulan)): str(t.value) for t in indicator.targets})
    db.session.execute(sa.delete(TargetChange).where(TargetChange.indicator_id == indicator.id))
    indicator.sections = []
    db.session.delete(indicator)  # its targets go with it (cascade)
    db.session.flush()
    later = db.session.scalars(sa.select(Indicator).where(
        Indicator.office_id == office_id, Indicator.year == year, Indicator.number > number)
        .order_by(Indicator.number)).all()
    for row in later:  # one at a time, upwards: the number below is always free
        row.number -= 1
        db.session.flush()
    if later:
        audit.record("indicators.renumbered", office_id=office_id, user=user, year=year, removed=number,
                     moved=[row.number + 1 for row in later])


def tujuan_of(office_id: int, year: int) -> tuple[list[str], list[str]]:
    """The texts of the year's tujuan and indikator tujuan, in order."""
    texts = [list(db.session.scalars(sa.select(model.text).where(model.office_id == office_id, model.year == year)
                                     .order_by(model.position))) for model in (Tujuan, IndikatorTujuan)]
    return texts[0], texts[1]


def set_tujuan(office_id: int, year: int, user: User | None, *, tujuan: list[str],
               indikator_tujuan: list[str]) -> bool:
    """Replace the year's tujuan and indikator tujuan with these texts (empty ones dropped); True when changed."""
    ensure_unlocked(office_id, year)
    new = ([t.strip() for t in tujuan if t and t.strip()], [t.strip() for t in indikator_tujuan if t and t.strip()])
    old = tujuan_of(office_id, year)
    if tuple(old) == new:
        return False
    for model, texts in zip((Tujuan, IndikatorTujuan), new):
        db.session.execute(sa.delete(model).where(model.office_id == office_id, model.year == year))
        db.session.flush()
        for position, text in enumerate(texts, start=1):
            db.session.add(model(office_id=office_id, year=year, position=position, text=text))
    db.session.flush()
    audit.record("tujuan.updated", office_id=office_id, user=user, year=year, before={"tujuan": old[0],
                 "indikator_tujuan": old[1]}, tujuan=new[0], indikator_tujuan=new[1])
    return True
