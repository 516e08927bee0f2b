"""Helpers shared by every command group of the `iku-workflow` CLI.

The core commands (``cli.py``) and the capabilities' groups (``indicators/cli.py``, ``survey/cli.py``,
``decree/cli.py`` …) all import from here, so no CLI module imports another.
"""
from __future__ import annotations

import sys
from typing import NoReturn

import click
import sqlalchemy as sa

from .extensions import db


def fail(message: str) -> NoReturn:
    """Print ``message`` in red on stderr and exit with status 1."""
    click.secho(message, fg="red", err=True)
    sys.exit(1)


def get_office(code: str):
    """The office with ``code`` (case-insensitive), or exit 1 saying it does not exist."""
    from .models import Office

    office = db.session.scalar(sa.select(Office).where(Office.code == code.strip().lower()))
    if office is None:
        fail(f"Kantor dengan kode '{code}' tidak ditemukan.")
    return office
