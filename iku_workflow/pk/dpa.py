"""Import the programs of a year and their budget (pagu) from the DPA sheet the office receives (PK table 2,
LKjIP serapan): all rows or none.

The DPA (Dokumen Pelaksanaan Anggaran) comes as an Excel sheet whose layout varies between kabupaten, so the
header is found rather than fixed: the first of the top 15 rows that names a program column ("Program", "Nama
Program", "Uraian") and a budget column ("Pagu", "Anggaran", "Jumlah"); "Kode" and "Keterangan" / "Sumber Dana"
are read when present. Rows without a program name, and total rows ("Jumlah", "Total"), are skipped. A budget
cell stored as a number is taken as it is; a text cell is read as the page reads a typed amount ("Rp 1.500.000"
on an Indonesian page, RULES.md §6). A program already on the list (same name, any capitals) gets the DPA's code,
budget and note; a new one is added; programs the sheet does not name are kept."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from .. import audit
from ..domain.numbers import NumberFormatError, parse_number
from ..domain.text import control_characters
from ..extensions import db
from ..models import Office, ProgramBudget, User
from ..number_input import cell_message
from ..reports import cells
from ..storage import zipcheck

MAX_ROWS = 500
LARGEST = Decimal("99999999999999")  # Numeric(16, 2)
_PROGRAM = re.compile(r"^(nama\s+)?(program|uraian)(\s+kegiatan)?$")
_BUDGET = re.compile(r"^(pagu|anggaran|jumlah)(\s+(anggaran|dpa|\(rp\)|rp))*(\s*\(rp\))?$")
_CODE = re.compile(r"^kode(\s+(program|rekening))?$")
_NOTE = re.compile(r"^(keterangan|sumber\s+dana)$")
_TOTAL = re.compile(r"^(jumlah|total)(\s+.*)?$")


@dataclass(frozen=True)
class DpaError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Baris %(n)d", n=self.row) if self.row else _("Berkas")
        return f"{where}{', ' + self.column if self.column else ''}: {self.message}"


class DpaFailed(ValueError):
    """Nothing was imported; ``errors`` lists every problem found (row and column named)."""

    def __init__(self, errors: list[DpaError]):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


def template_bytes(year: int) -> bytes:
    """A sheet in the shape the importer reads (the DPA's own sheet is read as it comes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"DPA {year}"
    ws.append([f"RINGKASAN DPA TAHUN {year}"])
    ws.append(["Kode", "Program", "Pagu (Rp)", "Keterangan"])
    ws.append(["7.01.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", 1250000000, "APBD"])
    ws.append(["7.01.02", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", 350750000, "APBD"])
    ws.append(["", "Jumlah", 1600750000, ""])
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _open(data: bytes):
    found = zipcheck.problem(data, required=("xl/workbook.xml",))
    if found in (zipcheck.TOO_MANY_ENTRIES, zipcheck.TOO_LARGE, zipcheck.RATIO):
        raise DpaFailed([DpaError(0, "", _("Berkas terlalu besar setelah diekstrak."))])
    not_xlsx = DpaFailed([DpaError(0, "", _("Berkas bukan lembar kerja Excel (.xlsx) yang sah."))])
    if found:
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise not_xlsx from exc


def _header(rows) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:15]):
        found: dict[str, int] = {}
        for column, value in enumerate(row):
            text = re.sub(r"\s+", " ", str(value or "")).strip().lower()
            for key, pattern in (("program", _PROGRAM), ("budget", _BUDGET), ("code", _CODE), ("note", _NOTE)):
                if key not in found and pattern.match(text):
                    found[key] = column
        if "program" in found and "budget" in found:
            return index, found
    return None


def _text(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _budget(value, row: int, errors: list[DpaError], locale: str) -> Decimal | None:
    column = _("Pagu")
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(DpaError(row, column, _("wajib diisi.")))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        errors.append(DpaError(row, column, _("'%(v)s' bukan angka.", v=value)))
        return None
    if isinstance(value, str):
        try:
            number = parse_number(value, locale, money=True, places=2)
        except NumberFormatError as exc:
            errors.append(DpaError(row, column, cell_message(exc)))
            return None
    else:
        number = Decimal(str(value))
        if not number.is_finite():
            errors.append(DpaError(row, column, _("'%(v)s' bukan angka.", v=value)))
            return None
        number = number.quantize(Decimal("0.01"))
    if number < 0:
        errors.append(DpaError(row, column, _("tidak boleh negatif.")))
        return None
    if number > LARGEST:
        errors.append(DpaError(row, column, _("angka terlalu besar.")))
        return None
    return number


def parse(data: bytes, locale: str = "id") -> list[dict]:
    """The sheet's programs (``row`` is the Excel row number); DpaFailed with every error otherwise."""
    wb = _open(data)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 20)]
    wb.close()
    head = _header(rows)
    if head is None:
        raise DpaFailed([DpaError(0, "", _("Judul kolom program dan pagu tidak ditemukan di 15 baris pertama (mis. "
                                           "\"Program\" dan \"Pagu (Rp)\"; unduh contohnya)."))])
    at, columns = head
    errors: list[DpaError] = []
    out, seen = [], {}
    for number, cells_ in enumerate(rows[at + 1:], start=at + 2):
        get = lambda key: cells_[columns[key]] if key in columns and columns[key] < len(cells_) else None  # noqa: E731
        name = _text(get("program"))
        if not name or _TOTAL.match(name.lower()):
            continue
        code, note = _text(get("code")), _text(get("note"))
        for column, value, limit in ((_("Program"), name, 255), (_("Kode"), code, 60), (_("Keterangan"), note, 255)):
            if len(value) > limit:
                errors.append(DpaError(number, column, _("paling banyak %(n)d karakter.", n=limit)))
            if control_characters(value):
                errors.append(DpaError(number, column, _("berisi karakter kendali.")))
        key = name.lower()
        if key in seen:
            errors.append(DpaError(number, _("Program"), _("sama dengan baris %(n)d.", n=seen[key])))
        seen.setdefault(key, number)
        budget = _budget(get("budget"), number, errors, locale)
        out.append({"row": number, "code": code, "name": name, "budget": budget, "note": note})
    if len(rows) > MAX_ROWS + at + 1:
        errors.append(DpaError(0, "", _("paling banyak %(n)d baris.", n=MAX_ROWS)))
    if not out and not errors:
        errors.append(DpaError(0, "", _("lembar kerja tidak berisi program.")))
    if errors:
        raise DpaFailed(errors)
    return out


def import_dpa(office: Office, year: int, user: User | None, data: bytes, locale: str = "id") -> dict[str, int]:
    """Store the DPA's programs (all or none): {"added", "updated", "unchanged", "kept"}."""
    programs = parse(data, locale)
    existing = {p.name.strip().lower(): p for p in db.session.scalars(sa.select(ProgramBudget).where(
        ProgramBudget.office_id == office.id, ProgramBudget.year == year))}
    position = max((p.position for p in existing.values()), default=0)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    named = set()
    for row in programs:
        key = row["name"].lower()
        named.add(key)
        current = existing.get(key)
        if current is None:
            position += 1
            db.session.add(ProgramBudget(office_id=office.id, year=year, position=position, code=row["code"],
                                         name=row["name"], budget=row["budget"], note=row["note"], source="dpa"))
            counts["added"] += 1
            continue
        values = (row["code"] or current.code, row["budget"], row["note"] or current.note)
        if (current.code, Decimal(current.budget), current.note) == values:
            counts["unchanged"] += 1
            continue
        current.code, current.budget, current.note = values
        current.source = "dpa"
        counts["updated"] += 1
    counts["kept"] = len(set(existing) - named)
    db.session.flush()
    audit.record("program.dpa_imported", office_id=office.id, user=user, username="cli", year=year, **counts,
                 total=str(sum(r["budget"] for r in programs)))
    return counts
