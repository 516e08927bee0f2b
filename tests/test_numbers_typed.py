"""Numbers typed on a page or read from a sheet (issue 9, RULES.md §6): the cases that corrupted data.

Each test drives the real pages (or importers) and checks what is stored and what the user sees.
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conftest import get_user
from factories import WORKED_EXAMPLE, approve, form_with, seeded_iku
from iku_workflow import measures
from iku_workflow.extensions import db
from iku_workflow.indicators import operations as ops
from iku_workflow.models import (Decree, ProgramIndicator, SakipEvaluation, SurveyPeriod, SurveyResponse,
                                 TargetChange)
from iku_workflow.registers.program_import import COLUMNS as PROGRAM_COLUMNS
from iku_workflow.survey import importer
from iku_workflow.survey.operations import open_period

ID_RULE = 'Tulis angka dengan koma sebagai tanda desimal dan titik sebagai pemisah ribuan, mis. "1.500" atau "72,35".'
EN_RULE = ('Write the number with a point as the decimal mark and a comma as the thousands separator, '
           'e.g. "1,500" or "72.35".')


def _html(text: str) -> str:
    """The text as the page's HTML writes it (quotes escaped)."""
    return text.replace('"', "&#34;").replace("'", "&#39;")


def _year_target(office, number, year=2025):
    db.session.expire_all()
    return next((t.value for t in seeded_iku(office, number, year).targets if t.triwulan is None), None)


def _english(username: str) -> None:
    get_user(username).locale = "en"
    db.session.commit()


# ---------------------------------------------------------------- the targets page

def test_targets_page_shows_1500_and_saving_it_unchanged_keeps_1500(client_as, office):
    ops.set_target(seeded_iku(office, 3), get_user("sekcam"), Decimal(1500))
    db.session.commit()
    c = client_as("sekcam")
    form = form_with(c.get("/iku/2025/target").get_data(as_text=True), "t-3-y")
    assert form.value("t-3-y") == "1.500"
    response = c.post("/iku/2025/target", data=form.data())
    assert response.status_code == 302
    assert _year_target(office, 3) == 1500  # not 1,5
    changes = db.session.scalars(sa.select(TargetChange).where(TargetChange.indicator_id == seeded_iku(office, 3).id)).all()
    assert [c.new_value for c in changes] == [1500]  # saving unchanged changed nothing


def test_target_typed_with_thousands_dots_is_stored_as_written(client_as, office):
    c = client_as("sekcam")
    form = form_with(c.get("/iku/2025/target").get_data(as_text=True), "t-3-y")
    assert c.post("/iku/2025/target", data=form.data(**{"t-3-y": "1.000", "t-3-1": "1.500,75"})).status_code == 302
    assert _year_target(office, 3) == 1000
    assert next(t.value for t in seeded_iku(office, 3).targets if t.triwulan == 1) == Decimal("1500.75")
    page = c.get("/iku/2025/target").get_data(as_text=True)
    assert form_with(page, "t-3-1").value("t-3-1") == "1.500,75"


def test_ambiguous_target_is_refused_next_to_its_box_and_kept(client_as, office):
    c = client_as("sekcam")
    form = form_with(c.get("/iku/2025/target").get_data(as_text=True), "t-3-y")
    response = c.post("/iku/2025/target", data=form.data(**{"t-3-y": "72.35", "t-5-y": "1,500.5"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Periksa isian yang ditandai." in html
    assert html.count(_html(ID_RULE)) == 2
    assert 'value="72.35"' in html and 'value="1,500.5"' in html
    assert _year_target(office, 3) == 100 and _year_target(office, 5) == 70  # nothing saved


def test_percent_sign_is_accepted_where_the_indicator_is_a_percentage(client_as, office):
    assert seeded_iku(office, 4).unit.value == "%" and seeded_iku(office, 1).unit.value != "%"
    c = client_as("sekcam")
    form = form_with(c.get("/iku/2025/target").get_data(as_text=True), "t-4-y")
    refused = c.post("/iku/2025/target", data=form.data(**{"t-4-y": "95,5%", "t-1-y": "11%"}))
    assert refused.status_code == 200 and _year_target(office, 4) == 100  # IKU 1 counts documents
    assert c.post("/iku/2025/target", data=form.data(**{"t-4-y": "95,5%"})).status_code == 302
    assert _year_target(office, 4) == Decimal("95.5")


def test_english_targets_page_mirrors_the_convention(client_as, office):
    ops.set_target(seeded_iku(office, 3), get_user("sekcam"), Decimal("1500.5"))
    db.session.commit()
    _english("sekcam")
    c = client_as("sekcam")
    form = form_with(c.get("/iku/2025/target").get_data(as_text=True), "t-3-y")
    assert form.value("t-3-y") == "1,500.5"
    assert c.post("/iku/2025/target", data=form.data()).status_code == 302
    assert _year_target(office, 3) == Decimal("1500.5")
    html = c.post("/iku/2025/target", data=form.data(**{"t-3-y": "1.500,5"})).get_data(as_text=True)
    assert _html(EN_RULE) in html and 'value="1.500,5"' in html
    assert _year_target(office, 3) == Decimal("1500.5")


# ---------------------------------------------------------------- program indicators (IKU 6)

def test_program_target_1500_people_with_950_realised_is_not_achieved(client_as, office):
    c = client_as("sekretariat")
    response = c.post("/register/program/2025/baru", data={
        "program": "Program Pemberdayaan", "indicator": "Jumlah warga terlatih", "unit": "orang",
        "polarity": "higher", "target": "1.500", "realisation": "950"})
    assert response.status_code == 302
    row = db.session.scalar(sa.select(ProgramIndicator))
    assert (row.target, row.realisation, row.achieved) == (1500, 950, False)
    # the edit page shows it back as typed, and saving it unchanged keeps it
    form = form_with(c.get(f"/register/program/data/{row.id}/ubah").get_data(as_text=True), "target")
    assert (form.value("target"), form.value("realisation")) == ("1.500", "950")
    assert c.post(f"/register/program/data/{row.id}/ubah", data=form.data()).status_code == 302
    db.session.expire_all()
    row = db.session.get(ProgramIndicator, row.id)
    assert (row.target, row.realisation, row.achieved) == (1500, 950, False)
    approve(row)
    m = measures.measure("ratio:programs", office.id, 2025)
    assert m.counts[4] == (0, 1) and m.year == 0  # IKU 6 stays 0 %, not 100 %


def test_program_form_refuses_ambiguous_numbers_in_the_page_language(client_as, office):
    c = client_as("sekretariat")
    data = {"program": "P", "indicator": "I", "unit": "orang", "polarity": "higher", "target": "1.5", "realisation": "72.35"}
    html = c.post("/register/program/2025/baru", data=data).get_data(as_text=True)
    assert html.count(_html(ID_RULE)) == 2 and 'value="1.5"' in html and 'value="72.35"' in html
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))) == 0
    _english("sekretariat")
    c = client_as("sekretariat")
    html = c.post("/register/program/2025/baru", data={**data, "target": "1.500,5", "realisation": "72,35"}
                  ).get_data(as_text=True)
    assert html.count(_html(EN_RULE)) == 2
    assert c.post("/register/program/2025/baru", data={**data, "target": "1,500.5", "realisation": "72.35%"}
                  ).status_code == 302
    row = db.session.scalar(sa.select(ProgramIndicator))
    assert (row.target, row.realisation) == (Decimal("1500.5"), Decimal("72.35"))


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(PROGRAM_COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes):
    return client.post("/register/program/2025/impor", data={"file": (io.BytesIO(data), "program.xlsx")},
                       content_type="multipart/form-data")


def test_program_import_reads_text_cells_like_the_page_and_names_row_and_column(client_as, office):
    c = client_as("sekretariat")
    response = _upload(c, _sheet([["P1", "I1", "orang", "naik", "1.500", "950"],
                                  ["P2", "I2", "%", "naik", "72.35", "1,500.5"],
                                  ["P3", "I3", "%", "naik", 80, "85,5%"]]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _html(f"Baris 3, kolom Target: '72.35' tidak jelas. {ID_RULE}") in html
    assert _html(f"Baris 3, kolom Realisasi: '1,500.5' tidak jelas. {ID_RULE}") in html
    assert "Baris 2" not in html and "Baris 4" not in html
    assert db.session.scalar(sa.select(sa.func.count(ProgramIndicator.id))) == 0
    # without the ambiguous row: "1.500" is 1500, a number cell (1.5) is taken as it is, "85,5%" is 85.5
    assert _upload(c, _sheet([["P1", "I1", "orang", "naik", "1.500", "950"], ["P3", "I3", "%", "naik", 1.5, "85,5%"]])
                   ).status_code == 302
    rows = db.session.scalars(sa.select(ProgramIndicator).order_by(ProgramIndicator.id)).all()
    assert [(r.target, r.realisation, r.achieved) for r in rows] == [(1500, 950, False), (Decimal("1.5"), Decimal("85.5"), True)]


def test_program_import_on_an_english_page_reads_english_text(client_as, office):
    _english("sekretariat")
    c = client_as("sekretariat")
    html = _upload(c, _sheet([["P1", "I1", "orang", "naik", "1.500,5", "950"]])).get_data(as_text=True)
    assert _html(f"Baris 2, kolom Target: '1.500,5' is ambiguous. {EN_RULE}") in html
    assert _upload(c, _sheet([["P1", "I1", "orang", "naik", "1,500.5", "950"]])).status_code == 302
    assert db.session.scalar(sa.select(ProgramIndicator.target)) == Decimal("1500.5")


# ---------------------------------------------------------------- SKM import, period, questionnaire

HEADER = "tanggal,jenis_layanan,jenis_kelamin,usia,pendidikan,pekerjaan,u1,u2,u3,u4,u5,u6,u7,u8,u9"


def _skm_csv(ages, answers=None, sep=",") -> bytes:
    """Questionnaires as CSV; ``sep=";"`` as a spreadsheet with an Indonesian locale writes it."""
    rows = [sep.join([f"2025-02-1{i}", "KTP-el", "L", age, "SMA", "PNS",
                      *(answers or {}).get(i, list(map(str, WORKED_EXAMPLE[i])))]) for i, age in enumerate(ages)]
    return ("\n".join([HEADER.replace(",", sep), *rows]) + "\n").encode()


@pytest.mark.demo_without("survey")
def test_skm_import_refuses_ambiguous_text_cells_by_row_and_column(office):
    period = open_period(office.id, 2025, "S1", user=get_user("sekcam"))
    db.session.commit()
    answers = {1: ["3.0", "3", "3", "4", "3", "4", "4", "3", "3"]}
    rows, issues = importer.check_rows(period, importer.read_table(_skm_csv(["34.0", "40", "1.000"], answers), "a.csv"))
    found = {(i.row, i.column): i.message for i in issues}
    assert found == {
        (2, "usia"): "'34.0' tidak jelas. Tulis bilangan bulat tanpa titik atau koma, mis. \"34\".",
        (3, "u1"): "'3.0' tidak jelas. Tulis bilangan bulat tanpa titik atau koma, mis. \"4\".",
        (4, "usia"): "'1.000' tidak jelas. Tulis bilangan bulat tanpa titik atau koma, mis. \"34\".",
    }
    rows, issues = importer.check_rows(period, importer.read_table(_skm_csv(["34,0", "40"], sep=";"), "a.csv"))
    assert issues == [] and [r["usia"] for r in rows] == [34, 40]
    rows, issues = importer.check_rows(period, importer.read_table(_skm_csv(["34.0"]), "a.csv"), "en")
    assert issues == [] and rows[0]["usia"] == 34


@pytest.mark.demo_without("survey")
def test_skm_import_page_lists_the_ambiguous_cell(client_as, office):
    period = open_period(office.id, 2025, "S1", user=get_user("sekcam"))
    db.session.commit()
    c = client_as("pelayanan")
    response = c.post(f"/skm/periode/{period.id}/impor", data={"file": (io.BytesIO(_skm_csv(["40", "34.5"])), "skm.csv")},
                      content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>3</td><td>usia</td><td>" + _html("'34.5' tidak jelas. Tulis bilangan bulat tanpa titik atau koma, "
                                                  'mis. "34".') in html
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))) == 0


@pytest.mark.demo_without("survey")
def test_skm_period_population_with_thousands_dots(client_as, office):
    c = client_as("sekcam")
    data = {"year": "2025", "label": "S1", "services": "KTP-el", "weighting": "exact", "population": "1.500"}
    assert c.post("/skm/periode/baru", data=data).status_code == 302
    assert db.session.scalar(sa.select(SurveyPeriod.population)) == 1500
    html = c.post("/skm/periode/baru", data={**data, "label": "S2", "year": "2.025", "population": "1.5"}
                  ).get_data(as_text=True)
    assert _html('Tulis bilangan bulat tanpa titik atau koma, mis. "2025".') in html
    assert _html('Tulis bilangan bulat dengan titik sebagai pemisah ribuan, mis. "1.500".') in html
    assert 'value="2.025"' in html and 'value="1.5"' in html
    assert db.session.scalar(sa.select(sa.func.count(SurveyPeriod.id))) == 1


# ---------------------------------------------------------------- other numeric fields

def test_sakip_score_refusals_next_to_the_field(client_as, office):
    c = client_as("sekretariat")
    for typed, message in (("72.35", ID_RULE), ("72,355", 'Paling banyak 2 angka di belakang koma, mis. "72,35".'),
                           ("tujuh puluh", "Bukan angka yang sah. " + ID_RULE)):
        html = c.post("/register/sakip/2025/baru", data={"score": typed, "lhe_reference": "700/1/2025"}
                      ).get_data(as_text=True)
        assert f'<div class="invalid-feedback d-block">{_html(message)}</div>' in html, typed
        assert f'value="{typed}"' in html
    assert db.session.scalar(sa.select(sa.func.count(SakipEvaluation.id))) == 0


def test_decree_year_is_refused_next_to_its_box(client_as, office):
    c = client_as("sekcam")
    response = c.post("/keputusan/buat", data={"year": "2.030"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _html('Tulis bilangan bulat tanpa titik atau koma, mis. "2025".') in html and 'value="2.030"' in html
    assert db.session.scalar(sa.select(sa.func.count(Decree.id)).where(Decree.year == 2030)) == 0
    page = c.get("/keputusan").get_data(as_text=True)
    assert form_with(page, "year").value("year") == str(date.today().year)
