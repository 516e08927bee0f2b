"""Reminders of due dates (issue 14): ``iku-workflow reminders send``, run daily from cron or a systemd timer.

An entry still with its section (draft or returned) and a due date gets an in-app notification — and an
e-mail when SMTP is set — some days before the date (``IKU_REMINDER_DAYS``, default "7,1") and once the date
has passed. Each (entry, threshold, due date) is sent once: the table ``reminders_sent`` remembers it, so
running the command twice (or every hour) sends nothing twice; a moved due date starts afresh. When a run
was missed, only the most urgent threshold reached is sent (a week's silence does not become two messages).

Who: the section's active operators; once overdue, the office's Sekretaris Camat too. An entry without a
section goes to the Sekretaris Camat.

Due items that are not entries (``workflow.due_items``: the year's decree) are reminded the same way, once
per (item key, threshold, due date), to the section holding them or else to the roles the item names (the
decree: the Sekretaris Camat and the Camat); the notification leads to the item's page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import EntryState, Notification, Office, ReminderSent, Role, User, WorkflowEntry
from .due_items import DueItem, collect
from .notify import compose_reminder, queue_mail

__all__ = ["DEFAULT_DAYS_BEFORE", "Sent", "days_before", "threshold_reached", "send_reminders"]

DEFAULT_DAYS_BEFORE = (7, 1)
OVERDUE = "overdue"
#: entries still in the section's hands: a submitted one waits for the reviewer, an approved one is done
OPEN_STATES = (EntryState.DRAFT, EntryState.RETURNED)


def days_before(config_value: str | None = None) -> tuple[int, ...]:
    """The days before a due date that remind, largest first, from "7,1" (config ``IKU_REMINDER_DAYS``)."""
    text = config_value if config_value is not None else (current_app.config.get("IKU_REMINDER_DAYS") or "")
    values = sorted({int(part) for part in str(text).replace(";", ",").split(",") if part.strip().isdigit()
                     and 0 <= int(part) <= 366}, reverse=True)
    return tuple(values) or DEFAULT_DAYS_BEFORE


def threshold_reached(due: date, today: date, before: tuple[int, ...] = DEFAULT_DAYS_BEFORE) -> str | None:
    """The most urgent threshold reached on ``today``: "overdue" after the due date, "before-N" for the
    smallest N with due − today ≤ N, or None when the date is still further away."""
    left = (due - today).days
    if left < 0:
        return OVERDUE
    reached = [n for n in before if left <= n]
    return f"before-{min(reached)}" if reached else None


@dataclass
class Sent:
    """What one run sent: entries and other due items reminded, notifications written, e-mails queued."""

    entries: list[tuple[WorkflowEntry, str]] = field(default_factory=list)
    #: due items that are not entries (``workflow.due_items``) reminded, with their threshold
    items: list[tuple[DueItem, str]] = field(default_factory=list)
    notifications: int = 0
    mails: int = 0


def _params(what: dict, title: str, due: date, threshold: str, today: date) -> tuple[str, dict]:
    """The notification code and params of a reminder (rendered in each reader's language, notify.reminder_text)."""
    left = (due - today).days
    code = "reminder_overdue" if threshold == OVERDUE else "reminder_due"
    return code, dict(what, title=title, due=due.isoformat(), days=-left if threshold == OVERDUE else left)


def _message(entry: WorkflowEntry, threshold: str, today: date) -> tuple[str, dict, str]:
    code, params = _params({"kinds": [entry.kind]}, entry.title, entry.due_date, threshold, today)
    return code, params, compose_reminder(code, params)


def _item_message(item: DueItem, threshold: str, today: date) -> tuple[str, dict, str]:
    code, params = _params({"label": str(item.label)}, item.title, item.due_date, threshold, today)
    return code, params, compose_reminder(code, params)


def _recipients(entry: WorkflowEntry, threshold: str, users_by_section: dict, sekcams: dict) -> list[User]:
    people = list(users_by_section.get((entry.office_id, entry.section_id), [])) if entry.section_id else []
    if threshold == OVERDUE or not people:
        people += [u for u in sekcams.get(entry.office_id, []) if u not in people]
    return people


def send_reminders(today: date, *, office: Office | None = None, before: tuple[int, ...] | None = None) -> Sent:
    """Send what is due on ``today`` (flushed; the caller commits). Idempotent per entry, threshold and date."""
    before = before or days_before()
    horizon = max(before)
    query = (sa.select(WorkflowEntry).where(WorkflowEntry.due_date.is_not(None), WorkflowEntry.state.in_(OPEN_STATES),
                                            WorkflowEntry.due_date <= today.fromordinal(today.toordinal() + horizon))
             .order_by(WorkflowEntry.office_id, WorkflowEntry.due_date, WorkflowEntry.id))
    if office is not None:
        query = query.where(WorkflowEntry.office_id == office.id)
    entries = db.session.scalars(query).all()
    latest = today.fromordinal(today.toordinal() + horizon)
    items = [i for i in collect(office.id if office is not None else None)
             if i.due_date is not None and not i.done and i.due_date <= latest]
    result = Sent()
    if not entries and not items:
        return result
    already = set(db.session.execute(
        sa.select(ReminderSent.entry_id, ReminderSent.threshold, ReminderSent.due_date)
        .where(ReminderSent.entry_id.in_([e.id for e in entries]))).all()) if entries else set()
    items_sent = set(db.session.execute(
        sa.select(ReminderSent.item, ReminderSent.threshold, ReminderSent.due_date)
        .where(ReminderSent.item.in_([i.key for i in items]))).all()) if items else set()
    office_ids = {e.office_id for e in entries} | {i.office_id for i in items}
    users = db.session.scalars(sa.select(User).where(User.office_id.in_(office_ids), User.active.is_(True),
                                                     User.role.in_([Role.SEKSI, Role.SEKCAM, Role.CAMAT]))
                               .order_by(User.id)).all()
    by_section: dict = {}
    sekcams: dict = {}
    by_role: dict = {}
    for user in users:
        by_role.setdefault((user.office_id, user.role), []).append(user)
        if user.role is Role.SEKSI:
            by_section.setdefault((user.office_id, user.section_id), []).append(user)
        elif user.role is Role.SEKCAM:
            sekcams.setdefault(user.office_id, []).append(user)
    for entry in entries:
        threshold = threshold_reached(entry.due_date, today, before)
        if threshold is None or (entry.id, threshold, entry.due_date) in already:
            continue
        code, params, message = _message(entry, threshold, today)
        people = _recipients(entry, threshold, by_section, sekcams)
        for user in people:
            db.session.add(Notification(office_id=entry.office_id, user_id=user.id, entry_id=entry.id, message=message,
                                        code=code, params=params))
            result.notifications += 1
            if user.email:
                queue_mail(user.email, f"[IKU Workflow] {message}"[:200], message)
                result.mails += 1
        db.session.add(ReminderSent(entry_id=entry.id, office_id=entry.office_id, threshold=threshold, due_date=entry.due_date,
                                    recipients=len(people)))
        result.entries.append((entry, threshold))
    for item in items:
        threshold = threshold_reached(item.due_date, today, before)
        if threshold is None or (item.key, threshold, item.due_date) in items_sent:
            continue
        code, params, message = _item_message(item, threshold, today)
        people = list(by_section.get((item.office_id, item.section_id), [])) if item.section_id else []
        if threshold == OVERDUE or not people:
            people += [u for role in item.roles for u in by_role.get((item.office_id, role), []) if u not in people]
        link = item.url()
        for user in people:
            db.session.add(Notification(office_id=item.office_id, user_id=user.id, message=message, link=link,
                                        code=code, params=params))
            result.notifications += 1
            if user.email:
                queue_mail(user.email, f"[IKU Workflow] {message}"[:200], message)
                result.mails += 1
        db.session.add(ReminderSent(item=item.key, office_id=item.office_id, threshold=threshold, due_date=item.due_date,
                                    recipients=len(people)))
        result.items.append((item, threshold))
    db.session.flush()
    return result
