"""Bahasa Indonesia by default, English by the user's (or the visitor's) choice."""
from __future__ import annotations

from pathlib import Path

from conftest import get_user
from iku_workflow.extensions import db

TRANSLATIONS = Path(__file__).resolve().parent.parent / "iku_workflow" / "translations"


def test_catalog_is_compiled_and_found(app):
    assert (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo").is_file()
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]).resolve() == TRANSLATIONS.resolve()


def test_catalog_is_complete_and_compiled_from_the_po():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        po = read_po(fh)
    untranslated = [m.id for m in po if m.id and not m.string]
    assert untranslated == []
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert fuzzy == []
    with open(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        mo = read_mo(fh)
    def plain(value):  # a plural message's ids and strings are a tuple in the .po and a list in the .mo
        return tuple(value) if isinstance(value, (list, tuple)) else value

    assert {(plain(m.id), m.context): plain(m.string) for m in po if m.id} == {
        (plain(m.id), m.context.decode() if isinstance(m.context, bytes) else m.context): plain(m.string)
        for m in mo if m.id}, \
        "messages.mo is stale: run pybabel compile -d iku_workflow/translations"


def test_default_is_indonesian(client, office):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk ke IKU Workflow" in html and "Nama pengguna" in html


def test_user_with_english_locale_sees_english(client_as, office):
    user = get_user("admin")
    user.locale = "en"
    db.session.commit()
    html = client_as("admin").get("/admin/pengguna").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Users" in html and "Sign out" in html and "Add user" in html and "Office profile" in html
    assert "Tambah pengguna" not in html
    assert "District secretary" in html  # role labels too


def test_english_flash_and_error_pages(client_as, office):
    user = get_user("camat")
    user.locale = "en"
    db.session.commit()
    client = client_as("camat")
    assert "Access denied" in client.get("/admin/pengguna").get_data(as_text=True)
    assert "Page not found" in client.get("/tidak-ada").get_data(as_text=True)


def test_account_language_form_switches_to_english(client_as, office):
    client = client_as("sekcam")
    response = client.post("/akun", data={"lang-locale": "en", "lang-submit": "1"}, follow_redirects=True)
    assert "Display language saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_user("sekcam").locale == "en"
    assert "My account" in client.get("/akun").get_data(as_text=True)


def test_visitor_can_switch_language_before_signing_in(client, office):
    response = client.post("/bahasa", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert "Sign in to IKU Workflow" in html and "Username" in html and "Bahasa Indonesia" in html
    response = client.post("/login", data={"username": "camat", "password": "salah-sandi-123"})
    assert "Wrong username or password." in response.get_data(as_text=True)
    client.post("/bahasa", data={"locale": "id"})
    assert "Masuk ke IKU Workflow" in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_unknown_locale_and_foreign_next(client, office):
    response = client.post("/bahasa", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/login"
    assert "Masuk ke IKU Workflow" in client.get("/login").get_data(as_text=True)


# What each capability's main page shows in either language (headings, labels, workflow states).
PAGES = {
    "/dasbor/2025": (["KPI achievement of", "KPI list", "Waiting for review", "Realisation", "Achievement",
                      "View data", "No data yet."],
                     ["Capaian IKU", "Daftar IKU", "Realisasi", "Lihat data", "Belum ada data."]),
    "/dokumen/2025": (["Required documents for 2025", "Completeness", "By group", "LAKIP documents",
                       "Draft", "Manage list"],
                      ["Dokumen wajib tahun", "Tingkat kelengkapan", "Per kelompok", "Atur daftar"]),
    "/skm/": (["Community Satisfaction Survey (SKM)", "Open a survey period", "Respondents", "Closed",
               "Approved"],
              ["Survei Kepuasan Masyarakat (SKM)", "Buka periode survei", ">Responden<", "Ditutup", "Disetujui"]),
    "/keputusan": (["s decree on the KPIs (IKU)", "One decree per year"],
                   ["Keputusan Camat tentang IKU", "Satu keputusan per tahun"]),
    "/lkjip/2025": (["Chapter III Performance Accountability", "Compared with the two previous years", "no data",
                     "Efficiency = Average performance achievement"],
                    ["Bab III Akuntabilitas Kinerja", "Perbandingan dengan dua tahun sebelumnya", "tidak ada data",
                     "Efisiensi = Capaian kinerja rata-rata"]),
    "/tinjauan": (["Review queue", "Public order complaints (IKU 4)", "SKM result", "All kinds"],
                  ["Antrean tinjauan", "Pengaduan trantib (IKU 4)", "Hasil SKM", "Semua jenis"]),
}


def _pages(client):
    out = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.get_data(as_text=True)
    return out


def test_english_user_sees_the_capability_pages_in_english(client_as, office):
    get_user("sekcam").locale = "en"
    db.session.commit()
    for url, html in _pages(client_as("sekcam")).items():
        english, indonesian = PAGES[url]
        assert '<html lang="en">' in html, url
        for text in english:
            assert text in html, (url, text)
        for text in indonesian:
            assert text not in html, (url, text)


def test_indonesian_user_sees_the_same_pages_in_indonesian(client_as, office):
    for url, html in _pages(client_as("sekcam")).items():
        english, indonesian = PAGES[url]
        assert '<html lang="id">' in html, url
        for text in indonesian:
            assert text in html, (url, text)
        for text in english:
            assert text not in html, (url, text)


def test_english_operation_errors_and_stored_notifications_stay_indonesian(client_as, office):
    from iku_workflow.models import Notification, WorkflowEntry
    from iku_workflow.workflow import operations as wf

    import sqlalchemy as sa

    user = get_user("pemerintahan")
    user.locale = "en"
    entry = wf.create_entry(office_id=office.id, kind="complaint", title="Aduan uji", year=2025,
                            user=user, section_id=user.section_id)
    db.session.commit()
    client = client_as("pemerintahan")
    html = client.post(f"/entri/{entry.id}/kembalikan", data={"version": entry.version, "note": "cek"},
                       follow_redirects=True).get_data(as_text=True)
    assert "cannot be applied to data in state" in html and "tidak dapat dilakukan" not in html
    client.post(f"/entri/{entry.id}/ajukan", data={"version": entry.version})
    message = db.session.scalar(sa.select(Notification.message).where(Notification.entry_id == entry.id))
    assert message.startswith("Pengaduan trantib (IKU 4) «Aduan uji» diajukan oleh")


def test_criteria_and_kinerja_labels_follow_the_language(client_as, office):
    """The domain's fixed labels (criteria bands, SKM kinerja) are read in the user's language on pages."""
    import re

    indonesian = client_as("camat").get("/dasbor/2025").get_data(as_text=True)
    bands_id = set(re.findall(r'data-band="[a-z_]+">([^<]+)<', indonesian))
    assert bands_id and bands_id <= {"Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"}

    user = get_user("camat")
    user.locale = "en"
    db.session.commit()
    english = client_as("camat").get("/dasbor/2025").get_data(as_text=True)
    bands_en = set(re.findall(r'data-band="[a-z_]+">([^<]+)<', english))
    assert bands_en and bands_en <= {"Very high", "High", "Medium", "Low", "Very low"}
    assert len(bands_en) == len(bands_id)


def test_due_dates_are_written_in_the_page_language(client_as, office):
    import re

    indonesian = client_as("sekcam").get("/dokumen/2025").get_data(as_text=True)
    months_id = re.findall(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) 2025\b", indonesian)
    assert months_id, "the demo's required documents have due dates"
    user = get_user("sekcam")
    user.locale = "en"
    db.session.commit()
    english = client_as("sekcam").get("/dokumen/2025").get_data(as_text=True)
    months_en = re.findall(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 2025\b", english)
    assert len(months_en) == len(months_id)
