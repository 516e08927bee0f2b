"""The approval workflow shared by every reviewable entry: operations, kinds, review pages."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("workflow", __name__)

from . import board, views  # noqa: E402,F401  (routes)
from ..capability import Capability  # noqa: E402
from ..nav import NavItem  # noqa: E402
from .notify import unread_count  # noqa: E402
from .cli import reminders_group  # noqa: E402

CAPABILITY = Capability(
    name="workflow",
    blueprints=(bp,),
    cli_groups=(reminders_group,),
    nav=(
        NavItem("workflow.queue", _l("Tinjauan"), "workflow.queue", "entry.review", order=10),
        NavItem("workflow.tasks", _l("Tugas seksi"), "workflow.tasks", "entry.submit", order=11),
        NavItem("workflow.notifications", _l("Notifikasi"), "workflow.notifications", "entry.view", order=80),
        NavItem("workflow.audit", _l("Log audit"), "workflow.audit_log", "audit.view", group=_l("Admin"), order=95),
    ),
    badges={"workflow.queue": views.review_count, "workflow.tasks": views.task_count,
            "workflow.notifications": unread_count},
)
