"""Demo data of the kabupaten: two kabupaten-level users and a second kecamatan, Kencong.

Kencong (a kecamatan of Kabupaten Jember, beside Gumukmas) is set up by ``offices.setup_office``, the
same path `iku-workflow office create` and the kabupaten admin's form take, so the console shows more
than one office. The demo users share the demo password (the hash of the demo office's users).
"""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa

from ..extensions import db
from ..models import Office, Role, User

KABUPATEN_USERS = [
    ("kabupaten", "Bagian Organisasi Setda Jember", Role.KABUPATEN),
    ("kabadmin", "Admin Kabupaten Jember", Role.KABUPATEN_ADMIN),
]
SECOND_OFFICE = dict(code="kencong", name="Kencong", address="Jalan Krakatau No. 1, Kencong",
                     camat_name="Camat Kencong (contoh)")
SECOND_OFFICE_USERS = [
    ("admin.kencong", "Admin Kecamatan Kencong", Role.ADMIN, None),
    ("sekcam.kencong", "Sekretaris Camat Kencong", Role.SEKCAM, "sekretariat"),
]


def seed_kabupaten_demo(office: Office, echo: Callable[[str], None]) -> None:
    from ..seed.demo import demo_years
    from .offices import setup_office

    password_hash = db.session.scalar(sa.select(User.password_hash).where(User.office_id == office.id)
                                      .order_by(User.id).limit(1))
    if password_hash is None:
        return
    kab = office.kabupaten_record
    for username, full_name, role in KABUPATEN_USERS:
        if db.session.scalar(sa.select(User.id).where(User.username == username)) is None:
            db.session.add(User(kabupaten_id=kab.id, office_id=None, username=username, full_name=full_name,
                                role=role, password_hash=password_hash))
            echo(f"Pengguna {username} ({role.label}) dibuat di {kab.full_name}.")
    second = db.session.scalar(sa.select(Office).where(Office.code == SECOND_OFFICE["code"]))
    if second is None:
        second, _counts = setup_office(kabupaten=kab, years=demo_years(), **SECOND_OFFICE)
        echo(f"Kantor {second.full_name} dibuat dari standar {kab.full_name}.")
    sections = {s.code: s for s in second.sections}
    for username, full_name, role, section in SECOND_OFFICE_USERS:
        if db.session.scalar(sa.select(User.id).where(User.username == username)) is None:
            db.session.add(User(office_id=second.id, username=username, full_name=full_name, role=role,
                                section_id=sections[section].id if section else None, password_hash=password_hash))
    db.session.flush()
