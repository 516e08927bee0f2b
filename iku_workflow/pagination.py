"""One page of a list that can grow: every list past 50 rows (queue, tasks, notifications, audit, users,
registers, SKM responses) goes through `paginate`, and its page links through
``templates/macros/pagination.html``.

The page number comes from ``?hal=`` (`query_int`: 400 for anything that is not a whole number in range);
a page past the end shows the last page. The total is counted once, so a page can say "1–50 dari 63".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sqlalchemy as sa

from .extensions import db
from .url_params import query_int

__all__ = ["PER_PAGE", "Page", "paginate"]

PER_PAGE = 50
MAX_PAGE = 10**6


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    page: int  # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        """1-based position of the first item shown (0 for an empty list)."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(query: sa.Select, *, per_page: int = PER_PAGE, page: int | None = None, scalars: bool = True) -> Page:
    """The requested page of ``query`` (already ordered) and the number of rows it has in all.

    ``scalars`` gives model objects (``session.scalars``); ``False`` gives rows (``session.execute``).
    """
    if page is None:
        page = query_int("hal", 1, high=MAX_PAGE)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    limited = query.offset((page - 1) * per_page).limit(per_page)
    items = db.session.scalars(limited).all() if scalars else db.session.execute(limited).all()
    return Page(items=items, page=page, per_page=per_page, total=total)
