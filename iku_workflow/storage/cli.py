"""`iku-workflow storage …`: the file store from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("storage")
def storage_group() -> None:
    """The file store (IKU_STORAGE_URL)."""


@storage_group.command("migrate")
@click.option("--to", "target_url", required=True,
              help="Penyimpanan tujuan: file:///folder atau s3://bucket/prefix (IKU_S3_* untuk S3).")
@click.option("--from", "source_url", default=None,
              help="Penyimpanan sumber; bawaan: yang dipakai aplikasi (IKU_STORAGE_URL).")
@click.option("--all", "every_key", is_flag=True,
              help="Salin juga berkas yang tidak dirujuk baris mana pun di basis data.")
@click.option("--verbose", "-v", is_flag=True, help="Tampilkan setiap berkas.")
@with_appcontext
def migrate_command(target_url: str, source_url: str | None, every_key: bool, verbose: bool) -> None:
    """Copy every stored file to another store, verified by SHA-256; safe to run again."""
    from ..cli_support import fail as _fail
    from . import StoreError, current_store, store_from_url
    from .migrate import copy_all
    from .s3 import S3Store

    app = current_app._get_current_object()
    try:
        source = store_from_url(source_url, app.config, app.instance_path) if source_url else current_store()
        target = store_from_url(target_url, app.config, app.instance_path)
    except StoreError as exc:
        _fail(str(exc))
    if source.url == target.url:
        _fail(f"Sumber dan tujuan sama ({source.url}).")
    click.echo(f"Menyalin berkas dari {source.url} ke {target.url} …")
    try:
        if isinstance(target, S3Store) and target.ensure_bucket():
            click.echo(f"Bucket {target.bucket} dibuat.")
        summary = copy_all(source, target, every_key=every_key,
                           progress=(lambda key, outcome: click.echo(f"  {outcome}: {key}")) if verbose else None)
    except StoreError as exc:
        _fail(f"Penyimpanan tidak dapat dipakai: {exc}")
    click.echo(f"{summary.total} berkas: {len(summary.copied)} disalin, {len(summary.skipped)} sudah ada "
               f"(SHA-256 sama), {len(summary.failed)} gagal.")
    for key, why in summary.failed:
        click.secho(f"  gagal: {key}: {why}", fg="red", err=True)
    if summary.failed:
        raise SystemExit(1)
    click.echo(f"Semua berkas ada di {target.url}. Atur IKU_STORAGE_URL={target.url} lalu mulai ulang aplikasi.")
