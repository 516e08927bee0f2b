"""A second kabupaten for tests outside tests/kabupaten (its conftest has the same as a fixture)."""
from __future__ import annotations

from conftest import PASSWORD
from iku_workflow.extensions import db


def other_kabupaten():
    """Kabupaten Bondowoso with Kecamatan Tegalampel (IKU of 2025) and its reader ``kab-bondowoso``."""
    from iku_workflow.kabupaten.defaults import ensure_kabupaten
    from iku_workflow.kabupaten.offices import setup_office
    from iku_workflow.models import Role, User
    from iku_workflow.security import hash_password

    kab = ensure_kabupaten("bondowoso", "Bondowoso")
    office, _ = setup_office(code="tegalampel", name="Tegalampel", kabupaten=kab, years=[2025])
    db.session.add(User(kabupaten_id=kab.id, office_id=None, username="kab-bondowoso", full_name="Bappeda Bondowoso",
                        role=Role.KABUPATEN, password_hash=hash_password(PASSWORD)))
    db.session.add(User(office_id=office.id, username="admin-tegalampel", full_name="Admin Tegalampel",
                        role=Role.ADMIN, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    return kab
