"""Which things go through the workflow: each capability registers its kind once.

A kind says how to show an entry (label, the URL of the thing itself) and may react to transitions
(e.g. a survey result set that becomes the approved IKM).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..models import WorkflowEntry


@dataclass
class Kind:
    code: str
    label: str
    url: Callable[[WorkflowEntry], str]
    # called as hook(entry, action, user) after a transition has been applied (same transaction)
    hooks: list[Callable] = field(default_factory=list)
    # called as guard(entry, action, user) before a transition; a returned text refuses it (the reason)
    guards: list[Callable] = field(default_factory=list)
    # set when entries of this kind are not submitted with the generic "Ajukan" step but by the kind's own
    # operation (an SKM result: by closing its period); the text says so when the generic step is tried
    own_submit: str | None = None


KINDS: dict[str, Kind] = {}


def register(code: str, label: str, url: Callable[[WorkflowEntry], str]) -> Kind:
    kind = KINDS.get(code)
    if kind is None:
        kind = KINDS[code] = Kind(code, label, url)
    return kind


def on_transition(code: str, hook: Callable) -> None:
    KINDS[code].hooks.append(hook)


def guard(code: str, check: Callable) -> None:
    """Refuse a transition of ``code`` entries when ``check(entry, action, user)`` returns a reason."""
    if check not in KINDS[code].guards:
        KINDS[code].guards.append(check)


def submit_elsewhere(entry: WorkflowEntry) -> str | None:
    """Why ``entry`` is not submitted with the generic step (None: it is)."""
    kind = KINDS.get(entry.kind)
    return kind.own_submit if kind else None


def refusal(entry: WorkflowEntry, action, user) -> str | None:
    kind = KINDS.get(entry.kind)
    for check in kind.guards if kind else ():
        reason = check(entry, action, user)
        if reason:
            return reason
    return None


def label_of(entry: WorkflowEntry) -> str:
    kind = KINDS.get(entry.kind)
    return kind.label if kind else entry.kind


def url_of(entry: WorkflowEntry) -> str:
    from flask import url_for

    kind = KINDS.get(entry.kind)
    return kind.url(entry) if kind else url_for("workflow.entry", entry_id=entry.id)
