"""Issue 12: every office keeps its own catalogue of document types (/dokumen/jenis): add one (code made
from the name or typed), rename it, deactivate it (in use) or delete it (unused, after a confirmation);
and an office started the production way (no demo) builds its whole list from nothing through the pages."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from factories import form_with
from iku_workflow.documents import operations as doc_ops
from iku_workflow.extensions import db
from iku_workflow.models import (AuditEvent, DocumentGroup, DocumentType, Indicator, IndikatorTujuan, RequiredDocument,
                                 Role, Target, Tujuan, User)
from iku_workflow.security import hash_password
from iku_workflow.seed.demo import create_office


def _type(office, code):
    db.session.expire_all()
    return db.session.scalar(sa.select(DocumentType).where(DocumentType.office_id == office.id,
                                                           DocumentType.code == code))


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def _block(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start:start + 800]


# ------------------------------------------------------------------ the page and adding

def test_the_requirements_page_links_to_the_types_page(client_as, office):
    c = client_as("sekcam")
    html = c.get("/dokumen/2025/daftar").get_data(as_text=True)
    assert 'href="/dokumen/jenis?tahun=2025"' in html
    page = c.get("/dokumen/jenis?tahun=2025").get_data(as_text=True)
    assert "Dokumen LAKIP" in page and 'data-type="laporan_skm"' in page
    assert 'href="/dokumen/2025/daftar"' in page  # the way back


def test_sekcam_adds_a_type_with_a_code_made_from_its_name(client_as, office):
    c = client_as("sekcam")
    response = c.post("/dokumen/jenis", data={"name": "Laporan Kinerja (LKj) Triwulan", "group": "lakip", "code": ""})
    assert response.status_code == 302
    row = _type(office, "laporan_kinerja_lkj_triwulan")
    assert (row.name, row.group, row.active) == ("Laporan Kinerja (LKj) Triwulan", DocumentGroup.LAKIP, True)
    event = _events("documents.type.create")[0]
    assert event.object_id == row.id and event.details["code"] == row.code and event.user_id == get_user("sekcam").id
    # offered for a year's list now
    assert "Laporan Kinerja (LKj) Triwulan" in c.get("/dokumen/2025/daftar").get_data(as_text=True)
    # the same name again is refused; a new name whose code exists gets a suffix
    response = c.post("/dokumen/jenis", data={"name": "laporan kinerja (lkj) triwulan", "group": "lakip"})
    assert response.status_code == 400 and "sudah ada" in _block(response.get_data(as_text=True), "name")
    c.post("/dokumen/jenis", data={"name": "Laporan Kinerja LKj Triwulan", "group": "lakip"})
    assert _type(office, "laporan_kinerja_lkj_triwulan_2") is not None


def test_admin_adds_a_type_with_a_typed_code(client_as, office):
    response = client_as("admin").post("/dokumen/jenis", data={"name": "Renstra Kecamatan", "group": "organisasi",
                                                               "code": "Renstra"})
    assert response.status_code == 302
    assert _type(office, "renstra").group is DocumentGroup.ORGANISASI


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "group": "lakip"}, "name", ""),
    ({"name": "Renstra", "group": ""}, "group", "Pilih kelompok"),
    ({"name": "Renstra", "group": "bukan"}, "group", ""),
    ({"name": "Renstra", "group": "lakip", "code": "laporan_skm"}, "code", "sudah dipakai"),
    ({"name": "Renstra", "group": "lakip", "code": "kode dengan spasi"}, "code", "huruf kecil"),
])
def test_bad_input_is_shown_next_to_the_field_and_kept(client_as, office, data, field, message):
    before = db.session.scalar(sa.select(sa.func.count(DocumentType.id)))
    response = client_as("sekcam").post("/dokumen/jenis", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = _block(html.split('data-testid="add-type-form"')[1], field)
    assert "invalid-feedback" in block and message in block
    if data["name"]:
        assert f'value="{data["name"]}"' in html.split('data-testid="add-type-form"')[1]
    assert db.session.scalar(sa.select(sa.func.count(DocumentType.id))) == before
    assert _events("documents.type.create") == []


def test_create_document_type_is_callable_without_a_request(app, office):
    row = doc_ops.create_document_type(office, None, name="Rencana Kerja (Renja)", group=DocumentGroup.LAKIP)
    typed = doc_ops.create_document_type(office, None, name="Lain", group="pelayanan", code="lain_lain")
    db.session.commit()
    assert (row.code, typed.code, typed.group) == ("rencana_kerja_renja", "lain_lain", DocumentGroup.PELAYANAN)
    with pytest.raises(doc_ops.DocumentTypeError) as refused:
        doc_ops.create_document_type(office, None, name="Lain lagi", group="lakip", code="lain_lain")
    assert refused.value.field == "code"


# ------------------------------------------------------------------ rename, deactivate, delete

def test_rename_keeps_the_code(client_as, office):
    row = _type(office, "laporan_skm")
    response = client_as("sekcam").post(f"/dokumen/jenis/{row.id}/ubah",
                                        data={f"t{row.id}-name": "Laporan Hasil SKM", f"t{row.id}-group": "pelayanan"})
    assert response.status_code == 302
    row = _type(office, "laporan_skm")
    assert row.name == "Laporan Hasil SKM"
    assert _events("documents.type.update")[0].details["before"]["name"] == "Laporan Survei Kepuasan Masyarakat"
    response = client_as("sekcam").post(f"/dokumen/jenis/{row.id}/ubah",
                                        data={f"t{row.id}-name": "Dokumen LAKIP", f"t{row.id}-group": "pelayanan"})
    assert response.status_code == 400 and "sudah ada" in response.get_data(as_text=True)
    assert _type(office, "laporan_skm").name == "Laporan Hasil SKM"


def test_a_type_in_use_is_deactivated_not_deleted(client_as, office):
    c = client_as("sekcam")
    row = _type(office, "sop")
    assert doc_ops.type_uses(row) >= 1
    html = c.get("/dokumen/jenis").get_data(as_text=True)
    assert f'href="/dokumen/jenis/{row.id}/hapus"' not in html
    page = c.get(f"/dokumen/jenis/{row.id}/hapus").get_data(as_text=True)
    assert "tidak dapat dihapus" in page and 'data-testid="confirm-remove"' not in page
    response = c.post(f"/dokumen/jenis/{row.id}/hapus", data={}, follow_redirects=True)
    assert "tidak dapat dihapus" in response.get_data(as_text=True)
    assert _type(office, "sop") is not None
    assert c.post(f"/dokumen/jenis/{row.id}/status", data={}).status_code == 302
    assert _type(office, "sop").active is False
    assert _events("documents.type.deactivate")[0].object_id == row.id
    # no longer offered for a year that does not require it yet; the years that do keep it
    year = 2031
    add_form = c.get(f"/dokumen/{year}/daftar").get_data(as_text=True).split('data-testid="add-form"')[1]
    assert "SOP Pelayanan Publik" not in add_form and "Peta Jabatan" in add_form
    assert "SOP Pelayanan Publik" in c.get("/dokumen/2025").get_data(as_text=True)
    c.post(f"/dokumen/jenis/{row.id}/status", data={})
    assert _type(office, "sop").active is True
    assert _events("documents.type.activate")


def test_an_unused_type_is_deleted_after_a_confirmation_naming_it(client_as, office):
    c = client_as("admin")
    row = doc_ops.create_document_type(office, None, name="Dokumen Sementara", group="anjab")
    db.session.commit()
    assert f'href="/dokumen/jenis/{row.id}/hapus"' in c.get("/dokumen/jenis").get_data(as_text=True)
    page = c.get(f"/dokumen/jenis/{row.id}/hapus").get_data(as_text=True)
    assert "Dokumen Sementara" in page and 'data-testid="confirm-remove"' in page
    assert _type(office, row.code) is not None
    assert c.post(f"/dokumen/jenis/{row.id}/hapus", data={}).status_code == 302
    assert _type(office, "dokumen_sementara") is None
    assert _events("documents.type.delete")[0].details["row"]["name"] == "Dokumen Sementara"


# ------------------------------------------------------------------ roles and offices

@pytest.mark.parametrize("username", ["pemerintahan", "camat", "viewer"])
def test_other_roles_are_refused(client_as, office, viewer, username):
    c = client_as(username)
    row = _type(office, "abk")
    for method, url, data in [("GET", "/dokumen/jenis", None), ("POST", "/dokumen/jenis", {"name": "X", "group": "lakip"}),
                              ("POST", f"/dokumen/jenis/{row.id}/ubah", {f"t{row.id}-name": "X",
                                                                         f"t{row.id}-group": "lakip"}),
                              ("POST", f"/dokumen/jenis/{row.id}/status", {}),
                              ("GET", f"/dokumen/jenis/{row.id}/hapus", None),
                              ("POST", f"/dokumen/jenis/{row.id}/hapus", {})]:
        assert c.open(url, method=method, data=data).status_code == 403, (username, method, url)
    row = _type(office, "abk")
    assert (row.name, row.active) == ("Analisis Beban Kerja (ABK)", True)
    assert _type(office, "x") is None


def test_an_office_never_sees_or_changes_another_offices_types(client_as, office, other_office):
    puger_type = doc_ops.create_document_type(other_office, None, name="Dokumen Khusus Puger", group="lakip")
    db.session.commit()
    gumukmas = _type(office, "abk")
    puger = client_as("sekcam-puger")
    html = puger.get("/dokumen/jenis").get_data(as_text=True)
    assert "Dokumen Khusus Puger" in html and "Analisis Beban Kerja" not in html
    for method, url, data in [("POST", f"/dokumen/jenis/{gumukmas.id}/ubah",
                               {f"t{gumukmas.id}-name": "Diubah", f"t{gumukmas.id}-group": "lakip"}),
                              ("POST", f"/dokumen/jenis/{gumukmas.id}/status", {}),
                              ("GET", f"/dokumen/jenis/{gumukmas.id}/hapus", None),
                              ("POST", f"/dokumen/jenis/{gumukmas.id}/hapus", {})]:
        assert puger.open(url, method=method, data=data).status_code == 404, (method, url)
    row = _type(office, "abk")
    assert (row.name, row.active) == ("Analisis Beban Kerja (ABK)", True)
    # the same code in two offices is two types; Gumukmas' sekcam does not see Puger's
    assert puger.post("/dokumen/jenis", data={"name": "ABK Puger", "group": "anjab", "code": "abk"}).status_code == 302
    assert _type(other_office, "abk").name == "ABK Puger" and _type(office, "abk").name == "Analisis Beban Kerja (ABK)"
    assert "Dokumen Khusus Puger" not in client_as("sekcam").get("/dokumen/jenis").get_data(as_text=True)
    assert client_as("sekcam").get(f"/dokumen/jenis/{puger_type.id}/hapus").status_code == 404


# ------------------------------------------------------------------ a production start, through the pages only

def test_an_office_without_demo_builds_its_whole_list_from_nothing(app, office, client_as):
    new = create_office("wuluhan", "Wuluhan", "Jember")  # what `iku-workflow office create` makes: no seeders
    db.session.flush()
    sekretariat = next(s for s in new.sections if s.code == "sekretariat")
    db.session.add(User(office_id=new.id, username="sekcam-wuluhan", full_name="Sekcam Wuluhan", role=Role.SEKCAM,
                        section_id=sekretariat.id, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    for model in (DocumentType, Indicator, Tujuan, RequiredDocument):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.office_id == new.id)) == 0
    year = date.today().year
    c = client_as("sekcam-wuluhan")

    # nothing to choose yet on the requirements page: the way to the types page is shown
    html = c.get(f"/dokumen/{year}/daftar").get_data(as_text=True)
    assert 'data-testid="no-free-types"' in html

    # the tujuan
    html = c.get(f"/iku/{year}").get_data(as_text=True)
    assert 'data-testid="no-indicators"' in html and 'data-testid="no-tujuan"' in html
    form = form_with(c.get(f"/iku/{year}/tujuan").get_data(as_text=True), "tujuan")
    assert c.post(f"/iku/{year}/tujuan", data=form.data(tujuan="Terwujudnya tata kelola kecamatan yang baik",
                                                        indikator_tujuan="Nilai SAKIP kecamatan")).status_code == 302

    # an indicator, measured by the approved documents, number 1 proposed
    form = form_with(c.get(f"/iku/{year}/baru").get_data(as_text=True), "number")
    assert form.value("number") == "1"
    response = c.post(f"/iku/{year}/baru", data=form.data(
        kinerja_utama="Meningkatnya kualitas tata laksana", name="Jumlah dokumen tata laksana",
        measure="document_count", unit="dokumen", bidang_text="Sekretariat", sumber_data="Arsip",
        sections=str(sekretariat.id), action="save"))
    assert response.status_code == 302, response.get_data(as_text=True)

    # its target
    assert c.post(f"/iku/{year}/target", data={"t-1-y": "3"}).status_code == 302

    # a document type and a required document of it
    form = form_with(c.get("/dokumen/jenis").get_data(as_text=True), "code")
    assert c.post("/dokumen/jenis", data=form.data(name="Laporan Kinerja Kecamatan", group="lakip")).status_code == 302
    doc_type = _type(new, "laporan_kinerja_kecamatan")
    form = form_with(c.get(f"/dokumen/{year}/daftar").get_data(as_text=True), "type_id")
    response = c.post(f"/dokumen/{year}/daftar", data=form.data(type_id=str(doc_type.id),
                                                                section_id=str(sekretariat.id),
                                                                due_date=f"{year}-06-30"))
    assert response.status_code == 302

    # what the office sees
    catalogue = c.get(f"/iku/{year}").get_data(as_text=True)
    assert "Terwujudnya tata kelola kecamatan yang baik" in catalogue and "Nilai SAKIP kecamatan" in catalogue
    assert 'data-iku="1"' in catalogue and "Jumlah dokumen tata laksana" in catalogue
    documents = c.get(f"/dokumen/{year}").get_data(as_text=True)
    assert "Laporan Kinerja Kecamatan" in documents
    dashboard = c.get(f"/dasbor/{year}")
    assert dashboard.status_code == 200
    assert "Jumlah dokumen tata laksana" in dashboard.get_data(as_text=True)
    db.session.expire_all()
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.office_id == new.id))
    assert (indicator.number, indicator.measure, indicator.year_rule.value) == (1, "document_count", "cumulative")
    assert db.session.scalar(sa.select(Target.value).where(Target.indicator_id == indicator.id)) == 3
    assert db.session.scalar(sa.select(IndikatorTujuan.text).where(IndikatorTujuan.office_id == new.id)) == \
        "Nilai SAKIP kecamatan"
    required = db.session.scalar(sa.select(RequiredDocument).where(RequiredDocument.office_id == new.id))
    assert required.type_id == doc_type.id and required.entry.section_id == sekretariat.id
    # the demo office was not touched
    assert "Laporan Kinerja Kecamatan" not in client_as("sekcam").get(f"/dokumen/{year}").get_data(as_text=True)


def test_the_new_pages_speak_english_to_an_english_user(client_as, office):
    get_user("sekcam").locale = "en"
    db.session.commit()
    c = client_as("sekcam")
    assert "Add KPI" in c.get("/iku/2025").get_data(as_text=True)
    assert "Add a KPI for 2025" in c.get("/iku/2025/baru").get_data(as_text=True)
    assert "Delete KPI 2 of 2025?" in c.get("/iku/2025/2/hapus").get_data(as_text=True)
    html = c.get("/dokumen/jenis").get_data(as_text=True)
    assert "This office&#39;s document types" in html or "This office's document types" in html
    assert "Add document type" in html and "Tambah jenis dokumen" not in html


def test_without_its_csrf_token_no_type_changes(csrf_app):
    from test_csrf import signed_in, token_from

    c = signed_in(csrf_app, "sekcam")
    office = get_user("sekcam").office
    row = _type(office, "abk")
    assert c.post("/dokumen/jenis", data={"name": "Baru", "group": "lakip"}).status_code == 400
    assert c.post(f"/dokumen/jenis/{row.id}/ubah", data={f"t{row.id}-name": "X",
                                                         f"t{row.id}-group": "lakip"}).status_code == 400
    assert c.post(f"/dokumen/jenis/{row.id}/status", data={}).status_code == 400
    assert c.post(f"/dokumen/jenis/{row.id}/hapus", data={}).status_code == 400
    row = _type(office, "abk")
    assert (row.name, row.active) == ("Analisis Beban Kerja (ABK)", True) and _type(office, "baru") is None
    token = token_from(c, "/dokumen/jenis")
    assert c.post("/dokumen/jenis", data={"name": "Baru", "group": "lakip", "csrf_token": token}).status_code == 302
    assert _type(office, "baru") is not None
