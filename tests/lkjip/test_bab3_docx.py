"""The Word draft of Bab III and its lampiran, read back with python-docx."""
from __future__ import annotations

from factories import body_texts, open_docx
from iku_workflow.lkjip import data
from iku_workflow.reports.lkjip import build_lkjip_docx


def test_bab3_builds_for_the_demo_year(app, office):
    ctx = data.context(office, 2025)
    doc = open_docx(build_lkjip_docx(ctx))
    texts = body_texts(doc)
    assert "BAB III" in texts and "AKUNTABILITAS KINERJA" in texts

