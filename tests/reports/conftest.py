"""Contexts built from the seed decree, as the web app will build them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import docx
import pytest

from iku_workflow.reports.context import (
    AnnexContent, CapaianReportContext, CapaianRow, DecreeContext, Diktum, IkuRow, OfficeInfo,
    Signatory, SkmReportContext,
)
from iku_workflow.seed import gumukmas_2025 as seed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_office(**kw) -> OfficeInfo:
    o = seed.OFFICE
    values = dict(name=o["name"], kabupaten=o["kabupaten"], address=o["address"],
                  telephone=o["telephone"], city=o["city"])
    values.update(kw)
    return OfficeInfo(**values)


def make_signatory(**kw) -> Signatory:
    o = seed.OFFICE
    values = dict(jabatan="CAMAT GUMUKMAS", name=o["camat_name"], pangkat=o["camat_pangkat"],
                  nip=o["camat_nip"])
    values.update(kw)
    return Signatory(**values)


def make_annex(year: int = 2025) -> AnnexContent:
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"],
                   r["bidang_text"], r["sumber_data"]) for r in seed.iku_rows(year)]
    return AnnexContent("Kecamatan Gumukmas", seed.TUGAS, seed.FUNGSI, seed.TUJUAN,
                        seed.INDIKATOR_TUJUAN, rows)


def make_decree(**kw) -> DecreeContext:
    values = dict(
        office=make_office(), nomor=seed.NOMOR, tempat="Gumukmas", tanggal=date(2025, 2, 12),
        tentang=seed.default_tentang("Gumukmas", "Jember"),
        menimbang=seed.default_menimbang("Gumukmas", "Jember"),
        mengingat=seed.default_mengingat(), memperhatikan=[],
        diktum=[Diktum(**d) for d in seed.default_diktum("Gumukmas", "Jember")],
        signatory=make_signatory(), tembusan=[], annex=make_annex(), paper="F4")
    values.update(kw)
    return DecreeContext(**values)


def make_capaian(**kw) -> CapaianReportContext:
    rows = [
        CapaianRow(1, "Jumlah Dokumen Penataan Organisasi", "dokumen", D(4),
                   {"tw1": D(1), "tw2": D(2), "tw3": None, "tw4": None, "year": D(2)},
                   D(50), "Sangat Rendah", sasaran="Meningkatnya kualitas tata kelola"),
        CapaianRow(2, "Indeks Kepuasan Masyarakat", "indeks", D(80),
                   {"tw1": D("83.33"), "tw2": None, "tw3": None, "tw4": None,
                    "year": D("83.33")}, D("104.1625"), "Sangat Tinggi",
                   sasaran="Meningkatnya kualitas pelayanan publik"),
        CapaianRow(5, "Nilai SAKIP OPD", "nilai", D(70),
                   {"tw1": None, "tw2": D("82.50"), "tw3": None, "tw4": None, "year": D("82.50")},
                   D("117.86"), "Sangat Tinggi", sasaran="Meningkatnya akuntabilitas kinerja",
                   predikat="A (Memuaskan)"),
    ]
    values = dict(office=make_office(), year=2025, period_label="s.d. Triwulan II 2025",
                  rows=rows, completion_rate=D("18.18"), completion_counts=(2, 11), printed_on=date(2025, 7, 1),
                  signatory=make_signatory(), upto_tw=2)
    values.update(kw)
    return CapaianReportContext(**values)


UNSUR = ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
         "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
         "Sarana dan Prasarana", "Penanganan Pengaduan, Saran dan Masukan"]
NRR = ["3.60", "3.00", "3.00", "4.00", "3.20", "3.60", "3.80", "3.00", "2.80"]  # RULES.md §1


def make_skm(**kw) -> SkmReportContext:
    names = {f"u{i}": n for i, n in enumerate(UNSUR, 1)}
    values = dict(
        office=make_office(), year=2025, period_label="Semester I 2025",
        method_text="Kuesioner diisi di loket pelayanan.", respondents=5, min_sample=4,
        nrr={k: D(v) for k, v in zip(names, NRR)}, unsur_names=names, ikm=D("3.333333"),
        konversi=D("83.33"), mutu="B", kinerja="Baik", priorities=["u9", "u2", "u3"],
        profile={"Jenis Kelamin": [("Laki-laki", 3), ("Perempuan", 2)]},
        per_service=[("KTP-el", 3, D("84.00"), "B"), ("Surat Pindah", 2, D("82.5"), "B")],
        signatory=make_signatory(), printed_on=date(2025, 7, 1), provisional=False,
        weighted_nrr={k: D(v) / 9 for k, v in zip(names, NRR)}, weight_text="1/9")
    values.update(kw)
    return SkmReportContext(**values)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_texts(document) -> list[str]:
    """Every paragraph of the body in document order, tables included (cell by cell)."""
    return ["".join("\t" if t.tag == W + "tab" else (t.text or "")
                    for r in p.iter(W + "r") for t in r.iter(W + "t", W + "tab"))
            for p in document.element.body.iter(W + "p")]


@pytest.fixture(scope="session")
def decree_bytes() -> bytes:
    from iku_workflow.reports.decree import build_decree

    return build_decree(make_decree())
