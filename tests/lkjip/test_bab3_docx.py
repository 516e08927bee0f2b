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


def test_dump(app, office, tmp_path):
    ctx = data.context(office, 2025)
    raw = build_lkjip_docx(ctx)
    open("/tmp/lkj/bab3.docx", "wb").write(raw)
    doc = open_docx(raw)
    for t in doc.tables:
        for r in t.rows:
            print(" | ".join(c.text for c in r.cells))
        print("----")
    print("\n".join(body_texts(doc)))
