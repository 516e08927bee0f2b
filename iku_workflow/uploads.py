"""Evidence files of register rows: content sniffing, zip-bomb checks and storage under IKU_UPLOAD_DIR.

Small on purpose (the documents capability has its own storage; the lead may merge the two): a file is
accepted only when its bytes are a PDF, JPEG, PNG, DOCX or XLSX (``filetype``; the name's extension is
not trusted), DOCX/XLSX are checked as zips before anything opens them, and it is stored under a random
name so a user-chosen name never reaches the file system.
"""
from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
SUBDIR = "evidence"


class UploadError(ValueError):
    """The file is refused; ``str(exc)`` is the Indonesian message."""


@dataclass(frozen=True)
class Stored:
    name: str  # random stored name, e.g. "3f2a…c1.pdf"
    original: str  # the name the user gave (shown, never used as a path)
    mime: str


def sniff(data: bytes) -> str:
    """The MIME type of ``data`` when it is an allowed kind, else UploadError."""
    if not data:
        raise UploadError(_("Berkas kosong."))
    limit = current_app.config["IKU_MAX_UPLOAD_MB"] * 1024 * 1024
    if len(data) > limit:
        raise UploadError(_("Berkas melebihi batas %(mb)s MB.", mb=current_app.config["IKU_MAX_UPLOAD_MB"]))
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        raise UploadError(_("Jenis berkas tidak diterima. Unggah PDF, JPG, PNG, DOCX atau XLSX."))
    if ALLOWED[mime] in ("docx", "xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except zipfile.BadZipFile as exc:
            raise UploadError(_("Berkas Office rusak.")) from exc
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise UploadError(_("Berkas Office terlalu besar setelah diekstrak."))
    return mime


def _root() -> Path:
    root = Path(current_app.config["IKU_UPLOAD_DIR"]) / SUBDIR
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(data: bytes, original_name: str) -> Stored:
    """Validate and write the file; returns its stored name (the caller keeps it on the row)."""
    mime = sniff(data)
    name = f"{secrets.token_hex(16)}.{ALLOWED[mime]}"
    (_root() / name).write_bytes(data)
    original = Path(original_name or "").name[:200] or name
    return Stored(name=name, original=original, mime=mime)


def path_of(stored_name: str) -> Path:
    """The file of a stored name (names are generated here: hex + known extension, nothing else)."""
    stem, _sep, ext = stored_name.partition(".")
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem) or ext not in ALLOWED.values():
        raise UploadError(_("Nama berkas tidak sah."))
    return _root() / stored_name


def discard(stored_name: str | None) -> None:
    """Remove a stored file that is no longer referenced (best effort)."""
    if stored_name:
        try:
            path_of(stored_name).unlink(missing_ok=True)
        except (UploadError, OSError):
            pass
