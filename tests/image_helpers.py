"""Real PNG and JPEG bytes for the lambang tests, without an imaging library."""
from __future__ import annotations

import os
import struct
import zipfile
import zlib

import docx


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 120, height: int = 150, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid RGB PNG: a coloured field with a white diagonal (so it is not one flat colour)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((255, 255, 255)) if abs(x * height - y * width) < width * 2 else bytes(rgb)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + _chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    """A real JPEG (395 × 512 px): the thumbnail python-docx ships in its default template."""
    path = os.path.join(os.path.dirname(docx.__file__), "templates", "default.docx")
    with zipfile.ZipFile(path) as zf:
        return zf.read("docProps/thumbnail.jpeg")
