"""Issue 11 (files): every download — evidence, signed scans, generated documents and sheets — is
sent with ``Cache-Control: no-store``, found by walking the app's url_map; with IKU_HTTPS on, every
response carries Strict-Transport-Security."""
from __future__ import annotations

from download_walk import build_world, downloads, login

#: downloads the walk must find (so it cannot pass by finding none); new ones are checked as well
KNOWN = {"documents.download", "registers.evidence", "decree.signed_scan", "decree.download",
         "indicators.capaian_file", "indicators.dashboard_excel", "survey.export_xlsx", "survey.report_docx",
         "survey.template", "registers.program_template", "letterhead.letterhead_download",
         "registers.kept_evidence", "workflow.audit_export"}


def test_every_download_is_no_store(app, office, client_as):
    build_world(client_as, office)
    found = {}
    for endpoint, url, response in downloads(app, client_as):
        found.setdefault(endpoint, []).append(url)
        assert response.headers.get("Cache-Control") == "no-store", (url, response.headers.get("Cache-Control"))
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert KNOWN <= set(found), f"downloads not reached: {sorted(KNOWN - set(found))}"


def test_stored_file_download_is_no_store_even_without_the_app_hook(app, office, client_as):
    """storage.send itself says no-store (the one place every stored file leaves through)."""
    from iku_workflow import storage

    stored = storage.save(b"%PDF-1.4 x", storage.new_key("gumukmas", "t", suffix=".pdf"))
    from iku_workflow.extensions import db

    db.session.commit()
    with app.test_request_context():
        response = storage.send(stored.key, mimetype="application/pdf", download_name="x.pdf")
        assert response.headers["Cache-Control"] == "no-store"
        response.close()


def test_hsts_only_with_https(make_app, office):
    plain = make_app().test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
    secure_app = make_app(IKU_HTTPS=True, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-iku_session")
    secure = secure_app.test_client()
    for path in ("/login", "/healthz", "/static/app.css", "/tidak-ada"):
        response = secure.get(path, base_url="https://localhost")
        assert response.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains", path
        response.close()


def test_https_setting_reaches_the_config(monkeypatch, tmp_path):
    from iku_workflow.config import build_config

    monkeypatch.setenv("IKU_DEMO", "1")
    monkeypatch.setenv("IKU_HTTPS", "1")
    assert build_config(str(tmp_path), secret_key="x" * 32)["IKU_HTTPS"] is True
    monkeypatch.setenv("IKU_HTTPS", "")
    assert build_config(str(tmp_path), secret_key="x" * 32)["IKU_HTTPS"] is False
