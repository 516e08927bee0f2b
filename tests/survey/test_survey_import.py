"""Import of CSV/XLSX questionnaires and the `skm` commands."""
import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import SurveyImport, SurveyPeriod, SurveyResponse
from iku_workflow.survey import importer
from iku_workflow.survey.operations import open_period
from factories import WORKED_EXAMPLE

pytestmark = pytest.mark.skm_period(year=2025, label="S1", population=None)

HEADER = "Tanggal,JENIS_LAYANAN,jenis_kelamin,usia,pendidikan,pekerjaan,u1,u2,u3,u4,u5,u6,u7,u8,u9,catatan"


def _csv(rows, header=HEADER) -> bytes:
    return ("\n".join([header] + rows) + "\n").encode()


def _good_rows():
    dates = ["2025-02-12", "12/02/2025", "12 Februari 2025", "3 Maret 2025", "2025-06-30"]
    return [f"{d},KTP-el,{'L' if i % 2 else 'Perempuan'},{30 + i},s1,Wiraswasta," + ",".join(map(str, r)) + ",bebas"
            for i, (d, r) in enumerate(zip(dates, WORKED_EXAMPLE))]




def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def test_clean_csv_is_imported_in_bulk(period):
    batch = importer.import_file(period, _csv(_good_rows()), "skm.csv", user=get_user("pelayanan"))
    db.session.commit()
    assert batch.rows == 5 and _count() == 5
    row = db.session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).first()
    assert (row.jenis_kelamin, row.pendidikan, row.pekerjaan, row.answers) == ("P", "D4/S1", "WIRAUSAHA", WORKED_EXAMPLE[0])
    assert len(db.session.scalar(sa.select(SurveyImport.sha256))) == 64


def test_errors_are_listed_by_row_and_column_and_nothing_is_imported(period):
    rows = _good_rows()
    rows[1] = rows[1].replace(",30,", ",30,").replace("KTP-el", "Paspor")
    rows[2] = "2025-07-01,KTP-el,L,31,SMA,PNS,4,4,5,4,4,4,4,4,0,x"
    rows[3] = "31/04/2025,KTP-el,X,9,SMA,Petani,4,4,4,4,4,4,4,4,,x"
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(period, _csv(rows), "salah.csv", user=None)
    found = {(i.row, i.column) for i in caught.value.issues}
    assert {(3, "jenis_layanan"), (4, "tanggal"), (4, "u3"), (4, "u9"), (5, "u9")} <= found
    assert (5, "tanggal") not in found  # a row with a blank cell reports the blank only
    db.session.rollback()
    assert _count() == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 0
    rows[3] = "30/04/2025,KTP-el,X,9,SMA,Petani,4,4,4,4,4,4,4,4,4,x"
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(period, _csv(rows[3:4]), "salah.csv", user=None)
    assert {(i.row, i.column) for i in caught.value.issues} == {(2, "jenis_kelamin"), (2, "usia"), (2, "pekerjaan")}
    # The words the forms use for the same field, plus what the cell held.
    assert sorted(map(str, caught.value.issues)) == [
        "Baris 2, kolom jenis_kelamin: Isian tidak dikenal. Pilihan: L, P. Tertulis: X.",
        "Baris 2, kolom pekerjaan: Isian tidak dikenal. Pilihan: PNS, TNI, POLRI, SWASTA, WIRAUSAHA, LAINNYA. "
        "Tertulis: Petani.",
        "Baris 2, kolom usia: Usia harus 10 sampai 120 tahun. Tertulis: 9.",
    ]


def test_missing_columns_are_named(period):
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(period, _csv(["x"], header="tanggal,u1"), "a.csv", user=None)
    assert {i.column for i in caught.value.issues} >= {"jenis_layanan", "u9"}


def test_same_file_twice_is_refused(period):
    data = _csv(_good_rows())
    importer.import_file(period, data, "skm.csv", user=None)
    db.session.commit()
    with pytest.raises(importer.ImportRejected, match="sudah pernah diimpor"):
        importer.import_file(period, data, "lagi.csv", user=None)
    assert _count() == 5


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_real_dates_and_numbers(period):
    from datetime import datetime

    header = [h.upper() for h in importer.COLUMNS]
    data = _xlsx([header, [datetime(2025, 3, 1), "kartu keluarga", "L", 40.0, "SMA", "PNS", *WORKED_EXAMPLE[0]],
                  [None] * 15])
    assert importer.import_file(period, data, "skm.xlsx", user=None).rows == 1
    bad = _xlsx([header, [datetime(2025, 8, 1), "KTP-el", "L", 40, "SMA", "PNS", 4, 4, 4, 4, 4, 4, 4, 4, 2.5]])
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(period, bad, "bad.xlsx", user=None)
    assert {(i.row, i.column) for i in caught.value.issues} == {(2, "tanggal"), (2, "u9")}


def test_templates_round_trip(period):
    assert importer.check_rows(period, importer.read_table(importer.template_csv(period), "t.csv"))[1] == []
    assert importer.check_rows(period, importer.read_table(importer.template_xlsx(period), "t.xlsx"))[1] == []


def test_downloaded_template_imports_unchanged_into_any_period(client_as, period, office):
    """The sample row is dated inside the period and names one of its services."""
    from datetime import date

    other = open_period(office.id, 2026, "TW3", user=get_user("sekcam"), services=["Akta Kelahiran", "SKCK"])
    year = open_period(office.id, 2024, "TAHUN", user=get_user("sekcam"), services=["SKCK"])
    db.session.commit()
    c = client_as("pelayanan")
    for target, fmt in ((other, "csv"), (year, "xlsx")):
        data = c.get(f"/skm/periode/{target.id}/templat.{fmt}").data
        assert importer.import_file(target, data, f"templat.{fmt}", user=None).rows == 1
        db.session.commit()
    stored = db.session.execute(sa.select(SurveyResponse.period_id, SurveyResponse.tanggal, SurveyResponse.service_id)
                                .order_by(SurveyResponse.period_id)).all()
    assert [(p, s) for p, _, s in stored] == [(other.id, other.services[0].id), (year.id, year.services[0].id)]
    assert date(2026, 7, 1) <= stored[0][1] <= date(2026, 9, 30) and stored[1][1] == date(2024, 1, 1)
    # Today inside the period: the sample is dated today; outside it: the period's first day.
    assert importer.template_example(other, today=date(2026, 8, 17))[0] == "2026-08-17"
    assert importer.template_example(other, today=date(2026, 10, 1))[0] == "2026-07-01"


def test_import_page_shows_errors(client_as, period):
    c = client_as("pelayanan")
    response = c.post(f"/skm/periode/{period.id}/impor", data={
        "file": (io.BytesIO(_csv(["2025-02-12,KTP-el,L,30,SMA,PNS,4,4,4,4,4,4,4,4,7,x"])), "a.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tidak ada data yang diimpor" in page and "<td>u9</td>" in page
    ok = c.post(f"/skm/periode/{period.id}/impor", data={"file": (io.BytesIO(_csv(_good_rows())), "b.csv")},
                content_type="multipart/form-data")
    assert ok.status_code == 302 and _count() == 5
    assert c.get(f"/skm/periode/{period.id}/templat.xlsx").data[:2] == b"PK"


def test_cli_import_creates_period_and_report_json(runner, office, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_bytes(_csv(_good_rows()))
    result = runner.invoke(args=["skm", "import", str(path), "--office", "gumukmas", "--year", "2025", "--period", "s1"])
    assert result.exit_code == 0, result.output
    assert "5 responden diimpor" in result.output
    assert db.session.scalar(sa.select(SurveyPeriod.label)) == "S1"
    result = runner.invoke(args=["skm", "report", "--office", "gumukmas", "--year", "2025", "--period", "S1", "--json"])
    data = json.loads(result.output)
    assert data == {"respondents": 5, "nrr": {"u1": 3.6, "u2": 3.0, "u3": 3.0, "u4": 4.0, "u5": 3.2, "u6": 3.6,
                                              "u7": 3.8, "u8": 3.0, "u9": 2.8},
                    "ikm": 3.3333, "ikm_konversi": 83.33, "mutu": "B", "kinerja": "Baik", "min_sample": None}


def test_cli_errors_exit_1(runner, office, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(["2025-02-12,KTP-el,L,30,SMA,PNS,4,4,4,4,4,4,4,4,9,x"]))
    result = runner.invoke(args=["skm", "import", str(path), "--office", "gumukmas", "--year", "2025", "--period", "S1"])
    assert result.exit_code == 1 and "Baris 2, kolom u9" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyPeriod)) == 0
    result = runner.invoke(args=["skm", "report", "--office", "nowhere", "--year", "2025", "--period", "S1", "--json"])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    result = runner.invoke(args=["skm", "report", "--office", "gumukmas", "--year", "2025", "--period", "S2", "--json"])
    assert result.exit_code == 1 and "tidak ada" in result.output


def _twenty_rows() -> list[list]:
    """Twenty questionnaires, some of them identical (a multiset, not a set)."""
    rows = []
    for i in range(20):
        answers = WORKED_EXAMPLE[i % 5]
        rows.append([f"2025-0{1 + i % 6}-1{i % 10}", "KTP-el" if i % 3 else "Kartu Keluarga", "L" if i % 2 else "P",
                     30 + i % 4, "SMA", "PNS", *answers])
    return rows


def _csv_with(rows, delimiter: str) -> bytes:
    lines = [delimiter.join(importer.COLUMNS)] + [delimiter.join(map(str, r)) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _imports() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport))


@pytest.mark.parametrize("again", ["comma", "xlsx"])
def test_same_rows_saved_in_another_format_are_refused(period, again):
    from datetime import datetime

    rows = _twenty_rows()
    first = importer.import_file(period, _csv_with(rows, ";"), "skm-maret.csv", user=get_user("pelayanan"))
    db.session.commit()
    assert _count() == 20
    if again == "comma":
        data, name = _csv_with(list(reversed(rows)), ","), "skm-maret-koma.csv"
    else:
        data = _xlsx([list(importer.COLUMNS)] + [[datetime.fromisoformat(r[0]), *r[1:]] for r in rows])
        name = "skm-maret.xlsx"
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_file(period, data, name, user=get_user("pelayanan"))
    db.session.rollback()
    message = str(caught.value)
    assert "skm-maret.csv" in message and "Tidak ada data yang diimpor" in message
    from zoneinfo import ZoneInfo

    from iku_workflow.formatting import format_date as format_tanggal
    assert format_tanggal(first.created_at.astimezone(ZoneInfo("Asia/Jakarta")).date()) in message
    assert _count() == 20 and _imports() == 1


def test_rows_that_differ_by_one_answer_or_one_repeat_are_imported(period):
    rows = _twenty_rows()
    importer.import_file(period, _csv_with(rows, ";"), "a.csv", user=None)
    db.session.commit()
    changed = [list(r) for r in rows]
    changed[7][-1] = 1 if changed[7][-1] != 1 else 2
    importer.import_file(period, _csv_with(changed, ","), "b.csv", user=None)
    db.session.commit()
    # Same set of rows, other multiplicities: a different pile of questionnaires.
    repeated = rows[:19] + [rows[0]]
    importer.import_file(period, _csv_with(repeated, ","), "c.csv", user=None)
    db.session.commit()
    assert _count() == 60 and _imports() == 3


def test_import_page_names_the_earlier_file(client_as, period):
    c = client_as("pelayanan")
    rows = _twenty_rows()
    first = c.post(f"/skm/periode/{period.id}/impor", data={"file": (io.BytesIO(_csv_with(rows, ";")), "pertama.csv")},
                   content_type="multipart/form-data")
    assert first.status_code == 302
    again = c.post(f"/skm/periode/{period.id}/impor", data={"file": (io.BytesIO(_csv_with(rows, ",")), "kedua.csv")},
                   content_type="multipart/form-data")
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "sama dengan berkas pertama.csv" in page and "Tidak ada data yang diimpor" in page
    assert _count() == 20 and _imports() == 1
