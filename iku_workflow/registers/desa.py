"""Keeping an office's desa list: add, rename, deactivate; the choices of the register forms.

The desa list of a new office starts empty: its admin fills it (Admin → Desa) or runs
``iku-workflow desa import OFFICE FILE``. The demo office Gumukmas gets the eight desa of Kecamatan
Gumukmas, Kabupaten Jember (they are not in shared/reference: the decree names no desa).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from wtforms import SelectChoice

from .. import audit
from ..domain.desa import clean_name, name_key
from ..extensions import db
from ..models import Activity, Complaint, Desa, Office, User

#: Kecamatan Gumukmas, Kabupaten Jember: its eight desa.
GUMUKMAS_DESA = ("Bagorejo", "Gumukmas", "Karangrejo", "Kepanjen", "Mayangan", "Menampu", "Purwoasri", "Tembokrejo")
NAME_MAX = 120
ROW_MODELS = (Complaint, Activity)


class DesaError(ValueError):
    """Refused input; ``str(exc)`` is the Indonesian message."""


def office_desa(office_id: int, *, active_only: bool = False) -> list[Desa]:
    query = sa.select(Desa).where(Desa.office_id == office_id)
    if active_only:
        query = query.where(Desa.active.is_(True))
    return list(db.session.scalars(query.order_by(Desa.active.desc(), Desa.position, Desa.name)))


def _checked_name(office_id: int, text: str, exclude_id: int | None = None) -> str:
    name = clean_name(text)
    if not name:
        raise DesaError(_("Nama desa wajib diisi."))
    if len(name) > NAME_MAX:
        raise DesaError(_("Nama desa paling banyak %(n)d karakter.", n=NAME_MAX))
    clash = db.session.scalar(sa.select(Desa).where(Desa.office_id == office_id, Desa.name_key == name_key(name),
                                                    Desa.id != (exclude_id or 0)))
    if clash is not None:
        raise DesaError(_("Desa «%(name)s» sudah ada dalam daftar.", name=clash.name))
    return name


def add(office: Office, text: str, user: User | None = None) -> Desa:
    name = _checked_name(office.id, text)
    position = (db.session.scalar(sa.select(sa.func.max(Desa.position)).where(Desa.office_id == office.id)) or 0) + 1
    desa = Desa(office_id=office.id, name=name, name_key=name_key(name), position=position, active=True)
    db.session.add(desa)
    db.session.flush()
    audit.record("desa.created", office_id=office.id, user=user, obj=desa, name=name)
    return desa


def rename(desa: Desa, text: str, user: User | None = None) -> int:
    """Rename ``desa`` and the rows of its office that name it; return how many rows were renamed."""
    name = _checked_name(desa.office_id, text, exclude_id=desa.id)
    old = desa.name
    if name == old:
        return 0
    desa.name, desa.name_key = name, name_key(name)
    renamed = 0
    for model in ROW_MODELS:
        renamed += db.session.execute(sa.update(model).where(model.office_id == desa.office_id, model.desa == old)
                                      .values(desa=name).execution_options(synchronize_session=False)).rowcount or 0
    db.session.flush()
    audit.record("desa.renamed", office_id=desa.office_id, user=user, obj=desa, old=old, new=name, rows=renamed)
    return renamed


def set_active(desa: Desa, active: bool, user: User | None = None) -> None:
    if desa.active == active:
        return
    desa.active = active
    db.session.flush()
    audit.record("desa.activated" if active else "desa.deactivated", office_id=desa.office_id, user=user, obj=desa,
                 name=desa.name)


def rows_naming(desa: Desa) -> int:
    """How many complaints and activities of its office name ``desa`` (shown before deactivation)."""
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                 .where(model.office_id == desa.office_id, model.desa == desa.name)) or 0
               for model in ROW_MODELS)


def choices(office_id: int, current: str | None = None) -> list[SelectChoice]:
    """The register forms' desa choices: the office's active desa, and the row's own desa when it is no
    longer active (an old row stays editable without choosing again)."""
    names = [d.name for d in office_desa(office_id, active_only=True)]
    current = clean_name(current)
    if current and current not in names:
        names.append(current)
    return [SelectChoice("", _("— pilih desa —"))] + [SelectChoice(n, n) for n in names]


def seed_demo_desa(office: Office, echo=print) -> None:
    """The demo office's desa (only Gumukmas; idempotent)."""
    if office.code != "gumukmas":
        return
    import sqlalchemy as _sa

    if not _sa.inspect(db.session.connection()).has_table("desa"):  # a schema older than 0020_desa (migration tests)
        return
    have = {d.name_key for d in office_desa(office.id)}
    added = [add(office, name) for name in GUMUKMAS_DESA if name_key(name) not in have]
    if added:
        echo(f"Desa {office.full_name}: {len(added)} ditambahkan.")
