"""From the database to the renaksi builders' plain contexts (the monitoring's own figures, no request)."""
from __future__ import annotations

from datetime import date

from ..letterhead.identity import office_info, paper_of, signatory
from ..models import Office
from ..reports.context import MonitoringContext, MonitoringRow, RenaksiContext, RenaksiRow
from . import operations


def plan_context(office: Office, year: int, today: date | None = None) -> RenaksiContext:
    per_tw = {tw: {r.indicator.id: r for r in operations.monitoring(office, year, tw)} for tw in operations.TW}
    rows = []
    for indicator in operations.indicators_of(office, year):
        first = per_tw[1][indicator.id]
        plan = first.plan
        actions = [(a.name, a.section.short_name if a.section else "", a.budget) for a in (plan.actions if plan else [])]
        rows.append(RenaksiRow(
            number=indicator.number, sasaran=indicator.kinerja_utama, indikator=indicator.name,
            satuan=first.item.unit, year_target=first.item.target,
            tw={tw: (per_tw[tw][indicator.id].target, per_tw[tw][indicator.id].realisation,
                     per_tw[tw][indicator.id].capaian) for tw in operations.TW},
            actions=actions))
    return RenaksiContext(office=office_info(office), year=year, rows=rows, signatory=signatory(office),
                          printed_on=today or date.today(), paper=paper_of(office))


def monitoring_context(office: Office, year: int, tw: int, today: date | None = None) -> MonitoringContext:
    rows = []
    for r in operations.monitoring(office, year, tw):
        note = r.note
        rows.append(MonitoringRow(
            number=r.indicator.number, indikator=r.indicator.name, satuan=r.item.unit, target=r.target,
            realisation=r.realisation, capaian=r.capaian, kriteria=r.band.label if r.band else "",
            kendala=note.kendala if note else "", tindak_lanjut=note.tindak_lanjut if note else "",
            status=str(note.entry.state.label) if note else "belum diisi"))
    return MonitoringContext(office=office_info(office), year=year, tw=tw, rows=rows, signatory=signatory(office),
                             printed_on=today or date.today(), paper=paper_of(office))
