"""What an uploaded file must be before the app keeps or opens it — the one policy for every upload.

- **Size**: IKU_MAX_UPLOAD_MB for evidence, register evidence and signed scans; the fixed limits of
  kop templates and imported sheets are here too (``TEMPLATE_MAX_BYTES``, ``IMPORT_MAX_BYTES``),
  not in views. The size is counted while the stream is read, never trusted from a header.
- **Type by content** (``filetype``): PDF, DOCX, XLSX, JPEG, PNG; the name's extension must agree
  with the content (a PNG called ``.pdf`` is refused), the browser's MIME type is ignored.
- **Zip checks** (``zipcheck``) for DOCX and XLSX before anything opens them: entry count, total
  uncompressed size, compression ratio, and the part a package of that kind must hold.
- **Active content** in DOCX and XLSX: a macro-enabled package renamed ``.docx``/``.xlsx``
  (``vbaProject.bin``, a macro-enabled content type) or a part that links to a remote target
  (``TargetMode="External"`` to http/https/ftp/file or a ``\\\\server`` share) is refused.
- **Names**: shown, never used as a path; control characters and folder parts are refused.

``check`` copies the upload into a spooled temporary file (in memory up to 1 MB, then on disk)
while hashing it, so a 20 MB scan is never one bytes object; the caller then hands ``Checked.file``
to ``storage.save``.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

import filetype
import zipfile
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from flask import current_app
from flask_babel import gettext as _

from . import zipcheck

MB = 1024 * 1024
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1 * MB
#: A kop template (.docx): opened by python-docx for every generated document.
TEMPLATE_MAX_BYTES = 5 * MB
#: A spreadsheet of program indicators (IKU 6) to import.
IMPORT_MAX_BYTES = 10 * MB

# detected kind -> (MIME, extensions a name may carry for it)
KINDS = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
}
EVIDENCE = ("pdf", "docx", "xlsx", "jpg", "png")
SCAN = ("pdf",)
# the part an OOXML package of each kind must contain
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
#: content types only a macro-enabled package declares (lower-case substrings)
MACRO_CONTENT_TYPES = ("macroenabled", "vnd.ms-office.vbaproject", "vnd.ms-excel.intl-macrosheet",
                       "vnd.ms-excel.macrosheet", "vnd.ms-office.activex", "vnd.ms-word.vbadata")
#: parts that carry macros or ActiveX code, whatever the content types say (lower-case name endings)
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
#: an external relationship target that makes Office fetch something from elsewhere
REMOTE_TARGET = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|\\\\|//)", re.IGNORECASE)
#: parts read whole for the checks are small; a bigger one is refused as not a sane package
OOXML_META_MAX_BYTES = 2 * MB


class UploadError(ValueError):
    """A refused upload: ``code`` says why (``empty``, ``too_large``, ``kind``, ``name_mismatch``,
    ``zip_bomb``, ``broken``, ``not_ooxml``, ``macro``, ``external_link``, ``name``), ``str(exc)`` is the
    Indonesian message."""

    def __init__(self, message: str, code: str = "refused", **params):
        super().__init__(message)
        self.code = code
        self.params = params


def max_upload_bytes() -> int:
    return int(current_app.config["IKU_MAX_UPLOAD_MB"]) * MB


def allowed_label(kinds=EVIDENCE) -> str:
    return ", ".join(k.upper() for k in kinds)


def check_filename(name: str | None) -> str:
    """Return the name as given, or raise when it is empty, has path parts or control characters."""
    if name is None or not name.strip():
        raise UploadError(_("Nama berkas kosong. Pilih berkas yang akan diunggah."), "name")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UploadError(_("Nama berkas mengandung karakter kendali. Ganti nama berkas lalu unggah lagi."), "name")
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise UploadError(_("Nama berkas «%(name)s» tidak boleh memuat bagian folder (/, \\ atau ..). "
                            "Ganti nama berkas lalu unggah lagi.", name=name), "name")
    if name.startswith("."):
        raise UploadError(_("Nama berkas «%(name)s» tidak boleh diawali titik. Ganti nama berkas lalu unggah lagi.",
                            name=name), "name")
    if len(name) > 200:
        raise UploadError(_("Nama berkas terlalu panjang (lebih dari 200 karakter)."), "name")
    return name


def display_name(filename: str | None, default: str, extension: str) -> str:
    """A cleaned name for a file whose name is only shown (the signed scan): folder parts and odd
    characters dropped, the extension added when missing."""
    base = os.path.basename((filename or "").replace("\\", "/"))
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or default
    if not base.lower().endswith("." + extension):
        base += "." + extension
    return base[-120:]


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass
class Checked:
    """An accepted upload, spooled: ``file`` is positioned at its start."""

    file: BinaryIO
    name: str
    size: int
    sha256: str
    kind: str
    mime: str

    @property
    def extension(self) -> str:
        return self.kind

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "Checked":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def spool(source: bytes | BinaryIO, max_bytes: int, name: str) -> tuple[BinaryIO, int, str]:
    """Copy ``source`` into a spooled temporary file, refusing it past ``max_bytes``."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    digest, size = hashlib.sha256(), 0
    try:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UploadError(_("Berkas «%(name)s» melebihi batas ukuran %(mb)s MB.", name=name,
                                    mb=max_bytes // MB), "too_large", mb=max_bytes // MB)
            digest.update(chunk)
            out.write(chunk)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out, size, digest.hexdigest()


def check(source: bytes | BinaryIO, name: str | None, *, kinds=EVIDENCE, max_bytes: int | None = None,
          check_name: bool = True) -> Checked:
    """Accept or refuse one upload (UploadError). ``check_name=False`` for a file whose name is only
    shown, not kept as given (the signed scan): the name is then neither checked nor matched."""
    if check_name:
        name = check_filename(name)
    else:
        name = name or ""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    fh, size, sha256 = spool(source, limit, name)
    try:
        if size == 0:
            raise UploadError(_("Berkas «%(name)s» kosong (0 byte).", name=name), "empty")
        guess = filetype.guess(fh.read(8192))
        fh.seek(0)
        detected = guess.extension if guess else None
        if detected not in kinds or detected not in KINDS:
            raise UploadError(_("Jenis isi berkas «%(name)s» tidak diizinkan. Yang diterima: %(allowed)s "
                                "(jenis diperiksa dari isi berkas, bukan dari namanya).", name=name,
                                allowed=allowed_label(kinds)), "kind")
        mime, name_extensions = KINDS[detected]
        if check_name and _extension(name) not in name_extensions:
            raise UploadError(_("Isi berkas «%(name)s» adalah %(kind)s, tidak sesuai dengan ekstensi "
                                "namanya. Periksa berkas lalu unggah lagi.", name=name, kind=detected.upper()),
                              "name_mismatch")
        if detected in OOXML_MAIN_PART:
            _check_ooxml(fh, detected, name)
    except BaseException:
        fh.close()
        raise
    return Checked(file=fh, name=name, size=size, sha256=sha256, kind=detected, mime=mime)


def _check_ooxml(fh: BinaryIO, kind: str, name: str) -> None:
    found = zipcheck.problem(fh, required=("[Content_Types].xml", OOXML_MAIN_PART[kind]))
    if found in (zipcheck.TOO_MANY_ENTRIES, zipcheck.TOO_LARGE, zipcheck.RATIO):
        raise UploadError(_("Berkas «%(name)s» ditolak: isinya jika dibuka terlalu besar (kemungkinan bom zip).",
                            name=name), "zip_bomb")
    if found == zipcheck.NOT_ZIP:
        raise UploadError(_("Berkas «%(name)s» rusak atau bukan dokumen %(kind)s yang sah.", name=name,
                            kind=kind.upper()), "broken")
    if found == zipcheck.MISSING_PART:
        raise UploadError(_("Berkas «%(name)s» bukan dokumen %(kind)s yang sah.", name=name, kind=kind.upper()),
                          "not_ooxml")
    _check_active_content(fh, kind, name)


def _check_active_content(fh: BinaryIO, kind: str, name: str) -> None:
    """Refuse macros and remote links in an OOXML package whose table of contents already passed."""
    position = fh.tell()
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if any(i.filename.lower().endswith(MACRO_PARTS) for i in infos):
                raise _macro_error(name, kind)
            types = _xml(archive, "[Content_Types].xml", name, kind)
            for element in types.iter():
                content_type = (element.get("ContentType") or "").lower()
                if any(marker in content_type for marker in MACRO_CONTENT_TYPES):
                    raise _macro_error(name, kind)
            for info in infos:
                if not info.filename.lower().endswith(".rels"):
                    continue
                for rel in _xml(archive, info.filename, name, kind).iter():
                    if not rel.tag.endswith("Relationship"):
                        continue
                    if (rel.get("TargetMode") or "").lower() == "external" and REMOTE_TARGET.match(
                            rel.get("Target") or ""):
                        if "hyperlink" in (rel.get("Type") or "").lower():
                            continue  # a clickable link in the text, fetched by nobody
                        raise UploadError(_("Berkas «%(name)s» ditolak: berkas menautkan isi dari alamat luar "
                                            "(%(target)s). Simpan ulang dokumen tanpa tautan ke berkas atau "
                                            "templat di luar, lalu unggah lagi.", name=name,
                                            target=(rel.get("Target") or "")[:80]), "external_link")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        if isinstance(exc, UploadError):
            raise
        raise UploadError(_("Berkas «%(name)s» rusak atau bukan dokumen %(kind)s yang sah.", name=name,
                            kind=kind.upper()), "broken") from exc
    finally:
        fh.seek(position)


def _macro_error(name: str, kind: str) -> UploadError:
    return UploadError(_("Berkas «%(name)s» ditolak: berkas berisi makro (dokumen Office dengan makro, "
                         "misalnya .docm atau .xlsm yang diganti namanya). Simpan ulang sebagai %(kind)s biasa "
                         "tanpa makro, lalu unggah lagi.", name=name, kind=kind.upper()), "macro")


def _xml(archive: zipfile.ZipFile, part: str, name: str, kind: str):
    info = archive.getinfo(part)
    if info.file_size > OOXML_META_MAX_BYTES:
        raise UploadError(_("Berkas «%(name)s» rusak atau bukan dokumen %(kind)s yang sah.", name=name,
                            kind=kind.upper()), "broken")
    try:
        return SafeET.fromstring(archive.read(info))
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise UploadError(_("Berkas «%(name)s» rusak atau bukan dokumen %(kind)s yang sah.", name=name,
                            kind=kind.upper()), "broken") from exc


def read_limited(stream: BinaryIO, max_bytes: int, name: str = "") -> bytes:
    """The bytes of a small upload a library needs whole (a template, a sheet to import), refused
    past ``max_bytes`` without reading further."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(_("Berkas «%(name)s» melebihi batas ukuran %(mb)s MB.", name=name, mb=max_bytes // MB),
                          "too_large", mb=max_bytes // MB)
    return data
