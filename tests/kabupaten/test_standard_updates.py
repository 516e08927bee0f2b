"""The standard sets in the app, and their later changes offered to offices, never forced over their edits."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from iku_workflow.extensions import db
from iku_workflow.kabupaten import standard
from iku_workflow.models import (AuditEvent, Indicator, Office, RequiredDocument, StandardDocument, StandardIndicator)

YEAR = date.today().year


def _std(office, number) -> StandardIndicator:
    return db.session.scalar(sa.select(StandardIndicator).where(
        StandardIndicator.kabupaten_id == office.kabupaten_id, StandardIndicator.year == YEAR,
        StandardIndicator.number == number))


def _ind(office, number) -> Indicator:
    return db.session.scalar(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == YEAR,
                                                        Indicator.number == number))


def _edit_standard(client, std, **changes):
    from iku_workflow.domain.formulation_text import blocks_to_text

    data = {"kinerja_utama": std.kinerja_utama, "name": std.name, "sumber_data": std.sumber_data,
            "bidang_text": std.bidang_text, "section_codes": ", ".join(std.section_codes),
            "formulation": blocks_to_text(std.formulation or []), "unit": std.unit.value,
            "polarity": std.polarity.value, "lower_formula": std.lower_formula.value,
            "year_rule": std.year_rule.value, "measure": std.measure,
            "default_target": "" if std.default_target is None else format(std.default_target.normalize(), "f").replace(".", ",")}
    data.update(changes)
    return client.post(f"/kabupaten/standar/iku/{std.id}", data=data)


def test_the_kabupaten_admin_edits_the_iku_set_and_the_jadwal(kab_admin, kab_viewer, office):
    page = kab_admin.get(f"/kabupaten/standar/{YEAR}").get_data(as_text=True)
    assert "Standar Kabupaten Jember tahun" in page and "Indeks Kepuasan Masyarakat" in page
    std = _std(office, 4)
    assert _edit_standard(kab_admin, std, name="Persentase pengaduan tuntas").status_code == 302
    db.session.expire_all()
    assert _std(office, 4).name == "Persentase pengaduan tuntas"
    refused = _edit_standard(kab_admin, _std(office, 4), section_codes="trantib, gudang")
    assert refused.status_code == 422 and "Kode seksi tidak dikenal: gudang" in refused.get_data(as_text=True)
    # the jadwal: a new required document with its due date, and a due date of a day that does not exist
    added = kab_admin.post(f"/kabupaten/standar/{YEAR}/dokumen/baru", data={
        "code": "renja", "name": "Renja Kecamatan", "group": "organisasi", "section_code": "sekretariat",
        "due_month": "5", "due_day": "31"})
    assert added.status_code == 302
    row = db.session.scalar(sa.select(StandardDocument).where(StandardDocument.code == "renja"))
    assert (row.due_month, row.due_day, row.year) == (5, 31, YEAR)
    bad = kab_admin.post(f"/kabupaten/standar/{YEAR}/dokumen/baru", data={
        "code": "pk", "name": "Perjanjian Kinerja", "group": "organisasi", "section_code": "sekretariat",
        "due_month": "2", "due_day": "30"})
    assert bad.status_code == 422 and "Tanggal itu tidak ada" in bad.get_data(as_text=True)
    clash = kab_admin.post(f"/kabupaten/standar/{YEAR}/dokumen/baru", data={
        "code": "lakip", "name": "Lagi", "group": "lakip", "section_code": "sekretariat", "due_month": "1", "due_day": "1"})
    assert clash.status_code == 422 and "sudah dipakai" in clash.get_data(as_text=True)
    # the reader sees the set but may not change it
    assert kab_viewer.get(f"/kabupaten/standar/{YEAR}").status_code == 200
    assert _edit_standard(kab_viewer, _std(office, 4), name="x").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "kabupaten.standard_indicator_changed")) == 1


def test_an_untouched_copy_is_offered_the_update_and_an_edited_one_is_not_overwritten(kab_admin, client_as, office):
    sekcam = client_as("sekcam")
    assert "Tidak ada perubahan" in sekcam.get(f"/standar/{YEAR}").get_data(as_text=True)
    # the office edits its own IKU 3; then the kabupaten changes IKU 3 and IKU 4
    own = _ind(office, 3)
    own.name = "Persentase kegiatan pemberdayaan (versi kecamatan)"
    db.session.commit()
    assert _edit_standard(kab_admin, _std(office, 3), name="Persentase kegiatan PMKS terfasilitasi").status_code == 302
    assert _edit_standard(kab_admin, _std(office, 4), name="Persentase pengaduan tuntas").status_code == 302
    changes = {c.key: c for c in standard.pending_updates(office, YEAR)}
    four, three = f"i{_std(office, 4).id}", f"i{_std(office, 3).id}"
    assert changes[four].action == "update" and changes[three].action == "conflict"
    assert changes[three].differs == ("name",)
    html = sekcam.get(f"/standar/{YEAR}").get_data(as_text=True)
    assert re.search(rf'value="{four}" id="take-{four}"\s+checked', html)
    assert not re.search(rf'value="{three}" id="take-{three}"\s+checked', html)
    # taking what is ticked by default: IKU 4 follows the standard, IKU 3 keeps the office's own text
    assert sekcam.post(f"/standar/{YEAR}", data={"take": [four]}).status_code == 302
    db.session.expire_all()
    assert _ind(office, 4).name == "Persentase pengaduan tuntas"
    assert _ind(office, 3).name == "Persentase kegiatan pemberdayaan (versi kecamatan)"
    left = [c.key for c in standard.pending_updates(office, YEAR)]
    assert left == [three]
    # Kencong, which never edited anything, is offered both as updates
    kencong = db.session.scalar(sa.select(Office).where(Office.code == "kencong"))
    assert {c.action for c in standard.pending_updates(kencong, YEAR)} == {"update"}
    # ticking the conflict takes the standard over the office's edit, and says so in the audit
    assert sekcam.post(f"/standar/{YEAR}", data={"take": [three]}).status_code == 302
    db.session.expire_all()
    assert _ind(office, 3).name == "Persentase kegiatan PMKS terfasilitasi"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "office.standard_taken")
                              .order_by(AuditEvent.id.desc()))
    assert event.details["change"] == "conflict" and event.office_id == office.id
    assert standard.pending_updates(office, YEAR) == []


def test_a_new_standard_document_is_offered_and_added_with_its_due_date(kab_admin, client_as, office):
    kab_admin.post(f"/kabupaten/standar/{YEAR}/dokumen/baru", data={
        "code": "renja", "name": "Renja Kecamatan", "group": "organisasi", "section_code": "sekretariat",
        "due_month": "5", "due_day": "31"})
    sekcam = client_as("sekcam")
    assert "Renja Kecamatan" in sekcam.get(f"/standar/{YEAR}").get_data(as_text=True)
    key = next(c.key for c in standard.pending_updates(office, YEAR) if c.kind == "document")
    assert sekcam.post(f"/standar/{YEAR}", data={"take": [key]}).status_code == 302
    doc = db.session.scalar(sa.select(RequiredDocument).join(RequiredDocument.type).where(
        RequiredDocument.office_id == office.id, RequiredDocument.year == YEAR,
        sa.literal_column("document_types.code") == "renja"))
    assert doc.entry.due_date == date(YEAR, 5, 31) and doc.entry.section.code == "sekretariat"
    assert doc.standard_id is not None


def test_nothing_ticked_changes_nothing_and_other_roles_may_not(client_as, kab_admin, office):
    _edit_standard(kab_admin, _std(office, 4), name="Persentase pengaduan tuntas")
    before = _ind(office, 4).name
    sekcam = client_as("sekcam")
    response = sekcam.post(f"/standar/{YEAR}", data={}, follow_redirects=True)
    assert "Tidak ada perubahan yang dipilih" in response.get_data(as_text=True)
    for username in ("camat", "pmks", "viewer"):
        if username == "viewer":
            continue
        assert client_as(username).post(f"/standar/{YEAR}", data={"take": ["x"]}).status_code == 403
    assert client_as("kabupaten").get(f"/standar/{YEAR}").status_code == 403
    db.session.expire_all()
    assert _ind(office, 4).name == before


def test_a_standard_year_starts_from_the_previous_one(kab_admin, office):
    nxt = YEAR + 1
    page = kab_admin.get(f"/kabupaten/standar/{nxt}").get_data(as_text=True)
    assert "Belum ada standar untuk tahun ini." in page
    assert kab_admin.post(f"/kabupaten/standar/{nxt}/salin").status_code == 302
    copied = standard.standard_indicators(office.kabupaten_id, nxt)
    assert [s.number for s in copied] == [1, 2, 3, 4, 5, 6]
    assert len(standard.standard_documents(office.kabupaten_id, nxt)) == 11
    again = kab_admin.post(f"/kabupaten/standar/{nxt}/salin", follow_redirects=True)
    assert "sudah ada" in again.get_data(as_text=True)


def test_the_kabupaten_admin_adds_and_removes_a_standard_iku_and_edits_the_tujuan(kab_admin, client_as, office):
    page = kab_admin.get(f"/kabupaten/standar/{YEAR}/iku/baru").get_data(as_text=True)
    assert 'value="7"' in page  # the next free number
    data = {"number": "7", "kinerja_utama": "Meningkatnya kualitas perencanaan", "name": "Persentase dokumen Renja tepat waktu",
            "formulation": "Jumlah dokumen Renja tepat waktu\n------------------------ × 100%\nJumlah dokumen Renja", "unit": "%", "polarity": "higher",
            "lower_formula": "2t_minus_r", "year_rule": "last", "measure": "ratio:programs", "section_codes": "sekretariat",
            "bidang_text": "Sekcam", "sumber_data": "Sekretariat", "default_target": "90"}
    refused = kab_admin.post(f"/kabupaten/standar/{YEAR}/iku/baru", data={**data, "number": "4"})
    assert refused.status_code == 422 and "IKU nomor 4 sudah ada" in refused.get_data(as_text=True)
    bad_rule = kab_admin.post(f"/kabupaten/standar/{YEAR}/iku/baru", data={**data, "year_rule": "cumulative"})
    assert bad_rule.status_code == 422
    assert kab_admin.post(f"/kabupaten/standar/{YEAR}/iku/baru", data=data).status_code == 302
    std = _std(office, 7)
    assert (std.name, std.measure, std.section_codes, std.default_target) == (
        "Persentase dokumen Renja tepat waktu", "ratio:programs", ["sekretariat"], 90)
    assert std.formulation and std.formulation[0]["type"] == "fraction"
    # the office is offered the new IKU and takes it with its default target
    change = next(c for c in standard.pending_updates(office, YEAR) if c.key == f"i{std.id}")
    assert change.action == "add"
    assert client_as("sekcam").post(f"/standar/{YEAR}", data={"take": [change.key]}).status_code == 302
    taken = _ind(office, 7)
    assert taken.name == std.name and [t.value for t in taken.targets] == [90]
    # removed from the standard: the office keeps its copy
    assert kab_admin.post(f"/kabupaten/standar/iku/{std.id}/hapus").status_code == 302
    db.session.expire_all()
    assert _std(office, 7) is None and _ind(office, 7).standard_id is None
    # the tujuan, one per line
    assert kab_admin.post(f"/kabupaten/standar/{YEAR}/tujuan", data={
        "tujuan": "Tujuan satu\n\nTujuan dua", "indikator_tujuan": "Indeks X"}).status_code == 302
    assert [g.text for g in standard.goals(office.kabupaten_id, YEAR, "tujuan")] == ["Tujuan satu", "Tujuan dua"]
    assert [g.text for g in standard.goals(office.kabupaten_id, YEAR, "indikator")] == ["Indeks X"]


def test_the_section_template_is_kept_in_the_app(kab_admin, kab_viewer, office):
    assert "pelayanan" in kab_viewer.get("/kabupaten/standar/seksi").get_data(as_text=True)
    assert kab_viewer.post("/kabupaten/standar/seksi", data={"code": "x1", "name": "X", "short_name": "X"}).status_code == 403
    assert kab_admin.post("/kabupaten/standar/seksi", data={"code": "perencanaan", "name": "Subbagian Perencanaan",
                                                            "short_name": "Perencanaan"}).status_code == 302
    bad = kab_admin.post("/kabupaten/standar/seksi", data={"code": "Ada Spasi", "name": "X", "short_name": "X"})
    assert bad.status_code == 422 and "Kode hanya huruf kecil" in bad.get_data(as_text=True)
    from iku_workflow.kabupaten.offices import setup_office

    kab = office.kabupaten_record
    new, _ = setup_office(code="ambulu", name="Ambulu", kabupaten=kab, years=[YEAR])
    assert "perencanaan" in {s.code for s in new.sections}


def test_a_new_decree_starts_from_the_kabupatens_texts(kab_admin, kab_viewer, client_as, office):
    from iku_workflow.decree.content import default_values
    from iku_workflow.seed import gumukmas_2025 as seed

    # the demo's own decree texts are the reference decree's, through the standard
    assert default_values(office, YEAR)["menimbang"] == seed.default_menimbang("Gumukmas", "Jember")
    assert default_values(office, YEAR)["tentang"] == seed.default_tentang("Gumukmas", "Jember")
    page = kab_viewer.get(f"/kabupaten/standar/{YEAR}/keputusan").get_data(as_text=True)
    assert "Kecamatan {kecamatan} Kabupaten {kabupaten}" in page
    assert kab_viewer.post(f"/kabupaten/standar/{YEAR}/keputusan", data={"tentang": "x"}).status_code == 403
    saved = kab_admin.post(f"/kabupaten/standar/{YEAR}/keputusan", data={
        "tentang": "Indikator Kinerja Utama Kecamatan {kecamatan} Kabupaten {kabupaten}",
        "menimbang": "bahwa Kecamatan {kecamatan} perlu menetapkan IKU;\n\nbahwa kedua;",
        "mengingat": "Undang-Undang Nomor 23 Tahun 2014;", "memperhatikan": "Surat Bupati {kabupaten};"})
    assert saved.status_code == 302
    kencong = db.session.scalar(sa.select(Office).where(Office.code == "kencong"))
    values = default_values(kencong, YEAR)
    assert values["tentang"] == "Indikator Kinerja Utama Kecamatan Kencong Kabupaten Jember"
    assert values["menimbang"] == ["bahwa Kecamatan Kencong perlu menetapkan IKU;", "bahwa kedua;"]
    assert values["memperhatikan"] == ["Surat Bupati Jember;"]
    # another year without texts of its own: the reference decree's
    assert default_values(kencong, 2031)["mengingat"] == seed.default_mengingat()
    refused = kab_admin.post(f"/kabupaten/standar/{YEAR}/keputusan", data={"tentang": "", "menimbang": "x"})
    assert refused.status_code == 422
