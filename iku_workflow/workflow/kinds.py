"""Which things go through the workflow: each capability declares its kinds (``Capability.workflow_kinds``).

A kind says how to show an entry (label, the URL of the thing itself) and may react to transitions
(e.g. a survey result set that becomes the approved IKM) or refuse them (a document without a file).
The kinds of the current app are read from its registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for

from ..capability import registry
from ..models import WorkflowEntry


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # a lazy_gettext string
    url: Callable[[WorkflowEntry], str]
    # called as hook(entry, action, user) after a transition has been applied (same transaction)
    hooks: tuple[Callable, ...] = ()
    # called as guard(entry, action, user) before a transition; a returned text refuses it (the reason)
    guards: tuple[Callable, ...] = ()
    # set when entries of this kind are not submitted with the generic "Ajukan" step but by the kind's own
    # operation (an SKM result: by closing its period); the text says so when the generic step is tried
    own_submit: str | None = None


def all_kinds() -> list[Kind]:
    return list(registry().kinds.values())


def _kind(entry: WorkflowEntry) -> Kind | None:
    return registry().kinds.get(entry.kind)


def submit_elsewhere(entry: WorkflowEntry) -> str | None:
    """Why ``entry`` is not submitted with the generic step (None: it is)."""
    kind = _kind(entry)
    return kind.own_submit if kind else None


def refusal(entry: WorkflowEntry, action, user) -> str | None:
    kind = _kind(entry)
    for check in kind.guards if kind else ():
        reason = check(entry, action, user)
        if reason:
            return reason
    return None


def after_transition(entry: WorkflowEntry, action, user) -> None:
    """Run the kind's hooks once a transition has been applied."""
    kind = _kind(entry)
    for hook in kind.hooks if kind else ():
        hook(entry, action, user)


def label_of(entry: WorkflowEntry) -> str:
    kind = _kind(entry)
    return kind.label if kind else entry.kind


def url_of(entry: WorkflowEntry) -> str:
    kind = _kind(entry)
    return kind.url(entry) if kind else url_for("workflow.entry", entry_id=entry.id)
