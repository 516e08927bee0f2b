"""Indonesian error pages, and a 500 that rolls the transaction back."""
from __future__ import annotations

import sqlalchemy as sa

from conftest import PASSWORD
from iku_workflow.extensions import db
from iku_workflow.models import Section


def test_404_page(client, office):
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in html and "Kembali ke beranda" in html


def test_403_page(client_as, office):
    response = client_as("camat").get("/admin/kantor")
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


def test_405_page_for_a_form_action_opened_directly(client_as, office):
    response = client_as("sekcam").get("/keputusan/buat")  # the create-decree form posts here
    assert response.status_code == 405
    assert response.headers["Allow"] == "OPTIONS, POST"
    html = response.get_data(as_text=True)
    assert "Alamat ini tidak dapat dibuka langsung" in html and "Kembali ke beranda" in html
    assert "Method Not Allowed" not in html


def test_other_http_errors_get_the_app_page(make_app, office):
    from flask import abort

    app = make_app()

    @app.get("/uji-410")
    def gone():
        abort(410)

    response = app.test_client().get("/uji-410")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "Permintaan tidak dapat dipenuhi (kode 410)" in html and "Gone" not in html


def test_500_page_rolls_back(make_app, office):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    office_id = office.id

    @app.route("/_uji/gagal")
    def broken():
        db.session.add(Section(office_id=office_id, code="hantu", name="Hantu", short_name="Hantu"))
        db.session.flush()
        # a duplicate code: the transaction is now broken until someone rolls it back
        db.session.add(Section(office_id=office_id, code="trantib", name="Lagi", short_name="Lagi"))
        db.session.flush()

    app.logger.disabled = True  # the traceback is expected; keep the test output clean
    client = app.test_client()
    assert client.post("/login", data={"username": "camat", "password": PASSWORD}).status_code == 302
    response = client.get("/_uji/gagal")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Terjadi kesalahan" in html and "Perubahan Anda tidak disimpan" in html
    # the page still shows the signed-in user's office: the session was usable again after rollback
    assert "Kecamatan Gumukmas" in html
    with app.app_context():
        assert db.session.scalar(sa.select(Section).where(Section.code == "hantu")) is None


def test_security_headers(client, office):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
