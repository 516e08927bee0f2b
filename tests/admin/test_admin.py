"""The admin's pages: users, sections, office profile — what is refused, what is stored, what is audited."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, get_user
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, Office, Role, Section, User


def section_id(office, code: str) -> int:
    return db.session.scalar(sa.select(Section.id).where(Section.office_id == office.id, Section.code == code))


def last_audit(action: str) -> AuditEvent | None:
    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc()))




def new_user(admin, **fields):
    data = {"username": "operator-baru", "full_name": "Operator Baru", "role": "seksi", "section_id": "0",
            "password": "sandi-operator-baru", "nip": "", "email": ""}
    data.update(fields)
    return admin.post("/admin/pengguna/baru", data=data)


# ------------------------------------------------------------------- users

def test_users_list_shows_the_office_users(admin, office):
    html = admin.get("/admin/pengguna").get_data(as_text=True)
    for username in ("admin", "camat", "sekcam", "pemerintahan", "pelayanan", "pmks", "trantib"):
        assert f'data-username="{username}"' in html
    assert "Sekretaris Camat" in html and "Operator Seksi" in html


def test_create_user(admin, office):
    response = new_user(admin, section_id=str(section_id(office, "pmks")), nip="19840624 200212 1 001",
                        email="op@example.go.id", username="Operator-Baru")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/pengguna"
    user = get_user("operator-baru")  # stored in lower case
    assert user.role is Role.SEKSI and user.section.code == "pmks" and user.office_id == office.id
    assert user.nip == "198406242002121001" and user.email == "op@example.go.id"
    assert user.password_hash.startswith("$argon2id$") and "sandi-operator-baru" not in user.password_hash
    event = last_audit("user.created")
    assert event.object_id == user.id and event.username == "admin" and event.details["role"] == "seksi"
    assert "Pengguna operator-baru dibuat." in admin.get("/admin/pengguna").get_data(as_text=True)
    fresh = admin.application.test_client()
    assert fresh.post("/login", data={"username": "operator-baru", "password": "sandi-operator-baru"}).status_code == 302


def test_create_user_refusals(admin, office):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    cases = [
        ({"username": "CAMAT", "role": "camat"}, "Nama pengguna sudah dipakai."),
        ({"role": "camat", "password": "pendek123"}, "Kata sandi minimal 10 karakter."),
        ({"role": "camat", "password": "operator-baru"}, "Kata sandi tidak boleh sama dengan nama pengguna."),
        ({"role": "seksi", "section_id": "0"}, "Operator seksi wajib memiliki seksi."),
        ({"role": "camat", "nip": "198413241234567890"}, "8 angka pertama NIP harus tanggal lahir yang sah"),
        ({"role": "camat", "nip": "12345"}, "NIP harus 18 angka."),
        ({"role": "camat", "username": "nama dengan spasi"}, "Hanya huruf, angka, titik"),
        ({"role": "camat", "email": "bukan-email"}, "Alamat email tidak sah."),
    ]
    for fields, message in cases:
        response = new_user(admin, full_name="Nama Tetap Ada", **fields)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, fields
        assert message in html, fields
        assert 'value="Nama Tetap Ada"' in html, "the form keeps what was typed"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_new_user_form_has_no_role_preselected_and_requires_one(admin, office):
    import re
    html = admin.get("/admin/pengguna/baru").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="role".*?</select>', html, re.S).group(0)
    assert "selected" not in select
    assert re.search(r'<option value="">— pilih peran —</option>', select), "the empty choice comes first"
    assert select.index('value=""') < select.index('value="admin"')
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    without_role = {"username": "operator-baru", "full_name": "Operator Baru", "section_id": "0",
                    "password": "sandi-operator-baru"}
    for response in (new_user(admin, role=""), admin.post("/admin/pengguna/baru", data=without_role)):
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Peran wajib dipilih." in html
        assert 'value="Operator Baru"' in html, "the form keeps what was typed"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count
    assert get_user("operator-baru") is None and last_audit("user.created") is None
    # Editing an existing user still shows that user's role.
    edit = admin.get(f"/admin/pengguna/{get_user('camat').id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="role".*?</select>', edit, re.S).group(0)
    assert re.search(r'<option selected value="camat">|<option value="camat" selected>', select)


def test_schema_refuses_a_seksi_user_without_section(app, office):
    db.session.add(User(office_id=office.id, username="tanpa-seksi", full_name="X", role=Role.SEKSI,
                        password_hash="x"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_schema_refuses_duplicate_username(app, office):
    db.session.add(User(office_id=office.id, username="camat", full_name="X", role=Role.CAMAT, password_hash="x"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_edit_user_role_and_section(admin, office, client_as):
    operator = client_as("pelayanan")
    user = get_user("pelayanan")
    token = user.session_token
    response = admin.post(f"/admin/pengguna/{user.id}", data={
        "username": "pelayanan", "full_name": "Operator Pelayanan Baru", "role": "seksi",
        "section_id": str(section_id(office, "trantib")), "nip": "", "email": ""})
    assert response.status_code == 302
    db.session.expire_all()
    user = get_user("pelayanan")
    assert user.section.code == "trantib" and user.full_name == "Operator Pelayanan Baru"
    assert user.session_token == token  # same role: the session stays
    event = last_audit("user.updated")
    assert event.details["before"]["section_id"] == section_id(office, "pelayanan")
    assert event.details["after"]["section_id"] == section_id(office, "trantib")

    response = admin.post(f"/admin/pengguna/{user.id}", data={
        "username": "pelayanan", "full_name": "Operator Pelayanan Baru", "role": "viewer", "section_id": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    user = get_user("pelayanan")
    assert user.role is Role.VIEWER and user.section_id is None
    assert user.session_token != token  # new permissions: sign in again
    assert operator.get("/").status_code == 302


def test_edit_user_refusals(admin, office):
    user = get_user("pmks")
    html = admin.post(f"/admin/pengguna/{user.id}", data={
        "username": "sekcam", "full_name": "X", "role": "seksi", "section_id": str(user.section_id)}
    ).get_data(as_text=True)
    assert "Nama pengguna sudah dipakai." in html
    html = admin.post(f"/admin/pengguna/{user.id}", data={
        "username": "pmks", "full_name": "X", "role": "seksi", "section_id": "0"}).get_data(as_text=True)
    assert "Operator seksi wajib memiliki seksi." in html
    me = get_user("admin")
    html = admin.post(f"/admin/pengguna/{me.id}", data={
        "username": "admin", "full_name": "X", "role": "camat", "section_id": "0"}).get_data(as_text=True)
    assert "Anda tidak dapat mencabut peran admin dari akun sendiri." in html
    db.session.expire_all()
    assert get_user("pmks").full_name == "Operator Seksi PMKS" and get_user("admin").role is Role.ADMIN


def test_edit_form_shows_current_values(admin, office):
    user = get_user("camat")
    html = admin.get(f"/admin/pengguna/{user.id}").get_data(as_text=True)
    assert 'value="198406242002121001"' in html
    assert '<option selected value="camat">' in html


def test_deactivate_and_activate(admin, office):
    user = get_user("pemerintahan")
    # the edit page leads to a confirmation page; asking changes nothing
    edit = admin.get(f"/admin/pengguna/{user.id}").get_data(as_text=True)
    assert f'href="/admin/pengguna/{user.id}/nonaktifkan" data-testid="toggle-active"' in edit
    question = admin.get(f"/admin/pengguna/{user.id}/nonaktifkan")
    html = question.get_data(as_text=True)
    assert question.status_code == 200 and "Nonaktifkan pengguna pemerintahan?" in html
    assert "sesi yang sedang terbuka berakhir" in html and 'data-testid="confirm-deactivate"' in html
    db.session.expire_all()
    assert get_user("pemerintahan").active is True
    # the old one-click POST only leads to the question
    direct = admin.post(f"/admin/pengguna/{user.id}/status")
    assert direct.status_code == 303 and direct.headers["Location"].endswith(f"/admin/pengguna/{user.id}/nonaktifkan")
    db.session.expire_all()
    assert get_user("pemerintahan").active is True
    response = admin.post(f"/admin/pengguna/{user.id}/nonaktifkan", follow_redirects=True)
    assert "Pengguna pemerintahan dinonaktifkan." in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_user("pemerintahan").active is False
    assert last_audit("user.deactivated").object_id == user.id
    response = admin.post(f"/admin/pengguna/{user.id}/status", follow_redirects=True)
    assert "Pengguna pemerintahan diaktifkan." in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_user("pemerintahan").active is True
    assert last_audit("user.activated").object_id == user.id


def test_admin_cannot_deactivate_self(admin, office):
    me = get_user("admin")
    for method in ("GET", "POST"):
        response = admin.open(f"/admin/pengguna/{me.id}/nonaktifkan", method=method, follow_redirects=True)
        assert "Anda tidak dapat menonaktifkan akun sendiri." in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_user("admin").active is True


def test_deactivating_the_last_user_of_a_role_warns_first(admin, office):
    camat = get_user("camat")  # the office's only Camat
    html = admin.get(f"/admin/pengguna/{camat.id}/nonaktifkan").get_data(as_text=True)
    assert 'data-testid="last-of-role"' in html and "tidak lagi memiliki Camat yang aktif" in html
    pemerintahan = get_user("pemerintahan")  # other operators stay active
    assert 'data-testid="last-of-role"' not in admin.get(f"/admin/pengguna/{pemerintahan.id}/nonaktifkan").get_data(as_text=True)


def test_deactivation_needs_the_csrf_token(csrf_app):
    from tests.test_csrf import signed_in, token_from

    client = signed_in(csrf_app, "admin")
    target = get_user("trantib")
    assert client.post(f"/admin/pengguna/{target.id}/nonaktifkan").status_code == 400
    db.session.expire_all()
    assert get_user("trantib").active is True
    token = token_from(client, f"/admin/pengguna/{target.id}/nonaktifkan")
    assert client.post(f"/admin/pengguna/{target.id}/nonaktifkan", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert get_user("trantib").active is False


def test_reset_password(admin, office, client_as):
    operator = client_as("pmks")
    user = get_user("pmks")
    response = admin.post(f"/admin/pengguna/{user.id}/sandi", data={"password": "pendek"}, follow_redirects=True)
    assert "Kata sandi minimal 10 karakter." in response.get_data(as_text=True)
    response = admin.post(f"/admin/pengguna/{user.id}/sandi", data={"password": "sandi-baru-pmks-2"},
                          follow_redirects=True)
    assert "Kata sandi pmks telah diatur ulang." in response.get_data(as_text=True)
    assert last_audit("user.password_reset").object_id == user.id
    assert operator.get("/").status_code == 302  # the open session ended
    fresh = admin.application.test_client()
    assert fresh.post("/login", data={"username": "pmks", "password": PASSWORD}).status_code == 401
    assert fresh.post("/login", data={"username": "pmks", "password": "sandi-baru-pmks-2"}).status_code == 302


# ------------------------------------------------------------------- sections

def test_sections_list_and_create(admin, office):
    html = admin.get("/admin/seksi").get_data(as_text=True)
    assert "Seksi Ketenteraman dan Ketertiban Umum" in html
    response = admin.post("/admin/seksi/baru", data={
        "code": "ekbang", "name": "Seksi Ekonomi dan Pembangunan", "short_name": "Seksi Ekbang",
        "position": "6", "active": "y"})
    assert response.status_code == 302
    section = db.session.scalar(sa.select(Section).where(Section.code == "ekbang"))
    assert section.office_id == office.id and section.position == 6 and section.active
    assert last_audit("section.created").object_id == section.id


def test_section_duplicate_code_refused(admin, office):
    response = admin.post("/admin/seksi/baru", data={"code": "trantib", "name": "Lagi", "short_name": "Lagi"})
    assert response.status_code == 200
    assert "Kode seksi sudah dipakai." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Section).where(
        Section.office_id == office.id, Section.code == "trantib")) == 1
    response = admin.post("/admin/seksi/baru", data={"code": "Huruf Besar", "name": "X", "short_name": "X"})
    assert "Huruf kecil, angka" in response.get_data(as_text=True)


def test_section_edit(admin, office):
    sid = section_id(office, "pmks")
    response = admin.post(f"/admin/seksi/{sid}", data={
        "code": "pmks", "name": "Seksi PMKS (baru)", "short_name": "PMKS", "position": "3"})
    assert response.status_code == 302
    section = db.session.get(Section, sid)
    db.session.refresh(section)
    assert section.name == "Seksi PMKS (baru)" and section.active is False  # unchecked box = inactive
    assert last_audit("section.updated").object_id == sid
    response = admin.post(f"/admin/seksi/{sid}", data={"code": "trantib", "name": "X", "short_name": "X"})
    assert "Kode seksi sudah dipakai." in response.get_data(as_text=True)


def test_same_section_code_allowed_in_another_office(office, other_office, client_as):
    puger = client_as("admin-puger")
    response = puger.post("/admin/seksi/baru", data={"code": "ekbang", "name": "Ekbang", "short_name": "Ekbang"})
    assert response.status_code == 302
    admin = client_as("admin")
    assert admin.post("/admin/seksi/baru", data={"code": "ekbang", "name": "Ekbang",
                                                 "short_name": "Ekbang"}).status_code == 302


# ------------------------------------------------------------------- office profile

OFFICE_FORM = {
    "name": "Gumukmas", "kabupaten": "Jember", "address": "Jalan Raya A. Yani No. 224",
    "telephone": "0336-321042", "email": "kec.gumukmas@jemberkab.go.id", "postal_code": "68165",
    "city": "Gumukmas", "camat_name": "NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si",
    "camat_pangkat": "Pembina (IV/a)", "camat_nip": "19840624 200212 1 001", "signatory_acting": "",
    "paper_size": "F4",
}


def test_office_profile_shows_the_decree_identity(admin, office):
    html = admin.get("/admin/kantor").get_data(as_text=True)
    assert "Jalan Raya A. Yani No. 224" in html and "0336-321042" in html
    assert "NINO EKA PUTRA WAHYU RAMADHONI" in html and "198406242002121001" in html


def test_office_profile_update(admin, office):
    response = admin.post("/admin/kantor", data=OFFICE_FORM)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Office, office.id)
    assert stored.camat_nip == "198406242002121001"  # normalised
    assert stored.email == "kec.gumukmas@jemberkab.go.id" and stored.postal_code == "68165"
    assert stored.camat_pangkat == "Pembina (IV/a)"
    event = last_audit("office.updated")
    assert event.object_id == office.id
    assert event.details["changed"]["camat_pangkat"] == ["Pembina", "Pembina (IV/a)"]
    assert "Profil kantor disimpan." in admin.get("/admin/kantor").get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("camat_nip", "198413241234567890", "8 angka pertama NIP harus tanggal lahir yang sah"),
    ("camat_nip", "1984062420021210", "NIP harus 18 angka."),
    ("camat_nip", "198406242002131001", "bulan pengangkatan CPNS"),
    ("email", "bukan email", "Alamat email tidak sah."),
    ("postal_code", "6816", "Kode pos terdiri dari 5 angka."),
    ("postal_code", "6816a", "Kode pos terdiri dari 5 angka."),
])
def test_office_profile_refusals(admin, office, field, value, message):
    response = admin.post("/admin/kantor", data={**OFFICE_FORM, "camat_pangkat": "Diubah", field: value})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Diubah"' in html  # nothing typed is lost
    db.session.expire_all()
    assert db.session.get(Office, office.id).camat_pangkat == "Pembina"
    assert last_audit("office.updated") is None


def test_office_nip_may_be_left_empty(admin, office):
    assert admin.post("/admin/kantor", data={**OFFICE_FORM, "camat_nip": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Office, office.id).camat_nip is None
