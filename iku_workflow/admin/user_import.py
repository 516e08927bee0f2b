"""Import an office's users from a CSV or XLSX sheet: every row checked, all created or none.

Two steps, so that any page or command can use them for any office:

- :func:`parse_user_sheet` reads the file (CSV in UTF-8 with or without BOM or Windows-1252, ``;`` or ``,``
  separated; XLSX through openpyxl after the app's zip check) into one :class:`RowResult` per data row,
  the cells as text. A file that cannot be read at all raises :class:`UserSheetRejected`.
- :func:`import_users` checks every row against the office and the instance (username format and
  uniqueness, NIP, role, section of *that* office, email, control characters) and, only when no row has
  a problem, adds every user with a random temporary password and ``must_change_password`` set, one
  ``user.created`` audit event each (``via="import"``). It flushes and never commits: the caller commits
  (or rolls back). With a problem in any row nothing is added and the result lists the rows' messages.

Header names are Indonesian or English, in any case (``nama lengkap``, ``Full name``, ``nama_lengkap``).
"""
from __future__ import annotations

import csv
import io
import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from .. import audit
from ..domain.nip import NipError, normalize_nip
from ..domain.text import control_characters
from ..extensions import db
from ..models import Office, Role, Section, User
from ..reports import cells
from ..security import PasswordPolicyError, check_password_policy, hash_password
from ..storage import zipcheck
from ..storage.uploads import IMPORT_MAX_BYTES, MB

#: the sheet's fields, in the template's order
FIELDS = ("username", "full_name", "nip", "role", "section", "email")
REQUIRED_FIELDS = ("username", "full_name", "role")
#: header text (lower case, spaces for ``_``/``-``) -> field
HEADERS = {
    "username": "username", "nama pengguna": "username", "user name": "username", "user": "username",
    "nama lengkap": "full_name", "nama": "full_name", "full name": "full_name", "name": "full_name",
    "nip": "nip",
    "peran": "role", "role": "role",
    "seksi": "section", "kode seksi": "section", "nama seksi": "section", "section": "section", "section code": "section",
    "email": "email", "e mail": "email", "surel": "email", "alamat email": "email",
}
#: the template's header row (Indonesian) and its example row
TEMPLATE_HEADER = ("username", "nama lengkap", "NIP", "peran", "seksi", "email")
TEMPLATE_EXAMPLE = ("budi.santoso", "Budi Santoso, S.Sos.", "19840624 200212 1 001", "seksi", "trantib",
                    "budi.santoso@example.go.id")
#: what the ``peran`` column may say (lower case): the enum values, the Indonesian and English labels
ROLE_WORDS = {
    "admin": Role.ADMIN, "administrator": Role.ADMIN,
    "camat": Role.CAMAT,
    "sekcam": Role.SEKCAM, "sekretaris camat": Role.SEKCAM, "sekretaris kecamatan": Role.SEKCAM,
    "district secretary": Role.SEKCAM,
    "seksi": Role.SEKSI, "operator seksi": Role.SEKSI, "operator": Role.SEKSI, "section operator": Role.SEKSI,
    "pemantau": Role.VIEWER, "viewer": Role.VIEWER,
}
USERNAME = re.compile(r"[a-z0-9._-]{3,60}")  # the admin's user form and `user create` allow the same
#: a kecamatan has some 20-60 staff; each new user costs one argon2 hash (~0.4 s with the production
#: parameters on a small server), so one file stays well inside a request's time
MAX_ROWS = 100
FULL_NAME_MAX = 160
EMAIL_MAX = 120
#: temporary passwords: no look-alike characters (0/O, 1/l/I), read out or copied by hand
PASSWORD_ALPHABET = "".join(ch for ch in string.ascii_lowercase + string.digits if ch not in "0o1li")
PASSWORD_GROUPS = 3  # three groups of four: "k7rm-x3qa-p9tw", 14 characters, about 60 bits


class UserSheetRejected(ValueError):
    """The file could not be read as a sheet of users (nothing was checked or stored); the message is
    Indonesian, fit to show."""


@dataclass(frozen=True)
class RowResult:
    """One data row of the sheet as read: its spreadsheet row number (the header is row 1) and the
    cells of the known columns as stripped text ("" when blank or absent). ``problems`` are what reading
    already found (a NIP typed as a number, which Excel has rounded)."""

    row: int
    username: str = ""
    full_name: str = ""
    nip: str = ""
    role: str = ""
    section: str = ""
    email: str = ""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowErrors:
    row: int
    messages: tuple[str, ...]


@dataclass(frozen=True)
class CreatedUser:
    row: int
    user: User
    temporary_password: str  # shown once to whoever imported; only its hash is stored


@dataclass
class ImportResult:
    """``created`` when every row was right (all users added, flushed), else ``errors`` and nothing added."""

    created: list[CreatedUser] = field(default_factory=list)
    errors: list[RowErrors] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ reading

def _csv_unreadable() -> UserSheetRejected:
    return UserSheetRejected(_("Berkas CSV tidak dapat dibaca: simpan sebagai CSV UTF-8 atau Windows-1252 "
                               "(bukan berkas biner yang diganti namanya)."))


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data:  # never text: a binary file renamed .csv (cp1252 "decodes" almost any bytes)
        raise _csv_unreadable()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined
        raise _csv_unreadable()
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)  # an Indonesian-locale spreadsheet saves with ";"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UserSheetRejected(_("Berkas CSV tidak dapat dibaca: %(e)s.", e=str(exc))) from None


def _read_xlsx(data: bytes) -> list[list]:
    found = zipcheck.problem(data, required=("xl/workbook.xml",))  # the app's one zip check, before openpyxl
    if found in (zipcheck.TOO_MANY_ENTRIES, zipcheck.TOO_LARGE, zipcheck.RATIO):
        raise UserSheetRejected(_("Berkas XLSX terlalu besar saat dibuka (dicurigai bom zip)."))
    if found:
        raise UserSheetRejected(_("Berkas XLSX rusak atau bukan XLSX."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken workbook
        raise UserSheetRejected(_("Berkas XLSX rusak atau bukan XLSX.")) from None
    try:
        rows: list[list] = []
        filled = 0
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            if all(_text(v) == "" for v in row):
                rows.append([])  # kept, so that the rows after it keep their numbers
                continue
            rows.append(list(row))
            filled += 1
            if filled > MAX_ROWS + 1:  # the header and more users than allowed: enough to refuse the file
                break
        return rows
    finally:
        workbook.close()


def _text(value) -> str:
    """A cell as text: numbers without a trailing ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _header_field(cell) -> str | None:
    name = re.sub(r"[\s_\-]+", " ", _text(cell).lower()).strip()
    return HEADERS.get(name)


def parse_user_sheet(filename: str, data: bytes) -> list[RowResult]:
    """The data rows of a sheet of users, or :class:`UserSheetRejected` when it cannot be read.

    XLSX is recognised by its zip signature or its name; anything else is read as CSV. Blank rows are
    skipped; a sheet without a required column, without data rows or over ``MAX_ROWS`` is refused."""
    if len(data) > IMPORT_MAX_BYTES:
        raise UserSheetRejected(_("Berkas melebihi batas ukuran %(mb)s MB.", mb=IMPORT_MAX_BYTES // MB))
    if not data.strip():
        raise UserSheetRejected(_("Berkas kosong."))
    is_xlsx = data[:4] == b"PK\x03\x04" or (filename or "").lower().endswith(".xlsx")
    table = _read_xlsx(data) if is_xlsx else _read_csv(data)
    while table and all(_text(v) == "" for v in table[0]):
        table = table[1:]  # blank lines above the header
    if not table:
        raise UserSheetRejected(_("Berkas kosong."))
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        name = _header_field(cell)
        if name is not None and name not in columns:
            columns[name] = index
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        labels = {"username": "username", "full_name": "nama lengkap", "role": "peran"}
        raise UserSheetRejected(_("Baris judul tidak memuat kolom %(cols)s (judul yang dikenal: %(known)s).",
                                  cols=", ".join(labels[m] for m in missing), known=", ".join(TEMPLATE_HEADER)))
    rows: list[RowResult] = []
    for number, raw in enumerate(table[1:], start=2):
        if all(_text(v) == "" for v in raw):
            continue
        if len(rows) >= MAX_ROWS:
            raise UserSheetRejected(_("Berkas memuat lebih dari %(n)d pengguna; bagi menjadi beberapa berkas.",
                                      n=MAX_ROWS))
        values = {name: (raw[i] if i < len(raw) else None) for name, i in columns.items()}
        problems = []
        nip = values.get("nip")
        if isinstance(nip, (int, float)) and not isinstance(nip, bool):
            # Excel keeps 15 significant digits: an 18-digit NIP typed as a number has lost its last digits
            problems.append(_("NIP tersimpan sebagai angka (Excel membulatkan angka 18 digit); "
                              "tulis NIP sebagai teks."))
            values["nip"] = None
        rows.append(RowResult(row=number, problems=tuple(problems),
                              **{name: _text(values.get(name)) for name in FIELDS}))
    if not rows:
        raise UserSheetRejected(_("Berkas tidak memuat baris data di bawah baris judul."))
    return rows


# ------------------------------------------------------------------ checking and creating

def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _office_sections(office: Office) -> dict[str, Section]:
    """The office's sections by code, name and short name (lower case, spaces collapsed)."""
    found: dict[str, Section] = {}
    sections = db.session.scalars(sa.select(Section).where(Section.office_id == office.id)
                                  .order_by(Section.position, Section.id)).all()
    for section in sections:  # codes win over names that happen to equal another section's code
        found.setdefault(_key(section.code), section)
    for section in sections:
        found.setdefault(_key(section.name), section)
        found.setdefault(_key(section.short_name), section)
    return found


def _taken_usernames(usernames: list[str]) -> set[str]:
    """Those of ``usernames`` (lower case) some user of any office already has."""
    taken: set[str] = set()
    wanted = sorted(set(usernames))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        taken.update(db.session.scalars(sa.select(sa.func.lower(User.username))
                                        .where(sa.func.lower(User.username).in_(chunk))))
    return taken


def temporary_password(username: str = "") -> str:
    """A random password that passes the password policy, e.g. ``k7rm-x3qa-p9tw``."""
    while True:
        groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(4)) for _j in range(PASSWORD_GROUPS)]
        password = "-".join(groups)
        try:
            check_password_policy(password, username)
        except PasswordPolicyError:
            continue
        return password


def _check_row(row: RowResult, sections: dict[str, Section]) -> tuple[list[str], dict]:
    """The problems of one row, and the user's values when it has none."""
    messages = list(row.problems)
    for name in FIELDS:
        if control_characters(getattr(row, name)):
            messages.append(_("Kolom %(col)s berisi karakter kendali (mis. baris baru atau tab).",
                              col=TEMPLATE_HEADER[FIELDS.index(name)]))
    if messages:
        return messages, {}
    values: dict = {}
    username = row.username.strip().lower()
    if not username:
        messages.append(_("Nama pengguna wajib diisi."))
    elif not USERNAME.fullmatch(username):
        messages.append(_("Nama pengguna %(u)s tidak sah: hanya huruf, angka, titik, garis bawah dan tanda minus "
                          "(3–60 karakter).", u=row.username))
    values["username"] = username
    full_name = re.sub(r"\s+", " ", row.full_name).strip()
    if not full_name:
        messages.append(_("Nama lengkap wajib diisi."))
    elif len(full_name) > FULL_NAME_MAX:
        messages.append(_("Nama lengkap paling panjang %(n)d karakter.", n=FULL_NAME_MAX))
    values["full_name"] = full_name
    values["nip"] = None
    if row.nip:
        try:
            values["nip"] = normalize_nip(row.nip)
        except NipError as exc:
            messages.append(f"NIP: {exc}")
    role = ROLE_WORDS.get(_key(row.role))
    if not row.role:
        messages.append(_("Peran wajib diisi."))
    elif role is None:
        messages.append(_("Peran %(r)s tidak dikenal; pilih admin, camat, sekcam, seksi atau pemantau.", r=row.role))
    values["role"] = role
    section = None
    if row.section:
        section = sections.get(_key(row.section))
        if section is None:
            messages.append(_("Seksi %(s)s tidak ada di kantor ini (tulis kode atau nama seksi).", s=row.section))
        elif not section.active:
            messages.append(_("Seksi %(s)s tidak aktif.", s=row.section))
    elif role is Role.SEKSI:
        messages.append(_("Operator seksi wajib memiliki seksi."))
    values["section"] = section
    email = row.email.strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            messages.append(_("Alamat email %(e)s tidak sah.", e=row.email))
        else:
            if len(email) > EMAIL_MAX:
                messages.append(_("Alamat email paling panjang %(n)d karakter.", n=EMAIL_MAX))
    values["email"] = email
    return messages, values


def import_users(office: Office, rows: list[RowResult], actor: User | None) -> ImportResult:
    """Check every row for ``office`` and add all its users, or none (see the module's docstring).

    ``actor`` is who imports (recorded on each audit event), None from the command line. Flushes only;
    the caller commits. A username taken by another import committing at the same moment surfaces as
    ``sqlalchemy.exc.IntegrityError`` from the flush (the unique key): the caller rolls back."""
    sections = _office_sections(office)
    checked = [(row, *_check_row(row, sections)) for row in rows]
    taken = _taken_usernames([v["username"] for _row, _m, v in checked if v.get("username")])
    first_row_of: dict[str, int] = {}
    first_nip_row: dict[str, int] = {}
    errors: list[RowErrors] = []
    for row, messages, values in checked:
        username = values.get("username")
        if username and USERNAME.fullmatch(username):
            if username in taken:
                messages.append(_("Nama pengguna %(u)s sudah dipakai.", u=username))
            elif username in first_row_of:
                messages.append(_("Nama pengguna %(u)s sudah ada di baris %(r)d berkas ini.", u=username,
                                  r=first_row_of[username]))
            else:
                first_row_of[username] = row.row
        nip = values.get("nip")
        if nip:
            if nip in first_nip_row:
                messages.append(_("NIP %(nip)s sudah ada di baris %(r)d berkas ini.", nip=nip, r=first_nip_row[nip]))
            else:
                first_nip_row[nip] = row.row
        if messages:
            errors.append(RowErrors(row.row, tuple(messages)))
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    for row, _messages, values in checked:
        password = temporary_password(values["username"])
        user = User(office_id=office.id, username=values["username"], full_name=values["full_name"],
                    nip=values["nip"], email=values["email"], role=values["role"],
                    section_id=values["section"].id if values["section"] else None,
                    password_hash=hash_password(password), must_change_password=True)
        db.session.add(user)
        result.created.append(CreatedUser(row.row, user, password))
    db.session.flush()
    for created in result.created:
        audit.record("user.created", office_id=office.id, user=actor, obj=created.user,
                     username="" if actor else "cli", role=created.user.role.value, via="import", row=created.row)
    db.session.flush()
    return result


def template_xlsx() -> bytes:
    """The sheet to fill in: the header row and one example row, every cell typed as text (a NIP stays 18 digits)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Pengguna"
    ws.append(list(TEMPLATE_HEADER))
    ws.append(list(TEMPLATE_EXAMPLE))
    for letter, width in zip("ABCDEF", (18, 32, 24, 12, 16, 30)):
        ws.column_dimensions[letter].width = width
    guide = wb.create_sheet("Petunjuk")
    guide.append(["Kolom", "Isian"])
    guide.append(["username", "3–60 huruf kecil, angka, titik, garis bawah atau tanda minus; belum dipakai"])
    guide.append(["nama lengkap", "wajib"])
    guide.append(["NIP", "18 angka (boleh dengan spasi), ditulis sebagai teks; boleh kosong"])
    guide.append(["peran", "admin, camat, sekcam, seksi atau pemantau"])
    guide.append(["seksi", "kode atau nama seksi kantor; wajib untuk peran seksi"])
    guide.append(["email", "boleh kosong"])
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
