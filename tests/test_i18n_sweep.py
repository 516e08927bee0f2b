"""English pages fully English where the app writes the words (issue 14): quarter labels and period menus, chart
legends, the SKM unsur and respondent profile, the SKM report's refusal; times carry "WIB" in both languages."""
from __future__ import annotations

import html as htmllib
import json
import re

import pytest

from conftest import get_user
from iku_workflow.extensions import db


@pytest.fixture
def english(client_as, office):
    def signed_in(username: str):
        get_user(username).locale = "en"
        db.session.commit()
        return client_as(username)
    return signed_in


def _charts(page: str) -> list[dict]:
    return [json.loads(htmllib.unescape(raw)) for raw in re.findall(r'data-chart="([^"]+)"', page)]


def test_quarters_periods_and_chart_legends_in_english(english, client_as):
    camat = english("camat")
    dashboard = camat.get("/dasbor/2025").get_data(as_text=True)
    charts = _charts(dashboard)
    assert charts and all(c["labels"] == ["Q1", "Q2", "Q3", "Q4"] for c in charts)
    assert all(c["legend"] == {"realisation": "Realisation (up to the quarter)", "target": "Target"} for c in charts)
    assert "up to Q4" in dashboard and "TW IV" not in dashboard
    # the caption under IKU 1's figure
    assert "The number of required document types approved by the Sekretaris Camat." in dashboard
    assert "Jumlah jenis dokumen wajib" not in dashboard
    capaian = camat.get("/laporan/capaian/2025").get_data(as_text=True)
    assert ">Year 2025<" in capaian and ">up to Q2<" in capaian
    quarter = camat.get("/laporan/capaian/2025?periode=tw2").get_data(as_text=True)
    assert ">up to Quarter 2 2025<" in quarter and "Triwulan" not in quarter
    assert "s.d. TW" not in capaian and "Tahun 2025" not in capaian


def test_the_same_pages_stay_indonesian(client_as, office):
    camat = client_as("camat")
    charts = _charts(camat.get("/dasbor/2025").get_data(as_text=True))
    assert charts and charts[0]["labels"] == ["TW I", "TW II", "TW III", "TW IV"]
    assert charts[0]["legend"]["realisation"] == "Realisasi (s.d. TW)"
    capaian = camat.get("/laporan/capaian/2025").get_data(as_text=True)
    assert ">Tahun 2025<" in capaian and ">s.d. TW II<" in capaian
    assert ">s.d. Triwulan II 2025<" in camat.get("/laporan/capaian/2025?periode=tw2").get_data(as_text=True)


def test_register_quarter_menus_in_english(english):
    page = english("pmks").get("/register/kegiatan/2025/baru").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="[1-4]"[^>]*>([^<]+)</option>', page)
    assert options[:4] == ["Q1", "Q2", "Q3", "Q4"], options


def test_the_skm_results_name_unsur_and_profile_in_english(english):
    from iku_workflow.models import SurveyPeriod

    period = db.session.query(SurveyPeriod).filter(SurveyPeriod.closed_at.isnot(None)).first()
    page = english("sekcam").get(f"/skm/periode/{period.id}").get_data(as_text=True)
    for text in ("Requirements", "Handling of complaints, suggestions and feedback", "Facilities and infrastructure",
                 ">Sex<", ">Age<", ">Education<", ">Occupation<", ">Service type<", ">Male<", ">Female<"):
        assert text in page, text
    for text in ("Persyaratan", "Sarana dan Prasarana", "Jenis Kelamin", "Laki-laki", "laporan hanya dapat"):
        assert text not in page, text
    assert "can be attached only by an operator of Seksi Pelayanan Umum" in page


def test_the_skm_results_keep_the_regulations_words_in_indonesian(client_as, office):
    from iku_workflow.models import SurveyPeriod

    period = db.session.query(SurveyPeriod).filter(SurveyPeriod.closed_at.isnot(None)).first()
    page = client_as("sekcam").get(f"/skm/periode/{period.id}").get_data(as_text=True)
    for text in ("Persyaratan", "Penanganan Pengaduan, Saran dan Masukan", ">Jenis Kelamin<", ">Laki-laki<",
                 "laporan hanya dapat dilampirkan oleh operator Seksi Pelayanan Umum"):
        assert text in page, text


def test_times_of_day_carry_wib_and_dates_alone_do_not(app, english, client_as):
    stamp = r"\d{2} \w{3} \d{4} \d{2}:\d{2}(?::\d{2})?"
    for client in (client_as("sekcam"), english("admin")):
        page = client.get("/audit").get_data(as_text=True)
        times = re.findall(stamp + r"(?: WIB)?", page)
        assert times and all(t.endswith(" WIB") for t in times), times[:3]
    from datetime import datetime, timezone

    from iku_workflow.template_filters import page_datetime

    with app.test_request_context():
        assert page_datetime(datetime(2025, 2, 12, 7, 5, tzinfo=timezone.utc), "dd MMM yyyy HH:mm").endswith("14:05 WIB")
        assert "WIB" not in page_datetime(datetime(2025, 2, 12, 7, 5, tzinfo=timezone.utc), "dd MMM yyyy")
        assert page_datetime(None) == ""
