"""`iku-workflow pk build`: write the Camat's PK of a year as .docx (the final one, or a draft from the IKU)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office
from ..extensions import db


@click.group("pk")
def pk_group() -> None:
    """Perjanjian Kinerja."""


@pk_group.command("build")
@click.option("--office", "office_code", required=True, help="Kode kantor, mis. gumukmas.")
@click.option("--year", type=int, required=True, help="Tahun perjanjian kinerja, mis. 2025.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas .docx yang ditulis.")
@with_appcontext
def build_command(office_code: str, year: int, out: str) -> None:
    """Write the Camat's PK with the Bupati: the final PK's signed version, else the draft (made from the year's IKU
    when there is none) as a new version."""
    from ..models import PkLevel
    from . import operations

    office = get_office(office_code)
    target = Path(out)
    if not target.parent.is_dir():
        fail(f"Folder tujuan {target.parent} tidak ada.")
    pk = operations.find_pk(office, year)
    try:
        if pk is None:
            pk = operations.create_pk(office, year, PkLevel.CAMAT, None, None)
            click.echo(f"Draf perjanjian kinerja {year} {office.full_name} dibuat dari IKU tahun itu.")
        if pk.is_final:
            data, number = operations.version_bytes(pk.final_version), pk.final_version.number
            click.echo(f"Perjanjian kinerja {year} sudah final; menulis versi final {number}.")
        else:
            try:
                version = operations.generate_version(pk, None)
            except operations.NoChange as same:
                version = same.version
                click.echo(f"Tidak ada perubahan sejak versi {version.number}; versi itu yang ditulis.")
            data, number = operations.version_bytes(version), version.number
    except operations.PkError as exc:
        db.session.rollback()
        fail(str(exc))
    target.write_bytes(data)
    db.session.commit()
    click.echo(f"Perjanjian kinerja {year} (versi {number}) ditulis ke {target} ({len(data)} bita).")
