"""Every indicator's ``measure`` must name a measure that an installed capability declares.

A mistyped key (``ratio:kegiatan`` for ``ratio:activities``) used to show "belum tersedia" on the
dashboard without anyone noticing. It is refused at three points:

- ``install`` refuses a capability list in which a capability relies on a measure none declares (the
  indicators capability relies on the keys of the IKU it seeds, ``seed_data.MEASURES``);
- at start-up, :func:`check_indicator_measures` refuses a database holding an indicator whose key is
  not declared: ``create_app`` runs it once the tables exist (the WSGI server's start), and
  ``iku-workflow run`` runs it after migrating (the CLI's other commands skip it, so that a migration
  or a repair can still run);
- on edit, the IKU form offers only the declared keys and ``operations.update_indicator`` refuses others.
"""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from flask import Flask

from ..capability import registry
from ..extensions import db
from ..models import Indicator, Office

SHOWN = 20  # rows named in the message; the rest are counted


class UndeclaredMeasure(RuntimeError):
    """Indicators in the database name measures no installed capability declares; the message lists them."""


def undeclared_rows(declared: Iterable[str]) -> list[tuple[str, int, int, str]]:
    """(office code, year, IKU number, key) of every indicator whose key is not in ``declared``."""
    return [tuple(row) for row in db.session.execute(
        sa.select(Office.code, Indicator.year, Indicator.number, Indicator.measure)
        .join(Office, Office.id == Indicator.office_id)
        .where(Indicator.measure.not_in(sorted(declared)))
        .order_by(Office.code, Indicator.year, Indicator.number))]


def message(rows: list[tuple[str, int, int, str]], declared: Iterable[str]) -> str:
    named = "; ".join(f"kantor {code} tahun {year} IKU {number}: '{key}'" for code, year, number, key in rows[:SHOWN])
    more = f" (dan {len(rows) - SHOWN} lainnya)" if len(rows) > SHOWN else ""
    return (f"Aplikasi tidak dijalankan: {len(rows)} indikator memakai cara pengukuran yang tidak dideklarasikan "
            f"kapabilitas mana pun — {named}{more}. Cara pengukuran yang terpasang: {', '.join(sorted(declared))}. "
            f"Perbaiki kolom indicators.measure atau pasang kapabilitas yang mendeklarasikannya.")


def check_indicator_measures(app: Flask) -> None:
    """Raise :class:`UndeclaredMeasure` when an indicator names an undeclared measure (no table yet: nothing)."""
    with app.app_context():
        try:
            if not sa.inspect(db.engine).has_table(Indicator.__tablename__):
                return
            declared = set(registry(app).measures)
            rows = undeclared_rows(declared)
        finally:
            db.session.remove()
            # A WSGI server may fork after create_app: no connection opened here is shared with a worker.
            db.engine.dispose()
    if rows:
        raise UndeclaredMeasure(message(rows, declared))
