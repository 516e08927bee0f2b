"""Files in a folder (the embedded default: ``instance/uploads``, or IKU_UPLOAD_DIR).

A write goes to a hidden temporary file beside its target, is fsynced, then renamed over the
target (``os.replace`` is atomic on one file system) and the folder is fsynced: a reader sees the
whole file or none, and a crash leaves at most a ``.tmp-*`` file, which ``iter_keys`` never lists.
"""
from __future__ import annotations

import io
import os
import uuid
from pathlib import Path
from typing import BinaryIO, Iterator

from .base import CHUNK, Download, FileMissing, HashingReader, Store, Stored, check_key


class LocalDownload(Download):
    """The file is opened when it is first read, and closed when read to the end or closed: a response
    that is never read holds no open file."""

    def __init__(self, path: Path, size: int):
        self.path = path
        self.size = size
        self._fh: BinaryIO | None = None
        self._closed = False

    def fileobj(self) -> BinaryIO:
        """The open file (for a server's ``wsgi.file_wrapper``, which then owns and closes it)."""
        if self._fh is None:
            try:
                self._fh = open(self.path, "rb")
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                raise FileMissing(self.path.name) from None
        return self._fh

    def __iter__(self) -> Iterator[bytes]:
        if self._closed:
            return
        try:
            fh = self.fileobj()
            while chunk := fh.read(CHUNK):
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self._closed = True
        if self._fh is not None:
            self._fh.close()


class LocalStore(Store):
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()
        self.url = self.root.as_uri()

    def path(self, key: str) -> Path:
        path = self.root / check_key(key)
        # check_key forbids "..", absolute keys and dot segments; a symlink could still point out
        if self.root not in path.resolve().parents:
            raise FileMissing(key)
        return path

    def put(self, key: str, data: bytes | BinaryIO) -> Stored:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = HashingReader(io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data)
        tmp = target.parent / f".tmp-{uuid.uuid4().hex}"
        try:
            with open(tmp, "xb") as out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return Stored(key=key, sha256=reader.sha256, size=reader.size)

    def open(self, key: str) -> LocalDownload:
        path = self.path(key)
        try:
            size = path.stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            raise FileMissing(key) from None
        if not path.is_file():
            raise FileMissing(key)
        return LocalDownload(path, size)

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except FileMissing:
            return False

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except FileMissing:
            pass

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        base = self.root / check_key(prefix) if prefix else self.root
        if not base.is_dir():
            return
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield Path(folder, name).relative_to(self.root).as_posix()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
