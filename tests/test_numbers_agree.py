"""The same numbers everywhere: an approved document moves the documents year page, the dashboard,
the `iku report` JSON and the capaian report together; a document without evidence cannot be submitted."""
import json

import pytest

from conftest import get_user
from documents_helpers import PDF, required, upload
from iku_workflow.extensions import db
from iku_workflow.models import EntryState
from iku_workflow.workflow import operations as ops

YEAR = 2025


def test_submitting_a_document_without_evidence_is_refused(app, office):
    doc = required(office, "sop", YEAR)
    with pytest.raises(ops.ForbiddenTransition, match="Unggah minimal satu berkas bukti"):
        ops.submit(doc.entry, get_user("pelayanan"))
    db.session.rollback()
    assert doc.entry.state is EntryState.DRAFT


def test_one_approval_moves_every_view_of_the_numbers(app, office, client_as, runner):
    sekcam = client_as("sekcam")
    before = sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True)
    assert 'data-testid="doc-completion">0,00 %' in before

    doc = required(office, "sop", YEAR)
    operator = client_as("pelayanan")
    assert upload(operator, doc, (PDF, "SOP.pdf"), description="SOP").status_code in (302, 303)
    db.session.refresh(doc.entry)
    ops.submit(doc.entry, get_user("pelayanan"))
    ops.approve(doc.entry, get_user("sekcam"))
    db.session.commit()

    after = sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True)
    assert 'data-testid="doc-completion">9,09 %' in after  # 1 of 11 required documents
    year_page = sekcam.get(f"/dokumen/{YEAR}").get_data(as_text=True)
    assert "9,09" in year_page

    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    iku1 = next(item for item in json.loads(result.output) if item["number"] == 1)
    assert iku1["realisation"]["year"] == 1

    from iku_workflow.decree import sources

    rows, completion = sources.capaian_rows(office, YEAR, None)
    assert str(completion) in ("9.09", "9.090")
    assert next(r for r in rows if r.number == 1).realisasi["year"] == 1
