"""Every change to a decree, its versions and the office's kop template: one function each, each
writing an audit event. Operations flush; the caller (view or command) commits once."""
from __future__ import annotations

import hashlib

from datetime import date
from typing import Any, BinaryIO

import secrets

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from .. import audit, storage
from ..access import can
from ..extensions import db
from ..models import Decree, DecreeStatus, DecreeVersion, Office, User
from ..models._types import utcnow
from ..reports.decree import build_decree
from ..reports.letterhead import TemplateError
from ..storage import uploads
from ..letterhead.kop import template_bytes
from . import content, sources

EDITABLE_FIELDS = ("nomor", "tempat", "tanggal", "tentang", "diktum") + content.LIST_FIELDS


class DecreeError(ValueError):
    """A refused change; ``str(exc)`` is the Indonesian message for the user."""


class NoChange(DecreeError):
    """A new draft would be the latest version again (``version``): none is made."""

    def __init__(self, message: str, version: "DecreeVersion"):
        super().__init__(message)
        self.version = version


class YearOutOfRange(DecreeError):
    """The decree's year lies outside 2000–2100."""


class DecreeExists(DecreeError):
    """The office already has a decree for that year."""


def find_decree(office: Office, year: int) -> Decree | None:
    """The office's current decree of ``year``: the newest SK perubahan, else the decree itself."""
    return db.session.scalar(sa.select(Decree).where(Decree.office_id == office.id, Decree.year == year)
                             .order_by(Decree.sequence.desc()).limit(1))


def create_decree(office: Office, year: int, user: User | None) -> Decree:
    """A new draft decree of ``year`` from the reference decree's defaults (refused if one exists)."""
    if not 2000 <= year <= 2100:
        raise YearOutOfRange(_("Tahun %(year)s di luar rentang yang diizinkan (2000–2100).", year=year))
    if find_decree(office, year) is not None:
        raise DecreeExists(_("Keputusan tahun %(year)s sudah ada.", year=year))
    decree = Decree(office_id=office.id, year=year, created_by_id=user.id if user else None,
                    **content.default_values(office, year))
    decree.office = office
    db.session.add(decree)
    db.session.flush()
    audit.record("decree.created", office_id=office.id, obj=decree, user=user, username="cli", year=year)
    return decree


def create_amendment(final: Decree, user: User | None) -> Decree:
    """A decree of change (SK perubahan) of a final decree: a new draft of the same year starting from its
    texts, with a new nomor to fill; the year's IKU may be changed again until it is finalised."""
    if not final.is_final:
        raise DecreeError(_("Hanya keputusan final yang dapat diubah dengan SK perubahan."))
    if find_decree(final.office, final.year) is not final:
        raise DecreeExists(_("SK perubahan tahun %(year)s sudah ada.", year=final.year))
    fields = {name: getattr(final, name) for name in ("tempat", *content.LIST_FIELDS)}
    fields["diktum"] = [dict(d) for d in final.diktum]
    fields = {k: list(v) if isinstance(v, list) else v for k, v in fields.items()}
    decree = Decree(office_id=final.office_id, year=final.year, sequence=final.sequence + 1, amends_id=final.id,
                    created_by_id=user.id if user else None, nomor=content.amendment_nomor(final), tanggal=None,
                    tentang=content.amendment_tentang(final), **fields)
    decree.office = final.office
    db.session.add(decree)
    db.session.flush()
    audit.record("decree.amendment_created", office_id=final.office_id, obj=decree, user=user, username="cli",
                 year=final.year, amends=final.id, amends_nomor=final.nomor)
    return decree


def ensure_draft(decree: Decree) -> None:
    if decree.is_final:
        raise DecreeError(
            _("Keputusan tahun %(year)s sudah ditetapkan final; isinya, nomornya dan IKU tahun itu terkunci.", year=decree.year)
        )


def update_decree(decree: Decree, user: User | None, values: dict[str, Any]) -> list[str]:
    """Store the edited fields of a draft; return the names of the fields that changed."""
    ensure_draft(decree)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise DecreeError(_("Kolom tidak dikenal: %(names)s.", names=", ".join(sorted(unknown))))
    if "nomor" in values and not str(values["nomor"]).strip():
        raise DecreeError(_("Nomor keputusan wajib diisi."))
    changed = []
    for name, value in values.items():
        if name == "tanggal" and value is not None and not isinstance(value, date):
            raise DecreeError(_("Tanggal penetapan tidak sah."))
        if getattr(decree, name) != value:
            setattr(decree, name, value)
            changed.append(name)
    if changed:
        db.session.flush()
        audit.record("decree.updated", office_id=decree.office_id, obj=decree, user=user, username="cli",
                     year=decree.year, fields=changed)
    return changed


# ---------------------------------------------------------------- the kop template


# ---------------------------------------------------------------- versions and the final decree


def generate_version(decree: Decree, user: User | None) -> DecreeVersion:
    """Build the .docx of the decree as it stands (with the office's kop) and keep it as a new version."""
    ensure_draft(decree)
    ctx, from_seed = content.decree_context(decree)
    kop = template_bytes(decree.office)
    frozen = content.snapshot(ctx, from_seed)
    frozen["kop"] = hashlib.sha256(kop).hexdigest() if kop else None
    latest = db.session.scalar(sa.select(DecreeVersion).where(DecreeVersion.decree_id == decree.id)
                               .order_by(DecreeVersion.number.desc()).limit(1))
    if latest is not None and latest.snapshot == frozen:
        # a second click on "Buat draf Word" (or nothing saved since): the same text would be a second file
        raise NoChange(_("Tidak ada perubahan sejak draf versi %(n)d; draf itu masih yang terbaru. Simpan "
                         "perubahan lebih dahulu bila ingin draf baru.", n=latest.number), latest)
    token = secrets.token_urlsafe(32)
    try:
        data = build_decree(ctx, kop, verify_url=verification_url(token))
    except TemplateError as exc:
        raise DecreeError(_("Templat kop kantor tidak dapat dipakai: %(error)s", error=exc)) from exc
    number = (latest.number if latest is not None else 0) + 1
    stored = storage.save(data, storage.new_key(decree.office.code, decree.year, "decree",
                                                stem=f"versi-{number}-", suffix=".docx"))
    version = DecreeVersion(decree_id=decree.id, office_id=decree.office_id, number=number, file_key=stored.key,
                            sha256=stored.sha256, size=stored.size,
                            snapshot=frozen, verify_token=token, created_by_id=user.id if user else None)
    db.session.add(version)
    db.session.flush()
    audit.record("decree.version_generated", office_id=decree.office_id, obj=version, user=user, username="cli",
                 year=decree.year, number=number, sha256=version.sha256)
    return version


def verification_url(token: str) -> str:
    """The public page printed in a version's footer: IKU_PUBLIC_BASE_URL, else the requesting host."""
    base = current_app.config.get("IKU_PUBLIC_BASE_URL") or (
        request.host_url.rstrip("/") if has_request_context() else "http://localhost")
    return f"{base}/verifikasi/{token}"


def verified_decree(token: str) -> Decree | None:
    """The final decree whose signed version carries ``token`` (None for drafts and unknown tokens)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(Decree).join(DecreeVersion, Decree.final_version_id == DecreeVersion.id)
        .where(DecreeVersion.verify_token == token, Decree.status == DecreeStatus.FINAL)
    )


def version_bytes(version: DecreeVersion) -> bytes:
    """The .docx of a generated version, from the file store."""
    return storage.read(version.file_key)


def finalize(decree: Decree, version: DecreeVersion, signed_pdf: bytes | BinaryIO | None, filename: str,
             user: User) -> Decree:
    """Mark ``version`` as the signed decree, storing the scan (bytes or an upload stream, checked by
    the upload policy: a PDF by its content, within IKU_MAX_UPLOAD_MB); the nomor and the year's IKU lock."""
    if not can(user, "decree.finalize", decree):
        raise DecreeError(_("Hanya Camat atau Sekretaris Camat yang dapat menetapkan keputusan final."))
    ensure_draft(decree)
    if version.decree_id != decree.id:
        raise DecreeError(_("Versi yang dipilih bukan milik keputusan ini."))
    differences = iku_changed_since(version)
    if differences:
        raise DecreeError(_("Versi %(n)d dibuat sebelum IKU tahun ini berubah; buat versi baru, tandatangani, "
                            "lalu tetapkan versi itu. Yang berbeda: %(list)s", n=version.number,
                            list=" ".join(differences)))
    if signed_pdf is None or (isinstance(signed_pdf, (bytes, bytearray)) and not signed_pdf):
        raise DecreeError(_("Unggah pindaian keputusan yang sudah ditandatangani (PDF)."))
    try:
        checked = uploads.check(signed_pdf, filename, kinds=uploads.SCAN, check_name=False)
    except uploads.UploadError as exc:
        raise DecreeError(_scan_refusal(exc)) from exc
    with checked:
        stored = storage.save(checked.file, storage.new_key(decree.office.code, decree.year, "decree",
                                                            stem=f"keputusan-{decree.year}-ttd-", suffix=".pdf"))
    decree.status = DecreeStatus.FINAL
    decree.final_version_id = version.id
    decree.signed_path = stored.key
    decree.signed_name = uploads.display_name(filename, "keputusan-ttd.pdf", "pdf")
    decree.signed_size, decree.signed_sha256 = stored.size, stored.sha256
    decree.finalized_by_id, decree.finalized_at = user.id, utcnow()
    db.session.flush()
    audit.record("decree.finalized", office_id=decree.office_id, obj=decree, user=user, year=decree.year,
                 version=version.number, nomor=decree.nomor, signed_sha256=stored.sha256)
    return decree


def iku_changed_since(version: DecreeVersion) -> list[str]:
    """How the year's IKU now differs from the IKU ``version`` froze in its annex (empty: the same)."""
    decree = version.decree
    current = sources.annex_content(decree.office, decree.year, decree)
    return content.iku_differences((version.snapshot or {}).get("annex"), current.content)


def _scan_refusal(exc: "uploads.UploadError") -> str:
    if exc.code == "empty":
        return _("Berkas pindaian kosong.")
    if exc.code == "too_large":
        return _("Berkas pindaian terlalu besar (batas %(mb)d MB).", mb=exc.params["mb"])
    return _("Pindaian keputusan harus berupa berkas PDF.")


def is_final(office_id: int, year: int) -> bool:
    """True when the office's current decree of ``year`` is final (registered as an IKU lock); a draft
    SK perubahan opens the year's IKU again until it is finalised."""
    status = db.session.scalar(
        sa.select(Decree.status).where(Decree.office_id == office_id, Decree.year == year)
        .order_by(Decree.sequence.desc()).limit(1))
    return status is DecreeStatus.FINAL
