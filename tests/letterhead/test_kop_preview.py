"""The kop page previews the kop as the Word file prints it, and says plainly that an uploaded template's kop
no longer follows the office profile (issue 14)."""
from __future__ import annotations

import base64
import io
import re

from iku_workflow.extensions import db
from iku_workflow.letterhead import logo

from factories import header_text, open_docx, png_bytes
from tests.letterhead.test_kop import _upload, _with_kop_text


def _lines(html: str) -> list[str]:
    return [t.strip() for t in re.findall(r'data-testid="kop-preview-line">(.*?)</p>', html, re.S)]


def test_the_default_kop_is_previewed_from_the_profile_and_follows_it(client_as, office):
    admin = client_as("admin")
    html = admin.get("/admin/kop").get_data(as_text=True)
    lines = _lines(html)
    assert lines[:2] == ["PEMERINTAH KABUPATEN JEMBER", "KECAMATAN GUMUKMAS"]
    # the same lines the Word file's header holds
    header = header_text(open_docx(admin.get("/admin/kop/templat.docx").data).sections[0].first_page_header)
    assert all(line.replace("&amp;", "&") in header for line in lines)
    assert 'class="mb-0 kop-pt-16 fw-bold" data-testid="kop-preview-line">KECAMATAN GUMUKMAS' in html
    assert 'data-testid="profile-followed"' in html and 'data-testid="profile-not-followed"' not in html
    assert 'data-testid="kop-preview-image"' not in html  # no lambang yet

    office.address = "Jalan Uji Pratinjau No. 9"
    db.session.commit()
    logo.upload_logo(office, png_bytes(240, 300), "lambang.png", None)
    db.session.commit()
    html = admin.get("/admin/kop").get_data(as_text=True)
    assert any(line.startswith("Jalan Uji Pratinjau No. 9") for line in _lines(html))
    src = re.search(r'<img src="data:image/png;base64,([^"]+)"[^>]*data-testid="kop-preview-image"', html).group(1)
    assert base64.b64decode(src) == logo.load_logo(office)


def test_an_uploaded_kop_is_previewed_from_the_template_and_the_page_says_the_profile_no_longer_reaches_it(
        client_as, office):
    admin = client_as("admin")
    base = admin.get("/admin/kop/templat.docx").data
    _upload(admin, _with_kop_text(base, "KOP UJI PRATINJAU"))
    html = admin.get("/admin/kop").get_data(as_text=True)
    assert "KOP UJI PRATINJAU" in _lines(html)
    notice = re.search(r'data-testid="profile-not-followed">(.*?)</div>', html, re.S).group(1)
    assert "tidak lagi mengikuti profil kantor" in notice
    assert 'data-testid="profile-lines-missing"' not in notice  # the template still holds the profile's lines

    # the profile changes; the template's kop does not, and the page names the lines it lacks
    office.address = "Jalan Baru Sesudah Unggah No. 1"
    db.session.commit()
    html = admin.get("/admin/kop").get_data(as_text=True)
    assert not any("Jalan Baru Sesudah Unggah" in line for line in _lines(html))
    missing = re.search(r'data-testid="profile-lines-missing">(.*?)</ul>', html, re.S).group(1)
    assert "Jalan Baru Sesudah Unggah No. 1" in missing and "KECAMATAN GUMUKMAS" not in missing
    office_page = admin.get("/admin/kantor").get_data(as_text=True)
    assert 'data-testid="office-kop-uploaded"' in office_page

    admin.post("/admin/kop/bawaan")
    html = admin.get("/admin/kop").get_data(as_text=True)
    assert any(line.startswith("Jalan Baru Sesudah Unggah No. 1") for line in _lines(html))
    assert 'data-testid="office-kop-uploaded"' not in admin.get("/admin/kantor").get_data(as_text=True)


def test_pictures_of_an_uploaded_kop_are_previewed(client_as, office):
    from docx.shared import Cm

    admin = client_as("admin")
    doc = open_docx(admin.get("/admin/kop/templat.docx").data)
    picture = png_bytes(200, 200)
    doc.sections[0].first_page_header.paragraphs[0].add_run().add_picture(io.BytesIO(picture), width=Cm(2))
    buf = io.BytesIO()
    doc.save(buf)
    _upload(admin, buf.getvalue())
    html = admin.get("/admin/kop").get_data(as_text=True)
    sources = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert [base64.b64decode(s) for s in sources] == [picture]
