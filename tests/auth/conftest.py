"""Fixtures of the sign-in tests."""
import pytest


@pytest.fixture
def limited_app(make_app, office):
    # The limiter is one object shared by every app of the process: the app created last decides
    # whether it is on, so this one must be created after `office` (whose `app` has it off).
    return make_app(RATELIMIT_ENABLED=True, IKU_LOGIN_LIMIT="3 per minute")
