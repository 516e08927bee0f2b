"""Import of paper questionnaires from CSV or XLSX: all rows clean, or nothing stored.

Columns ``tanggal, jenis_layanan, jenis_kelamin, usia, pendidikan, pekerjaan, u1 … u9`` (header names in
any case, extra columns ignored). Every row is checked; problems are reported by spreadsheet row and
column. The file's SHA-256 is kept so the same file cannot be imported twice into a period, and a file
whose rows equal those of an earlier import (the same sheet saved again as XLSX or with another
separator) is refused too.
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from ..domain.text import control_characters
from .. import audit
from ..domain import skm
from ..domain import skm_response as fields
from ..domain.dates import parse_tanggal, period_range
from ..formatting import format_date
from ..domain.numbers import NumberFormatError, parse_number
from ..extensions import db
from ..models import ResponseSource, SurveyComment, SurveyImport, SurveyPeriod, SurveyResponse, User
from ..models._types import utcnow
from ..number_input import cell_message, page_locale
from ..reports import cells
from ..storage import zipcheck
from .operations import SurveyError, ensure_open
from .validation import frame_of, import_message

COLUMNS = tuple(fields.FIELDS)  # tanggal, jenis_layanan, jenis_kelamin, usia, pendidikan, pekerjaan, u1 .. u9
BATCH = 5000


@dataclass(frozen=True)
class Issue:
    row: int  # spreadsheet row (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"Baris {self.row}, kolom {self.column}: {self.message}"


class ImportRejected(SurveyError):
    """The file was refused; ``issues`` lists every problem found (nothing was stored)."""

    def __init__(self, issues: list[Issue] | None = None, message: str | None = None):
        self.issues = issues or []
        super().__init__(message or f"Berkas ditolak: {len(self.issues)} kesalahan. Tidak ada data yang diimpor.")


CSV_UNREADABLE = ("Berkas CSV tidak dapat dibaca: simpan sebagai CSV UTF-8 atau Windows-1252 "
                  "(bukan berkas biner yang diganti namanya).")


def _read_csv(data: bytes) -> list[list]:
    # a NUL byte is never text: a binary file renamed .csv (cp1252 would "decode" almost any bytes)
    if b"\x00" in data:
        raise ImportRejected(message=CSV_UNREADABLE)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        raise ImportRejected(message=CSV_UNREADABLE)
    if control_characters(text, multiline=True):
        raise ImportRejected(message=CSV_UNREADABLE)
    first = text.split("\n", 1)[0]
    # Spreadsheets saved with an Indonesian locale separate with ";".
    delimiter = max((";", ",", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list]:
    # the app's one zip check (storage.zipcheck) before openpyxl opens anything
    found = zipcheck.problem(data)
    if found == zipcheck.NOT_ZIP:
        raise ImportRejected(message="Berkas XLSX rusak atau bukan XLSX.")
    if found:
        raise ImportRejected(message="Berkas XLSX terlalu besar saat dibuka (dicurigai bom zip).")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportRejected(message=f"Berkas XLSX tidak dapat dibaca: {exc}.") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> list[list]:
    """The rows of a CSV or XLSX file (XLSX recognised by its zip signature, not only its name)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value, locale: str = "id") -> int:
    """A whole number from a cell: a number cell as it is, a text cell read as the page reads a typed number.

    RULES.md §6: text "34" or "34,0" is 34 on an Indonesian page, "34.0" is refused there (NumberFormatError,
    a ValueError) rather than guessed. Age and answers are plain numbers: "1.000" is refused too.
    """
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    return int(parse_number(str(value), locale, grouping=False, places=0))


class _Checker:
    """Turns raw cells into response values, collecting issues; caches repeated dates and codes.

    The cells are read here (a date, a whole number, a code written as its label); what the values may
    be is the field's check in `domain.skm_response`, the same the forms and the operations run.
    """

    def __init__(self, period: SurveyPeriod, locale: str = "id"):
        self.locale = locale
        self.frame = frame_of(period)
        self.dates: dict[str, date] = {}
        self.codes: dict[tuple[str, str], str] = {}
        self.issues: list[Issue] = []

    def _date(self, value) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        key = str(value).strip()
        if key not in self.dates:
            self.dates[key] = parse_tanggal(key)
        return self.dates[key]

    def _code(self, spec: fields.Code, value) -> str:
        key = (spec.name, str(value))
        if key not in self.codes:
            self.codes[key] = spec.parse(str(value))
        return self.codes[key]

    def _value(self, spec, cell):
        """The checked value of one (non-blank) cell; raises FieldError, or ValueError for an unreadable date."""
        if isinstance(spec, fields.SurveyDate):
            return spec.check(self._date(cell), self.frame)
        if isinstance(spec, fields.Service):
            return spec.check(str(cell), self.frame)
        if isinstance(spec, fields.Code):
            return self._code(spec, cell)
        try:
            number = _whole(cell, self.locale)
        except NumberFormatError:
            raise
        except ValueError:
            raise spec.error(fields.Problem.NOT_WHOLE, cell) from None
        return spec.check(number)

    def row(self, number: int, cells: dict) -> dict | None:
        out: dict = {}
        before = len(self.issues)
        blank = [name for name in COLUMNS if _blank(cells.get(name))]
        for name in blank:  # a row with a blank cell reports its blanks only
            self.issues.append(Issue(number, name, import_message(fields.FieldError(name, fields.Problem.REQUIRED))))
        if blank:
            return None
        for name, spec in fields.FIELDS.items():
            try:
                out[spec.column] = self._value(spec, cells[name])
            except NumberFormatError as exc:  # a text cell not written the page's way (RULES.md §6)
                self.issues.append(Issue(number, name, cell_message(exc, example=34 if name == "usia" else 4)))
            except fields.FieldError as exc:
                self.issues.append(Issue(number, name, import_message(exc, cells[name])))
            except ValueError as exc:  # a date written in no known way: parse_tanggal says why
                self.issues.append(Issue(number, name, str(exc)))
        return out if len(self.issues) == before else None


#: the optional column of the respondent's "Saran dan masukan" (not stored in survey_responses)
SARAN = "saran"


def _saran(checker: "_Checker", number: int, cell) -> str | None:
    """The saran of a row ("" when blank), or None with an issue when it cannot be kept."""
    from ..models.survey import SARAN_MAX

    text = "" if _blank(cell) else str(cell).strip()
    if control_characters(text, multiline=True):
        checker.issues.append(Issue(number, SARAN, _("Teks mengandung karakter kendali yang tidak diizinkan.")))
        return None
    if len(text) > SARAN_MAX:
        checker.issues.append(Issue(number, SARAN, _("Saran dan masukan paling panjang %(max)d karakter.",
                                                    max=SARAN_MAX)))
        return None
    return text


def check_rows(period: SurveyPeriod, table: list[list], locale: str = "id") -> tuple[list[dict], list[Issue]]:
    """Validate a table (header first). Returns the clean rows, or the issues found.

    Numbers in text cells (every CSV cell) are read in ``locale``'s convention, the page's ("id" or "en").
    """
    if not table:
        return [], [Issue(1, "-", "berkas kosong.")]
    header = ["" if h is None else str(h).strip().lower() for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [Issue(1, c, "kolom tidak ada di baris judul.") for c in missing]
    index = {c: header.index(c) for c in COLUMNS}
    saran_at = header.index(SARAN) if SARAN in header else None  # optional: the respondent's saran
    checker = _Checker(period, locale)
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        if all(_blank(v) for v in raw):
            continue  # empty lines at the end of a sheet
        cells = {c: (raw[i] if i < len(raw) else None) for c, i in index.items()}
        clean = checker.row(number, cells)
        saran = _saran(checker, number, raw[saran_at] if saran_at is not None and saran_at < len(raw) else None)
        if clean is not None and saran is not None:
            if saran:
                clean[SARAN] = saran
            rows.append(clean)
    if not rows and not checker.issues:
        checker.issues.append(Issue(2, "-", "tidak ada baris data."))
    return rows, checker.issues


ROW_FIELDS = tuple(spec.column for spec in fields.FIELDS.values())  # the stored columns, service_id for the service


def same_rows_import(period: SurveyPeriod, rows: list[dict]) -> SurveyImport | None:
    """An earlier import of the period whose stored rows, as a multiset, are exactly ``rows``.

    The byte hash misses the same questionnaires saved again with another separator or as XLSX; this
    compares the normalised values. Only imports with the same row count are read, one at a time.
    """
    candidates = db.session.scalars(sa.select(SurveyImport).where(
        SurveyImport.period_id == period.id, SurveyImport.rows == len(rows)).order_by(SurveyImport.id)).all()
    if not candidates:
        return None
    wanted = Counter(tuple(r[f] for f in ROW_FIELDS) for r in rows)
    columns = [getattr(SurveyResponse, f) for f in ROW_FIELDS]
    for earlier in candidates:
        stored = Counter(tuple(r) for r in db.session.execute(
            sa.select(*columns).where(SurveyResponse.import_id == earlier.id)))
        if stored == wanted:
            return earlier
    return None


def _same_bytes() -> str:
    return _("Berkas yang sama persis sudah pernah diimpor ke periode ini.")


# pg_advisory_xact_lock(namespace, period id): the namespace keeps these locks apart from any other
IMPORT_LOCK_NAMESPACE = 5_011


def lock_period_imports(period: SurveyPeriod) -> None:
    """Serialise the imports of one period until the end of the transaction.

    The duplicate checks (same bytes, same rows in another format) read what earlier imports
    committed; two imports at the same moment would each miss the other. On PostgreSQL a
    transaction-level advisory lock makes the second wait for the first's commit, then its checks see
    it. SQLite lets one writer at a time anyway (and the unique key catches the same bytes)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:namespace, :period)"),
                           {"namespace": IMPORT_LOCK_NAMESPACE, "period": period.id})


def import_file(period: SurveyPeriod, data: bytes, filename: str, *, user: User | None,
                locale: str = "id") -> SurveyImport:
    """Check the whole file and store its rows in bulk, or raise ImportRejected (nothing stored).

    ``locale``: the convention of numbers in text cells (the page's; the CLI reads Indonesian)."""
    ensure_open(period)
    digest = hashlib.sha256(data).hexdigest()
    lock_period_imports(period)
    if db.session.scalar(sa.select(SurveyImport.id).where(
            SurveyImport.period_id == period.id, SurveyImport.sha256 == digest)) is not None:
        raise ImportRejected(message=_same_bytes())
    rows, issues = check_rows(period, read_table(data, filename), locale)
    if issues:
        raise ImportRejected(issues)
    earlier = same_rows_import(period, rows)
    if earlier is not None:
        raise ImportRejected(message=_(
            "Isi berkas ini sama dengan berkas %(name)s yang sudah diimpor pada %(date)s "
            "(baris yang sama, mungkin disimpan ulang dengan format lain). Tidak ada data yang diimpor.",
            name=earlier.filename, date=format_date(to_user_timezone(earlier.created_at).date(), page_locale())))  # in Asia/Jakarta
    batch = SurveyImport(period_id=period.id, sha256=digest, filename=filename[:255], rows=len(rows),
                         created_by_id=user.id if user else None)
    db.session.add(batch)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        # the unique (period_id, sha256) key: the same bytes committed by another import meanwhile
        raise ImportRejected(message=_same_bytes()) from exc
    now = utcnow()
    extra = {"period_id": period.id, "source": ResponseSource.IMPORT, "import_id": batch.id,
             "entered_by_id": user.id if user else None, "created_at": now}
    # RETURNING makes SQLAlchemy send multi-row INSERTs (its "insertmanyvalues", 1,000 rows a statement)
    # on psycopg too, instead of one INSERT per row: the PostgreSQL survey_totals trigger runs once per
    # statement, so this keeps the import at its rate (100,000 rows: 18 s, not 140 s; bench/survey.py).
    insert = sa.insert(SurveyResponse).returning(SurveyResponse.id)
    with_saran = any(SARAN in r for r in rows)
    if with_saran:  # the new ids in the order of the rows, to attach each saran to its response
        insert = sa.insert(SurveyResponse).returning(SurveyResponse.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        result = db.session.execute(insert, [{**{k: v for k, v in r.items() if k != SARAN}, **extra} for r in chunk])
        if with_saran:
            comments = [{"response_id": rid, "period_id": period.id, "unsur": None, "text": r[SARAN],
                         "created_at": now} for rid, r in zip(result.scalars().all(), chunk) if r.get(SARAN)]
            if comments:
                db.session.execute(sa.insert(SurveyComment), comments)
    audit.record("survey.imported", office_id=period.office_id, user=user, obj=batch, rows=len(rows),
                 filename=filename[:255], sha256=digest)
    return batch


TEMPLATE_ANSWERS = ("P", 34, "SMA", "WIRAUSAHA", 4, 3, 3, 4, 3, 4, 4, 3, 3)


def template_example(period: SurveyPeriod, today: date | None = None) -> list:
    """The template's sample row, importable unchanged into ``period``: dated today when today lies in
    the period, else on its first day, and naming the period's first service."""
    first, last = period_range(period.year, period.label)
    today = today or datetime.now(ZoneInfo("Asia/Jakarta")).date()
    day = today if first <= today <= last else first
    return [day.isoformat(), period.services[0].name, *TEMPLATE_ANSWERS]


def template_csv(period: SurveyPeriod, today: date | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(cells.csv_row(COLUMNS))
    writer.writerow(cells.csv_row(template_example(period, today)))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(period: SurveyPeriod, today: date | None = None) -> bytes:
    from openpyxl import Workbook

    example = template_example(period, today)
    day = date.fromisoformat(example[0])
    wb = Workbook()
    ws = wb.active
    ws.title = "Responden"
    ws.append(list(COLUMNS))
    ws.append(example)
    guide = wb.create_sheet("Petunjuk")
    guide.append(["Kolom", "Isian"])
    guide.append(["tanggal", f"{day.isoformat()}, {day:%d/%m/%Y} atau {format_date(day)} (di dalam periode)"])
    guide.append(["jenis_layanan", "nama layanan persis seperti pada periode"])
    for spec in fields.PROFILE_CODES.values():
        guide.append([spec.name, ", ".join(spec.codes)])
    guide.append(["usia", f"{fields.USIA.low} sampai {fields.USIA.high}"])
    for u in skm.UNSUR:
        guide.append([u.key, f"{u.name}: " + "; ".join(f"{i} = {a}" for i, a in enumerate(u.answers, fields.SCORE_LOW))])
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
