"""The shared pager: page bounds, totals, and the page links it renders."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template_string
from werkzeug.exceptions import BadRequest

from iku_workflow import audit
from iku_workflow.extensions import db
from iku_workflow.models import AuditEvent
from iku_workflow.pagination import paginate


def _query():
    return sa.select(AuditEvent).order_by(AuditEvent.id)


@pytest.fixture(autouse=True)
def _events(app):
    with app.app_context():
        for n in range(5):
            audit.record("test.paging", office_id=None, object_type="test", object_id=n)
        db.session.commit()


def test_pages_cut_the_list_and_count_it_all(app):
    with app.test_request_context("/?hal=2"):
        total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        assert total > 3
        page = paginate(_query(), per_page=2)
        ids = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
        assert [e.id for e in page.items] == ids[2:4]
        assert (page.page, page.total, page.pages) == (2, total, -(-total // 2))
        assert page.has_prev and page.has_next == (total > 4)
        assert (page.first, page.last) == (3, 4)


def test_a_page_past_the_end_shows_the_last_page(app):
    with app.test_request_context("/?hal=999999"):
        total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        page = paginate(_query(), per_page=2)
        assert page.page == page.pages == -(-total // 2)
        assert not page.has_next and page.last == total


@pytest.mark.parametrize("value", ["0", "-1", "1e309", "NaN", "9" * 20])
def test_a_page_number_out_of_range_is_a_400(app, value):
    with app.test_request_context(f"/?hal={value}"):
        with pytest.raises(BadRequest):
            paginate(_query())


def test_an_empty_list_is_one_page_without_links(app):
    with app.test_request_context("/"):
        page = paginate(_query().where(AuditEvent.id < 0))
        assert (page.total, page.pages, page.first, page.last) == (0, 1, 0, 0)
        html = render_template_string('{% from "macros/pagination.html" import pager %}{{ pager(p, "workflow.audit_log") }}', p=page)
        assert "Berikutnya" not in html


def test_the_links_keep_the_filter_and_say_where_the_page_is(app):
    with app.test_request_context("/?hal=2"):
        page = paginate(_query(), per_page=1)
        html = render_template_string(
            '{% from "macros/pagination.html" import pager %}{{ pager(p, "workflow.audit_log", {"aksi": "x"}) }}', p=page)
        assert "hal=1&amp;aksi=x" in html or "aksi=x&amp;hal=1" in html
        assert "hal=3" in html
        assert f"2–2 dari {page.total}" in html
        assert f"Halaman 2 dari {page.pages}" in html
