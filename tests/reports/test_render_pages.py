"""Where things land on the printed pages: the documents through LibreOffice to PDF, read page by page
with pdftotext (the signature block whole and with what it closes, the name on one line, the lambang)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from iku_workflow.reports.capaian_report import build_capaian_docx
from iku_workflow.reports.context import CapaianRow
from iku_workflow.reports.decree import build_decree
from iku_workflow.reports.skm_report import build_skm_report_docx
from factories import make_capaian, make_decree, make_office, make_signatory, make_skm, png_bytes

from .test_render_libreoffice import _need

pytestmark = pytest.mark.libreoffice

NAME = "NINO EKA PUTRA WAHYU RAMADHONI, S.STP, M.Si"
SIGNATURE = ("CAMAT GUMUKMAS", "KABUPATEN JEMBER,", "NINO EKA PUTRA WAHYU RAMADHONI", "Pembina",
             "NIP. 19840624 200212 1 001")


def _to_pdfs(docs: dict[str, bytes], outdir: Path) -> dict[str, Path]:
    """Write and convert every document in one LibreOffice run (its own profile folder)."""
    soffice = _need("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in docs.items():
        path = outdir / f"{name}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(outdir), *paths],
                       check=False, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = {name: outdir / f"{name}.pdf" for name in docs}
    missing = [name for name, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice produced no PDF for {missing}"
    return pdfs


def _pages(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page (pdftotext -f N -l N)."""
    pdftotext = _need("pdftotext")
    info = subprocess.run([_need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    args = ["-layout"] if layout else []
    return [subprocess.run([pdftotext, *args, "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def _page_of(pages: list[str], needle: str, start: int = 0) -> int:
    for i in range(start, len(pages)):
        if needle in _flat(pages[i]):
            return i
    raise AssertionError(f"{needle!r} is on no page (from page {start + 1})")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _rows(n: int) -> list[CapaianRow]:
    return [CapaianRow(i, f"Indikator nomor {i} tentang penataan organisasi dan tata laksana", "dokumen",
                       D(4), {"tw1": D(1), "tw2": D(2), "tw3": None, "tw4": None, "year": D(2)}, D(50),
                       "Sangat Rendah") for i in range(1, n + 1)]


def test_capaian_signature_stays_whole_at_every_page_boundary(tmp_path):
    """Before: with 6 rows the name ended page 1 and pangkat and NIP began page 2."""
    sig = make_signatory(kabupaten="KABUPATEN JEMBER")
    counts = range(3, 12)
    docs = {f"capaian-{n:02d}": build_capaian_docx(make_capaian(rows=_rows(n), signatory=sig)) for n in counts}
    pdfs = _to_pdfs(docs, tmp_path)
    crossed = fitted = 0
    for name, pdf in pdfs.items():
        pages = _pages(pdf)
        page = _page_of(pages, "Gumukmas, 1 Juli 2025")
        for line in SIGNATURE + ("Dicetak pada 1 Juli 2025", "Tingkat kelengkapan dokumen"):
            assert _page_of(pages, line) == page, f"{name}: {line!r} not on page {page + 1} with the rest"
        first_row = _page_of(pages, "Indikator nomor 1 tentang")
        crossed += page > first_row
        fitted += page == first_row
    # the row counts cover both sides of the page boundary: the test did put the block at the break
    assert crossed and fitted


def test_decree_pages_as_the_seed_prints_them(tmp_path):
    sig = make_signatory(kabupaten="KABUPATEN JEMBER")
    tembusan = ["Bupati Jember;", "Sekretaris Daerah Kabupaten Jember;", "Inspektur Kabupaten Jember;",
                "Kepala Bagian Organisasi Sekretariat Daerah Kabupaten Jember."]
    docs = {"decree-seed": build_decree(make_decree(signatory=sig, office=make_office(logo=png_bytes()))),
            "decree-tembusan": build_decree(make_decree(signatory=sig, tembusan=tembusan, annex=None))}
    pdfs = _to_pdfs(docs, tmp_path)
    pages = _pages(pdfs["decree-seed"])
    layout = _pages(pdfs["decree-seed"], layout=True)

    # "Menetapkan : KEPUTUSAN … KABUPATEN JEMBER." on one page, never "JEMBER." alone on the next
    title = "KEPUTUSAN CAMAT GUMUKMAS TENTANG INDIKATOR KINERJA UTAMA KECAMATAN GUMUKMAS KABUPATEN JEMBER."
    menetapkan = _page_of(pages, "Menetapkan")
    assert title in _flat(pages[menetapkan])
    assert _page_of(pages, "MEMUTUSKAN :") == menetapkan
    for text in pages[1:]:
        assert not _flat(text).startswith("JEMBER.")

    # the decree's signature: whole, on KEENAM's page, the name on one line
    page = _page_of(pages, "Ditetapkan di")
    for line in ("KEENAM", "pada tanggal", *SIGNATURE):
        assert _page_of(pages, line, menetapkan) == page, f"{line!r} not with the signature"
    name_lines = [ln for ln in layout[page].splitlines() if "RAMADHONI" in ln]
    assert len(name_lines) == 1 and name_lines[0].strip() == NAME

    # the annex: the seed's heading over the table, its signature whole with the name on one line
    heading = _page_of(pages, "INDIKATOR KINERJA UTAMA KECAMATAN GUMUKMAS NO.", page + 1)
    assert "Meningkatnya penataan organisasi" in _flat(pages[heading])
    annex_sig = _page_of(pages, "NIP. 19840624 200212 1 001", page + 1)
    for line in SIGNATURE:
        assert _page_of(pages, line, annex_sig) == annex_sig
    assert [ln.strip() for ln in layout[annex_sig].splitlines() if "RAMADHONI" in ln] == [NAME]

    # the lambang stands on the kop of page 1, and nowhere else
    images = subprocess.run([_need("pdfimages"), "-list", str(pdfs["decree-seed"])], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert [ln.split()[0] for ln in images] == ["1"]

    # a tembusan never stands alone: it shares the signature's page
    pages = _pages(pdfs["decree-tembusan"])
    page = _page_of(pages, "NIP. 19840624 200212 1 001")
    assert _page_of(pages, "Tembusan :") == page
    assert _page_of(pages, "4. Kepala Bagian Organisasi") == page
    assert _page_of(pages, "KEENAM") == page


def test_every_report_prints_the_lambang_on_its_first_page(tmp_path):
    office = make_office(logo=png_bytes())
    docs = {"capaian-logo": build_capaian_docx(make_capaian(office=office)),
            "skm-logo": build_skm_report_docx(make_skm(office=office)),
            "capaian-plain": build_capaian_docx(make_capaian())}
    pdfs = _to_pdfs(docs, tmp_path)
    for name, pdf in pdfs.items():
        images = subprocess.run([_need("pdfimages"), "-list", str(pdf)], capture_output=True, text=True,
                                check=True).stdout.splitlines()[2:]
        expected = [] if name.endswith("plain") else ["1"]
        assert [ln.split()[0] for ln in images] == expected, name


def test_skm_report_signature_whole(tmp_path):
    sig = make_signatory(kabupaten="KABUPATEN JEMBER")
    many = {f"Jenis layanan nomor {i}": [(f"Kategori {j}", j) for j in range(1, 4)] for i in range(1, 9)}
    pdfs = _to_pdfs({"skm": build_skm_report_docx(replace(make_skm(signatory=sig), profile=many))}, tmp_path)
    pages = _pages(pdfs["skm"])
    page = _page_of(pages, "Gumukmas, 1 Juli 2025")
    for line in SIGNATURE:
        assert _page_of(pages, line) == page
