"""Import the program indicators of a year (IKU 6) from an Excel sheet: all rows or none.

The sheet is the downloadable template: a header row, then one indicator per row. Every row is
checked first; any error (reported by row number and column) imports nothing.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from ..domain.capaian import Polarity
from ..domain.numbers import NumberFormatError, parse_number
from ..extensions import db
from ..models import Office, ProgramIndicator, User
from ..number_input import cell_message
from .forms import LARGEST
from ..reports import cells
from ..storage import zipcheck
from .operations import create_row, update_row
from . import changes
from .spec import RegisterError

COLUMNS = ["Program", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi"]
POLARITY_WORDS = {"naik": Polarity.HIGHER, "makin tinggi makin baik": Polarity.HIGHER, "higher": Polarity.HIGHER,
                  "turun": Polarity.LOWER, "makin rendah makin baik": Polarity.LOWER, "lower": Polarity.LOWER}
MAX_ROWS = 2000


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
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _open(data: bytes):
    # the app's one zip check (storage.zipcheck) refuses zip bombs before openpyxl opens the file
    found = zipcheck.problem(data, required=("xl/workbook.xml",))
    if found in (zipcheck.TOO_MANY_ENTRIES, zipcheck.TOO_LARGE, zipcheck.RATIO):
        raise ImportFailed([RowError(0, "", "Berkas terlalu besar setelah diekstrak.")])
    not_xlsx = ImportFailed([RowError(0, "", "Berkas bukan lembar kerja Excel (.xlsx) yang sah.")])
    if found:
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise not_xlsx from exc


def _number(value, row: int, column: str, errors: list[RowError], required: bool, locale: str) -> Decimal | None:
    """A Target/Realisasi cell: a number cell as it is, a text cell read as the page reads a typed number.

    RULES.md §6: a text cell "1.500" is 1500 on an Indonesian page, "1.5" is refused (row and column named),
    never guessed; a cell the spreadsheet stores as a number is taken as it is.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(RowError(row, column, "wajib diisi."))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(RowError(row, column, f"'{value}' bukan angka."))
        return None
    if isinstance(value, str):
        try:
            number = parse_number(value, locale, percent=True, places=4)
        except NumberFormatError as exc:
            errors.append(RowError(row, column, cell_message(exc)))
            return None
    else:
        number = Decimal(str(value))
        if not number.is_finite():
            errors.append(RowError(row, column, f"'{value}' bukan angka."))
            return None
    if number < 0:
        errors.append(RowError(row, column, "tidak boleh negatif."))
        return None
    if number > LARGEST:
        errors.append(RowError(row, column, _("Angka terlalu besar: paling besar 9.999.999.999.")))
        return None
    return number


def parse(data: bytes, locale: str = "id") -> tuple[list[dict], list[RowError]]:
    """The sheet's rows as dicts (with their Excel row number, header = 1) and every error by row and column.

    Numbers typed as text are read in ``locale``'s convention (the page's: "id" or "en").
    ImportFailed only when the file is not a readable sheet with the template's header.
    """
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
        target = _number(cells[4], number, "Target", errors, required=True, locale=locale)
        realisation = _number(cells[5], number, "Realisasi", errors, required=False, locale=locale)
        out.append(dict(row=number, program=program, indicator=indicator, unit=unit, polarity=pol, target=target,
                        realisation=realisation))
    if len(rows) > MAX_ROWS + 1:
        errors.append(RowError(MAX_ROWS + 2, "", f"paling banyak {MAX_ROWS} baris."))
    if not out and not errors:
        errors.append(RowError(2, "", "lembar kerja tidak berisi data."))
    return out, errors


def _key(program: str, indicator: str) -> tuple[str, str]:
    return program.strip().casefold(), indicator.strip().casefold()


SHEET_FIELDS = ("program", "indicator", "unit", "polarity", "target", "realisation")


@dataclass
class Planned:
    """What importing one sheet row does: ``new`` (a draft row), ``change`` (a proposed change of an
    approved row, reviewed before it counts), ``update`` (a draft or returned row edited in place) or
    ``same`` (nothing differs). ``diff``: label, old and new of each field that differs."""

    row: int
    action: str
    values: dict
    existing: ProgramIndicator | None = None
    diff: list | None = None


def _existing_rows(office: Office, year: int) -> dict[tuple[str, str], ProgramIndicator]:
    rows = db.session.scalars(sa.select(ProgramIndicator).where(
        ProgramIndicator.office_id == office.id, ProgramIndicator.year == year).order_by(ProgramIndicator.id))
    out: dict[tuple[str, str], ProgramIndicator] = {}
    for row in rows:
        out.setdefault(_key(row.program, row.indicator), row)
    return out


def _diff(existing: ProgramIndicator, values: dict) -> list[dict]:
    spec = changes.operations.spec_of("program")
    out = []
    for name in SHEET_FIELDS:
        old, new = changes.encode(spec, name, getattr(existing, name)), changes.encode(spec, name, values[name])
        if old != new:
            out.append({"field": name, "label": changes.field_label(spec, name), "old": changes.display(spec, name, old),
                        "new": changes.display(spec, name, new), "stored": new})
    return out


def plan(office: Office, user: User, year: int, data: bytes, locale: str = "id") -> list[Planned]:
    """What importing the sheet would do, row by row, or ImportFailed with every error (nothing written).

    A row whose program and indicator are already in the year's register changes that row: an approved
    one through a proposed change (the approved values count until the sekcam approves it), a draft or
    returned one in place; a row being reviewed, or with a change already under way, is an error."""
    from ..models import EntryState

    rows, errors = parse(data, locale)
    existing = _existing_rows(office, year) if rows else {}
    seen: dict[tuple[str, str], int] = {}
    out: list[Planned] = []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "row"}
        key = _key(row["program"], row["indicator"])
        if not all(key):
            continue  # already reported as missing
        if key in seen:
            errors.append(RowError(row["row"], "", _(
                "indikator program “%(indicator)s” (%(program)s) sama dengan baris %(first)s.",
                indicator=row["indicator"], program=row["program"], first=seen[key])))
            continue
        seen[key] = row["row"]
        found = existing.get(key)
        if found is None:
            out.append(Planned(row["row"], "new", values))
            continue
        if values["polarity"] is None or values["target"] is None:
            continue  # already reported
        state = found.entry.state
        if state is EntryState.SUBMITTED:
            errors.append(RowError(row["row"], "", _(
                "indikator program “%(indicator)s” sedang ditinjau Sekretaris Camat; tunggu keputusannya atau "
                "tarik kembali pengajuannya.", indicator=row["indicator"])))
            continue
        if state is EntryState.APPROVED and changes.open_change(found) is not None:
            errors.append(RowError(row["row"], "", _(
                "indikator program “%(indicator)s” sudah punya usulan perubahan yang belum selesai ditinjau.",
                indicator=row["indicator"])))
            continue
        diff = _diff(found, values)
        action = "same" if not diff else ("change" if state is EntryState.APPROVED else "update")
        out.append(Planned(row["row"], action, values, found, diff))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return out


def apply_plan(office: Office, user: User, year: int, planned: list[Planned], reason: str = "") -> dict[str, int]:
    """Carry out a plan (new rows, proposed changes, edits in place); the caller commits or rolls back."""
    counts = {"new": 0, "change": 0, "update": 0, "same": 0}
    if any(p.action == "change" for p in planned) and not (reason or "").strip():
        raise RegisterError(_("Alasan perubahan wajib diisi."))
    for item in planned:
        counts[item.action] += 1
        if item.action == "new":
            create_row(office, user, "program", year, **item.values)
        elif item.action == "change":
            changes.propose(item.existing, user, values=item.values, reason=reason)
        elif item.action == "update":
            update_row(item.existing, user, **{d["field"]: item.values[d["field"]] for d in item.diff})
    return counts


def import_programs(office: Office, user: User, year: int, data: bytes, locale: str = "id",
                   reason: str = "") -> dict[str, int]:
    """Plan and carry out the sheet (`plan`, `apply_plan`): all rows or none. The caller commits on
    success and rolls back on any exception, so a failure half way leaves nothing."""
    return apply_plan(office, user, year, plan(office, user, year, data, locale), reason)
