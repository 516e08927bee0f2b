from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from ..access import can, load_or_404, require, scoped
from ..auth.views import safe_next
from ..extensions import db
from ..models import AuditEvent, EntryState, Notification, Section, WorkflowAction, WorkflowEntry
from ..models._types import utcnow
from ..pagination import paginate
from .. import audit, audit_export as audit_export_mod
from . import bp, kinds, notify, operations, todo
from .forms import AGE_CHOICES, AuditFilterForm, BatchReviewForm, QueueFilterForm, TransitionForm

ACTION_BY_SLUG = {
    "ajukan": WorkflowAction.SUBMIT,
    "setujui": WorkflowAction.APPROVE,
    "kembalikan": WorkflowAction.RETURN,
    "buka-kembali": WorkflowAction.REOPEN,
    "tarik-kembali": WorkflowAction.WITHDRAW,
}
SLUG_BY_ACTION = {v: k for k, v in ACTION_BY_SLUG.items()}


@bp.app_template_global()
def workflow_actions(entry: WorkflowEntry) -> list[dict]:
    """Buttons the current user may press on ``entry`` (used by templates/workflow/_actions.html).

    Showing an entry's workflow card means its page is open: what its reader was told about it is
    marked read (written once the page is served, ``_mark_seen``)."""
    g.setdefault("seen_entries", set()).add(entry.id)
    out = []
    for action in operations.allowed_actions(entry, current_user):
        out.append({"action": action.value, "label": action.label, "slug": SLUG_BY_ACTION[action],
                    "url": url_for("workflow.transition", entry_id=entry.id, slug=SLUG_BY_ACTION[action]),
                    "needs_note": action in (WorkflowAction.RETURN, WorkflowAction.REOPEN)})
    return out


@bp.app_template_global()
def entry_url(entry: WorkflowEntry) -> str:
    return kinds.url_of(entry)


@bp.app_template_global()
def entry_kind_label(entry: WorkflowEntry) -> str:
    return kinds.label_of(entry)


@bp.app_template_global()
def transition_form(entry: WorkflowEntry) -> TransitionForm:
    """The form of one step; ``next`` is where the reviewer came from (the queue's ``?next=``), else this page."""
    return TransitionForm(version=entry.version, next=came_from() or request.path)


def came_from() -> str | None:
    """The page this one was opened from (``?next=``), when it is a path inside the app."""
    return safe_next(request.args.get("next"))


@bp.app_template_global()
def with_next(url: str, next_url: str | None) -> str:
    """``url`` that leads back to ``next_url`` after a review step."""
    if not next_url:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"next": next_url})


@bp.after_app_request
def _mark_seen(response):
    """An entry's page was shown (its buttons rendered): its notifications to the reader are read."""
    seen = g.pop("seen_entries", None)
    # only a page asked for (GET): a POST that re-shows its page may hold changes it meant to drop
    if seen and request.method == "GET" and response.status_code == 200 \
            and getattr(current_user, "is_authenticated", False):
        try:
            notify.mark_read(current_user, sorted(seen))
            db.session.commit()
        except SQLAlchemyError:  # a courtesy; the page itself was served
            db.session.rollback()
    return response


@bp.route("/entri/<int:entry_id>/<slug>", methods=["POST"])
@login_required
def transition(entry_id: int, slug: str):
    action = ACTION_BY_SLUG.get(slug)
    if action is None:
        abort(404)
    entry = load_or_404(WorkflowEntry, entry_id)
    require("entry.view", entry)
    form = TransitionForm()
    back = safe_next(form.next.data) or kinds.url_of(entry)
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    try:
        version = int(form.version.data) if form.version.data else None
    except ValueError:
        version = None
    try:
        operations.apply_action(entry, current_user._get_current_object(), action, form.note.data, version)
    except operations.WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("%(kind)s «%(title)s»: %(state)s.", kind=kinds.label_of(entry), title=entry.title,
            state=entry.state.label.lower()), "success")
    if action is WorkflowAction.APPROVE and request.form.get("then") == "next":
        return _open_next(entry, safe_next(form.next.data))
    return redirect(back)


def _open_next(done: WorkflowEntry, back: str | None):
    """After "Setujui & berikutnya": the next entry of the queue (the queue's filter kept in ``back``)."""
    parts = urlsplit(back or "")
    queue_url = back if parts.path == url_for("workflow.queue") else url_for("workflow.queue")
    _form, query, _args = _queue_query(MultiDict(parse_qsl(urlsplit(queue_url).query)))
    order = (WorkflowEntry.submitted_at, WorkflowEntry.id)
    later = sa.or_(WorkflowEntry.submitted_at > done.submitted_at,
                   sa.and_(WorkflowEntry.submitted_at == done.submitted_at, WorkflowEntry.id > done.id))
    following = db.session.scalars(query.where(later).order_by(*order).limit(1)).first() \
        or db.session.scalars(query.order_by(*order).limit(1)).first()
    if following is None:
        flash(_("Tidak ada lagi data yang menunggu tinjauan."), "info")
        return redirect(queue_url)
    return redirect(with_next(kinds.url_of(following), queue_url))


@bp.route("/entri/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = load_or_404(WorkflowEntry, entry_id)
    require("entry.view", entry)
    return render_template("workflow/entry.html", entry=entry)


def _year_choices() -> list[tuple[int, str]]:
    years = db.session.scalars(
        sa.select(WorkflowEntry.year).where(WorkflowEntry.office_id == current_user.office_id).distinct()
    ).all()
    this_year = date.today().year
    return [(0, _("Semua tahun"))] + [(y, str(y)) for y in sorted(set(years) | {this_year}, reverse=True)]


QUEUE_FILTER_KEYS = ("section", "kind", "year", "age")
#: a page of the queue is what one "select all on this page" approves: a quarter's complaints fit on one
QUEUE_PER_PAGE = 100


def _queue_query(args) -> tuple[QueueFilterForm, sa.Select, dict]:
    """The queue's filter form read from ``args``, the SELECT it gives, and its values for links."""
    form = QueueFilterForm(args)
    sections = db.session.scalars(scoped(Section).order_by(Section.position)).all()
    form.section.choices = [(0, _("Semua seksi"))] + [(s.id, s.short_name) for s in sections]
    form.kind.choices = [("", _("Semua jenis"))] + [(k.code, k.label) for k in kinds.all_kinds()]
    form.year.choices = _year_choices()
    form.age.choices = [(days, label) for days, label in AGE_CHOICES]
    for field in (form.section, form.kind, form.year, form.age):  # a value not offered (?section=10**20) filters nothing
        if field.data not in {value for value, _label in field.choices}:
            field.data = None
    query = operations.review_queue(current_user)
    if form.section.data:
        query = query.where(WorkflowEntry.section_id == form.section.data)
    if form.kind.data:
        query = query.where(WorkflowEntry.kind == form.kind.data)
    if form.year.data:
        query = query.where(WorkflowEntry.year == form.year.data)
    if form.age.data:
        query = query.where(WorkflowEntry.submitted_at < utcnow() - timedelta(days=form.age.data))
    # only the filter's own fields go back into links (never ?endpoint= or ?_external= into url_for)
    filter_args = {name: getattr(form, name).data for name in QUEUE_FILTER_KEYS if getattr(form, name).data}
    return form, query, filter_args


@bp.route("/tinjauan")
@login_required
def queue():
    require("entry.review")
    form, query, filter_args = _queue_query(request.args)
    page = paginate(query.options(selectinload(WorkflowEntry.section), selectinload(WorkflowEntry.submitted_by))
                    .order_by(WorkflowEntry.submitted_at, WorkflowEntry.id), per_page=QUEUE_PER_PAGE)
    here = url_for("workflow.queue", **filter_args, **({"hal": page.page} if page.page > 1 else {}))
    return render_template("workflow/queue.html", page=page, entries=page.items, form=form, filter_args=filter_args,
                           here=here, batch_form=BatchReviewForm(formdata=None, next=here), now=utcnow())


BATCH_ACTIONS = {"setujui": WorkflowAction.APPROVE, "kembalikan": WorkflowAction.RETURN}
BATCH_MAX = 1000
REFUSED_NAMED = 10


def _selection(values: list[str]) -> dict[int, int]:
    """The ticked entries as id -> the version shown ("12:3" each); anything else is a broken form (400)."""
    out: dict[int, int] = {}
    if len(values) > BATCH_MAX:
        abort(400)
    for value in values:
        entry_id, sep, version = value.partition(":")
        if not sep or not entry_id.isdigit() or not version.isdigit() or len(value) > 40:
            abort(400)
        out[int(entry_id)] = int(version)
    return out


@bp.route("/tinjauan/<slug>", methods=["POST"])
@login_required
def batch_review(slug: str):
    """Approve (or return, with one note) every entry ticked on a page of the queue."""
    action = BATCH_ACTIONS.get(slug)
    if action is None:
        abort(404)
    require("entry.review")
    form = BatchReviewForm()
    back = safe_next(form.next.data) or url_for("workflow.queue")
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    selection = _selection(request.form.getlist("pilih"))
    try:
        result = operations.review_many(current_user._get_current_object(), action, selection, note=form.note.data)
    except operations.UnknownEntries:
        db.session.rollback()
        abort(404)
    except operations.WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back)
    db.session.commit()
    done = (_("%(n)s disetujui", n=len(result.done)) if action is WorkflowAction.APPROVE
            else _("%(n)s dikembalikan", n=len(result.done)))
    if result.refused:
        # named one by one up to a point (the message travels in the session cookie)
        names = ", ".join(f"{e.title[:80]} ({reason})" for e, reason in result.refused[:REFUSED_NAMED])
        if len(result.refused) > REFUSED_NAMED:
            names += " " + _("… dan %(n)s lainnya", n=len(result.refused) - REFUSED_NAMED)
        flash(_("%(done)s; %(n)s tidak: %(names)s", done=done, n=len(result.refused), names=names),
              "warning" if result.done else "danger")
    else:
        flash(done + ".", "success")
    return redirect(back)


@bp.route("/tugas")
@login_required
def tasks():
    """A section's to-do list (``todo.build_todo``): by year, newest first, and by urgency inside a year,
    each row saying how late or how soon; a year with nothing to do says why."""
    require("entry.submit")
    today = todo.today()
    section = current_user.section if current_user.section_id else None
    if section is None:
        return render_template("workflow/tasks.html", section=None, groups=[], page=None, today=today,
                               counts={s.value: 0 for s in todo.TASK_STATES})
    page, groups, counts = todo.build_todo(current_user.office_id, section, today)
    return render_template("workflow/tasks.html", section=section, groups=groups, counts=counts, page=page,
                           today=today)


@bp.route("/notifikasi", methods=["GET", "POST"])
@login_required
def notifications():
    if request.method == "POST":
        form = TransitionForm()
        if form.validate_on_submit():
            db.session.execute(
                sa.update(Notification).where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
                .values(read_at=utcnow())
            )
            db.session.commit()
            flash(_("Semua notifikasi ditandai sudah dibaca."), "success")
        return redirect(url_for("workflow.notifications"))
    page = paginate(sa.select(Notification).where(Notification.user_id == current_user.id)
                    .options(selectinload(Notification.entry))
                    .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return render_template("workflow/notifications.html", page=page, items=page.items, form=TransitionForm())


@bp.route("/notifikasi/<int:notification_id>")
@login_required
def notifications_open(notification_id: int):
    """Open what a notification is about (its entry, or a batch's page) and mark it read."""
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != current_user.id:
        abort(404)
    if n.read_at is None:
        n.read_at = utcnow()
        db.session.commit()
    if n.entry is not None:
        return redirect(kinds.url_of(n.entry))
    return redirect(safe_next(n.link) or url_for("workflow.notifications"))


@bp.app_template_global()
def notification_text(n: Notification) -> str:
    return notify.text_of(n)


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    from ..domain.dates import parse_tanggal

    try:
        return parse_tanggal(text)
    except ValueError:
        return None


AUDIT_FILTER_KEYS = ("action", "username", "date_from", "date_to")


@bp.route("/audit")
@login_required
def audit_log():
    require("audit.view")
    form = AuditFilterForm(request.args)
    query = _audit_query(form)
    page = paginate(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    # only the filter's own fields go back into the page links (never ?endpoint= or ?_external= into url_for)
    filter_args = {f.name: f.data for f in form if f.name in AUDIT_FILTER_KEYS and f.data}
    return render_template("workflow/audit.html", events=page.items, form=form, page=page, filter_args=filter_args)


def _audit_query(form: AuditFilterForm):
    """The current user's office's events matching the filter form (the page and its exports)."""
    query = sa.select(AuditEvent).where(AuditEvent.office_id == current_user.office_id)
    if form.action.data:
        query = query.where(AuditEvent.action.like(form.action.data.strip() + "%"))
    if form.username.data:
        query = query.where(AuditEvent.username == form.username.data.strip().lower())
    start, end = _parse_day(form.date_from.data), _parse_day(form.date_to.data)
    if start:
        query = query.where(AuditEvent.created_at >= datetime.combine(start, time.min, tzinfo=timezone.utc))
    if end:
        query = query.where(AuditEvent.created_at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc))
    return query


@bp.route("/audit/ekspor.<fmt>")
@login_required
def audit_export(fmt: str):
    """The office's audit events (the page's filter applied) as CSV or JSON, in chain order.

    Each event carries every field its hash covers, in the canonical form, so an unfiltered export can
    be re-verified on its own (``audit_export.verify_export``)."""
    require("audit.view")
    if fmt not in ("csv", "json"):
        abort(404)
    form = AuditFilterForm(request.args)
    query = _audit_query(form).order_by(AuditEvent.seq)
    filters = {f.name: f.data for f in form if f.name in AUDIT_FILTER_KEYS and f.data}
    office = current_user.office
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    # who took the log out is itself in the log (and in this export: the last event of the chain)
    audit.record("audit.export", office_id=office.id, format=fmt, filters=filters or None)
    db.session.commit()
    events = db.session.scalars(query).yield_per(500)
    if fmt == "json":
        data = audit_export_mod.export_json(events, office, filters)
        mimetype = "application/json"
    else:
        data = audit_export_mod.export_csv(events, office)
        mimetype = "text/csv; charset=utf-8"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="audit-{office.code}-{stamp}.{fmt}"'})


def review_count(user) -> int:
    """What waits for ``user``'s review (the sekcam's queue, or the Camat's: what a sekcam submitted)."""
    if not can(user, "entry.review"):
        return 0
    query = operations.review_queue(user)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def task_count(user) -> int:
    if user.section_id is None:
        return 0
    return db.session.scalar(
        sa.select(sa.func.count(WorkflowEntry.id)).where(
            WorkflowEntry.office_id == user.office_id, WorkflowEntry.section_id == user.section_id,
            WorkflowEntry.state == EntryState.RETURNED)
    ) or 0
