"""Issue 13: a document's file versions as a reviewer reads them ("Lihat" beside "Unduh", the current one
marked) and the deletion of a wrongly uploaded version while the document is a draft or returned; a
version that was ever submitted stays (issue 11)."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import g

from conftest import get_user
from factories import PDF, docx_bytes, required, stored_keys, upload
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, DocumentFile, EntryState
from iku_workflow.workflow import operations as wf

REVISED = PDF + b"% revisi\n"


def _as(client_as, username):
    g.pop("_login_user", None)
    return client_as(username)


def _files(doc):
    db.session.expire_all()
    return db.session.scalars(sa.select(DocumentFile).where(DocumentFile.document_id == doc.id)
                              .order_by(DocumentFile.version)).all()


def _delete(client_as, doc, item, username="pelayanan"):
    db.session.expire_all()
    return _as(client_as, username).post(f"/dokumen/wajib/{doc.id}/berkas/{item.id}/hapus",
                                         data={"version": doc.entry.version}, follow_redirects=True)


def test_the_version_list_marks_the_current_one_and_offers_lihat_for_pdf_only(app, office, client_as):
    doc = required(office, "sop")
    assert upload(_as(client_as, "pelayanan"), doc, (PDF, "sop.pdf"), (docx_bytes(), "sop.docx")).status_code == 302
    pdf, word = _files(doc)
    page = _as(client_as, "sekcam").get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert page.count('data-testid="current-version"') == 1
    current_row = page[page.index(f'data-version="{word.version}"'):]
    assert current_row.startswith(f'data-version="{word.version}" data-current="1"')
    assert f"/dokumen/berkas/{pdf.id}/lihat" in page and f"/dokumen/berkas/{word.id}/lihat" not in page
    assert f"/dokumen/berkas/{word.id}/unduh" in page
    # the reviewer sees no delete button
    assert 'data-testid="file-delete"' not in page


def test_operator_deletes_a_wrong_version_of_a_draft(app, office, client_as):
    doc = required(office, "sop")
    upload(_as(client_as, "pelayanan"), doc, (PDF, "sop.pdf"), (REVISED, "salah.pdf"))
    first, wrong = _files(doc)
    page = _as(client_as, "pelayanan").get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert page.count('data-testid="file-delete"') == 2 and "data-confirm=" in page
    response = _delete(client_as, doc, wrong)
    assert "Versi 2 «salah.pdf» dihapus." in response.get_data(as_text=True)
    assert [f.id for f in _files(doc)] == [first.id]
    assert stored_keys(app) == [f"{first.relative_dir}/{first.stored_name}"]
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "documents.file.delete")).all()
    assert event.details["sha256"] == hashlib.sha256(REVISED).hexdigest() and event.user_id == get_user("pelayanan").id


def test_a_submitted_document_keeps_its_versions(app, office, client_as):
    doc = required(office, "sop")
    upload(_as(client_as, "pelayanan"), doc, (PDF, "sop.pdf"))
    [item] = _files(doc)
    wf.submit(doc.entry, get_user("pelayanan"))
    db.session.commit()
    assert "sedang ditinjau" in _delete(client_as, doc, item).get_data(as_text=True)
    assert len(_files(doc)) == 1 and len(stored_keys(app)) == 1


def test_a_version_submitted_once_stays_after_the_return(app, office, client_as):
    doc = required(office, "sop")
    upload(_as(client_as, "pelayanan"), doc, (PDF, "sop.pdf"))
    wf.submit(doc.entry, get_user("pelayanan"))
    wf.return_for_revision(doc.entry, get_user("sekcam"), note="Belum ditandatangani.")
    db.session.commit()
    upload(_as(client_as, "pelayanan"), doc, (REVISED, "sop ttd.pdf"))
    seen, new = _files(doc)
    page = _as(client_as, "pelayanan").get(f"/dokumen/wajib/{doc.id}").get_data(as_text=True)
    assert page.count('data-testid="file-delete"') == 1
    assert "Versi 1 sudah pernah diajukan" in _delete(client_as, doc, seen).get_data(as_text=True)
    assert "dihapus" in _delete(client_as, doc, new).get_data(as_text=True)
    assert [f.id for f in _files(doc)] == [seen.id] and len(stored_keys(app)) == 1
    db.session.expire_all()
    assert doc.entry.state is EntryState.RETURNED


def test_other_section_and_other_office_are_refused(app, office, other_office, client_as):
    doc = required(office, "sop")
    upload(_as(client_as, "pelayanan"), doc, (PDF, "sop.pdf"))
    [item] = _files(doc)
    for username in ("trantib", "sekcam", "trantib-puger"):
        response = _as(client_as, username).post(f"/dokumen/wajib/{doc.id}/berkas/{item.id}/hapus",
                                                 data={"version": doc.entry.version})
        assert response.status_code in (403, 404), username
    # a version of another document through this document's address
    other_doc = db.session.scalar(sa.select(type(doc)).where(type(doc).office_id == office.id,
                                                             type(doc).year == doc.year, type(doc).id != doc.id,
                                                             type(doc).entry.has(section_id=doc.entry.section_id)))
    assert other_doc is not None
    assert "tidak ditemukan" in _delete(client_as, other_doc, item).get_data(as_text=True)
    assert len(_files(doc)) == 1 and len(stored_keys(app)) == 1
