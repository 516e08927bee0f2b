"""Create offices with their standard sections, and the demo office with one user per role.

Every function here is idempotent: running it again changes nothing that exists already.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Collection

import sqlalchemy as sa

from ..capability import registry
from ..extensions import db
from ..models import Kabupaten, Office, Role, User
from ..security import check_password_policy, hash_password
from . import gumukmas_2025 as g

DEMO_USERS = [
    ("admin", "Admin Kecamatan Gumukmas", Role.ADMIN, None),
    ("camat", g.OFFICE["camat_name"], Role.CAMAT, None),
    ("sekcam", "Sekretaris Camat Gumukmas", Role.SEKCAM, "sekretariat"),
    # Prepares the Sekretariat's own evidence (LAKIP, Anjab; IKU 5 SAKIP score, IKU 6 program
    # indicators). The sekcam reviews it, and nobody approves what they submitted themselves.
    ("sekretariat", "Operator Sekretariat", Role.SEKSI, "sekretariat"),
    ("pemerintahan", "Operator Seksi Pemerintahan", Role.SEKSI, "pemerintahan"),
    ("pelayanan", "Operator Seksi Pelayanan Umum", Role.SEKSI, "pelayanan"),
    ("pmks", "Operator Seksi PMKS", Role.SEKSI, "pmks"),
    ("trantib", "Operator Seksi Trantib", Role.SEKSI, "trantib"),
]


class SeedError(ValueError):
    pass


def ensure_standard_sections(office: Office) -> int:
    """Add the kabupaten template's sections the office lacks; return how many were added."""
    from ..kabupaten.defaults import ensure_section_template
    from ..kabupaten.standard import apply_sections

    ensure_section_template(office.kabupaten_record)
    return apply_sections(office)


def create_office(code: str, name: str, kabupaten: "str | Kabupaten", *, years: Collection[int] = (),
                  user: User | None = None, **fields) -> Office:
    """An office of ``kabupaten`` (a record, code or name) with the template's sections.

    For each of ``years`` it copies the kabupaten's standard sets (IKU, tujuan, required documents), as
    `iku-workflow office create` and the kabupaten admin's form do; tests leave ``years`` empty.
    """
    from ..kabupaten.defaults import kabupaten_for
    from ..kabupaten.standard import apply_standard

    code = code.strip().lower()
    if db.session.scalar(sa.select(Office).where(Office.code == code)) is not None:
        raise SeedError(f"Kantor dengan kode '{code}' sudah ada.")
    kab = kabupaten_for(kabupaten)
    office = Office(code=code, name=name.strip(), kabupaten_id=kab.id, **fields)
    office.kabupaten_record = kab
    db.session.add(office)
    db.session.flush()
    ensure_standard_sections(office)
    for year in sorted(set(years)):
        apply_standard(office, year, user)
    db.session.flush()
    return office


def demo_years() -> list[int]:
    return sorted({2025, date.today().year})


def seed_demo(password: str, echo: Callable[[str], None] = print, without: Collection[str] = ()) -> Office:
    """Create (or complete) the demo office Kecamatan Gumukmas and its demo users.

    ``without`` names capabilities whose demo data is left out (a test of the survey starts from no survey).
    """
    from ..kabupaten.defaults import JEMBER, ensure_default_year, ensure_kabupaten

    check_password_policy(password)
    jember = ensure_kabupaten(*JEMBER)
    for year in demo_years():
        ensure_default_year(jember, year)
    office = db.session.scalar(sa.select(Office).where(Office.code == g.OFFICE["code"]))
    if office is None:
        fields = {k: v for k, v in g.OFFICE.items() if k not in {"code", "name", "kabupaten"}}
        office = create_office(g.OFFICE["code"], g.OFFICE["name"], jember, **fields)
        echo(f"Kantor {office.full_name} dibuat dengan {len(office.sections)} seksi.")
    else:
        added = ensure_standard_sections(office)
        echo(f"Kantor {office.full_name} sudah ada" + (f"; {added} seksi ditambahkan." if added else "."))
    db.session.flush()
    sections = {s.code: s for s in office.sections}
    password_hash = None
    created = []
    for username, full_name, role, section_code in DEMO_USERS:
        if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
            continue
        password_hash = password_hash or hash_password(password)
        db.session.add(
            User(
                office_id=office.id,
                username=username,
                full_name=full_name,
                role=role,
                section_id=sections[section_code].id if section_code else None,
                nip=g.OFFICE["camat_nip"] if role is Role.CAMAT else None,
                password_hash=password_hash,
            )
        )
        created.append(username)
    db.session.flush()
    echo(f"Pengguna demo dibuat: {', '.join(created)}." if created else "Pengguna demo sudah ada.")
    for capability in registry().capabilities:  # each installed capability's own demo data, in the list's order
        if capability.name in without:
            continue
        for seeder in capability.seeders:
            seeder(office, echo)
    return office
