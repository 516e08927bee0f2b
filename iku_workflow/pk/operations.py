"""Every change to a Perjanjian Kinerja: one function each, each writing an audit event. Operations flush; the
caller (view or command) commits once.

A PK is made from the year's IKU (the Camat's) or from the section's IKU (the sekcam's and the Kepala Seksi's),
edited as a draft, printed as Word versions (each with a frozen snapshot), and made final with the signed scan of
one version. The Camat's final PK is the authority for the year's targets: its targets are written into the IKU's
year targets (with their history) and the year's IKU and targets lock, as a final decree locks them. A PK
Perubahan is a new numbered PK that starts from the final one and keeps it."""
from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _

from .. import audit, storage
from ..access import can
from ..extensions import db
from ..formatting import format_date
from ..letterhead.kop import template_bytes
from ..models import (Indicator, Office, PerformanceAgreement, PerformanceTarget, PerformanceVersion, PkLevel,
                      PkStatus, Section, Target, TargetChange, User)
from ..models._types import utcnow
from ..reports.letterhead import TemplateError
from ..reports.pk import build_pk
from ..storage import uploads
from . import content

PARTY_FIELDS = tuple(f"{side}_{k}" for side in ("first", "second") for k in content.PARTY_FIELDS)
EDITABLE_FIELDS = ("tempat", "tanggal", "dpa_date") + PARTY_FIELDS
#: the PK is due this long after the DPA is approved (PermenPANRB 53/2014)
DUE_AFTER_DPA = timedelta(days=30)


class PkError(ValueError):
    """A refused change; ``str(exc)`` is the Indonesian message for the user."""


class NoChange(PkError):
    """A new version would print the same as the latest (``version``): none is made."""

    def __init__(self, message: str, version: PerformanceVersion):
        super().__init__(message)
        self.version = version


def find_pk(office: Office, year: int, holder: str = "camat") -> PerformanceAgreement | None:
    """The current PK of a holder for ``year``: the newest PK Perubahan, else the PK itself."""
    return db.session.scalar(sa.select(PerformanceAgreement).where(
        PerformanceAgreement.office_id == office.id, PerformanceAgreement.year == year,
        PerformanceAgreement.holder == holder).order_by(PerformanceAgreement.sequence.desc()).limit(1))


def _user_id(user: User | None) -> int | None:
    return user.id if user else None


def create_pk(office: Office, year: int, level: PkLevel, section: Section | None, user: User | None
              ) -> PerformanceAgreement:
    """A new draft PK of ``year`` for one holder, its rows from the IKU (refused when one exists, or when the
    Camat's PK would have no IKU to promise)."""
    if not 2000 <= year <= 2100:
        raise PkError(_("Tahun %(year)s di luar rentang yang diizinkan (2000–2100).", year=year))
    if level is PkLevel.SEKSI:
        if section is None or section.office_id != office.id:
            raise PkError(_("Pilih seksi yang membuat perjanjian kinerja."))
        if section.code == "sekretariat":
            raise PkError(_("Sekretariat dipimpin Sekretaris Camat: pilih tingkat Sekretaris Camat."))
    else:
        section = content.sekretariat(office) if level is PkLevel.SEKCAM else None
    holder = content.holder_of(level, section)
    if find_pk(office, year, holder) is not None:
        raise PkError(_("Perjanjian kinerja tahun %(year)s untuk %(who)s sudah ada.", year=year,
                        who=_holder_label(level, section)))
    indicators = content.iku_of(office, year, level, section)
    if level is PkLevel.CAMAT and not indicators:
        raise PkError(_("IKU tahun %(year)s belum ada: susun IKU dan targetnya lebih dahulu.", year=year))
    pk = PerformanceAgreement(office_id=office.id, year=year, level=level, section_id=section.id if section else None,
                              holder=holder, tempat=office.city or office.name, created_by_id=_user_id(user),
                              **content.default_parties(office, level, section))
    pk.office, pk.section = office, section
    db.session.add(pk)
    db.session.flush()
    _replace_rows(pk, content.rows_from_iku(indicators))
    audit.record("pk.created", office_id=office.id, obj=pk, user=user, username="cli", year=year, holder=holder,
                 rows=len(pk.targets))
    return pk


def _holder_label(level: PkLevel, section: Section | None) -> str:
    if level is PkLevel.SEKSI and section is not None:
        return _("Kepala %(section)s", section=section.name)
    return {PkLevel.CAMAT: _("Camat"), PkLevel.SEKCAM: _("Sekretaris Camat")}.get(level, level.value)


def holder_label(pk: PerformanceAgreement) -> str:
    return _holder_label(pk.level, pk.section)


def ensure_draft(pk: PerformanceAgreement) -> None:
    if pk.is_final:
        raise PkError(_("Perjanjian kinerja ini sudah final (ditandatangani); isinya terkunci. Untuk mengubahnya "
                        "buat PK Perubahan."))


def update_pk(pk: PerformanceAgreement, user: User | None, values: dict[str, Any]) -> list[str]:
    """Store the edited fields of a draft; return the names of the fields that changed."""
    ensure_draft(pk)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise PkError(_("Kolom tidak dikenal: %(names)s.", names=", ".join(sorted(unknown))))
    changed = []
    for name, value in values.items():
        if name in ("tanggal", "dpa_date"):
            if value is not None and not isinstance(value, date):
                raise PkError(_("Tanggal tidak sah."))
        elif value is None:
            value = ""
        if getattr(pk, name) != value:
            setattr(pk, name, value)
            changed.append(name)
    if changed:
        db.session.flush()
        audit.record("pk.updated", office_id=pk.office_id, obj=pk, user=user, username="cli", year=pk.year,
                     fields=changed)
    return changed


def _replace_rows(pk: PerformanceAgreement, rows: list[dict]) -> None:
    for old in list(pk.targets):
        pk.targets.remove(old)
    db.session.flush()
    for n, row in enumerate(rows, 1):
        pk.targets.append(PerformanceTarget(office_id=pk.office_id, position=n, sasaran=row.get("sasaran") or "",
                                            indicator_text=row["indicator_text"], target=row.get("target"),
                                            unit=row.get("unit") or "", indicator_id=row.get("indicator_id")))
    db.session.flush()


def _row_values(t: PerformanceTarget) -> dict:
    return {"sasaran": t.sasaran, "indicator_text": t.indicator_text,
            "target": None if t.target is None else Decimal(t.target), "unit": t.unit, "indicator_id": t.indicator_id}


def set_rows(pk: PerformanceAgreement, user: User | None, rows: list[dict]) -> bool:
    """Replace table 1 with ``rows`` (dicts of sasaran, indicator_text, target, unit, indicator_id); True when it
    changed. An ``indicator_id`` must be an IKU of the office-year."""
    ensure_draft(pk)
    own = {i for i in content.year_targets(pk.office_id, pk.year)}
    for row in rows:
        if not str(row.get("indicator_text") or "").strip():
            raise PkError(_("Setiap baris memerlukan indikator kinerja."))
        if row.get("indicator_id") is not None and row["indicator_id"] not in own:
            raise PkError(_("IKU yang dipilih bukan IKU tahun %(year)s kantor ini.", year=pk.year))
        if row.get("target") is not None and Decimal(row["target"]) < 0:
            raise PkError(_("Target tidak boleh negatif."))
    before = [_row_values(t) for t in pk.targets]
    normalised = [{"sasaran": (r.get("sasaran") or "").strip(), "indicator_text": r["indicator_text"].strip(),
                   "target": None if r.get("target") is None else Decimal(r["target"]),
                   "unit": (r.get("unit") or "").strip(), "indicator_id": r.get("indicator_id")} for r in rows]
    if before == normalised:
        return False
    _replace_rows(pk, normalised)
    audit.record("pk.rows_set", office_id=pk.office_id, obj=pk, user=user, username="cli", year=pk.year,
                 rows=[{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in normalised])
    return True


def rows_from_iku(pk: PerformanceAgreement, user: User | None) -> bool:
    """Take table 1 again from the IKU (and their year targets) as a new PK would."""
    ensure_draft(pk)
    section = pk.section if pk.level is not PkLevel.CAMAT else None
    return set_rows(pk, user, content.rows_from_iku(content.iku_of(pk.office, pk.year, pk.level, section)))


def program_indicators(office_id: int, year: int) -> list:
    """The office's program indicators of ``year`` (the IKU 6 register: Renja/DPA), the rows a Sekretaris Camat's
    or Kepala Seksi's PK may take its indicators from."""
    from ..models import ProgramIndicator

    return list(db.session.scalars(sa.select(ProgramIndicator).where(
        ProgramIndicator.office_id == office_id, ProgramIndicator.year == year)
        .order_by(ProgramIndicator.program, ProgramIndicator.id)))


def with_program_rows(pk: PerformanceAgreement, rows: list[dict], program_ids: list[int]) -> list[dict]:
    """``rows`` and, after them, one row per chosen program indicator (sasaran = its program, indicator, target and
    unit as the register holds them); one already in ``rows`` (same program and indicator) is not added twice."""
    if pk.level is PkLevel.CAMAT:
        raise PkError(_("Perjanjian kinerja Camat memuat IKU; indikator program dipilih untuk PK Sekretaris Camat "
                        "dan Kepala Seksi."))
    if not program_ids:
        raise PkError(_("Centang minimal satu indikator program yang akan ditambahkan."))
    known = {p.id: p for p in program_indicators(pk.office_id, pk.year)}
    if any(i not in known for i in program_ids):
        raise PkError(_("Indikator program yang dipilih bukan indikator program tahun %(year)s kantor ini.",
                        year=pk.year))
    present = {((r.get("sasaran") or "").strip(), (r.get("indicator_text") or "").strip()) for r in rows}
    out = list(rows)
    for i in dict.fromkeys(program_ids):
        p = known[i]
        key = (p.program.strip(), p.indicator.strip())
        if key in present:
            continue
        present.add(key)
        out.append({"sasaran": p.program, "indicator_text": p.indicator, "target": Decimal(p.target),
                    "unit": p.unit, "indicator_id": None})
    return out


# ---------------------------------------------------------------- versions and the final PK


def latest_version(pk: PerformanceAgreement) -> PerformanceVersion | None:
    return db.session.scalar(sa.select(PerformanceVersion).where(PerformanceVersion.agreement_id == pk.id)
                             .order_by(PerformanceVersion.number.desc()).limit(1))


def generate_version(pk: PerformanceAgreement, user: User | None) -> PerformanceVersion:
    """Build the .docx of the PK as it stands (with the office's kop) and keep it as a new version."""
    ensure_draft(pk)
    if not pk.targets:
        raise PkError(_("Tabel indikator masih kosong: tambahkan indikator kinerja lebih dahulu."))
    ctx = content.pk_context(pk)
    kop = template_bytes(pk.office)
    frozen = content.snapshot(ctx, kop)
    latest = latest_version(pk)
    if latest is not None and latest.snapshot == frozen:
        raise NoChange(_("Tidak ada perubahan sejak draf versi %(n)d; draf itu masih yang terbaru.", n=latest.number),
                       latest)
    token = secrets.token_urlsafe(32)
    try:
        data = build_pk(ctx, kop, verify_url=verification_url(token))
    except TemplateError as exc:
        raise PkError(_("Templat kop kantor tidak dapat dipakai: %(error)s", error=exc)) from exc
    number = (latest.number if latest is not None else 0) + 1
    stored = storage.save(data, storage.new_key(pk.office.code, pk.year, "pk",
                                                stem=f"{pk.holder}-{pk.sequence}-versi-{number}-", suffix=".docx"))
    version = PerformanceVersion(agreement_id=pk.id, office_id=pk.office_id, number=number, file_key=stored.key,
                                 sha256=stored.sha256, size=stored.size, snapshot=frozen, verify_token=token,
                                 created_by_id=_user_id(user))
    db.session.add(version)
    db.session.flush()
    audit.record("pk.version_generated", office_id=pk.office_id, obj=version, user=user, username="cli",
                 year=pk.year, holder=pk.holder, number=number, sha256=version.sha256)
    return version


def verification_url(token: str) -> str:
    """The public page printed in a version's footer: IKU_PUBLIC_BASE_URL, else the requesting host."""
    base = current_app.config.get("IKU_PUBLIC_BASE_URL") or (
        request.host_url.rstrip("/") if has_request_context() else "http://localhost")
    return f"{base}/verifikasi-pk/{token}"


def verified_pk(token: str) -> PerformanceAgreement | None:
    """The final PK whose signed version carries ``token`` (None for drafts and unknown tokens)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        sa.select(PerformanceAgreement)
        .join(PerformanceVersion, PerformanceAgreement.final_version_id == PerformanceVersion.id)
        .where(PerformanceVersion.verify_token == token, PerformanceAgreement.status == PkStatus.FINAL))


def version_bytes(version: PerformanceVersion) -> bytes:
    return storage.read(version.file_key)


def stale_since(version: PerformanceVersion) -> list[str]:
    """How the PK now differs from what ``version`` printed (empty: the same)."""
    pk = version.agreement
    now = content.snapshot(content.pk_context(pk), template_bytes(pk.office))
    old = dict(version.snapshot or {})
    return content.snapshot_differences(old, now)


def finalize(pk: PerformanceAgreement, version: PerformanceVersion, signed_pdf: bytes | BinaryIO | None,
             filename: str, user: User) -> PerformanceAgreement:
    """Mark ``version`` as the signed PK, storing the scan. The Camat's PK then sets the year's targets and locks
    the year's IKU."""
    if not can(user, "pk.finalize", pk):
        raise PkError(_("Hanya Camat atau Sekretaris Camat yang dapat menetapkan perjanjian kinerja final."))
    ensure_draft(pk)
    if version.agreement_id != pk.id:
        raise PkError(_("Versi yang dipilih bukan milik perjanjian kinerja ini."))
    differences = [d for d in stale_since(version) if d]
    if differences:
        raise PkError(_("Versi %(n)d dibuat sebelum isi perjanjian kinerja berubah; buat versi baru, tandatangani, "
                        "lalu tetapkan versi itu. Yang berbeda: %(list)s", n=version.number,
                        list=" ".join(differences)))
    if signed_pdf is None or (isinstance(signed_pdf, (bytes, bytearray)) and not signed_pdf):
        raise PkError(_("Unggah pindaian perjanjian kinerja yang sudah ditandatangani (PDF)."))
    try:
        checked = uploads.check(signed_pdf, filename, kinds=uploads.SCAN, check_name=False)
    except uploads.UploadError as exc:
        raise PkError(_scan_refusal(exc)) from exc
    with checked:
        stored = storage.save(checked.file, storage.new_key(pk.office.code, pk.year, "pk",
                                                            stem=f"{pk.holder}-{pk.sequence}-ttd-", suffix=".pdf"))
    pk.status = PkStatus.FINAL
    pk.final_version_id = version.id
    pk.signed_path = stored.key
    pk.signed_name = uploads.display_name(filename, "perjanjian-kinerja-ttd.pdf", "pdf")
    pk.signed_size, pk.signed_sha256 = stored.size, stored.sha256
    pk.finalized_by_id, pk.finalized_at = user.id, utcnow()
    db.session.flush()
    applied = apply_targets(pk, user) if pk.level is PkLevel.CAMAT else []
    audit.record("pk.finalized", office_id=pk.office_id, obj=pk, user=user, year=pk.year, holder=pk.holder,
                 version=version.number, signed_sha256=stored.sha256, targets_set=applied)
    return pk


def apply_targets(pk: PerformanceAgreement, user: User | None) -> list[int]:
    """Write the final PK's targets into the IKU's year targets (history kept); return the IKU numbers changed.

    The signed PK is the authority for the year's targets, so this runs whatever lock the year has."""
    changed = []
    for row in pk.targets:
        if row.indicator_id is None or row.target is None:
            continue
        indicator = db.session.get(Indicator, row.indicator_id)
        if indicator is None or indicator.office_id != pk.office_id or indicator.year != pk.year:
            continue
        current = db.session.scalar(sa.select(Target).where(Target.indicator_id == indicator.id,
                                                            Target.triwulan.is_(None)))
        old = Decimal(current.value) if current is not None else None
        new = Decimal(row.target)
        if old is not None and old == new:
            continue
        if current is None:
            db.session.add(Target(office_id=pk.office_id, indicator_id=indicator.id, triwulan=None, value=new))
        else:
            current.value = new
        db.session.add(TargetChange(office_id=pk.office_id, indicator_id=indicator.id, triwulan=None,
                                    old_value=old, new_value=new, changed_by_id=_user_id(user)))
        changed.append(indicator.number)
    db.session.flush()
    return changed


def _scan_refusal(exc: "uploads.UploadError") -> str:
    if exc.code == "empty":
        return _("Berkas pindaian kosong.")
    if exc.code == "too_large":
        return _("Berkas pindaian terlalu besar (batas %(mb)d MB).", mb=exc.params["mb"])
    return _("Pindaian perjanjian kinerja harus berupa berkas PDF.")


def create_amendment(final: PerformanceAgreement, user: User | None) -> PerformanceAgreement:
    """A PK Perubahan of a final PK: a new draft with the next number, starting from its parties and rows; the
    final PK is kept. Until it is final the year's targets may change again (the Camat's)."""
    if not final.is_final:
        raise PkError(_("Hanya perjanjian kinerja final yang dapat diubah dengan PK Perubahan."))
    if find_pk(final.office, final.year, final.holder) is not final:
        raise PkError(_("PK Perubahan tahun %(year)s sudah ada.", year=final.year))
    fields = {name: getattr(final, name) for name in ("tempat", "dpa_date") + PARTY_FIELDS}
    pk = PerformanceAgreement(office_id=final.office_id, year=final.year, level=final.level,
                              section_id=final.section_id, holder=final.holder, sequence=final.sequence + 1,
                              amends_id=final.id, tanggal=None, created_by_id=_user_id(user), **fields)
    pk.office, pk.section = final.office, final.section
    db.session.add(pk)
    db.session.flush()
    _replace_rows(pk, [_row_values(t) for t in final.targets])
    audit.record("pk.amendment_created", office_id=final.office_id, obj=pk, user=user, username="cli",
                 year=final.year, holder=final.holder, amends=final.id, sequence=pk.sequence)
    return pk


def is_final(office_id: int, year: int) -> bool:
    """True when the office's current Camat PK of ``year`` is final (registered as an IKU year lock); a draft PK
    Perubahan opens the year's targets again until it is final."""
    status = db.session.scalar(
        sa.select(PerformanceAgreement.status).where(PerformanceAgreement.office_id == office_id,
                                                     PerformanceAgreement.year == year,
                                                     PerformanceAgreement.holder == "camat")
        .order_by(PerformanceAgreement.sequence.desc()).limit(1))
    return status is PkStatus.FINAL


# ---------------------------------------------------------------- flags for the overview


def overview_flags(office_id: int, year: int, today: date | None = None) -> list[tuple[str, str]]:
    """The PK's flags as the Camat's overview lists them (registered by the capability)."""
    office = db.session.get(Office, office_id)
    return [(_("Perjanjian Kinerja"), text) for text in flags(office, year, today)] if office else []


def flags(office: Office, year: int, today: date | None = None) -> list[str]:
    """What the Camat's overview says about the year's PK: its targets differ from the IKU's, or it is not final
    one month after the DPA date."""
    today = today or date.today()
    pk = find_pk(office, year)
    out: list[str] = []
    if pk is None:
        return out
    targets = content.year_targets(office.id, year)
    numbers = dict(db.session.execute(sa.select(Indicator.id, Indicator.number).where(
        Indicator.office_id == office.id, Indicator.year == year)).all())
    in_pk = {t.indicator_id: t for t in pk.targets if t.indicator_id is not None}
    missing = sorted(numbers[i] for i in targets if i not in in_pk)
    if missing:
        out.append(_("PK %(year)s tidak memuat IKU %(list)s.", year=year, list=", ".join(map(str, missing))))
    differ = sorted(numbers[i] for i, t in in_pk.items() if i in targets and t.target is not None
                    and (targets[i] is None or Decimal(t.target) != targets[i]))
    if differ:
        out.append(_("Target PK %(year)s berbeda dengan target IKU pada IKU %(list)s.", year=year,
                     list=", ".join(map(str, differ))))
    if not pk.is_final and pk.dpa_date is not None and today > pk.dpa_date + DUE_AFTER_DPA:
        late = (today - pk.dpa_date - DUE_AFTER_DPA).days
        out.append(_("PK %(year)s belum final: tenggatnya satu bulan setelah DPA (%(due)s), terlambat %(n)d hari.",
                     year=year, due=format_date(pk.dpa_date + DUE_AFTER_DPA), n=late))
    return out
