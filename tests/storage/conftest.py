"""Every test under tests/storage runs twice: on the local folder store and on SeaweedFS (real S3)."""
from __future__ import annotations

import pytest

from conftest import storage_config

BACKENDS = ["file", "s3"]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "s3":
        request.getfixturevalue("weed")  # skipped with the reason where SeaweedFS cannot start (failed in CI)
    return request.param


@pytest.fixture
def make_app(make_app, tmp_path, backend):
    """The suite's app factory, with this test's backend for the file store."""

    def factory(**overrides):
        return make_app(**{**storage_config(tmp_path, backend), **overrides})

    return factory


@pytest.fixture
def store(app):
    return app.extensions["iku_storage"]


@pytest.fixture
def other_store_url(backend, tmp_path, request) -> dict:
    """Settings of a store of the *other* backend (the target of a migration)."""
    other = "s3" if backend == "file" else "file"
    if other == "s3":
        request.getfixturevalue("weed")
    return storage_config(tmp_path / "other", other)
