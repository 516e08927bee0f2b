"""The editor's "Pratinjau" shows what is typed, saved or not, and stores nothing (issue 14)."""
from __future__ import annotations

import re

import pytest

from conftest import get_user
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, DecreeVersion

from tests.decree.test_decree_views import _form


@pytest.fixture
def sekcam(client_as):
    return client_as("sekcam")


@pytest.fixture
def decree(office):
    made = operations.create_decree(office, 2030, get_user("sekcam"))
    db.session.commit()
    return made


def _stored(decree) -> dict:
    db.session.expire_all()
    fresh = operations.find_decree(decree.office, decree.year)
    return {name: getattr(fresh, name) for name in operations.EDITABLE_FIELDS}


def test_the_preview_shows_typed_values_and_saves_nothing(sekcam, decree):
    before = _stored(decree)
    events = db.session.query(AuditEvent).count()
    typed = _form(decree, **{
        "tentang": "Indikator Kinerja Utama (belum disimpan)", "tanggal": "2030-03-04",
        "mengingat-2": "Peraturan yang baru diketik;", "tembusan-new": "Bupati Jember",
        "diktum-0-text": "Diktum yang diketik ulang.", "mengingat-5": "",  # an emptied item is a removed item
    })
    response = sekcam.post("/keputusan/2030/pratinjau", data=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="preview-unsaved"' in html and "belum disimpan" in html
    assert "INDIKATOR KINERJA UTAMA (BELUM DISIMPAN)" in html
    assert "Peraturan yang baru diketik;" in html and "Bupati Jember" in html
    assert "Diktum yang diketik ulang." in html and "4 Maret 2030" in html
    assert html.count('data-testid="mengingat-item"') == len(before["mengingat"]) - 1
    assert before["mengingat"][5] not in html
    # nothing stored: the decree, its versions and the audit log are as they were
    assert _stored(decree) == before
    assert db.session.query(DecreeVersion).count() == 0
    assert db.session.query(AuditEvent).count() == events
    # the saved preview still shows the stored text
    saved = sekcam.get("/keputusan/2030/pratinjau").get_data(as_text=True)
    assert "(BELUM DISIMPAN)" not in saved and 'data-testid="preview-unsaved"' not in saved


def test_a_typed_preview_with_mistakes_says_what_is_wrong(sekcam, decree):
    response = sekcam.post("/keputusan/2030/pratinjau", data=_form(decree, nomor="", tanggal="31 Pebruari 2030"))
    assert response.status_code == 200
    problems = re.search(r'data-testid="preview-problems">(.*?)</ul>', response.get_data(as_text=True), re.S).group(1)
    assert "Nomor keputusan wajib diisi." in problems and "tanggal" in problems.lower()
    assert _stored(decree)["nomor"] == decree.nomor


def test_the_editor_posts_its_form_to_the_preview_in_a_new_tab(sekcam, decree):
    html = sekcam.get("/keputusan/2030").get_data(as_text=True)
    for testid in ("preview-link", "preview-typed"):
        button = re.search(rf'<button[^>]*data-testid="{testid}"[^>]*>', html, re.S).group(0)
        assert 'formaction="/keputusan/2030/pratinjau"' in button and 'formtarget="_blank"' in button
    assert 'id="decree-form"' in html and 'form="decree-form"' in html


def test_only_who_edits_the_decree_previews_typed_text(client_as, decree, other_office):
    data = _form(decree, tentang="Judul curian")
    assert client_as("camat").post("/keputusan/2030/pratinjau", data=data).status_code == 403
    assert client_as("pemerintahan").post("/keputusan/2030/pratinjau", data=data).status_code == 403
    assert client_as("sekcam-puger").post("/keputusan/2030/pratinjau", data=data).status_code == 404
    assert client_as("admin").post("/keputusan/2030/pratinjau", data=data).status_code == 200


def test_the_typed_preview_needs_the_csrf_token(csrf_app, decree):
    from tests.test_csrf import signed_in

    client = signed_in(csrf_app, "sekcam")
    response = client.post("/keputusan/2030/pratinjau", data=_form(decree, tentang="Tanpa token"))
    assert response.status_code == 400
    assert "TANPA TOKEN" not in response.get_data(as_text=True)


def test_a_final_decree_previews_what_was_signed(sekcam, decree):
    from factories import tiny_pdf

    version = operations.generate_version(decree, get_user("sekcam"))
    operations.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()
    response = sekcam.post("/keputusan/2030/pratinjau", data=_form(decree, tentang="Diubah setelah final"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/keputusan/2030/pratinjau")
