"""Evidence files on disk: check what an upload really is, stage it, place it, serve it.

Files live under ``IKU_UPLOAD_DIR/<office_code>/<year>/<stored_name>`` (outside every static folder)
under a generated name, and are never overwritten. An upload is first written to a hidden temporary
file in the target folder and fsynced; it gets its final name only after the database rows are
flushed (`Batch.place`), and `Batch.discard` removes whatever was written if anything fails, so a
failed upload leaves neither an orphan file nor an orphan row.

The type is decided by the content (``filetype``), never by the name; DOCX and XLSX are zip files, so
their table of contents is checked (the parts an OOXML file of that kind must have, number of
entries, total uncompressed size) before anything trusts them — a guard against zip bombs.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import filetype
from flask_babel import gettext as _

CHUNK = 64 * 1024

# detected extension -> (MIME, extensions a name may carry for it)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPG, PNG"
# the part an OOXML package of each kind must contain
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024


class UploadError(ValueError):
    """A refused upload; ``str(exc)`` is the Indonesian message for the user."""


def check_filename(name: str | None) -> str:
    """Return the name as given, or raise when it is empty, has path parts or control characters."""
    if name is None or not name.strip():
        raise UploadError(_("Nama berkas kosong. Pilih berkas yang akan diunggah."))
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UploadError(_("Nama berkas mengandung karakter kendali. Ganti nama berkas lalu unggah lagi."))
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise UploadError(_("Nama berkas «%(name)s» tidak boleh memuat bagian folder (/, \\ atau ..). "
                            "Ganti nama berkas lalu unggah lagi.", name=name))
    if name.startswith("."):
        raise UploadError(_("Nama berkas «%(name)s» tidak boleh diawali titik. Ganti nama berkas lalu unggah lagi.", name=name))
    if len(name) > 200:
        raise UploadError(_("Nama berkas terlalu panjang (lebih dari 200 karakter)."))
    return name


def _name_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_ooxml(path: Path, kind: str, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES or sum(i.file_size for i in infos) > ZIP_MAX_UNCOMPRESSED:
                raise UploadError(_("Berkas «%(name)s» ditolak: isinya jika dibuka terlalu besar (kemungkinan bom zip).", name=name))
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise UploadError(_("Berkas «%(name)s» rusak atau bukan dokumen %(kind)s yang sah.", name=name, kind=kind.upper())) from None
    if "[Content_Types].xml" not in names or OOXML_MAIN_PART[kind] not in names:
        raise UploadError(_("Berkas «%(name)s» bukan dokumen %(kind)s yang sah.", name=name, kind=kind.upper()))


@dataclass
class Staged:
    original_name: str
    tmp_path: Path
    final_path: Path
    stored_name: str
    size: int
    sha256: str
    mime: str
    extension: str


@dataclass
class Batch:
    """Staged files of one upload request; `place` gives them their final names, `discard` undoes."""

    files: list[Staged] = field(default_factory=list)
    placed: list[Path] = field(default_factory=list)

    def place(self) -> None:
        for item in self.files:
            # link() refuses an existing target, so nothing is ever overwritten
            os.link(item.tmp_path, item.final_path)
            self.placed.append(item.final_path)
            item.tmp_path.unlink()
        for directory in {item.final_path.parent for item in self.files}:
            _fsync_dir(directory)

    def discard(self) -> None:
        for path in [*self.placed, *(item.tmp_path for item in self.files)]:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        self.placed.clear()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(stream: BinaryIO, name: str | None, target_dir: Path, max_bytes: int, batch: Batch) -> Staged:
    """Check one upload and write it to a temporary file in ``target_dir`` (added to ``batch``).

    Raises UploadError (nothing left on disk for this file) for an empty or too large file, a bad
    name, or content that is not one of the allowed types or does not match its name.
    """
    name = check_filename(name)
    target_dir.mkdir(parents=True, exist_ok=True)
    stored_name = uuid.uuid4().hex
    tmp_path = target_dir / f".tmp-{stored_name}"
    digest, size = hashlib.sha256(), 0
    mb = max_bytes // (1024 * 1024)
    try:
        with open(tmp_path, "xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadError(_("Berkas «%(name)s» melebihi batas ukuran %(mb)s MB.", name=name, mb=mb))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadError(_("Berkas «%(name)s» kosong (0 byte).", name=name))
        with open(tmp_path, "rb") as fh:
            kind = filetype.guess(fh.read(8192))
        detected = kind.extension if kind else None
        if detected not in ALLOWED:
            raise UploadError(_("Jenis isi berkas «%(name)s» tidak diizinkan. Yang diterima: %(allowed)s "
                                "(jenis diperiksa dari isi berkas, bukan dari namanya).", name=name, allowed=ALLOWED_LABEL))
        mime, name_exts = ALLOWED[detected]
        if _name_extension(name) not in name_exts:
            raise UploadError(_("Isi berkas «%(name)s» adalah %(kind)s, tidak sesuai dengan ekstensi "
                                "namanya. Periksa berkas lalu unggah lagi.", name=name, kind=detected.upper()))
        if detected in OOXML_MAIN_PART:
            _check_ooxml(tmp_path, detected, name)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    staged = Staged(name, tmp_path, target_dir / stored_name, stored_name, size, digest.hexdigest(), mime, detected)
    batch.files.append(staged)
    return staged


def upload_root(config) -> Path:
    return Path(config["IKU_UPLOAD_DIR"]).resolve()


def path_of(root: Path, relative_dir: str, stored_name: str) -> Path:
    """The file's absolute path; refuses anything that would leave the upload folder."""
    path = (root / relative_dir / stored_name).resolve()
    if root not in path.parents:
        raise UploadError(_("Lokasi berkas tidak sah."))
    return path
