"""Issue 11 (files) with issue 13's versions: no path deletes a register evidence file that was submitted
for review. The file a sekcam returned stays downloadable from the row page as an earlier version, its
SHA-256 on the page and in the audit log; a deleted row that had been submitted keeps its file too.
Every caller of ``storage.remove_after_commit`` in the app is found by reading the source, so a new
one fails here until it is covered."""
from __future__ import annotations

import ast
import hashlib
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g

import iku_workflow
from conftest import get_user
from iku_workflow import storage
from iku_workflow.extensions import db
from iku_workflow.models import Activity, AuditEvent, WorkflowEvent
from iku_workflow.registers import operations as reg_ops
from iku_workflow.workflow import operations as wf

A = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% berkas A"
B = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% berkas B"
C = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% berkas C"
FIELDS = {"name": "Pelatihan menjahit", "kind": "pelatihan", "planned_triwulan": "2", "desa": "Tembokrejo",
          "facilitated": "y", "facilitated_on": "2025-05-20", "evidence_note": "Daftar hadir"}


def _as(client_as, username):
    g.pop("_login_user", None)
    return client_as(username)


def _create(client_as, content=A, name="A.pdf") -> Activity:
    response = _as(client_as, "pmks").post("/register/kegiatan/2025/baru", content_type="multipart/form-data",
                                           data={**FIELDS, "evidence_upload": (io.BytesIO(content), name)})
    assert response.status_code == 302
    return db.session.scalar(sa.select(Activity).order_by(Activity.id.desc()))


def _replace(client_as, row, content, name):
    response = _as(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/ubah",
                                           content_type="multipart/form-data",
                                           data={**FIELDS, "evidence_upload": (io.BytesIO(content), name)})
    assert response.status_code == 302
    db.session.expire_all()


def _submit_and_return(row):
    wf.submit(row.entry, get_user("pmks"))
    wf.return_for_revision(row.entry, get_user("sekcam"), note="Daftar hadir belum ditandatangani.")
    db.session.commit()


def _keys(app):
    return set(app.extensions["iku_storage"].iter_keys())


def _versions(row):
    db.session.expire_all()
    return reg_ops.evidence_versions(row)


def test_returned_evidence_stays_as_an_earlier_version_after_a_new_upload(app, office, client_as):
    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    assert row.evidence_filename == "B.pdf" and key_a in _keys(app)
    sha_a, sha_b = hashlib.sha256(A).hexdigest(), hashlib.sha256(B).hexdigest()
    versions = _versions(row)
    assert [(v.version, v.filename, v.sha256, v.submitted) for v in versions] == [
        (2, "B.pdf", sha_b, False), (1, "A.pdf", sha_a, True)]
    assert versions[1].key == key_a and versions[1].uploaded_by_id == get_user("pmks").id
    # the history of the row names the new version; the audit log each upload with its hash
    notes = [e.note or "" for e in db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id == row.entry_id))]
    assert any("B.pdf (versi 2)" in n for n in notes), notes
    uploads = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "registers.evidence.upload")
                                 .order_by(AuditEvent.id)).all()
    assert [(u.details["key"], u.details["sha256"]) for u in uploads] == [(key_a, sha_a), (versions[0].key, sha_b)]
    # the row page lists both (the current one marked), and every viewer of the row downloads each
    for viewer in ("pmks", "sekcam", "camat", "trantib"):
        page = _as(client_as, viewer).get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
        assert 'data-testid="evidence-versions"' in page and sha_a in page and "A.pdf" in page
        assert page.count('data-testid="current-version"') == 1
        for item, content in ((versions[1], A), (versions[0], B)):
            with _as(client_as, viewer).get(f"/register/kegiatan/data/{row.id}/bukti/{item.id}") as download:
                assert download.status_code == 200 and download.data == content
                assert download.headers["Cache-Control"] == "no-store"
    with _as(client_as, "pmks").get(f"/register/kegiatan/data/{row.id}/bukti") as current:
        assert current.data == B


def test_a_version_of_another_row_or_office_is_not_reachable(app, office, other_office, client_as):
    row = _create(client_as)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    first = _versions(row)[-1]
    other = _create(client_as, C, "C.pdf")
    for suffix in ("", "/lihat"):
        assert _as(client_as, "pmks").get(f"/register/kegiatan/data/{other.id}/bukti/{first.id}{suffix}").status_code == 404
        # the same row id under another register is another row
        assert _as(client_as, "pmks").get(f"/register/pengaduan/data/{row.id}/bukti/{first.id}{suffix}").status_code == 404
        assert _as(client_as, "trantib-puger").get(
            f"/register/kegiatan/data/{row.id}/bukti/{first.id}{suffix}").status_code == 404


def test_a_draft_keeps_every_version_until_one_is_deleted(app, office, client_as):
    """Like a document's file versions: a new upload adds a version, the earlier one stays."""
    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _replace(client_as, row, B, "B.pdf")
    assert _keys(app) == {key_a, reg_ops.evidence_key(row.evidence_file)}
    assert [v.filename for v in _versions(row)] == ["B.pdf", "A.pdf"]


def test_every_file_ever_submitted_stays_over_several_rounds(app, office, client_as):
    row = _create(client_as)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    _submit_and_return(row)
    _replace(client_as, row, C, "C.pdf")
    store = app.extensions["iku_storage"]
    assert sorted(store.read(k) for k in _keys(app)) == sorted([A, B, C])
    assert [(v.sha256, v.submitted) for v in _versions(row)] == [
        (hashlib.sha256(C).hexdigest(), False), (hashlib.sha256(B).hexdigest(), True),
        (hashlib.sha256(A).hexdigest(), True)]


def test_deleting_a_returned_row_keeps_its_submitted_file(app, office, client_as):
    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _submit_and_return(row)
    row_id, version = row.id, row.entry.version
    response = _as(client_as, "pmks").post(f"/register/kegiatan/data/{row_id}/hapus", data={"version": version})
    assert response.status_code == 302
    assert db.session.get(Activity, row_id) is None
    assert key_a in _keys(app)
    deleted = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registers.delete"))
    assert deleted.details["evidence_key"] == key_a
    assert deleted.details["evidence_sha256"] == hashlib.sha256(A).hexdigest()


def test_deleting_a_draft_never_submitted_removes_its_file(app, office, client_as):
    row = _create(client_as)
    response = _as(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/hapus",
                                           data={"version": row.entry.version})
    assert response.status_code == 302
    assert _keys(app) == set()


def _callers_of_remove_after_commit() -> set[str]:
    root = Path(iku_workflow.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if path.parts[-2] == "storage":
            continue  # the store itself
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == \
                        "remove_after_commit":
                    found.add(f"{path.relative_to(root).with_suffix('').as_posix()}.{func.name}")
    return found


def test_every_caller_of_remove_after_commit_is_covered_here():
    """The paths above are every path that deletes a stored file: a row's deletion (never-submitted
    versions only) and the deletion of one never-submitted version (register evidence here, document
    files in tests/documents/test_file_versions.py). A new caller must be added with a test that a
    submitted file survives it."""
    assert _callers_of_remove_after_commit() == {"registers/operations.delete_evidence",
                                                 "registers/operations.delete_row",
                                                 "documents/operations.delete_file",
                                                 "registers/views.program_confirm"}


def test_a_confirmed_program_import_removes_only_its_waiting_sheet(app, office, client_as):
    """The IKU 6 import preview keeps the uploaded sheet in the file store until it is confirmed; the
    confirmation removes that sheet (never a row's evidence: approved rows keep theirs)."""
    from openpyxl import Workbook

    from factories import approve, program
    from iku_workflow.registers import views as reg_views

    row = program(office, realisation="40")
    key = storage.new_key(reg_ops.EVIDENCE_FOLDER, suffix=".pdf")
    storage.save(A, key)
    row.evidence_file, row.evidence_filename, row.evidence_mime = key.split("/", 1)[1], "A.pdf", "application/pdf"
    db.session.commit()
    approve(row)
    wb = Workbook()
    wb.active.append(["Program", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi"])
    wb.active.append([row.program, row.indicator, "%", "naik", 100, 100])
    sheet = io.BytesIO()
    wb.save(sheet)
    client = _as(client_as, "sekretariat")
    preview = client.post("/register/program/2025/impor", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(sheet.getvalue()), "program.xlsx")})
    assert preview.status_code == 200
    with client.session_transaction() as session:
        waiting = session[reg_views.IMPORT_SESSION]["key"]
    assert storage.read(waiting) == sheet.getvalue()
    assert client.post("/register/program/2025/impor/konfirmasi", data={"reason": "Realisasi"}).status_code == 302
    with pytest.raises(storage.FileMissing):
        storage.read(waiting)
    assert storage.read(key) == A


def test_storage_migrate_copies_the_kept_files_with_their_hashes(app, office, client_as):
    """`storage migrate` copies what rows name; kept files are named only by the audit log, and are
    copied (and checked against their hash) as well."""
    from iku_workflow.storage import migrate

    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    deleted = _create(client_as, C, "C.pdf")
    key_c = reg_ops.evidence_key(deleted.evidence_file)
    _submit_and_return(deleted)
    assert _as(client_as, "pmks").post(f"/register/kegiatan/data/{deleted.id}/hapus",
                                       data={"version": deleted.entry.version}).status_code == 302
    refs = {r.key: r.sha256 for r in migrate.referenced()}
    assert refs[key_a] == hashlib.sha256(A).hexdigest() and refs[key_c] == hashlib.sha256(C).hexdigest()
    assert refs[reg_ops.evidence_key(row.evidence_file)] == hashlib.sha256(B).hexdigest()
