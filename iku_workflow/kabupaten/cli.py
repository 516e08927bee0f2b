"""`iku-workflow kabupaten create|list|standard`: kabupaten records and their standard sets."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..cli_support import fail
from ..extensions import db


@click.group("kabupaten")
def kabupaten_group() -> None:
    """Manage kabupaten and their standard sets."""


@kabupaten_group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="Nama kabupaten tanpa kata 'Kabupaten', mis. Jember.")
@click.option("--defaults-year", "years", type=click.IntRange(2000, 2100), multiple=True,
              help="Isi standar IKU dan jadwal tahun ini dari keputusan contoh (Kecamatan Gumukmas 2025).")
@with_appcontext
def kabupaten_create(code: str, name: str, years: tuple[int, ...]) -> None:
    """Create a kabupaten with the standard section template."""
    import re

    from ..models import Kabupaten
    from .defaults import ensure_default_year, ensure_kabupaten

    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,39}", code):
        fail("Kode kabupaten hanya huruf kecil, angka, '-' atau '_' (2–40 karakter).")
    if not name.strip() or len(name.strip()) > 120:
        fail("Nama kabupaten wajib diisi (paling banyak 120 karakter).")
    if db.session.scalar(sa.select(Kabupaten.id).where(Kabupaten.code == code)) is not None:
        fail(f"Kabupaten dengan kode '{code}' sudah ada.")
    kab = ensure_kabupaten(code, name.strip())
    for year in years:
        ensure_default_year(kab, year)
    db.session.commit()
    click.echo(f"{kab.full_name} ({kab.code}) dibuat." + (f" Standar tahun {', '.join(map(str, years))} diisi."
                                                         if years else ""))


@kabupaten_group.command("list")
@with_appcontext
def kabupaten_list() -> None:
    from ..models import Kabupaten

    for kab in db.session.scalars(sa.select(Kabupaten).order_by(Kabupaten.code)):
        click.echo(f"{kab.code}\t{kab.full_name}\t{len(kab.offices)} kecamatan")
