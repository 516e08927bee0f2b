"""The capaian table has one Excel writer (reports.capaian_report.write_capaian_table): the
dashboard's workbook and the capaian report's show the same table, cell for cell, in one look."""
import io
from datetime import date

from openpyxl import load_workbook

import factories as mk


def _books(client):
    export = load_workbook(io.BytesIO(client.get("/dasbor/2025/excel").data)).active
    report = load_workbook(io.BytesIO(client.get("/laporan/capaian/2025.xlsx").data)).active
    return export, report


def _scenario(office):
    mk.approve(mk.complaint(office, date(2025, 1, 10)), mk.complaint(office, date(2025, 2, 10)),
               mk.complaint(office, date(2025, 3, 10), status="diproses"), mk.sakip(office),
               mk.program(office, target="1500.5", realisation="1200"))


def _round(v):
    return round(float(v), 2) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def test_dashboard_and_report_workbooks_hold_the_same_table(client_as, office):
    _scenario(office)
    export, report = _books(client_as("camat"))
    assert [c.value for c in export[5]][5:10] == ["Realisasi s.d. TW I", "Realisasi s.d. TW II", "Realisasi s.d. TW III",
                                                 "Realisasi s.d. TW IV", "Realisasi tahun"]
    assert [c.value for c in report[7]][5:10] == ["s.d. TW I", "s.d. TW II", "s.d. TW III", "s.d. TW IV", "Tahun"]
    export_rows = [[export.cell(r, c) for c in range(1, 14)] for r in range(6, export.max_row + 1)]
    report_rows = [[report.cell(r, c) for c in range(1, 14)] for r in range(8, 8 + len(export_rows))]
    assert [row[0].value for row in export_rows] == [row[0].value for row in report_rows] == [1, 2, 3, 4, 5, 6]
    for ex, rep in zip(export_rows, report_rows):
        number = ex[0].value
        # No, Sasaran, Indikator, Satuan, target, realisations, capaian, Keterangan: the same cells
        for col in (*range(0, 11), 12):
            assert _round(ex[col].value) == _round(rep[col].value), (number, col + 1)
            if ex[col].value is not None and col >= 4:
                assert ex[col].number_format == rep[col].number_format, (number, col + 1)
        if rep[11].value:  # a band: the same Kriteria text ("" in the report is "Belum ada data" on the dashboard)
            assert ex[11].value == rep[11].value
    iku5 = next(row for row in export_rows if row[0].value == 5)
    assert iku5[12].value == "Predikat SAKIP: BB (Sangat Baik)"  # 72.5
    # one look: header colour, column widths, frozen header
    for ws, head in ((export, 5), (report, 6)):
        assert ws.cell(head, 1).fill.fgColor.rgb == "00D9D9D9" and ws.cell(head, 1).font.b
        assert [ws.column_dimensions[c].width for c in "ABCDE"] == [5, 35, 40, 9, 9]
    assert export.freeze_panes == "A6" and report.freeze_panes == "A8"


def test_dashboard_workbook_colours_the_kriteria_by_band(client_as, office):
    _scenario(office)
    export, _report = _books(client_as("camat"))
    iku4 = next(r for r in range(6, export.max_row + 1) if export.cell(r, 1).value == 4)
    assert export.cell(iku4, 12).value == "Sedang" and export.cell(iku4, 12).fill.fgColor.rgb == "00FFC107"
    iku3 = next(r for r in range(6, export.max_row + 1) if export.cell(r, 1).value == 3)
    assert export.cell(iku3, 12).value == "Belum ada data" and export.cell(iku3, 12).fill.fill_type is None
