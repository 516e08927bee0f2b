"""`iku-workflow iku report --office CODE --year YYYY --json`: the capaian table from ``year_summary``."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..cli_support import get_office
from ..formatting import format_decimal


@click.group("iku")
def iku_group() -> None:
    """Indikator Kinerja Utama: capaian reports."""


@iku_group.command("report")
@click.option("--office", "office_code", required=True, help="Kode kantor, mis. gumukmas.")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--json", "as_json", is_flag=True, help="Cetak sebagai JSON (satu objek per IKU).")
@with_appcontext
def report(office_code: str, year: int, as_json: bool) -> None:
    """Print the achievement of every IKU of an office's year (the dashboard's numbers)."""
    from .summary import year_summary

    office = get_office(office_code)
    items = year_summary(office.id, year)
    if as_json:
        click.echo(json.dumps([i.as_json() for i in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(f"Belum ada IKU {office.full_name} tahun {year}.")
    for i in items:
        band = i.band.label if i.band else "Belum ada data"
        click.echo(f"IKU {i.number}\t{i.name}\ttarget {format_decimal(i.target)}\trealisasi {format_decimal(i.realisation)}"
                   f"\tcapaian {format_decimal(i.capaian)}\t{band}")
