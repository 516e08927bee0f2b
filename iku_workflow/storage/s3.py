"""Files in an S3-compatible object store (AWS S3, SeaweedFS, MinIO, Ceph …) through boto3.

``s3://bucket/prefix`` names the bucket and a key prefix; IKU_S3_ENDPOINT_URL, IKU_S3_ACCESS_KEY,
IKU_S3_SECRET_KEY (and IKU_S3_REGION) say where and as whom. Uploads go through boto3's transfer
manager (``upload_fileobj``: one request for a small file, a multipart upload above 8 MB), reading
the stream once, in order, while it is hashed; downloads stream with ``StreamingBody.iter_chunks``.
An object appears only when its upload completes, so a reader never sees half a file.
"""
from __future__ import annotations

import hashlib
import threading
from typing import Any, BinaryIO, Iterator

from .base import CHUNK, Download, FileMissing, HashingReader, Store, StoreError, Stored, check_key

_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()
_MISSING = {"404", "NoSuchKey", "NotFound"}


def s3_client(endpoint_url: str | None, access_key: str | None, secret_key: str | None, region: str | None):
    """A boto3 S3 client, one per set of settings for the process (clients are thread-safe and costly
    to build: each loads botocore's service description)."""
    settings = (endpoint_url or None, access_key or None, secret_key or None, region or "us-east-1")
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                signature_version="s3v4",
                # path-style URLs: S3-compatible servers rarely have a DNS name per bucket
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                retries={"max_attempts": 4, "mode": "standard"},
                connect_timeout=10, read_timeout=60,
                # only the checksums S3 itself requires: the newer default trailers are refused by
                # several S3-compatible servers
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
            client = boto3.session.Session().client(
                "s3", endpoint_url=settings[0], aws_access_key_id=settings[1], aws_secret_access_key=settings[2],
                region_name=settings[3], config=config)
            _clients[settings] = client
        return client


def _code(exc) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


class S3Download(Download):
    def __init__(self, body, size: int):
        self.body = body
        self.size = size

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.body.iter_chunks(CHUNK)
        finally:
            self.close()

    def close(self) -> None:
        self.body.close()


class S3Store(Store):
    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None, region: str | None = None):
        if not bucket:
            raise StoreError("an s3:// storage URL needs a bucket: s3://bucket/prefix")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        if self.prefix:
            check_key(self.prefix)
        self.url = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"
        self.endpoint_url = endpoint_url
        self._settings = (endpoint_url, access_key, secret_key, region)

    @property
    def client(self):
        return s3_client(*self._settings)

    def _full(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes | BinaryIO) -> Stored:
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import BotoCoreError, ClientError

        full = self._full(key)
        try:
            if isinstance(data, (bytes, bytearray, memoryview)):
                body = bytes(data)
                self.client.put_object(Bucket=self.bucket, Key=full, Body=body)
                return Stored(key=key, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
            reader = HashingReader(data)
            self.client.upload_fileobj(reader, self.bucket, full,
                                       Config=TransferConfig(max_concurrency=4, multipart_chunksize=8 * 1024 * 1024))
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(f"{self.url}: could not write {key}: {exc}") from exc
        return Stored(key=key, sha256=reader.sha256, size=reader.size)

    def open(self, key: str) -> S3Download:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileMissing(key) from None
            raise StoreError(f"{self.url}: could not read {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise StoreError(f"{self.url}: could not read {key}: {exc}") from exc
        return S3Download(obj["Body"], int(obj["ContentLength"]))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise StoreError(f"{self.url}: could not check {key}: {exc}") from exc
        return True

    def delete(self, key: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as exc:
            if _code(exc) not in _MISSING:
                raise StoreError(f"{self.url}: could not delete {key}: {exc}") from exc

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        base = self.prefix + "/" if self.prefix else ""
        listing = base + (check_key(prefix) + "/" if prefix else "")
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=listing):
            for item in page.get("Contents", []):
                key = item["Key"][len(base):]
                if key and not key.endswith("/"):
                    yield key

    def ensure_bucket(self) -> bool:
        """Create the bucket when it does not exist; True when it was created."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
            return False
        except ClientError as exc:
            if _code(exc) not in _MISSING | {"NoSuchBucket"}:
                raise StoreError(f"{self.url}: could not check the bucket: {exc}") from exc
        self.client.create_bucket(Bucket=self.bucket)
        return True
