"""The one bridge between the decree and the year's IKU data: the annex.

The IKU catalogue (indicators, tujuan, targets) belongs to the indicators capability. When the office
has filled the year, the annex reads it; when the office has no indicators for the year yet, the annex
falls back to the reference decree's texts (``seed.gumukmas_2025``) and says so (:attr:`Annex.from_seed`).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import Decree, IndikatorTujuan, Indicator, Office, Tujuan
from ..reports.context import AnnexContent, IkuRow
from ..seed import gumukmas_2025 as seed


@dataclass(frozen=True)
class Annex:
    content: AnnexContent
    from_seed: bool  # True: texts of the reference decree, because the year has no IKU yet


def _office_indicators(office: Office, year: int) -> list:
    return list(db.session.scalars(
        sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year)
        .order_by(Indicator.number)
    ))


def _texts(model, office: Office, year: int) -> list[str]:
    return list(db.session.scalars(
        sa.select(model.text).where(model.office_id == office.id, model.year == year).order_by(model.position)
    ))


def annex_content(office: Office, year: int, decree: Decree) -> Annex:
    """The lampiran of ``decree``: tugas/fungsi from the decree, tujuan and the IKU table from the year's data."""
    instansi = office.full_name
    indicators = _office_indicators(office, year)
    if indicators:
        rows = [IkuRow(i.number, i.kinerja_utama, i.name, list(i.formulation or []), i.bidang_text or "",
                       i.sumber_data or "") for i in indicators]
        content = AnnexContent(instansi, list(decree.tugas), list(decree.fungsi),
                               _texts(Tujuan, office, year), _texts(IndikatorTujuan, office, year), rows)
        return Annex(content, from_seed=False)
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"], r["bidang_text"],
                   r["sumber_data"]) for r in seed.iku_rows(year)]
    tujuan = [t.replace("Gumukmas", office.name) for t in seed.TUJUAN]
    content = AnnexContent(instansi, list(decree.tugas), list(decree.fungsi), tujuan,
                           list(seed.INDIKATOR_TUJUAN), rows)
    return Annex(content, from_seed=True)
