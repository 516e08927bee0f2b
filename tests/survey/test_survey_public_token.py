"""The public questionnaire's form token is good for one answer: a replay stores nothing."""
from __future__ import annotations

import sqlalchemy as sa

from iku_workflow.extensions import db
from iku_workflow.models import SurveyPublicToken, SurveyResponse
from .test_survey_web import _answers, _count, _token


def test_a_token_stores_one_answer_and_a_replay_is_refused(public, period):
    token = _token(public, period.code)
    first = public.post(f"/s/{period.code}", data=_answers(period, token))
    assert first.status_code == 302 and _count() == 1
    for _ in range(3):
        again = public.post(f"/s/{period.code}", data=_answers(period, token, u1="1"))
        assert again.status_code == 409
        html = again.get_data(as_text=True)
        assert "sudah kami terima" in html and 'data-testid="form-error"' in html
    assert _count() == 1
    assert db.session.scalars(sa.select(SurveyResponse)).one().u1 == 4  # the replays changed nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyPublicToken)) == 1
    # the page offers an empty form with a new token, which stores the next respondent
    fresh = _token(public, period.code)
    assert fresh != token
    assert public.post(f"/s/{period.code}", data=_answers(period, fresh)).status_code == 302 and _count() == 2


def test_a_replay_after_the_answer_was_deleted_is_still_refused(public, period):
    token = _token(public, period.code)
    assert public.post(f"/s/{period.code}", data=_answers(period, token)).status_code == 302
    db.session.execute(sa.delete(SurveyResponse))
    db.session.commit()
    assert public.post(f"/s/{period.code}", data=_answers(period, token)).status_code == 409 and _count() == 0


def test_an_old_style_token_without_an_id_is_refused(public, period):
    from iku_workflow.survey.public import _signer

    with public.application.test_request_context():
        old = _signer().dumps(period.code)
    assert public.post(f"/s/{period.code}", data=_answers(period, old)).status_code == 400 and _count() == 0
