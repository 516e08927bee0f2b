"""The navigation: each capability registers its menu entries; each role sees only what it may use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app, url_for

from .access import can


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy_gettext string
    endpoint: str
    action: str
    group: str = ""  # "" = top level; otherwise the dropdown's label
    order: int = 50


_ITEMS: list[NavItem] = []
_BADGES: dict[str, Callable] = {}


def add(item: NavItem) -> None:
    if all(existing.key != item.key for existing in _ITEMS):
        _ITEMS.append(item)


def add_badge(key: str, counter: Callable) -> None:
    """Register ``counter(user) -> int`` shown next to the menu entry ``key``."""
    _BADGES[key] = counter


def items_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.key)):
        if item.endpoint not in current_app.view_functions or not can(user, item.action):
            continue
        out.append({"key": item.key, "label": str(item.label), "url": url_for(item.endpoint), "group": item.group})
    return out


def badges_for(user) -> Callable[[str], int]:
    cache: dict[str, int] = {}

    def badge(key: str) -> int:
        if not getattr(user, "is_authenticated", False) or key not in _BADGES:
            return 0
        if key not in cache:
            cache[key] = int(_BADGES[key](user) or 0)
        return cache[key]

    return badge
