"""Whether an office's IKU year is locked (its decree is final): no indicator or target edits then.

Capabilities append checks to ``LOCK_CHECKS`` (the decree appends "a final decree exists for this
office and year"); the year is locked when any check says so.
"""
from __future__ import annotations

from typing import Callable

from flask_babel import gettext as _

LOCK_CHECKS: list[Callable[[int, int], bool]] = []

def locked_message(year: int) -> str:
    return _("IKU tahun %(year)s sudah ditetapkan dengan keputusan final dan tidak dapat diubah. "
             "Salin ke tahun berikutnya atau batalkan finalisasi keputusan terlebih dahulu.", year=year)


class YearLocked(Exception):
    """Refused: the year is locked. ``str(exc)`` is the Indonesian message."""


def is_year_locked(office_id: int, year: int) -> bool:
    return any(check(office_id, year) for check in LOCK_CHECKS)


def ensure_unlocked(office_id: int, year: int) -> None:
    """Raise YearLocked when the office's year may no longer be edited."""
    if is_year_locked(office_id, year):
        raise YearLocked(locked_message(year))
