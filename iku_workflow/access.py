"""Authorisation in one place: may this user do this action on this object?

Every view that loads an object by id goes through :func:`load_or_404` (office scoping) and
:func:`require` (the action check). Rules are data: ``RULES[action]`` names the roles allowed; objects
that belong to a section add the "own section" rule for operators.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from .extensions import db
from .models import KABUPATEN_ROLES, Role, User

T = TypeVar("T")

A, C, S, K, V = Role.ADMIN, Role.CAMAT, Role.SEKCAM, Role.SEKSI, Role.VIEWER
KB, KA = Role.KABUPATEN, Role.KABUPATEN_ADMIN  # kabupaten users: no office, every office of their kabupaten

# action -> roles allowed (before object checks)
RULES: dict[str, frozenset[Role]] = {
    "admin.manage": frozenset({A}),
    "office.edit": frozenset({A}),
    # the office's desa list (Admin → Desa): add, rename, deactivate
    "desa.manage": frozenset({A}),
    "audit.view": frozenset({A, S}),
    "dashboard.view": frozenset({A, C, S, K, V}),
    # the dashboard's count of entries waiting for review (the sekcam reviews; camat and admin follow it)
    "dashboard.pending": frozenset({A, C, S}),
    # the office board: every section's items with state and lateness (the sekcam and the Camat follow it)
    "board.view": frozenset({A, C, S}),
    "entry.view": frozenset({A, C, S, K, V}),
    "entry.edit": frozenset({K}),  # operators edit drafts/returned entries of their own section
    "entry.submit": frozenset({K}),
    # approve / return: the sekcam reviews what the sections (and the admin) submit; what a sekcam
    # submitted (e.g. an SKM result the sekcam closed) goes to the Camat (``_reviews`` below)
    "entry.review": frozenset({S, C}),
    "entry.reopen": frozenset({S}),
    # Removing a mistaken register row (draft/returned only, checked by the operation): the owning
    # section's operators and the sekcam who reviews it.
    "register.delete": frozenset({K, S}),
    "requirements.manage": frozenset({A, S}),
    "indicators.manage": frozenset({A, S}),
    "targets.manage": frozenset({S}),
    "survey.manage": frozenset({A, S}),
    "survey.enter": frozenset({K, S}),  # also: list and correct the responses of a period
    # closing a period submits its result: the section that runs the survey, or the sekcam/admin
    "survey.close": frozenset({A, S, K}),
    # correcting or deleting one response: sekcam any, operators their own section's (below)
    "survey.response_edit": frozenset({K, S}),
    "survey.response_delete": frozenset({K, S}),
    "decree.view": frozenset({A, C, S, V}),
    "survey.view": frozenset({A, C, S, K, V}),
    # counter tablets (kiosk links) of a period: the sekcam, or an operator of the section running it
    "survey.kiosk": frozenset({S, K}),
    # the rencana tindak lanjut of a period's weakest unsur: the sekcam enters it and marks it done
    "survey.followup": frozenset({S}),
    "decree.manage": frozenset({A, S}),
    "decree.finalize": frozenset({C, S}),
    "reports.view": frozenset({A, C, S, K, V}),
    # the Perjanjian Kinerja: every office user reads it; the sekcam (and admin) drafts it; the Camat or the
    # sekcam makes it final with the signed scan
    "pk.view": frozenset({A, C, S, K, V}),
    "pk.manage": frozenset({A, S}),
    "pk.finalize": frozenset({C, S}),
    # the Rencana Aksi: everyone reads it; the sekcam (and admin) plans the triwulan targets and actions; the
    # responsible section writes each triwulan's monitoring notes (the workflow checks the section)
    "renaksi.view": frozenset({A, C, S, K, V}),
    "renaksi.manage": frozenset({A, S}),
    "renaksi.note": frozenset({K}),
    # the LKjIP's Bab III page and its Word draft
    "lkjip.view": frozenset({A, C, S, K, V}),
    # the figures entered for it: earlier years' (with their source) and the Renstra's end targets
    "lkjip.manage": frozenset({S}),
    # the factors (pendukung, penghambat, upaya) of an indicator: an operator of one of its sections
    # (the view also checks the section); reviewed as workflow entries
    "lkjip.factors": frozenset({K}),
    # attaching the approved LKjIP to the year's "Dokumen LAKIP": the operator of that document's section
    # (the documents' own rule, ensure_editable, decides)
    "lkjip.attach": frozenset({K}),
    # the office-year's programs with pagu and realisasi anggaran (PK table 2, LKjIP serapan)
    "programs.manage": frozenset({S}),
    # the kabupaten console and the offices' pages read-only (Bagian Organisasi, Inspektorat, Bappeda)
    "kabupaten.view": frozenset({KB, KA}),
    # offices, standard sets, the jadwal and the offices' users
    "kabupaten.manage": frozenset({KA}),
}


def _corrects_response(user: User, response: Any) -> bool:
    """Sekcam corrects or removes any response; an operator only those their section typed or imported
    (never public ones, never another section's).

    The office is checked before this rule: a response answers ``office_id`` through its period.
    """
    if user.role is S:
        return True
    if response.entered_by_id is None:
        return False
    if response.entered_by_id == user.id:
        return True
    entered_by = db.session.get(User, response.entered_by_id)
    return (entered_by is not None and entered_by.section_id is not None
            and entered_by.section_id == user.section_id)


def _reviews(user: User, entry: Any) -> bool:
    """Who reviews an entry depends on who submitted it: the Camat what a sekcam submitted, the sekcam
    everything else. Nobody reviews their own submission (operations adds the message)."""
    submitter = getattr(entry, "submitter", None)
    if submitter is not None and submitter.id == user.id:
        return False
    by_sekcam = submitter is not None and submitter.role is S
    return user.role is (C if by_sekcam else S)


# Extra object checks: (user, obj) -> bool, keyed by action.
OBJECT_RULES: dict[str, Callable[[User, Any], bool]] = {
    "survey.response_edit": _corrects_response,
    "survey.response_delete": _corrects_response,
    "entry.review": _reviews,
}


def _same_office(user: User, obj: Any) -> bool:
    if user.role in KABUPATEN_ROLES:
        return _same_kabupaten(user, obj)
    office_id = getattr(obj, "office_id", None)
    return office_id is None or office_id == user.office_id


def _same_kabupaten(user: User, obj: Any) -> bool:
    """A kabupaten user reaches the kabupaten's own records and its offices' (never another kabupaten's)."""
    from .models import Office

    kabupaten_id = getattr(obj, "kabupaten_id", None)
    if kabupaten_id is None and getattr(obj, "office_id", None) is not None:
        office = db.session.get(Office, obj.office_id)
        kabupaten_id = office.kabupaten_id if office is not None else None
    return kabupaten_id is not None and kabupaten_id == user.kabupaten_id


def _own_section(user: User, obj: Any) -> bool:
    section_id = getattr(obj, "section_id", None)
    return section_id is not None and section_id == user.section_id


def can(user: User | None, action: str, obj: Any = None) -> bool:
    """Answer whether ``user`` may do ``action`` (on ``obj``, when given)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if user.role not in allowed:
        return False
    if obj is None:
        return True
    if not _same_office(user, obj):
        return False
    if user.role is Role.SEKSI and action in {"entry.edit", "entry.submit", "register.delete", "survey.enter",
                                              "survey.close", "survey.kiosk"}:
        if action == "survey.enter" and getattr(obj, "section_id", None) is None:
            return True
        if not _own_section(user, obj):
            return False
    extra = OBJECT_RULES.get(action)
    return extra(user, obj) if extra else True


def require(action: str, obj: Any = None) -> None:
    """Abort with 403 unless the current user may do ``action``."""
    if not can(current_user, action, obj):
        abort(403)


def scoped(model: type[T]) -> sa.Select:
    """A SELECT of ``model`` limited to the current user's office."""
    return sa.select(model).where(model.office_id == current_user.office_id)  # type: ignore[attr-defined]


def kabupaten_office_or_404(code: str):
    """An office of the current kabupaten user's kabupaten by code, or 404 (never another kabupaten's)."""
    from .models import Office

    office = db.session.scalar(sa.select(Office).where(Office.code == (code or "").strip().lower()))
    if office is None or office.kabupaten_id != getattr(current_user, "kabupaten_id", None):
        abort(404)
    return office


def load_or_404(model: type[T], object_id: int, *, office_attr: str = "office_id") -> T:
    """Load an object by id for the current user's office, or 404 (never reveal other offices)."""
    obj = db.session.get(model, object_id)
    if obj is None or getattr(obj, office_attr) != current_user.office_id:
        abort(404)
    return obj
