"""Fixtures of the kabupaten tests: its users signed in, and a second kabupaten with an office and a user."""
from __future__ import annotations

import pytest



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
    from tests_kabupaten_helpers import other_kabupaten

    return other_kabupaten()
