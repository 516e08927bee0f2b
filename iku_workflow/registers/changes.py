"""Changes of approved register rows: proposed by the owning section, applied when the sekcam approves.

An approved row is locked and counts (measures read approved rows only). A fact that changes later (a
complaint resolved, an activity facilitated, a realisation reported) is proposed as a
:class:`ChangeRequest` with its own workflow entry of the kind ``<row kind>_change``: it is submitted,
reviewed, returned or approved like any entry (queue, notifications, audit, the self-review rule). The
row keeps its approved values — and the measures keep counting them — until the change's entry is
approved; then :func:`_apply_on_approve` writes the new values, keeps the old ones in the change
(``old_values``) and notes "field: old → new" in the row's history. A returned change leaves the row as
it is; the operator revises and resubmits it, or cancels it.

Operations flush and never commit; the view commits, or rolls back on a refusal.
"""
from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _

from .. import audit
from ..access import can
from ..capability import registry
from ..extensions import db
from ..models import (ChangeRequest, EntryState, Notification, User, WorkflowAction, WorkflowEntry, WorkflowEvent)
from ..models._types import utcnow
from ..workflow import operations as wf
from ..workflow.kinds import Kind
from . import operations
from .spec import RegisterError, RegisterSpec

A = WorkflowAction
OPEN_STATES = (EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED)


def change_kind(spec: RegisterSpec) -> str:
    """The workflow kind of the changes of ``spec``'s rows, e.g. ``complaint_change``."""
    return f"{spec.kind}_change"


def _spec_of_kind(kind: str) -> RegisterSpec | None:
    for spec in registry().registers.values():
        if change_kind(spec) == kind:
            return spec
    return None


# ------------------------------------------------------------------------------------ values

def _column(spec: RegisterSpec, name: str):
    return sa.inspect(spec.model).columns[name]


def encode(spec: RegisterSpec, name: str, value: Any) -> Any:
    """A field value as stored in JSON: dates ISO, enums by value, decimals at the column's scale."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        scale = getattr(_column(spec, name).type, "scale", None) or 0
        return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-scale)))
    return value


def decode(spec: RegisterSpec, name: str, value: Any) -> Any:
    """The model value of a stored JSON value (``encode``'s inverse)."""
    if value is None:
        return None
    column_type = _column(spec, name).type
    if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    if isinstance(column_type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sa.Numeric):
        return Decimal(value)
    if isinstance(column_type, sa.Boolean):
        return bool(value)
    if isinstance(column_type, sa.Integer):
        return int(value)
    return value


def field_label(spec: RegisterSpec, name: str) -> str:
    """The form label of a field (its name in the history)."""
    unbound = getattr(spec.form, name, None)
    label = (unbound.args[0] if unbound is not None and unbound.args else None) or name
    return str(label)


def display(spec: RegisterSpec, name: str, stored: Any) -> str:
    """A stored value as a person reads it ("Selesai", "12-03-2025", "Ya", "85,5")."""
    from ..formatting import format_number

    value = decode(spec, name, stored)
    if value is None or value == "":
        return "—"
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal):
        return format_number(value, places=4)
    return str(value)


def current_values(spec: RegisterSpec, row) -> dict[str, Any]:
    return {name: encode(spec, name, getattr(row, name)) for name in spec.fields}


def diff(change: ChangeRequest, row) -> list[dict]:
    """Each field the change sets, with its label and old → new as read: the applied change's old values,
    or the row's current ones while the change waits."""
    spec = operations.spec_of(change.register)
    old = change.old_values if change.old_values is not None else current_values(spec, row)
    out = []
    for name, new in change.proposed.items():
        out.append({"field": name, "label": field_label(spec, name), "old": display(spec, name, old.get(name)),
                    "new": display(spec, name, new)})
    if change.evidence_file:
        out.append({"field": "evidence_file", "label": _("Berkas bukti"),
                    "old": (change.old_values or {}).get("evidence_filename") or row.evidence_filename or "—",
                    "new": change.evidence_filename})
    return out


# ------------------------------------------------------------------------------------ queries

def changes_of(row) -> list[ChangeRequest]:
    """Every change of ``row`` (open and applied), newest first."""
    return list(db.session.scalars(sa.select(ChangeRequest).where(
        ChangeRequest.target_entry_id == row.entry_id).order_by(ChangeRequest.id.desc())))


def open_change(row) -> ChangeRequest | None:
    """The change of ``row`` still under way (draft, submitted or returned), if any: one at a time."""
    return db.session.scalar(sa.select(ChangeRequest).join(ChangeRequest.entry).where(
        ChangeRequest.target_entry_id == row.entry_id, WorkflowEntry.state.in_(OPEN_STATES)))


def row_of(change: ChangeRequest):
    spec = operations.spec_of(change.register)
    return db.session.get(spec.model, change.row_id)


def may_propose(user: User, row) -> bool:
    """The owning section's operators propose changes of an approved row."""
    return row.entry.state is EntryState.APPROVED and can(user, "entry.edit", row.entry)


# ------------------------------------------------------------------------------------ evidence

def attach_evidence(change: ChangeRequest, row, user: User) -> str | None:
    """The one place a change's evidence file reaches its row (when the change is applied): it becomes the
    row's next evidence version, marked submitted (the sekcam reviewed it with the change). Every earlier
    version stays listed and retrievable. Returns the note for the row's history, if any."""
    if not change.evidence_file:
        return None
    item = operations.add_stored_evidence(row, user, change.evidence_file, change.evidence_filename or "bukti",
                                          change.evidence_mime or "application/octet-stream", submitted=True)
    return f"Bukti dari usulan perubahan: {item.filename} (versi {item.version})."


# ------------------------------------------------------------------------------------ proposing

def _changed(spec: RegisterSpec, row, values: dict) -> dict[str, Any]:
    now = current_values(spec, row)
    out = {}
    for name in spec.fields:
        if name in values:
            new = encode(spec, name, values[name])
            if new != now[name]:
                out[name] = new
    return out


def _check_year(spec: RegisterSpec, row, proposed: dict) -> None:
    probe = spec.model(**{name: getattr(row, name) for name in spec.fields}, year=row.year)
    for name, stored in proposed.items():
        setattr(probe, name, decode(spec, name, stored))
    spec.derive(probe)
    if probe.year != row.year:
        raise RegisterError(_("Tahun data tidak dapat dipindah; hapus dan catat ulang di tahun yang benar."))


def _evidence_fields(evidence: dict | None) -> dict:
    if not evidence:
        return {}
    return {"evidence_file": evidence["file"], "evidence_filename": evidence["filename"],
            "evidence_mime": evidence["mime"], "evidence_sha256": evidence.get("sha256")}


def propose(row, user: User, *, values: dict, reason: str, evidence: dict | None = None,
            expected_version: int | None = None) -> ChangeRequest:
    """Propose new values for an approved row and submit them for review (the row is unchanged).

    ``values`` are model values (``spec.convert`` output), only the fields that differ are kept;
    ``evidence`` is an already stored file ({file, filename, mime, sha256}); ``expected_version`` is
    the row entry's version the form was loaded with."""
    spec = registry().register_of(row)
    reason = (reason or "").strip()
    if row.entry.state is not EntryState.APPROVED:
        raise RegisterError(_("Hanya data yang sudah disetujui yang diubah lewat usulan perubahan; data ini "
                              "masih dapat diubah langsung."))
    if not can(user, "entry.edit", row.entry):
        raise wf.ForbiddenTransition(_("Hanya operator seksi penanggung jawab yang dapat mengusulkan perubahan."))
    wf.ensure_version(row.entry, expected_version)
    if not reason:
        raise RegisterError(_("Alasan perubahan wajib diisi."))
    if open_change(row) is not None:
        raise RegisterError(_("Sudah ada usulan perubahan data ini yang belum selesai ditinjau. Ubah atau "
                              "batalkan usulan itu terlebih dahulu."))
    proposed = _changed(spec, row, values)
    if not proposed and not evidence:
        raise RegisterError(_("Tidak ada yang berubah: ubah setidaknya satu isian atau unggah bukti baru."))
    _check_year(spec, row, proposed)
    entry = wf.create_entry(office_id=row.office_id, kind=change_kind(spec),
                            title=("Perubahan: " + spec.title_of(row))[:255], year=row.year, user=user,
                            section_id=row.entry.section_id)
    change = ChangeRequest(office_id=row.office_id, entry=entry, target_entry_id=row.entry_id,
                           base_version=row.entry.version, register=spec.slug, row_id=row.id, proposed=proposed,
                           reason=reason, **_evidence_fields(evidence))
    db.session.add(change)
    db.session.flush()
    audit.record("registers.change_proposed", office_id=row.office_id, user=user, obj=change,
                 register=spec.slug, row_id=row.id, entry_id=entry.id, reason=reason, proposed=proposed,
                 current={k: current_values(spec, row)[k] for k in proposed},
                 evidence_filename=change.evidence_filename, evidence_sha256=change.evidence_sha256)
    wf.submit(entry, user, note=reason)
    return change


def revise(change: ChangeRequest, user: User, *, values: dict, reason: str, evidence: dict | None = None,
           expected_version: int | None = None) -> None:
    """Change a returned (or withdrawn) proposal and submit it again."""
    wf.ensure_editable(change.entry, user)
    wf.ensure_version(change.entry, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError(_("Alasan perubahan wajib diisi."))
    row = row_of(change)
    spec = registry().register_of(row)
    proposed = _changed(spec, row, values)
    if not proposed and not evidence and not change.evidence_file:
        raise RegisterError(_("Tidak ada yang berubah: ubah setidaknya satu isian atau unggah bukti baru."))
    _check_year(spec, row, proposed)
    # the stored file of an earlier proposal is kept (it was submitted, the sekcam saw it): the audit names it
    if evidence:
        for key, value in _evidence_fields(evidence).items():
            setattr(change, key, value)
    change.proposed, change.reason = proposed, reason
    change.base_version = row.entry.version
    audit.record("registers.change_revised", office_id=change.office_id, user=user, obj=change,
                 register=spec.slug, row_id=row.id, entry_id=change.entry_id, reason=reason, proposed=proposed,
                 evidence_filename=change.evidence_filename, evidence_sha256=change.evidence_sha256)
    wf.record_edit(change.entry, user, "Usulan perubahan diubah.")
    wf.submit(change.entry, user, note=reason)


def cancel(change: ChangeRequest, user: User, *, expected_version: int | None = None) -> None:
    """Drop a draft or returned proposal (a submitted one is first withdrawn): the row stays as it is.

    The proposal, its entry and history go; the audit log keeps what was proposed and why. A file it
    carried stays in the file store (the sekcam may have seen it)."""
    entry = change.entry
    if entry.state not in (EntryState.DRAFT, EntryState.RETURNED):
        raise wf.ForbiddenTransition(_("Usulan yang sedang ditinjau tidak dapat dibatalkan; tarik kembali "
                                       "terlebih dahulu. Usulan yang sudah disetujui tetap tercatat."))
    if not can(user, "entry.edit", entry):
        raise wf.ForbiddenTransition(_("Hanya operator seksi penanggung jawab yang dapat membatalkan usulan ini."))
    wf.ensure_version(entry, expected_version)
    audit.record("registers.change_cancelled", office_id=change.office_id, user=user, obj=change,
                 register=change.register, row_id=change.row_id, entry_id=entry.id, state=entry.state.value,
                 reason=change.reason, proposed=change.proposed, evidence_filename=change.evidence_filename,
                 evidence_key=operations.evidence_key(change.evidence_file), evidence_sha256=change.evidence_sha256)
    _delete(change)


def _delete(change: ChangeRequest) -> None:
    entry = change.entry
    db.session.delete(change)
    db.session.flush()
    db.session.execute(sa.delete(Notification).where(Notification.entry_id == entry.id))
    db.session.execute(sa.delete(WorkflowEvent).where(WorkflowEvent.entry_id == entry.id))
    db.session.expire(entry, ["events"])
    db.session.delete(entry)
    wf.flush_or_conflict(_("Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))


def delete_for_row(row) -> None:
    """The changes of a row that is being deleted go with it (the row's deletion is audited)."""
    for change in db.session.scalars(sa.select(ChangeRequest).where(ChangeRequest.target_entry_id == row.entry_id)):
        _delete(change)


# ------------------------------------------------------------------------------------ the kinds

def _change_of_entry(entry: WorkflowEntry) -> ChangeRequest | None:
    return db.session.scalar(sa.select(ChangeRequest).where(ChangeRequest.entry_id == entry.id))


def _row_still_as_proposed(entry: WorkflowEntry, action, user) -> str | None:
    """Refuse submitting or approving a change when its row is no longer the approved one it was proposed
    against (reopened, or changed since)."""
    if action not in (A.SUBMIT, A.APPROVE):
        return None
    change = _change_of_entry(entry)
    row = row_of(change) if change is not None else None
    if row is None:
        return _("Data yang diubah tidak ditemukan lagi.")
    if row.entry.state is not EntryState.APPROVED:
        return _("Data ini tidak lagi berstatus disetujui (dibuka kembali); usulan perubahan tidak dapat "
                 "diterapkan. Batalkan usulan lalu ubah datanya langsung.")
    if row.entry.version != change.base_version:
        return _("Data ini sudah berubah sejak usulan perubahan dibuat. Batalkan usulan lalu usulkan lagi "
                 "dari keadaan terbaru.")
    return None


def _apply_on_approve(entry: WorkflowEntry, action, user: User) -> None:
    """The approved change's values become the row's (the measures count them from now on)."""
    if action is not A.APPROVE:
        return
    change = _change_of_entry(entry)
    row = row_of(change)
    spec = registry().register_of(row)
    before = current_values(spec, row)
    old = {name: before[name] for name in change.proposed}
    old_file = {"evidence_filename": row.evidence_filename} if change.evidence_file else {}
    for name, stored in change.proposed.items():
        setattr(row, name, decode(spec, name, stored))
    spec.derive(row)
    row.entry.title = spec.title_of(row)
    kept = attach_evidence(change, row, user)
    change.old_values = {**old, **old_file}
    change.applied_at = utcnow()
    row.entry.updated_at = change.applied_at  # a new version: a form opened before the change is stale
    wf.flush_or_conflict(_("Data ini baru saja diubah oleh pengguna lain. Muat ulang halaman."))
    with force_locale("id"):  # stored history text, in the office language
        lines = [f"{d['label']}: {d['old']} → {d['new']}" for d in diff(change, row)]
    note = "Perubahan disetujui. " + "; ".join(lines) + f". Alasan: {change.reason}" + (f" {kept}" if kept else "")
    db.session.add(WorkflowEvent(entry_id=row.entry_id, office_id=row.office_id, actor_id=user.id, action=A.EDIT,
                                 from_state=row.entry.state, to_state=row.entry.state, note=note))
    audit.record("registers.change_applied", office_id=row.office_id, user=user, obj=row, register=spec.slug,
                 change_id=change.id, entry_id=row.entry_id, old=old, new=change.proposed,
                 evidence_filename=change.evidence_filename, evidence_sha256=change.evidence_sha256)


def _url(entry: WorkflowEntry) -> str:
    change = _change_of_entry(entry)
    if change is None:
        return url_for("workflow.entry", entry_id=entry.id)
    return url_for("registers.change", register=change.register, change_id=change.id)


def kinds(specs) -> tuple[Kind, ...]:
    """One workflow kind per register for the changes of its rows."""
    return tuple(
        Kind(change_kind(s), LazyString(lambda s=s: _("Perubahan %(register)s", register=s.label)), url=_url,
             hooks=(_apply_on_approve,), guards=(_row_still_as_proposed,))
        for s in specs)


__all__ = ["change_kind", "propose", "revise", "cancel", "open_change", "changes_of", "diff", "may_propose",
           "attach_evidence", "kinds", "delete_for_row"]
