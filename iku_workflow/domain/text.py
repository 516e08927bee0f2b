"""Characters a text may hold: what a form refuses (control characters) and what a document drops.

A NUL byte or another control character typed into a field is refused at input (`control_characters`);
only a multi-line field keeps tab, line feed and carriage return. What was stored before that check
(or arrives from an import) is made safe where documents are written: `xml_safe` drops every character
XML 1.0 cannot hold, which is also what openpyxl refuses (``IllegalCharacterError``) and what python-docx's
XML writer refuses (``ValueError``).
"""
from __future__ import annotations

import re

__all__ = ["SafeSheet", "control_characters", "xml_safe", "xml_safe_row"]

#: C0 controls, DEL, C1 controls, lone surrogates (not encodable as UTF-8) and the two non-characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MULTILINE_ALLOWED = frozenset("\t\n\r")

#: What XML 1.0 cannot hold at all (openpyxl's ILLEGAL_CHARACTERS_RE is a part of it).
_XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_characters(text: str, multiline: bool = False) -> list[str]:
    """The control characters of ``text`` a field refuses (tab and line breaks are kept in a multi-line field)."""
    found = _CONTROL.findall(text or "")
    if multiline:
        found = [ch for ch in found if ch not in _MULTILINE_ALLOWED]
    return found


def xml_safe(value):
    """``value`` without the characters XML 1.0 cannot hold; anything that is not a ``str`` is returned as is."""
    if isinstance(value, str) and _XML_ILLEGAL.search(value):
        return _XML_ILLEGAL.sub("", value)
    return value


def xml_safe_row(values) -> list:
    """A sheet row with every text `xml_safe` (openpyxl refuses a control character with IllegalCharacterError)."""
    return [xml_safe(value) for value in values]


class SafeSheet:
    """An openpyxl worksheet whose ``append`` and ``cell(value=...)`` write `xml_safe` text; everything else
    is the worksheet's own. Every sheet the app writes is wrapped in it, so a control character stored
    before input refused them cannot stop an export (``IllegalCharacterError``)."""

    def __init__(self, sheet):
        object.__setattr__(self, "_sheet", sheet)

    def append(self, values):
        return self._sheet.append(xml_safe_row(values))

    def cell(self, row, column, value=None):
        return self._sheet.cell(row=row, column=column, value=xml_safe(value))

    def __getitem__(self, key):
        return self._sheet[key]

    def __iter__(self):
        return iter(self._sheet)

    def __getattr__(self, name):
        return getattr(self._sheet, name)

    def __setattr__(self, name, value):
        setattr(self._sheet, name, value)
