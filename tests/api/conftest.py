"""Fixtures of the API tests: tokens of the demo users, and a client that sends one."""
from __future__ import annotations

import pytest

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import ApiToken


def issue(username: str, name: str = "uji") -> str:
    """A new token of the user, committed; its secret."""
    _token, secret = ApiToken.issue(get_user(username), name)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def secret(office) -> str:
    """A token of the demo office's sekcam."""
    return issue("sekcam")


@pytest.fixture
def api(app, secret):
    """``api(path)``: GET with the sekcam's token."""
    client = app.test_client()

    def get(path: str, **kwargs):
        return client.get(path, headers=bearer(secret), **kwargs)

    return get
