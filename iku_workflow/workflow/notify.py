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
from flask_babel import force_locale

from ..extensions import db
from ..models import Notification, Role, User, WorkflowAction, WorkflowEntry

log = logging.getLogger(__name__)


def _reviewers(entry: WorkflowEntry, submitter: User) -> list[User]:
    """Who reviews what ``submitter`` submitted: the sekcam, or the Camat when a sekcam submitted."""
    role = Role.CAMAT if submitter.role is Role.SEKCAM else Role.SEKCAM
    return list(db.session.scalars(
        sa.select(User).where(User.office_id == entry.office_id, User.role == role, User.active.is_(True))
    ))


def after_transition(entry: WorkflowEntry, action: WorkflowAction, actor: User) -> None:
    from . import kinds

    # Notifications are stored text read later by someone else: keep them in the office language.
    with force_locale("id"):
        label = str(kinds.label_of(entry))
    if action is WorkflowAction.SUBMIT:
        recipients = [u for u in _reviewers(entry, actor) if u.id != actor.id]
        message = f"{label} «{entry.title}» diajukan oleh {actor.full_name} dan menunggu tinjauan."
    elif action in (WorkflowAction.APPROVE, WorkflowAction.RETURN, WorkflowAction.REOPEN):
        submitter = db.session.get(User, entry.submitted_by_id) if entry.submitted_by_id else None
        recipients = [submitter] if submitter and submitter.id != actor.id and submitter.active else []
        verb = {WorkflowAction.APPROVE: "disetujui", WorkflowAction.RETURN: "dikembalikan untuk diperbaiki",
                WorkflowAction.REOPEN: "dibuka kembali"}[action]
        message = f"{label} «{entry.title}» {verb} oleh {actor.full_name}."
        if entry.last_note and action is not WorkflowAction.APPROVE:
            message += f" Catatan: {entry.last_note}"
    else:
        return
    for user in recipients:
        db.session.add(Notification(office_id=entry.office_id, user_id=user.id, entry_id=entry.id, message=message[:500]))
        if user.email:
            queue_mail(user.email, f"[IKU Workflow] {label}: {entry.title}"[:200], message)


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
