"""Small builders shared by the documents tests: sample files of each type and a required document."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import sqlalchemy as sa

from iku_workflow.extensions import db
from iku_workflow.models import RequiredDocument, DocumentType

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    if extra:
        with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in extra.items():
                z.writestr(name, data)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "bukan dokumen")
    return buf.getvalue()


def required(office, code: str, year: int | None = None) -> RequiredDocument:
    """The demo office's required document of ``code`` for ``year`` (the seed creates them)."""
    year = year or date.today().year
    return db.session.scalar(
        sa.select(RequiredDocument).join(RequiredDocument.type)
        .where(RequiredDocument.office_id == office.id, RequiredDocument.year == year, DocumentType.code == code)
    )


def upload(client, doc, *files, description="", follow=False):
    """POST files [(bytes, name), ...] to a document's upload form.

    The body is encoded here (werkzeug's builder spools bodies over 500 KB to a temporary file it
    never closes, which pytest reports as a ResourceWarning).
    """
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    values = MultiDict([("description", description)])
    for content, name in files:
        # quoted-string escaping, as a careful client sends it: the server then sees the name as given
        quoted = name.replace("\\", "\\\\")
        values.add("files", FileStorage(io.BytesIO(content), filename=quoted, content_type="application/octet-stream"))
    boundary, body = encode_multipart(values)
    return client.post(f"/dokumen/wajib/{doc.id}/unggah", data=body, follow_redirects=follow,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored_keys(app) -> list[str]:
    """Every key in the app's file store (a folder or an S3 prefix, whichever the test runs on)."""
    return sorted(app.extensions["iku_storage"].iter_keys())


def give_evidence(office) -> None:
    """Record one evidence file row on every required document of ``office`` (tests of the workflow
    itself, where the submit rule "evidence first" is not what is being tested)."""
    import hashlib
    import uuid

    from iku_workflow.models import DocumentFile

    docs = db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.office_id == office.id)).all()
    for doc in docs:
        if not doc.files:
            db.session.add(DocumentFile(
                office_id=office.id, document_id=doc.id, version=1, original_name="bukti.pdf",
                stored_name=uuid.uuid4().hex, relative_dir=f"{office.code}/{doc.year}", size=len(PDF),
                sha256=hashlib.sha256(PDF).hexdigest(), mime="application/pdf", extension="pdf",
            ))
    db.session.commit()
