"""A new office in minutes: `office create` and the kabupaten admin's form copy the standard sets."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from conftest import PASSWORD
from iku_workflow.extensions import db
from iku_workflow.models import (AuditEvent, Indicator, Kabupaten, Office, RequiredDocument, Role, Target, Tujuan,
                                 User)

YEAR = date.today().year


def _indicators(office: Office, year: int) -> list[Indicator]:
    return list(db.session.scalars(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == year)
                                   .order_by(Indicator.number)))


def test_the_production_way_gives_an_office_its_iku_and_documents(app, runner, client):
    """No demo: a kabupaten with the decree's defaults, then `office create`; the office's IKU page is not empty."""
    made = runner.invoke(args=["kabupaten", "create", "jember", "--name", "Jember", "--defaults-year", str(YEAR)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(args=["office", "create", "puger", "--name", "Puger", "--kabupaten", "jember",
                                 "--camat-name", "Drs. Camat Puger", "--camat-nip", "198406242002121001"])
    assert result.exit_code == 0, result.output
    assert f"Tahun {YEAR}: 6 IKU dan 11 dokumen wajib dari standar kabupaten." in result.output
    office = db.session.scalar(sa.select(Office).where(Office.code == "puger"))
    assert office.kabupaten_record.code == "jember" and office.camat_nip == "198406242002121001"
    indicators = _indicators(office, YEAR)
    assert [i.number for i in indicators] == [1, 2, 3, 4, 5, 6]
    assert all(i.standard_id is not None and len(i.standard_hash) == 64 for i in indicators)
    targets = {t.indicator_id: t.value for t in db.session.scalars(sa.select(Target).where(Target.office_id == office.id))}
    assert targets[indicators[1].id] == Decimal("82")  # IKU 2's default target from the standard
    assert [s.code for s in indicators[3].sections] == ["trantib"]
    docs = list(db.session.scalars(sa.select(RequiredDocument).where(RequiredDocument.office_id == office.id)))
    assert len(docs) == 11
    lakip = next(d for d in docs if d.type.code == "lakip")
    assert lakip.entry.due_date == date(YEAR, 2, 28) and lakip.entry.section.code == "sekretariat"
    assert db.session.scalar(sa.select(sa.func.count(Tujuan.id)).where(Tujuan.office_id == office.id)) >= 1

    # the office's first admin signs in and sees its IKU
    users = runner.invoke(args=["user", "create", "admin-puger", "--office", "puger", "--role", "admin",
                                "--password", PASSWORD])
    assert users.exit_code == 0, users.output
    assert client.post("/login", data={"username": "admin-puger", "password": PASSWORD}).status_code == 302
    page = client.get(f"/iku/{YEAR}").get_data(as_text=True)
    assert "Belum ada IKU" not in page and "Indeks Kepuasan Masyarakat" in page
    assert "Dokumen LAKIP" in client.get(f"/dokumen/{YEAR}").get_data(as_text=True)


def test_a_kabupaten_user_is_made_by_the_cli_without_an_office(app, runner):
    assert runner.invoke(args=["kabupaten", "create", "jember", "--name", "Jember"]).exit_code == 0
    refused = runner.invoke(args=["user", "create", "bappeda", "--office", "x", "--role", "kabupaten",
                                  "--password", PASSWORD])
    assert refused.exit_code == 1 and "--kabupaten" in refused.output
    made = runner.invoke(args=["user", "create", "bappeda", "--kabupaten", "jember", "--role", "kabupaten",
                               "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    user = db.session.scalar(sa.select(User).where(User.username == "bappeda"))
    assert user.office_id is None and user.kabupaten_record.code == "jember" and user.role is Role.KABUPATEN


def test_the_schema_refuses_a_kabupaten_role_with_an_office(app, office):
    import pytest

    kab = db.session.scalar(sa.select(Kabupaten))
    db.session.add(User(office_id=office.id, kabupaten_id=kab.id, username="salah", full_name="x",
                        role=Role.KABUPATEN, password_hash="x"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def _form(**kw):
    data = {"code": "sumberbaru", "name": "Sumberbaru", "address": "Jl. Raya Sumberbaru", "telephone": "0331-1",
            "camat_name": "Camat Sumberbaru", "camat_pangkat": "Pembina", "camat_nip": "", "year": str(YEAR)}
    data.update(kw)
    return data


def test_the_kabupaten_admin_creates_an_office_from_the_standard(kab_admin, office):
    page = kab_admin.get("/kabupaten/kecamatan/baru")
    assert page.status_code == 200 and "Tambah kecamatan di Kabupaten Jember" in page.get_data(as_text=True)
    response = kab_admin.post("/kabupaten/kecamatan/baru", data=_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/kabupaten/kecamatan/sumberbaru/pengguna")
    created = db.session.scalar(sa.select(Office).where(Office.code == "sumberbaru"))
    assert created.kabupaten_id == office.kabupaten_id and created.camat_name == "Camat Sumberbaru"
    assert len(_indicators(created, YEAR)) == 6 and len(created.sections) == 5
    assert db.session.scalar(sa.select(sa.func.count(RequiredDocument.id)).where(
        RequiredDocument.office_id == created.id, RequiredDocument.year == YEAR)) == 11
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "office.created"))
    assert event.office_id == created.id and event.username == "kabadmin"
    shown = kab_admin.get("/kabupaten/kecamatan/sumberbaru/pengguna").get_data(as_text=True)
    assert "6 IKU dan 11 dokumen wajib" in shown and "Belum ada pengguna" in shown


def test_a_bad_office_form_says_why_next_to_the_field_and_stores_nothing(kab_admin, office):
    before = db.session.scalar(sa.select(sa.func.count(Office.id)))
    cases = [
        (dict(code="Ada Spasi"), "Kode kantor hanya huruf kecil"),
        (dict(code="gumukmas"), "Kantor dengan kode “gumukmas” sudah ada."),
        (dict(name="Kecamatan Sumberbaru"), "Tulis nama tanpa kata"),
        (dict(camat_nip="12345"), "NIP"),
        (dict(year="1999"), "2000"),
        (dict(name="Sumber\x00baru"), "karakter kendali"),
    ]
    for change, message in cases:
        response = kab_admin.post("/kabupaten/kecamatan/baru", data=_form(**change))
        html = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in html and "invalid-feedback" in html, (change, message)
        # what was typed stays in the form
        assert 'value="Jl. Raya Sumberbaru"' in html
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Office.id))) == before


def test_only_the_kabupaten_admin_creates_offices(kab_viewer, client_as, office):
    assert kab_viewer.get("/kabupaten/kecamatan/baru").status_code == 403
    assert kab_viewer.post("/kabupaten/kecamatan/baru", data=_form()).status_code == 403
    for username in ("admin", "sekcam", "camat"):
        assert client_as(username).post("/kabupaten/kecamatan/baru", data=_form()).status_code == 403
    assert db.session.scalar(sa.select(Office.id).where(Office.code == "sumberbaru")) is None


def test_the_demo_has_a_second_kecamatan_made_the_same_way(office):
    kencong = db.session.scalar(sa.select(Office).where(Office.code == "kencong"))
    assert kencong.kabupaten_id == office.kabupaten_id
    assert [i.number for i in _indicators(kencong, YEAR)] == [1, 2, 3, 4, 5, 6]
    assert all(i.standard_id is not None for i in _indicators(kencong, YEAR))
    roles = {u.username: u.role for u in db.session.scalars(sa.select(User).where(User.office_id.is_(None)))}
    assert roles == {"kabupaten": Role.KABUPATEN, "kabadmin": Role.KABUPATEN_ADMIN}


def test_the_kabupaten_admin_gives_the_new_office_its_users_from_a_sheet(kab_admin, kab_viewer, client, office):
    import io
    import re

    assert kab_admin.post("/kabupaten/kecamatan/baru", data=_form()).status_code == 302
    sheet = ("username;nama lengkap;NIP;peran;seksi;email\n"
             "admin.sumberbaru;Admin Sumberbaru;;admin;;admin@sumberbaru.example.go.id\n"
             "trantib.sumberbaru;Operator Trantib;;seksi;trantib;\n").encode()
    assert kab_viewer.post("/kabupaten/kecamatan/sumberbaru/pengguna/impor", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(sheet), "pengguna.csv")}).status_code == 403
    done = kab_admin.post("/kabupaten/kecamatan/sumberbaru/pengguna/impor", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(sheet), "pengguna.csv")})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "tidak ditampilkan lagi" in html
    created = {u.username: u for u in db.session.scalars(sa.select(User).join(Office, User.office_id == Office.id)
                                                          .where(Office.code == "sumberbaru"))}
    assert set(created) == {"admin.sumberbaru", "trantib.sumberbaru"}
    assert all(u.must_change_password for u in created.values())
    assert created["trantib.sumberbaru"].section.code == "trantib"
    password = re.search(r'data-username="admin\.sumberbaru".*?data-testid="temporary-password">([^<]+)<', html).group(1)
    # the new admin signs in with the temporary password and must choose their own first
    signed = client.post("/login", data={"username": "admin.sumberbaru", "password": password})
    assert signed.status_code == 302 and "/kata-sandi-baru" in signed.headers["Location"]
    # a wrong office code is not found, another office's users are not shown
    assert kab_admin.get("/kabupaten/kecamatan/tidak-ada/pengguna/impor").status_code == 404
    listed = kab_admin.get("/kabupaten/kecamatan/sumberbaru/pengguna").get_data(as_text=True)
    assert "admin.sumberbaru" in listed and "sekcam" not in listed


def test_each_office_reads_its_own_name_in_the_copied_tujuan(office):
    from iku_workflow.kabupaten.standard import goals

    standard_texts = [g.text for g in goals(office.kabupaten_id, YEAR, "tujuan")]
    assert any("Kecamatan {kecamatan}" in t for t in standard_texts)
    for code, name in (("gumukmas", "Gumukmas"), ("kencong", "Kencong")):
        texts = list(db.session.scalars(sa.select(Tujuan.text).join(Office, Office.id == Tujuan.office_id)
                                        .where(Office.code == code, Tujuan.year == YEAR)))
        assert any(f"Wilayah Kecamatan {name}." in t for t in texts) and not any("{" in t for t in texts)
