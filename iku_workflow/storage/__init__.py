"""The one file store of the app: evidence versions, register evidence, signed scans, generated Word
files and kop templates all live here, under keys the app generates.

Two backends behind one interface (``base.Store``), chosen by one setting, IKU_STORAGE_URL:

- ``file:///abs/path`` (or ``file://relative``, under the instance folder): ``LocalStore``, the
  embedded default ``instance/uploads``; IKU_UPLOAD_DIR, when set, is this folder;
- ``s3://bucket/prefix``: ``S3Store`` on IKU_S3_ENDPOINT_URL with IKU_S3_ACCESS_KEY / IKU_S3_SECRET_KEY.

What callers use (inside an app context)::

    checked = uploads.check(request_file.stream, request_file.filename, kinds=("png", "jpg"))  # or UploadError
    with checked:
        stored = storage.save(checked.file, storage.new_key(office.code, "logo", suffix="." + checked.extension))
    row.file_key = stored.key            # commit: the file stays; roll back: it is deleted again
    storage.remove_after_commit(old_key)  # deleted only once the transaction commits
    return storage.send(row.file_key, mimetype="image/png", download_name="logo.png")  # streamed

What an upload must be (size, type by content, zip checks) is decided in ``storage.uploads``. A new
kind of row that names a file also adds itself to ``storage.migrate.REFERENCES`` (for `storage migrate`).
"""
from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from .base import CHUNK, BadKey, Download, FileMissing, Store, StoreError, Stored, check_key
from .local import LocalStore
from . import transaction  # noqa: F401,E402  (the session hooks: files follow the transaction)

__all__ = ["CHUNK", "BadKey", "Download", "FileMissing", "LocalStore", "Store", "StoreError", "Stored", "check_key",
           "current_store", "init_app", "new_key", "open", "read", "remove_after_commit", "save", "send",
           "send_file_safely", "sniff", "store_from_url", "storage_url"]

EXTENSION = "iku_storage"
log = logging.getLogger(__name__)


def storage_url(config) -> str:
    """IKU_STORAGE_URL, or ``file://`` + IKU_UPLOAD_DIR (the folder existing installations use)."""
    url = (config.get("IKU_STORAGE_URL") or "").strip()
    if url:
        return url
    return Path(config["IKU_UPLOAD_DIR"]).resolve().as_uri()


def store_from_url(url: str, config=None, instance_path: str | None = None) -> Store:
    """Open the store a URL names. S3 settings come from ``config`` (IKU_S3_*)."""
    config = config or {}
    if url.startswith("file://"):
        raw = unquote(url[len("file://"):])
        if not raw:
            raise StoreError("a file:// storage URL needs a folder, e.g. file:///var/lib/iku-workflow/uploads")
        path = Path(raw)
        if not path.is_absolute():
            path = Path(instance_path or config.get("IKU_INSTANCE_PATH") or ".") / path
        return LocalStore(path)
    if url.startswith("s3://"):
        from .s3 import S3Store

        bucket, _sep, prefix = url[len("s3://"):].partition("/")
        return S3Store(bucket, prefix, endpoint_url=config.get("IKU_S3_ENDPOINT_URL") or None,
                       access_key=config.get("IKU_S3_ACCESS_KEY") or None,
                       secret_key=config.get("IKU_S3_SECRET_KEY") or None,
                       region=config.get("IKU_S3_REGION") or None)
    raise StoreError(f"IKU_STORAGE_URL must start with file:// or s3://, not {url!r}")


def init_app(app) -> Store:
    """Open the configured store once, at start-up; no network call is made here."""
    store = store_from_url(storage_url(app.config), app.config, instance_path=app.instance_path)
    app.extensions[EXTENSION] = store
    return store


def current_store() -> Store:
    from flask import current_app

    return current_app.extensions[EXTENSION]


def new_key(*folders, stem: str = "", suffix: str = "") -> str:
    """A fresh key under ``folders``: ``new_key("gumukmas", 2025)`` → ``gumukmas/2025/<32 hex>``,
    ``new_key("gumukmas", "kop", stem="templat-", suffix=".docx")`` → ``gumukmas/kop/templat-<hex>.docx``."""
    return check_key("/".join([*(str(f) for f in folders if str(f)), f"{stem}{uuid.uuid4().hex}{suffix}"]))


def _session(session=None):
    from ..extensions import db

    return session if session is not None else db.session()


def save(data: bytes | BinaryIO, key: str, *, session=None) -> Stored:
    """Write a file that a row of the current transaction will name; it is deleted again if that
    transaction rolls back (or ends without a commit)."""
    from .transaction import note_written

    store = current_store()
    check_key(key)
    # noted first: a write that fails half-way (or whose answer is lost) is cleaned up as well
    note_written(_session(session), store, key)
    return store.put(key, data)


def remove_after_commit(key: str | None, *, session=None) -> None:
    """Delete the file once the current transaction commits (nothing happens if it rolls back)."""
    if not key:
        return
    from .transaction import note_doomed

    note_doomed(_session(session), current_store(), check_key(key))


def open(key: str) -> Download:  # noqa: A001 - the store's verb
    return current_store().open(key)


def read(key: str) -> bytes:
    return current_store().read(key)


def send(key: str, *, mimetype: str, download_name: str, as_attachment: bool = True):
    """A streamed download of the stored file: chunks go from the store to the client as they come,
    so memory does not grow with the file. A missing file is a 404 (and is logged)."""
    from flask import Response, abort, request

    try:
        download = current_store().open(key)
    except (FileMissing, BadKey):
        log.warning("stored file %s is missing from %s", key, current_store().url)
        abort(404)
    file_wrapper = request.environ.get("wsgi.file_wrapper")
    if file_wrapper is not None and hasattr(download, "fileobj"):
        # a local file through the server's own file wrapper: sendfile() under gunicorn
        body = file_wrapper(download.fileobj(), CHUNK)
    else:
        body = download
    response = Response(body, mimetype=mimetype, direct_passthrough=True)
    response.content_length = download.size
    response.headers["Content-Disposition"] = content_disposition(download_name, as_attachment)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"  # a stored file is never kept in a cache
    return response


#: what a browser may show itself, by the kind sniffed from the file's own first bytes: PDF and raster images
INLINE_KINDS = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
#: the policy of a file shown in the browser: a sandboxed document (no script, no form, no plugin of its own
#: origin's privileges) that may show only itself; the PDF viewer and the image view need nothing else
INLINE_CSP = ("sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
#: the type of a stored file that looks like markup (HTML, SVG, XML): bytes to save, never a page
SAFE_MIME = "application/octet-stream"
#: markup a browser would run as a page (looked for in the first bytes, case-insensitive)
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<object",
           b"<embed", b"<img", b"<a ", b"<div", b"<meta", b"<style", b"<!--", b"<x:", b"<xsl")


def sniff(key: str) -> str | None:
    """The kind of a stored file from its first bytes: "markup" when it looks like HTML/SVG/XML (wherever
    in its first KB), else the ``filetype`` kind ("pdf", "jpg", "png", …) or None."""
    import filetype

    try:
        download = current_store().open(key)
    except (FileMissing, BadKey):
        return None
    head = b""
    try:
        for chunk in download:
            head += chunk
            if len(head) >= 8192:
                break
    finally:
        download.close()
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x0c").lower()
    guess = filetype.guess(head)
    # a file that starts as markup, or is no known kind and carries markup early, is treated as a page
    # (a JPEG's XMP metadata is markup too, but its magic bytes come first)
    if start.startswith(b"<") or (guess is None and any(tag in start for tag in _MARKUP)):
        return "markup"
    return guess.extension if guess else None


def inline_possible(mimetype: str | None) -> bool:
    """Whether a file of this (stored) type may be offered with "Lihat" (the bytes decide at sending)."""
    return (mimetype or "") in INLINE_KINDS.values()


def send_file_safely(key: str, *, mimetype: str | None, download_name: str, inline: bool = False):
    """A stored upload for a reader: shown in the browser (``inline``) only when its own bytes are a PDF
    or an image, then under :data:`INLINE_CSP` with the sniffed type; otherwise a download. A file whose
    bytes look like markup is always a download of type :data:`SAFE_MIME`, whatever its name or stored
    type says. Every answer is ``no-store`` and ``nosniff`` (:func:`send`)."""
    kind = sniff(key)
    if kind == "markup":
        return send(key, mimetype=SAFE_MIME, download_name=download_name)
    if inline and kind in INLINE_KINDS and inline_possible(mimetype):
        response = send(key, mimetype=INLINE_KINDS[kind], download_name=download_name, as_attachment=False)
        response.headers["Content-Security-Policy"] = INLINE_CSP
        return response
    return send(key, mimetype=mimetype or SAFE_MIME, download_name=download_name)


def content_disposition(name: str, as_attachment: bool = True) -> str:
    """The header Flask's send_file writes: an ASCII ``filename`` and, for other names, ``filename*``."""
    import unicodedata
    from urllib.parse import quote

    from werkzeug.http import dump_options_header

    kind = "attachment" if as_attachment else "inline"
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return dump_options_header(kind, {"filename": simple,
                                          "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")})
    return dump_options_header(kind, {"filename": name})
