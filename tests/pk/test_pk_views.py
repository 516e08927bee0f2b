"""The PK pages: the list and the new-PK form, the edit page (parties, table 1 with the error next to the field
and what was typed kept), versions, the signed final, PK Perubahan, who may do what, and the public verification
page of a final PK with the QR code in the document's footer."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import open_docx, tiny_pdf
from iku_workflow.extensions import db
from iku_workflow.models import PerformanceAgreement, PerformanceVersion, PkStatus, Section
from iku_workflow.pk import operations
from iku_workflow.reports.decree import qr_png

BASE = "https://iku.gumukmas.example"


def _csrf(html: str) -> str:
    """The page's CSRF token (the suite's app checks none; tests/test_csrf.py walks every form with it on)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _form_fields(html: str) -> dict:
    """The values the edit form would post as loaded (text inputs, textareas, selected options)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', html):
        data.setdefault(value, name)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = (chosen.group(1) or chosen.group(2) or "") if chosen else ""
    data = {k: v for k, v in data.items() if not k.endswith("-remove")}
    import html as h

    return {k: h.unescape(v) for k, v in data.items()}


@pytest.fixture
def sekcam(client_as):
    return client_as("sekcam")


def _create(client, year="2025", level="camat", section=""):
    page = client.get("/pk")
    return client.post("/pk/buat", data={"csrf_token": _csrf(page.get_data(as_text=True)), "year": year,
                                         "level": level, "section": section})


def test_sekcam_drafts_the_camat_pk_from_the_iku(sekcam, office):
    response = _create(sekcam)
    assert response.status_code == 302
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    assert response.headers["Location"].endswith(f"/pk/{pk.id}")
    html = sekcam.get(f"/pk/{pk.id}").get_data(as_text=True)
    assert "Perjanjian Kinerja 2025" in html and "Indeks Kepuasan Masyarakat" in html
    assert 'data-testid="pk-row-7"' in html  # six IKU and the empty row for a new one
    listing = sekcam.get("/pk").get_data(as_text=True)
    assert f'href="/pk/{pk.id}"' in listing


def test_create_form_errors_stay_next_to_the_field(sekcam, office):
    bad = _create(sekcam, year="20x5")
    assert bad.status_code == 422 and "is-invalid" in bad.get_data(as_text=True)
    assert 'value="20x5"' in bad.get_data(as_text=True)
    no_section = _create(sekcam, level="seksi")
    assert no_section.status_code == 422 and "Pilih seksi" in no_section.get_data(as_text=True)
    no_iku = _create(sekcam, year="2031")
    assert no_iku.status_code == 422 and "IKU tahun 2031 belum ada" in no_iku.get_data(as_text=True)
    assert db.session.query(PerformanceAgreement).count() == 0
    trantib = db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == "trantib"))
    assert _create(sekcam, level="seksi", section=str(trantib.id)).status_code == 302
    assert db.session.scalar(sa.select(PerformanceAgreement)).holder == f"seksi-{trantib.id}"


def test_edit_saves_parties_and_rows_and_keeps_bad_input(sekcam, office):
    _create(sekcam)
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    html = sekcam.get(f"/pk/{pk.id}").get_data(as_text=True)
    data = _form_fields(html)
    data.update({"second_name": "Ir. H. MUHAMMAD FAWAIT, M.Sc.", "rows-0-target": "12", "rows-6-indicator_text":
                 "Persentase dokumen perencanaan tepat waktu", "rows-6-sasaran": "Sasaran tambahan",
                 "rows-6-target": "87,5", "rows-6-unit": "%", "rows-5-remove": "y", "op": "save"})
    response = sekcam.post(f"/pk/{pk.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    pk = db.session.get(PerformanceAgreement, pk.id)
    assert pk.second_name == "Ir. H. MUHAMMAD FAWAIT, M.Sc."
    assert len(pk.targets) == 6 and str(pk.targets[0].target).rstrip("0").rstrip(".") == "12"
    assert pk.targets[-1].indicator_text == "Persentase dokumen perencanaan tepat waktu"
    assert float(pk.targets[-1].target) == 87.5 and pk.targets[-1].indicator_id is None
    # a bad target and a NIP of the wrong length: 422, the messages next to the fields, what was typed kept
    data = _form_fields(sekcam.get(f"/pk/{pk.id}").get_data(as_text=True))
    data.update({"rows-1-target": "1.5", "first_nip": "123", "first_name": "Nama Baru", "op": "save"})
    bad = sekcam.post(f"/pk/{pk.id}", data=data)
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "NIP terdiri atas 18 angka" in page and 'value="1.5"' in page
    assert 'value="Nama Baru"' in page
    db.session.expire_all()
    assert db.session.get(PerformanceAgreement, pk.id).first_name != "Nama Baru"


def test_versions_final_and_public_verification(app, sekcam, client_as, client, office):
    app.config["IKU_PUBLIC_BASE_URL"] = BASE
    _create(sekcam)
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    token = _csrf(sekcam.get(f"/pk/{pk.id}").get_data(as_text=True))
    assert sekcam.post(f"/pk/{pk.id}/versi", data={"csrf_token": token}).status_code == 302
    again = sekcam.post(f"/pk/{pk.id}/versi", data={"csrf_token": token}, follow_redirects=True)
    assert "Tidak ada perubahan sejak draf versi 1" in again.get_data(as_text=True)
    version = db.session.scalar(sa.select(PerformanceVersion))
    download = sekcam.get(f"/pk/{pk.id}/versi/1.docx")
    assert download.status_code == 200 and download.data == operations.version_bytes(version)
    assert "no-store" in download.headers["Cache-Control"]
    url = f"{BASE}/verifikasi-pk/{version.verify_token}"
    doc = open_docx(download.data)
    footer = doc.sections[0].footer
    assert url in "\n".join(p.text for p in footer.paragraphs)
    blobs = [footer.part.related_parts[b.get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")].blob
        for b in footer._element.xpath(".//a:blip")]
    assert qr_png(url) in blobs
    # the draft's link is no public page yet
    assert client.get(f"/verifikasi-pk/{version.verify_token}").status_code == 404

    camat = client_as("camat")
    scan = tiny_pdf("PK ditandatangani Camat dan Bupati")
    token = _csrf(camat.get(f"/pk/{pk.id}").get_data(as_text=True))
    missing = camat.post(f"/pk/{pk.id}/final", data={"csrf_token": token, "version": "1"},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "Unggah pindaian" in missing.get_data(as_text=True)
    final = camat.post(f"/pk/{pk.id}/final", data={"csrf_token": token, "version": "1",
                                                   "signed": (io.BytesIO(scan), "pk-ttd.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "ditetapkan final" in final.get_data(as_text=True)
    db.session.expire_all()
    pk = db.session.get(PerformanceAgreement, pk.id)
    assert pk.status is PkStatus.FINAL and pk.signed_sha256 == hashlib.sha256(scan).hexdigest()
    assert camat.get(f"/pk/{pk.id}/ttd.pdf").data == scan

    public = client.get(f"/verifikasi-pk/{version.verify_token}")
    html = public.get_data(as_text=True)
    assert public.status_code == 200
    for text in ("Kecamatan Gumukmas", "Perjanjian Kinerja Tahun 2025", "CAMAT GUMUKMAS", "BUPATI JEMBER",
                 "19840624 200212 1 001", pk.signed_sha256):
        assert text in html
    assert "Keluar" not in html
    match = client.post(f"/verifikasi-pk/{version.verify_token}", data={"pdf": (io.BytesIO(scan), "cek.pdf")},
                        content_type="multipart/form-data")
    assert 'data-testid="pk-verify-match"' in match.get_data(as_text=True)
    other = client.post(f"/verifikasi-pk/{version.verify_token}",
                        data={"pdf": (io.BytesIO(tiny_pdf("lain")), "cek.pdf")}, content_type="multipart/form-data")
    assert 'data-testid="pk-verify-mismatch"' in other.get_data(as_text=True)
    assert client.get("/verifikasi-pk/tidak-ada").status_code == 404

    # final: edits refused, the page reads as final; PK Perubahan starts from it
    edit = sekcam.post(f"/pk/{pk.id}", data={"csrf_token": token})
    assert edit.status_code == 303
    token = _csrf(sekcam.get(f"/pk/{pk.id}").get_data(as_text=True))
    amend = sekcam.post(f"/pk/{pk.id}/perubahan", data={"csrf_token": token})
    new = operations.find_pk(office, 2025)
    assert amend.status_code == 302 and new.sequence == 1 and amend.headers["Location"].endswith(f"/pk/{new.id}")
    assert "PK Perubahan 1" in sekcam.get(f"/pk/{new.id}").get_data(as_text=True)


def test_who_may_do_what(client_as, office):
    sekcam = client_as("sekcam")
    _create(sekcam)
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    pmks = client_as("pmks")
    assert pmks.get(f"/pk/{pk.id}").status_code == 200  # every office user reads it
    page = pmks.get(f"/pk/{pk.id}").get_data(as_text=True)
    assert 'data-testid="pk-form"' not in page and 'data-testid="pk-finalize-form"' not in page
    token = _csrf(pmks.get("/pk").get_data(as_text=True))
    assert pmks.post("/pk/buat", data={"csrf_token": token, "year": "2025", "level": "sekcam"}).status_code == 403
    assert pmks.post(f"/pk/{pk.id}/versi", data={"csrf_token": token}).status_code == 403
    assert pmks.post(f"/pk/{pk.id}/final", data={"csrf_token": token}).status_code == 403
    camat = client_as("camat")
    assert camat.post(f"/pk/{pk.id}/versi", data={"csrf_token": token}).status_code == 403  # the Camat signs, not drafts


def test_another_office_never_reaches_a_pk(client_as, office, other_office):
    _create(client_as("sekcam"))
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    version = operations.generate_version(pk, None)
    db.session.commit()
    other = client_as(next(u for u in ("sekcam.kencong", "admin.kencong") if get_user(u) is not None))
    assert other.get(f"/pk/{pk.id}").status_code == 404
    assert other.get(f"/pk/{pk.id}/versi/{version.number}.docx").status_code == 404
    assert f"/pk/{pk.id}" not in other.get("/pk").get_data(as_text=True)
