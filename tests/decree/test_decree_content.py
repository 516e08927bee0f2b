"""A new decree starts from the reference decree, adjusted to the year and the office."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import get_user
from iku_workflow.decree import content, operations, sources
from iku_workflow.extensions import db
from iku_workflow.seed import gumukmas_2025 as seed


def test_new_decree_has_the_reference_texts(app, office):
    decree = operations.create_decree(office, 2026, get_user("sekcam"))
    db.session.commit()
    assert len(decree.menimbang) == 1 and decree.menimbang[0].startswith("bahwa untuk melaksanakan")
    assert len(decree.mengingat) == 9 and decree.mengingat[0].startswith("Undang-Undang Nomor 23 Tahun 2014")
    assert len(decree.diktum) == 6 and decree.diktum[-1]["text"].endswith("mulai berlaku pada tanggal ditetapkan.")
    assert decree.tentang == "Indikator Kinerja Utama Kecamatan Gumukmas Kabupaten Jember"
    assert decree.nomor == "000.8.6.3/   /35.09.04/2026"
    assert decree.tempat == "Gumukmas" and decree.tanggal is None
    assert decree.tugas == seed.TUGAS and decree.fungsi == seed.FUNGSI
    assert decree.memperhatikan == [] and decree.tembusan == []


def test_year_adjustment_and_nomor_pattern_of_the_previous_year(app, office):
    earlier = operations.find_decree(office, 2025)  # the demo seed's reference decree
    assert earlier.nomor == "000.8.6.3/52/35.09.04/2025"
    later = operations.create_decree(office, 2030, None)
    assert later.nomor == "000.8.6.3/   /35.09.04/2030"
    ctx, from_seed = content.decree_context(later)
    assert from_seed  # no indicators for 2030 in this office (demo seeds none): the seed's IKU texts
    iku6 = ctx.annex.rows[5].formulation[1]["text"]
    assert "pada tahun 2030" in iku6 and "{year}" not in iku6


def test_other_office_gets_its_own_names(app, other_office):
    decree = operations.create_decree(other_office, 2026, None)
    assert decree.tentang == "Indikator Kinerja Utama Kecamatan Puger Kabupaten Jember"
    assert "Camat Puger" in decree.menimbang[0] and "Gumukmas" not in decree.menimbang[0]
    assert decree.tempat == "Puger"
    annex = sources.annex_content(other_office, 2026, decree).content
    assert annex.instansi == "Kecamatan Puger" and "Gumukmas" not in " ".join(annex.tujuan)


def test_signatory_from_the_office_profile(app, office):
    office.signatory_acting = "Plt."
    decree = operations.create_decree(office, 2026, None)
    ctx, _ = content.decree_context(decree)
    sig = ctx.signatory
    assert (sig.jabatan, sig.acting, sig.pangkat, sig.nip) == ("CAMAT GUMUKMAS", "Plt.", "Pembina", "198406242002121001")
    assert sig.name == seed.OFFICE["camat_name"]
    assert ctx.paper == "F4" and [d.text for d in ctx.diktum] == [d["text"] for d in decree.diktum]


def test_duplicate_year_and_out_of_range_are_refused(app, office):
    operations.create_decree(office, 2026, None)
    with pytest.raises(operations.DecreeError, match="sudah ada"):
        operations.create_decree(office, 2026, None)
    with pytest.raises(operations.DecreeError, match="rentang"):
        operations.create_decree(office, 1999, None)


def test_update_records_changed_fields(app, office):
    from iku_workflow.models import AuditEvent

    decree = operations.create_decree(office, 2026, None)
    changed = operations.update_decree(decree, get_user("sekcam"), {"tanggal": date(2026, 2, 12), "tempat": "Gumukmas"})
    assert changed == ["tanggal"]
    event = db.session.query(AuditEvent).filter_by(action="decree.updated", object_id=decree.id).one()
    assert event.details["fields"] == ["tanggal"] and event.username == "sekcam"


def test_demo_seed_holds_the_2025_reference_decree_once(app, office):
    from iku_workflow.seed.demo import seed_demo
    from conftest import PASSWORD

    decree = operations.find_decree(office, 2025)
    assert decree is not None and decree.nomor == seed.NOMOR and decree.tanggal == date(2025, 2, 12)
    seed_demo(PASSWORD, echo=lambda _m: None)  # idempotent
    assert operations.find_decree(office, 2025).id == decree.id
