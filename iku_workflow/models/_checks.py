"""CHECK constraints written from the domain's own lists, bounds and enums, never retyped by hand.

As indico builds its abstract-state constraints from ``AbstractState``: a code list, an enum or a
field declaration of ``domain`` is the one source, and the constraint text follows it. The SQL these
helpers write is what the migrations created (tests/test_migrations.py compares the stored CHECK
constraints of `db upgrade` with create_all's on SQLite and PostgreSQL), so changing a list here without
a new revision fails that test.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable

import sqlalchemy as sa

__all__ = ["between_check", "in_list_check", "sql_list", "sql_literal"]


def sql_literal(value) -> str:
    """A value as an SQL literal: ``'text'`` (quotes doubled; an enum member by its value) or a number."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"only text and whole numbers go into a CHECK constraint, not {value!r}")
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _values(values) -> list:
    """The values of an enum class, of (code, label) pairs, or of plain values, in their order."""
    if isinstance(values, type) and issubclass(values, enum.Enum):
        return [member.value for member in values]
    return [v[0] if isinstance(v, tuple) else v for v in values]


def sql_list(values: Iterable, separator: str = ", ") -> str:
    """``('a', 'b')`` for a CHECK constraint's IN: from an enum class, (code, label) pairs or values."""
    items = _values(values)
    if not items:
        raise ValueError("an IN list needs at least one value")
    return "(" + separator.join(sql_literal(v) for v in items) + ")"


def in_list_check(column: str, values, *, name: str | None = None, separator: str = ", ") -> sa.CheckConstraint:
    """``<column> IN (...)`` named ``<column>_known`` (``ck_<table>_<column>_known`` by the naming
    convention). ``separator`` only reproduces the spacing an existing revision wrote (SQLite keeps the
    constraint's text as written)."""
    return sa.CheckConstraint(f"{column} IN {sql_list(values, separator)}", name=name or f"{column}_known")


def between_check(column: str, low: int, high: int, *, name: str | None = None) -> sa.CheckConstraint:
    """``<column> BETWEEN low AND high`` named ``<column>_range``; ``low``/``high`` may be read from a
    field declaration (``between_check(USIA.name, USIA.low, USIA.high)``)."""
    return sa.CheckConstraint(f"{column} BETWEEN {sql_literal(low)} AND {sql_literal(high)}",
                              name=name or f"{column}_range")
