"""The `iku-workflow` command: a Flask CLI group bound to the app factory.

`iku-workflow run` migrates the database (and loads the demo office in demo mode) before serving, so
one command starts a working app on a fresh clone.
"""
from __future__ import annotations

import os
import re

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .cli_support import fail
from .cli_support import get_office
from .extensions import db


def upgrade_database() -> None:
    from flask_migrate import upgrade

    upgrade()


def demo_password() -> str:
    password = current_app.config.get("IKU_DEMO_PASSWORD") or ""
    if not password:
        fail("IKU_DEMO_PASSWORD belum diatur (wajib di luar mode demo).")
    return password


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-setup", is_flag=True, help="Jangan migrasi/seed sebelum menjalankan.")
@with_appcontext
def run_command(host: str, port: int, no_setup: bool) -> None:
    """Migrate the database, load the demo office (demo mode) and serve the app."""
    from .indicators.measure_keys import UndeclaredMeasure, check_indicator_measures

    app = current_app._get_current_object()
    if not no_setup:
        upgrade_database()
        click.echo("Basis data sudah pada skema terbaru.")
    try:
        check_indicator_measures(app)
    except UndeclaredMeasure as exc:
        fail(str(exc))
    if not no_setup and app.config["IKU_DEMO"]:
        from .seed.demo import seed_demo

        seed_demo(demo_password(), echo=click.echo)
        db.session.commit()
    click.echo(f"IKU Workflow berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    from werkzeug.serving import run_simple

    run_simple(host, port, app, use_reloader=False, threaded=True)


@click.group("seed")
def seed_group() -> None:
    """Load seed data."""


@seed_group.command("demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo office Kecamatan Gumukmas with one user per role (idempotent)."""
    from .security import PasswordPolicyError
    from .seed.demo import seed_demo

    try:
        seed_demo(demo_password(), echo=click.echo)
    except PasswordPolicyError as exc:
        fail(f"IKU_DEMO_PASSWORD ditolak: {exc}")
    db.session.commit()


@click.group("office")
def office_group() -> None:
    """Manage offices (kecamatan)."""


@office_group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="Nama kecamatan tanpa kata 'Kecamatan', mis. Puger.")
@click.option("--kabupaten", required=True, help="Kode atau nama kabupaten, mis. jember (dibuat bila belum ada).")
@click.option("--address", default="")
@click.option("--telephone", default="")
@click.option("--camat-name", default="", help="Nama Camat (penanda tangan).")
@click.option("--camat-nip", default="", help="NIP Camat (18 angka).")
@click.option("--camat-pangkat", default="")
@click.option("--year", "years", type=click.IntRange(2000, 2100), multiple=True,
              help="Tahun yang IKU dan dokumen wajibnya disalin dari standar kabupaten (bawaan: tahun ini).")
@with_appcontext
def office_create(code: str, name: str, kabupaten: str, address: str, telephone: str, camat_name: str,
                  camat_nip: str, camat_pangkat: str, years: tuple[int, ...]) -> None:
    """Create a kecamatan with its sections, IKU and required documents from the kabupaten's standard."""
    from .kabupaten.offices import OfficeSetupError, setup_office

    try:
        office, counts = setup_office(code=code, name=name, kabupaten=kabupaten, address=address,
                                      telephone=telephone, camat_name=camat_name, camat_nip=camat_nip,
                                      camat_pangkat=camat_pangkat, years=years or None, user=None)
    except OfficeSetupError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo(f"Kantor {office.full_name} ({office.code}, {office.kabupaten_record.full_name}) dibuat dengan "
               f"{len(office.sections)} seksi.")
    for year, (indicators, documents) in counts.items():
        click.echo(f"Tahun {year}: {indicators} IKU dan {documents} dokumen wajib dari standar kabupaten.")


@office_group.command("list")
@with_appcontext
def office_list() -> None:
    from .models import Office

    for office in db.session.scalars(sa.select(Office).order_by(Office.code)):
        click.echo(f"{office.code}\t{office.full_name}\tKab. {office.kabupaten}")


@click.group("user")
def user_group() -> None:
    """Manage users."""


@user_group.command("create")
@click.argument("username")
@click.option("--office", "office_code", default=None, help="Kode kantor (untuk peran kantor).")
@click.option("--kabupaten", "kabupaten_code", default=None,
              help="Kode kabupaten (untuk peran kabupaten dan kab_admin, yang tidak punya kantor).")
@click.option("--role", type=click.Choice(["admin", "camat", "sekcam", "seksi", "viewer", "kabupaten", "kab_admin"]),
              required=True)
@click.option("--section", "section_code", default=None, help="Kode seksi (wajib untuk peran seksi).")
@click.option("--full-name", default=None)
@click.option("--nip", default=None)
@click.option("--password", default=None, help="Jika kosong: IKU_NEW_PASSWORD atau ditanyakan.")
@with_appcontext
def user_create(username, office_code, kabupaten_code, role, section_code, full_name, nip, password) -> None:
    """Create a user of an office, or a kabupaten user (no office)."""
    from . import audit
    from .domain.nip import NipError, normalize_nip
    from .kabupaten.defaults import find_kabupaten
    from .models import KABUPATEN_ROLES, Role, Section, User
    from .security import PasswordPolicyError, check_password_policy, hash_password

    role = Role(role)
    office = kabupaten = None
    if role in KABUPATEN_ROLES:
        if office_code or not kabupaten_code:
            fail("Peran kabupaten memakai --kabupaten KODE, tanpa --office.")
        kabupaten = find_kabupaten(kabupaten_code)
        if kabupaten is None:
            fail(f"Kabupaten '{kabupaten_code}' tidak ditemukan.")
    else:
        if not office_code or kabupaten_code:
            fail("Peran kantor memakai --office KODE, tanpa --kabupaten.")
        office = get_office(office_code)
    username = username.strip().lower()
    # The same rule as the admin's user form, so the CLI cannot create names the web refuses.
    if not re.fullmatch(r"[a-z0-9._-]{3,60}", username):
        fail("Nama pengguna hanya huruf, angka, titik, garis bawah dan tanda minus (3–60 karakter).")
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username)) is not None:
        fail(f"Nama pengguna '{username}' sudah dipakai.")
    section = None
    if section_code:
        if office is None:
            fail("Pengguna kabupaten tidak memiliki seksi.")
        section = db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == section_code))
        if section is None:
            fail(f"Seksi '{section_code}' tidak ada di {office.full_name}.")
    if role is Role.SEKSI and section is None:
        fail("Peran seksi wajib memiliki --section.")
    if nip:
        try:
            nip = normalize_nip(nip)
        except NipError as exc:
            fail(str(exc))
    password = password or os.environ.get("IKU_NEW_PASSWORD") or click.prompt(
        "Kata sandi", hide_input=True, confirmation_prompt=True
    )
    try:
        check_password_policy(password, username)
    except PasswordPolicyError as exc:
        fail(str(exc))
    user = User(
        office_id=office.id if office else None, kabupaten_id=kabupaten.id if kabupaten else None,
        username=username, full_name=full_name or username, role=role,
        section_id=section.id if section else None, nip=nip or None, password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", office_id=office.id if office else None, obj=user, username="cli", via="cli",
                 kabupaten=kabupaten.code if kabupaten else None)
    db.session.commit()
    where = office.full_name if office else kabupaten.full_name
    click.echo(f"Pengguna {username} ({role.value}) dibuat di {where}.")


@user_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--office", "office_code", required=True)
@with_appcontext
def user_import(path: str, office_code: str) -> None:
    """Create an office's users from a CSV or XLSX sheet (all rows right, or none); prints the temporary passwords."""
    from .admin.user_import import UserSheetRejected, import_users, parse_user_sheet
    from .storage.uploads import IMPORT_MAX_BYTES, MB

    office = get_office(office_code)
    with open(path, "rb") as fh:
        data = fh.read(IMPORT_MAX_BYTES + 1)
    if len(data) > IMPORT_MAX_BYTES:
        fail(f"Berkas melebihi batas ukuran {IMPORT_MAX_BYTES // MB} MB.")
    try:
        result = import_users(office, parse_user_sheet(os.path.basename(path), data), None)
    except UserSheetRejected as exc:
        fail(f"Berkas ditolak: {exc} Tidak ada pengguna yang dibuat.")
    except sa.exc.IntegrityError:
        db.session.rollback()
        fail("Sebagian nama pengguna baru saja dipakai. Tidak ada pengguna yang dibuat; jalankan lagi.")
    if not result.ok:
        db.session.rollback()
        for problem in result.errors:
            for message in problem.messages:
                click.secho(f"Baris {problem.row}: {message}", fg="red", err=True)
        fail(f"{len(result.errors)} baris bermasalah. Tidak ada pengguna yang dibuat.")
    db.session.commit()
    click.echo(f"{len(result.created)} pengguna dibuat di {office.full_name}; kata sandi sementara "
               "(wajib diganti saat pertama masuk, tidak ditampilkan lagi):")
    for created in result.created:
        click.echo(f"{created.user.username}\t{created.temporary_password}")


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@click.option("--office", "office_code", default=None, help="Kode kantor (kosong: semua rantai).")
@with_appcontext
def audit_verify(office_code: str | None) -> None:
    """Recompute the audit hash chain and name the first broken link (exit 1)."""
    from .audit import verify_chain

    office = get_office(office_code) if office_code else None
    count, broken = verify_chain(office.id if office else None, all_offices=office is None)
    if broken is None:
        click.echo(f"Rantai audit utuh, {count} catatan.")
        return
    event, expected, stored, field = broken
    fail(f"Rantai audit rusak pada catatan id {event.id} (kantor {event.office_id}, urutan {event.seq}): "
         f"{field} seharusnya {expected}, tersimpan {stored}.")


def _create_app_for_cli(*args, **kwargs):
    from . import create_app

    # The indicators' measure keys are checked by `run` after migrating, not before every command:
    # `db upgrade` or a repair must still run on a database the app would refuse to serve.
    return create_app({"IKU_CHECK_MEASURES": False})


cli = FlaskGroup(create_app=_create_app_for_cli, add_default_commands=False, load_dotenv=False,
                 help="IKU Workflow — perintah pengelolaan.")


def main() -> None:
    cli.main(prog_name="iku-workflow")
