"""Issue 11 (files): no path deletes a register evidence file that was submitted for review. The
file a sekcam returned stays downloadable from the row page after it is replaced, its SHA-256 named
in the row's history and the audit log; a deleted row that had been submitted keeps its file too.
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


def test_returned_evidence_stays_with_its_hash_after_replacement(app, office, client_as):
    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    assert row.evidence_filename == "B.pdf" and key_a in _keys(app)
    sha_a = hashlib.sha256(A).hexdigest()
    # the history of the row names the kept file and its hash
    notes = [e.note or "" for e in db.session.scalars(sa.select(WorkflowEvent).where(
        WorkflowEvent.entry_id == row.entry_id))]
    assert any("A.pdf" in n and sha_a in n for n in notes), notes
    # the audit log names its key and hash
    [kept] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == reg_ops.EVIDENCE_KEPT)).all()
    assert (kept.details["key"], kept.details["sha256"], kept.details["filename"]) == (key_a, sha_a, "A.pdf")
    assert kept.object_id == row.id and kept.user_id == get_user("pmks").id
    # the row page lists it, and every viewer of the row downloads it
    for viewer in ("pmks", "sekcam", "camat", "trantib"):
        page = _as(client_as, viewer).get(f"/register/kegiatan/data/{row.id}").get_data(as_text=True)
        assert 'data-testid="kept-evidence"' in page and sha_a in page and "A.pdf" in page
        with _as(client_as, viewer).get(f"/register/kegiatan/data/{row.id}/bukti-lama/{kept.id}") as download:
            assert download.status_code == 200 and download.data == A
            assert download.headers["Cache-Control"] == "no-store"
    with _as(client_as, "pmks").get(f"/register/kegiatan/data/{row.id}/bukti") as current:
        assert current.data == B


def test_kept_file_of_another_row_or_office_is_not_reachable(app, office, other_office, client_as):
    row = _create(client_as)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    kept = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == reg_ops.EVIDENCE_KEPT))
    other = _create(client_as, C, "C.pdf")
    assert _as(client_as, "pmks").get(f"/register/kegiatan/data/{other.id}/bukti-lama/{kept.id}").status_code == 404
    assert _as(client_as, "trantib-puger").get(
        f"/register/kegiatan/data/{row.id}/bukti-lama/{kept.id}").status_code == 404


def test_never_submitted_evidence_is_still_cleaned_up(app, office, client_as):
    """A draft's replaced file was never seen by a reviewer: it goes, nothing is kept."""
    row = _create(client_as)
    key_a = reg_ops.evidence_key(row.evidence_file)
    _replace(client_as, row, B, "B.pdf")
    assert key_a not in _keys(app) and _keys(app) == {reg_ops.evidence_key(row.evidence_file)}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == reg_ops.EVIDENCE_KEPT)) == 0


def test_every_file_ever_submitted_stays_over_several_rounds(app, office, client_as):
    row = _create(client_as)
    _submit_and_return(row)
    _replace(client_as, row, B, "B.pdf")
    _submit_and_return(row)
    _replace(client_as, row, C, "C.pdf")
    store = app.extensions["iku_storage"]
    assert sorted(store.read(k) for k in _keys(app)) == sorted([A, B, C])
    kept = reg_ops.kept_evidence(row)
    assert [e.details["sha256"] for e in kept] == [hashlib.sha256(A).hexdigest(), hashlib.sha256(B).hexdigest()]


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
    """The paths above are every path that deletes a stored file: update_row and delete_row reach it
    only through ``_keep_or_remove`` (replace) and the never-submitted branch (delete). A new caller
    must be added to this file with a test that a submitted file survives it."""
    assert _callers_of_remove_after_commit() == {"registers/operations._keep_or_remove",
                                                 "registers/operations.delete_row",
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
