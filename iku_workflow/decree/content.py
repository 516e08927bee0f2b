"""From the database to the builders' plain context: the defaults of a new decree, the signatory,
and the DecreeContext a version is generated from (no Flask request here)."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Decree, Office
from ..reports.context import DecreeContext, Diktum, OfficeInfo, Signatory
from ..seed import gumukmas_2025 as seed
from . import sources

# The reference decree's numbering with its serial blanked: the office fills the number the
# kecamatan's agenda gives it (RULES.md §5; the pattern is editable).
_REFERENCE_NOMOR = "000.8.6.3/   /35.09.04/{year}"
LIST_FIELDS = ("menimbang", "mengingat", "memperhatikan", "tembusan", "tugas", "fungsi")
ITEM_STYLES = ("paren_number", "letter", "number")


def default_nomor(office: Office, year: int) -> str:
    """The nomor pattern of the office's latest earlier decree (serial blanked, year replaced),
    or the reference decree's pattern."""
    previous = db.session.scalar(
        sa.select(Decree.nomor).where(Decree.office_id == office.id, Decree.year < year)
        .order_by(Decree.year.desc()).limit(1)
    )
    if previous:
        parts = previous.split("/")
        if len(parts) == 4 and re.fullmatch(r"(19|20)\d\d", parts[3].strip()):
            return f"{parts[0]}/   /{parts[2]}/{year}"
    return _REFERENCE_NOMOR.format(year=year)


def default_values(office: Office, year: int) -> dict:
    """The fields of a new decree: the reference decree's texts for this office and year."""
    name, kab = office.name, office.kabupaten
    return {
        "nomor": default_nomor(office, year),
        "tempat": office.city or office.name,
        "tanggal": None,
        "tentang": seed.default_tentang(name, kab),
        "menimbang": seed.default_menimbang(name, kab),
        "mengingat": seed.default_mengingat(),
        "memperhatikan": [],
        "diktum": seed.default_diktum(name, kab),
        "tembusan": [],
        "tugas": list(seed.TUGAS),
        "fungsi": list(seed.FUNGSI),
    }


def office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(name=office.name, kabupaten=office.kabupaten, address=office.address or "",
                      telephone=office.telephone or "", email=office.email or "",
                      postal_code=office.postal_code or "", city=office.city or office.name)


def signatory(office: Office) -> Signatory:
    """The Camat as the office profile holds them (with "Plt."/"Plh." when acting)."""
    return Signatory(jabatan=office.jabatan_camat, name=office.camat_name or "", pangkat=office.camat_pangkat or "",
                     nip=office.camat_nip or "", acting=office.signatory_acting or "")


def paper_of(office: Office) -> str:
    return getattr(office.paper_size, "value", office.paper_size) or "F4"


def decree_context(decree: Decree) -> tuple[DecreeContext, bool]:
    """The builder's context for ``decree`` and whether its annex came from the seed texts."""
    office = decree.office
    annex = sources.annex_content(office, decree.year, decree)
    ctx = DecreeContext(
        office=office_info(office), nomor=decree.nomor, tempat=decree.tempat, tanggal=decree.tanggal,
        tentang=decree.tentang, menimbang=list(decree.menimbang), mengingat=list(decree.mengingat),
        memperhatikan=list(decree.memperhatikan),
        diktum=[Diktum(text=d.get("text", ""), items=list(d.get("items") or []), item_style=d.get("item_style"))
                for d in decree.diktum],
        signatory=signatory(office), tembusan=list(decree.tembusan), annex=annex.content, paper=paper_of(office),
    )
    return ctx, annex.from_seed


def snapshot(ctx: DecreeContext, annex_from_seed: bool) -> dict:
    """A JSON-safe record of what a version was built from (kept beside the .docx)."""
    from dataclasses import asdict

    data = asdict(ctx)
    data["tanggal"] = ctx.tanggal.isoformat() if isinstance(ctx.tanggal, date) else None
    data["annex_from_seed"] = annex_from_seed
    return data
