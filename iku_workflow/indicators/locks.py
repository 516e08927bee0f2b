"""Whether an office's IKU year is locked (its decree is final): no indicator or target edits then.

Capabilities declare year locks (``Capability.year_locks``; the decree declares "a final decree exists
for this office and year"); the year is locked when any installed lock says so.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..capability import registry


def locked_message(year: int) -> str:
    return _("IKU tahun %(year)s sudah ditetapkan dengan keputusan final dan tidak dapat diubah. Keputusan "
             "yang sudah ditandatangani tidak dibatalkan: untuk mengubah IKU tahun ini diperlukan keputusan "
             "perubahan (SK perubahan); atau salin IKU ke tahun berikutnya.", year=year)


class YearLocked(Exception):
    """Refused: the year is locked. ``str(exc)`` is the Indonesian message."""


def is_year_locked(office_id: int, year: int) -> bool:
    return any(check(office_id, year) for check in registry().year_locks)


def ensure_unlocked(office_id: int, year: int) -> None:
    """Raise YearLocked when the office's year may no longer be edited."""
    if is_year_locked(office_id, year):
        raise YearLocked(locked_message(year))
