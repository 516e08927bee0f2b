"""Numbers in addresses and query strings: each has a range, and anything else is a 404 or a 400.

``<int:...>`` in a route is `BoundedInt` (what the database's integer holds: 0..2**31-1): a 20-digit id
is "no such page" (404), never an ``OverflowError`` in the database driver. A ``<int:year>`` is a 404
outside `YEAR_RANGE` (dates of year 10 000 do not exist). `query_int` reads a number from the query
string in a range and answers 400 for anything else ("1e309", "NaN", "-1", 20 digits).
"""
from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

__all__ = ["MAX_ID", "YEAR_RANGE", "BoundedInt", "init_app", "query_int"]

MAX_ID = 2**31 - 1
YEAR_RANGE = (1900, 2999)
_DIGITS = re.compile(r"[0-9]{1,10}")


class BoundedInt(IntegerConverter):
    """Werkzeug's ``int`` with the database's bound: a larger number does not match the route (404)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_int(name: str, default: int | None = None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """The whole number ``name`` of the query string in ``low..high``; ``default`` when absent or empty;
    400 for anything else."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not _DIGITS.fullmatch(text) or not low <= int(text) <= high:
        abort(400)
    return int(text)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: ``int`` in a route becomes `BoundedInt`, and a year is checked."""
    app.url_map.converters["int"] = BoundedInt

    @app.url_value_preprocessor
    def _year_in_range(endpoint, values):
        year = (values or {}).get("year")
        if isinstance(year, int) and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            abort(404)
