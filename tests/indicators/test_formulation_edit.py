"""The sekcam edits an IKU's "formulasi perhitungan dan penjelasan" as plain text, previews it, saves it,
and finds it in the catalogue and in the decree's annex."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import open_docx, seeded_iku
from iku_workflow.domain.formulation_text import blocks_to_text
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent, Indicator
from iku_workflow.reports.annex import COLUMNS

NEW_IKU4 = """*Formulasi Perhitungan :*
Jumlah pengaduan ketertiban yang ditangani tuntas
------------------------------------------------- × 100%
Jumlah pengaduan ketertiban yang diterima

*Penjelasan Indikator :* Pengaduan diterima melalui:
1. Laporan langsung (lisan) di kantor kecamatan
2. Kanal daring:
  - SP4N-LAPOR!
  - pesan WA pengaduan
"""

NEW_IKU4_BLOCKS = [
    {"type": "fraction", "label": "Formulasi Perhitungan :",
     "numerator": "Jumlah pengaduan ketertiban yang ditangani tuntas",
     "denominator": "Jumlah pengaduan ketertiban yang diterima", "factor": "× 100%"},
    {"type": "para", "label": "Penjelasan Indikator :", "text": "Pengaduan diterima melalui:"},
    {"type": "numbered", "items": ["Laporan langsung (lisan) di kantor kecamatan", {
        "text": "Kanal daring:", "children": [{"type": "bullets", "items": ["SP4N-LAPOR!", "pesan WA pengaduan"]}]}]},
]


def _iku(office, number=4) -> Indicator:
    db.session.expire_all()  # read what the last request stored
    return seeded_iku(office, number)


def _form(indicator: Indicator, formulation: str, **extra) -> dict:
    """The edit form as the browser posts it, every other field as it is stored."""
    return {"kinerja_utama": indicator.kinerja_utama, "name": indicator.name, "formulation": formulation,
            "bidang_text": indicator.bidang_text, "sections": [s.id for s in indicator.sections],
            "sumber_data": indicator.sumber_data, "unit": indicator.unit.value,
            "polarity": indicator.polarity.value, "lower_formula": indicator.lower_formula.value,
            "year_rule": indicator.year_rule.value, "measure": indicator.measure, **extra}


def _textarea(page: str) -> str:
    match = re.search(r'<textarea[^>]*name="formulation"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no formulation textarea"
    return html.unescape(match.group(1)).removeprefix("\r\n").removeprefix("\n")


def _updates() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "indicator.updated"))


def test_the_form_shows_the_formulation_as_markup_with_help(client_as, office):
    page = client_as("sekcam").get("/iku/2025/4/ubah").get_data(as_text=True)
    text = _textarea(page)
    assert text == blocks_to_text(_iku(office).formulation)
    assert text.startswith("*Formulasi Perhitungan :*\nJumlah laporan/aduan")
    assert '"type"' not in text and "JSON" not in page
    help_box = page.split('data-testid="formulation-help"')[1].split("</aside>")[0]
    for shown in ("Butir berpoin", "Butir bernomor", "Dua spasi", "Rumus pecahan", "× 100%", "Garis miring terbalik"):
        assert shown in help_box
    assert 'data-testid="formulation-preview-button"' in page and 'data-testid="formulation-preview"' not in page


def test_sekcam_rewrites_iku4_and_catalogue_and_decree_show_it(client_as, office, runner, tmp_path):
    c = client_as("sekcam")
    before = _updates()
    response = c.post("/iku/2025/4/ubah", data=_form(_iku(office), NEW_IKU4.replace("\n", "\r\n"), action="save"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/iku/2025")
    assert _iku(office).formulation == NEW_IKU4_BLOCKS
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "indicator.updated")
                              .order_by(AuditEvent.id.desc()))
    assert _updates() == before + 1 and "formulation" in str(event.details) and event.user_id == get_user("sekcam").id
    # the form shows the saved text back as typed, a blank line now separating every block
    assert _textarea(c.get("/iku/2025/4/ubah").get_data(as_text=True)) == \
        NEW_IKU4.rstrip("\n").replace("melalui:\n", "melalui:\n\n")

    row = c.get("/iku/2025").get_data(as_text=True).split('data-iku="4"')[1].split("</tr>")[0]
    assert row.count('class="fraction"') == 1
    assert '<span class="fraction-num">Jumlah pengaduan ketertiban yang ditangani tuntas</span>' in row
    assert "<li>Laporan langsung (lisan) di kantor kecamatan</li>" in row and "<li>SP4N-LAPOR!</li>" in row
    assert "yang masuk" not in row

    out = tmp_path / "keputusan-2025.docx"
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = next(t for t in open_docx(out.read_bytes()).tables
                 if [cell.text for cell in t.rows[0].cells] == list(COLUMNS))
    cell = table.rows[4].cells[3]
    assert table.rows[4].cells[0].text == "4."
    fraction = cell.tables[0]
    assert fraction.rows[0].cells[0].text == "Jumlah pengaduan ketertiban yang ditangani tuntas"
    assert fraction.rows[1].cells[0].text == "Jumlah pengaduan ketertiban yang diterima"
    assert fraction.rows[0].cells[1].text == "× 100%"
    assert [p.text for p in cell.paragraphs if p.text] == [
        "Formulasi Perhitungan :", "Penjelasan Indikator : Pengaduan diterima melalui:",
        "1.\tLaporan langsung (lisan) di kantor kecamatan", "2.\tKanal daring:", "•\tSP4N-LAPOR!",
        "•\tpesan WA pengaduan"]
    assert "SP4N-LAPOR! ataupun media sosial" not in cell.text


def test_bad_markup_keeps_what_was_typed_and_names_the_line(client_as, office):
    c = client_as("sekcam")
    stored, before = _iku(office).formulation, _updates()
    typed = "*Rumus :*\nJumlah pengaduan yang diselesaikan\n-------- × 100%\n\nJumlah pengaduan <b>masuk</b>"
    response = c.post("/iku/2025/4/ubah", data=_form(_iku(office), typed, name="Nama yang tidak tersimpan"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _textarea(page) == typed
    error = page.split('data-testid="formulation-error">')[1].split("</div>")[0]
    assert error.startswith("Baris 3: di bawah garis pecahan harus ada penyebut")
    assert "Periksa isian yang ditandai." in page and "Nama yang tidak tersimpan" in page
    assert "<b>masuk</b>" not in page  # the text is escaped back, never markup
    iku = _iku(office)
    assert iku.formulation == stored and iku.name != "Nama yang tidak tersimpan" and _updates() == before


def test_markup_error_is_shown_in_english_too(client_as, office):
    user = get_user("sekcam")
    user.locale = "en"
    db.session.commit()
    page = client_as("sekcam").post("/iku/2025/4/ubah", data=_form(_iku(office), "Teks\n  menjorok")).get_data(
        as_text=True)
    assert "Line 2: this line is indented" in page and "Baris 2" not in page


def test_preview_renders_like_the_catalogue_and_saves_nothing(client_as, office):
    c = client_as("sekcam")
    stored, before = _iku(office).formulation, _updates()
    page = c.post("/iku/2025/4/ubah", data=_form(_iku(office), NEW_IKU4, action="preview")).get_data(as_text=True)
    preview = page.split('data-testid="formulation-preview"')[1].split("</section>")[0]
    assert preview.count('class="fraction"') == 1
    assert '<span class="fraction-den">Jumlah pengaduan ketertiban yang diterima</span>' in preview
    assert '<ol class="mb-1">' in preview and '<ul class="formulation-bullets">' not in preview  # nested = blocks
    assert "<li>pesan WA pengaduan</li>" in preview and "belum disimpan" in preview
    assert _textarea(page) == NEW_IKU4
    assert _iku(office).formulation == stored and _updates() == before

    page = c.post("/iku/2025/4/ubah", data=_form(_iku(office), "a\n\n---\nb", action="preview")).get_data(
        as_text=True)
    assert "Baris 3: garis pecahan (---) tanpa pembilang" in page
    assert 'data-testid="formulation-preview"' not in page and _textarea(page) == "a\n\n---\nb"


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_saving_the_form_unchanged_keeps_every_seeded_formulation(client_as, office, number):
    c = client_as("sekcam")
    stored = _iku(office, number).formulation
    text = _textarea(c.get(f"/iku/2025/{number}/ubah").get_data(as_text=True))
    assert c.post(f"/iku/2025/{number}/ubah", data=_form(_iku(office, number), text)).status_code == 302
    assert _iku(office, number).formulation == stored


def test_emptying_the_formulation_stores_no_blocks(client_as, office):
    c = client_as("sekcam")
    assert c.post("/iku/2025/5/ubah", data=_form(_iku(office, 5), "  \r\n")).status_code == 302
    assert _iku(office, 5).formulation == []
