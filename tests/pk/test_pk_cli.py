"""`iku-workflow pk build`: the Camat's PK of a year from the command line (the final one, or a draft version)."""
from __future__ import annotations

import os

import sqlalchemy as sa

from conftest import get_user
from factories import body_texts, open_docx, tiny_pdf
from iku_workflow.extensions import db
from iku_workflow.models import PerformanceAgreement, PerformanceVersion
from iku_workflow.pk import operations

ARGS = ["pk", "build", "--office", "gumukmas", "--year", "2025", "--out"]


def test_build_makes_a_draft_from_the_iku_and_keeps_it_as_a_version(runner, office, tmp_path):
    out = tmp_path / "pk.docx"
    result = runner.invoke(args=[*ARGS, str(out)])
    assert result.exit_code == 0, result.output
    assert "dibuat dari IKU" in result.output and "versi 1" in result.output
    texts = body_texts(open_docx(out.read_bytes()))
    assert "PERJANJIAN KINERJA TAHUN 2025" in texts and "KECAMATAN GUMUKMAS" in texts
    pk = db.session.scalar(sa.select(PerformanceAgreement))
    assert pk.holder == "camat" and len(pk.targets) == 6
    version = db.session.scalar(sa.select(PerformanceVersion))
    assert version.created_by_name == "baris perintah (CLI)" and out.read_bytes() == operations.version_bytes(version)
    first = out.read_bytes()
    result = runner.invoke(args=[*ARGS, str(out)])
    assert result.exit_code == 0 and "Tidak ada perubahan sejak versi 1" in result.output
    assert db.session.query(PerformanceVersion).count() == 1 and out.read_bytes() == first


def test_build_writes_the_signed_version_of_a_final_pk(runner, office, tmp_path):
    pk = operations.create_pk(office, 2025, operations.PkLevel.CAMAT, None, None)
    v1 = operations.generate_version(pk, None)
    operations.update_pk(pk, None, {"second_name": "Bupati Uji"})
    v2 = operations.generate_version(pk, None)
    operations.finalize(pk, v2, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()
    out = tmp_path / "pk.docx"
    result = runner.invoke(args=[*ARGS, str(out)])
    assert result.exit_code == 0 and "sudah final; menulis versi final 2" in result.output
    assert out.read_bytes() == operations.version_bytes(v2) != operations.version_bytes(v1)
    assert db.session.query(PerformanceVersion).count() == 2


def test_unknown_office_or_year_fails_with_a_message(runner, office, tmp_path):
    out = tmp_path / "x.docx"
    result = runner.invoke(args=["pk", "build", "--office", "tidakada", "--year", "2025", "--out", str(out)])
    assert result.exit_code != 0 and "tidak ditemukan" in result.output
    result = runner.invoke(args=["pk", "build", "--office", "gumukmas", "--year", "2031", "--out", str(out)])
    assert result.exit_code != 0 and "IKU tahun 2031 belum ada" in result.output
    result = runner.invoke(args=["pk", "build", "--office", "gumukmas", "--year", "1800", "--out", str(out)])
    assert result.exit_code != 0 and "di luar rentang" in result.output
    assert not out.exists() and db.session.query(PerformanceAgreement).count() == 0
    result = runner.invoke(args=[*ARGS, os.path.join(str(tmp_path), "tidak", "ada", "x.docx")])
    assert result.exit_code != 0 and "tidak ada" in result.output
