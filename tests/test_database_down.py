"""The database unreachable: the app's own Indonesian page (503, a retry hint) and /healthz says so."""
from __future__ import annotations

from conftest import PASSWORD


def _unreachable_app(make_app, tmp_path):
    # A real failure: SQLite cannot open a file in a directory that does not exist.
    return make_app(SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "tidak-ada" / "db.sqlite3"),
                    IKU_CHECK_MEASURES=False)


def test_a_signed_in_page_with_the_database_down(app, office, make_app, tmp_path):
    client = app.test_client()
    assert client.post("/login", data={"username": "sekcam", "password": PASSWORD}).status_code == 302
    assert client.get("/dasbor").status_code == 200
    cookie = client.get_cookie("iku_session")

    down = _unreachable_app(make_app, tmp_path)
    down.config["PROPAGATE_EXCEPTIONS"] = False
    other = down.test_client()
    other.set_cookie("iku_session", cookie.value)
    response = other.get("/dasbor")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.get_data(as_text=True)
    assert "Basis data tidak dapat dihubungi" in html
    assert "muat ulang halaman ini" in html
    assert "Traceback" not in html and "OperationalError" not in html and "sqlite" not in html.lower()
    assert "<html" in html.lower()  # the app's page with its layout, not the server's bare 500


def test_a_form_post_with_the_database_down(make_app, tmp_path, office):
    down = _unreachable_app(make_app, tmp_path)
    down.config["PROPAGATE_EXCEPTIONS"] = False
    response = down.test_client().post("/login", data={"username": "sekcam", "password": PASSWORD})
    assert response.status_code == 503
    assert "Basis data tidak dapat dihubungi" in response.get_data(as_text=True)


def test_healthz_reports_the_database(app, make_app, tmp_path):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}

    down = _unreachable_app(make_app, tmp_path)
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "down"}
