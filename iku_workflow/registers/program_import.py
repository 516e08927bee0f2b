"""Import the program indicators of a year (IKU 6) from an Excel sheet: all rows or none.

The sheet is the downloadable template: a header row, then one indicator per row. Every row is
checked first; any error (reported by row number and column) imports nothing.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from ..domain.capaian import Polarity
from ..models import Office, User
from .operations import create_row

COLUMNS = ["Program", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi"]
POLARITY_WORDS = {"naik": Polarity.HIGHER, "makin tinggi makin baik": Polarity.HIGHER, "higher": Polarity.HIGHER,
                  "turun": Polarity.LOWER, "makin rendah makin baik": Polarity.LOWER, "lower": Polarity.LOWER}
MAX_ROWS = 2000
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED = 30 * 1024 * 1024  # refuse zip bombs before openpyxl opens the file


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ImportFailed(ValueError):
    """Nothing was imported; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


def template_bytes(year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Program {year}"
    ws.append(COLUMNS)
    ws.append(["Program Penunjang Urusan Pemerintahan Daerah", "Persentase dokumen perencanaan tepat waktu", "%",
               "naik", 100, 100])
    for letter, width in zip("ABCDEF", (45, 50, 10, 12, 10, 10)):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _open(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
                raise ImportFailed([RowError(0, "", "Berkas terlalu besar setelah diekstrak.")])
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise zipfile.BadZipFile
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, ImportFailed):
            raise
        raise ImportFailed([RowError(0, "", "Berkas bukan lembar kerja Excel (.xlsx) yang sah.")]) from exc


def _number(value, row: int, column: str, errors: list[RowError], required: bool) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(RowError(row, column, "wajib diisi."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, (int, float)) else Decimal(str(value))
    except InvalidOperation:
        errors.append(RowError(row, column, f"'{value}' bukan angka."))
        return None
    if number < 0:
        errors.append(RowError(row, column, "tidak boleh negatif."))
        return None
    return number


def parse(data: bytes) -> list[dict]:
    """Rows as dicts, or ImportFailed with every error by row number (Excel's, header = 1) and column."""
    wb = _open(data)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    wb.close()
    if not rows or [str(c or "").strip().lower() for c in rows[0][:6]] != [c.lower() for c in COLUMNS]:
        raise ImportFailed([RowError(1, "", "Judul kolom harus: " + ", ".join(COLUMNS) + " (unduh templatnya).")])
    errors: list[RowError] = []
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        cells = list(cells[:6]) + [None] * (6 - len(cells[:6]))
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        program, indicator, unit, polarity = (str(c).strip() if c is not None else "" for c in cells[:4])
        for column, value, limit in (("Program", program, 255), ("Indikator", indicator, 255), ("Satuan", unit, 40)):
            if not value:
                errors.append(RowError(number, column, "wajib diisi."))
            elif len(value) > limit:
                errors.append(RowError(number, column, f"paling banyak {limit} karakter."))
        pol = POLARITY_WORDS.get(polarity.lower())
        if pol is None:
            errors.append(RowError(number, "Polaritas", "isi 'naik' (makin tinggi makin baik) atau 'turun'."))
        target = _number(cells[4], number, "Target", errors, required=True)
        realisation = _number(cells[5], number, "Realisasi", errors, required=False)
        out.append(dict(program=program, indicator=indicator, unit=unit, polarity=pol, target=target,
                        realisation=realisation))
    if len(rows) > MAX_ROWS + 1:
        errors.append(RowError(MAX_ROWS + 2, "", f"paling banyak {MAX_ROWS} baris."))
    if not out and not errors:
        errors.append(RowError(2, "", "lembar kerja tidak berisi data."))
    if errors:
        raise ImportFailed(errors)
    return out


def import_programs(office: Office, user: User, year: int, data: bytes) -> int:
    """Create every row of the sheet as a draft program indicator, or raise ImportFailed (nothing kept).

    The caller commits on success and rolls back on any exception, so a failure half way leaves nothing.
    """
    rows = parse(data)
    for row in rows:
        create_row(office, user, "program", year, **row)
    return len(rows)
