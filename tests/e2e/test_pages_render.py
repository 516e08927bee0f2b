"""Every main page renders for the people who use it, on a 1366×768 laptop and on a 390×844 phone.

For the Sekretaris Camat and a seksi operator, each page must answer 200, carry an <h1>, run without
JavaScript errors or CSP violations (Chromium reports both on the console), load all its static files,
and never be wider than the screen (wide tables scroll inside their own box instead).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conftest import PASSWORD
from factories import activity, complaint
from iku_workflow.extensions import db
from iku_workflow.models import RequiredDocument, SurveyPeriod, SurveyResponse

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _pages(username: str, *, doc_id: int, period: SurveyPeriod, open_period: SurveyPeriod, response_id: int | None,
           kegiatan_id: int, pengaduan_id: int) -> list[str]:
    common = ["/dasbor", "/dasbor/2025", "/iku/2025", "/iku/2025/target", "/register/kegiatan/2025",
              f"/register/kegiatan/data/{kegiatan_id}", "/register/pengaduan/2025",
              f"/register/pengaduan/data/{pengaduan_id}", "/register/sakip/2025", "/register/program/2025",
              "/dokumen/2025", f"/dokumen/wajib/{doc_id}", "/notifikasi", "/skm/", f"/skm/periode/{period.id}",
              f"/s/{open_period.code}", f"/skm/periode/{open_period.id}/responden",
              *([f"/skm/periode/{open_period.id}/responden/{response_id}/ubah"] if response_id else []),
              f"/skm/periode/{period.id}/responden", "/laporan/capaian/2025", "/akun",
              "/lkjip/2025", "/lkjip/2025/program", "/lkjip/2025/faktor/3"]
    if username == "sekcam":
        return common + ["/iku/2025/1/ubah", "/dokumen/2025/daftar", "/tinjauan", "/audit",
                         f"/skm/periode/{period.id}/qr", "/keputusan", "/keputusan/2025", "/keputusan/2025/pratinjau",
                         "/lkjip/2025/tahun-lalu", "/lkjip/2025/renstra"]
    return common + ["/tugas", "/register/kegiatan/2025/baru"]


@pytest.mark.parametrize("username", ["sekcam", "pmks"])
def test_main_pages_render_on_laptop_and_phone(_browser, live_server, office, username):
    kegiatan = activity(office, year=2025)
    pengaduan = complaint(office)
    db.session.commit()
    doc_id = db.session.scalar(sa.select(RequiredDocument.id).where(RequiredDocument.year == 2025)
                               .order_by(RequiredDocument.id))
    periods = list(db.session.scalars(sa.select(SurveyPeriod).order_by(SurveyPeriod.id)))
    closed = next(p for p in periods if not p.is_open)  # has results: the NRR chart is drawn
    current = next(p for p in periods if p.is_open)  # the public questionnaire only while open
    # a response this user may correct (an operator: one their section entered)
    from conftest import get_user
    from iku_workflow.access import can

    user = get_user(username)
    response_id = next((r.id for r in db.session.scalars(sa.select(SurveyResponse).where(
        SurveyResponse.period_id == current.id, SurveyResponse.source != "public").order_by(SurveyResponse.id))
        if can(user, "survey.response_edit", r)), None)
    if username == "sekcam":
        assert response_id is not None, "the sekcam may correct any response of the demo seed"
    assert doc_id is not None, "the demo seed provides required documents"
    paths = _pages(username, doc_id=doc_id, period=closed, open_period=current, response_id=response_id,
                   kegiatan_id=kegiatan.id, pengaduan_id=pengaduan.id)

    problems: list[str] = []
    for name, viewport in VIEWPORTS.items():
        context = _browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        page.set_default_timeout(10_000)
        here = {"path": "/login"}
        page.on("pageerror", lambda exc: problems.append(f"{name} {here['path']}: JS error {exc}"))
        page.on("console", lambda msg: problems.append(f"{name} {here['path']}: console {msg.text}")
                if msg.type == "error" else None)
        page.on("requestfailed", lambda req: problems.append(f"{name} {here['path']}: failed {req.url}"))
        page.on("response", lambda resp: problems.append(f"{name} {here['path']}: HTTP {resp.status} {resp.url}")
                if resp.status >= 400 else None)

        page.goto(live_server.url + "/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(live_server.url + "/dasbor")
        for path in paths:
            here["path"] = path
            response = page.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"{name} {path}: status {response.status}")
                continue
            if not page.locator("h1").first.inner_text().strip():
                problems.append(f"{name} {path}: no <h1>")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 1:
                problems.append(f"{name} {path}: page {overflow}px wider than the screen")
        context.close()
    assert not problems, "\n".join(problems)
