"""Kabupaten records and Jember's default standard sets, taken from the seed decree.

Keputusan Camat Gumukmas 2025 (``seed.gumukmas_2025``) says in its diktum KELIMA that the kecamatan's
IKU follow the kabupaten's: its tujuan, IKU, the documents of IKU 1 with the demo's due dates
(``documents.catalogue``) and the kecamatan's sections are what Jember's standard holds by default, and
what the demo office copies through the same path every new office takes.
"""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa

from ..domain.capaian import LowerFormula, Polarity, YearRule
from .. import measures
from ..extensions import db
from ..models import (Kabupaten, StandardDecreeText, StandardDocument, StandardGoal, StandardIndicator, StandardSection, Unit)
from ..seed import gumukmas_2025 as decree

JEMBER = ("jember", "Jember")
#: in a standard goal's text, replaced by the name of the office that copies it
KECAMATAN = "{kecamatan}"


def code_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def find_kabupaten(value: str) -> Kabupaten | None:
    """The kabupaten whose code or name (any case) is ``value``."""
    value = (value or "").strip()
    return db.session.scalar(sa.select(Kabupaten).where(sa.or_(
        Kabupaten.code == code_of(value), sa.func.lower(Kabupaten.name) == value.lower())))


def ensure_kabupaten(code: str, name: str) -> Kabupaten:
    """The kabupaten ``code``, created (with the default section template) when missing."""
    kab = db.session.scalar(sa.select(Kabupaten).where(Kabupaten.code == code))
    if kab is None:
        kab = Kabupaten(code=code, name=name)
        db.session.add(kab)
        db.session.flush()
        ensure_section_template(kab)
    return kab


def kabupaten_for(value: str | Kabupaten) -> Kabupaten:
    """A Kabupaten record from a record, a code or a name; a new name makes a new kabupaten."""
    if isinstance(value, Kabupaten):
        return value
    found = find_kabupaten(value)
    if found is not None:
        return found
    name = value.strip()
    return ensure_kabupaten(code_of(name), name)


def ensure_section_template(kab: Kabupaten) -> int:
    """The kecamatan's standard sections (Sekretariat and four seksi) when the template is empty."""
    if db.session.scalar(sa.select(StandardSection.id).where(StandardSection.kabupaten_id == kab.id).limit(1)):
        return 0
    for position, (code, name, short) in enumerate(decree.SECTIONS):
        db.session.add(StandardSection(kabupaten_id=kab.id, code=code, name=name, short_name=short, position=position))
    db.session.flush()
    return len(decree.SECTIONS)


def ensure_default_year(kab: Kabupaten, year: int) -> bool:
    """Fill the year's IKU set and document catalogue from the seed decree when the year has none."""
    from ..documents.catalogue import CATALOGUE
    from ..indicators import seed_data

    if db.session.scalar(sa.select(StandardIndicator.id).where(StandardIndicator.kabupaten_id == kab.id,
                                                               StandardIndicator.year == year).limit(1)):
        return False
    for kind, texts in (("tujuan", seed_data.TUJUAN), ("indikator", seed_data.INDIKATOR_TUJUAN)):
        for position, text in enumerate(texts, start=1):
            # the seed decree names its own kecamatan; the standard names whichever office copies it
            text = text.replace(f"Kecamatan {decree.OFFICE['name']}", f"Kecamatan {KECAMATAN}")
            db.session.add(StandardGoal(kabupaten_id=kab.id, year=year, kind=kind, position=position, text=text))
    for row in seed_data.iku_rows(year):
        db.session.add(StandardIndicator(
            kabupaten_id=kab.id, year=year, number=row["number"], kinerja_utama=row["kinerja_utama"],
            name=row["indikator"], formulation=row["formulation"], bidang_text=row["bidang_text"],
            sumber_data=row["sumber_data"], unit=Unit(row["unit"]), polarity=Polarity(row["polarity"]),
            lower_formula=LowerFormula.TWICE_TARGET, measure=row["measure"],
            year_rule=measures.policy(row["measure"]).effective(YearRule(row["year_rule"])),
            section_codes=list(row["sections"]),
            default_target=Decimal(row["target"]) if row.get("target") is not None else None))
    if not db.session.scalar(sa.select(StandardDecreeText.id).where(StandardDecreeText.kabupaten_id == kab.id,
                                                                    StandardDecreeText.year == year)):
        db.session.add(StandardDecreeText(
            kabupaten_id=kab.id, year=year, tentang=decree.default_tentang(KECAMATAN, "{kabupaten}"),
            menimbang=decree.default_menimbang(KECAMATAN, "{kabupaten}"), mengingat=decree.default_mengingat(),
            memperhatikan=[]))
    if not db.session.scalar(sa.select(StandardDocument.id).where(StandardDocument.kabupaten_id == kab.id,
                                                                  StandardDocument.year == year).limit(1)):
        for position, (code, name, group, section_code, (month, day)) in enumerate(CATALOGUE):
            db.session.add(StandardDocument(kabupaten_id=kab.id, year=year, code=code, name=name, group=group,
                                            section_code=section_code, due_month=month, due_day=day,
                                            position=position))
    db.session.flush()
    return True
