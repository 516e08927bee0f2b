"""User-supplied text goes into a spreadsheet as text, never as a formula (OWASP "CSV injection").

A name typed as ``=HYPERLINK("http://…"&A1,"Klik")`` would otherwise be written by openpyxl as a live
formula (it types every string that starts with ``=`` as one), and a CSV cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel and LibreOffice.

- XLSX: ``text_only(workbook)`` just before ``save`` (every string cell typed as a string: the text is
  kept exactly, Excel shows it and never evaluates it), or ``row(ws, values)`` for ``ws.append`` on a
  write-only sheet, which cannot be revisited. The app writes no formulas of its own.
- CSV: ``csv_row(values)`` prefixes such a text with ``'``.

Numbers (int, float, Decimal), dates and empty cells stay what they are.
"""
from __future__ import annotations

from typing import Any, Iterable

#: what makes a spreadsheet program read a CSV cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell) -> None:
    if isinstance(cell.value, str) and cell.data_type != "s":
        cell.data_type = "s"  # "f" (a leading "=") or "e" ("#N/A") become plain text


def text_only(workbook) -> None:
    """Type every string cell of every sheet as a string (a normal, not write-only, workbook)."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _as_text(cell)


def row(ws, values: Iterable[Any]) -> list:
    """``values`` for ``ws.append``: strings as cells typed as text (works on write-only sheets)."""
    from openpyxl.cell import WriteOnlyCell

    from ..domain.text import xml_safe

    sheet = getattr(ws, "_sheet", ws)  # the worksheet itself when wrapped in domain.text.SafeSheet
    out = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=xml_safe(value))
            _as_text(cell)
            out.append(cell)
        else:
            out.append(value)
    return out


def csv_safe(value: Any) -> Any:
    """A text a spreadsheet would run as a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list:
    return [csv_safe(v) for v in values]
