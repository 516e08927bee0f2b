"""The decree pages: create, edit the ordered lists, preview, versions, final, office isolation."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest

from conftest import get_user
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.models import DecreeVersion
from iku_workflow.models import Decree

from factories import body_texts, open_docx, tiny_pdf


def _form(decree: Decree, **changes) -> dict:
    """The edit form as the browser posts it for ``decree`` (values overridable)."""
    data = {"nomor": decree.nomor, "tempat": decree.tempat, "tentang": decree.tentang,
            "tanggal": decree.tanggal.isoformat() if decree.tanggal else "", "op": "save"}
    for name in ("menimbang", "mengingat", "memperhatikan", "tembusan", "tugas", "fungsi"):
        for i, text in enumerate(getattr(decree, name)):
            data[f"{name}-{i}"] = text
    for i, d in enumerate(decree.diktum):
        data[f"diktum-{i}-text"] = d["text"]
        data[f"diktum-{i}-items"] = "\n".join(d["items"])
        data[f"diktum-{i}-style"] = d["item_style"] or "number"
    data.update(changes)
    return data


@pytest.fixture
def sekcam(client_as):
    return client_as("sekcam")


@pytest.fixture
def decree(sekcam, office):
    response = sekcam.post("/keputusan/buat", data={"year": "2030"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/keputusan/2030")
    return operations.find_decree(office, 2030)


def test_create_and_edit_page_shows_the_defaults(sekcam, decree):
    page = sekcam.get("/keputusan/2030").get_data(as_text=True)
    assert 'name="mengingat-8"' in page and 'name="mengingat-9"' not in page
    for word in ("KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM"):
        assert f'data-testid="diktum-word">{word}<' in page
    assert "Lampiran diambil dari teks bawaan karena IKU tahun ini belum diisi" in page
    assert "000.8.6.3/   /35.09.04/2030" in page
    again = sekcam.post("/keputusan/buat", data={"year": "2030"}, follow_redirects=True)
    assert "sudah ada" in again.get_data(as_text=True)


def test_edit_a_legal_basis_and_see_it_in_the_preview(sekcam, decree):
    text = "Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja (diubah uji);"
    response = sekcam.post("/keputusan/2030", data=_form(decree, **{"mengingat-2": text, "tanggal": "12 Pebruari 2030"}))
    assert response.status_code == 302
    db.session.refresh(decree)
    assert decree.mengingat[2] == text and len(decree.mengingat) == 9
    assert decree.tanggal == date(2030, 2, 12)
    preview = sekcam.get("/keputusan/2030/pratinjau").get_data(as_text=True)
    assert "(diubah uji)" in preview and "12 Februari 2030" in preview
    assert preview.count('data-testid="iku-row"') == 6 and preview.count('data-testid="diktum"') == 6
    assert "NIP. 19840624 200212 1 001" in preview
    assert "× 100%" in preview and 'class="fraction-num' in preview


def test_move_delete_and_add_items_without_javascript(sekcam, decree):
    first, second = decree.mengingat[0], decree.mengingat[1]
    sekcam.post("/keputusan/2030", data=_form(decree, op="mengingat:down:0"))
    db.session.refresh(decree)
    assert decree.mengingat[:2] == [second, first]
    sekcam.post("/keputusan/2030", data=_form(decree, op="mengingat:delete:8"))
    db.session.refresh(decree)
    assert len(decree.mengingat) == 8
    sekcam.post("/keputusan/2030", data=_form(decree, op="tembusan:add:-", **{"tembusan-new": "Bupati Jember"}))
    db.session.refresh(decree)
    assert decree.tembusan == ["Bupati Jember"]
    sekcam.post("/keputusan/2030", data=_form(decree, op="diktum:up:5"))
    db.session.refresh(decree)
    assert decree.diktum[4]["text"].endswith("mulai berlaku pada tanggal ditetapkan.")
    sekcam.post("/keputusan/2030", data=_form(decree, **{"diktum-new-text": "Diktum tambahan uji.",
                                                            "diktum-new-items": "satu\ndua", "diktum-new-style": "letter"}))
    db.session.refresh(decree)
    assert decree.diktum[-1] == {"text": "Diktum tambahan uji.", "items": ["satu", "dua"], "item_style": "letter"}
    page = sekcam.get("/keputusan/2030").get_data(as_text=True)
    assert 'data-testid="diktum-word">KETUJUH<' in page


def test_validation_errors_keep_what_was_typed(sekcam, decree):
    typed = "Dasar hukum yang baru diketik dan tidak boleh hilang;"
    response = sekcam.post("/keputusan/2030", data=_form(
        decree, nomor="", tanggal="31 Pebruari 2030", **{"mengingat-new": typed, "mengingat-0": "diubah juga;"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nomor keputusan wajib diisi." in page and "Tanggal tidak ada di kalender" in page
    assert typed in page and "diubah juga;" in page and 'value="31 Pebruari 2030"' in page
    db.session.refresh(decree)
    assert decree.mengingat[0].startswith("Undang-Undang") and decree.nomor  # nothing stored


def test_versions_download_and_final(sekcam, client_as, decree, app):
    assert sekcam.post("/keputusan/2030/versi").status_code == 302
    again = sekcam.post("/keputusan/2030/versi", follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada perubahan sejak draf versi 1" in again and 'data-testid="download-2"' not in again
    assert db.session.query(DecreeVersion).filter_by(decree_id=decree.id).count() == 1
    decree.tentang += " (perubahan)"
    decree.menimbang = list(decree.menimbang) + ["bahwa perlu ditambahkan pertimbangan uji;"]
    db.session.commit()
    assert sekcam.post("/keputusan/2030/versi").status_code == 302
    page = sekcam.get("/keputusan/2030").get_data(as_text=True)
    assert 'data-testid="download-2"' in page and "Sekretaris Camat Gumukmas" in page
    changes = re.search(r'data-testid="version-changes-2">(.*?)</td>', page, re.S).group(1)
    assert "Diubah: tentang, menimbang." in changes
    assert "Versi pertama" in re.search(r'data-testid="version-changes-1">(.*?)</td>', page, re.S).group(1)
    response = sekcam.get("/keputusan/2030/versi/1.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "KESATU" in body_texts(open_docx(response.data))

    camat = client_as("camat")
    assert camat.post("/keputusan/2030", data=_form(decree)).status_code == 403  # camat reads, does not edit
    refused = camat.post("/keputusan/2030/final", data={"version": "2", "signed": (io.BytesIO(b"GIF89a"), "x.pdf")},
                         follow_redirects=True)
    assert "harus berupa berkas PDF" in refused.get_data(as_text=True)
    response = camat.post("/keputusan/2030/final", data={"version": "2", "signed": (io.BytesIO(tiny_pdf()), "ttd.pdf")})
    assert response.status_code == 302
    db.session.refresh(decree)
    assert decree.is_final and decree.final_version.number == 2

    page = sekcam.get("/keputusan/2030").get_data(as_text=True)
    assert 'data-testid="decree-form"' not in page and 'data-testid="generate"' not in page
    assert 'data-testid="finalize-form"' not in page and 'data-testid="final-box"' in page
    refused = sekcam.post("/keputusan/2030", data=_form(decree, nomor="lain/2030"), follow_redirects=True)
    assert "sudah ditetapkan final; perubahan ditolak" in refused.get_data(as_text=True)
    db.session.refresh(decree)
    assert decree.nomor != "lain/2030"
    with sekcam.get("/keputusan/2030/ttd.pdf") as scan:  # a streamed file: close it
        assert scan.status_code == 200 and scan.data == tiny_pdf() and scan.mimetype == "application/pdf"
        assert scan.headers["X-Content-Type-Options"] == "nosniff"


def test_seksi_cannot_open_and_admin_may_manage(client_as, decree):
    assert client_as("trantib").get("/keputusan/2030").status_code == 403
    assert client_as("admin").post("/keputusan/2030/versi").status_code == 302
    assert client_as("admin").post("/keputusan/2030/final", data={"version": "1"}).status_code == 403


def test_other_office_sees_nothing_of_this_decree(client_as, decree, other_office):
    sekcam = client_as("sekcam")
    sekcam.post("/keputusan/2030/versi")
    puger = client_as("sekcam-puger")
    assert puger.get("/keputusan/2030/versi/1.docx").status_code == 404
    assert puger.get("/keputusan/2030/pratinjau").status_code == 404
    assert puger.get("/keputusan/2030").status_code == 404  # "not yet created" for Puger
    assert puger.post("/keputusan/2030/versi").status_code == 404
    assert "000.8.6.3" not in puger.get("/keputusan").get_data(as_text=True)
    # Puger's own decree of the same year is separate
    puger.post("/keputusan/buat", data={"year": "2030"})
    puger.post("/keputusan/2030/versi")
    doc = open_docx(puger.get("/keputusan/2030/versi/1.docx").data)
    assert "KEPUTUSAN CAMAT PUGER" in body_texts(doc)


def test_menu_entries(client_as, office):
    home = client_as("admin").get("/keputusan").get_data(as_text=True)
    for key in ("decree", "reports.capaian", "admin.letterhead"):
        assert f'data-menu="{key}"' in home
    camat = client_as("camat").get("/keputusan").get_data(as_text=True)
    assert 'data-menu="decree"' in camat and 'data-menu="admin.letterhead"' not in camat
    assert 'data-testid="create-form"' not in camat


def test_list_item_boxes_fit_their_text(sekcam, decree):
    """A long legal basis gets a textarea tall enough to read it whole (at most 8 rows), a short one 2."""
    import re

    page = sekcam.get("/keputusan/2030").get_data(as_text=True)
    rows = {}
    for name, value in re.findall(r'<textarea[^>]*name="(mengingat-\d+)"[^>]*rows="(\d+)"', page):
        rows[name] = int(value)
    assert len(rows) == len(decree.mengingat)
    for i, text in enumerate(decree.mengingat):
        assert rows[f"mengingat-{i}"] == min(max(2, len(text) // 80 + 1), 8), (i, len(text))
    assert max(rows.values()) > 2  # the decree's legal bases are long enough that some grow


@pytest.mark.parametrize("locale", ["id", "en"])
def test_a_refused_year_goes_back_to_the_list_and_an_existing_one_to_its_decree(client_as, office, locale):
    """The view tells the refusals apart by their type, so the English page behaves as the Indonesian one."""
    get_user("sekcam").locale = locale
    db.session.commit()
    sekcam = client_as("sekcam")
    out_of_range = sekcam.post("/keputusan/buat", data={"year": "1999"})
    # refused by the form, next to the year box, with what was typed kept
    assert out_of_range.status_code == 422 and 'value="1999"' in out_of_range.get_data(as_text=True)
    assert sekcam.post("/keputusan/buat", data={"year": "2030"}).headers["Location"].endswith("/keputusan/2030")
    again = sekcam.post("/keputusan/buat", data={"year": "2030"})
    assert again.headers["Location"].endswith("/keputusan/2030")
    assert operations.find_decree(office, 1999) is None
