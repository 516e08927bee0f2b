"""The LKjIP pages: the year's tables, the entered figures, the Renstra, programs, factors, attaching."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from conftest import get_user
from factories import body_texts, open_docx
from iku_workflow import storage
from iku_workflow.extensions import db
from iku_workflow.lkjip import operations as lk
from iku_workflow.models import (DocumentFile, EntryState, LkjipFactor, LkjipPastValue, ProgramBudget, RenstraPeriod,
                                 WorkflowEntry)
from iku_workflow.workflow import operations as wf

FACTOR = {"pendukung": "Operator terlatih.", "penghambat": "Jaringan lambat.", "upaya": "Menambah bandwidth."}


def test_the_year_page_shows_the_tables_and_the_formulas(client_as, office):
    html = client_as("camat").get("/lkjip/2025").get_data(as_text=True)
    for testid in ("capaian-table", "comparison-table", "renstra-table", "factors", "download", "formulas"):
        assert f'data-testid="{testid}"' in html
    assert "Efisiensi = Capaian kinerja rata-rata ÷ % Serapan" in html
    assert "tidak ada data" in html
    assert 'data-testid="edit-past"' not in html  # the Camat reads; the sekcam enters figures
    assert client_as("camat").get("/lkjip/2019").get_data(as_text=True).count('data-testid="no-iku"') == 1
    assert client_as("camat").get("/lkjip/2999").status_code == 404


def test_the_draft_downloads_as_a_word_file(client_as, office):
    response = client_as("pmks").get("/lkjip/2025/bab3.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="LKjIP-Bab-III-gumukmas-2025.docx"'
    assert "BAB III" in body_texts(open_docx(response.data))
    refused = client_as("pmks").get("/lkjip/2019/bab3.docx", follow_redirects=True)
    assert "belum memiliki IKU tahun 2019" in refused.get_data(as_text=True)


def test_a_section_writes_its_factors_and_the_sekcam_approves_them(client_as, office):
    trantib = client_as("trantib")
    assert 'data-testid="save"' in trantib.get("/lkjip/2025/faktor/4").get_data(as_text=True)
    # another section's operator cannot write IKU 4's factors
    assert client_as("pmks").post("/lkjip/2025/faktor/4", data=FACTOR).status_code == 403
    assert trantib.post("/lkjip/2025/faktor/4", data=FACTOR).status_code == 302
    factor = db.session.scalar(sa.select(LkjipFactor).where(LkjipFactor.indicator_number == 4))
    assert (factor.pendukung, factor.entry.kind, factor.entry.section.code) == ("Operator terlatih.", "lkjip_factor",
                                                                              "trantib")
    page = trantib.get("/lkjip/2025/faktor/4").get_data(as_text=True)
    assert 'data-testid="do-submit"' in page
    assert trantib.post(f"/entri/{factor.entry_id}/ajukan", data={"version": factor.entry.version}).status_code == 302
    queue = client_as("sekcam").get("/tinjauan").get_data(as_text=True)
    assert "Faktor LKjIP 2025 IKU 4" in queue
    db.session.expire_all()
    assert client_as("sekcam").post(f"/entri/{factor.entry_id}/setujui",
                                    data={"version": factor.entry.version, "note": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, factor.entry_id).state is EntryState.APPROVED
    locked = trantib.get("/lkjip/2025/faktor/4").get_data(as_text=True)
    assert 'data-testid="factor-texts"' in locked and 'data-testid="save"' not in locked
    assert trantib.post("/lkjip/2025/faktor/4", data={**FACTOR, "upaya": "Diubah"}).status_code == 422
    db.session.expire_all()
    assert db.session.get(LkjipFactor, factor.id).upaya == "Menambah bandwidth."


def test_factors_are_submitted_only_complete(client_as, office):
    trantib = client_as("trantib")
    trantib.post("/lkjip/2025/faktor/4", data={**FACTOR, "upaya": ""})
    factor = db.session.scalar(sa.select(LkjipFactor).where(LkjipFactor.indicator_number == 4))
    page = trantib.post(f"/entri/{factor.entry_id}/ajukan", data={"version": factor.entry.version},
                        follow_redirects=True).get_data(as_text=True)
    assert "Isi faktor pendukung, faktor penghambat dan upaya sebelum mengajukan." in page
    db.session.expire_all()
    assert db.session.get(WorkflowEntry, factor.entry_id).state is EntryState.DRAFT


def test_earlier_years_are_entered_with_their_source(client_as, office):
    sekcam = client_as("sekcam")
    assert sekcam.get("/lkjip/2025/tahun-lalu").status_code == 200
    bad = sekcam.post("/lkjip/2025/tahun-lalu", data={"r-5-2023": "61,5", "c-5-2023": "1.5", "s-5-2023": "LKjIP"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'value="61,5"' in html and 'value="1.5"' in html and "invalid-feedback" in html
    no_source = sekcam.post("/lkjip/2025/tahun-lalu", data={"r-5-2023": "61,5"})
    assert no_source.status_code == 422 and "sebutkan sumber angkanya" in no_source.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LkjipPastValue.id))) == 0
    ok = sekcam.post("/lkjip/2025/tahun-lalu", data={"r-5-2023": "61,5", "c-5-2023": "87,86",
                                                       "s-5-2023": "LKjIP 2023 hal. 21"})
    assert ok.status_code == 302
    row = db.session.scalar(sa.select(LkjipPastValue))
    assert (row.indicator_number, row.year, row.realisation, row.capaian, row.source) == (
        5, 2023, Decimal("61.5"), Decimal("87.86"), "LKjIP 2023 hal. 21")
    page = client_as("camat").get("/lkjip/2025").get_data(as_text=True)
    assert "LKjIP 2023 hal. 21" in page
    assert client_as("pemerintahan").get("/lkjip/2025/tahun-lalu").status_code == 403


def test_the_renstra_period_and_its_end_targets(client_as, office):
    sekcam = client_as("sekcam")
    wrong = sekcam.post("/lkjip/2025/renstra", data={"start_year": "2019", "rt-1": "11"})
    assert wrong.status_code == 422 and "tidak memuat tahun 2025" in wrong.get_data(as_text=True)
    assert sekcam.post("/lkjip/2025/renstra", data={"start_year": "2021", "rt-1": "11", "rt-2": "85"}).status_code == 302
    period = db.session.scalar(sa.select(RenstraPeriod))
    assert (period.start_year, period.end_year) == (2021, 2025)
    assert {t.indicator_number: t.target for t in period.targets} == {1: Decimal("11"), 2: Decimal("85")}
    page = client_as("camat").get("/lkjip/2025").get_data(as_text=True)
    assert "2021–2025" in page
    # IKU 2: realisation 80 of the end target 85 -> 94,12 %
    row = page.split('data-testid="renstra-table"')[1].split('data-iku="2"')[1].split("</tr>")[0]
    assert "94,12" in row
    # the same form moves the period and drops an emptied target
    assert sekcam.post("/lkjip/2025/renstra", data={"start_year": "2025", "rt-1": "11"}).status_code == 302
    db.session.expire_all()
    period = db.session.scalar(sa.select(RenstraPeriod))
    assert (period.start_year, [t.indicator_number for t in period.targets]) == (2025, [1])


def test_programs_are_added_changed_and_removed(client_as, office, other_office):
    sekcam = client_as("sekcam")
    form = {"code": "7.01.01", "name": "Program Penunjang", "budget": "150.000.000", "realisation": "142.500.000",
            "note": "APBD"}
    over = sekcam.post("/lkjip/2025/program", data={**form, "realisation": "150.000.001"})
    assert over.status_code == 422 and "melebihi pagu" in over.get_data(as_text=True)
    ambiguous = sekcam.post("/lkjip/2025/program", data={**form, "budget": "1.5"})
    assert ambiguous.status_code == 422 and 'value="1.5"' in ambiguous.get_data(as_text=True)
    assert sekcam.post("/lkjip/2025/program", data=form).status_code == 302
    program = db.session.scalar(sa.select(ProgramBudget))
    assert (program.budget, program.realisation, program.source) == (Decimal("150000000"), Decimal("142500000"), "manual")
    page = sekcam.get("/lkjip/2025/program").get_data(as_text=True)
    assert "150.000.000" in page and "95,00" in page
    assert sekcam.post("/lkjip/2025/program", data=form).status_code == 422  # the same name twice
    edit = sekcam.get(f"/lkjip/program/{program.id}/ubah").get_data(as_text=True)
    assert 'value="150.000.000,00"' in edit or 'value="150.000.000"' in edit
    assert sekcam.post(f"/lkjip/program/{program.id}/ubah", data={**form, "realisation": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgramBudget, program.id).realisation is None
    assert client_as("pemerintahan").post("/lkjip/2025/program", data=form).status_code == 403
    assert client_as("sekcam-puger").get(f"/lkjip/program/{program.id}/ubah").status_code == 404
    assert client_as("sekcam-puger").post(f"/lkjip/program/{program.id}/hapus").status_code == 404
    assert sekcam.post(f"/lkjip/program/{program.id}/hapus").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ProgramBudget.id))) == 0


def _approve_all_factors(office):
    sekcam = get_user("sekcam")
    for number, username in ((1, "sekretariat"), (2, "pelayanan"), (3, "pmks"), (4, "trantib"), (5, "sekretariat"),
                             (6, "sekretariat")):
        user = get_user(username)
        factor = lk.save_factor(office, lk.indicator_of(office, 2025, number), user, **FACTOR)
        wf.submit(factor.entry, user)
        wf.approve(factor.entry, sekcam)
    db.session.commit()


def test_the_approved_lkjip_is_attached_to_the_years_dokumen_lakip(client_as, office):
    sekretariat = client_as("sekretariat")
    page = sekretariat.get("/lkjip/2025").get_data(as_text=True)
    assert 'data-testid="attach-refusal"' in page and "belum disetujui: IKU 1, 2, 3, 4, 5, 6" in page
    refused = sekretariat.post("/lkjip/2025/lampirkan", follow_redirects=True)
    assert "belum disetujui" in refused.get_data(as_text=True)
    _approve_all_factors(office)
    assert 'data-testid="attach"' in sekretariat.get("/lkjip/2025").get_data(as_text=True)
    # only the operator of the LAKIP's section may change that document
    assert "hanya dapat dilampirkan" in client_as("pmks").post("/lkjip/2025/lampirkan",
                                                               follow_redirects=True).get_data(as_text=True)
    done = sekretariat.post("/lkjip/2025/lampirkan", follow_redirects=True)
    assert "LKjIP dilampirkan pada Dokumen LAKIP tahun 2025" in done.get_data(as_text=True)
    doc = lk.requirement(office, 2025)
    [stored] = db.session.scalars(sa.select(DocumentFile).where(DocumentFile.document_id == doc.id)).all()
    assert stored.original_name == "LKjIP-Bab-III-gumukmas-2025.docx"
    texts = body_texts(open_docx(storage.read(f"{stored.relative_dir}/{stored.stored_name}")))
    assert "Faktor pendukung: Operator terlatih." in texts
    assert client_as("sekcam").post("/lkjip/2025/lampirkan").status_code == 403


def test_the_menu_opens_the_last_year_that_ended(client_as, office):
    response = client_as("sekcam").get("/lkjip/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/lkjip/2025")
    assert 'href="/lkjip/"' in client_as("pmks").get("/dasbor/2025").get_data(as_text=True)
    assert client_as("kabupaten").get("/lkjip/2025").status_code == 403


def test_a_factor_entry_leads_to_its_page_from_the_queue_and_the_tasks(client_as, office):
    from iku_workflow.workflow.kinds import url_of

    trantib = get_user("trantib")
    factor = lk.save_factor(office, lk.indicator_of(office, 2025, 4), trantib, **FACTOR)
    db.session.commit()
    assert "/lkjip/2025/faktor/4" in client_as("trantib").get("/tugas").get_data(as_text=True)
    wf.submit(factor.entry, trantib)
    db.session.commit()
    assert "/lkjip/2025/faktor/4" in client_as("sekcam").get("/tinjauan").get_data(as_text=True)
    with client_as("sekcam").application.test_request_context():
        assert url_of(factor.entry) == "/lkjip/2025/faktor/4"


def test_two_sections_writing_the_first_factors_at_once_lose_nothing_silently(client_as, office, monkeypatch):
    # IKU 2 belongs to four sections: pelayanan saves first while pemerintahan's page still shows no factors
    pemerintahan = client_as("pemerintahan")
    monkeypatch.setattr(lk, "factor_of", lambda *a: None)  # pemerintahan's request does not see the row yet
    real = lk.save_factor
    lk_factor = real(office, lk.indicator_of(office, 2025, 2), get_user("pelayanan"), **FACTOR)
    db.session.commit()
    response = pemerintahan.post("/lkjip/2025/faktor/2", data={**FACTOR, "upaya": "Versi lain"})
    assert response.status_code == 422
    assert "baru saja ditulis oleh pengguna lain" in response.get_data(as_text=True)
    monkeypatch.undo()
    db.session.expire_all()
    assert db.session.get(LkjipFactor, lk_factor.id).upaya == "Menambah bandwidth."
