"""The trigger-kept running totals equal a fresh SUM over the response rows after every write path."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import SurveyPeriod, SurveyResponse, SurveyTotal
from iku_workflow.models.survey_totals import BACKFILL, SUM_COLUMNS
from iku_workflow.survey import compute, importer
from iku_workflow.survey.operations import open_period
from factories import WORKED_EXAMPLE, add_rows


TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"
RAW = sa.select(SurveyResponse.period_id, SurveyResponse.service_id, sa.func.count(),
                *[sa.func.sum(getattr(SurveyResponse, f"u{i}")) for i in range(1, 10)]
                ).group_by(SurveyResponse.period_id, SurveyResponse.service_id)
KEPT = sa.select(SurveyTotal.period_id, SurveyTotal.service_id, SurveyTotal.respondents,
                 *[getattr(SurveyTotal, c) for c in SUM_COLUMNS])


def _table(query) -> dict:
    return {(row[0], row[1]): tuple(int(v) for v in row[2:]) for row in db.session.execute(query)}


def assert_totals_match(period=None) -> dict:
    """Every (period, service) line equals the GROUP BY over the rows; the indexes agree too."""
    db.session.flush()
    kept, raw = _table(KEPT), _table(RAW)
    assert kept == raw
    periods = [period] if period is not None else list(db.session.scalars(sa.select(SurveyPeriod)))
    for p in periods:
        assert compute.sql_index(p) == compute.raw_index(p)
        assert compute.per_service(p) == compute.raw_per_service(p)
    return kept




def test_demo_seed_keeps_totals(office):
    from iku_workflow import survey

    for seeder in survey.CAPABILITY.seeders:  # the survey tests start without the demo survey: seed it here
        seeder(office, lambda _msg: None)
    db.session.commit()
    kept = assert_totals_match()
    assert sum(n for n, *_ in kept.values()) == 72  # 60 answers in S1 2025 and 12 in the open period


def test_public_form_and_staff_entry_keep_totals(make_app, client_as, period):
    answers = {"jenis_layanan": str(period.services[1].id), "jenis_kelamin": "P", "usia": "35",
               "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA", **{f"u{i}": str(1 + i % 4) for i in range(1, 10)}}
    app = make_app(SKM_MIN_SECONDS=0)
    try:
        public = app.test_client()
        page = public.get(f"/s/{period.code}").get_data(as_text=True)
        marker = 'name="t" type="hidden" value="'
        token = page[page.index(marker) + len(marker):].split('"', 1)[0]
        assert public.post(f"/s/{period.code}", data={**answers, "t": token}).status_code == 302
    finally:
        with app.app_context():
            db.engine.dispose()
    staff = client_as("pelayanan")
    assert staff.post(f"/skm/periode/{period.id}/entri",
                      data={**answers, "u9": "4", "tanggal": TODAY.isoformat()}).status_code == 302
    db.session.expire_all()
    kept = assert_totals_match(period)
    assert kept[(period.id, period.services[1].id)] == (2, 2 * 2, 3 * 2, 4 * 2, 1 * 2, 2 * 2, 3 * 2, 4 * 2, 1 * 2, 2 + 4)


def test_import_keeps_totals_and_a_rejected_file_leaves_them(office):
    period = open_period(office.id, 2025, "S1", user=get_user("sekcam"))
    db.session.commit()
    rows = [f"2025-02-{10 + i},{name},L,30,SMA,PNS," + ",".join(map(str, r))
            for i, (name, r) in enumerate(zip(["KTP-el", "Izin", "KTP-el", "Izin", "Legalisasi"], WORKED_EXAMPLE))]
    header = "tanggal,jenis_layanan,jenis_kelamin,usia,pendidikan,pekerjaan," + ",".join(f"u{i}" for i in range(1, 10))
    importer.import_file(period, ("\n".join([header, *rows]) + "\n").encode(), "skm.csv", user=None)
    db.session.commit()
    kept = assert_totals_match(period)
    assert sorted(n for n, *_ in kept.values()) == [1, 2, 2]
    with pytest.raises(importer.ImportRejected):
        importer.import_file(period, ("\n".join([header, rows[0].replace(",4,", ",5,", 1)]) + "\n").encode(),
                             "salah.csv", user=None)
    db.session.rollback()
    assert assert_totals_match(period) == kept


def test_update_delete_and_rollback_keep_totals(period):
    ktp, kk = period.services[0], period.services[1]
    add_rows(period, WORKED_EXAMPLE, service=ktp)
    db.session.commit()
    before = assert_totals_match(period)
    add_rows(period, [(1,) * 9] * 3, service=kk)
    db.session.rollback()
    assert assert_totals_match(period) == before
    first = db.session.scalar(sa.select(SurveyResponse.id).order_by(SurveyResponse.id))
    db.session.execute(sa.update(SurveyResponse).where(SurveyResponse.id == first).values(service_id=kk.id, u1=1))
    db.session.execute(sa.update(SurveyResponse).where(SurveyResponse.service_id == ktp.id).values(usia=44))
    kept = assert_totals_match(period)
    assert kept[(period.id, kk.id)][:2] == (1, 1)
    db.session.execute(sa.delete(SurveyResponse).where(SurveyResponse.service_id == kk.id))
    kept = assert_totals_match(period)
    assert (period.id, kk.id) not in kept  # an emptied line goes away
    db.session.execute(sa.delete(SurveyResponse))
    assert assert_totals_match(period) == {} and compute.sql_index(period) is None


def test_backfill_of_the_migration_rebuilds_the_same_totals(period):
    add_rows(period, WORKED_EXAMPLE, service=period.services[2])
    add_rows(period, WORKED_EXAMPLE[:2], service=period.services[0])
    kept = assert_totals_match(period)
    db.session.execute(sa.delete(SurveyTotal))
    db.session.execute(sa.text(BACKFILL))
    assert assert_totals_match(period) == kept


writes = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(0, 4), st.lists(st.tuples(*[st.integers(1, 4)] * 9), min_size=1, max_size=8)),
    st.tuples(st.just("drop"), st.integers(0, 4), st.integers(1, 4)),
    st.tuples(st.just("move"), st.integers(0, 4), st.integers(0, 4)),
), min_size=1, max_size=8)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=writes)
def test_any_sequence_of_writes_keeps_totals(period, steps):
    services = period.services
    try:
        for kind, a, b in steps:
            if kind == "add":
                add_rows(period, b, service=services[a])
            elif kind == "drop":  # delete the rows of one service whose u1 is b
                db.session.execute(sa.delete(SurveyResponse).where(
                    SurveyResponse.service_id == services[a].id, SurveyResponse.u1 == b))
            else:
                db.session.execute(sa.update(SurveyResponse).where(SurveyResponse.service_id == services[a].id)
                                   .values(service_id=services[b].id))
            assert_totals_match(period)
    finally:
        db.session.rollback()
