"""Form messages speak the page's language, and numbers may be typed with a decimal comma."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import sqlalchemy as sa
from flask_wtf import FlaskForm

import iku_workflow
from iku_workflow.extensions import db
from iku_workflow.forms_base import IkuForm
from iku_workflow.models import ProgramIndicator, SakipEvaluation


def test_every_form_of_the_app_derives_from_ikuform():
    offenders = []
    for info in pkgutil.walk_packages(iku_workflow.__path__, "iku_workflow."):
        if not info.name.endswith("forms"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__ and not issubclass(cls, IkuForm):
                offenders.append(f"{module.__name__}.{name}")
    assert offenders == []


def test_sakip_score_with_decimal_comma_is_stored(client_as, office):
    c = client_as("sekretariat")
    response = c.post("/register/sakip/2025/baru", data={"score": "72,5", "lhe_reference": "700/1/2025"})
    assert response.status_code == 302
    row = db.session.scalar(sa.select(SakipEvaluation))
    assert row.score == Decimal("72.5")
    # the edit form shows it back with a decimal comma, in a text input with a decimal keypad
    page = c.get(f"/register/sakip/data/{row.id}/ubah").get_data(as_text=True)
    assert 'value="72,50"' in page and 'inputmode="decimal"' in page and 'type="number"' not in page


def test_bad_number_gets_an_indonesian_message_and_nothing_is_stored(client_as, office):
    c = client_as("sekretariat")
    page = c.post("/register/sakip/2025/baru", data={"score": "tujuh puluh", "lhe_reference": "x"}).get_data(as_text=True)
    assert "Bukan angka yang sah" in page
    assert "Not a valid" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SakipEvaluation)) == 0


def test_wtforms_default_messages_are_indonesian(client_as, office):
    c = client_as("sekretariat")
    page = c.post("/register/program/2025/baru", data={"program": "", "indicator": "", "unit": "", "target": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Isian ini wajib diisi." in text and "This field is required." not in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgramIndicator)) == 0


def test_program_target_and_realisation_with_decimal_comma(client_as, office):
    c = client_as("sekretariat")
    response = c.post("/register/program/2025/baru", data={
        "program": "Program Penunjang", "indicator": "Persentase laporan tepat waktu", "unit": "%",
        "polarity": "higher", "target": "97,5", "realisation": "98,25"})
    assert response.status_code == 302
    row = db.session.scalar(sa.select(ProgramIndicator))
    assert (row.target, row.realisation) == (Decimal("97.5"), Decimal("98.25"))


def test_english_page_keeps_english_wtforms_messages(client_as, office):
    from conftest import get_user

    user = get_user("sekretariat")
    user.locale = "en"
    db.session.commit()
    c = client_as("sekretariat")
    text = c.post("/register/program/2025/baru", data={"program": ""}).get_data(as_text=True)
    assert "This field is required." in text and "Isian ini wajib diisi." not in text
