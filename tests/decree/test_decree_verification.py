"""The public verification page of a final decree and the QR code in the generated document's footer."""
from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
import segno

from conftest import get_user
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.reports.decree import qr_png

from factories import open_docx, tiny_pdf

BASE = "https://iku.gumukmas.example"


@pytest.fixture
def decree(app, office):
    app.config["IKU_PUBLIC_BASE_URL"] = BASE
    d = operations.create_decree(office, 2030, get_user("sekcam"))
    operations.update_decree(d, None, {"nomor": "000.8.6.3/17/35.09.04/2030", "tanggal": date(2030, 2, 12)})
    db.session.commit()
    return d


def _footer_images(footer) -> list[bytes]:
    blobs = []
    for blip in footer._element.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        blobs.append(footer.part.related_parts[rid].blob)
    return blobs


def _final(decree, scan: bytes):
    version = operations.generate_version(decree, get_user("sekcam"))
    operations.finalize(decree, version, scan, "ttd.pdf", get_user("camat"))
    db.session.commit()
    return version


def test_every_version_prints_its_own_link_and_qr_in_the_footer(decree):
    version = operations.generate_version(decree, get_user("sekcam"))
    decree.tentang += " (perubahan)"  # an identical second draft is not made
    other = operations.generate_version(decree, get_user("sekcam"))
    assert version.verify_token and len(version.verify_token) >= 40 and version.verify_token != other.verify_token
    url = f"{BASE}/verifikasi/{version.verify_token}"
    doc = open_docx(operations.version_bytes(version))
    first = doc.sections[0]
    for footer in (first.first_page_footer, first.footer, doc.sections[-1].footer):
        assert url in "\n".join(p.text for p in footer.paragraphs)
        # the picture is the QR code of exactly that URL (segno is deterministic)
        assert qr_png(url) in _footer_images(footer)
    assert segno.make(url, error="m").designator  # a valid QR symbol for the URL


def test_public_page_of_a_final_decree_without_sign_in(decree, client):
    scan = tiny_pdf("ditandatangani Camat")
    version = _final(decree, scan)
    page = client.get(f"/verifikasi/{version.verify_token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Kecamatan Gumukmas", "000.8.6.3/17/35.09.04/2030", "12 Februari 2030",
                 "NINO EKA PUTRA WAHYU RAMADHONI", "19840624 200212 1 001", hashlib.sha256(scan).hexdigest()):
        assert text in html
    # nothing else of the office: no menu, no sign-in state
    assert "Keluar" not in html and 'data-menu="home"' not in html

    match = client.post(f"/verifikasi/{version.verify_token}",
                        data={"pdf": (io.BytesIO(scan), "cek.pdf")}, content_type="multipart/form-data")
    assert match.status_code == 200 and 'data-testid="verify-match"' in match.get_data(as_text=True)
    other = client.post(f"/verifikasi/{version.verify_token}",
                        data={"pdf": (io.BytesIO(tiny_pdf("dipalsukan")), "cek.pdf")},
                        content_type="multipart/form-data")
    assert 'data-testid="verify-mismatch"' in other.get_data(as_text=True)
    empty = client.post(f"/verifikasi/{version.verify_token}", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Pilih berkas PDF" in empty.get_data(as_text=True)


def test_drafts_unsigned_versions_and_unknown_tokens_have_no_page(decree, client):
    draft_version = operations.generate_version(decree, get_user("sekcam"))
    decree.tentang += " (perubahan)"
    db.session.commit()
    assert client.get(f"/verifikasi/{draft_version.verify_token}").status_code == 404
    signed = _final(decree, tiny_pdf())
    assert client.get(f"/verifikasi/{signed.verify_token}").status_code == 200
    # another version of the same decree, not the signed one
    assert client.get(f"/verifikasi/{draft_version.verify_token}").status_code == 404
    assert client.get("/verifikasi/tidak-ada").status_code == 404
    assert client.get("/verifikasi/" + "x" * 300).status_code == 404


