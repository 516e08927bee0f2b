"""`iku-workflow desa import|list`: an office's desa list from a text or CSV file (one name a line, the
first column of a CSV), for a new office whose admin would otherwise type them one by one."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office
from ..domain.desa import name_key
from ..extensions import db
from . import desa as desa_ops


@click.group("desa")
def desa_group() -> None:
    """Daftar desa per kecamatan."""


@desa_group.command("import")
@click.option("--office", "office_code", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(office_code: str, file: Path) -> None:
    """Add the desa named in FILE that the office does not have yet (all or nothing)."""
    office = get_office(office_code)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail("Berkas harus teks UTF-8 (satu nama desa per baris, atau CSV dengan nama di kolom pertama).")
    names = [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    if names and names[0].strip().lower() in {"desa", "nama", "nama desa"}:
        names = names[1:]
    have = {d.name_key for d in desa_ops.office_desa(office.id)}
    added = []
    try:
        for name in names:
            if name_key(name) in have:
                continue
            added.append(desa_ops.add(office, name))
            have.add(name_key(name))
    except desa_ops.DesaError as exc:
        db.session.rollback()
        fail(f"{name!r}: {exc} Tidak ada desa yang ditambahkan.")
    db.session.commit()
    click.echo(f"{office.full_name}: {len(added)} desa ditambahkan, {len(names) - len(added)} sudah ada.")


@desa_group.command("list")
@click.option("--office", "office_code", required=True)
@with_appcontext
def list_command(office_code: str) -> None:
    for d in desa_ops.office_desa(get_office(office_code).id):
        click.echo(f"{d.position}\t{d.name}" + ("" if d.active else "\t(nonaktif)"))
