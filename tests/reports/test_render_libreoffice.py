"""Visual check: the decree through LibreOffice to PDF and PNG (kept under test-output/)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import require_tool

pytestmark = pytest.mark.libreoffice

OUT = Path(__file__).resolve().parents[2] / "test-output"


def _need(tool: str) -> str:
    return require_tool(tool, "the visual check of the decree")


def _to_pdf(docx_path: Path, outdir: Path) -> Path:
    soffice = _need("soffice")
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"  # one profile per conversion
    try:
        subprocess.run([soffice, "--headless", "--norestore",
                        f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(docx_path)],
                       check=False, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.exists(), "LibreOffice produced no PDF"
    return pdf


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    pdfinfo = _need("pdfinfo")
    out = subprocess.run([pdfinfo, "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def test_decree_renders_portrait_then_landscape_annex(decree_bytes):
    OUT.mkdir(exist_ok=True)
    docx_path = OUT / "decree.docx"
    docx_path.write_bytes(decree_bytes)
    pdf = _to_pdf(docx_path, OUT)
    sizes = _page_sizes(pdf)
    assert len(sizes) >= 3
    portrait = [w < h for w, h in sizes]
    first_annex = portrait.index(False)
    assert first_annex >= 1 and not any(portrait[first_annex:])
    w, h = sizes[0]
    assert abs(w - 215 / 25.4 * 72) < 2 and abs(h - 330 / 25.4 * 72) < 2  # F4 in points
    pdftoppm = _need("pdftoppm")
    for page, name in ((1, "decree-page1"), (first_annex + 1, "decree-annex")):
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(OUT / name)], check=True)
        assert (OUT / f"{name}.png").stat().st_size > 5000
