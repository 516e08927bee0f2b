"""The SeaweedFS helper behind the S3 tests says why when it cannot give a server."""
from __future__ import annotations

import pytest

import weed_server
from weed_server import WeedServer, WeedUnavailable


def test_a_missing_binary_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("IKU_WEED_BINARY", str(tmp_path / "no-weed-here"))
    with pytest.raises(WeedUnavailable, match="not installed"):
        WeedServer.start(tmp_path / "w")


def test_a_binary_that_does_not_start_is_reported_with_its_exit(tmp_path, monkeypatch):
    fake = tmp_path / "weed"
    fake.write_text("#!/bin/sh\necho 'bind: address already in use' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("IKU_WEED_BINARY", str(fake))
    with pytest.raises(WeedUnavailable, match=r"exited with 3: .*address already in use"):
        WeedServer.start(tmp_path / "w", timeout=20)


def test_free_ports_are_distinct():
    ports = weed_server._free_ports(8)
    assert len(set(ports)) == 8 and all(1024 < p < 65536 for p in ports)
