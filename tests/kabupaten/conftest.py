"""Fixtures of the kabupaten tests: its users signed in, and a second kabupaten with an office and a user."""
from __future__ import annotations

import pytest

from conftest import PASSWORD
from iku_workflow.extensions import db


@pytest.fixture
def kab_viewer(client_as):
    """The demo's kabupaten-level reader (Bagian Organisasi), signed in."""
    return client_as("kabupaten")


@pytest.fixture
def kab_admin(client_as):
    """The demo's kabupaten admin, signed in."""
    return client_as("kabadmin")


@pytest.fixture
def bondowoso(app, office):
    """Another kabupaten with one kecamatan (Tegalampel) and its own kabupaten reader ``kab-bondowoso``."""
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
