"""The LKjIP pages: the year's tables, the entered figures, the Renstra, programs, factors, the download."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import LkjipFactor, LkjipPastValue, ProgramBudget, RenstraPeriod


def test_the_year_page_shows_the_tables(client_as, office):
    page = client_as("camat").get("/lkjip/2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for testid in ("capaian-table", "comparison-table", "renstra-table", "factors", "download"):
        assert f'data-testid="{testid}"' in html
