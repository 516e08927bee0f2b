"""From the database to the builders' plain context: the defaults of a new decree, the signatory,
and the DecreeContext a version is generated from (no Flask request here)."""
from __future__ import annotations

import hashlib
import re
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Decree, Office
from ..letterhead.identity import office_info, paper_of, signatory
from ..reports.context import AnnexContent, DecreeContext, Diktum, OfficeInfo, Signatory
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


def amendment_nomor(final: Decree) -> str:
    """The final decree's nomor with its serial blanked (the agenda gives the SK perubahan its own)."""
    parts = final.nomor.split("/")
    if len(parts) == 4:
        return f"{parts[0]}/   /{parts[2]}/{parts[3]}"
    return default_nomor(final.office, final.year)


def amendment_tentang(final: Decree) -> str:
    """The title of a decree of change: "Perubahan atas Keputusan Camat … Nomor … tentang …"."""
    office = final.office
    return (f"Perubahan atas Keputusan Camat {office.name} Nomor {final.nomor} tentang {final.tentang}")[:4000]


def _standard_texts(office: Office, year: int) -> dict | None:
    """The kabupaten's decree texts of ``year`` with the office's names filled in, or None."""
    from ..models import StandardDecreeText

    std = db.session.scalar(sa.select(StandardDecreeText).where(
        StandardDecreeText.kabupaten_id == office.kabupaten_id, StandardDecreeText.year == year))
    if std is None:
        return None

    def fill(text: str) -> str:
        return text.replace("{kecamatan}", office.name).replace("{kabupaten}", office.kabupaten)

    return {"tentang": fill(std.tentang), "menimbang": [fill(t) for t in std.menimbang],
            "mengingat": [fill(t) for t in std.mengingat], "memperhatikan": [fill(t) for t in std.memperhatikan]}


def default_values(office: Office, year: int) -> dict:
    """The fields of a new decree: the kabupaten's texts of the year (or the reference decree's) for this office."""
    name, kab = office.name, office.kabupaten
    texts = _standard_texts(office, year) or {
        "tentang": seed.default_tentang(name, kab), "menimbang": seed.default_menimbang(name, kab),
        "mengingat": seed.default_mengingat(), "memperhatikan": []}
    return {
        "nomor": default_nomor(office, year),
        "tempat": office.city or office.name,
        "tanggal": None,
        **texts,
        "diktum": seed.default_diktum(name, kab),
        "tembusan": [],
        "tugas": list(seed.TUGAS),
        "fungsi": list(seed.FUNGSI),
    }


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


def context_for_values(decree: Decree, values: dict) -> tuple[DecreeContext, bool]:
    """:func:`decree_context` with the edit form's ``values`` (:func:`editing.read_form`) in place of the
    stored fields: the preview of what is typed, before it is saved. Nothing is written to ``decree``."""
    from types import SimpleNamespace

    typed = SimpleNamespace(office=decree.office, year=decree.year, id=decree.id,
                            **{name: values[name] for name in ("nomor", "tempat", "tanggal", "tentang", "diktum",
                                                               *LIST_FIELDS)})
    return decree_context(typed)


def snapshot(ctx: DecreeContext, annex_from_seed: bool) -> dict:
    """A JSON-safe record of what a version was built from (kept beside the .docx)."""
    from dataclasses import asdict

    data = asdict(ctx)
    lambang = ctx.office.logo
    data["office"]["logo"] = hashlib.sha256(lambang).hexdigest() if lambang else None  # bytes are no JSON
    data["tanggal"] = ctx.tanggal.isoformat() if isinstance(ctx.tanggal, date) else None
    data["annex_from_seed"] = annex_from_seed
    return data


def _words(value) -> str:
    """Every string inside formulation blocks (texts, labels, items, fraction parts), joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_words(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return " ".join(_words(v) for v in value)
    return ""


def signed_changes(decree: Decree, annex: AnnexContent) -> list[dict]:
    """The departures of the default texts from the signed 2025 decree (``seed.SIGNED_CHANGES``) that are
    still in ``decree`` or its ``annex`` — the notes the editor shows the Camat. ``{year}`` is filled."""
    texts = {
        "mengingat": _words(decree.mengingat), "tugas": _words(decree.tugas),
        "diktum": _words([[d.get("text", ""), d.get("items") or []] for d in decree.diktum]),
        "indikator_tujuan": _words(annex.indikator_tujuan),
    }
    iku = {row.number: _words([row.indikator, row.formulation]) for row in annex.rows}
    found = []
    for change in seed.SIGNED_CHANGES:
        filled = {k: v.replace("{year}", str(decree.year)) if isinstance(v, str) else v for k, v in change.items()}
        needle = filled.get("find") or filled["ours"]
        haystack = iku.get(change.get("number"), "") if change["field"] == "iku" else texts[change["field"]]
        if change.get("always") or needle in haystack:
            found.append(filled)
    return found


def context_from_snapshot(data: dict) -> DecreeContext:
    """The context a version was built from, as its snapshot froze it (office profile, signatory, texts,
    annex): what a final decree's preview shows. The lambang is kept only as its hash (no picture)."""
    from ..reports.context import IkuRow

    office = dict(data.get("office") or {})
    office["logo"] = None
    annex = data.get("annex")
    annex_ctx = None
    if annex:
        annex_ctx = AnnexContent(annex["instansi"], list(annex["tugas"]), list(annex["fungsi"]),
                                 list(annex["tujuan"]), list(annex["indikator_tujuan"]),
                                 [IkuRow(**row) for row in annex["rows"]])
    tanggal = data.get("tanggal")
    return DecreeContext(
        office=OfficeInfo(**office), nomor=data["nomor"], tempat=data["tempat"],
        tanggal=date.fromisoformat(tanggal) if tanggal else None, tentang=data["tentang"],
        menimbang=list(data["menimbang"]), mengingat=list(data["mengingat"]),
        memperhatikan=list(data["memperhatikan"]), diktum=[Diktum(**d) for d in data["diktum"]],
        signatory=Signatory(**data["signatory"]), tembusan=list(data["tembusan"]), annex=annex_ctx,
        paper=data.get("paper", "F4"), font_name=data.get("font_name", "Bookman Old Style"),
        font_size=data.get("font_size", 12),
    )


_ROW_FIELDS = {"kinerja_utama": "kinerja utama", "indikator": "indikator", "formulation": "formulasi",
               "bidang": "bidang penanggung jawab", "sumber_data": "sumber data"}


def iku_differences(snapshot_annex: dict | None, current: AnnexContent) -> list[str]:
    """What differs between the IKU a version froze and the year's IKU now, one readable line each
    (indicator added / removed / a field changed; tujuan and indikator tujuan)."""
    from dataclasses import asdict

    from flask_babel import gettext as _

    if not snapshot_annex:
        return []
    now = asdict(current)
    out: list[str] = []
    for key, label in (("tujuan", _("Tujuan")), ("indikator_tujuan", _("Indikator tujuan"))):
        if list(snapshot_annex.get(key) or []) != list(now[key]):
            out.append(_("%(label)s berubah.", label=label))
    before = {row["number"]: row for row in snapshot_annex.get("rows") or []}
    after = {row["number"]: row for row in now["rows"]}
    for number in sorted(set(before) | set(after)):
        old, new = before.get(number), after.get(number)
        if old is None:
            out.append(_("IKU %(n)d (%(name)s) ditambahkan.", n=number, name=new["indikator"]))
        elif new is None:
            out.append(_("IKU %(n)d (%(name)s) dihapus.", n=number, name=old["indikator"]))
        else:
            fields = [label for name, label in _ROW_FIELDS.items() if old.get(name) != new.get(name)]
            if fields:
                out.append(_("IKU %(n)d (%(name)s): %(fields)s berubah.", n=number, name=new["indikator"],
                             fields=", ".join(fields)))
    return out


#: the parts of a version's snapshot, in the order the version list names them
_SNAPSHOT_PARTS = (("nomor", "nomor"), ("tanggal", "tanggal"), ("tempat", "tempat penetapan"), ("tentang", "tentang"),
                   ("menimbang", "menimbang"), ("mengingat", "mengingat"), ("memperhatikan", "memperhatikan"),
                   ("diktum", "diktum"), ("tembusan", "tembusan"), ("signatory", "penanda tangan"),
                   ("office", "profil kantor / kop"), ("kop", "templat kop"), ("paper", "ukuran kertas"),
                   ("font_name", "huruf"), ("font_size", "ukuran huruf"))


def snapshot_differences(before: dict | None, after: dict) -> list[str]:
    """What changed from one generated version to the next, one readable line each: the decree's parts
    (nomor, menimbang, diktum, penanda tangan …) and, for the annex, each IKU as :func:`iku_differences`
    names it. Empty when nothing differs (or for the first version: ``before`` None)."""
    from flask_babel import gettext as _

    if not before:
        return []
    parts = [label for key, label in _SNAPSHOT_PARTS if key in after and before.get(key) != after.get(key)]
    out = [_("Diubah: %(parts)s.", parts=", ".join(parts))] if parts else []
    if before.get("annex") != after.get("annex"):
        current = context_from_snapshot(after).annex
        if current is None:
            out.append(_("Lampiran IKU dihapus."))
        else:
            out += iku_differences(before.get("annex"), current) or [_("Lampiran IKU berubah.")]
    return out
