"""One archive of an instance (or of one office): `iku-workflow backup` and `iku-workflow restore`.

The archive is an uncompressed tar (files inside are already compressed or small; the tables are gzipped
one by one) holding:

- ``db/NN-<table>.jsonl.gz``: every row of every table, one JSON object per line, tables in dependency
  order (``metadata.sorted_tables``); values in a database-neutral form decided by the column's type
  (datetimes and dates as ISO 8601, Decimal as its string, enums as their value, JSON as it is);
- ``files/<key>``: every stored file, streamed from the store (never whole in memory);
- ``manifest.json`` (last): format and app version, the Alembic revision of the schema, when, the scope
  (whole instance or one office), per table its row count and the SHA-256 of its member, per file its
  key, size and SHA-256.

Restore refuses an instance that holds any row or any of the archive's files, and an archive of another
schema revision; it writes the files first, each verified by its SHA-256, then inserts every row (only
INSERTs, primary keys kept) in one transaction; any mismatch rolls the rows back and deletes the files
it wrote. Survey totals are not inserted: the triggers on ``survey_responses`` rebuild them, and the
rebuilt totals must equal the archived ones.
"""
from __future__ import annotations

import base64
import datetime as dt
import enum
import gzip
import hashlib
import io
import json
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .storage.base import CHUNK, FileMissing, Store, StoreError, check_key
from .storage.migrate import _ChunkReader, referenced

FORMAT = "iku-workflow-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 500
#: rows kept by triggers from other tables' rows: archived (and compared after restore), never inserted
DERIVED_TABLES = {"survey_totals"}
#: per-deployment throttling state, not an office's data
INSTANCE_ONLY_TABLES = {"login_failures"}


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why (Indonesian, for the CLI)."""


# ----------------------------------------------------------------------------- values


def _encode(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl if isinstance(kind.impl, sa.types.TypeEngine) else kind.impl()
    if isinstance(kind, sa.Enum):
        return kind.enum_class(value) if kind.enum_class is not None else value
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Time):
        return dt.time.fromisoformat(value)
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal(value)
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(value)
    return value


# ----------------------------------------------------------------------------- scope


def tables(metadata: sa.MetaData) -> list[sa.Table]:
    return list(metadata.sorted_tables)


def _office_filter(table: sa.Table, office_id: int, filters: dict[str, Any]):
    """The WHERE clause selecting the rows of ``table`` that belong to the office (None: no such rows).

    The office's kabupaten and its standard sets come along (the office's rows point at them); the
    kabupaten's other offices and its kabupaten-level users do not."""
    if table.name == "offices":
        return table.c.id == office_id
    if "office_id" in table.c:
        return table.c.office_id == office_id
    offices = table.metadata.tables["offices"]
    kabupaten_of_office = sa.select(offices.c.kabupaten_id).where(offices.c.id == office_id).scalar_subquery()
    if table.name == "kabupaten":
        return table.c.id == kabupaten_of_office
    if "kabupaten_id" in table.c:
        return table.c.kabupaten_id == kabupaten_of_office
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table
        if not fk.parent.nullable and filters.get(parent.name) is not None:
            return fk.parent.in_(sa.select(fk.column).where(filters[parent.name]))
    return None


def row_queries(metadata: sa.MetaData, office_id: int | None) -> list[tuple[sa.Table, Any]]:
    """(table, select) per table in dependency order; an office backup leaves out what is not the office's."""
    result, filters = [], {}
    for table in tables(metadata):
        order = [*table.primary_key.columns]
        if office_id is None:
            result.append((table, sa.select(table).order_by(*order)))
            continue
        if table.name in INSTANCE_ONLY_TABLES:
            continue
        where = _office_filter(table, office_id, filters)
        if where is None:
            raise BackupError(f"Tabel {table.name} tidak dapat dikaitkan dengan satu kantor.")
        filters[table.name] = where
        result.append((table, sa.select(table).where(where).order_by(*order)))
    return result


# ----------------------------------------------------------------------------- backup


@dataclass
class Result:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0
    size: int = 0


class _HashingChunks(_ChunkReader):
    def __init__(self, chunks):
        super().__init__(chunks)
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = super().read(n)
        self.digest.update(data)
        return data


def _alembic_revision(connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iku-workflow")
    except PackageNotFoundError:
        return "unknown"


def _add_member(tar: tarfile.TarFile, name: str, size: int, fileobj) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    tar.addfile(info, fileobj)


def write_backup(out: Path, engine: sa.Engine, metadata: sa.MetaData, store: Store, *,
                 office: Any = None, echo: Callable[[str], None] = lambda _m: None) -> Result:
    """Write the archive to ``out`` (a temporary name beside it first, renamed when complete)."""
    result = Result()
    office_id = office.id if office is not None else None
    partial = out.with_name(f".{out.name}.partial")
    manifest: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": _app_version(),
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "scope": {"kind": "office", "office_code": office.code} if office is not None else {"kind": "instance"},
        "tables": [], "files": [],
    }
    ids: dict[str, set] = {}
    try:
        with engine.connect() as conn:
            manifest["alembic_revision"] = _alembic_revision(conn)
            manifest["database"] = conn.dialect.name
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar, engine.connect() as conn:
            # one read transaction: on PostgreSQL a repeatable-read snapshot, so every table is of one moment
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                for number, (table, query) in enumerate(row_queries(metadata, office_id), start=1):
                    member = f"db/{number:02d}-{table.name}.jsonl.gz"
                    count = 0
                    keep_ids = "id" in table.c
                    ids[table.name] = set()
                    with tempfile.TemporaryFile() as spool:
                        with gzip.GzipFile(fileobj=spool, mode="wb", mtime=0) as gz:
                            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                                line = {c.name: _encode(c, row[c.name]) for c in table.columns}
                                gz.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
                                count += 1
                                if keep_ids:
                                    ids[table.name].add(row["id"])
                        size = spool.tell()
                        spool.seek(0)
                        reader = _HashingChunks(iter(lambda: spool.read(CHUNK), b""))
                        _add_member(tar, member, size, reader)
                    manifest["tables"].append({"name": table.name, "rows": count, "member": member,
                                               "sha256": reader.digest.hexdigest()})
                    result.rows[table.name] = count
                # the files the rows name (and, for the whole instance, whatever else the store holds)
                refs = referenced()
                wanted: dict[str, str | None] = {}
                for ref in refs:
                    table_name, _sep, row_id = ref.what.partition(" ")
                    if office_id is not None and int(row_id) not in ids.get(table_name, ()):
                        continue
                    wanted.setdefault(ref.key, ref.sha256)
                if office_id is None:
                    for key in store.iter_keys():
                        wanted.setdefault(key, None)
                for key in sorted(wanted):
                    try:
                        download = store.open(key)
                    except FileMissing:
                        raise BackupError(f"Berkas {key} dirujuk basis data tetapi tidak ada di {store.url}.") from None
                    with download:
                        reader = _HashingChunks(download)
                        _add_member(tar, f"files/{key}", download.size, reader)
                    digest = reader.digest.hexdigest()
                    if wanted[key] and digest != wanted[key]:
                        raise BackupError(f"Berkas {key} di penyimpanan tidak cocok dengan SHA-256 di basis data.")
                    manifest["files"].append({"key": key, "size": download.size, "sha256": digest})
                    result.files += 1
                    result.file_bytes += download.size
                    echo(f"  {key} ({download.size} bita)")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add_member(tar, MANIFEST, len(data), io.BytesIO(data))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    result.size = out.stat().st_size
    return result


# ----------------------------------------------------------------------------- restore


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, ValueError) as exc:
        raise BackupError(f"Arsip tidak memuat {MANIFEST} yang dapat dibaca: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Bukan arsip cadangan IKU Workflow versi {FORMAT_VERSION}.")
    return manifest


def non_empty_tables(connection, metadata: sa.MetaData) -> list[str]:
    return [t.name for t in tables(metadata) if t.name not in INSTANCE_ONLY_TABLES
            and connection.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first() is not None]


def _member_stream(tar: tarfile.TarFile, name: str):
    try:
        return tar.extractfile(tar.getmember(name))
    except KeyError:
        raise BackupError(f"Arsip rusak: {name} tidak ada.") from None


def _verify_member(tar: tarfile.TarFile, name: str, sha256: str) -> None:
    digest = hashlib.sha256()
    stream = _member_stream(tar, name)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(f"Arsip rusak: SHA-256 {name} tidak cocok dengan manifest.")


def _rows(tar: tarfile.TarFile, entry: dict, table: sa.Table) -> Iterator[dict]:
    with gzip.GzipFile(fileobj=_member_stream(tar, entry["member"])) as gz:
        for line in gz:
            raw = json.loads(line)
            unknown = set(raw) - set(table.c.keys())
            if unknown:
                raise BackupError(f"Arsip memuat kolom yang tidak ada di tabel {table.name}: {', '.join(sorted(unknown))}.")
            yield {name: _decode(table.c[name], value) for name, value in raw.items()}


def _reset_sequences(conn, metadata: sa.MetaData) -> None:
    for table in tables(metadata):
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer) or pk[0].autoincrement is False:
            continue
        sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": pk[0].name}).scalar()
        if sequence:
            conn.execute(sa.text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"),
                         {"s": sequence})


def _defer_cyclic_keys(conn, metadata: sa.MetaData) -> list[tuple[str, str]]:
    """Let the foreign keys of a cycle (a decree names its final version, which names its decree) be
    checked at the end, so each row is inserted whole, as archived (only INSERTs, no later UPDATE).
    SQLite: ``defer_foreign_keys`` for this transaction. PostgreSQL: the constraint is made deferrable
    inside this transaction only (DDL is transactional there) and made immediate again afterwards."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        return []
    cyclic = sorted({(fk.parent.table.name, fk.constraint.name) for table in tables(metadata)
                     for fk in table.foreign_keys if fk.use_alter or fk.constraint.use_alter})
    for table, name in cyclic:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" DEFERRABLE INITIALLY DEFERRED')
    return cyclic


def _check_cyclic_keys(conn, cyclic: list[tuple[str, str]]) -> None:
    for table, name in cyclic:
        conn.exec_driver_sql(f'SET CONSTRAINTS "{name}" IMMEDIATE')
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" NOT DEFERRABLE')


def restore_archive(path: Path, engine: sa.Engine, metadata: sa.MetaData, store: Store, *,
                    echo: Callable[[str], None] = lambda _m: None) -> Result:
    result = Result()
    with tarfile.open(path, "r:") as tar:
        manifest = read_manifest(tar)
        with engine.connect() as conn:
            revision = _alembic_revision(conn)
            busy = non_empty_tables(conn, metadata)
        if manifest.get("alembic_revision") != revision:
            raise BackupError(f"Revisi skema arsip ({manifest.get('alembic_revision')}) berbeda dengan basis data "
                              f"tujuan ({revision}); pulihkan dengan versi aplikasi yang sama.")
        if busy:
            raise BackupError("Basis data tujuan sudah berisi data; pemulihan hanya ke instans kosong "
                              f"(tabel {', '.join(busy[:5])}{' …' if len(busy) > 5 else ''}).")
        known = {t.name: t for t in tables(metadata)}
        for entry in manifest["tables"]:
            if entry["name"] not in known:
                raise BackupError(f"Tabel {entry['name']} dari arsip tidak ada di basis data tujuan.")
            _verify_member(tar, entry["member"], entry["sha256"])
        for entry in manifest["files"]:
            check_key(entry["key"])
        present = [e["key"] for e in manifest["files"] if store.exists(e["key"])]
        if present:
            raise BackupError(f"Penyimpanan tujuan ({store.url}) sudah memuat berkas dari arsip, mis. {present[0]}; "
                              "pemulihan hanya ke instans kosong.")
        written: list[str] = []
        try:
            for entry in manifest["files"]:
                key = entry["key"]
                written.append(key)
                stored = store.put(key, _member_stream(tar, f"files/{key}"))
                if stored.sha256 != entry["sha256"] or stored.size != entry["size"]:
                    raise BackupError(f"Berkas {key} di arsip tidak cocok dengan SHA-256 di manifest.")
                if store.sha256(key) != entry["sha256"]:
                    raise BackupError(f"Berkas {key} berbeda setelah dibaca ulang dari {store.url}.")
                result.files += 1
                result.file_bytes += stored.size
                echo(f"  {key} ({stored.size} bita)")
            with engine.begin() as conn:
                if non_empty_tables(conn, metadata):
                    raise BackupError("Basis data tujuan terisi selama pemulihan; dibatalkan.")
                cyclic = _defer_cyclic_keys(conn, metadata)
                derived: dict[str, list[dict]] = {e["name"]: [] for e in manifest["tables"]
                                                  if e["name"] in DERIVED_TABLES}
                for entry in manifest["tables"]:
                    table = known[entry["name"]]
                    batch: list[dict] = []
                    count = 0
                    for row in _rows(tar, entry, table):
                        count += 1
                        if table.name in DERIVED_TABLES:
                            derived[table.name].append(row)
                            continue
                        batch.append(row)
                        if len(batch) >= BATCH:
                            conn.execute(table.insert(), batch)
                            batch = []
                    if batch:
                        conn.execute(table.insert(), batch)
                    if count != entry["rows"]:
                        raise BackupError(f"Tabel {table.name}: {count} baris di arsip, manifest menyebut {entry['rows']}.")
                    result.rows[table.name] = count
                _check_cyclic_keys(conn, cyclic)
                for name, expected in derived.items():
                    table = known[name]
                    order = [*table.primary_key.columns]
                    rebuilt = [dict(r) for r in conn.execute(sa.select(table).order_by(*order)).mappings()]
                    key = lambda r: tuple(r[c.name] for c in order)  # noqa: E731
                    if sorted(rebuilt, key=key) != sorted(expected, key=key):
                        raise BackupError(f"Tabel {name} yang dibangun ulang tidak sama dengan arsip.")
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn, metadata)
        except BaseException:
            for key in written:
                try:
                    store.delete(key)
                except StoreError:  # pragma: no cover - best effort, the error that stopped us is reported
                    pass
            raise
    return result


# ----------------------------------------------------------------------------- commands


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas arsip yang ditulis (mis. cadangan-2026-12-01.tar).")
@click.option("--office", "office_code", default=None, help="Hanya satu kantor (kode); bawaan: seluruh instans.")
@click.option("--verbose", "-v", is_flag=True, help="Tampilkan setiap berkas.")
@with_appcontext
def backup_command(out: Path, office_code: str | None, verbose: bool) -> None:
    """Write one archive of the database and every stored file, with SHA-256 hashes."""
    from .cli_support import fail, get_office
    from .extensions import db
    from .storage import current_store

    office = get_office(office_code) if office_code else None
    if out.exists():
        fail(f"{out} sudah ada; pilih nama lain.")
    store = current_store()
    scope = f"kantor {office.code}" if office else "seluruh instans"
    click.echo(f"Mencadangkan {scope} dari {db.engine.url.render_as_string(hide_password=True)} dan {store.url} …")
    try:
        result = write_backup(out, db.engine, db.metadata, store, office=office,
                              echo=click.echo if verbose else (lambda _m: None))
    except (BackupError, StoreError, OSError) as exc:
        fail(f"Pencadangan gagal: {exc}")
    finally:
        db.session.remove()
    click.echo(f"Arsip {out} ditulis: {sum(result.rows.values())} baris dari {len(result.rows)} tabel, "
               f"{result.files} berkas ({result.file_bytes} bita), ukuran arsip {result.size} bita.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="Tampilkan setiap berkas.")
@with_appcontext
def restore_command(archive: Path, verbose: bool) -> None:
    """Rebuild an empty instance from an archive of `backup`, verifying every SHA-256."""
    from .cli_support import fail
    from .extensions import db
    from .storage import current_store

    store = current_store()
    db.session.remove()
    with db.engine.connect() as conn:
        has_schema = "offices" in sa.inspect(conn).get_table_names()
    if not has_schema:
        from flask_migrate import upgrade

        click.echo("Basis data tujuan belum memiliki tabel: menjalankan migrasi …")
        upgrade()
    click.echo(f"Memulihkan {archive} ke {db.engine.url.render_as_string(hide_password=True)} dan {store.url} …")
    try:
        result = restore_archive(archive, db.engine, db.metadata, store,
                                 echo=click.echo if verbose else (lambda _m: None))
    except tarfile.TarError as exc:
        fail(f"Pemulihan ditolak: arsip tidak dapat dibaca ({exc}). Tidak ada yang ditulis.")
    except (BackupError, StoreError, sa.exc.SQLAlchemyError) as exc:
        fail(f"Pemulihan ditolak: {exc} Tidak ada yang ditulis.")
    click.echo(f"Dipulihkan: {sum(result.rows.values())} baris dari {len(result.rows)} tabel, {result.files} berkas "
               f"({result.file_bytes} bita); setiap SHA-256 cocok.")
