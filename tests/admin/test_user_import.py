"""Importing an office's users from CSV or XLSX: every row checked, all created or none, each new user
with a temporary password shown once and forced to choose their own at first sign-in."""
from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.admin import user_import
from iku_workflow.admin.user_import import RowResult, UserSheetRejected, import_users, parse_user_sheet
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, Role, Section, User
from iku_workflow.security import check_password_policy, verify_password

ID_HEADER = ["username", "nama lengkap", "NIP", "peran", "seksi", "email"]
EN_HEADER = ["Username", "Full name", "NIP", "Role", "Section", "E-mail"]
NIP_1 = "19840624 200212 1 001"
NIP_2 = "199001152015032002"

GOOD = [
    ["budi.s", "Budi Santoso", NIP_1, "seksi", "trantib", "budi@example.go.id"],
    ["siti", "Siti Aminah", NIP_2, "Sekretaris Camat", "Sekretariat", ""],
    ["pantau-1", "Pemantau Satu", "", "PEMANTAU", "", ""],
]


def csv_bytes(rows, header=ID_HEADER, sep=",", encoding="utf-8") -> bytes:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=ID_HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def row(**cells) -> RowResult:
    number = cells.pop("row", 2)
    values = dict(zip(("username", "full_name", "nip", "role", "section", "email"),
                      ("baru.satu", "Baru Satu", "", "camat", "", "")))
    values.update(cells)
    return RowResult(row=number, **values)


# ------------------------------------------------------------------ reading the sheet

def test_csv_indonesian_headers_semicolon_with_bom():
    rows = parse_user_sheet("pengguna.csv", csv_bytes(GOOD, sep=";", encoding="utf-8-sig"))
    assert [r.row for r in rows] == [2, 3, 4]
    assert rows[0] == RowResult(row=2, username="budi.s", full_name="Budi Santoso", nip=NIP_1, role="seksi",
                                section="trantib", email="budi@example.go.id")
    assert rows[1].role == "Sekretaris Camat" and rows[1].section == "Sekretariat"


def test_csv_english_headers_comma_without_bom_extra_columns_and_blank_lines():
    header = ["Catatan", *EN_HEADER]
    data = csv_bytes([["x", *GOOD[0]], ["", "", "", "", "", "", ""], ["y", *GOOD[2]]], header=header)
    rows = parse_user_sheet("users.csv", data)
    assert [(r.row, r.username, r.email) for r in rows] == [(2, "budi.s", "budi@example.go.id"), (4, "pantau-1", "")]


def test_csv_windows_1252_names():
    data = csv_bytes([["andre", "André Wijayakusumà", "", "camat", "", ""],
                      ["nuraini", "Siti Nur’aini", "", "viewer", "", ""]], sep=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = parse_user_sheet("pengguna.csv", data)
    assert [r.full_name for r in rows] == ["André Wijayakusumà", "Siti Nur’aini"]


def test_xlsx_english_headers_cells_read_as_text():
    data = xlsx_bytes([["budi.s", "Budi Santoso", NIP_1, "seksi", "trantib", "budi@example.go.id"],
                       ["angka", "Nomor Saja", None, "camat", 12, None]], header=EN_HEADER)
    rows = parse_user_sheet("pengguna.xlsx", data)
    assert rows[0].nip == NIP_1 and rows[0].section == "trantib"
    assert rows[1].section == "12" and rows[1].nip == "" and rows[1].problems == ()


def test_xlsx_nip_typed_as_a_number_is_a_problem_of_its_row():
    rows = parse_user_sheet("p.xlsx", xlsx_bytes([["budi.s", "Budi", 198406242002121001, "camat", "", ""]]))
    assert "tulis NIP sebagai teks" in rows[0].problems[0]


def test_xlsx_recognised_by_content_whatever_the_name():
    rows = parse_user_sheet("pengguna.csv", xlsx_bytes([GOOD[2]]))
    assert rows[0].username == "pantau-1"


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("p.csv", b"", "Berkas kosong."),
    ("p.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF", "Berkas CSV tidak dapat dibaca"),
    ("p.csv", "username;nama lengkap\r\nbudi;Budi\r\n".encode(), "tidak memuat kolom peran"),
    ("p.csv", "Username,Full name,Role\r\n".encode(), "tidak memuat baris data"),
    ("p.xlsx", b"PK\x03\x04 rusak", "rusak atau bukan XLSX"),
    ("p.xlsx", bomb(), "dicurigai bom zip"),
])
def test_unreadable_files_are_refused_whole(app, name, data, message):
    with pytest.raises(UserSheetRejected) as refused:
        parse_user_sheet(name, data)
    assert message in str(refused.value)


def test_oversize_and_too_many_rows_are_refused(app, monkeypatch):
    with pytest.raises(UserSheetRejected, match="batas ukuran 10 MB"):
        parse_user_sheet("p.csv", b"a" * (10 * 1024 * 1024 + 1))
    monkeypatch.setattr(user_import, "MAX_ROWS", 2)
    with pytest.raises(UserSheetRejected, match="lebih dari 2 pengguna"):
        parse_user_sheet("p.csv", csv_bytes(GOOD))


# ------------------------------------------------------------------ checking and creating

def test_import_creates_every_user_with_a_temporary_password(app, office):
    admin = get_user("admin")
    result = import_users(office, parse_user_sheet("p.csv", csv_bytes(GOOD)), admin)
    db.session.commit()
    assert result.ok and [c.row for c in result.created] == [2, 3, 4]
    passwords = {c.user.username: c.temporary_password for c in result.created}
    assert len(set(passwords.values())) == 3
    budi, siti, pantau = get_user("budi.s"), get_user("siti"), get_user("pantau-1")
    assert (budi.role, budi.section.code, budi.nip, budi.email, budi.office_id) == (
        Role.SEKSI, "trantib", "198406242002121001", "budi@example.go.id", office.id)
    assert (siti.role, siti.section.code) == (Role.SEKCAM, "sekretariat")
    assert (pantau.role, pantau.section_id, pantau.nip) == (Role.VIEWER, None, None)
    for user in (budi, siti, pantau):
        assert user.must_change_password is True and user.active
        check_password_policy(passwords[user.username], user.username)
        assert verify_password(user.password_hash, passwords[user.username])
        assert passwords[user.username] not in user.password_hash
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.created")
                                .order_by(AuditEvent.id)).all()
    assert [(e.object_id, e.username, e.details["via"], e.office_id) for e in events] == [
        (budi.id, "admin", "import", office.id), (siti.id, "admin", "import", office.id),
        (pantau.id, "admin", "import", office.id)]


@pytest.mark.parametrize("word, role", [
    ("admin", Role.ADMIN), ("Camat", Role.CAMAT), ("SEKCAM", Role.SEKCAM), ("sekretaris camat", Role.SEKCAM),
    ("Operator Seksi", Role.SEKSI), ("pemantau", Role.VIEWER), ("Viewer", Role.VIEWER),
])
def test_roles_by_enum_value_or_label_any_case(app, office, word, role):
    result = import_users(office, [row(role=word, section="Seksi Trantib")], None)
    assert result.ok, result.errors
    assert result.created[0].user.role is role


@pytest.mark.parametrize("section", ["pmks", "PMKS", "Seksi PMKS",
                                     "Seksi Pemberdayaan Masyarakat dan  Kesejahteraan Sosial"])
def test_section_by_code_short_name_or_name(app, office, section):
    result = import_users(office, [row(role="seksi", section=section)], None)
    assert result.ok, result.errors
    assert result.created[0].user.section.code == "pmks"


BAD_ROWS = [
    ({"username": ""}, "Nama pengguna wajib diisi."),
    ({"username": "nama spasi"}, "Nama pengguna nama spasi tidak sah"),
    ({"username": "ab"}, "tidak sah"),
    ({"username": "CAMAT"}, "Nama pengguna camat sudah dipakai."),
    ({"full_name": "  "}, "Nama lengkap wajib diisi."),
    ({"full_name": "x" * 161}, "Nama lengkap paling panjang 160 karakter."),
    ({"nip": "12345"}, "NIP: NIP harus 18 angka."),
    ({"nip": "198413241234567890"}, "8 angka pertama NIP harus tanggal lahir yang sah"),
    ({"role": ""}, "Peran wajib diisi."),
    ({"role": "raja"}, "Peran raja tidak dikenal"),
    ({"role": "seksi", "section": ""}, "Operator seksi wajib memiliki seksi."),
    ({"role": "seksi", "section": "ekbang"}, "Seksi ekbang tidak ada di kantor ini"),
    ({"email": "bukan-email"}, "Alamat email bukan-email tidak sah."),
    ({"full_name": "Baris\nbaru"}, "Kolom nama lengkap berisi karakter kendali"),
    ({"username": "nul\x00"}, "Kolom username berisi karakter kendali"),
]


@pytest.mark.parametrize("cells, message", BAD_ROWS)
def test_one_bad_row_stores_nothing_and_is_named(client_as, office, cells, message):
    admin = client_as("admin")
    before = user_count()
    rows = [row(row=2, username="baik.satu"), row(row=3, **cells), row(row=4, username="baik.dua")]
    result = import_users(office, rows, get_user("admin"))
    assert not result.ok and result.created == []
    assert [e.row for e in result.errors] == [3]
    assert any(message in m for m in result.errors[0].messages), result.errors
    assert user_count() == before
    # the same through the page, as an XLSX (a cell keeps a line break there; a NUL no sheet can hold)
    sheet = [[getattr(r, f) for f in user_import.FIELDS] for r in rows]
    if any("\x00" in cell for line in sheet for cell in line):
        return
    response = admin.post("/admin/pengguna/impor", data={"file": (io.BytesIO(xlsx_bytes(sheet)), "p.xlsx")},
                          content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-row="3"' in html and 'data-row="2"' not in html and 'data-row="4"' not in html
    assert "1 baris bermasalah. Tidak ada pengguna yang dibuat" in html
    assert user_count() == before


def test_a_section_of_another_office_is_refused(app, office, other_office):
    db.session.add(Section(office_id=other_office.id, code="ekbang", name="Seksi Ekbang Puger", short_name="Ekbang"))
    db.session.commit()
    result = import_users(office, [row(role="seksi", section="ekbang")], None)
    assert "Seksi ekbang tidak ada di kantor ini" in result.errors[0].messages[0]
    assert import_users(other_office, [row(role="seksi", section="ekbang")], None).ok


def test_any_office_can_be_imported_into(app, office, other_office):
    result = import_users(other_office, [row(username="operator.puger", role="seksi", section="trantib")], None)
    db.session.commit()
    user = get_user("operator.puger")
    assert result.ok and user.office_id == other_office.id and user.section.office_id == other_office.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.office_id == other_office.id and event.username == "cli"


def test_duplicates_within_the_sheet_and_against_the_database(app, office, other_office):
    rows = [row(row=2, username="Kembar", nip=NIP_1), row(row=3, username="kembar"),
            row(row=4, username="lain", nip=NIP_1), row(row=5, username="ADMIN-PUGER")]
    result = import_users(office, rows, None)
    messages = {e.row: e.messages for e in result.errors}
    assert 2 not in messages
    assert messages[3] == ("Nama pengguna kembar sudah ada di baris 2 berkas ini.",)
    assert messages[4] == ("NIP 198406242002121001 sudah ada di baris 2 berkas ini.",)
    assert messages[5] == ("Nama pengguna admin-puger sudah dipakai.",)  # another office's: names are instance-wide
    # the demo's 8 users, its kabupaten's 2 and its second kecamatan's 2; Puger's 3: nothing added
    assert user_count() == 15


def test_every_problem_of_a_row_is_listed(app, office):
    result = import_users(office, [row(username="x y", nip="1", role="raja", email="@")], None)
    assert len(result.errors[0].messages) == 4


def test_the_template_imports_as_it_is(admin, office):
    response = admin.get("/admin/pengguna/impor/templat.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = parse_user_sheet("templat-pengguna.xlsx", response.data)
    assert len(rows) == 1 and rows[0].nip == user_import.TEMPLATE_EXAMPLE[2]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(user_import.TEMPLATE_HEADER)
    result = import_users(office, rows, None)
    assert result.ok and result.created[0].user.section.code == "trantib"


# ------------------------------------------------------------------ the page and the command

def test_users_list_links_to_the_import(admin, office):
    html = admin.get("/admin/pengguna").get_data(as_text=True)
    assert 'href="/admin/pengguna/impor"' in html


def test_import_page_form_and_template_link(admin, office):
    html = admin.get("/admin/pengguna/impor").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert 'href="/admin/pengguna/impor/templat.xlsx"' in html


def test_import_page_success_shows_each_password_once(admin, office, app):
    data = csv_bytes(GOOD, sep=";", encoding="utf-8-sig")
    response = admin.post("/admin/pengguna/impor", data={"file": (io.BytesIO(data), "pengguna.csv")},
                          content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Catat atau bagikan sekarang; kata sandi ini tidak ditampilkan lagi" in html
    assert 'href="/admin/pengguna"' in html
    import re

    shown = dict(re.findall(r'<tr data-username="([^"]+)">.*?data-testid="temporary-password">([^<]+)<', html))
    assert set(shown) == {"budi.s", "siti", "pantau-1"}
    for username, password in shown.items():
        assert get_user(username).must_change_password is True
        assert password not in admin.get("/admin/pengguna").get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    fresh = app.test_client()
    signed_in = fresh.post("/login", data={"username": "siti", "password": shown["siti"]})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/kata-sandi-baru"
    assert fresh.get("/").headers["Location"] == "/kata-sandi-baru"


def test_import_page_refusals(admin, office):
    before = user_count()
    response = admin.post("/admin/pengguna/impor", data={}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Pilih berkas." in response.get_data(as_text=True)
    response = admin.post("/admin/pengguna/impor", data={"file": (io.BytesIO(b"PK\x03\x04x"), "p.xlsx")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Berkas ditolak: Berkas XLSX rusak atau bukan XLSX. Tidak ada pengguna yang dibuat." in \
        response.get_data(as_text=True)
    response = admin.post("/admin/pengguna/impor", data={"file": (io.BytesIO(b"x"), "p.exe")},
                          content_type="multipart/form-data")
    assert "Hanya berkas .csv atau .xlsx." in response.get_data(as_text=True)
    assert user_count() == before


@pytest.mark.parametrize("username", ["camat", "sekcam", "pemerintahan", "viewer"])
def test_non_admins_get_403(client_as, office, viewer, username):
    client = client_as(username)
    before = user_count()
    assert client.get("/admin/pengguna/impor").status_code == 403
    assert client.get("/admin/pengguna/impor/templat.xlsx").status_code == 403
    response = client.post("/admin/pengguna/impor", data={"file": (io.BytesIO(csv_bytes(GOOD)), "p.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert user_count() == before


def test_english_page(client_as, office):
    get_user("admin").locale = "en"
    db.session.commit()
    admin = client_as("admin")
    html = admin.get("/admin/pengguna/impor").get_data(as_text=True)
    assert "Import users" in html and "Download XLSX template" in html
    response = admin.post("/admin/pengguna/impor", data={"file": (io.BytesIO(csv_bytes([GOOD[0], GOOD[0]])), "p.csv")},
                          content_type="multipart/form-data")
    assert "Username budi.s is already in row 2 of this file." in response.get_data(as_text=True)


def test_cli_import_prints_the_passwords(runner, office, tmp_path):
    path = tmp_path / "pengguna.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))
    result = runner.invoke(args=["user", "import", str(path), "--office", "GUMUKMAS"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("\t") for line in result.output.splitlines() if "\t" in line)
    assert set(lines) == {"budi.s", "siti", "pantau-1"}
    db.session.expire_all()
    for username, password in lines.items():
        user = get_user(username)
        assert user.must_change_password and verify_password(user.password_hash, password)


def test_cli_import_errors_exit_1_and_store_nothing(runner, office, tmp_path):
    before = user_count()
    path = tmp_path / "pengguna.csv"
    path.write_bytes(csv_bytes([GOOD[0], ["camat", "Camat Lagi", "", "camat", "", ""]]))
    result = runner.invoke(args=["user", "import", str(path), "--office", "gumukmas"])
    assert result.exit_code == 1
    assert "Baris 3: Nama pengguna camat sudah dipakai." in result.output
    assert "1 baris bermasalah. Tidak ada pengguna yang dibuat." in result.output
    assert user_count() == before
    unknown = runner.invoke(args=["user", "import", str(path), "--office", "tidak-ada"])
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output
    path.write_bytes(b"")
    empty = runner.invoke(args=["user", "import", str(path), "--office", "gumukmas"])
    assert empty.exit_code == 1 and "Berkas ditolak: Berkas kosong." in empty.output


def test_xlsx_blank_rows_keep_the_row_numbers(app, office):
    data = xlsx_bytes([GOOD[0], [None] * 6, [None] * 6, ["x y", "Salah", "", "camat", "", ""]])
    rows = parse_user_sheet("p.xlsx", data)
    assert [r.row for r in rows] == [2, 5]
    assert [e.row for e in import_users(office, rows, None).errors] == [5]
