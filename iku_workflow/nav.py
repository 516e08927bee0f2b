"""The navigation: capabilities declare their menu entries; each role sees only what it may use."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from flask import url_for

from .access import can
from .capability import registry


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy_gettext string
    endpoint: str
    action: str
    group: str = ""  # "" = top level; otherwise the dropdown's label
    order: int = 50
    values: Mapping[str, object] = field(default_factory=dict)  # arguments of url_for(endpoint)


def items_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"key": item.key, "label": str(item.label), "url": url_for(item.endpoint, **item.values),
             "group": item.group}
            for item in registry().nav if can(user, item.action)]


def badges_for(user) -> Callable[[str], int]:
    cache: dict[str, int] = {}
    badges = registry().badges

    def badge(key: str) -> int:
        if not getattr(user, "is_authenticated", False) or key not in badges:
            return 0
        if key not in cache:
            cache[key] = int(badges[key](user) or 0)
        return cache[key]

    return badge
