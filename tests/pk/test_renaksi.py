"""The Rencana Aksi and its quarterly monitoring (issue 15, RULES.md §8): triwulan targets checked by the year rule,
actions with their section and budget, the realisation s.d. TW from the dashboard (never typed), notes written by
the section and reviewed through the workflow, and the exports."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import open_docx, seeded_iku
from iku_workflow.extensions import db
from iku_workflow.indicators import summary
from iku_workflow.models import (AuditEvent, EntryState, PkLevel, RenaksiAction, RenaksiNote, Section, WorkflowEntry)
from iku_workflow.pk import operations as pk_ops
from iku_workflow.renaksi import operations
from iku_workflow.renaksi.content import monitoring_context, plan_context
from iku_workflow.renaksi.operations import RenaksiError
from iku_workflow.reports.renaksi import build_monitoring_docx, build_renaksi_docx, build_renaksi_xlsx
from iku_workflow.workflow import operations as wf


def _section(office, code):
    return db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == code))


def test_indicators_are_the_pk_rows_else_the_iku(office):
    assert [i.number for i in operations.indicators_of(office, 2025)] == [1, 2, 3, 4, 5, 6]
    pk = pk_ops.create_pk(office, 2025, PkLevel.CAMAT, None, None)
    rows = [pk_ops._row_values(t) for t in pk.targets]
    pk_ops.set_rows(pk, None, [rows[3], rows[0], {"indicator_text": "baris sendiri"}])
    assert [i.number for i in operations.indicators_of(office, 2025)] == [4, 1]


def test_triwulan_targets_follow_the_year_rule(office):
    # IKU 1 (documents) is cumulative with a year target of 11; IKU 6 (program indicators) the last value, 100
    iku1, iku6 = seeded_iku(office, 1), seeded_iku(office, 6)
    assert summary.effective_rule(iku1).value == "cumulative" and summary.effective_rule(iku6).value == "last"
    with pytest.raises(RenaksiError, match="11"):  # 5 + 5 + 5 + 5 is not the year's 11
        operations.set_targets(iku1, None, {1: Decimal(5), 2: Decimal(5), 3: Decimal(5), 4: Decimal(5)})
    assert operations.set_targets(iku1, get_user("sekcam"), {1: Decimal(2), 2: Decimal(3), 3: Decimal(3),
                                                               4: Decimal(3)})
    with pytest.raises(RenaksiError, match="tidak boleh lebih kecil"):  # s.d. figures do not fall back
        operations.set_targets(iku6, None, {1: Decimal(50), 2: Decimal(40), 3: None, 4: None})
    with pytest.raises(RenaksiError, match="TW IV"):  # the last value: TW IV is the year's target
        operations.set_targets(iku6, None, {1: Decimal(25), 2: Decimal(50), 3: Decimal(75), 4: Decimal(90)})
    tw = {1: Decimal(25), 2: Decimal(50), 3: Decimal(75), 4: Decimal(100)}
    assert operations.set_targets(iku6, get_user("sekcam"), tw) is True
    assert operations.plan_of(iku6).tw_targets() == tw
    assert operations.set_targets(iku6, None, tw) is False
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "renaksi.targets_set")
                              .order_by(AuditEvent.id.desc()))
    assert event.user_id == get_user("sekcam").id and event.details["number"] == 6
    assert event.details["targets"] == {"tw1": "25", "tw2": "50", "tw3": "75", "tw4": "100"}
    with pytest.raises(RenaksiError, match="negatif"):
        operations.set_targets(iku6, None, {1: Decimal(-1), 2: None, 3: None, 4: None})


def test_actions_with_section_and_budget(office):
    iku4 = seeded_iku(office, 4)
    trantib = _section(office, "trantib")
    action = operations.add_action(iku4, get_user("sekcam"), "Patroli ketertiban", trantib, Decimal("12500000"))
    operations.add_action(iku4, None, "Mediasi aduan", None, None)
    plan = operations.plan_of(iku4)
    assert [a.name for a in plan.actions] == ["Patroli ketertiban", "Mediasi aduan"]
    assert action.section_id == trantib.id and Decimal(action.budget) == Decimal("12500000")
    with pytest.raises(RenaksiError, match="nama kegiatan"):
        operations.add_action(iku4, None, "  ", None, None)
    operations.delete_action(action, None)
    assert [a.position for a in operations.plan_of(iku4).actions] == [1]
    deleted = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "renaksi.action_deleted"))
    assert deleted.details["name"] == "Patroli ketertiban" and Decimal(deleted.details["budget"]) == 12500000


def test_monitoring_figures_are_the_dashboard_figures(office):
    items = {i.number: i for i in summary.year_summary(office.id, 2025)}
    for tw in (1, 2, 3, 4):
        for row in operations.monitoring(office, 2025, tw):
            item = items[row.indicator.number]
            assert row.realisation == item.measured.upto[tw]
            assert row.target == item.target_upto[tw] and row.capaian == item.capaian_upto[tw]


def test_renaksi_targets_drive_the_monitoring_capaian(office):
    iku6 = seeded_iku(office, 6)  # the last value; the year's target is 100
    operations.set_targets(iku6, None, {1: Decimal(20), 2: Decimal(40), 3: Decimal(60), 4: Decimal(100)})
    row = next(r for r in operations.monitoring(office, 2025, 2) if r.indicator.id == iku6.id)
    item = next(i for i in summary.year_summary(office.id, 2025) if i.number == 6)
    assert row.target == Decimal(40) and row.realisation == item.measured.upto[2]
    from iku_workflow.domain.capaian import capaian_rounded

    assert row.capaian == capaian_rounded(item.measured.upto[2], Decimal(40), item.polarity, item.lower_formula)


def test_the_section_writes_its_notes_and_the_sekcam_reviews_them(office):
    iku4 = seeded_iku(office, 4)
    with pytest.raises(RenaksiError, match="seksi penanggung jawab"):
        operations.save_note(iku4, 2, get_user("pmks"), "Kendala", "")
    with pytest.raises(RenaksiError, match="Isi kendala"):
        operations.save_note(iku4, 2, get_user("trantib"), " ", " ")
    note = operations.save_note(iku4, 2, get_user("trantib"), "Personel terbatas", "Kerja sama dengan Babinsa")
    db.session.commit()
    entry = note.entry
    assert entry.kind == operations.KIND and entry.section_id == _section(office, "trantib").id
    assert entry.state is EntryState.DRAFT and "TW II" in entry.title
    wf.submit(entry, get_user("trantib"))
    with pytest.raises(RenaksiError):
        operations.save_note(iku4, 2, get_user("trantib"), "diubah saat ditinjau", "")
    wf.return_for_revision(entry, get_user("sekcam"), note="Sebutkan jumlah personel.")
    operations.save_note(iku4, 2, get_user("trantib"), "Personel 3 orang untuk 8 desa", "Kerja sama dengan Babinsa")
    wf.submit(entry, get_user("trantib"))
    wf.approve(entry, get_user("sekcam"))
    db.session.commit()
    assert db.session.get(WorkflowEntry, entry.id).state is EntryState.APPROVED
    row = next(r for r in operations.monitoring(office, 2025, 2) if r.indicator.id == iku4.id)
    assert row.note.kendala == "Personel 3 orang untuk 8 desa"


def test_exports_carry_the_dashboard_figures_and_the_notes(office):
    iku4 = seeded_iku(office, 4)
    operations.add_action(iku4, None, "=HYPERLINK(\"http://x\",\"Klik\")", _section(office, "trantib"), Decimal("1500000"))
    operations.save_note(iku4, 2, get_user("trantib"), "Personel terbatas", "Kerja sama dengan Babinsa")
    ctx = plan_context(office, 2025)
    doc = open_docx(build_renaksi_docx(ctx))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "RENCANA AKSI TAHUN 2025" in "\n".join(p.text for p in doc.paragraphs)
    assert "1.500.000,00" in text and "Trantib" in text
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(build_renaksi_xlsx(ctx))).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    row4 = next(v for v in values if v[0] == 4)
    assert row4[-3].startswith("=HYPERLINK") and ws.cell(row=values.index(row4) + 4, column=19).data_type == "s"
    assert row4[-1] == 1500000.0
    item = next(i for i in summary.year_summary(office.id, 2025) if i.number == 4)
    for tw in (1, 2, 3, 4):
        real = row4[5 + (tw - 1) * 3 + 1]
        assert real == (None if item.measured.upto[tw] is None else float(item.measured.upto[tw]))
    mon = open_docx(build_monitoring_docx(monitoring_context(office, 2025, 2)))
    cells = "\n".join(c.text for t in mon.tables for r in t.rows for c in r.cells)
    assert "Personel terbatas" in cells and "Kerja sama dengan Babinsa" in cells
    assert "TRIWULAN II TAHUN 2025" in "\n".join(p.text for p in mon.paragraphs)
