"""Display-only numbers on pages follow the page language: "66.67 %" and "1,500.5" on an English page,
"66,67 %" and "1.500,5" on an Indonesian one; the documents stay Indonesian either way."""
import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from docx import Document

import factories as mk
from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.indicators import operations as ops
from iku_workflow.models import Indicator


def _scenario(office):
    rows = [mk.complaint(office, date(2025, 1, 10)), mk.complaint(office, date(2025, 2, 10)),
            mk.complaint(office, date(2025, 3, 10), status="diproses")]
    mk.approve(*rows)
    mk.program(office, target="1500.5", realisation="1200")
    iku4 = db.session.scalar(sa.select(Indicator).where(Indicator.year == 2025, Indicator.number == 4,
                                                     Indicator.office_id == office.id))
    ops.set_target(iku4, get_user("sekcam"), Decimal("1250.5"), None)
    db.session.commit()


def _speaks(username, locale):
    get_user(username).locale = locale
    db.session.commit()


def _card(html, number):
    return html.split(f'<section class="card h-100" data-iku="{number}"')[1].split("</section>")[0]


def test_dashboard_numbers_follow_the_page_language(client_as, office):
    _scenario(office)
    _speaks("sekcam", "en")
    english = client_as("sekcam").get("/dasbor/2025").get_data(as_text=True)
    assert '<html lang="en">' in english
    card = _card(english, 4)
    assert 'data-testid="target">1,250.5<' in card
    assert "5.33 %" in card and "5,33" not in card  # 66.67 ÷ 1250.5 × 100, half up
    assert 'data-testid="doc-completion">0.00 %' in english

    indonesian = client_as("camat").get("/dasbor/2025").get_data(as_text=True)
    assert '<html lang="id">' in indonesian
    card = _card(indonesian, 4)
    assert 'data-testid="target">1.250,5<' in card
    assert "5,33 %" in card and "5.33 %" not in card
    assert 'data-testid="doc-completion">0,00 %' in indonesian


def test_register_and_target_history_follow_the_page_language(client_as, office):
    _scenario(office)
    _speaks("sekcam", "en")
    english = client_as("sekcam")
    register = english.get("/register/program/2025").get_data(as_text=True)
    assert ">1,500.5<" in register and ">1,200<" in register and "1.500,5" not in register
    history = english.get("/iku/2025/target").get_data(as_text=True)
    assert ">1,250.5<" in history and "1.250,5" not in history

    indonesian = client_as("camat")
    register = indonesian.get("/register/program/2025").get_data(as_text=True)
    assert ">1.500,5<" in register and ">1.200<" in register and "1,500.5" not in register


def test_documents_stay_indonesian_on_an_english_page(client_as, office):
    _scenario(office)
    _speaks("camat", "en")
    response = client_as("camat").get("/laporan/capaian/2025.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "No")
    row = next(r for r in table.rows[2:] if r.cells[0].text == "4.")
    assert row.cells[4].text == "1.250,50" and row.cells[10].text == "5,33%"
