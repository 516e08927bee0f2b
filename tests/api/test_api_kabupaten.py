"""The API for kabupaten users: every office of their kabupaten, the matrix of the console, nothing of another."""
from __future__ import annotations

import json
from datetime import date

from api.conftest import bearer, issue
from iku_workflow.kabupaten.console import console
from iku_workflow.models import Office
from iku_workflow.extensions import db

import sqlalchemy as sa

YEAR = date.today().year


def _get(app, secret, path):
    return app.test_client().get(path, headers=bearer(secret))


def test_a_kabupaten_token_reads_every_office_of_its_kabupaten(app, office, runner):
    from tests_kabupaten_helpers import other_kabupaten

    other_kabupaten()
    secret = issue("kabupaten")
    codes = [o["code"] for o in _get(app, secret, "/api/v1/offices").get_json()]
    assert codes == ["gumukmas", "kencong"]
    assert _get(app, secret, "/api/v1/offices/tegalampel").status_code == 404
    for code in codes:
        got = _get(app, secret, f"/api/v1/offices/{code}/years/{YEAR}/summary")
        assert got.status_code == 200
        cli = runner.invoke(args=["iku", "report", "--office", code, "--year", str(YEAR), "--json"])
        assert got.get_json() == json.loads(cli.output)
    kab = _get(app, secret, "/api/v1/kabupaten").get_json()
    assert kab == [{"code": "jember", "name": "Jember", "full_name": "Kabupaten Jember", "offices": 2}]


def test_the_matrix_is_the_consoles(app, office):
    secret = issue("kabupaten")
    for query, period in (("", None), ("?period=2", 2), (f"?year={YEAR}&period=4", 4)):
        got = _get(app, secret, f"/api/v1/kabupaten/jember/matrix{query}")
        assert got.status_code == 200, got.get_data(as_text=True)
        body = got.get_json()
        data = console(office.kabupaten_id, YEAR, period)
        assert body["period"] == period and [o["code"] for o in body["offices"]] == [r.office.code for r in data.rows]
        for row, out in zip(data.rows, body["offices"]):
            assert out["rank"] == row.rank
            for item in out["iku"]:
                cell = row.iku[item["number"]]
                assert item["capaian"] == (None if cell.capaian is None else float(cell.capaian))
                assert item["criteria"] == (cell.band.label if cell.band else None)
            assert {d["code"] for d in out["documents"]} == set(row.documents)
    assert "Peringkat menurut" in body["ranking_rule"]
    for bad in ("?period=5", "?year=1e309", "?year=99999999999999999999", "?period=abc"):
        assert _get(app, secret, f"/api/v1/kabupaten/jember/matrix{bad}").status_code in (400, 422), bad


def test_office_tokens_and_other_kabupaten_get_no_matrix(app, office):
    from tests_kabupaten_helpers import other_kabupaten

    other_kabupaten()
    assert _get(app, issue("sekcam"), "/api/v1/kabupaten/jember/matrix").status_code == 403
    assert _get(app, issue("kab-bondowoso"), "/api/v1/kabupaten/jember/matrix").status_code == 404
    other = _get(app, issue("kab-bondowoso"), "/api/v1/offices").get_json()
    assert [o["code"] for o in other] == ["tegalampel"]
    # an office user's kabupaten is their office's; they read one office of it
    assert _get(app, issue("sekcam"), "/api/v1/kabupaten").get_json()[0]["offices"] == 1
    assert db.session.scalar(sa.select(sa.func.count(Office.id))) == 3


def test_the_summary_is_reused_until_the_offices_data_changes(app, office):
    """The API's summary is the CLI's numbers, kept while the office's data fingerprint holds."""
    from iku_workflow.indicators.summary import year_summary
    from iku_workflow.registers import operations as reg_ops
    from iku_workflow.workflow import operations as wf
    from iku_workflow.models import ComplaintChannel, ComplaintStatus
    from conftest import get_user

    secret = issue("sekcam")
    url = f"/api/v1/offices/gumukmas/years/{YEAR}/summary"
    first = _get(app, secret, url).get_json()
    assert first == [i.as_json() for i in year_summary(office.id, YEAR)]
    row = reg_ops.create_row(office, get_user("trantib"), "pengaduan", YEAR, received_on=date(YEAR, 1, 10),
                             channel=ComplaintChannel.SURAT, desa="Desa", summary="Aduan", status=ComplaintStatus.SELESAI,
                             resolved_on=date(YEAR, 1, 12), resolution="Mediasi")
    from factories import PDF
    from iku_workflow.storage import uploads

    reg_ops.add_evidence(row, get_user("trantib"), uploads.check(PDF, "berita acara.pdf"))  # "Selesai" needs it
    db.session.commit()
    assert _get(app, secret, url).get_json() == first  # a draft row counts for nothing
    wf.submit(row.entry, get_user("trantib"))
    wf.approve(row.entry, get_user("sekcam"))
    db.session.commit()
    after = _get(app, secret, url).get_json()
    assert after == [i.as_json() for i in year_summary(office.id, YEAR)]
    assert next(i for i in after if i["number"] == 4)["realisation"]["year"] == 100.0
