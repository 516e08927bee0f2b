"""Correcting or deleting one SKM response is for the section that entered it, or the sekcam."""
from __future__ import annotations

import pytest

from conftest import PASSWORD, get_user
from iku_workflow.extensions import db
from iku_workflow.models import ResponseSource, Role, SurveyResponse, User
from iku_workflow.security import hash_password
from .test_survey_correct import _form, _rows, _stored, mixed_answers

pytestmark = pytest.mark.skm_period(fill=mixed_answers)  # the periods of test_survey_correct


def _edit_url(period, response):
    return f"/skm/periode/{period.id}/responden/{response.id}/ubah"


def _delete_url(period, response):
    return f"/skm/periode/{period.id}/responden/{response.id}/hapus"


def test_an_operator_of_another_section_cannot_rewrite_or_delete(client_as, period):
    typed = _rows(period, ResponseSource.STAFF)[0]  # typed by pelayanan
    before = _stored(period)
    c = client_as("pemerintahan")
    assert c.get(_edit_url(period, typed)).status_code == 403
    assert c.post(_edit_url(period, typed), data=_form(typed, u1="1", u2="1")).status_code == 403
    assert c.post(_delete_url(period, typed), data={"reason": "bukan seksi saya"}).status_code == 403
    assert _stored(period) == before
    listing = c.get(f"/skm/periode/{period.id}/responden").get_data(as_text=True)
    assert f"/responden/{typed.id}/ubah" not in listing and f"/responden/{typed.id}/hapus" not in listing
    [imported] = _rows(period, ResponseSource.IMPORT)  # their own section's row keeps its buttons
    assert f"/responden/{imported.id}/ubah" in listing and f"/responden/{imported.id}/hapus" in listing


def test_a_colleague_of_the_same_section_may_correct_and_delete(client_as, period):
    pelayanan = get_user("pelayanan")
    db.session.add(User(office_id=pelayanan.office_id, username="pelayanan2", full_name="Operator Pelayanan 2",
                        role=Role.SEKSI, section_id=pelayanan.section_id, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    first, second = _rows(period, ResponseSource.STAFF)[:2]
    c = client_as("pelayanan2")
    assert c.post(_edit_url(period, first), data=_form(first, u1="2")).status_code == 302
    assert c.post(_delete_url(period, second), data={"reason": "terketik dua kali"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyResponse, first.id).u1 == 2
    assert db.session.get(SurveyResponse, second.id) is None


def test_the_sekcam_corrects_any_section(client_as, period):
    typed = _rows(period, ResponseSource.STAFF)[0]
    response = client_as("sekcam").post(_edit_url(period, typed), data=_form(typed, u9="1"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyResponse, typed.id).u9 == 1
