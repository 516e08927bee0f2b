"""The signed scan of a final decree: a PDF under IKU_UPLOAD_DIR/<office>/<year>/decree/."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from ..models import Office

MAX_SCAN_MB = 20


class ScanError(ValueError):
    """The uploaded scan was refused; the message is for the user."""


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to IKU_UPLOAD_DIR
    name: str  # the name the user uploaded, cleaned
    size: int
    sha256: str


def upload_root() -> Path:
    return Path(current_app.config["IKU_UPLOAD_DIR"]).resolve()


def clean_name(filename: str) -> str:
    base = os.path.basename((filename or "").replace("\\", "/"))
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or "keputusan-ttd.pdf"
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base[-120:]


def check_pdf(data: bytes) -> None:
    """Refuse anything that is not a PDF by its content (the name and the browser's type are not trusted)."""
    if not data:
        raise ScanError(_("Berkas pindaian kosong."))
    limit = current_app.config.get("IKU_MAX_UPLOAD_MB", MAX_SCAN_MB) * 1024 * 1024
    if len(data) > limit:
        raise ScanError(_("Berkas pindaian terlalu besar (batas %(mb)d MB).", mb=limit // (1024 * 1024)))
    kind = filetype.guess(data)
    if kind is None or kind.mime != "application/pdf":
        raise ScanError(_("Pindaian keputusan harus berupa berkas PDF."))


def store_signed_pdf(office: Office, year: int, data: bytes, filename: str) -> StoredFile:
    check_pdf(data)
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(office.code) / str(year) / "decree" / f"keputusan-{year}-ttd-{digest[:16]}.pdf"
    target = upload_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return StoredFile(path=str(relative), name=clean_name(filename), size=len(data), sha256=digest)


def open_stored(relative: str) -> Path:
    """The absolute path of a stored file, refusing anything outside the upload folder."""
    root = upload_root()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise FileNotFoundError(relative)
    return path
