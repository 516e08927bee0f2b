"""Zip-bomb checks for everything that is a zip inside (DOCX, XLSX): one function, one set of limits.

Pure (no Flask): the Word builders (``reports/letterhead.py``) use it as well as the upload policy and
the importers. It reads only the zip's table of contents, never decompresses, and answers with a
problem code; each caller says it in its own words.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class ZipLimits:
    entries: int
    uncompressed: int  # bytes, all entries together
    ratio: int  # uncompressed / compressed, checked on entries larger than 1 MB


#: Uploaded evidence, imported spreadsheets (an XLSX of 100,000 SKM rows unpacks to ~30 MB).
DEFAULT = ZipLimits(entries=2000, uncompressed=200 * 1024 * 1024, ratio=200)
#: A kop template is opened for every document the app writes: kept smaller.
TEMPLATE = ZipLimits(entries=1000, uncompressed=50 * 1024 * 1024, ratio=200)

NOT_ZIP = "not_zip"
TOO_MANY_ENTRIES = "too_many_entries"
TOO_LARGE = "too_large"
RATIO = "ratio"
MISSING_PART = "missing_part"


def problem(source: bytes | BinaryIO, required: tuple[str, ...] = (), limits: ZipLimits | None = None) -> str | None:
    """None when ``source`` is a zip within ``limits`` holding every ``required`` part, else the problem."""
    limits = limits or DEFAULT
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(source)
    position = source.tell()
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return NOT_ZIP
    finally:
        source.seek(position)
    if len(infos) > limits.entries:
        return TOO_MANY_ENTRIES
    if sum(i.file_size for i in infos) > limits.uncompressed:
        return TOO_LARGE
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.ratio * max(info.compress_size, 1):
            return RATIO
    names = {i.filename for i in infos}
    if any(part not in names for part in required):
        return MISSING_PART
    return None
