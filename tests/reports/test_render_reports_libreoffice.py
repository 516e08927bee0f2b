"""Visual checks of the capaian and SKM reports through LibreOffice (PDF text per page, PNGs kept
under test-output/): no heading or table lead-in left at the foot of a page, "SEMENTARA" on every page
of a provisional SKM report, the capaian table's two header rows on every page it runs over."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import require_tool

from iku_workflow.reports.capaian_report import build_capaian_docx
from iku_workflow.reports.skm_report import build_skm_report_docx

from factories import make_capaian, make_skm

pytestmark = pytest.mark.libreoffice

OUT = Path(__file__).resolve().parents[2] / "test-output"

# What must never end a page: the report's headings, the sentences that introduce a table, and a
# table's header row (its first cell is "No").
HEADINGS = {"I. PENDAHULUAN", "II. METODE", "III. RESPONDEN", "IV. HASIL", "V. PRIORITAS PERBAIKAN",
            "VI. RENCANA TINDAK LANJUT", "VII. KESIMPULAN", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan",
            "Jenis Layanan", "Hasil per jenis layanan",
            "Unsur dengan nilai rata-rata terendah menjadi prioritas perbaikan:", "Diisi oleh unit pelayanan:"}


def _need(tool: str) -> str:
    return require_tool(tool, "the visual check of the reports")


def _to_pdfs(paths: list[Path], outdir: Path) -> list[Path]:
    """Convert several .docx in one LibreOffice run (its own profile folder)."""
    soffice = _need("soffice")
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                       check=False, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice produced no PDF for {missing}"
    return pdfs


def _pages(pdf: Path) -> list[str]:
    pdftotext, pdfinfo = _need("pdftotext"), _need("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run([pdftotext, "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def _last_body_line(page: str) -> str:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    if lines and lines[-1].isdigit():  # the page number in the footer
        lines.pop()
    return re.sub(r"\s{2,}", "  ", lines[-1]) if lines else ""


def orphans(pages: list[str]) -> list[tuple[int, str]]:
    """(page number, line) of every page but the last whose last line is a heading, a lead-in or a
    table's header row."""
    out = []
    for n, page in enumerate(pages[:-1], 1):
        last = _last_body_line(page)
        if last in HEADINGS or last.startswith("No  "):
            out.append((n, last))
    return out


def _demo_like_skm(extra_sentences: int, **kw):
    """A period like the demo's open one (12 respondents, five profile tables, five services); the
    method text grows by one sentence per step, which moves every later heading down the pages."""
    profile = {
        "Jenis Kelamin": [("Laki-laki", 5), ("Perempuan", 7)],
        "Usia": [("< 20", 1), ("20–29", 1), ("30–39", 2), ("40–49", 5), ("50–59", 2), ("≥ 60", 1)],
        "Pendidikan": [("SD", 1), ("SMP", 0), ("SMA", 4), ("D1–D3", 0), ("D4/S1", 7), ("S2", 0), ("S3", 0)],
        "Pekerjaan": [("PNS", 0), ("TNI", 0), ("POLRI", 0), ("Swasta", 4), ("Wirausaha", 5), ("Lainnya", 3)],
        "Jenis Layanan": [("KTP-el", 3), ("Kartu Keluarga", 1), ("Surat Pindah", 6), ("Legalisasi", 1), ("Izin", 1)],
    }
    services = [("KTP-el", 3, D("75.00"), "C"), ("Kartu Keluarga", 1, D("83.33"), "B"),
                ("Surat Pindah", 6, D("80.09"), "B"), ("Legalisasi", 1, D("75.00"), "C"), ("Izin", 1, D("72.22"), "C")]
    method = " ".join(["Periode survei Semester II 2026: 1 Juli 2026 s.d. 31 Desember 2026."]
                      + ["Kuesioner dibagikan di loket pelayanan kecamatan kepada penerima layanan yang telah "
                         "selesai dilayani."] * extra_sentences)
    values = dict(period_label="Semester II 2026", method_text=method, respondents=12, min_sample=333,
                  profile=profile, per_service=services, provisional=True,
                  provisional_reason="periode survei masih dibuka")
    values.update(kw)
    return make_skm(**values)


STEPS = range(0, 14)


@pytest.fixture(scope="module")
def skm_pdfs(tmp_path_factory) -> list[Path]:
    outdir = tmp_path_factory.mktemp("skm-render")
    paths = []
    for step in STEPS:
        path = outdir / f"skm-{step:02d}.docx"
        path.write_bytes(build_skm_report_docx(_demo_like_skm(step)))
        paths.append(path)
    return _to_pdfs(paths, outdir)


def test_no_heading_is_left_at_the_foot_of_a_page(skm_pdfs):
    """Across the steps every heading passes the foot of a page at least once; none is left there."""
    found = {pdf.stem: orphans(_pages(pdf)) for pdf in skm_pdfs}
    assert not {name: lines for name, lines in found.items() if lines}
    # each heading is on the same page as the header of the table it introduces
    for pdf in skm_pdfs:
        for page in _pages(pdf):
            if "VI. RENCANA TINDAK LANJUT" in page:
                assert "Rencana Tindak Lanjut" in page.split("VI. RENCANA TINDAK LANJUT")[1], pdf.stem
            if "V. PRIORITAS PERBAIKAN" in page:
                assert "Penanganan Pengaduan" in page.split("V. PRIORITAS PERBAIKAN")[1], pdf.stem


def test_provisional_report_says_sementara_on_every_page(skm_pdfs):
    for pdf in skm_pdfs:
        pages = _pages(pdf)
        assert len(pages) >= 3
        assert "SEMESTER II 2026 (SEMENTARA)" in pages[0], pdf.stem
        for n, page in enumerate(pages[1:], 2):
            assert "SEMENTARA – Laporan Hasil SKM Semester II 2026 belum disetujui" in page, (pdf.stem, n)
    OUT.mkdir(exist_ok=True)
    pdftoppm = _need("pdftoppm")
    subprocess.run([pdftoppm, "-png", "-r", "60", str(skm_pdfs[0]), str(OUT / "skm-report")], check=True)
    assert (OUT / "skm-report-2.png").stat().st_size > 5000


def test_approved_report_has_no_sementara_mark(tmp_path):
    path = tmp_path / "skm-final.docx"
    path.write_bytes(build_skm_report_docx(_demo_like_skm(0, provisional=False, provisional_reason="")))
    pages = _pages(_to_pdfs([path], tmp_path)[0])
    assert len(pages) >= 3 and not any("SEMENTARA" in p or "sementara" in p for p in pages)


def _wide_capaian(rows: int, paper: str):
    """Enough IKU lines for the table to run over two pages."""
    base = make_capaian().rows
    many = [type(base[0])(n, f"Indikator uji nomor {n} dengan nama yang cukup panjang untuk dua baris",
                          base[n % 3].satuan, base[n % 3].target, base[n % 3].realisasi, base[n % 3].capaian,
                          base[n % 3].kriteria, sasaran=f"Sasaran uji {n}: meningkatnya kualitas pelayanan publik "
                                                      "dan tata kelola pemerintahan kecamatan",
                          predikat=base[n % 3].predikat)
            for n in range(1, rows + 1)]
    return make_capaian(rows=many, paper=paper)


def test_capaian_report_table_headers_on_every_page_and_paper(tmp_path):
    paths = []
    for paper in ("F4", "A4"):
        path = tmp_path / f"capaian-{paper}.docx"
        path.write_bytes(build_capaian_docx(_wide_capaian(8, paper)))
        paths.append(path)
    f4, a4 = _to_pdfs(paths, tmp_path)
    pdfinfo = _need("pdfinfo")
    for pdf, (w_mm, h_mm) in ((f4, (330, 215)), (a4, (297, 210))):
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert abs(w - w_mm / 25.4 * 72) < 2 and abs(h - h_mm / 25.4 * 72) < 2, pdf.stem
    pages = _pages(f4)
    table_pages = [p for p in pages if "Indikator uji" in p]
    assert len(table_pages) >= 2  # the table runs over a page break ...
    for page in table_pages:  # ... and both header rows are printed again on the next page
        assert "Realisasi" in page and "Sasaran" in page and "TW IV" in page and "Kriteria" in page
    text = "\n".join(pages)
    assert "Predikat SAKIP: A (Memuaskan)" in re.sub(r"\s+", " ", text)
    assert "Tingkat kelengkapan dokumen s.d. Triwulan II 2025: 18,18% (2 dari 11 dokumen wajib disetujui)" in \
        re.sub(r"\s+", " ", text)
    OUT.mkdir(exist_ok=True)
    subprocess.run([_need("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(f4),
                    str(OUT / "capaian-report")], check=True)
    assert (OUT / "capaian-report.png").stat().st_size > 5000

