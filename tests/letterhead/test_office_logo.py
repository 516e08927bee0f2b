"""The office profile's lambang and "KABUPATEN …" line: upload checked by content, stored, audited, and
printed by every generated document (decree, capaian report, SKM report); the editor's notes on where
the default texts depart from the signed 2025 decree."""
from __future__ import annotations

import base64
import io
import re
import struct
import zipfile

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow import storage
from factories import body_texts, jpeg_bytes, open_docx, png_bytes
from iku_workflow.decree import content, operations, sources
from iku_workflow.letterhead import identity, logo
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, Office, OfficeLogo
from iku_workflow.seed import gumukmas_2025 as seed


DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"




def _upload(client, data: bytes, name: str = "lambang-jember.png"):
    return client.post("/admin/kantor/lambang", data={"logo": (io.BytesIO(data), name)})


def _active(office) -> list[OfficeLogo]:
    return list(db.session.scalars(sa.select(OfficeLogo).where(OfficeLogo.office_id == office.id,
                                                               OfficeLogo.active.is_(True))))


def _kop_pictures(docx: bytes) -> int:
    header = open_docx(docx).sections[0].first_page_header._element
    return len(header.findall(".//" + DRAWING))


def _media(docx: bytes) -> list[bytes]:
    """The pictures of the document but the verification QR code a decree carries in its footer."""
    zf = zipfile.ZipFile(io.BytesIO(docx))
    footers = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("word/_rels/footer"))
    return [zf.read(n) for n in zf.namelist()
            if n.startswith("word/media/") and n.removeprefix("word/").encode() not in footers]


def _documents(client, office) -> dict[str, bytes]:
    """The decree (a new version), the capaian report and the SKM report, as the office downloads them."""
    from iku_workflow.models import SurveyPeriod

    decree = operations.find_decree(office, 2025) or operations.create_decree(office, 2025, None)
    version = operations.generate_version(decree, None)
    db.session.commit()
    period = db.session.scalar(sa.select(SurveyPeriod).where(SurveyPeriod.office_id == office.id)
                               .order_by(SurveyPeriod.id))
    docs = {"decree": operations.version_bytes(version),
            "capaian": client.get("/laporan/capaian/2025.docx").data,
            "skm": client.get(f"/skm/periode/{period.id}/laporan.docx").data}
    for name, data in docs.items():
        assert data[:2] == b"PK", name
    return docs


def test_uploaded_lambang_is_stored_audited_shown_and_printed_in_every_kop(admin, client_as, office):
    sekcam = client_as("sekcam")
    before = _documents(sekcam, office)
    assert {name: _kop_pictures(d) for name, d in before.items()} == {"decree": 0, "capaian": 0, "skm": 0}
    assert 'data-testid="logo-none"' in admin.get("/admin/kantor").get_data(as_text=True)

    image = png_bytes(160, 200)
    response = _upload(admin, image)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/kantor#lambang")
    db.session.expire_all()
    (stored,) = _active(office)
    assert (stored.mime, stored.width_px, stored.height_px, stored.size) == ("image/png", 160, 200, len(image))
    assert storage.read(stored.file_key) == image and stored.filename == "lambang-jember.png"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "office.logo_uploaded"))
    assert event.object_id == stored.id and event.details["width"] == 160

    page = admin.get("/admin/kantor").get_data(as_text=True)
    assert 'data-testid="logo-image"' in page and "160 × 200 px" in page
    src = re.search(r'<img src="data:image/png;base64,([^"]+)"[^>]*data-testid="logo-image"', page).group(1)
    assert base64.b64decode(src) == image

    after = _documents(sekcam, office)
    for name, data in after.items():
        assert _kop_pictures(data) == 1, name
        assert _media(data) == [image], name

    # a replacement is used from then on; the first one is kept, inactive
    jpeg = jpeg_bytes()
    assert _upload(admin, jpeg, "lambang.jpg").status_code == 302
    db.session.expire_all()
    (active,) = _active(office)
    assert active.mime == "image/jpeg" and (active.width_px, active.height_px) == (395, 512)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfficeLogo)) == 2
    assert _media(_documents(sekcam, office)["decree"]) == [jpeg]

    # removed: the kop's logo column is empty again
    assert admin.post("/admin/kantor/lambang/hapus").status_code == 302
    db.session.expire_all()
    assert _active(office) == []
    assert {name: _kop_pictures(d) for name, d in _documents(sekcam, office).items()} == {
        "decree": 0, "capaian": 0, "skm": 0}
    assert 'data-testid="logo-image"' not in admin.get("/admin/kantor").get_data(as_text=True)


def _bad_crc(png: bytes) -> bytes:
    damaged = bytearray(png)
    damaged[40] ^= 0xFF  # inside the IDAT data: the chunk's CRC no longer matches
    return bytes(damaged)


def _dimensions(png: bytes, width: int, height: int) -> bytes:
    """The same file claiming other dimensions in IHDR (CRC recomputed): a header python-docx reads."""
    import zlib
    ihdr = png[12:29]
    new = ihdr[:4] + struct.pack(">II", width, height) + ihdr[12:]
    return png[:12] + new + struct.pack(">I", zlib.crc32(new)) + png[33:]


@pytest.mark.parametrize("data, name, message", [
    (b"<html><script>alert(1)</script></html>", "lambang.png", "Lambang harus berupa gambar PNG atau JPEG."),
    (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "lambang.png", "Lambang harus berupa gambar PNG atau JPEG."),
    (b"GIF89a" + b"\x00" * 200, "lambang.gif", "Lambang harus berupa gambar PNG atau JPEG."),
    (b"", "lambang.png", "Pilih berkas gambar lambang"),
    (png_bytes()[:-30], "lambang.png", "Gambar lambang rusak atau tidak dapat dibaca."),
    (_bad_crc(png_bytes()), "lambang.png", "Gambar lambang rusak atau tidak dapat dibaca."),
    (png_bytes(40, 40), "kecil.png", "Gambar lambang terlalu kecil (40 × 40 piksel"),
    (_dimensions(png_bytes(), 6000, 6000), "besar.png", "Gambar lambang terlalu besar (6000 × 6000 piksel"),
    (png_bytes(400, 80), "pita.png", "Perbandingan lebar dan tinggi lambang tidak wajar"),
])
def test_refused_lambang_says_why_next_to_the_field_and_keeps_the_previous_one(admin, office, data, name, message):
    first = png_bytes()
    assert _upload(admin, first).status_code == 302
    response = _upload(admin, data, name) if data else admin.post("/admin/kantor/lambang", data={})
    assert response.status_code == 200  # re-shown, as the profile form's refusals are
    html = response.get_data(as_text=True)
    assert 'data-testid="logo-error"' in html and message in html
    assert 'value="NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si"' in html  # the profile form shows the office
    db.session.expire_all()
    (active,) = _active(office)
    assert storage.read(active.file_key) == first


def test_over_the_size_limit_is_refused(admin, office, monkeypatch):
    monkeypatch.setattr(logo, "MAX_LOGO_BYTES", 4096)  # a small limit keeps the test's upload in memory
    heavy = png_bytes() + b"\x00" * 5000
    response = _upload(admin, heavy, "berat.png")
    assert response.status_code == 200
    assert "Berkas lambang terlalu besar (batas 4 KB)." in response.get_data(as_text=True)
    assert _active(office) == []
    with pytest.raises(logo.LogoError, match="batas 1024 KB"):
        monkeypatch.undo()
        logo.check_logo(png_bytes() + b"\x00" * (1024 * 1024))


def test_only_the_admin_manages_the_lambang_and_each_office_its_own(client_as, office, other_office):
    for user in ("camat", "sekcam"):
        assert _upload(client_as(user), png_bytes()).status_code == 403
    assert _active(office) == []
    assert _upload(client_as("admin-puger"), png_bytes(90, 90)).status_code == 302
    db.session.expire_all()
    assert _active(office) == [] and len(_active(other_office)) == 1
    assert 'data-testid="logo-none"' in client_as("admin").get("/admin/kantor").get_data(as_text=True)
    assert logo.load_logo(office) is None and logo.load_logo(other_office) == png_bytes(90, 90)


def test_jpeg_with_its_padding_and_a_cut_jpeg():
    jpeg = jpeg_bytes()
    assert logo.check_logo(jpeg).mime == "image/jpeg"
    with pytest.raises(logo.LogoError, match="rusak"):
        logo.check_logo(jpeg[:-200])


# ---------------------------------------------------------------- "KABUPATEN JEMBER" under the jabatan


def test_kabupaten_line_is_on_by_default_and_the_admin_can_turn_it_off(admin, client_as, office):
    assert office.show_kabupaten_line is True
    html = admin.get("/admin/kantor").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="show_kabupaten_line"[^>]*>', html).group(0)
    assert "checked" in box
    texts = body_texts(open_docx(_documents(client_as("sekcam"), office)["decree"]))
    i = texts.index("KEPUTUSAN CAMAT GUMUKMAS")
    assert texts[i + 1] == "KABUPATEN JEMBER"
    j = next(n for n, t in enumerate(texts) if t.startswith("pada tanggal"))
    assert [t for t in texts[j + 1:j + 4] if t] == ["CAMAT GUMUKMAS", "KABUPATEN JEMBER,"]

    form = {f: getattr(office, f) or "" for f in ("name", "kabupaten", "address", "telephone", "email",
                                                  "postal_code", "city", "camat_name", "camat_pangkat",
                                                  "camat_nip", "signatory_acting")}
    assert admin.post("/admin/kantor", data={**form, "paper_size": "F4"}).status_code == 302  # box unticked
    db.session.expire_all()
    stored = db.session.get(Office, office.id)
    assert stored.show_kabupaten_line is False
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "office.updated"))
    assert event.details["changed"]["show_kabupaten_line"] == [True, False]
    docs = _documents(client_as("sekcam"), stored)
    texts = body_texts(open_docx(docs["decree"]))
    assert "KABUPATEN JEMBER" not in texts and "KABUPATEN JEMBER," not in texts
    for name in ("capaian", "skm"):
        assert "KABUPATEN JEMBER," not in body_texts(open_docx(docs[name])), name

    assert admin.post("/admin/kantor", data={**form, "paper_size": "F4", "show_kabupaten_line": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Office, office.id).show_kabupaten_line is True
    sig = identity.signatory(db.session.get(Office, office.id))
    assert sig.kabupaten == "KABUPATEN JEMBER"


# ---------------------------------------------------------------- the seed's diktum and its changes


def test_kesatu_names_the_iku_and_kedua_refers_to_the_lampiran():
    kesatu, kedua = (d["text"] for d in seed.default_diktum("Gumukmas", "Jember")[:2])
    assert kesatu == "Indikator Kinerja Utama Kecamatan Gumukmas Kabupaten Jember."
    assert "Lampiran" not in kesatu
    assert kedua == ("Indikator Kinerja Utama Kecamatan Gumukmas Kabupaten Jember sebagaimana dimaksud dalam "
                     "Diktum KESATU tersebut dalam Lampiran.")


def _draft(office, year: int):
    """A fresh draft from the defaults (the demo's own 2025 draft is replaced)."""
    old = operations.find_decree(office, year)
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    decree = operations.create_decree(office, year, None)
    db.session.commit()
    return decree


def test_seed_lists_its_changes_and_each_is_really_in_the_defaults(office):
    decree = _draft(office, 2025)
    annex = sources.annex_content(office, 2025, decree).content
    places = [c["place"] for c in seed.SIGNED_CHANGES]
    assert {"Mengingat angka 9", "IKU 2, penjelasan butir 2", "IKU 5, penjelasan butir 1"} <= set(places)
    notes = content.signed_changes(decree, annex)
    assert [n["place"] for n in notes] == places  # a fresh draft carries every change
    for note in notes:
        assert note["signed"] != note["ours"] and "{year}" not in note["ours"]
    assert next(n for n in notes if n["place"] == "IKU 6, penjelasan")["ours"] == "direncanakan pada tahun 2025"
    # the signed wording is not in the defaults
    words = content._words([decree.mengingat, decree.diktum, [r.formulation for r in annex.rows]])
    for signed in ("Nomor 53 Tahun 2015", "menggunakan melalui", "yang nilainya dilakukan", "SPAN Lapor",
                   "dictum", "Pemkab"):
        assert signed not in words


def test_the_editor_shows_the_camat_each_change_still_in_the_draft(client_as, office):
    decree = _draft(office, 2025)
    camat = client_as("camat")
    html = camat.get("/keputusan/2025").get_data(as_text=True)
    assert 'data-testid="signed-changes"' in html
    assert html.count('data-testid="signed-change"') == len(seed.SIGNED_CHANGES)
    assert "Mengingat angka 9" in html and "«Nomor 53 Tahun 2015»" in html and "«Nomor 53 Tahun 2014»" in html

    # the sekcam writes the signed year back: that note goes, the others stay
    mengingat = list(decree.mengingat)
    mengingat[8] = mengingat[8].replace("Tahun 2014", "Tahun 2015")
    operations.update_decree(decree, get_user("sekcam"), {"mengingat": mengingat})
    db.session.commit()
    html = camat.get("/keputusan/2025").get_data(as_text=True)
    assert "Mengingat angka 9" not in html
    assert html.count('data-testid="signed-change"') == len(seed.SIGNED_CHANGES) - 1


def test_version_snapshot_records_the_lambang_by_its_digest(client_as, office):
    import hashlib

    image = png_bytes()
    logo.upload_logo(office, image, "lambang.png", get_user("admin"))
    decree = _draft(office, 2025)
    version = operations.generate_version(decree, None)
    db.session.commit()
    assert version.snapshot["office"]["logo"] == hashlib.sha256(image).hexdigest()
    assert version.snapshot["signatory"]["kabupaten"] == "KABUPATEN JEMBER"
