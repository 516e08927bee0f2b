"""`iku-workflow skm import|report`: the survey for operators and scripts."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office
from ..domain import skm
from ..domain.dates import PERIOD_LABELS
from ..extensions import db
from . import compute, importer
from .operations import SurveyError, default_section, find_period, open_period


_label = click.Choice(PERIOD_LABELS, case_sensitive=False)


@click.group("skm")
def skm_group() -> None:
    """Survei Kepuasan Masyarakat: impor responden dan laporan IKM."""


@skm_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", "office_code", required=True)
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option("--period", "label", required=True, type=_label)
@with_appcontext
def import_command(file: Path, office_code: str, year: int, label: str) -> None:
    """Import responses from a CSV or XLSX file (the period is opened when it does not exist)."""
    office = get_office(office_code)
    label = label.upper()
    period = find_period(office.id, year, label)
    try:
        if period is None:
            period = open_period(office.id, year, label, user=None, section=default_section(office.id))
            click.echo(f"Periode {label} {year} dibuka.")
        batch = importer.import_file(period, file.read_bytes(), file.name, user=None)
    except importer.ImportRejected as exc:
        db.session.rollback()
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        fail(str(exc))
    except SurveyError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo(f"{batch.rows} responden diimpor ke periode {label} {year} {office.full_name}.")


@skm_group.command("report")
@click.option("--office", "office_code", required=True)
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option("--period", "label", required=True, type=_label)
@click.option("--json", "as_json", is_flag=True, help="Cetak satu objek JSON.")
@with_appcontext
def report_command(office_code: str, year: int, label: str, as_json: bool) -> None:
    """Print the IKM of a period (computed by SQL aggregation, or the approved snapshot)."""
    office = get_office(office_code)
    period = find_period(office.id, year, label.upper())
    if period is None:
        fail(f"Periode survei {label.upper()} {year} tidak ada di {office.full_name}.")
    result = compute.period_index(period)
    data = {
        "respondents": result.respondents if result else 0,
        "nrr": {k: (None if result is None or result.nrr[k] is None else float(result.nrr[k]))
                for k in skm.UNSUR_KEYS},
        "ikm": float(result.ikm) if result else None,
        "ikm_konversi": float(result.konversi) if result else None,
        "mutu": result.mutu if result else None,
        "kinerja": result.kinerja if result else None,
        "min_sample": skm.min_sample(period.population),
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(f"SKM {office.full_name} {period.title}: {data['respondents']} responden")
    for u in skm.UNSUR:
        click.echo(f"  {u.key.upper():3} {u.name:45} {data['nrr'][u.key]}")
    click.echo(f"IKM {data['ikm']} → {data['ikm_konversi']} ({data['mutu']}, {data['kinerja']})")
