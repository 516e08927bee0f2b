"""`iku-workflow lkjip build`: the Bab III draft from the command line; unknown office or year refused."""
from __future__ import annotations

from factories import body_texts, open_docx


def test_cli_build_writes_the_bab_iii_draft(runner, office, tmp_path):
    out = tmp_path / "bab3.docx"
    result = runner.invoke(args=["lkjip", "build", "--office", "GUMUKMAS", "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "tahun 2025 ditulis ke" in result.output
    texts = body_texts(open_docx(out.read_bytes()))
    assert "BAB III" in texts and "LAMPIRAN III" in texts
    assert "Tabel 3.1 Capaian Indikator Kinerja Utama Tahun 2025" in texts


def test_cli_unknown_office_fails(runner, office, tmp_path):
    result = runner.invoke(args=["lkjip", "build", "--office", "tidakada", "--year", "2025",
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_cli_year_without_iku_fails(runner, office, tmp_path):
    result = runner.invoke(args=["lkjip", "build", "--office", "gumukmas", "--year", "2019",
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "belum memiliki IKU tahun 2019" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_cli_missing_folder_fails(runner, office, tmp_path):
    result = runner.invoke(args=["lkjip", "build", "--office", "gumukmas", "--year", "2025",
                                 "--out", str(tmp_path / "nope" / "x.docx")])
    assert result.exit_code == 1 and "tidak ada" in result.output
