"""One upload policy for every upload path (iku_workflow.storage.uploads and .zipcheck): the same zip
limits for evidence, imports and templates, sizes counted while reading, limits that live in one place,
and the store chosen by the configuration."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import base_config
from factories import PDF, docx_bytes, required, stored_keys, upload
from iku_workflow import create_app, storage
from iku_workflow.decree import operations as decree_ops
from iku_workflow.extensions import db
from iku_workflow.registers import program_import
from iku_workflow.reports.letterhead import TemplateError, validate_template
from iku_workflow.storage import uploads, zipcheck
from iku_workflow.survey import importer

MB = 1024 * 1024


def xlsx_with(extra: dict[str, bytes]) -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in extra.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_one_set_of_zip_limits_governs_evidence_imports_and_sheets(app, office, monkeypatch):
    """Lowering the app's one limit (zipcheck.DEFAULT) refuses the same file on every path that opens zips."""
    sheet = xlsx_with({"xl/media/pad.bin": bytes(range(256)) * 4096})  # 1 MB that compresses little
    assert zipcheck.problem(sheet) is None
    monkeypatch.setattr(zipcheck, "DEFAULT", zipcheck.ZipLimits(entries=2000, uncompressed=512 * 1024, ratio=200))
    with pytest.raises(uploads.UploadError, match="bom zip"):
        uploads.check(sheet, "data.xlsx")
    with pytest.raises(importer.ImportRejected, match="bom zip"):
        importer.read_table(sheet, "skm.xlsx")
    with pytest.raises(program_import.ImportFailed, match="terlalu besar setelah diekstrak"):
        program_import._open(sheet)


def test_evidence_with_an_extreme_compression_ratio_is_refused(app, office, client_as):
    """2 MB of zeros inside a DOCX: far below the total limit, but a ratio no real document has."""
    bomb = docx_bytes({"word/media/nol.bin": b"\x00" * (2 * MB)})
    assert zipcheck.problem(bomb) == zipcheck.RATIO
    response = upload(client_as("pelayanan"), required(office, "sop"), (bomb, "bom.docx"))
    assert response.status_code == 400 and "bom zip" in response.get_data(as_text=True)
    assert stored_keys(app) == []


def test_templates_keep_their_tighter_limits_from_the_same_place():
    zeros = docx_bytes({"word/media/zeros.bin": b"\x00" * (20 * MB)})
    with pytest.raises(TemplateError, match="zip bomb"):
        validate_template(zeros)
    many = docx_bytes({f"word/x{i}.xml": b"<a/>" for i in range(zipcheck.TEMPLATE.entries + 1)})
    assert zipcheck.problem(many) is None  # within the evidence limit …
    with pytest.raises(TemplateError, match="terlalu banyak bagian"):
        validate_template(many)  # … not within the template's


class CountingStream(io.RawIOBase):
    def __init__(self, total: int):
        self.total, self.given = total, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = min(64 * 1024 if n is None or n < 0 else n, self.total - self.given)
        self.given += n
        return b"%PDF-1.4\n" + b"0" * (n - 9) if self.given == n else b"0" * n


def test_a_too_large_upload_is_refused_without_reading_it_all(app):
    stream = CountingStream(50 * MB)
    with pytest.raises(uploads.UploadError, match="melebihi batas ukuran 1 MB") as refused:
        uploads.check(stream, "besar.pdf", max_bytes=1 * MB)
    assert refused.value.code == "too_large" and stream.given <= 1 * MB + 64 * 1024


def test_size_limits_come_from_the_configuration_and_the_policy(app, office, client_as, monkeypatch):
    monkeypatch.setitem(app.config, "IKU_MAX_UPLOAD_MB", 1)  # read when a file arrives, not at start-up
    assert uploads.max_upload_bytes() == 1 * MB
    decree = decree_ops.create_decree(office, 2030, None)
    version = decree_ops.generate_version(decree, None)
    big_scan = PDF + b"0" * (1 * MB)
    with pytest.raises(decree_ops.DecreeError, match=r"terlalu besar \(batas 1 MB\)"):
        decree_ops.finalize(decree, version, big_scan, "ttd.pdf", _user("camat"))
    db.session.commit()
    client = client_as("sekretariat")
    sheet = program_import.template_bytes(2025) + b"\x00" * (uploads.IMPORT_MAX_BYTES + 1)
    response = client.post("/register/program/2025/impor", data={"file": (io.BytesIO(sheet), "program.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Berkas terlalu besar (maksimal 10 MB)." in response.get_data(as_text=True)


def _user(username):
    from conftest import get_user

    return get_user(username)


# ---------------------------------------------------------------- which store the configuration opens

def test_upload_dir_is_the_folder_of_the_default_store(tmp_path, database_url):
    config = {**base_config(database_url, tmp_path), "IKU_STORAGE_URL": "", "IKU_UPLOAD_DIR": str(tmp_path / "u")}
    store = create_app(config).extensions["iku_storage"]
    assert isinstance(store, storage.LocalStore) and store.root == (tmp_path / "u").resolve()
    store.put("gumukmas/2025/x", b"1")
    assert (tmp_path / "u" / "gumukmas" / "2025" / "x").read_bytes() == b"1"  # where IKU_UPLOAD_DIR put files


def test_storage_url_from_the_environment_wins_and_relative_file_urls_are_under_the_instance(
        tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("IKU_STORAGE_URL", "file://berkas")
    config = {k: v for k, v in base_config(database_url, tmp_path).items() if k != "IKU_STORAGE_URL"}
    app = create_app(config)
    store = app.extensions["iku_storage"]
    assert isinstance(store, storage.LocalStore) and store.root == (Path(app.instance_path) / "berkas").resolve()


def test_s3_urls_name_bucket_prefix_and_settings():
    from iku_workflow.storage.s3 import S3Store

    store = storage.store_from_url("s3://arsip-iku/jember/gumukmas", {
        "IKU_S3_ENDPOINT_URL": "http://127.0.0.1:8333", "IKU_S3_ACCESS_KEY": "a", "IKU_S3_SECRET_KEY": "b"})
    assert isinstance(store, S3Store) and store.bucket == "arsip-iku" and store.prefix == "jember/gumukmas"
    assert store.url == "s3://arsip-iku/jember/gumukmas" and store.endpoint_url == "http://127.0.0.1:8333"
    with pytest.raises(storage.StoreError):
        storage.store_from_url("s3:///no-bucket")
    with pytest.raises(storage.StoreError, match="file:// or s3://"):
        storage.store_from_url("/var/lib/iku")


def test_files_kept_by_the_previous_release_under_upload_dir_are_served(make_app, tmp_path):
    """The old layout (IKU_UPLOAD_DIR/<office>/<year>/<stored_name>, IKU_UPLOAD_DIR/evidence/<name>) is the
    default store's key space: an existing installation's files need no move."""
    import hashlib

    import sqlalchemy as sa

    from conftest import PASSWORD
    from iku_workflow.models import Activity, DocumentFile
    from iku_workflow.seed.demo import seed_demo
    import factories as mk

    old = tmp_path / "old-uploads"
    app = make_app(IKU_STORAGE_URL="", IKU_UPLOAD_DIR=str(old))
    with app.app_context():
        office = seed_demo(PASSWORD, echo=lambda _m: None)
        doc = required(office, "sop")
        (old / "gumukmas" / str(doc.year)).mkdir(parents=True)
        (old / "gumukmas" / str(doc.year) / ("a" * 32)).write_bytes(PDF)
        (old / "evidence").mkdir()
        (old / "evidence" / ("b" * 32 + ".pdf")).write_bytes(PDF + b"%bukti\n")
        db.session.add(DocumentFile(office_id=office.id, document_id=doc.id, version=1, original_name="lama.pdf",
                                    stored_name="a" * 32, relative_dir=f"gumukmas/{doc.year}", size=len(PDF),
                                    sha256=hashlib.sha256(PDF).hexdigest(), mime="application/pdf", extension="pdf"))
        row = mk.activity(office)
        row.evidence_file, row.evidence_filename, row.evidence_mime = "b" * 32 + ".pdf", "bukti.pdf", "application/pdf"
        db.session.commit()
        file_id = db.session.scalar(sa.select(DocumentFile.id))
        row_id = db.session.scalar(sa.select(Activity.id))
        client = app.test_client()
        assert client.post("/login", data={"username": "pmks", "password": PASSWORD}).status_code == 302
        assert client.get(f"/dokumen/berkas/{file_id}/unduh").data == PDF
        assert client.get(f"/register/kegiatan/data/{row_id}/bukti").data == PDF + b"%bukti\n"
        db.session.remove()
