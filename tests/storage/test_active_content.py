"""Issue 11 (files): macro-enabled Office packages and packages that pull in remote content are
refused by the one upload policy (``storage.uploads.check``), for document evidence and register
evidence alike; ordinary DOCX/XLSX (with ordinary hyperlinks) still pass."""
from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from factories import docx_bytes, required, stored_keys, upload, xlsx_bytes
from iku_workflow.extensions import db
from iku_workflow.models import DocumentFile
from iku_workflow.storage import uploads

MACRO_DOCX_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
MACRO_XLSX_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _rewrite(data: bytes, change) -> bytes:
    """A copy of the zip ``data`` with ``change(name, bytes) -> bytes | None`` applied to every part
    (None drops it) plus whatever ``change.extra`` holds."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in getattr(change, "extra", {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def docm_renamed() -> bytes:
    """What Word writes for a .docm: the macro main content type, vbaProject.bin and its part type."""
    def change(name, body):
        if name == "[Content_Types].xml":
            text = body.decode().replace(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", MACRO_DOCX_TYPE)
            return text.replace("</Types>", '<Default Extension="bin" '
                                'ContentType="application/vnd.ms-office.vbaProject"/></Types>').encode()
        return body
    change.extra = {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60}
    return _rewrite(docx_bytes(), change)


def docx_with_content_type_only(content_type: str, main: str = "word/document.xml") -> bytes:
    def change(name, body):
        if name == "[Content_Types].xml":
            return body.decode().replace("</Types>", f'<Override PartName="/{main}x" '
                                         f'ContentType="{content_type}"/></Types>').encode()
        return body
    return _rewrite(docx_bytes(), change)


def xlsm_renamed() -> bytes:
    def change(name, body):
        if name == "[Content_Types].xml":
            return body.decode().replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", MACRO_XLSX_TYPE).encode()
        return body
    change.extra = {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60}
    return _rewrite(xlsx_bytes(), change)


def with_relationship(data: bytes, rels_part: str, rel_type: str, target: str) -> bytes:
    """``data`` with one more external Relationship in ``rels_part``."""
    rel = (f'<Relationship Id="rIdX9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           f'{rel_type}" Target="{target}" TargetMode="External"/>')

    def change(name, body):
        if name == rels_part:
            return body.decode().replace("</Relationships>", rel + "</Relationships>").encode()
        return body
    return _rewrite(data, change)


def check(data: bytes, name: str):
    return uploads.check(data, name)


@pytest.mark.parametrize("make, name", [(docm_renamed, "laporan.docx"), (xlsm_renamed, "rekap.xlsx")])
def test_macro_enabled_package_renamed_is_refused(app, make, name):
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(make(), name)
    assert refused.value.code == "macro" and "makro" in str(refused.value)


@pytest.mark.parametrize("content_type", [
    MACRO_DOCX_TYPE, "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject", "application/vnd.ms-office.activeX+xml",
])
def test_macro_content_type_alone_is_refused(app, content_type):
    """No vbaProject.bin, but [Content_Types].xml declares macro content: refused as well."""
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(docx_with_content_type_only(content_type), "laporan.docx")
    assert refused.value.code == "macro"


def test_vba_part_under_any_folder_is_refused(app):
    data = docx_bytes({"customXml/VBAPROJECT.BIN": b"\x00" * 10})
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(data, "laporan.docx")
    assert refused.value.code == "macro"


@pytest.mark.parametrize("rel_type, target", [
    ("attachedTemplate", "http://evil.example/t.dotm"),
    ("attachedTemplate", "https://evil.example/t.dotm"),
    ("oleObject", "ftp://evil.example/x.bin"),
    ("image", "file:///C:/Windows/x.png"),
    ("frame", "\\\\evil.example\\share\\x.docx"),
    ("image", "//evil.example/x.png"),
])
def test_external_relationship_to_remote_target_is_refused(app, rel_type, target):
    data = with_relationship(docx_bytes(), "word/_rels/document.xml.rels", rel_type, target)
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(data, "laporan.docx")
    assert refused.value.code == "external_link" and "alamat luar" in str(refused.value)


def test_remote_external_link_in_workbook_is_refused(app):
    data = with_relationship(xlsx_bytes(), "xl/_rels/workbook.xml.rels", "externalLink", "https://evil.example/a.xlsx")
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(data, "rekap.xlsx")
    assert refused.value.code == "external_link"


def test_plain_documents_and_hyperlinks_still_pass(app):
    """A clickable link in the text (Type hyperlink) is not fetched by Office: it stays allowed, as do
    internal relationships."""
    linked = with_relationship(docx_bytes(), "word/_rels/document.xml.rels", "hyperlink", "https://jemberkab.go.id")
    with app.test_request_context():
        for data, name in ((docx_bytes(), "a.docx"), (xlsx_bytes(), "b.xlsx"), (linked, "c.docx")):
            with check(data, name) as ok:
                assert ok.kind == name.rsplit(".", 1)[1]


def test_hostile_xml_in_a_part_is_refused_not_parsed(app):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&b;</Types>')
    data = _rewrite(docx_bytes(), lambda name, body: bomb if name == "[Content_Types].xml" else body)
    with app.test_request_context():
        with pytest.raises(uploads.UploadError) as refused:
            check(data, "a.docx")
    assert refused.value.code == "broken"


def test_docm_refused_as_document_evidence(client_as, office):
    """Through the document upload form: refused with its message, nothing stored, no file row."""
    doc = required(office, "sop")
    response = upload(client_as("pelayanan"), doc, (docm_renamed(), "SOP.docx"), description="keterangan saya")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "makro" in page and 'data-testid="upload-error"' in page
    assert "keterangan saya" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentFile)) == 0
    assert stored_keys(client_as("pelayanan").application) == []


def test_docm_refused_as_register_evidence(client_as, office):
    c = client_as("pmks")
    data = {"name": "Pelatihan menjahit", "kind": "pelatihan", "planned_triwulan": "2", "desa": "Tembokrejo",
            "facilitated": "y", "facilitated_on": "2025-05-20", "evidence_note": "Daftar hadir"}
    for payload, name, message in ((docm_renamed(), "daftar.docx", "makro"),
                                   (with_relationship(docx_bytes(), "word/_rels/document.xml.rels", "attachedTemplate",
                                                      "http://evil.example/t.dotm"), "daftar.docx", "alamat luar")):
        refused = c.post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                         data={**data, "evidence_upload": (io.BytesIO(payload), name)})
        assert refused.status_code == 200 and message in refused.get_data(as_text=True)
        # what the user typed is kept on the refused form
        assert "Pelatihan menjahit" in refused.get_data(as_text=True)
    assert list(c.application.extensions["iku_storage"].iter_keys()) == []
