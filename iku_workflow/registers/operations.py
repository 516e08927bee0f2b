"""Creating and editing register rows. Each row owns a WorkflowEntry created with it; edits go through
``workflow.operations.ensure_editable`` / ``record_edit`` so only drafts and returned rows change,
and only by an operator of the owning section. Operations flush; the view commits.
"""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _

from ..access import can
from ..domain.registers import program_achieved
from ..extensions import db
from ..models import Activity, Complaint, Office, ProgramIndicator, SakipEvaluation, Section, User
from ..workflow import operations as wf

# register -> (model, workflow kind, owning section code)
REGISTERS = {
    "kegiatan": (Activity, "activity", "pmks"),
    "pengaduan": (Complaint, "complaint", "trantib"),
    "sakip": (SakipEvaluation, "sakip", "sekretariat"),
    "program": (ProgramIndicator, "program", "sekretariat"),
}


class RegisterError(ValueError):
    """Refused input; ``str(exc)`` is the Indonesian message."""


def owning_section(office_id: int, register: str) -> Section | None:
    code = REGISTERS[register][2]
    return db.session.scalar(sa.select(Section).where(Section.office_id == office_id, Section.code == code))


def may_create(user: User, register: str) -> bool:
    """Operators of the owning section create rows (their entries are reviewed by the sekcam)."""
    section = owning_section(user.office_id, register)
    return section is not None and can(user, "entry.edit", SimpleNamespace(office_id=user.office_id,
                                                                           section_id=section.id))


def title_of(row) -> str:
    if isinstance(row, Activity):
        return row.name
    if isinstance(row, Complaint):
        return f"{row.received_on:%d-%m-%Y} {row.summary}"[:255]
    if isinstance(row, SakipEvaluation):
        return f"Nilai SAKIP {row.year}"
    return f"{row.program}: {row.indicator}"[:255]


def _derive(row) -> None:
    if isinstance(row, ProgramIndicator):
        row.achieved = program_achieved(row.realisation, row.target, row.polarity)
    if isinstance(row, Complaint):
        row.year = row.received_on.year


def create_row(office: Office, user: User, register: str, year: int, **fields):
    """A new register row in draft with its workflow entry."""
    model, kind, _code = REGISTERS[register]
    if not may_create(user, register):
        raise wf.ForbiddenTransition("Hanya operator seksi penanggung jawab yang dapat menambah data ini.")
    section = owning_section(office.id, register)
    row = model(office_id=office.id, year=year, **fields)
    _derive(row)
    if isinstance(row, SakipEvaluation) and db.session.scalar(sa.select(SakipEvaluation.id).where(
            SakipEvaluation.office_id == office.id, SakipEvaluation.year == row.year)) is not None:
        raise RegisterError(_("Nilai SAKIP tahun %(year)s sudah dicatat; ubah data yang ada.", year=row.year))
    row.entry = wf.create_entry(office_id=office.id, kind=kind, title=title_of(row), year=row.year, user=user,
                                section_id=section.id)
    db.session.add(row)
    db.session.flush()
    return row


def update_row(row, user: User, **fields) -> None:
    """Change a draft/returned row (own section only) and note the edit in its history."""
    wf.ensure_editable(row.entry, user)
    for name, value in fields.items():
        setattr(row, name, value)
    _derive(row)
    if row.entry.year != row.year:
        raise RegisterError(_("Tahun data tidak dapat dipindah; hapus dan catat ulang di tahun yang benar."))
    row.entry.title = title_of(row)
    wf.record_edit(row.entry, user, "Data diubah.")
    db.session.flush()
