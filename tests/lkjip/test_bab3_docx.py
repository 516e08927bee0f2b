"""The Word draft of Bab III and its lampiran, read back with python-docx: house style, sections, factors."""
from __future__ import annotations

from decimal import Decimal

from docx.enum.section import WD_ORIENT

from conftest import get_user
from factories import body_texts, header_text, open_docx
from iku_workflow.extensions import db
from iku_workflow.lkjip import operations as lk


def test_the_draft_has_the_decrees_house_style_and_its_parts(app, office):
    doc = open_docx(lk.report_bytes(office, 2025))
    texts = body_texts(doc)
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (215, 330)  # F4 portrait
    assert "KECAMATAN GUMUKMAS" in header_text(first.first_page_header)  # the kop
    assert doc.styles["Normal"].font.name == "Bookman Old Style"
    # the lampiran: three landscape sections after Bab III
    assert [s.orientation for s in doc.sections[1:]] == [WD_ORIENT.LANDSCAPE] * 3
    order = ["BAB III", "AKUNTABILITAS KINERJA", "A. Capaian Kinerja Organisasi",
             "B. Perbandingan Realisasi dan Capaian dengan Dua Tahun Sebelumnya",
             "C. Perbandingan dengan Target Akhir Renstra", "D. Analisis Capaian per Sasaran",
             "E. Realisasi Anggaran", "LAMPIRAN I", "PERJANJIAN KINERJA TAHUN 2025", "LAMPIRAN II",
             "INDIKATOR KINERJA UTAMA", "LAMPIRAN III"]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    assert "Program dan anggaran tahun 2025 belum dicatat." in texts
    assert "Periode Renstra yang memuat tahun 2025 belum dicatat." in " ".join(texts)
    # the signature of the Camat, as the decree signs
    assert "NIP. 19840624 200212 1 001" in texts


def test_factors_and_sources_are_printed_with_their_review_state(app, office):
    sekcam, trantib = get_user("sekcam"), get_user("trantib")
    indicator = lk.indicator_of(office, 2025, 4)
    lk.save_factor(office, indicator, trantib, pendukung="Linmas aktif di setiap desa.",
                   penghambat="Laporan masuk lewat banyak saluran.", upaya="Satu nomor WA pengaduan.")
    lk.save_past_values(office, 2025, sekcam, {(4, 2024): (Decimal("87.5"), Decimal("87.5"), "LKjIP 2024 hal. 30")})
    db.session.commit()
    texts = body_texts(open_docx(lk.report_bytes(office, 2025)))
    assert "Faktor pendukung: Linmas aktif di setiap desa. (belum disetujui)" in texts
    assert "Upaya yang dilakukan: Satu nomor WA pengaduan. (belum disetujui)" in texts
    assert "Faktor pendukung: Belum diisi." in texts  # IKU 1 has none yet
    assert any("Sumber angka yang dicatat: IKU 4, 2024: LKjIP 2024 hal. 30." in t for t in texts)

    from iku_workflow.workflow import operations as wf

    factor = lk.factor_of(office.id, 2025, 4)
    wf.submit(factor.entry, trantib)
    wf.approve(factor.entry, sekcam)
    db.session.commit()
    texts = body_texts(open_docx(lk.report_bytes(office, 2025)))
    assert "Faktor pendukung: Linmas aktif di setiap desa." in texts


def _lampiran_i_rows(doc) -> list[list[str]]:
    """Lampiran I's first table (No | Sasaran | Indikator | Target), header left out."""
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head == ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"]:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError("Lampiran I has no PK table")


def test_lampiran_i_is_the_signed_pk_once_it_is_final_and_says_so_before(app, office):
    from factories import tiny_pdf
    from iku_workflow.models import PkLevel
    from iku_workflow.pk import operations as pk_ops

    before = open_docx(lk.report_bytes(office, 2025))
    assert "Perjanjian Kinerja tahun 2025 belum final; target di atas adalah target tahunan IKU" in \
        " ".join(body_texts(before))
    assert len(_lampiran_i_rows(before)) == 6
    pk = pk_ops.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    rows = [pk_ops._row_values(t) for t in pk.targets]
    rows[1]["indicator_text"] = "Indeks Kepuasan Masyarakat (IKM) pelayanan kecamatan"
    rows[1]["target"] = Decimal("85")
    pk_ops.set_rows(pk, None, rows)
    version = pk_ops.generate_version(pk, get_user("sekcam"))
    pk_ops.finalize(pk, version, tiny_pdf("PK ditandatangani"), "pk.pdf", get_user("camat"))
    db.session.commit()
    after = open_docx(lk.report_bytes(office, 2025))
    signed = _lampiran_i_rows(after)
    assert signed[1][2] == "Indeks Kepuasan Masyarakat (IKM) pelayanan kecamatan"
    assert signed[1][3].startswith("85")
    assert "Sesuai Perjanjian Kinerja tahun 2025 yang telah ditandatangani." in body_texts(after)
