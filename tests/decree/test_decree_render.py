"""Visual check of the app-generated decree through LibreOffice: PDF pages, landscape annex, PNGs
under test-output/ (open them to look). Skipped only outside CI when LibreOffice is missing."""
from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path


from conftest import require_tool
from iku_workflow.decree import operations

OUT = Path(__file__).resolve().parents[2] / "test-output"
F4_POINTS = (215 / 25.4 * 72, 330 / 25.4 * 72)


def _tool(tool: str) -> str:
    return require_tool(tool, "the LibreOffice render of the app's decree")


def _to_pdf(docx_path: Path, outdir: Path) -> Path:
    soffice = _tool("soffice")
    profile = Path("/tmp") / f"lo-decree-{uuid.uuid4().hex}"  # one profile per conversion
    try:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
                       check=False, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.exists(), "LibreOffice produced no PDF"
    return pdf


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run([_tool("pdfinfo"), "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def test_app_decree_renders_portrait_pages_then_a_landscape_annex(app, office):
    _tool("soffice")
    decree = operations.create_decree(office, 2026, None)
    operations.update_decree(decree, None, {"nomor": "000.8.6.3/17/35.09.04/2026", "tanggal": date(2026, 2, 12),
                                            "tembusan": ["Bupati Jember", "Inspektur Kabupaten Jember"]})
    version = operations.generate_version(decree, None)
    OUT.mkdir(exist_ok=True)
    docx_path = OUT / "app-decree.docx"
    docx_path.write_bytes(operations.version_bytes(version))
    pdf = _to_pdf(docx_path, OUT)
    sizes = _page_sizes(pdf)
    assert len(sizes) >= 3
    portrait = [w < h for w, h in sizes]
    first_annex = portrait.index(False)
    assert first_annex >= 1 and not any(portrait[first_annex:])
    w, h = sizes[0]
    assert abs(w - F4_POINTS[0]) < 2 and abs(h - F4_POINTS[1]) < 2
    aw, ah = sizes[first_annex]
    assert abs(aw - F4_POINTS[1]) < 2 and abs(ah - F4_POINTS[0]) < 2
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for needle in ("KEPUTUSAN CAMAT GUMUKMAS", "KEENAM", "19840624 200212 1 001", "LAMPIRAN", "SUMBER DATA"):
        assert needle in text
    pdftoppm = _tool("pdftoppm")
    for page, name in ((1, "app-decree-page1"), (first_annex + 1, "app-decree-annex")):
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(OUT / name)], check=True)
        assert (OUT / f"{name}.png").stat().st_size > 5000
