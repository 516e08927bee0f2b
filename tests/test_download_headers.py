"""Issue 11 (files): every download — evidence, signed scans, generated documents and sheets — is
sent with ``Cache-Control: no-store``, found by walking the app's url_map; with IKU_HTTPS on, every
response carries Strict-Transport-Security."""
from __future__ import annotations

from download_walk import build_world, downloads, login

#: downloads the walk must find (so it cannot pass by finding none); new ones are checked as well
KNOWN = {"documents.download", "registers.evidence", "decree.signed_scan", "decree.download",
         "indicators.capaian_file", "indicators.dashboard_excel", "survey.export_xlsx", "survey.report_docx",
         "survey.template", "registers.program_template", "letterhead.letterhead_download",
         "registers.evidence_version", "workflow.audit_export", "documents.view_file", "registers.evidence_view"}
#: the routes that show a stored upload in the browser (PDF and images; issue 13)
VIEWS = {"documents.view_file", "registers.evidence_view"}


def test_every_download_is_no_store(app, office, client_as):
    build_world(client_as, office)
    found = {}
    for endpoint, url, response in downloads(app, client_as):
        found.setdefault(endpoint, []).append(url)
        assert response.headers.get("Cache-Control") == "no-store", (url, response.headers.get("Cache-Control"))
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        disposition = response.headers["Content-Disposition"]
        if disposition.startswith("inline"):
            # only the viewing routes answer inline, and only under the sandbox
            assert endpoint in VIEWS, url
            assert response.headers["Content-Security-Policy"].startswith("sandbox;"), url
            assert response.mimetype in ("application/pdf", "image/png", "image/jpeg"), url
            found.setdefault("_inline", []).append(url)
    assert KNOWN <= set(found), f"downloads not reached: {sorted(KNOWN - set(found))}"
    assert found["_inline"], "no file was shown inline"


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


# ------------------------------------------------------------------ issue 13: a file a reviewer can read

def _stored(app, content: bytes, suffix: str) -> str:
    from iku_workflow import storage
    from iku_workflow.extensions import db

    stored = storage.save(content, storage.new_key("evidence", suffix=suffix))
    db.session.commit()
    return stored.key


def _answer(app, key, mimetype, name, inline):
    from iku_workflow import storage

    with app.test_request_context():
        response = storage.send_file_safely(key, mimetype=mimetype, download_name=name, inline=inline)
        data = b"".join(response.response)
        response.close()
    return response, data


def test_pdf_and_images_are_shown_inline_under_a_sandbox(app, office):
    from factories import PDF, jpeg_bytes, png_bytes

    for content, mime, name in ((PDF, "application/pdf", "BA.pdf"), (png_bytes(), "image/png", "foto.png"),
                                (jpeg_bytes(), "image/jpeg", "foto.jpg")):
        key = _stored(app, content, "." + name.rsplit(".", 1)[1])
        response, data = _answer(app, key, mime, name, inline=True)
        assert response.headers["Content-Disposition"] == f"inline; filename={name}"
        csp = response.headers["Content-Security-Policy"]
        assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.mimetype == mime and data == content
        # the same file asked as a download is an attachment
        response, _data = _answer(app, key, mime, name, inline=False)
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_other_types_are_downloaded_even_when_asked_to_show(app, office):
    from factories import docx_bytes

    key = _stored(app, docx_bytes(), ".docx")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response, _data = _answer(app, key, mime, "surat.docx", inline=True)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == mime and response.headers["Cache-Control"] == "no-store"


def test_html_or_svg_renamed_pdf_is_never_inline_and_never_html(app, office):
    """A file whose bytes are markup (however it got into the store, whatever its row says) is bytes to
    save: an attachment of type application/octet-stream, on the viewing route as on the download."""
    for content in (b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                    b"  \n<html><body onload=alert(1)>",
                    b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                    b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
                    b"%PDX not quite a pdf <script>alert(1)</script>"):
        key = _stored(app, content, ".pdf")
        for inline in (True, False):
            response, data = _answer(app, key, "application/pdf", "laporan.pdf", inline)
            assert response.headers["Content-Disposition"].startswith("attachment"), content
            assert response.mimetype == "application/octet-stream", content
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert data == content


def test_the_lihat_links_and_routes_of_documents_and_registers(app, office, client_as):
    """Through the app: the viewing routes answer inline for a PDF, and an HTML file planted under a
    version's name (as a broken import could) still comes as an attachment of a safe type."""
    import sqlalchemy as sa

    from iku_workflow.extensions import db
    from iku_workflow.models import DocumentFile, RegisterEvidenceFile

    build_world(client_as, office)
    sekcam = login(client_as, "sekcam")
    item = db.session.scalar(sa.select(DocumentFile).order_by(DocumentFile.id.desc()))
    page = sekcam.get(f"/dokumen/wajib/{item.document_id}").get_data(as_text=True)
    assert f'href="/dokumen/berkas/{item.id}/lihat"' in page and 'data-testid="file-view"' in page
    with sekcam.get(f"/dokumen/berkas/{item.id}/lihat") as shown:
        assert shown.headers["Content-Disposition"].startswith("inline")
        assert shown.headers["Content-Security-Policy"].startswith("sandbox;")
    version = db.session.scalar(sa.select(RegisterEvidenceFile).order_by(RegisterEvidenceFile.id.desc()))
    base = f"/register/{version.register}/data/{version.row_id}/bukti/{version.id}"
    page = login(client_as, "sekcam").get(f"/register/{version.register}/data/{version.row_id}").get_data(as_text=True)
    assert f'href="{base}/lihat"' in page and f'href="{base}"' in page
    with login(client_as, "sekcam").get(base + "/lihat") as shown:
        assert shown.headers["Content-Disposition"].startswith("inline") and shown.mimetype == "application/pdf"
    # the bytes behind the version become HTML: the row still says PDF, the answer does not believe it
    app.extensions["iku_storage"].put(version.key, b"<html><script>alert(document.cookie)</script></html>")
    for url in (base + "/lihat", base):
        with login(client_as, "sekcam").get(url) as answer:
            assert answer.headers["Content-Disposition"].startswith("attachment"), url
            assert answer.mimetype == "application/octet-stream" and answer.headers["Cache-Control"] == "no-store"
