"""The office's desa list (Admin → Desa) and the register forms' dropdown that chooses from it."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import Activity, AuditEvent, Complaint, ComplaintChannel, ComplaintStatus, Desa
from iku_workflow.registers import desa as desa_ops
from iku_workflow.registers import operations as reg_ops

GUMUKMAS = ["Bagorejo", "Gumukmas", "Karangrejo", "Kepanjen", "Mayangan", "Menampu", "Purwoasri", "Tembokrejo"]
COMPLAINT = {"received_on": "2025-04-02", "channel": "sp4n", "summary": "Balap liar", "status": "masuk"}


def _desa(office, name) -> Desa:
    return db.session.scalar(sa.select(Desa).where(Desa.office_id == office.id, Desa.name == name))


def _names(office) -> list[str]:
    return [d.name for d in desa_ops.office_desa(office.id)]


def _dropdown(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="desa"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [v for v in re.findall(r'<option[^>]*value="([^"]*)"', select) if v]


def test_the_demo_office_has_the_desa_of_kecamatan_gumukmas(office, admin):
    assert _names(office) == GUMUKMAS
    html = admin.get("/admin/desa").get_data(as_text=True)
    assert [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<tr data-desa="\d+"><td>\d+</td><td>([^<]+)</td>', html)] \
        == GUMUKMAS


def test_admin_adds_a_desa_and_a_second_spelling_is_refused(office, admin):
    response = admin.post("/admin/desa", data={"name": "  Sumber   Agung "})
    assert response.status_code == 302
    assert _names(office)[-1] == "Sumber Agung"
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "desa.created",
                                                         AuditEvent.office_id == office.id)
                             .order_by(AuditEvent.id.desc())).details["name"] == "Sumber Agung"
    for spelling in ("kepanjen ", "KEPANJEN", " sumber agung"):
        response = admin.post("/admin/desa", data={"name": spelling})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, spelling
        assert "sudah ada dalam daftar" in html and f'value="{spelling}"' in html  # the input is kept
    response = admin.post("/admin/desa", data={"name": "   "})
    assert response.status_code == 422 and "Nama desa wajib diisi" in response.get_data(as_text=True)
    assert len(_names(office)) == 9


def test_renaming_a_desa_renames_the_rows_that_name_it(office, admin):
    complaint = mk.complaint(office)  # desa "Gumukmas"
    activity = reg_ops.create_row(office, get_user("pmks"), "kegiatan", 2025, name="Pelatihan", kind="pelatihan",
                                  planned_triwulan=1, desa="Gumukmas", facilitated=False, facilitated_on=None)
    untouched = mk.activity(office)  # "Karangrejo"
    db.session.commit()
    gumukmas = _desa(office, "Gumukmas")
    page = admin.get(f"/admin/desa/{gumukmas.id}").get_data(as_text=True)
    assert "2 data pengaduan dan kegiatan mencatat desa ini" in page
    response = admin.post(f"/admin/desa/{gumukmas.id}", data={"name": "Gumuk Mas", "position": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).desa == "Gumuk Mas"
    assert db.session.get(Activity, activity.id).desa == "Gumuk Mas"
    assert db.session.get(Activity, untouched.id).desa == "Karangrejo"
    assert db.session.get(Desa, gumukmas.id).name_key == "gumuk mas"
    # to another desa's name (after normalisation): refused, nothing renamed
    response = admin.post(f"/admin/desa/{gumukmas.id}", data={"name": " kepanjen"})
    assert response.status_code == 422 and "sudah ada dalam daftar" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Desa, gumukmas.id).name == "Gumuk Mas"
    # its own name in other capitals is a rename, not a clash
    assert admin.post(f"/admin/desa/{gumukmas.id}", data={"name": "GUMUK MAS"}).status_code == 302


def test_deactivating_asks_first_and_the_dropdown_stops_offering_it(office, admin, client_as):
    menampu = _desa(office, "Menampu")
    question = admin.get(f"/admin/desa/{menampu.id}/nonaktif")
    assert question.status_code == 200 and "Nonaktifkan desa Menampu?" in question.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Desa, menampu.id).active is True  # asking changed nothing
    assert admin.post(f"/admin/desa/{menampu.id}/nonaktif").status_code == 302
    db.session.expire_all()
    assert db.session.get(Desa, menampu.id).active is False
    trantib = client_as("trantib")
    form = trantib.get("/register/pengaduan/2025/baru").get_data(as_text=True)
    assert _dropdown(form) == [d for d in GUMUKMAS if d != "Menampu"]
    # posted anyway: refused next to the field, nothing stored
    response = trantib.post("/register/pengaduan/2025/baru", data={**COMPLAINT, "desa": "Menampu"})
    assert "Balap liar" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0
    # the admin's list still shows it, inactive, with a button to activate it again
    assert admin.post(f"/admin/desa/{menampu.id}/aktif").status_code == 302
    db.session.expire_all()
    assert db.session.get(Desa, menampu.id).active is True


def test_an_old_row_keeps_its_inactive_desa_when_edited(office, admin, client_as):
    row = reg_ops.create_row(office, get_user("trantib"), "pengaduan", 2025, received_on=date(2025, 4, 2),
                             channel=ComplaintChannel.SP4N, desa="Menampu", summary="Balap liar",
                             status=ComplaintStatus.MASUK, resolved_on=None, resolution="")
    db.session.commit()
    desa_ops.set_active(_desa(office, "Menampu"), False)
    db.session.commit()
    trantib = client_as("trantib")
    html = trantib.get(f"/register/pengaduan/data/{row.id}/ubah").get_data(as_text=True)
    assert "Menampu" in _dropdown(html) and '<option selected value="Menampu">' in html
    # a new row is not offered it
    assert "Menampu" not in _dropdown(trantib.get("/register/pengaduan/2025/baru").get_data(as_text=True))


def test_the_dropdown_offers_only_the_offices_desa(office, other_office, client_as):
    desa_ops.add(other_office, "Mojomulyo")
    db.session.commit()
    trantib = client_as("trantib")
    assert _dropdown(trantib.get("/register/pengaduan/2025/baru").get_data(as_text=True)) == GUMUKMAS
    assert _dropdown(client_as("pmks").get("/register/kegiatan/2025/baru").get_data(as_text=True)) == GUMUKMAS
    trantib.post("/register/pengaduan/2025/baru", data={**COMPLAINT, "desa": "Mojomulyo"})
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 0
    assert trantib.post("/register/pengaduan/2025/baru", data={**COMPLAINT, "desa": "Kepanjen"}).status_code == 302
    assert db.session.scalar(sa.select(Complaint.desa)) == "Kepanjen"


def test_another_offices_desa_is_not_found(office, other_office, admin):
    theirs = desa_ops.add(other_office, "Mojomulyo")
    db.session.commit()
    for method, url in (("GET", f"/admin/desa/{theirs.id}"), ("POST", f"/admin/desa/{theirs.id}"),
                        ("GET", f"/admin/desa/{theirs.id}/nonaktif"), ("POST", f"/admin/desa/{theirs.id}/nonaktif"),
                        ("POST", f"/admin/desa/{theirs.id}/aktif")):
        assert admin.open(url, method=method, data={"name": "Direbut"}).status_code == 404, (method, url)
    db.session.expire_all()
    assert db.session.get(Desa, theirs.id).name == "Mojomulyo" and db.session.get(Desa, theirs.id).active


def test_a_new_office_starts_with_an_empty_list(office, other_office, client_as):
    assert _names(other_office) == []
    html = client_as("admin-puger").get("/admin/desa").get_data(as_text=True)
    assert 'data-testid="empty"' in html
    # its operator's form offers no desa (the admin fills the list)
    assert _dropdown(client_as("trantib-puger").get("/register/pengaduan/2025/baru").get_data(as_text=True)) == []


def test_the_cli_imports_a_list_once_and_all_or_nothing(office, other_office, runner, tmp_path):
    good = tmp_path / "desa.csv"
    good.write_text("Nama desa\nMojomulyo\n mojomulyo \nPuger Kulon,catatan\n\n", encoding="utf-8")
    result = runner.invoke(args=["desa", "import", "--office", "puger", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 desa ditambahkan" in result.output
    assert _names(other_office) == ["Mojomulyo", "Puger Kulon"]
    again = runner.invoke(args=["desa", "import", "--office", "puger", str(good)])
    assert "0 desa ditambahkan" in again.output and _names(other_office) == ["Mojomulyo", "Puger Kulon"]
    bad = tmp_path / "bad.csv"
    bad.write_text("Wonosari\n" + "x" * 200 + "\n", encoding="utf-8")
    result = runner.invoke(args=["desa", "import", "--office", "puger", str(bad)])
    assert result.exit_code == 1 and "Tidak ada desa yang ditambahkan" in result.output
    db.session.expire_all()
    assert _names(other_office) == ["Mojomulyo", "Puger Kulon"]
    assert _names(office) == GUMUKMAS  # the other office's list is its own
