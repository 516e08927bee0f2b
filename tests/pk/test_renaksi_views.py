"""The renaksi pages: the sekcam plans targets and actions (errors next to the field, what was typed kept), a
section writes its monitoring notes and submits them, who may do what, another office never reaches them, and the
downloads."""
from __future__ import annotations

import io

import sqlalchemy as sa

from factories import open_docx, seeded_iku
from iku_workflow.extensions import db
from iku_workflow.models import EntryState, RenaksiAction, RenaksiNote
from iku_workflow.renaksi import operations


def test_sekcam_plans_targets_and_actions(client_as, office):
    sekcam = client_as("sekcam")
    page = sekcam.get("/renaksi/2025")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="renaksi-iku-6"' in html and "Belum ada Perjanjian Kinerja" in html
    iku6 = seeded_iku(office, 6)
    bad = sekcam.post(f"/renaksi/2025/iku/{iku6.id}/target", data={f"t{iku6.id}-tw1": "50", f"t{iku6.id}-tw2": "40"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "tidak boleh lebih kecil" in text and 'value="40"' in text
    assert operations.plan_of(iku6) is None
    typo = sekcam.post(f"/renaksi/2025/iku/{iku6.id}/target", data={f"t{iku6.id}-tw1": "2,5,0"})
    assert typo.status_code == 422 and 'value="2,5,0"' in typo.get_data(as_text=True)
    ok = sekcam.post(f"/renaksi/2025/iku/{iku6.id}/target", data={
        f"t{iku6.id}-tw1": "25", f"t{iku6.id}-tw2": "50", f"t{iku6.id}-tw3": "75", f"t{iku6.id}-tw4": "100"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"#iku-{iku6.id}")
    db.session.expire_all()
    assert [int(v) for v in operations.plan_of(iku6).tw_targets().values()] == [25, 50, 75, 100]
    none = sekcam.post(f"/renaksi/2025/iku/{iku6.id}/kegiatan", data={f"a{iku6.id}-name": "", f"a{iku6.id}-budget": "1.000"})
    assert none.status_code == 422 and "Isi nama kegiatan" in none.get_data(as_text=True)
    added = sekcam.post(f"/renaksi/2025/iku/{iku6.id}/kegiatan", data={
        f"a{iku6.id}-name": "Evaluasi capaian program", f"a{iku6.id}-section": "", f"a{iku6.id}-budget": "Rp 2.500.000"})
    assert added.status_code == 302
    action = db.session.scalar(sa.select(RenaksiAction))
    assert action.name == "Evaluasi capaian program" and int(action.budget) == 2500000
    assert "2.500.000,00" in sekcam.get("/renaksi/2025").get_data(as_text=True)
    gone = sekcam.post(f"/renaksi/kegiatan/{action.id}/hapus")
    assert gone.status_code == 302 and db.session.scalar(sa.select(RenaksiAction)) is None


def test_the_section_writes_notes_and_submits_them(client_as, office):
    iku4 = seeded_iku(office, 4)
    trantib = client_as("trantib")
    page = trantib.get("/renaksi/2025/monitoring/2").get_data(as_text=True)
    assert f'data-testid="note-form-4"' in page and 'data-testid="note-form-3"' not in page
    empty = trantib.post(f"/renaksi/2025/monitoring/2/iku/{iku4.id}", data={f"n{iku4.id}-kendala": " "})
    assert empty.status_code == 422 and "Isi kendala atau tindak lanjut" in empty.get_data(as_text=True)
    saved = trantib.post(f"/renaksi/2025/monitoring/2/iku/{iku4.id}", data={
        f"n{iku4.id}-kendala": "Personel terbatas", f"n{iku4.id}-tindak_lanjut": "Kerja sama dengan Babinsa"})
    assert saved.status_code == 302
    note = db.session.scalar(sa.select(RenaksiNote))
    assert note.kendala == "Personel terbatas" and note.triwulan == 2
    page = trantib.get("/renaksi/2025/monitoring/2").get_data(as_text=True)
    assert 'data-testid="do-submit"' in page
    submitted = trantib.post(f"/entri/{note.entry_id}/ajukan", data={"version": str(note.entry.version)})
    assert submitted.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(RenaksiNote, note.id).entry.state is EntryState.SUBMITTED
    # the sekcam sees it in the review queue and approves it from the monitoring page
    queue = client_as("sekcam").get("/tinjauan").get_data(as_text=True)
    assert "Monitoring renaksi TW II 2025" in queue
    # a section that does not hold the indicator cannot write its notes
    pmks = client_as("pmks")
    assert pmks.post(f"/renaksi/2025/monitoring/2/iku/{iku4.id}", data={f"n{iku4.id}-kendala": "x"}).status_code == 422
    assert client_as("camat").post(f"/renaksi/2025/monitoring/2/iku/{iku4.id}", data={}).status_code == 403


def test_operators_read_but_do_not_plan(client_as, office):
    iku6 = seeded_iku(office, 6)
    pmks = client_as("pmks")
    page = pmks.get("/renaksi/2025").get_data(as_text=True)
    assert 'data-testid="targets-form-6"' not in page
    assert pmks.post(f"/renaksi/2025/iku/{iku6.id}/target", data={}).status_code == 403
    assert pmks.post(f"/renaksi/2025/iku/{iku6.id}/kegiatan", data={}).status_code == 403
    assert pmks.get("/renaksi/2025/monitoring/5").status_code == 404


def test_another_office_never_reaches_the_renaksi(client_as, office, other_office):
    from conftest import get_user

    iku4 = seeded_iku(office, 4)
    action = operations.add_action(iku4, None, "Patroli", None, None)
    db.session.commit()
    other = client_as(next(u for u in ("sekcam.kencong", "admin.kencong") if get_user(u) is not None))
    assert other.post(f"/renaksi/2025/iku/{iku4.id}/target", data={}).status_code in (403, 404)
    assert other.post(f"/renaksi/kegiatan/{action.id}/hapus").status_code in (403, 404)
    assert db.session.get(RenaksiAction, action.id) is not None


def test_downloads(client_as, office):
    client = client_as("camat")
    docx = client.get("/renaksi/2025/renaksi.docx")
    assert docx.status_code == 200 and "no-store" in docx.headers["Cache-Control"]
    assert "RENCANA AKSI TAHUN 2025" in "\n".join(p.text for p in open_docx(docx.data).paragraphs)
    xlsx = client.get("/renaksi/2025/renaksi.xlsx")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx.data)).active["A1"].value.startswith("RENCANA AKSI TAHUN 2025")
    mon = client.get("/renaksi/2025/monitoring/3.docx")
    assert "TRIWULAN III TAHUN 2025" in "\n".join(p.text for p in open_docx(mon.data).paragraphs)
    assert client.get("/renaksi/2025/renaksi.pdf").status_code == 404
