"""`iku-workflow decree build`: a readable .docx from the command line, a new version each run."""
from __future__ import annotations

from iku_workflow.extensions import db
from iku_workflow.models import DecreeVersion

from factories import body_texts, open_docx


def test_cli_build_writes_a_readable_docx(runner, office, tmp_path):
    out = tmp_path / "keputusan.docx"
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "dibuat dari keputusan acuan" in result.output and "versi 1" in result.output
    texts = body_texts(open_docx(out.read_bytes()))
    assert "KEPUTUSAN CAMAT GUMUKMAS" in texts and "KEENAM" in texts
    first = out.read_bytes()
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0 and "Tidak ada perubahan sejak versi 1" in result.output
    assert db.session.query(DecreeVersion).count() == 1 and out.read_bytes() == first  # no identical second version
    from iku_workflow.models import Decree

    decree = db.session.query(Decree).filter_by(year=2026, office_id=office.id).one()
    decree.tentang = decree.tentang + " (perubahan)"
    db.session.commit()
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0 and "versi 2" in result.output
    assert db.session.query(DecreeVersion).count() == 2
    assert db.session.query(DecreeVersion).filter_by(number=2).one().created_by_name == "baris perintah (CLI)"


def test_cli_unknown_office_fails(runner, office, tmp_path):
    result = runner.invoke(args=["decree", "build", "--office", "tidakada", "--year", "2026",
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    assert not (tmp_path / "x.docx").exists()
