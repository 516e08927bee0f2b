"""From the database to the PK builder's plain context: who the parties are by default, the rows a new PK takes
from the year's IKU, the programs of table 2, and the JSON snapshot a version keeps (no Flask request here)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from ..letterhead.identity import office_info, paper_of
from ..models import (Indicator, Office, PerformanceAgreement, PkLevel, ProgramBudget, Role, Section, Target, User)
from ..reports.context import OfficeInfo, PkContext, PkProgram, PkRow, Signatory

PARTY_FIELDS = ("name", "jabatan", "pangkat", "nip", "acting")


def holder_of(level: PkLevel, section: Section | None) -> str:
    if level is PkLevel.SEKSI:
        if section is None:
            raise ValueError("a Kepala Seksi's PK names its section")
        return f"seksi-{section.id}"
    return level.value


def sekretariat(office: Office) -> Section | None:
    """The section the Sekretaris Camat leads (its IKU are the sekcam's PK rows)."""
    return db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == "sekretariat"))


def _camat(office: Office) -> dict:
    return {"name": office.camat_name or "", "jabatan": office.jabatan_camat, "pangkat": office.camat_pangkat or "",
            "nip": office.camat_nip or "", "acting": office.signatory_acting or ""}


def _sekcam_user(office: Office) -> User | None:
    return db.session.scalar(sa.select(User).where(User.office_id == office.id, User.role == Role.SEKCAM,
                                                   User.active.is_(True)).order_by(User.id).limit(1))


def default_parties(office: Office, level: PkLevel, section: Section | None) -> dict[str, str]:
    """``first_*`` and ``second_*`` of a new PK: the Camat and the Bupati (whose name the office fills in; the
    Bupati signs without NIP), or the sekcam / the Kepala Seksi and the Camat."""
    camat = _camat(office)
    if level is PkLevel.CAMAT:
        first = camat
        second = {"name": "", "jabatan": f"BUPATI {office.kabupaten.upper()}", "pangkat": "", "nip": "", "acting": ""}
    elif level is PkLevel.SEKCAM:
        user = _sekcam_user(office)
        first = {"name": user.full_name if user else "", "jabatan": f"SEKRETARIS CAMAT {office.name.upper()}",
                 "pangkat": "", "nip": (user.nip or "") if user else "", "acting": ""}
        second = camat
    else:
        first = {"name": "", "jabatan": f"KEPALA {section.name.upper()} KECAMATAN {office.name.upper()}",
                 "pangkat": "", "nip": "", "acting": ""}
        second = camat
    out = {f"first_{k}": first[k] for k in PARTY_FIELDS}
    out.update({f"second_{k}": second[k] for k in PARTY_FIELDS})
    return out


def unit_line(office: Office, level: PkLevel, section: Section | None) -> str:
    """The organisation the lampiran names under its title."""
    if level is PkLevel.CAMAT:
        return f"KECAMATAN {office.name.upper()}"
    if level is PkLevel.SEKCAM:
        return f"SEKRETARIAT KECAMATAN {office.name.upper()}"
    return f"{section.name.upper()} KECAMATAN {office.name.upper()}"


def year_targets(office_id: int, year: int) -> dict[int, Decimal | None]:
    """indicator id -> the year's target (None when not set) of every IKU of the office-year."""
    rows = db.session.execute(
        sa.select(Indicator.id, Target.value).select_from(Indicator)
        .outerjoin(Target, sa.and_(Target.indicator_id == Indicator.id, Target.triwulan.is_(None)))
        .where(Indicator.office_id == office_id, Indicator.year == year)).all()
    return {i: (Decimal(v) if v is not None else None) for i, v in rows}


def iku_of(office: Office, year: int, level: PkLevel, section: Section | None) -> list[Indicator]:
    """The IKU a new PK starts from: all of the year's for the Camat; those the section is responsible for
    otherwise (the sekcam's: the Sekretariat's)."""
    indicators = db.session.scalars(sa.select(Indicator).where(Indicator.office_id == office.id,
                                                               Indicator.year == year).order_by(Indicator.number)).all()
    if level is PkLevel.CAMAT:
        return list(indicators)
    own = section if level is PkLevel.SEKSI else sekretariat(office)
    if own is None:
        return []
    return [i for i in indicators if any(s.id == own.id for s in i.sections)]


def rows_from_iku(indicators: list[Indicator]) -> list[dict]:
    """The table-1 rows of a PK from IKU: sasaran = kinerja utama, the indicator, the year's target and unit."""
    if not indicators:
        return []
    targets = year_targets(indicators[0].office_id, indicators[0].year)
    return [{"sasaran": i.kinerja_utama, "indicator_text": i.name, "target": targets.get(i.id),
             "unit": i.unit.value, "indicator_id": i.id} for i in indicators]


def programs_of(office_id: int, year: int) -> list[ProgramBudget]:
    return list(db.session.scalars(sa.select(ProgramBudget).where(
        ProgramBudget.office_id == office_id, ProgramBudget.year == year)
        .order_by(ProgramBudget.position, ProgramBudget.id)).all())


def _party(pk: PerformanceAgreement, side: str, kabupaten: str = "") -> Signatory:
    get = lambda k: getattr(pk, f"{side}_{k}") or ""  # noqa: E731
    return Signatory(jabatan=get("jabatan"), name=get("name"), pangkat=get("pangkat"), nip=get("nip"),
                     acting=get("acting"), kabupaten=kabupaten)


def pk_context(pk: PerformanceAgreement) -> PkContext:
    """What the PK prints now: its parties and rows, and (the Camat's PK) the office's programs of the year."""
    office = pk.office
    kab_line = office.kabupaten_line if pk.level is PkLevel.CAMAT else ""
    camat_side = "first" if pk.level is PkLevel.CAMAT else "second"
    first = _party(pk, "first", kab_line if camat_side == "first" else "")
    second = _party(pk, "second", office.kabupaten_line if camat_side == "second" else "")
    rows = [PkRow(n, t.sasaran, t.indicator_text, Decimal(t.target) if t.target is not None else None, t.unit)
            for n, t in enumerate(pk.targets, 1)]
    programs = []
    if pk.level is PkLevel.CAMAT:
        programs = [PkProgram(n, p.name, Decimal(p.budget), p.note or "")
                    for n, p in enumerate(programs_of(pk.office_id, pk.year), 1)]
    return PkContext(office=office_info(office), year=pk.year, unit=unit_line(office, pk.level, pk.section),
                     first=first, second=second, tempat=pk.tempat or office.city or office.name, tanggal=pk.tanggal,
                     rows=rows, programs=programs, amendment=pk.is_amendment, paper=paper_of(office))


def _json(value):
    if isinstance(value, Decimal):
        # one spelling per value whatever scale the database returns ("250500000.5", "1500000000")
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def snapshot(ctx: PkContext, kop: bytes | None) -> dict:
    """A JSON-safe record of what a version printed: both signatories, the rows with their targets, the programs
    with their budget, the office profile (lambang and kop template by hash)."""
    data = asdict(ctx)
    lambang = ctx.office.logo
    data["office"]["logo"] = hashlib.sha256(lambang).hexdigest() if lambang else None
    data["kop"] = hashlib.sha256(kop).hexdigest() if kop else None
    return _json(data)


def context_from_snapshot(data: dict) -> PkContext:
    """The context a version was built from (what a final PK's page shows: what was signed)."""
    office = dict(data["office"])
    office["logo"] = None
    tanggal = data.get("tanggal")
    return PkContext(
        office=OfficeInfo(**office), year=int(data["year"]), unit=data["unit"], first=Signatory(**data["first"]),
        second=Signatory(**data["second"]), tempat=data["tempat"],
        tanggal=date.fromisoformat(tanggal) if tanggal else None,
        rows=[PkRow(r["number"], r["sasaran"], r["indikator"],
                    Decimal(r["target"]) if r["target"] is not None else None, r["unit"]) for r in data["rows"]],
        programs=[PkProgram(p["number"], p["name"], Decimal(p["budget"]), p.get("note", "")) for p in data["programs"]],
        amendment=bool(data.get("amendment")), paper=data.get("paper", "F4"),
        font_name=data.get("font_name", "Bookman Old Style"), font_size=data.get("font_size", 12))


def snapshot_differences(older: dict | None, newer: dict) -> list[str]:
    """What changed between two versions' snapshots, one readable line each (parties, rows, programs, date)."""
    from flask_babel import gettext as _

    if not older:
        return []
    out = []
    labels = {"first": _("Pihak pertama"), "second": _("Pihak kedua")}
    for side, label in labels.items():
        if older.get(side) != newer.get(side):
            out.append(_("%(label)s berubah.", label=label))
    if (older.get("tempat"), older.get("tanggal")) != (newer.get("tempat"), newer.get("tanggal")):
        out.append(_("Tempat atau tanggal berubah."))
    before = {r["number"]: r for r in older.get("rows") or []}
    after = {r["number"]: r for r in newer.get("rows") or []}
    for n in sorted(set(before) | set(after)):
        a, b = before.get(n), after.get(n)
        if a is None:
            out.append(_("Indikator %(n)d ditambahkan.", n=n))
        elif b is None:
            out.append(_("Indikator %(n)d dihapus.", n=n))
        elif a != b:
            if (a.get("target"), a.get("unit")) != (b.get("target"), b.get("unit")):
                out.append(_("Target indikator %(n)d berubah.", n=n))
            if (a.get("sasaran"), a.get("indikator")) != (b.get("sasaran"), b.get("indikator")):
                out.append(_("Teks indikator %(n)d berubah.", n=n))
    if older.get("programs") != newer.get("programs"):
        out.append(_("Program atau anggaran berubah."))
    if older.get("office") != newer.get("office") or older.get("kop") != newer.get("kop"):
        out.append(_("Profil kantor atau kop berubah."))
    return out
