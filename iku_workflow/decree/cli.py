"""`iku-workflow decree build`: write the current draft decree of a year as .docx."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office
from ..extensions import db


@click.group("decree")
def decree_group() -> None:
    """Keputusan Camat tentang IKU."""


@decree_group.command("build")
@click.option("--office", "office_code", required=True, help="Kode kantor, mis. gumukmas.")
@click.option("--year", type=int, required=True, help="Tahun keputusan, mis. 2025.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas .docx yang ditulis.")
@with_appcontext
def build_command(office_code: str, year: int, out: str) -> None:
    """Write the year's draft (created from the reference decree when there is none) and keep it as a version."""
    from . import operations

    office = get_office(office_code)
    decree = operations.find_decree(office, year)
    try:
        if decree is None:
            decree = operations.create_decree(office, year, None)
            click.echo(f"Draf keputusan {year} {office.full_name} dibuat dari keputusan acuan.")
        if decree.is_final:
            data, number = operations.version_bytes(decree.final_version), decree.final_version.number
            click.echo(f"Keputusan {year} sudah final; menulis versi final {number}.")
        else:
            try:
                version = operations.generate_version(decree, None)
            except operations.NoChange as same:  # nothing changed since the latest draft: write that one
                version = same.version
                click.echo(f"Tidak ada perubahan sejak versi {version.number}; versi itu yang ditulis.")
            data, number = operations.version_bytes(version), version.number
    except operations.DecreeError as exc:
        db.session.rollback()
        fail(str(exc))
    target = Path(out)
    if not target.parent.is_dir():
        db.session.rollback()
        fail(f"Folder tujuan {target.parent} tidak ada.")
    target.write_bytes(data)
    db.session.commit()
    click.echo(f"Keputusan {year} (versi {number}) ditulis ke {target} ({len(data)} bita).")
