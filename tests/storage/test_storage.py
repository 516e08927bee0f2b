"""The file store, on both backends (tests/storage/conftest.py runs every test on file:// and on
SeaweedFS): the Store contract, files that follow the database transaction, the app's flows that keep
files, streamed downloads, `storage migrate` and the move of the old blobs (migration 0009)."""
from __future__ import annotations

import hashlib
import io
import os
import tracemalloc

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import PASSWORD, base_config, get_user
from factories import PDF, PNG, docx_bytes, required, stored_keys, upload
from iku_workflow import create_app, storage
from iku_workflow.decree import operations as decree_ops
from iku_workflow.letterhead import kop as kop_store
from iku_workflow.extensions import db
from iku_workflow.models import Activity, DecreeVersion, DocumentFile, Office, OfficeTemplate, SakipEvaluation
from iku_workflow.registers.operations import evidence_key
from iku_workflow.storage import CHUNK, migrate as store_migrate
from iku_workflow.storage.transaction import pending

from factories import tiny_pdf

MB = 1024 * 1024


def big_pdf(size: int) -> bytes:
    """A file the upload policy takes for a PDF, of ``size`` bytes (random, so nothing compresses it)."""
    head = b"%PDF-1.4\n"
    return head + os.urandom(size - len(head) - 6) + b"\n%%EOF"


# ---------------------------------------------------------------- the Store contract

def test_put_open_exists_delete_iter_keys(store):
    first = store.put("gumukmas/2025/a.pdf", PDF)
    assert first == storage.Stored("gumukmas/2025/a.pdf", hashlib.sha256(PDF).hexdigest(), len(PDF))
    second = store.put("gumukmas/2026/b.png", io.BytesIO(PNG))
    assert second.sha256 == hashlib.sha256(PNG).hexdigest() and second.size == len(PNG)
    store.put("puger/2025/c.pdf", PDF)

    assert store.exists("gumukmas/2025/a.pdf") and not store.exists("gumukmas/2025/none.pdf")
    download = store.open("gumukmas/2026/b.png")
    assert download.size == len(PNG) and b"".join(download) == PNG
    assert store.read("gumukmas/2025/a.pdf") == PDF and store.sha256("puger/2025/c.pdf") == first.sha256
    assert sorted(store.iter_keys()) == ["gumukmas/2025/a.pdf", "gumukmas/2026/b.png", "puger/2025/c.pdf"]
    assert sorted(store.iter_keys("gumukmas")) == ["gumukmas/2025/a.pdf", "gumukmas/2026/b.png"]
    assert list(store.iter_keys("nothing")) == []

    store.delete("gumukmas/2025/a.pdf")
    store.delete("gumukmas/2025/a.pdf")  # deleting what is gone is not an error
    assert not store.exists("gumukmas/2025/a.pdf")
    with pytest.raises(storage.FileMissing):
        store.open("gumukmas/2025/a.pdf")


def test_a_key_replaced_is_read_whole_and_new(store):
    store.put("k/file.bin", b"old" * 1000)
    store.put("k/file.bin", b"new")
    assert store.read("k/file.bin") == b"new" and list(store.iter_keys()) == ["k/file.bin"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/path", "a//b", ".hidden", "a/.tmp-x", "a/../b", "a b",
                                 "a\\b", "", "x/"])
def test_keys_that_the_app_never_makes_are_refused(store, key):
    for call in (lambda: store.put(key, b"x"), lambda: store.open(key)):
        with pytest.raises(storage.BadKey):
            call()


def test_large_file_round_trip_in_bounded_chunks(store):
    data = os.urandom(20 * MB + 12345)  # above boto3's 8 MB multipart threshold on S3
    written = store.put("big/scan.pdf", io.BytesIO(data))
    assert written.size == len(data) and written.sha256 == hashlib.sha256(data).hexdigest()
    download = store.open("big/scan.pdf")
    assert download.size == len(data)
    chunks = list(download)
    assert max(len(c) for c in chunks) <= CHUNK and len(chunks) >= len(data) // CHUNK
    assert b"".join(chunks) == data


class FailingStream(io.RawIOBase):
    """Gives ``good`` bytes, then fails as a dropped upload would."""

    def __init__(self, good: int):
        self.left = good

    def readable(self):
        return True

    def read(self, n=-1):
        if self.left <= 0:
            raise OSError("koneksi terputus")
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return b"x" * n


def test_a_write_that_fails_half_way_leaves_nothing(store):
    with pytest.raises((OSError, storage.StoreError)):
        store.put("half/written.bin", FailingStream(3 * CHUNK))
    assert not store.exists("half/written.bin") and list(store.iter_keys()) == []


# ---------------------------------------------------------------- files follow the transaction

def _evidence_row(office):
    row = mk.activity(office)
    stored = storage.save(PDF, storage.new_key("evidence", suffix=".pdf"))
    row.evidence_file = stored.key.split("/", 1)[1]
    return row, stored.key


def test_a_committed_write_stays(app, office, store):
    row, key = _evidence_row(office)
    assert pending(db.session())[0] == [key]
    db.session.commit()
    assert store.read(key) == PDF and pending(db.session()) == ([], [])
    db.session.rollback()  # a later rollback does not touch what was committed
    assert store.exists(key)


def test_a_rolled_back_write_is_deleted(app, office, store):
    db.session.commit()
    _row, key = _evidence_row(office)
    assert store.exists(key)
    db.session.rollback()
    assert not store.exists(key) and stored_keys(app) == []
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_the_transaction_failing_after_the_write_deletes_the_file(app, office, store):
    """The database refuses the row at commit (a CHECK constraint): neither the row nor the file remains."""
    doc = required(office, "sop")
    key = storage.new_key(office.code, doc.year)
    storage.save(PDF, key)
    db.session.add(DocumentFile(office_id=office.id, document_id=doc.id, version=1, original_name="a.pdf",
                                stored_name=key.rsplit("/", 1)[1], relative_dir=f"{office.code}/{doc.year}",
                                size=0, sha256="0" * 64, mime="application/pdf", extension="pdf"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert not store.exists(key)
    assert db.session.scalar(sa.select(sa.func.count(DocumentFile.id))) == 0


def test_a_session_closed_without_commit_deletes_its_files(app, office, store):
    db.session.commit()
    _row, key = _evidence_row(office)
    db.session.remove()  # what the app context's teardown does after a request that did not commit
    assert not store.exists(key)


def test_removal_waits_for_the_commit(app, office, store):
    row, key = _evidence_row(office)
    db.session.commit()
    storage.remove_after_commit(key)
    assert store.exists(key)
    db.session.rollback()  # the delete did not happen: the file stays
    assert store.exists(key) and pending(db.session()) == ([], [])
    storage.remove_after_commit(key)
    db.session.delete(row)
    db.session.commit()
    assert not store.exists(key)


def test_a_rolled_back_savepoint_deletes_only_its_own_files(app, office, store):
    _row, outer = _evidence_row(office)
    savepoint = db.session.begin_nested()
    inner = storage.save(PNG, storage.new_key("evidence", suffix=".png")).key
    savepoint.rollback()
    assert store.exists(outer) and not store.exists(inner)
    savepoint = db.session.begin_nested()
    kept = storage.save(PNG, storage.new_key("evidence", suffix=".png")).key
    savepoint.commit()  # released: the file now belongs to the outer transaction
    db.session.commit()
    assert store.exists(outer) and store.exists(kept)


# ---------------------------------------------------------------- the app's files on this backend

def test_document_upload_whose_commit_fails_leaves_no_file(app, office, client_as, monkeypatch):
    from iku_workflow.documents import operations as doc_ops

    def failing_audit(*args, **kwargs):
        raise RuntimeError("basis data terputus")

    doc = required(office, "sop")
    monkeypatch.setattr(doc_ops.audit, "record", failing_audit)
    with pytest.raises(RuntimeError):
        upload(client_as("pelayanan"), doc, (PDF, "a.pdf"), (docx_bytes(), "b.docx"))
    db.session.rollback()
    assert stored_keys(app) == [] and db.session.scalar(sa.select(sa.func.count(DocumentFile.id))) == 0


def test_document_versions_are_stored_and_downloaded_streamed(app, office, client_as, store, monkeypatch):
    doc = required(office, "sop")
    data = big_pdf(3 * MB)
    client = client_as("pelayanan")
    assert upload(client, doc, (data, "scan besar.pdf")).status_code == 302
    item = db.session.scalar(sa.select(DocumentFile))
    assert stored_keys(app) == [f"gumukmas/{doc.year}/{item.stored_name}"]
    assert item.sha256 == hashlib.sha256(data).hexdigest() == store.sha256(stored_keys(app)[0])

    def no_whole_reads(key):
        raise AssertionError("a download must stream, not read the whole file")

    monkeypatch.setattr(store, "read", no_whole_reads)
    response = client.get(f"/dokumen/berkas/{item.id}/unduh")
    assert response.status_code == 200 and response.is_streamed
    assert response.content_length == len(data)
    assert response.headers["Content-Disposition"] == "attachment; filename=\"scan besar.pdf\""
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.mimetype == "application/pdf"
    chunks = list(response.response)
    response.close()
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= CHUNK and b"".join(chunks) == data


def test_send_answers_with_the_open_file_not_its_bytes(app, store):
    store.put("gumukmas/2025/x", PDF)
    with app.test_request_context("/"):
        response = storage.send("gumukmas/2025/x", mimetype="application/pdf", download_name="Laporan «akhir».pdf")
        assert response.direct_passthrough and isinstance(response.response, storage.Download)
        assert response.content_length == len(PDF) and b"".join(response.response) == PDF
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Laporan akhir.pdf\"; filename*=UTF-8''Laporan%20%C2%ABakhir%C2%BB.pdf")


def test_streaming_a_download_does_not_hold_the_file_in_memory(app, office, client_as, store):
    doc = required(office, "sop")
    data = big_pdf(8 * MB)
    client = client_as("pelayanan")
    upload(client, doc, (data, "scan.pdf"))
    item = db.session.scalar(sa.select(DocumentFile))
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        response = client.get(f"/dokumen/berkas/{item.id}/unduh")
        for chunk in response.response:
            digest.update(chunk)
        response.close()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == item.sha256
    assert peak < len(data) / 4, f"peak {peak / MB:.1f} MB while streaming an {len(data) / MB:.0f} MB file"


def test_a_row_whose_file_is_missing_gives_404(app, office, client_as, store):
    doc = required(office, "sop")
    client = client_as("pelayanan")
    upload(client, doc, (PDF, "a.pdf"))
    item = db.session.scalar(sa.select(DocumentFile))
    store.delete(f"{item.relative_dir}/{item.stored_name}")
    assert client.get(f"/dokumen/berkas/{item.id}/unduh").status_code == 404


def test_register_evidence_created_replaced_and_kept_on_refusal(app, office, client_as, store):
    client = client_as("sekretariat")
    form = {"score": "72,5", "lhe_reference": "700/12/2025", "lhe_date": "2025-11-20", "evidence_note": "LHE"}
    assert client.post("/register/sakip/2025/baru", content_type="multipart/form-data",
                       data={**form, "evidence_upload": (io.BytesIO(PDF), "lhe.pdf")}).status_code == 302
    row = db.session.scalar(sa.select(SakipEvaluation))
    first = evidence_key(row.evidence_file)
    assert stored_keys(app) == [first] and store.read(first) == PDF
    # a second SAKIP row of the year is refused after its file was written: the file goes again
    client.post("/register/sakip/2025/baru", content_type="multipart/form-data",
                data={**form, "evidence_upload": (io.BytesIO(PNG), "lhe.png")})
    assert stored_keys(app) == [first]
    # a new file is the next version (issue 13): both stay in the store, the new one is current
    assert client.post(f"/register/sakip/data/{row.id}/ubah", content_type="multipart/form-data",
                       data={**form, "evidence_upload": (io.BytesIO(PNG), "lhe baru.png")}).status_code == 302
    db.session.expire_all()
    second = evidence_key(row.evidence_file)
    assert second != first and sorted(stored_keys(app)) == sorted([first, second]) and store.read(second) == PNG
    with client.get(f"/register/sakip/data/{row.id}/bukti") as response:
        assert response.status_code == 200 and response.data == PNG and response.mimetype == "image/png"


def test_decree_version_scan_and_template_live_in_the_store(app, office, store, client_as, monkeypatch):
    decree = decree_ops.create_decree(office, 2030, None)
    version = decree_ops.generate_version(decree, get_user("sekcam"))
    db.session.commit()
    assert version.file_key.startswith("gumukmas/2030/decree/versi-1-") and version.file_key.endswith(".docx")
    data = store.read(version.file_key)
    assert hashlib.sha256(data).hexdigest() == version.sha256 and len(data) == version.size
    download = client_as("sekcam").get("/keputusan/2030/versi/1.docx")
    assert download.is_streamed and download.content_length == version.size and download.data == data
    download.close()

    # a final decree whose commit fails keeps no scan
    version = db.session.get(DecreeVersion, version.id)
    decree_ops.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    scan_key = decree.signed_path
    assert store.exists(scan_key)
    db.session.rollback()
    assert not store.exists(scan_key)
    decree = decree_ops.find_decree(office, 2030)
    decree_ops.finalize(decree, db.session.get(DecreeVersion, version.id), io.BytesIO(tiny_pdf()), "ttd.pdf",
                        get_user("camat"))
    db.session.commit()
    assert store.read(decree.signed_path) == tiny_pdf() == client_as("camat").get("/keputusan/2030/ttd.pdf").data

    template = kop_store.base_template(office)
    tpl = kop_store.upload_template(office, template, "kop.docx", get_user("admin"))
    db.session.commit()
    assert tpl.file_key.startswith("gumukmas/kop/templat-") and store.read(tpl.file_key) == template
    assert kop_store.template_bytes(office) == template
    assert client_as("admin").get("/admin/kop/templat.docx").data == template


# ---------------------------------------------------------------- iku-workflow storage migrate

def _populate(office, client_as):
    upload(client_as("pelayanan"), required(office, "sop"), (PDF, "sop.pdf"), (big_pdf(2 * MB), "scan.pdf"))
    row, _key = _evidence_row(office)
    decree = decree_ops.create_decree(office, 2030, None)
    version = decree_ops.generate_version(decree, None)
    decree_ops.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    kop_store.upload_template(office, kop_store.base_template(office), "kop.docx", get_user("admin"))
    db.session.commit()


def test_migrate_copies_every_referenced_file_verified_and_only_once(make_app, other_store_url, backend):
    target_url = other_store_url.pop("IKU_STORAGE_URL")
    app = make_app(**other_store_url)  # the S3 settings of the other side, the store of this backend
    with app.app_context():
        from iku_workflow.seed.demo import seed_demo

        office = seed_demo(PASSWORD, echo=lambda _m: None)
        db.session.commit()

        def client_as(username):
            c = app.test_client()
            assert c.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
            return c

        _populate(office, client_as)
        source = app.extensions["iku_storage"]
        source.put("stray/no-row.bin", b"not named by any row")
        refs = store_migrate.referenced()
        assert len(refs) == 6  # two document versions, one evidence file, a version, a scan, a template
        runner = app.test_cli_runner()

        result = runner.invoke(args=["storage", "migrate", "--to", target_url])
        assert result.exit_code == 0, result.output
        assert "6 berkas: 6 disalin, 0 sudah ada (SHA-256 sama), 0 gagal." in result.output
        target = storage.store_from_url(target_url, app.config)
        assert sorted(target.iter_keys()) == sorted(r.key for r in refs)  # the stray file is not named: not copied
        for ref in refs:
            assert target.read(ref.key) == source.read(ref.key)

        again = runner.invoke(args=["storage", "migrate", "--to", target_url])
        assert again.exit_code == 0 and "6 berkas: 0 disalin, 6 sudah ada" in again.output

        # a damaged copy in the target is noticed by its SHA-256 and copied again
        damaged = refs[0].key
        target.put(damaged, b"rusak")
        fixed = runner.invoke(args=["storage", "migrate", "--to", target_url, "--all"])
        assert fixed.exit_code == 0 and "7 berkas: 2 disalin, 5 sudah ada" in fixed.output
        assert target.read(damaged) == source.read(damaged) and target.exists("stray/no-row.bin")

        # a source file that no longer matches the database's SHA-256 is refused, not copied
        doc_key = next(r.key for r in refs if r.what.startswith("document_files"))
        source.put(doc_key, b"diubah di luar aplikasi")
        target.delete(doc_key)
        refused = runner.invoke(args=["storage", "migrate", "--to", target_url])
        assert refused.exit_code == 1 and "1 gagal" in refused.output
        assert "tidak cocok dengan SHA-256" in refused.output and not target.exists(doc_key)


def test_migrate_refuses_the_same_store_and_a_bad_url(app, runner, store):
    result = runner.invoke(args=["storage", "migrate", "--to", store.url])
    assert result.exit_code == 1 and "sama" in result.output
    result = runner.invoke(args=["storage", "migrate", "--to", "ftp://server/files"])
    assert result.exit_code == 1 and "file:// or s3://" in result.output


# ---------------------------------------------------------------- migration 0009: blobs to the store



def test_migration_0009_moves_the_blobs_into_the_store_and_back(empty_database_url, tmp_path, backend):
    from flask_migrate import downgrade, upgrade

    from conftest import storage_config

    app = create_app({**base_config(empty_database_url, tmp_path), **storage_config(tmp_path, backend)})
    store = app.extensions["iku_storage"]
    docx, kop = docx_bytes(), docx_bytes({"word/kop.xml": b"<kop/>"})
    with app.app_context():
        upgrade(revision="0008_office_logo")
        # rows as revision 0008 held them, written as SQL: today's models know columns 0008 did not have
        from iku_workflow.models._types import utcnow

        offices = sa.table("offices", *(sa.column(n) for n in (
            "code", "name", "kabupaten", "address", "telephone", "email", "postal_code", "city", "camat_name",
            "camat_pangkat", "signatory_acting", "paper_size")), sa.column("created_at", sa.DateTime(timezone=True)))
        with db.engine.begin() as conn:
            office_id = conn.execute(offices.insert().values(
                code="gumukmas", name="Gumukmas", kabupaten="Jember", address="", telephone="", email="",
                postal_code="", city="Gumukmas", camat_name="", camat_pangkat="", signatory_acting="", paper_size="F4",
                created_at=utcnow()).returning(sa.column("id"))).scalar_one()

        decrees = sa.table("decrees", sa.column("office_id"), sa.column("year"), sa.column("nomor"), sa.column("tempat"),
                           sa.column("tentang"), *(sa.column(name, sa.JSON) for name in (
                               "menimbang", "mengingat", "memperhatikan", "diktum", "tembusan", "tugas", "fungsi")),
                           sa.column("status"), sa.column("created_at", sa.DateTime(timezone=True)),
                           sa.column("updated_at", sa.DateTime(timezone=True)))
        with db.engine.begin() as conn:
            decree_id = conn.execute(decrees.insert().values(
                office_id=office_id, year=2030, nomor="000.8.6.3/ /35.09.04/2030", tempat="Gumukmas",
                tentang="Indikator Kinerja Utama", menimbang=[], mengingat=[], memperhatikan=[], diktum=[],
                tembusan=[], tugas=[], fungsi=[], status="draft", created_at=utcnow(), updated_at=utcnow(),
            ).returning(sa.column("id"))).scalar_one()
        versions = sa.table("decree_versions", sa.column("decree_id"), sa.column("office_id"), sa.column("number"),
                            sa.column("docx", sa.LargeBinary), sa.column("sha256"), sa.column("size"),
                            sa.column("snapshot", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)))
        templates = sa.table("office_templates", sa.column("office_id"), sa.column("filename"),
                             sa.column("docx", sa.LargeBinary), sa.column("sha256"), sa.column("size"),
                             sa.column("active"), sa.column("uploaded_at", sa.DateTime(timezone=True)))
        with db.engine.begin() as conn:
            conn.execute(versions.insert().values(decree_id=decree_id, office_id=office_id, number=1, docx=docx,
                                                  sha256=hashlib.sha256(docx).hexdigest(), size=len(docx),
                                                  snapshot={}, created_at=utcnow()))
            conn.execute(templates.insert().values(office_id=office_id, filename="kop.docx", docx=kop,
                                                   sha256=hashlib.sha256(kop).hexdigest(), size=len(kop), active=True,
                                                   uploaded_at=utcnow()))
        db.session.remove()

        upgrade()
        version = db.session.scalar(sa.select(DecreeVersion))
        template = db.session.scalar(sa.select(OfficeTemplate))
        assert version.file_key == f"gumukmas/2030/decree/versi-1-{version.sha256[:16]}.docx"
        assert store.read(version.file_key) == docx and store.read(template.file_key) == kop
        assert kop_store.template_bytes(db.session.get(Office, office_id)) == kop
        with db.engine.connect() as conn:
            assert "docx" not in {c["name"] for c in sa.inspect(conn).get_columns("decree_versions")}
        db.session.remove()

        downgrade(revision="0008_office_logo")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT docx FROM decree_versions")).scalar() == docx
            assert conn.execute(sa.text("SELECT docx FROM office_templates")).scalar() == kop
        upgrade()  # and up again: the same keys, the same bytes
        assert store.read(db.session.scalar(sa.select(DecreeVersion.file_key))) == docx
        db.session.remove()
        db.engine.dispose()
