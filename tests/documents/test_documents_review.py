"""Reviewing documents: two reviewers at once (PostgreSQL), e-mail after commit, the requirements
editor, the demo seed and the numbers fed to IKU 1."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from conftest import PG_URL, get_user
from factories import PDF, required, upload
from iku_workflow import measures
from iku_workflow.documents import numbers
from iku_workflow.documents.catalogue import CODES
from iku_workflow.extensions import db
from iku_workflow.models import (DocumentType, EntryState, RequiredDocument, WorkflowAction, WorkflowEntry,
                                 WorkflowEvent)
from iku_workflow.workflow import operations as ops

pytestmark = pytest.mark.usefixtures("evidence_everywhere")  # about the workflow, not uploads





@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="two concurrent transactions need PostgreSQL (SQLite serialises "
                                       "writers); set IKU_TEST_DATABASE_URL")
def test_two_reviewers_at_once_one_wins(app, office):
    entry = required(office, "sop").entry
    ops.submit(entry, get_user("pelayanan"))
    db.session.commit()
    entry_id = entry.id
    db.session.remove()
    # Two app contexts = two sessions on two connections, each having loaded the submitted entry.
    first, second = app.app_context(), app.app_context()
    with first:
        mine = db.session.get(WorkflowEntry, entry_id)
        assert mine.state is EntryState.SUBMITTED
        with second:
            theirs = db.session.get(WorkflowEntry, entry_id)
            ops.approve(theirs, get_user("sekcam"))
            db.session.commit()
            db.session.remove()
        with pytest.raises(ops.ConflictError) as caught:
            ops.return_for_revision(mine, get_user("sekcam"), note="Kurang lengkap")
        assert "ditinjau atau diubah oleh pengguna lain" in str(caught.value)
        db.session.rollback()
        db.session.remove()
    db.session.expire_all()
    entry = db.session.get(WorkflowEntry, entry_id)
    assert entry.state is EntryState.APPROVED and entry.last_note is None
    decisions = db.session.scalars(sa.select(WorkflowEvent.action).where(
        WorkflowEvent.entry_id == entry_id, WorkflowEvent.action.in_([WorkflowAction.APPROVE, WorkflowAction.RETURN]))).all()
    assert decisions == [WorkflowAction.APPROVE]


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, msg):
        FakeSMTP.sent.append((msg["To"], msg["Subject"], msg.get_content()))


def test_submit_mails_sekcam_only_after_commit(make_app, office, monkeypatch):
    import smtplib

    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    mail_app = make_app(SMTP_HOST="smtp.jemberkab.test")
    with mail_app.app_context():
        get_user("sekcam").email = "sekcam@gumukmas.test"
        get_user("pelayanan").email = "pelayanan@gumukmas.test"
        db.session.commit()
        entry = required(office, "sop").entry
        ops.submit(entry, get_user("pelayanan"))
        db.session.flush()
        assert FakeSMTP.sent == []  # not before the commit
        db.session.rollback()
        assert FakeSMTP.sent == []  # and never for a step that was rolled back
        entry = required(office, "sop").entry
        ops.submit(entry, get_user("pelayanan"))
        db.session.commit()
        assert [(to, "SOP Pelayanan Publik" in subject) for to, subject, _ in FakeSMTP.sent] == [
            ("sekcam@gumukmas.test", True)]
        db.session.remove()


def test_no_mail_without_smtp_host(app, office, monkeypatch):
    import smtplib

    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    get_user("sekcam").email = "sekcam@gumukmas.test"
    ops.submit(required(office, "sop").entry, get_user("pelayanan"))
    db.session.commit()
    assert FakeSMTP.sent == []


def test_demo_seed_is_complete_and_idempotent(app, office):
    from iku_workflow.documents.seed import seed_documents

    this_year = date.today().year
    for _ in range(2):
        seed_documents(office, echo=lambda _m: None)
        db.session.commit()
    codes = set(db.session.scalars(sa.select(DocumentType.code).where(DocumentType.office_id == office.id)))
    assert codes == set(CODES) and len(CODES) == 11
    for year in {2025, this_year}:
        docs = db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.year == year,
                                                                    RequiredDocument.office_id == office.id)).all()
        assert len(docs) == 11
        sections = {d.type.code: d.entry.section.code for d in docs}
        assert {c for c, s in sections.items() if s == "sekretariat"} == {
            "lakip", "anjab", "abk", "peta_jabatan", "emko", "sistem_kerja"}
        assert sections["laporan_skm"] == sections["laporan_fkp"] == sections["sop"] == "pelayanan"
        assert len({d.entry.due_date for d in docs}) > 4 and all(d.entry.due_date.year == year for d in docs)


def test_requirements_editor_add_edit_remove_copy(app, office, client_as):
    client = client_as("sekcam")
    year = 2031
    sections = {s.code: s for s in office.sections}
    types = {t.code: t for t in db.session.scalars(sa.select(DocumentType).where(DocumentType.office_id == office.id))}
    response = client.post(f"/dokumen/{year - 1}/daftar", data={
        "type_id": types["lakip"].id, "section_id": sections["sekretariat"].id, "due_date": f"{year - 1}-02-28",
        "description": "LKjIP tahun lalu"}, follow_redirects=True)
    assert "ditambahkan" in response.get_data(as_text=True)
    client.post(f"/dokumen/{year - 1}/daftar", data={"type_id": types["sop"].id, "section_id": sections["pelayanan"].id})
    # the same type twice is refused with a message
    client.post(f"/dokumen/{year}/daftar", data={"type_id": types["sop"].id, "section_id": sections["pelayanan"].id})
    response = client.post(f"/dokumen/{year}/daftar/salin", follow_redirects=True)
    assert "1 dokumen wajib disalin dari tahun 2030 (1 sudah ada, dilewati)" in response.get_data(as_text=True)
    copied = required(office, "lakip", year)
    assert copied.entry.due_date == date(year, 2, 28) and copied.description == "LKjIP tahun lalu"
    assert copied.entry.state is EntryState.DRAFT and copied.entry.section.code == "sekretariat"
    response = client.post(f"/dokumen/{year}/daftar/salin", follow_redirects=True)
    assert "Tidak ada yang disalin" in response.get_data(as_text=True)
    # change section and due date
    client.post(f"/dokumen/wajib/{copied.id}/ubah", data={
        f"d{copied.id}-section_id": sections["pemerintahan"].id, f"d{copied.id}-due_date": f"{year}-03-15",
        f"d{copied.id}-description": "Dipindah"})
    db.session.expire_all()
    assert (copied.entry.section.code, copied.entry.due_date) == ("pemerintahan", date(year, 3, 15))
    # a document with files cannot be removed; one without can
    sop = required(office, "sop", year)
    upload(client_as("pelayanan"), sop, (PDF, "sop.pdf"))
    response = client.post(f"/dokumen/wajib/{sop.id}/hapus", follow_redirects=True)
    assert "tidak dapat dihapus" in response.get_data(as_text=True)
    response = client.post(f"/dokumen/wajib/{copied.id}/hapus", follow_redirects=True)
    assert "dihapus dari daftar" in response.get_data(as_text=True)
    assert required(office, "lakip", year) is None and required(office, "sop", year) is not None


def test_only_sekcam_and_admin_edit_the_list(app, office, other_office, client_as):
    year = date.today().year
    for username in ("pelayanan", "camat"):
        assert client_as(username).get(f"/dokumen/{year}/daftar").status_code == 403
        assert client_as(username).post(f"/dokumen/{year}/daftar/salin").status_code == 403
    assert client_as("admin").get(f"/dokumen/{year}/daftar").status_code == 200
    doc = required(office, "sop")
    assert client_as("admin-puger").post(f"/dokumen/wajib/{doc.id}/hapus").status_code == 404


def _approve(office, code, when: datetime, year: int | None = None):
    entry = required(office, code, year or when.year).entry
    operator = get_user(entry.section.code if entry.section.code != "sekretariat" else "sekretariat")
    ops.submit(entry, operator)
    ops.approve(entry, get_user("sekcam"))
    entry.decided_at = when
    db.session.commit()


def test_numbers_follow_approvals_by_date(app, office):
    year = date.today().year
    start = numbers.year_completion(office.id, year)
    assert (start.overall.approved, start.overall.required, start.overall.percent) == (0, 11, 0)
    # 06:00 WIB on 1 April is still 31 March in UTC: it counts in triwulan II
    _approve(office, "sop", datetime(year, 3, 31, 23, 0, tzinfo=timezone.utc))
    _approve(office, "lakip", datetime(year, 1, 10, 3, 0, tzinfo=timezone.utc))
    found = numbers.approvals(office.id, year)
    assert found["sop"] == date(year, 4, 1) and found["lakip"] == date(year, 1, 10) and found["abk"] is None
    total, by_tw = numbers.iku1(office.id, year, today=date(year, 12, 31))
    assert total == 2 and by_tw == {1: 1, 2: 2, 3: 2, 4: 2}
    done = numbers.year_completion(office.id, year)
    assert (done.overall.approved, str(done.overall.percent)) == (2, "18.18")
    secretariat = next(s.id for s in office.sections if s.code == "sekretariat")
    assert (done.by_section[secretariat].approved, done.by_section[secretariat].required) == (1, 6)
    measured = measures.measure("document_count", office.id, year)
    assert measured.year is not None and measured.year <= 2


def test_measure_of_a_past_year_counts_every_triwulan(app, office):
    _approve(office, "anjab", datetime(2025, 5, 2, 2, 0, tzinfo=timezone.utc))
    _approve(office, "laporan_skm", datetime(2025, 12, 20, 2, 0, tzinfo=timezone.utc))
    measured = measures.measure("document_count", office.id, 2025)
    # a document count is cumulative: each triwulan its own approvals, "s.d. TW" the running count
    assert {tw: int(v) for tw, v in measured.tw.items()} == {1: 0, 2: 1, 3: 0, 4: 1}
    assert {tw: int(v) for tw, v in measured.upto.items()} == {1: 0, 2: 1, 3: 1, 4: 2}
    assert measured.year == 2 and measured.upto[1] == 0


def test_approval_after_the_year_counts_in_tw_iv_as_in_the_year(app, office, client_as, runner):
    import json

    _approve(office, "lakip", datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc), year=2025)  # LAKIP 2025, approved in 2026
    measured = measures.measure("document_count", office.id, 2025)
    assert measured.year == 1 and measured.upto[4] == 1 and measured.upto[3] == 0
    card = client_as("sekcam").get("/dasbor/2025").get_data(as_text=True)
    card = card.split('<section class="card h-100" data-iku="1"')[1].split("</section>")[0]
    assert 'data-testid="realisation">1<' in card
    assert [c.split("<")[0] for c in card.split("<tbody>")[1].split("</tr>")[0].split("<td>")[1:]] == ["0", "0", "0", "1"]
    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", "2025", "--json"])
    iku1 = json.loads(result.output)[0]
    assert iku1["realisation"]["year"] == 1 and iku1["realisation"]["sd_tw4"] == 1


def test_year_page_shows_the_numbers_and_every_document(app, office, client_as):
    year = date.today().year
    _approve(office, "sop", datetime.now(timezone.utc))
    html = client_as("camat").get(f"/dokumen/{year}").get_data(as_text=True)
    assert 'data-testid="completion-rate">9,09 %' in html
    assert 'data-testid="iku1">1<' in html
    for code in CODES:
        assert f'data-doc="{code}"' in html
    assert "Disetujui" in html and "Sekretaris Camat Gumukmas" in html
