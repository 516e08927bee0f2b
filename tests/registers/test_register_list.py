"""The register lists at hundreds of rows: search, filters, sorting, totals per status, pages, and an
address that keeps the filter (asserted on what the page shows)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import factories as mk
from conftest import get_user
from factories import _claimed_evidence
from iku_workflow.extensions import db
from iku_workflow.models import ActivityKind, Complaint, ComplaintChannel, ComplaintStatus, EntryState
from iku_workflow.registers import operations as reg_ops

DESA = ("Bagorejo", "Gumukmas", "Karangrejo", "Kepanjen", "Mayangan", "Menampu", "Purwoasri", "Tembokrejo")
CHANNELS = list(ComplaintChannel)


def _complaints(office, n_selesai=30, n_diproses=20, n_masuk=13):
    """63 complaints of 2025 by default: spread over desa, months and channels; returns them in creation order."""
    trantib = get_user("trantib")
    rows = []
    statuses = ["selesai"] * n_selesai + ["diproses"] * n_diproses + ["masuk"] * n_masuk
    for i, status in enumerate(statuses):
        received = date(2025, 1, 1) + timedelta(days=(i * 5) % 360)
        rows.append(reg_ops.create_row(
            office, trantib, "pengaduan", 2025, received_on=received, channel=CHANNELS[i % 5], desa=DESA[i % 8],
            summary=f"Aduan nomor {i}" + (" balap liar" if i % 10 == 0 else ""), status=ComplaintStatus(status),
            resolved_on=received + timedelta(days=1) if status == "selesai" else None, resolution=""))
        _claimed_evidence(rows[-1], status == "selesai")  # "Selesai" is submitted with its file
    db.session.commit()
    return rows


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-row="(\d+)"', html)]


def _totals(html: str) -> str:
    m = re.search(r'data-testid="register-totals">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


@pytest.fixture
def sekcam(client_as):
    return client_as("sekcam")


def test_totals_count_the_filtered_set_and_the_page_shows_fifty(office, sekcam):
    rows = _complaints(office)
    html = sekcam.get("/register/pengaduan/2025").get_data(as_text=True)
    assert _totals(html) == "63 pengaduan, 13 masuk, 20 diproses, 30 selesai"
    # the first page: 50 rows in the register's order (date received, then id), and the pager
    by_date = [r.id for r in sorted(rows, key=lambda r: (r.received_on, r.id))]
    assert _ids(html) == by_date[:50]
    assert "1–50 dari 63" in html and "Halaman 1 dari 2" in html
    second = sekcam.get("/register/pengaduan/2025?hal=2").get_data(as_text=True)
    assert _ids(second) == by_date[50:]
    assert _totals(second) == _totals(html)  # totals are of the set, not of the page
    # filtered: the totals follow the filter
    html = sekcam.get("/register/pengaduan/2025?status=selesai").get_data(as_text=True)
    assert _totals(html).startswith("30 pengaduan, 0 masuk, 0 diproses, 30 selesai")
    assert "sesuai saringan" in html


def test_each_filter_keeps_only_its_rows(office, sekcam):
    rows = _complaints(office)
    approved = rows[:3]
    mk.approve(*approved)
    cases = {
        "status=diproses": lambda r: r.status is ComplaintStatus.DIPROSES,
        "desa=Kepanjen": lambda r: r.desa == "Kepanjen",
        "bulan=3": lambda r: r.received_on.month == 3,
        "media=whatsapp": lambda r: r.channel is ComplaintChannel.WHATSAPP,
        "tinjauan=approved": lambda r: r.entry.state is EntryState.APPROVED,
        "status=selesai&desa=Menampu&media=sp4n": lambda r: (r.status is ComplaintStatus.SELESAI and r.desa == "Menampu"
                                                             and r.channel is ComplaintChannel.SP4N),
    }
    for query, keep in cases.items():
        html = sekcam.get(f"/register/pengaduan/2025?{query}").get_data(as_text=True)
        expected = sorted(r.id for r in rows if keep(r))
        assert expected, query  # the case selects something
        assert sorted(_ids(html)) == expected, query
        assert _totals(html).startswith(f"{len(expected)} pengaduan"), query
    assert sorted(_ids(sekcam.get("/register/pengaduan/2025?tinjauan=approved").get_data(as_text=True))) == \
        sorted(r.id for r in approved)


def test_the_search_reads_the_text_case_folded_and_takes_percent_literally(office, sekcam):
    rows = _complaints(office)
    html = sekcam.get("/register/pengaduan/2025?q=BALAP").get_data(as_text=True)
    assert sorted(_ids(html)) == sorted(r.id for r in rows if "balap" in r.summary)
    assert _totals(html).startswith("7 pengaduan")
    assert 'value="BALAP"' in html  # what was searched stays in the box
    # the desa is a text field of the row too
    assert sorted(_ids(sekcam.get("/register/pengaduan/2025?q=tembok").get_data(as_text=True))) == \
        sorted(r.id for r in rows if r.desa == "Tembokrejo")
    html = sekcam.get("/register/pengaduan/2025?q=%25").get_data(as_text=True)
    assert _ids(html) == [] and "Tidak ada data yang sesuai" in html


def test_sorting_by_a_column_both_ways_and_only_by_known_keys(office, sekcam):
    rows = _complaints(office, 5, 5, 5)
    html = sekcam.get("/register/pengaduan/2025?urut=-diterima").get_data(as_text=True)
    assert _ids(html) == [r.id for r in sorted(rows, key=lambda r: (r.received_on, r.id), reverse=True)]
    html = sekcam.get("/register/pengaduan/2025?urut=desa").get_data(as_text=True)
    assert _ids(html) == [r.id for r in sorted(rows, key=lambda r: (r.desa, r.id))]
    assert '<option value="desa" selected>' in html
    # an unknown key (a column name, SQL) is the register's own order
    default = _ids(sekcam.get("/register/pengaduan/2025").get_data(as_text=True))
    for bad in ("summary", "id;drop", "-", "--diterima"):
        response = sekcam.get(f"/register/pengaduan/2025?urut={bad}")
        assert response.status_code == 200 and _ids(response.get_data(as_text=True)) == default, bad


def test_the_address_keeps_the_filter_and_only_the_filters_fields(office, sekcam):
    _complaints(office, 60, 0, 0)
    html = sekcam.get("/register/pengaduan/2025?status=selesai&q=aduan&urut=-diterima"
                      "&endpoint=auth.login&_external=1&register=program&year=1999").get_data(as_text=True)
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert nxt.startswith("/register/pengaduan/2025?")
    assert sorted(nxt.split("?", 1)[1].split("&")) == ["hal=2", "q=aduan", "status=selesai", "urut=-diterima"]
    assert "http://localhost" not in html and "endpoint=" not in html
    # the form is a GET form showing the chosen values: a bookmark of the address is the same page
    assert re.search(r'<form method="get" action="/register/pengaduan/2025"', html)
    assert '<option value="selesai" selected>' in html
    assert _ids(sekcam.get(nxt).get_data(as_text=True)) == _ids(sekcam.get(nxt).get_data(as_text=True))
    assert len(_ids(sekcam.get(nxt).get_data(as_text=True))) == 10


@pytest.mark.parametrize("query", ["status=bogus", "bulan=13", "bulan=0", "bulan=1e309", "tinjauan=x", "media=%00",
                                   "desa=Atlantis", "desa=%00", "q=" + "x" * 5000, "q=%00", "q=a%00b", "q=%ED%A0%80",
                                   "urut=-", "jenis=pelatihan", "status=selesai&status=masuk"])
def test_a_bad_filter_value_is_ignored(office, sekcam, query):
    rows = _complaints(office, 2, 2, 2)
    response = sekcam.get(f"/register/pengaduan/2025?{query}")
    assert response.status_code == 200
    if query.startswith("status=selesai&"):  # a repeated key: the first value counts
        assert sorted(_ids(response.get_data(as_text=True))) == sorted(r.id for r in rows if r.status.value == "selesai")
    elif not query.startswith("q="):
        assert sorted(_ids(response.get_data(as_text=True))) == sorted(r.id for r in rows)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1e309", "9" * 20])
def test_a_bad_page_number_is_a_400(office, sekcam, value):
    assert sekcam.get(f"/register/pengaduan/2025?hal={value}").status_code == 400


def test_other_offices_rows_are_neither_listed_nor_counted(office, other_office, sekcam):
    _complaints(office, 1, 1, 1)
    reg_ops.create_row(other_office, get_user("trantib-puger"), "pengaduan", 2025, received_on=date(2025, 3, 1),
                       channel=ComplaintChannel.SURAT, desa="", summary="Aduan Puger", status=ComplaintStatus.MASUK,
                       resolved_on=None, resolution="")
    db.session.commit()
    html = sekcam.get("/register/pengaduan/2025?q=aduan").get_data(as_text=True)
    assert _totals(html).startswith("3 pengaduan") and "Aduan Puger" not in html


def test_activities_and_programs_filter_by_their_own_fields(office, sekcam):
    done = [mk.activity(office, tw=2, facilitated=True), mk.activity(office, tw=3, facilitated=True)]
    todo = mk.activity(office, tw=2, facilitated=False)
    other_kind = reg_ops.create_row(office, get_user("pmks"), "kegiatan", 2025, name="Sosialisasi stunting",
                                    kind=ActivityKind.SOSIALISASI, planned_triwulan=4, desa="Menampu",
                                    facilitated=False, facilitated_on=None)
    db.session.commit()
    page = lambda q: sekcam.get(f"/register/kegiatan/2025?{q}").get_data(as_text=True)  # noqa: E731
    assert sorted(_ids(page("difasilitasi=belum"))) == sorted([todo.id, other_kind.id])
    assert sorted(_ids(page("tw=2"))) == sorted([done[0].id, todo.id])
    assert _ids(page("jenis=sosialisasi")) == [other_kind.id]
    assert _ids(page("desa=Menampu")) == [other_kind.id]
    assert _ids(page("q=stunting")) == [other_kind.id]
    assert _totals(page("")) == "4 kegiatan, 2 sudah difasilitasi, 2 belum"
    # the complaint's filters are not the activity's: ?status= means nothing here
    assert len(_ids(page("status=selesai"))) == 4
    hit, miss = mk.program(office, "100", "100"), mk.program(office, "100", "50")
    db.session.commit()
    html = sekcam.get("/register/program/2025?tercapai=tidak").get_data(as_text=True)
    assert _ids(html) == [miss.id] and hit.id not in _ids(html)
    assert _totals(sekcam.get("/register/program/2025").get_data(as_text=True)) == \
        "2 indikator, 1 tercapai, 1 belum tercapai"


def test_the_filter_form_offers_each_registers_own_filters(office, sekcam):
    html = sekcam.get("/register/pengaduan/2025").get_data(as_text=True)
    names = set(re.findall(r'<select class="form-select form-select-sm" id="f-[a-z]+" name="([a-z]+)"', html))
    assert names == {"tinjauan", "status", "desa", "bulan", "media", "urut"}
    html = sekcam.get("/register/kegiatan/2025").get_data(as_text=True)
    names = set(re.findall(r'<select class="form-select form-select-sm" id="f-[a-z]+" name="([a-z]+)"', html))
    assert names == {"tinjauan", "difasilitasi", "desa", "tw", "jenis", "urut"}
    # the desa filter lists the office's desa
    assert all(f'<option value="{d}">{d}</option>' in html for d in DESA)


def test_submit_all_is_offered_when_a_draft_exists_beyond_the_page(office, client_as):
    rows = _complaints(office, 55, 0, 0)
    trantib = client_as("trantib")
    html = trantib.get("/register/pengaduan/2025").get_data(as_text=True)
    assert 'data-testid="submit-all"' in html
    # approve the 50 on the first page: a draft still exists on page 2
    mk.approve(*sorted(rows, key=lambda r: (r.received_on, r.id))[:50])
    html = trantib.get("/register/pengaduan/2025?status=masuk").get_data(as_text=True)  # nothing listed
    assert _ids(html) == [] and 'data-testid="submit-all"' in html
    assert db.session.scalar(sa.select(sa.func.count(Complaint.id))) == 55


def test_the_page_asks_the_same_number_of_queries_for_3_rows_and_63(office, sekcam):
    """Paging, totals and counts are SQL: more rows make no more queries (the page never loads them all)."""
    def queries(url: str) -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert sekcam.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    _complaints(office, 1, 1, 1)
    sekcam.get("/register/pengaduan/2025")  # warm-up
    few = queries("/register/pengaduan/2025"), queries("/register/pengaduan/2025?status=selesai&q=aduan")
    _complaints(office)
    sekcam.get("/register/pengaduan/2025")  # the same warm-up (the test's session reloads what the commit expired)
    many = queries("/register/pengaduan/2025"), queries("/register/pengaduan/2025?status=selesai&q=aduan")
    assert few == many
