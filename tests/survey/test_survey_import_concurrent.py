"""Two imports of one SKM file at the same moment (PostgreSQL, two connections): one stores, the other
gets the importer's message, whether the bytes are the same or the rows are saved with another separator."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from conftest import PG_URL, get_user
from iku_workflow.extensions import db
from iku_workflow.models import SurveyImport, SurveyPeriod, SurveyResponse
from iku_workflow.survey import importer
from .test_survey_import import _csv, _good_rows

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skm_period(year=2025, label="S1", population=None),
    pytest.mark.skipif(not PG_URL, reason="two concurrent transactions need PostgreSQL (SQLite serialises "
                                          "writers); set IKU_TEST_DATABASE_URL"),
]


def _semicolons(data: bytes) -> bytes:
    # the same questionnaires saved again with ';' (the dates and words hold no commas)
    return data.replace(b",", b";")


@pytest.mark.parametrize("second_file", [lambda data: data, _semicolons], ids=["same-bytes", "other-separator"])
def test_two_imports_at_once_one_stores(app, period, second_file):
    first_data = _csv(_good_rows())
    second_data = second_file(first_data)
    period_id, user_id = period.id, get_user("pelayanan").id
    db.session.remove()
    flushed, outcome = threading.Event(), {}

    def first_import():
        # its own app context: its own session and connection
        with app.app_context():
            try:
                p = db.session.get(SurveyPeriod, period_id)
                importer.import_file(p, first_data, "skm.csv", user=db.session.get(type(get_user("pelayanan")), user_id))
                flushed.set()  # stored, not committed yet: the other import starts now
                threading.Event().wait(0.8)
                db.session.commit()
                outcome["first"] = "stored"
            except Exception as exc:  # reported to the test below
                outcome["first"] = exc
                flushed.set()
            finally:
                db.session.remove()

    thread = threading.Thread(target=first_import)
    thread.start()
    assert flushed.wait(30)
    with app.app_context():
        try:
            p = db.session.get(SurveyPeriod, period_id)
            with pytest.raises(importer.ImportRejected) as caught:
                importer.import_file(p, second_data, "skm-lagi.csv", user=None)
            db.session.rollback()
        finally:
            db.session.remove()
    thread.join(30)
    assert outcome["first"] == "stored"
    message = str(caught.value)
    assert "sudah pernah diimpor" in message or "Isi berkas ini sama dengan berkas skm.csv" in message
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 5
