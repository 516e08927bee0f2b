from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import seeded_iku
from iku_workflow.capability import Capability
from iku_workflow.extensions import db
from iku_workflow.indicators import locks, operations as ops
from iku_workflow.models import AuditEvent, Indicator, IndikatorTujuan, Target, TargetChange, Tujuan


# A capability declaring a year lock, installed beside the real ones for one test.
LOCK_2025 = Capability("test-lock-2025", year_locks=(lambda office_id, year: year == 2025,))


def test_demo_seed_has_the_decree_for_2025_and_this_year(app, office):
    for year in {2025, date.today().year}:
        rows = db.session.scalars(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year)
                                  .order_by(Indicator.number)).all()
        assert [i.number for i in rows] == [1, 2, 3, 4, 5, 6]
        assert [i.measure for i in rows] == ["document_count", "survey_index", "ratio:activities",
                                             "ratio:complaints", "score:sakip", "ratio:programs"]
        assert [s.code for s in rows[3].sections] == ["trantib"]
        assert db.session.scalar(sa.select(sa.func.count(Tujuan.id)).where(Tujuan.year == year,
                                                                          Tujuan.office_id == office.id)) == 2
        assert db.session.scalar(sa.select(IndikatorTujuan.text).where(IndikatorTujuan.year == year,
                                                                       IndikatorTujuan.office_id == office.id)) == \
            "Hasil Survei Kepuasan Masyarakat (SKM)"
    targets = {i.number: i.targets[0].value for i in db.session.scalars(
        sa.select(Indicator).where(Indicator.year == 2025, Indicator.office_id == office.id))}
    assert targets == {1: 11, 2: 82, 3: 100, 4: 100, 5: 70, 6: 100}


def test_catalogue_shows_one_fraction_for_iku4(client_as, office):
    html = client_as("viewer" if get_user("viewer") else "camat").get("/iku/2025").get_data(as_text=True)
    assert "Hasil Survei Kepuasan Masyarakat (SKM)" in html
    row = html.split('data-iku="4"')[1].split("</tr>")[0]
    assert row.count('class="fraction"') == 1 and "SP4N-LAPOR!" in row


def test_sekcam_edits_indicator_and_audit_records_it(client_as, office):
    c = client_as("sekcam")
    form = c.get("/iku/2025/4/ubah").get_data(as_text=True)
    assert "ratio:complaints" in form
    trantib = next(s for s in office.sections if s.code == "trantib")
    blocks = [{"type": "para", "text": "Baru"}, {"type": "bullets", "items": ["satu", "dua"]}]
    response = c.post("/iku/2025/4/ubah", data={
        "kinerja_utama": "KU", "name": "Nama baru", "formulation": "Baru\r\n- satu\r\n- dua", "bidang_text": "Seksi Trantib",
        "sections": [trantib.id], "sumber_data": "SD", "unit": "%", "polarity": "lower", "lower_formula": "t_over_r",
        "year_rule": "last", "measure": "ratio:complaints"})
    assert response.status_code == 302
    db.session.expire_all()
    iku = seeded_iku(office, 4)
    assert iku.name == "Nama baru" and iku.formulation == blocks and iku.polarity.value == "lower"
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicator.updated")) is not None


def test_bad_formulation_markup_keeps_the_form(client_as, office):
    c = client_as("sekcam")
    response = c.post("/iku/2025/4/ubah", data={
        "kinerja_utama": "KU", "name": "Nama tetap", "formulation": "Pembilang\n-----", "bidang_text": "",
        "sumber_data": "", "unit": "%", "polarity": "higher", "lower_formula": "2t_minus_r", "year_rule": "last",
        "measure": "ratio:complaints"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Baris 2: di bawah garis pecahan harus ada penyebut" in html
    assert "Nama tetap" in html and "Pembilang\n-----" in html
    db.session.expire_all()
    assert seeded_iku(office, 4).name != "Nama tetap"


def test_operators_cannot_edit_indicators_or_targets(client_as, office):
    c = client_as("trantib")
    assert c.get("/iku/2025/4/ubah").status_code == 403
    assert c.post("/iku/2025/target", data={"t-4-y": "90"}).status_code == 403


def test_targets_per_year_and_triwulan_with_history(client_as, office):
    c = client_as("sekcam")
    response = c.post("/iku/2025/target", data={"t-4-y": "95", "t-4-1": "90", "t-1-y": "11", "t-2-y": "82,5",
                                                "t-3-y": "100", "t-5-y": "70", "t-6-y": "100"})
    assert response.status_code == 302
    db.session.expire_all()
    iku4 = seeded_iku(office, 4)
    assert {t.triwulan: t.value for t in iku4.targets} == {None: Decimal("95"), 1: Decimal("90")}
    assert seeded_iku(office, 2).targets[0].value == Decimal("82.5")
    changes = db.session.scalars(sa.select(TargetChange).where(TargetChange.indicator_id == iku4.id)
                                 .order_by(TargetChange.id)).all()
    assert [(c.triwulan, c.old_value, c.new_value) for c in changes] == [(None, 100, 95), (1, None, 90)]
    assert changes[0].changed_by_id == get_user("sekcam").id
    page = c.get("/iku/2025/target").get_data(as_text=True)
    assert "Riwayat perubahan target" in page and "82,5" in page


def test_bad_target_is_refused_and_values_kept(client_as, office):
    c = client_as("sekcam")
    html = c.post("/iku/2025/target", data={"t-4-y": "-3", "t-1-y": "abc"}).get_data(as_text=True)
    assert "Isi angka tidak negatif" in html and 'value="abc"' in html
    db.session.expire_all()
    assert seeded_iku(office, 4).targets[0].value == 100


@pytest.mark.parametrize("extra_capabilities", [(LOCK_2025,)], ids=["lock-2025"])
def test_locked_year_refuses_edits(client_as, office):
    assert locks.is_year_locked(office.id, 2025) and not locks.is_year_locked(office.id, 2026)
    c = client_as("sekcam")
    response = c.post("/iku/2025/target", data={"t-4-y": "50"}, follow_redirects=True)
    assert "keputusan final" in response.get_data(as_text=True)
    response = c.get("/iku/2025/4/ubah", follow_redirects=True)
    assert "keputusan final" in response.get_data(as_text=True)
    with pytest.raises(locks.YearLocked):
        ops.set_target(seeded_iku(office, 4), get_user("sekcam"), Decimal(1))
    with pytest.raises(locks.YearLocked):
        ops.update_indicator(seeded_iku(office, 4), get_user("sekcam"), name="x")
    db.session.expire_all()
    assert seeded_iku(office, 4).targets[0].value == 100


def test_copy_year_forward(client_as, office):
    c = client_as("sekcam")
    c.post("/iku/2025/target", data={"t-4-y": "90"})
    response = c.post("/iku/2025/salin", data={"dest": 2030, "with_targets": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/iku/2030")
    copied = db.session.scalars(sa.select(Indicator).where(Indicator.year == 2030).order_by(Indicator.number)).all()
    assert len(copied) == 6 and copied[3].targets[0].value == 90 and [s.code for s in copied[3].sections] == ["trantib"]
    assert db.session.scalar(sa.select(sa.func.count(Tujuan.id)).where(Tujuan.year == 2030)) == 2
    again = c.post("/iku/2025/salin", data={"dest": 2030}, follow_redirects=True).get_data(as_text=True)
    assert "sudah memiliki indikator" in again


def test_copy_without_targets(app, office):
    assert ops.copy_year(office.id, 2025, 2031, get_user("admin")) == 6
    assert db.session.scalar(sa.select(sa.func.count(Target.id)).join(Indicator).where(Indicator.year == 2031)) == 0


def test_other_office_cannot_see_indicators(client_as, office, other_office):
    c = client_as("admin-puger")
    assert c.get("/iku/2025/4/ubah").status_code == 404
    assert "Belum ada IKU" in c.get("/iku/2025").get_data(as_text=True)
