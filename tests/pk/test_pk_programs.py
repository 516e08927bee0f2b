"""A Sekretaris Camat's or Kepala Seksi's PK takes indicators from the office's program indicators (the IKU 6
register, Renja/DPA) as well as from the IKU: chosen by ticking them, added once, what was typed kept."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import program
from iku_workflow.extensions import db
from iku_workflow.models import PerformanceAgreement, PkLevel, Section
from iku_workflow.pk import operations
from iku_workflow.pk.operations import PkError
from tests.pk.test_pk_views import _form_fields


def _section(office, code):
    return db.session.scalar(sa.select(Section).where(Section.office_id == office.id, Section.code == code))


@pytest.fixture
def programs(office):
    first = program(office, target="90")
    second = program(office, target="12")
    second.program, second.indicator, second.unit = "Program Pemberdayaan", "Kegiatan difasilitasi", "kegiatan"
    db.session.commit()
    return first, second


def test_program_rows_follow_the_typed_rows_once_each(office, programs):
    pk = operations.create_pk(office, 2025, PkLevel.SEKCAM, None, get_user("sekcam"))
    first, second = programs
    typed = [operations._row_values(t) for t in pk.targets]
    rows = operations.with_program_rows(pk, typed, [second.id, first.id, second.id])
    added = rows[len(typed):]
    assert added == [
        {"sasaran": "Program Pemberdayaan", "indicator_text": "Kegiatan difasilitasi", "target": Decimal("12"),
         "unit": "kegiatan", "indicator_id": None},
        {"sasaran": "Program Penunjang", "indicator_text": "Dokumen tepat waktu", "target": Decimal("90"),
         "unit": "%", "indicator_id": None}]
    assert operations.set_rows(pk, None, rows)
    # taken again: nothing is added twice
    again = operations.with_program_rows(pk, [operations._row_values(t) for t in pk.targets], [first.id])
    assert len(again) == len(rows)


def test_program_rows_are_refused_for_the_camat_unknown_or_another_office(office, other_office, programs):
    camat = operations.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    with pytest.raises(PkError, match="PK Sekretaris Camat"):
        operations.with_program_rows(camat, [], [programs[0].id])
    trantib = operations.create_pk(office, 2025, PkLevel.SEKSI, _section(office, "trantib"), get_user("sekcam"))
    with pytest.raises(PkError, match="Centang minimal satu"):
        operations.with_program_rows(trantib, [], [])
    with pytest.raises(PkError, match="bukan indikator program tahun 2025"):
        operations.with_program_rows(trantib, [], [programs[0].id + 1000])
    # a program indicator of this office is not one of another office's PK
    theirs = operations.create_pk(other_office, 2025, PkLevel.SEKCAM, None, get_user("sekcam-puger"))
    with pytest.raises(PkError, match="bukan indikator program tahun 2025"):
        operations.with_program_rows(theirs, [], [programs[0].id])
    # nor of another year
    assert operations.program_indicators(office.id, 2026) == []


def test_the_sekcam_ticks_program_indicators_and_keeps_what_was_typed(client_as, office, programs):
    sekcam = client_as("sekcam")
    pk = operations.create_pk(office, 2025, PkLevel.SEKCAM, None, get_user("sekcam"))
    db.session.commit()
    html = sekcam.get(f"/pk/{pk.id}").get_data(as_text=True)
    assert 'data-testid="pk-programs-pick"' in html and f'value="{programs[1].id}"' in html
    data = _form_fields(html)
    data.pop("program", None)
    data.update({"tempat": "Gumukmas, Jember", "op": "from_programs", "program": [str(programs[1].id)]})
    response = sekcam.post(f"/pk/{pk.id}", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    pk = db.session.get(PerformanceAgreement, pk.id)
    assert pk.tempat == "Gumukmas, Jember"
    assert pk.targets[-1].indicator_text == "Kegiatan difasilitasi" and pk.targets[-1].sasaran == "Program Pemberdayaan"
    assert "Indikator program yang dicentang ditambahkan" in sekcam.get(f"/pk/{pk.id}").get_data(as_text=True)
    # none ticked: the message, the form kept
    data = _form_fields(sekcam.get(f"/pk/{pk.id}").get_data(as_text=True))
    data.pop("program", None)
    data.update({"first_name": "Nama Diketik", "op": "from_programs"})
    refused = sekcam.post(f"/pk/{pk.id}", data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Centang minimal satu" in page and 'value="Nama Diketik"' in page
    data.update({"program": ["1e309"]})
    assert sekcam.post(f"/pk/{pk.id}", data=data).status_code == 400


def test_the_camat_pk_offers_no_program_indicators(client_as, office, programs):
    pk = operations.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    db.session.commit()
    assert 'data-testid="pk-programs-pick"' not in client_as("sekcam").get(f"/pk/{pk.id}").get_data(as_text=True)
