"""The office's kop template at /admin/kop: download, edit, upload, revert; one office's kop never another's."""
from __future__ import annotations

import io
import zipfile

from iku_workflow import storage
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.letterhead import kop
from iku_workflow.models import OfficeTemplate

from factories import header_text, open_docx


def _with_kop_text(template: bytes, text: str) -> bytes:
    doc = open_docx(template)
    header = doc.sections[0].first_page_header
    header.paragraphs[0].text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _with_external_link(template: bytes) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(template)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/hyperlink" Target="http://contoh.invalid/" '
                                    b'TargetMode="External"/></Relationships>')
            dst.writestr(item, data)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "kop.docx"):
    return client.post("/admin/kop", data={"template": (io.BytesIO(data), name)}, follow_redirects=True)


def test_download_edit_upload_and_revert_the_kop(client_as, office):
    admin = client_as("admin")
    response = admin.get("/admin/kop/templat.docx")
    assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    base = response.data
    assert "KECAMATAN GUMUKMAS" in header_text(open_docx(base).sections[0].first_page_header)
    assert "kop bawaan" in admin.get("/admin/kop").get_data(as_text=True)

    page = _upload(admin, _with_kop_text(base, "KOP UJI GUMUKMAS")).get_data(as_text=True)
    assert "Templat kop diunggah" in page and "kop.docx" in page
    decree = operations.create_decree(office, 2026, None)
    version = operations.generate_version(decree, None)
    db.session.commit()  # the test clients' requests share this session; their rollbacks must not undo it
    assert "KOP UJI GUMUKMAS" in header_text(open_docx(operations.version_bytes(version)).sections[0].first_page_header)
    # the admin's download is now the uploaded template
    assert "KOP UJI GUMUKMAS" in header_text(open_docx(admin.get("/admin/kop/templat.docx").data).sections[0].first_page_header)

    for bad, name, reason in ((b"bukan dokumen word", "kop.docx", "bukan dokumen Word"),
                              (_with_external_link(base), "kop.docx", "tautan ke berkas luar")):
        page = _upload(admin, bad, name).get_data(as_text=True)
        assert "Templat ditolak" in page and reason in page and "Templat sebelumnya tetap dipakai" in page
    active = kop.active_template(office)
    assert active is not None and "KOP UJI GUMUKMAS" in header_text(open_docx(storage.read(active.file_key)).sections[0].first_page_header)
    assert db.session.query(OfficeTemplate).count() == 1

    admin.post("/admin/kop/bawaan")
    assert kop.active_template(office) is None
    assert db.session.query(OfficeTemplate).count() == 1  # kept, inactive
    fresh = operations.generate_version(decree, None)
    assert "KOP UJI" not in header_text(open_docx(operations.version_bytes(fresh)).sections[0].first_page_header)


def test_only_the_admin_manages_the_kop(client_as, office, other_office):
    assert client_as("sekcam").get("/admin/kop").status_code == 403
    assert client_as("camat").post("/admin/kop/bawaan").status_code == 403
    # Puger's admin downloads Puger's kop, never Gumukmas's upload
    base = client_as("admin").get("/admin/kop/templat.docx").data
    _upload(client_as("admin"), _with_kop_text(base, "KOP KHUSUS GUMUKMAS"))
    puger = client_as("admin-puger").get("/admin/kop/templat.docx").data
    header = header_text(open_docx(puger).sections[0].first_page_header)
    assert "KECAMATAN PUGER" in header and "KHUSUS GUMUKMAS" not in header
