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

__all__ = ["YearLocked", "IndicatorError", "update_indicator", "set_target", "copy_year"]

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


