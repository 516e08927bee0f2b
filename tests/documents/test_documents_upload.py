"""Uploading evidence: what is accepted, what is refused (and that a refusal changes nothing), versions,
downloads and who may do what."""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import (EXE, HTML, JPG, PDF, PNG, docx_bytes, stored_keys, plain_zip, required, upload,
                               xlsx_bytes)
from iku_workflow import storage
from iku_workflow.extensions import db
from iku_workflow.storage import uploads, zipcheck
from iku_workflow.models import DocumentFile, EntryState, WorkflowAction, WorkflowEvent
from iku_workflow.workflow import operations as ops


def _rows() -> int:
    return db.session.scalar(sa.select(sa.func.count(DocumentFile.id)))


def test_happy_path_stores_row_file_and_hash(app, office, client_as):
    doc = required(office, "sop")
    response = upload(client_as("pelayanan"), doc, (PDF, "SOP Pelayanan KTP.pdf"), description="SOP 2025", follow=True)
    assert response.status_code == 200
    assert "1 berkas tersimpan" in response.get_data(as_text=True)
    item = db.session.scalar(sa.select(DocumentFile))
    assert (item.version, item.original_name, item.size, item.extension, item.mime) == (
        1, "SOP Pelayanan KTP.pdf", len(PDF), "pdf", "application/pdf")
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert item.uploaded_by_id == get_user("pelayanan").id and item.description == "SOP 2025"
    [key] = stored_keys(app)
    assert key == f"gumukmas/{doc.year}/{item.stored_name}"
    assert app.extensions["iku_storage"].read(key) == PDF
    edit = db.session.scalar(sa.select(WorkflowEvent).where(WorkflowEvent.entry_id == doc.entry_id,
                                                             WorkflowEvent.action == WorkflowAction.EDIT))
    assert "SOP Pelayanan KTP.pdf" in edit.note
    page = client_as("pelayanan").get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert "Diubah" in page and "SOP Pelayanan KTP.pdf" in page


def test_every_allowed_type_and_several_files_in_one_post(app, office, client_as):
    doc = required(office, "sop")
    files = [(PDF, "a.pdf"), (docx_bytes(), "b.docx"), (xlsx_bytes(), "c.xlsx"), (JPG, "d.jpeg"), (PNG, "e.png")]
    assert upload(client_as("pelayanan"), doc, *files).status_code == 302
    stored = db.session.scalars(sa.select(DocumentFile).order_by(DocumentFile.version)).all()
    assert [(f.version, f.extension) for f in stored] == [(1, "pdf"), (2, "docx"), (3, "xlsx"), (4, "jpg"), (5, "png")]
    assert len(stored_keys(app)) == 5


def test_new_upload_is_a_new_version_and_old_ones_stay_downloadable(app, office, client_as):
    doc = required(office, "sop")
    client = client_as("pelayanan")
    upload(client, doc, (PDF, "sop.pdf"))
    upload(client, doc, (PDF + b"% revisi\n", "sop.pdf"))
    first, second = db.session.scalars(sa.select(DocumentFile).order_by(DocumentFile.version)).all()
    assert (first.version, second.version) == (1, 2) and first.stored_name != second.stored_name
    assert client.get(f"/dokumen/berkas/{first.id}/unduh", buffered=True).data == PDF
    assert client.get(f"/dokumen/berkas/{second.id}/unduh", buffered=True).data == PDF + b"% revisi\n"


BAD = [
    pytest.param(b"", "kosong.pdf", "kosong", id="empty"),
    pytest.param(EXE, "laporan.pdf", "tidak diizinkan", id="exe-renamed-pdf"),
    pytest.param(HTML, "laporan.pdf", "tidak diizinkan", id="html-renamed-pdf"),
    pytest.param(plain_zip(), "laporan.docx", "tidak diizinkan", id="zip-renamed-docx"),
    pytest.param(PNG, "laporan.pdf", "tidak sesuai", id="png-named-pdf"),
    pytest.param(docx_bytes(), "laporan.xlsx", "tidak sesuai", id="docx-named-xlsx"),
    pytest.param(PDF, "../laporan.pdf", "bagian folder", id="dotdot"),
    pytest.param(PDF, "arsip/laporan.pdf", "bagian folder", id="slash"),
    pytest.param(PDF, "arsip\\laporan.pdf", "bagian folder", id="backslash"),
    pytest.param(PDF, "lapor\x00an.pdf", "karakter kendali", id="nul"),
    pytest.param(PDF, "lapor\tan.pdf", "karakter kendali", id="tab"),
    pytest.param(PDF, "lapor\x1ban.pdf", "karakter kendali", id="escape"),
    pytest.param(PDF, "lapor\u202ean.pdf", "karakter kendali", id="rtl-override"),
]


@pytest.mark.parametrize("content, name, message", BAD)
def test_bad_upload_is_refused_and_changes_nothing(app, office, client_as, content, name, message):
    doc = required(office, "sop")
    version = doc.entry.version
    response = upload(client_as("pelayanan"), doc, (content, name), description="keterangan saya")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'data-testid="upload-error"' in html
    assert "keterangan saya" in html  # the description typed is not lost
    assert _rows() == 0 and stored_keys(app) == []
    db.session.expire_all()
    assert doc.entry.version == version and len(doc.entry.events) == 1


@pytest.mark.parametrize("name", ["a\nb.pdf", "a\rb.pdf", "a\x7fb.pdf", "..", ".", "", "   ", "x/../../etc/passwd"])
def test_check_filename_refuses_control_characters_and_path_parts(name):
    with pytest.raises(uploads.UploadError):
        uploads.check_filename(name)


def test_check_filename_keeps_ordinary_indonesian_names():
    assert uploads.check_filename("Laporan SKM Triwulan I (final) 2025.pdf") == "Laporan SKM Triwulan I (final) 2025.pdf"


def test_over_the_size_limit_is_refused(make_app, office, tmp_path):
    small = make_app(IKU_MAX_UPLOAD_MB=1)
    client = small.test_client()
    client.post("/login", data={"username": "pelayanan", "password": "rahasia-demo-123"})
    doc = required(office, "sop")
    big = PDF + b"0" * (1024 * 1024)
    response = upload(client, doc, (big, "besar.pdf"))
    assert response.status_code == 400 and "melebihi batas ukuran 1 MB" in response.get_data(as_text=True)
    assert _rows() == 0 and stored_keys(small) == []


def test_zip_bomb_and_too_many_parts_are_refused(app, office, client_as, monkeypatch):
    doc = required(office, "sop")
    # the app's one set of zip limits (storage.zipcheck.DEFAULT), made small here
    monkeypatch.setattr(zipcheck, "DEFAULT", zipcheck.ZipLimits(entries=2000, uncompressed=1024 * 1024, ratio=10**6))
    bomb = docx_bytes({"word/media/nol.bin": b"\x00" * (2 * 1024 * 1024)})
    response = upload(client_as("pelayanan"), doc, (bomb, "bom.docx"))
    assert response.status_code == 400 and "bom zip" in response.get_data(as_text=True)
    monkeypatch.setattr(zipcheck, "DEFAULT", zipcheck.ZipLimits(entries=20, uncompressed=200 * 1024 * 1024, ratio=200))
    many = docx_bytes({f"word/media/{i}.bin": b"x" for i in range(30)})
    response = upload(client_as("pelayanan"), doc, (many, "banyak.docx"))
    assert response.status_code == 400 and "bom zip" in response.get_data(as_text=True)
    assert _rows() == 0 and stored_keys(app) == []


def test_one_bad_file_in_a_batch_stores_none_of_them(app, office, client_as):
    doc = required(office, "sop")
    response = upload(client_as("pelayanan"), doc, (PDF, "baik.pdf"), (EXE, "jahat.pdf"))
    assert response.status_code == 400 and "jahat.pdf" in response.get_data(as_text=True)
    assert _rows() == 0 and stored_keys(app) == []


def test_no_file_chosen(app, office, client_as):
    doc = required(office, "sop")
    response = client_as("pelayanan").post(f"/dokumen/wajib/{doc.id}/unggah", data={"description": "x"})
    assert response.status_code == 400 and "Pilih minimal satu berkas" in response.get_data(as_text=True)


def test_failure_after_the_files_are_written_leaves_no_orphan(app, office, client_as, monkeypatch):
    """The second file's write fails after the first was written: the request's rollback deletes it."""
    doc = required(office, "sop")
    store = app.extensions["iku_storage"]
    real_put, calls = store.put, []

    def failing_second_put(key, data):
        calls.append(key)
        if len(calls) == 2:
            raise storage.StoreError("disk penuh")
        return real_put(key, data)

    monkeypatch.setattr(store, "put", failing_second_put)
    with pytest.raises(storage.StoreError):
        upload(client_as("pelayanan"), doc, (PDF, "a.pdf"), (PNG, "b.png"))
    db.session.rollback()
    assert len(calls) == 2 and _rows() == 0 and stored_keys(app) == []


def test_failed_commit_removes_the_placed_file(app, office, client_as, monkeypatch):
    doc = required(office, "sop")
    real_commit = db.session.commit

    def failing_commit():
        raise RuntimeError("koneksi basis data terputus")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError):
        upload(client_as("pelayanan"), doc, (PDF, "sop.pdf"))
    monkeypatch.setattr(db.session, "commit", real_commit)
    db.session.rollback()
    assert _rows() == 0 and stored_keys(app) == []


def test_download_is_an_attachment_with_nosniff(app, office, client_as):
    doc = required(office, "sop")
    upload(client_as("pelayanan"), doc, (PDF, "SOP final.pdf"))
    item = db.session.scalar(sa.select(DocumentFile))
    for username in ("camat", "sekcam", "pmks", "admin"):
        response = client_as(username).get(f"/dokumen/berkas/{item.id}/unduh", buffered=True)
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "SOP" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"


def test_another_office_cannot_see_or_touch_the_document(app, office, other_office, client_as):
    doc = required(office, "sop")
    upload(client_as("pelayanan"), doc, (PDF, "sop.pdf"))
    item = db.session.scalar(sa.select(DocumentFile))
    outsider = client_as("trantib-puger")
    assert outsider.get(f"/dokumen/wajib/{doc.id}").status_code == 404
    assert outsider.get(f"/dokumen/berkas/{item.id}/unduh", buffered=True).status_code == 404
    assert upload(outsider, doc, (PDF, "x.pdf")).status_code == 404
    assert client_as("sekcam-puger").get(f"/dokumen/entri/{doc.entry_id}").status_code == 404
    assert _rows() == 1


def test_operator_of_another_section_cannot_upload(app, office, client_as):
    doc = required(office, "sop")  # Seksi Pelayanan Umum
    client = client_as("pmks")
    page = client.get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert 'data-testid="upload-form"' not in page
    assert upload(client, doc, (PDF, "sop.pdf")).status_code == 403
    for username in ("sekcam", "admin", "camat"):
        assert upload(client_as(username), doc, (PDF, "sop.pdf")).status_code == 403
    assert _rows() == 0 and stored_keys(app) == []


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_submitted_or_approved_document_refuses_uploads(app, office, client_as, state):
    doc = required(office, "sop")
    client = client_as("pelayanan")
    upload(client, doc, (PDF, "sop.pdf"))
    ops.submit(doc.entry, get_user("pelayanan"))
    if state == "approved":
        ops.approve(doc.entry, get_user("sekcam"))
    db.session.commit()
    response = upload(client, doc, (PDF + b"%v2\n", "sop-baru.pdf"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert ("terkunci" if state == "approved" else "sedang ditinjau") in html
    assert _rows() == 1 and len(stored_keys(app)) == 1
    db.session.expire_all()
    assert doc.entry.state is EntryState(state)
