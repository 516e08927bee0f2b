"""The Perjanjian Kinerja: a draft from the IKU, versions with frozen snapshots, the signed final that sets the
year's targets and locks the year, PK Perubahan, and the overview's flags (RULES.md §7)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import open_docx, tiny_pdf
from iku_workflow.extensions import db
from iku_workflow.indicators.locks import YearLocked, is_year_locked
from iku_workflow.indicators import operations as iku_ops
from iku_workflow.models import (AuditEvent, Indicator, PerformanceAgreement, PkLevel, PkStatus, ProgramBudget, Section,
                                 Target, TargetChange)
from iku_workflow.pk import content, operations
from iku_workflow.pk.operations import PkError


def _iku(office, year=2025):
    return db.session.scalars(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year)
                              .order_by(Indicator.number)).all()


def _year_target(indicator):
    return db.session.scalar(sa.select(Target.value).where(Target.indicator_id == indicator.id,
                                                           Target.triwulan.is_(None)))


def _lines(doc) -> list[str]:
    """Every paragraph of the body once (merged cells are not repeated), tables included."""
    from docx.oxml.ns import qn

    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


@pytest.fixture
def pk(office):
    made = operations.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    db.session.commit()
    return made


def test_camat_pk_starts_from_every_iku_with_its_year_target(office, pk):
    iku = _iku(office)
    assert len(iku) == 6
    assert [t.indicator_id for t in pk.targets] == [i.id for i in iku]
    for row, indicator in zip(pk.targets, iku):
        assert row.sasaran == indicator.kinerja_utama and row.indicator_text == indicator.name
        assert row.unit == indicator.unit.value
        assert (None if row.target is None else Decimal(row.target)) == _year_target(indicator)
    # the parties from the office profile: the Camat promises, the Bupati (no NIP) supervises
    assert pk.first_name == office.camat_name and pk.first_nip == (office.camat_nip or "")
    assert pk.first_jabatan == "CAMAT GUMUKMAS"
    assert pk.second_jabatan == "BUPATI JEMBER" and pk.second_nip == ""
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pk.created"))
    assert event.office_id == office.id and event.object_id == pk.id and event.details["rows"] == 6


def test_a_second_pk_of_the_same_holder_and_year_is_refused(office, pk):
    with pytest.raises(PkError, match="sudah ada"):
        operations.create_pk(office, 2025, PkLevel.CAMAT, None, None)


def test_camat_pk_without_iku_is_refused_with_a_message(office):
    with pytest.raises(PkError, match="IKU tahun 2031 belum ada"):
        operations.create_pk(office, 2031, PkLevel.CAMAT, None, None)


def test_section_pk_takes_the_iku_of_its_section_and_the_camat_as_second_party(office):
    trantib = db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == "trantib"))
    pk = operations.create_pk(office, 2025, PkLevel.SEKSI, trantib, None)
    own = [i for i in _iku(office) if trantib in i.sections]
    assert own and [t.indicator_id for t in pk.targets] == [i.id for i in own]
    assert pk.holder == f"seksi-{trantib.id}"
    assert pk.first_jabatan.startswith("KEPALA SEKSI KETENTERAMAN")
    assert pk.second_jabatan == "CAMAT GUMUKMAS" and pk.second_name == office.camat_name
    sekcam = operations.create_pk(office, 2025, PkLevel.SEKCAM, None, None)
    sekretariat = content.sekretariat(office)
    assert [t.indicator_id for t in sekcam.targets] == [i.id for i in _iku(office) if sekretariat in i.sections]
    assert sekcam.first_name == get_user("sekcam").full_name


def test_version_prints_statement_and_lampiran_and_freezes_the_snapshot(office, pk):
    db.session.add(ProgramBudget(office_id=office.id, year=2025, position=1, code="7.01.01", name="Program Penunjang",
                                 budget=Decimal("1500000000"), note="APBD"))
    db.session.add(ProgramBudget(office_id=office.id, year=2025, position=2, name="Program Penyelenggaraan "
                                 "Pemerintahan dan Pelayanan Publik", budget=Decimal("250500000.50")))
    operations.update_pk(pk, None, {"second_name": "Ir. H. MUHAMMAD FAWAIT, M.Sc.", "tanggal": date(2025, 2, 3)})
    version = operations.generate_version(pk, get_user("sekcam"))
    db.session.commit()
    doc = open_docx(operations.version_bytes(version))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.count("PERJANJIAN KINERJA TAHUN 2025") == 2  # statement page and lampiran
    assert "selanjutnya disebut pihak pertama" in text and "selaku atasan pihak pertama" in text
    lines = _lines(doc)
    assert lines.count("PIHAK KEDUA,") == 2 and lines.count("PIHAK PERTAMA,") == 2  # statement and lampiran
    # the statement names the Bupati once, and both signature blocks again
    assert lines.count("BUPATI JEMBER") == 3 and lines.count("Ir. H. MUHAMMAD FAWAIT, M.Sc.") == 3
    # the Bupati signs without NIP, the Camat with it
    nips = [line for line in lines if line.startswith("NIP.")]
    assert len(nips) == 2 and all(office.camat_nip[:8] in n.replace(" ", "") for n in nips)
    assert "JUMLAH" in lines and "1.750.500.000,50" in lines  # the total of table 2
    assert "Program Penunjang" in lines and "1.500.000.000,00" in lines
    assert "3 Februari 2025" in " ".join(lines)
    snap = version.snapshot
    assert snap["second"]["name"] == "Ir. H. MUHAMMAD FAWAIT, M.Sc." and snap["tanggal"] == "2025-02-03"
    assert [r["indikator"] for r in snap["rows"]] == [t.indicator_text for t in pk.targets]
    assert [p["budget"] for p in snap["programs"]] == ["1500000000", "250500000.5"]
    # a second click makes no identical version
    with pytest.raises(operations.NoChange):
        operations.generate_version(pk, None)


def test_final_pk_sets_the_year_targets_and_locks_the_year(office, pk):
    first = _iku(office)[2]
    row = next(t for t in pk.targets if t.indicator_id == first.id)
    old = _year_target(first)
    rows = [operations._row_values(t) for t in pk.targets]
    for r in rows:
        if r["indicator_id"] == first.id:
            r["target"] = Decimal("95")
    operations.set_rows(pk, None, rows)
    version = operations.generate_version(pk, get_user("sekcam"))
    assert operations.flags(office, 2025)  # the PK's target differs from the IKU's
    assert not operations.is_final(office.id, 2025)  # a draft PK locks nothing
    operations.finalize(pk, version, tiny_pdf("PK ditandatangani"), "pk.pdf", get_user("camat"))
    db.session.commit()
    assert pk.status is PkStatus.FINAL and pk.signed_sha256
    assert _year_target(first) == Decimal("95")
    change = db.session.scalar(sa.select(TargetChange).where(TargetChange.indicator_id == first.id)
                               .order_by(TargetChange.id.desc()))
    assert change.old_value == old and change.new_value == Decimal("95")
    assert change.changed_by_id == get_user("camat").id
    assert is_year_locked(office.id, 2025)
    with pytest.raises(YearLocked):
        iku_ops.set_target(first, get_user("sekcam"), Decimal("90"))
    assert operations.flags(office, 2025) == []
    with pytest.raises(PkError, match="sudah final"):
        operations.set_rows(pk, None, [])
    del row


def test_finalising_a_version_made_before_a_change_is_refused(office, pk):
    version = operations.generate_version(pk, None)
    operations.update_pk(pk, None, {"first_pangkat": "Pembina Tk. I (IV/b)"})
    with pytest.raises(PkError, match="Pihak pertama berubah"):
        operations.finalize(pk, version, tiny_pdf(), "pk.pdf", get_user("camat"))


def test_finalising_needs_a_pdf_and_the_right_role(office, pk):
    version = operations.generate_version(pk, None)
    with pytest.raises(PkError, match="PDF"):
        operations.finalize(pk, version, b"not a pdf", "pk.pdf", get_user("camat"))
    with pytest.raises(PkError, match="Hanya Camat"):
        operations.finalize(pk, version, tiny_pdf(), "pk.pdf", get_user("pmks"))
    assert pk.status is PkStatus.DRAFT


def test_pk_perubahan_keeps_the_first_and_reopens_the_targets(office, pk):
    version = operations.generate_version(pk, None)
    operations.finalize(pk, version, tiny_pdf(), "pk.pdf", get_user("camat"))
    amendment = operations.create_amendment(pk, get_user("sekcam"))
    db.session.commit()
    assert amendment.sequence == 1 and amendment.amends_id == pk.id and amendment.status is PkStatus.DRAFT
    assert [operations._row_values(t) for t in amendment.targets] == [operations._row_values(t) for t in pk.targets]
    assert operations.find_pk(office, 2025) is amendment
    assert db.session.get(PerformanceAgreement, pk.id).is_final  # the first PK is kept
    assert not is_year_locked(office.id, 2025) or operations.is_final(office.id, 2025) is False
    assert operations.is_final(office.id, 2025) is False
    with pytest.raises(PkError, match="sudah ada"):
        operations.create_amendment(pk, None)
    v = operations.generate_version(amendment, None)
    doc = open_docx(operations.version_bytes(v))
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025" in "\n".join(p.text for p in doc.paragraphs)


def test_not_final_a_month_after_the_dpa_is_flagged(office, pk):
    operations.update_pk(pk, None, {"dpa_date": date(2025, 1, 2)})
    assert operations.flags(office, 2025, today=date(2025, 2, 1)) == []
    late = operations.flags(office, 2025, today=date(2025, 2, 11))
    assert any("terlambat 10 hari" in f for f in late)


def test_a_pk_without_an_iku_of_the_year_is_flagged(office, pk):
    rows = [operations._row_values(t) for t in pk.targets][1:]
    operations.set_rows(pk, None, rows)
    assert any("tidak memuat IKU 1" in f for f in operations.flags(office, 2025))


def test_rows_refuse_another_office_or_year_iku(office, other_office, pk):
    from factories import indicator

    for foreign in (indicator(other_office, 42, 2025, measure=_iku(office)[0].measure),
                    indicator(office, 42, 2026, measure=_iku(office)[0].measure)):
        with pytest.raises(PkError, match="bukan IKU tahun 2025"):
            operations.set_rows(pk, None, [{"indicator_text": "x", "indicator_id": foreign.id}])
    assert len(pk.targets) == 6


def test_the_camat_overview_lists_the_pk_flags(client_as, office, pk):
    rows = [operations._row_values(t) for t in pk.targets]
    rows[0]["target"] = Decimal("99")
    operations.set_rows(pk, None, rows)
    operations.update_pk(pk, None, {"dpa_date": date(2025, 1, 2)})
    db.session.commit()
    html = client_as("camat").get("/dasbor/2025").get_data(as_text=True)
    assert 'data-testid="overview-flags"' in html
    assert "Perjanjian Kinerja — Target PK 2025 berbeda dengan target IKU pada IKU 1." in html
    assert "PK 2025 belum final" in html
