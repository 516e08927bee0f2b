"""In-app notifications for workflow steps, and e-mail through SMTP when configured (off by default).

Mails are queued on the session and sent only after the transaction commits, so a rolled-back step
never sends one.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import force_locale, lazy_gettext as _l

from ..extensions import db
from ..models import Notification, NotificationEntry, Role, User, WorkflowAction, WorkflowEntry
from ..models._types import utcnow

log = logging.getLogger(__name__)


def _reviewers(entry: WorkflowEntry, submitter: User) -> list[User]:
    """Who reviews what ``submitter`` submitted: the sekcam, or the Camat when a sekcam submitted."""
    role = Role.CAMAT if submitter.role is Role.SEKCAM else Role.SEKCAM
    return list(db.session.scalars(
        sa.select(User).where(User.office_id == entry.office_id, User.role == role, User.active.is_(True))
    ))


# code -> the Indonesian text with %(...)s fields (also the msgid its English page shows); ``what`` is the
# kind's label (translated when shown), ``n`` a count
TEXTS = {
    "submit": _l("%(what)s «%(title)s» diajukan oleh %(actor)s dan menunggu tinjauan."),
    "approve": _l("%(what)s «%(title)s» disetujui oleh %(actor)s."),
    "return": _l("%(what)s «%(title)s» dikembalikan untuk diperbaiki oleh %(actor)s."),
    "reopen": _l("%(what)s «%(title)s» dibuka kembali oleh %(actor)s."),
    "batch_submit": _l("%(actor)s mengajukan %(n)s data %(what)s."),
    "batch_approve": _l("%(actor)s menyetujui %(n)s data %(what)s."),
    "batch_return": _l("%(actor)s mengembalikan %(n)s data %(what)s untuk diperbaiki."),
    # reminders (``iku-workflow reminders send``): ``due`` an ISO date, ``days`` left (or late), ``label`` the
    # Indonesian name of what is due when it is no workflow kind
    "reminder_due": _l("Pengingat: %(what)s «%(title)s» jatuh tempo %(due)s (%(when)s)."),
    "reminder_overdue": _l("Terlambat: %(what)s «%(title)s» lewat tenggat %(due)s (%(late)s)."),
}
_REMINDERS = ("reminder_due", "reminder_overdue")
NOTE_TEXT = _l("Catatan: %(note)s")


def _what(kind_codes) -> str:
    """The kind's label of a batch of one kind, else a general word (in the current locale)."""
    from ..capability import registry

    codes = set(kind_codes)
    if len(codes) == 1:
        kind = registry().kinds.get(next(iter(codes)))
        return str(kind.label) if kind else next(iter(codes))
    return str(_l("tinjauan"))


def reminder_text(code: str, params: dict) -> str:
    """A reminder in the current locale (the date and "N hari lagi" in its words)."""
    from datetime import date

    from flask_babel import gettext, ngettext

    from ..formatting import format_date
    from ..number_input import page_locale

    due = format_date(date.fromisoformat(params["due"]), page_locale())
    what = gettext(params["label"]) if params.get("label") else _what(params.get("kinds") or [])
    days = int(params["days"])
    if code == "reminder_overdue":
        late = ngettext("%(num)s hari", "%(num)s hari", days)
        return str(TEXTS[code]) % dict(what=what, title=params["title"], due=due, late=late)
    when = gettext("hari ini") if days == 0 else ngettext("%(num)s hari lagi", "%(num)s hari lagi", days)
    return str(TEXTS[code]) % dict(what=what, title=params["title"], due=due, when=when)


def compose_reminder(code: str, params: dict) -> str:
    """The Indonesian text of a reminder, stored with it and mailed."""
    with force_locale("id"):
        return reminder_text(code, params)[:500]


def text_of(n: Notification) -> str:
    """The notification in the current locale: from its code and params when it has them, else as stored."""
    template = TEXTS.get(n.code or "")
    if template is None or not isinstance(n.params, dict):
        return n.message
    p = dict(n.params)
    if n.code in _REMINDERS:
        try:
            return reminder_text(n.code, p)
        except (KeyError, TypeError, ValueError):
            return n.message
    try:
        text = str(template) % dict(p, what=_what(p.get("kinds") or []))
        if p.get("note"):
            text += " " + str(NOTE_TEXT) % {"note": p["note"]}
    except (KeyError, TypeError, ValueError):
        return n.message
    return text


def _compose(code: str, params: dict) -> str:
    """The Indonesian text stored with the notification (and mailed)."""
    with force_locale("id"):
        text = str(TEXTS[code]) % dict(params, what=_what(params.get("kinds") or []))
        if params.get("note"):
            text += " " + str(NOTE_TEXT) % {"note": params["note"]}
    return text[:500]


def after_transition(entry: WorkflowEntry, action: WorkflowAction, actor: User) -> None:
    if action is WorkflowAction.SUBMIT:
        recipients = [u for u in _reviewers(entry, actor) if u.id != actor.id]
    elif action in (WorkflowAction.APPROVE, WorkflowAction.RETURN, WorkflowAction.REOPEN):
        submitter = db.session.get(User, entry.submitted_by_id) if entry.submitted_by_id else None
        recipients = [submitter] if submitter and submitter.id != actor.id and submitter.active else []
    else:
        return
    for user in recipients:
        after_transition_for(entry, action, actor, user)


def _actor_name(actor: User) -> str:
    """Who did a batch: an operator's section ("Seksi Trantib"), else the person."""
    section = actor.section if actor.section_id else None
    return section.short_name if section is not None and actor.role is Role.SEKSI else actor.full_name


def after_batch(entries: list[WorkflowEntry], action: WorkflowAction, actor: User, *, link: str | None = None) -> None:
    """ONE notification per recipient for a step applied to many entries (submit-all, bulk approve/return).

    A recipient told about a single entry gets the single step's notification. The batch notification
    names its entries (``NotificationEntry``) and leads to ``link`` (for reviewers: the queue)."""
    if not entries:
        return
    from flask import url_for

    office_id = entries[0].office_id
    by_user: dict[int, tuple[User, list[WorkflowEntry]]] = {}
    if action is WorkflowAction.SUBMIT:
        for user in _reviewers(entries[0], actor):
            if user.id != actor.id:
                by_user[user.id] = (user, list(entries))
        link = link or url_for("workflow.queue")
    elif action in (WorkflowAction.APPROVE, WorkflowAction.RETURN):
        for entry in entries:
            submitter = entry.submitted_by
            if submitter is not None and submitter.id != actor.id and submitter.active:
                by_user.setdefault(submitter.id, (submitter, []))[1].append(entry)
        link = link or url_for("workflow.tasks")
    else:
        raise ValueError(action)
    batch = []
    for user, items in by_user.values():
        if len(items) == 1:
            after_transition_for(items[0], action, actor, user)
            continue
        params = {"actor": _actor_name(actor), "n": len(items), "kinds": sorted({e.kind for e in items})}
        if action is WorkflowAction.RETURN and items[0].last_note:
            params["note"] = items[0].last_note[:300]
        message = _compose(f"batch_{action.value}", params)
        n = Notification(office_id=office_id, user_id=user.id, entry_id=None, message=message,
                         code=f"batch_{action.value}", params=params, link=link)
        batch.append((n, items))
        if user.email:
            queue_mail(user.email, f"[IKU Workflow] {message}"[:200], message)
    if not batch:
        return
    db.session.add_all([n for n, _items in batch])
    db.session.flush()
    rows = [{"notification_id": n.id, "entry_id": e.id} for n, items in batch for e in items]
    db.session.execute(sa.insert(NotificationEntry), rows)


def after_transition_for(entry: WorkflowEntry, action: WorkflowAction, actor: User, user: User) -> None:
    """The single step's notification to one recipient (a batch of one)."""
    params = {"title": entry.title, "actor": actor.full_name, "kinds": [entry.kind]}
    if entry.last_note and action in (WorkflowAction.RETURN, WorkflowAction.REOPEN):
        params["note"] = entry.last_note[:300]
    message = _compose(action.value, params)
    db.session.add(Notification(office_id=entry.office_id, user_id=user.id, entry_id=entry.id, message=message,
                                code=action.value, params=params))
    if user.email:
        with force_locale("id"):
            label = str(_what([entry.kind]))
        queue_mail(user.email, f"[IKU Workflow] {label}: {entry.title}"[:200], message)


def mark_read(user, entry_ids: list[int]) -> None:
    """Mark read what ``user`` was told about these entries (one entry's notifications, and the batches
    naming any of them): the entry was opened or reviewed."""
    if not entry_ids or not getattr(user, "is_authenticated", False):
        return
    in_batch = sa.select(NotificationEntry.notification_id).where(NotificationEntry.entry_id.in_(entry_ids))
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None),
               sa.or_(Notification.entry_id.in_(entry_ids), Notification.id.in_(in_batch)))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)
    )


def queue_mail(to: str, subject: str, body: str) -> None:
    if not has_app_context() or not current_app.config.get("SMTP_HOST"):
        return
    db.session.info.setdefault("outbox", []).append((to, subject, body))


def send_mail(to: str, subject: str, body: str, config: dict) -> None:
    msg = EmailMessage()
    msg["From"] = config.get("SMTP_SENDER") or config.get("SMTP_USER") or "iku-workflow@localhost"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config.get("SMTP_PORT", 587), timeout=10) as smtp:
        if config.get("SMTP_USER"):
            smtp.starttls()
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(msg)


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _flush_outbox(session) -> None:
    outbox = session.info.pop("outbox", None)
    if not outbox or not has_app_context():
        return
    config = dict(current_app.config)
    for to, subject, body in outbox:
        try:
            send_mail(to, subject, body, config)
        except (OSError, smtplib.SMTPException) as exc:  # mail is a courtesy; the step itself stands
            log.warning("e-mail to %s not sent: %s", to, exc)


@sa.event.listens_for(sa.orm.Session, "after_rollback")
def _drop_outbox(session) -> None:
    session.info.pop("outbox", None)


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0
