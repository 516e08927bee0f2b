"""`iku-workflow lkjip build`: write the LKjIP's Bab III draft of an office-year as .docx."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office


@click.group("lkjip")
def lkjip_group() -> None:
    """LKjIP, Bab III Akuntabilitas Kinerja."""


@lkjip_group.command("build")
@click.option("--office", "office_code", required=True, help="Kode kantor, mis. gumukmas.")
@click.option("--year", type=int, required=True, help="Tahun laporan, mis. 2025.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas .docx yang ditulis.")
@with_appcontext
def build_command(office_code: str, year: int, out: str) -> None:
    """Write the Bab III draft with its lampiran from the year's data (the dashboard's numbers)."""
    from . import operations

    office = get_office(office_code)
    target = Path(out)
    if not target.parent.is_dir():
        fail(f"Folder tujuan {target.parent} tidak ada.")
    try:
        data = operations.report_bytes(office, year)
    except operations.LkjipError as exc:
        fail(str(exc))
    target.write_bytes(data)
    click.echo(f"Bab III LKjIP {office.full_name} tahun {year} ditulis ke {target} ({len(data)} bita).")
