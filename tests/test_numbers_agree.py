"""The same numbers everywhere: an approved document moves the documents year page, the dashboard,
the `iku report` JSON and the capaian report together; a document without evidence cannot be submitted."""
import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

import factories as mk

from conftest import get_user
from factories import PDF, required, upload
from iku_workflow.extensions import db
from iku_workflow.models import EntryState
from iku_workflow.workflow import operations as ops

YEAR = 2025


def test_submitting_a_document_without_evidence_is_refused(app, office):
    doc = required(office, "sop", YEAR)
    with pytest.raises(ops.ForbiddenTransition, match="Unggah minimal satu berkas bukti"):
        ops.submit(doc.entry, get_user("pelayanan"))
    db.session.rollback()
    assert doc.entry.state is EntryState.DRAFT


def test_one_approval_moves_every_view_of_the_numbers(app, office, client_as, runner):
    sekcam = client_as("sekcam")
    before = sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True)
    assert 'data-testid="doc-completion">0,00 %' in before

    doc = required(office, "sop", YEAR)
    operator = client_as("pelayanan")
    assert upload(operator, doc, (PDF, "SOP.pdf"), description="SOP").status_code in (302, 303)
    db.session.refresh(doc.entry)
    ops.submit(doc.entry, get_user("pelayanan"))
    ops.approve(doc.entry, get_user("sekcam"))
    db.session.commit()

    after = sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True)
    assert 'data-testid="doc-completion">9,09 %' in after  # 1 of 11 required documents
    year_page = sekcam.get(f"/dokumen/{YEAR}").get_data(as_text=True)
    assert "9,09" in year_page

    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    iku1 = next(item for item in json.loads(result.output) if item["number"] == 1)
    assert iku1["realisation"]["year"] == 1

    from iku_workflow.indicators import capaian_data

    rows = capaian_data.capaian_rows(office, YEAR, None)
    completion = capaian_data.completion_at(office, YEAR, None)
    assert str(completion.percent) == "9.09" and (completion.approved, completion.required) == (1, 11)
    assert next(r for r in rows if r.number == 1).realisasi["year"] == 1


def _num(text: str) -> Decimal | None:
    """A printed number ("66,67", "66,67%", "1", "–", "—") as a Decimal rounded to 2 places; None for a dash."""
    text = text.strip().rstrip("%").strip()
    if text in ("", "–", "—"):
        return None
    return Decimal(text.replace(".", "").replace(",", ".")).quantize(Decimal("0.01"))


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _iku4_three_complaints(office):
    """RULES.md §3 worked example spread over the year: 10 Feb (done), 10 May (done 3 Jul), 10 Aug (in process)."""
    rows = [mk.complaint(office, date(YEAR, 2, 10), resolved=date(YEAR, 2, 12)),
            mk.complaint(office, date(YEAR, 5, 10), resolved=date(YEAR, 7, 3)),
            mk.complaint(office, date(YEAR, 8, 10), status="diproses")]
    mk.approve(*rows)


def _dashboard(html: str) -> dict[int, dict]:
    """Per IKU: the "s.d. TW" realisation row, the year's realisation and capaian, per-TW capaian."""
    out = {}
    for number in range(1, 7):
        card = html.split(f'<section class="card h-100" data-iku="{number}"')[1].split("</section>")[0]
        body = card.split("<tbody>")[1]
        real_row, _target_row, capaian_row = body.split("</tr>")[:3]
        out[number] = {
            "upto": [_num(c.split("</td>")[0]) for c in real_row.split("<td>")[1:]],
            "year": _num(card.split('data-testid="realisation">')[1].split("<")[0]),
            "capaian": _num(card.split('data-testid="capaian">')[1].split("<")[0]),
            "capaian_upto": [_num(c.split(">", 1)[1].split("<")[0]) for c in capaian_row.split("<td")[1:]],
        }
    return out


def test_report_dashboard_excel_and_json_agree_on_sd_tw(app, office, client_as, runner):
    """Every IKU: the capaian report (docx, xlsx), the dashboard, its Excel export and `iku report --json`
    show the same "s.d. TW" realisations, year value and capaian."""
    _iku4_three_complaints(office)
    sekcam = client_as("sekcam")
    dash = _assert_every_view_agrees(sekcam, runner)
    assert dash[4]["upto"] == [Decimal("100.00"), Decimal("100.00"), Decimal("66.67"), Decimal("66.67")]
    assert dash[4]["year"] == Decimal("66.67")
    _assert_the_tw3_report_agrees(sekcam, dash)
    tw3 = _tw3_table(sekcam)
    assert [c.text for c in tw3.rows[5].cells][5:11] == ["100,00", "100,00", "66,67", "–", "66,67", "66,67%"]


@pytest.mark.demo_without("survey")
def test_every_view_agrees_under_a_non_default_rule(app, office, client_as, runner):
    """IKU 2 set to "Rata-rata" (S1 75,00, S2 100,00 → 87,50), IKU 1 cumulative with triwulan targets, IKU 4
    with "s.d." triwulan targets: the dashboard, the capaian report, both Excel files and the JSON agree."""
    from factories import give_evidence
    from iku_workflow.domain.capaian import YearRule
    from iku_workflow.indicators import operations as ind_ops
    from iku_workflow.models import Indicator
    from iku_workflow.survey.operations import close_period, open_period
    from factories import add_rows

    pelayanan_section = next(s for s in office.sections if s.code == "pelayanan")
    for label, answer in (("S1", 3), ("S2", 4)):
        period = open_period(office.id, YEAR, label, user=get_user("sekcam"), section=pelayanan_section)
        add_rows(period, [(answer,) * 9] * 5)
        close_period(period, get_user("pelayanan"))
        ops.approve(period.entry, get_user("sekcam"))
    give_evidence(office)
    for code in ("sop", "lakip", "anjab"):
        entry = required(office, code, YEAR).entry
        ops.submit(entry, get_user(entry.section.code))
        ops.approve(entry, get_user("sekcam"))
    _iku4_three_complaints(office)
    indicators = {i.number: i for i in db.session.scalars(sa.select(Indicator).where(Indicator.year == YEAR, Indicator.office_id == office.id))}
    indicators[2].year_rule = YearRule.AVERAGE
    sekcam_user = get_user("sekcam")
    for number, values in ((1, (2, 3, 3, 3)), (4, (90, 95, 98, 100))):
        for tw, value in zip((1, 2, 3, 4), values):
            ind_ops.set_target(indicators[number], sekcam_user, Decimal(value), tw)
    db.session.commit()

    sekcam = client_as("sekcam")
    dash = _assert_every_view_agrees(sekcam, runner)
    assert dash[2]["upto"] == [None, Decimal("75.00"), Decimal("75.00"), Decimal("87.50")]
    assert dash[2]["year"] == Decimal("87.50") and dash[2]["capaian"] == Decimal("106.71")  # 87.50 / 82
    assert dash[4]["capaian_upto"] == [Decimal("111.11"), Decimal("105.26"), Decimal("68.03"), Decimal("66.67")]
    assert dash[1]["year"] == dash[1]["upto"][3] == Decimal("3.00")
    _assert_the_tw3_report_agrees(sekcam, dash)


def _tw3_table(sekcam):
    import io

    from docx import Document

    return next(t for t in Document(io.BytesIO(sekcam.get(f"/laporan/capaian/{YEAR}.docx?periode=tw3").data)).tables
                if t.rows[0].cells[0].text == "No")


def _assert_every_view_agrees(sekcam, runner) -> dict[int, dict]:
    """The dashboard's numbers, after checking the JSON, the capaian report (docx, xlsx) and the dashboard's
    Excel export show the same "s.d. TW" realisations, year value and capaian for every IKU."""
    import io

    import openpyxl
    from docx import Document

    dash = _dashboard(sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True))
    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    cli = {item["number"]: item for item in json.loads(result.output)}

    docx_table = next(t for t in Document(io.BytesIO(sekcam.get(f"/laporan/capaian/{YEAR}.docx").data)).tables
                      if t.rows[0].cells[0].text == "No")
    assert [c.text for c in docx_table.rows[0].cells][5:10] == ["Realisasi"] * 5
    assert [c.text for c in docx_table.rows[1].cells][5:10] == ["s.d. TW I", "s.d. TW II", "s.d. TW III",
                                                                "s.d. TW IV", "Tahun"]
    docx_rows = {int(r.cells[0].text.rstrip(".")): [c.text for c in r.cells] for r in docx_table.rows[2:]}
    ws = openpyxl.load_workbook(io.BytesIO(sekcam.get(f"/laporan/capaian/{YEAR}.xlsx").data)).active
    assert [c.value for c in ws[6]][5] == "Realisasi"
    assert [c.value for c in ws[7]][5:10] == ["s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV", "Tahun"]
    xlsx_rows = {r[0]: r for r in ws.iter_rows(min_row=8, max_row=13, values_only=True)}
    export = openpyxl.load_workbook(io.BytesIO(sekcam.get(f"/dasbor/{YEAR}/excel").data)).active
    assert [c.value for c in export[5]][5:9] == ["Realisasi s.d. TW I", "Realisasi s.d. TW II",
                                                 "Realisasi s.d. TW III", "Realisasi s.d. TW IV"]
    export_rows = {r[0]: r for r in export.iter_rows(min_row=6, values_only=True)}

    for number in range(1, 7):
        d, j = dash[number], cli[number]
        if d["year"] is not None:  # s.d. TW IV is the year (RULES.md §3), on the page too
            assert d["upto"][3] == d["year"] and d["capaian_upto"][3] == d["capaian"], number
        assert [_dec(j["realisation"][f"sd_tw{tw}"]) for tw in (1, 2, 3, 4)] == d["upto"], number
        assert _dec(j["realisation"]["year"]) == d["year"] and _dec(j["capaian"]) == d["capaian"], number
        assert [_num(t) for t in docx_rows[number][5:10]] == d["upto"] + [d["year"]], number
        assert _num(docx_rows[number][10]) == d["capaian"], number
        assert [_dec(v) for v in xlsx_rows[number][5:10]] == d["upto"] + [d["year"]], number
        assert _dec(xlsx_rows[number][10]) == d["capaian"], number
        assert [_dec(v) for v in export_rows[number][5:10]] == d["upto"] + [d["year"]], number
        assert _dec(export_rows[number][10]) == d["capaian"], number
    return dash


def _assert_the_tw3_report_agrees(sekcam, dash) -> None:
    """"s.d. TW III": the period column is headed for what it shows, the dashboard's s.d. TW III."""
    import io

    import openpyxl

    tw3 = _tw3_table(sekcam)
    assert tw3.rows[1].cells[9].text == "s.d. TW III"
    ws3 = openpyxl.load_workbook(io.BytesIO(sekcam.get(f"/laporan/capaian/{YEAR}.xlsx?periode=tw3").data)).active
    assert ws3.cell(7, 10).value == "s.d. TW III"
    for row in tw3.rows[2:]:
        number = int(row.cells[0].text.rstrip("."))
        cells = [c.text for c in row.cells]
        assert [_num(t) for t in cells[5:9]] == dash[number]["upto"][:3] + [None], number
        assert _num(cells[9]) == dash[number]["upto"][2] and _num(cells[10]) == dash[number]["capaian_upto"][2]
    page = sekcam.get(f"/laporan/capaian/{YEAR}?periode=tw3").get_data(as_text=True)
    head = page.split('data-testid="capaian-table"')[1].split("</thead>")[0]
    assert ">s.d. TW I<" in head and ">s.d. TW III<" in head and ">Tahun<" not in head
