"""Issue 12: every office adapts its own IKU list: add an indicator (every field, the next free number
proposed), remove one (with a confirmation naming it), the year's tujuan; refused in a locked year, by
other roles, and across offices."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from conftest import get_user
from factories import form_with, seeded_iku
from iku_workflow.capability import Capability
from iku_workflow.extensions import db
from iku_workflow.indicators import locks, operations as ops
from iku_workflow.models import AuditEvent, IndikatorTujuan, Indicator, Target, TargetChange, Tujuan, Unit

LOCK_2025 = Capability("test-lock-2025", year_locks=(lambda office_id, year: year == 2025,))


def _section(office, code):
    return next(s for s in office.sections if s.code == code)


def _numbers(office, year=2025):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Indicator.number).where(
        Indicator.office_id == office.id, Indicator.year == year).order_by(Indicator.number)))


def _new(office, **changes):
    """A complete, valid POST of the new-indicator form."""
    data = {"number": "7", "kinerja_utama": "Meningkatnya kualitas pelayanan administrasi",
            "name": "Persentase surat keluar yang tepat waktu",
            "formulation": "*Penjelasan Indikator :* surat yang selesai dalam 3 hari\r\n\r\n"
                           "Surat tepat waktu\r\n--- × 100%\r\nSurat keluar",
            "bidang_text": "Sekretariat Kecamatan", "sections": [_section(office, "sekretariat").id,
                                                                 _section(office, "pelayanan").id],
            "sumber_data": "Buku agenda surat", "unit": "%", "polarity": "lower", "lower_formula": "t_over_r",
            "year_rule": "average", "measure": "survey_index", "action": "save"}
    data.update(changes)
    return data


def _errors_of(html: str, name: str) -> str:
    """The field's block (its input and the messages right after it)."""
    start = html.index(f'name="{name}"')
    return html[start:start + 1500]


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


# ------------------------------------------------------------------ add

def test_the_catalogue_offers_add_and_the_form_proposes_the_next_free_number(client_as, office):
    c = client_as("sekcam")
    html = c.get("/iku/2025").get_data(as_text=True)
    assert 'href="/iku/2025/baru"' in html and "Tambah IKU" in html
    page = c.get("/iku/2025/baru")
    assert page.status_code == 200
    form = form_with(page.get_data(as_text=True), "number")
    assert form.value("number") == "7"
    # every installed measure is offered, with its label
    html = page.get_data(as_text=True)
    for label in ("Jumlah dokumen yang disetujui", "Indeks Kepuasan Masyarakat (SKM)"):
        assert label in html
    assert "Seksi penanggung jawab" in html and "Sumber data" in html


def test_sekcam_adds_an_indicator_with_every_field(client_as, office):
    c = client_as("sekcam")
    response = c.post("/iku/2025/baru", data=_new(office))
    assert response.status_code == 302 and response.headers["Location"].endswith("/iku/2025")
    db.session.expire_all()
    row = seeded_iku(office, 7)
    assert row.kinerja_utama == "Meningkatnya kualitas pelayanan administrasi"
    assert row.name == "Persentase surat keluar yang tepat waktu"
    assert row.formulation == [
        {"type": "para", "label": "Penjelasan Indikator :", "text": "surat yang selesai dalam 3 hari"},
        {"type": "fraction", "numerator": "Surat tepat waktu", "denominator": "Surat keluar", "factor": "× 100%"}]
    assert row.bidang_text == "Sekretariat Kecamatan" and row.sumber_data == "Buku agenda surat"
    assert (row.unit.value, row.polarity.value, row.lower_formula.value, row.year_rule.value, row.measure) == \
        ("%", "lower", "t_over_r", "average", "survey_index")
    assert sorted(s.code for s in row.sections) == ["pelayanan", "sekretariat"]
    event = _events("indicator.added")[0]
    assert event.object_id == row.id and event.details["number"] == 7 and event.user_id == get_user("sekcam").id
    html = c.get("/iku/2025").get_data(as_text=True)
    assert 'data-iku="7"' in html and "Persentase surat keluar yang tepat waktu" in html
    # the next free number moves on
    assert form_with(c.get("/iku/2025/baru").get_data(as_text=True), "number").value("number") == "8"


def test_admin_may_add_too_and_a_fixed_rule_kind_needs_no_rule(client_as, office):
    data = _new(office, measure="document_count", number="7")
    del data["year_rule"]  # a kind that fixes its rule shows it as text: nothing is posted
    assert client_as("admin").post("/iku/2025/baru", data=data).status_code == 302
    db.session.expire_all()
    assert seeded_iku(office, 7).year_rule.value == "cumulative"


def test_the_new_page_offers_every_rule_with_the_measures_own_as_default(client_as, office):
    c = client_as("sekcam")
    html = c.get("/iku/2025/baru").get_data(as_text=True)
    assert form_with(html, "year_rule").value("year_rule") == ""
    block = _errors_of(html, "year_rule")
    for value in ('value=""', 'value="last"', 'value="cumulative"', 'value="average"'):
        assert value in block
    assert "Jumlah dokumen yang disetujui: Kumulatif" in block  # the help names the fixed rules
    assert c.post("/iku/2025/baru", data=_new(office, year_rule="")).status_code == 302
    db.session.expire_all()
    assert seeded_iku(office, 7).year_rule.value == "last"  # the index's first allowed rule
    response = c.post("/iku/2025/baru", data=_new(office, number="8", measure="document_count", year_rule="last"))
    assert response.status_code == 400
    assert "menetapkan aturannya sendiri" in _errors_of(response.get_data(as_text=True), "year_rule")
    assert _numbers(office) == [1, 2, 3, 4, 5, 6, 7]


def test_a_refused_measure_and_rule_is_shown_next_to_the_rule_and_the_input_is_kept(client_as, office):
    response = client_as("sekcam").post("/iku/2025/baru", data=_new(office, year_rule="cumulative"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = _errors_of(html, "year_rule")
    assert "invalid-feedback" in block and "tidak dapat dijumlahkan" in block
    assert "Persentase surat keluar yang tepat waktu</textarea>" in html  # what was typed stays
    assert "Buku agenda surat</textarea>" in html
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]
    assert _events("indicator.added") == []


def test_an_empty_name_is_shown_next_to_the_name(client_as, office):
    response = client_as("sekcam").post("/iku/2025/baru", data=_new(office, name="  "))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "invalid-feedback" in _errors_of(html, "name")
    assert "Meningkatnya kualitas pelayanan administrasi</textarea>" in html
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("number, message", [("3", "Nomor 3 sudah dipakai"), ("100", "antara 1 dan 99"),
                                             ("0", "antara 1 dan 99"), ("tiga", "")])
def test_a_taken_or_impossible_number_is_shown_next_to_the_number(client_as, office, number, message):
    response = client_as("sekcam").post("/iku/2025/baru", data=_new(office, number=number))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = _errors_of(html, "number")
    assert f'value="{number}"' in block and "invalid-feedback" in block and message in block
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]
    assert seeded_iku(office, 3).measure == "ratio:activities"


def test_the_operation_is_callable_without_a_request(app, office):
    row = ops.add_indicator(office, 2031, None, kinerja_utama="KU", name="Indikator", measure="document_count",
                            unit=Unit.DOKUMEN)
    second = ops.add_indicator(office, 2031, None, kinerja_utama="KU", name="Indikator 2", measure="survey_index",
                               year_rule="average")
    db.session.commit()
    assert (row.number, row.year_rule.value, second.number, second.year_rule.value) == (1, "cumulative", 2, "average")
    with pytest.raises(ops.FieldError) as refused:
        ops.add_indicator(office, 2031, None, kinerja_utama="KU", name="X", measure="survey_index",
                          year_rule="cumulative")
    assert refused.value.field == "year_rule"
    with pytest.raises(ops.FieldError) as refused:
        ops.add_indicator(office, 2031, None, number=2, kinerja_utama="KU", name="X", measure="survey_index")
    assert refused.value.field == "number"
    with pytest.raises(ops.FieldError) as refused:
        ops.add_indicator(office, 2031, None, kinerja_utama="KU", name="X", measure="tidak_ada")
    assert refused.value.field == "measure"


# ------------------------------------------------------------------ remove

def test_remove_asks_first_naming_the_indicator_then_removes_it_with_its_targets(client_as, office):
    c = client_as("sekcam")
    c.post("/iku/2025/target", data={"t-3-y": "100", "t-3-1": "90"})
    removed_id = seeded_iku(office, 3).id
    assert db.session.scalar(sa.select(sa.func.count(TargetChange.id)).where(
        TargetChange.indicator_id == removed_id)) >= 1
    catalogue = c.get("/iku/2025").get_data(as_text=True)
    assert 'href="/iku/2025/3/hapus"' in catalogue
    page = c.get("/iku/2025/3/hapus")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert seeded_iku(office, 3).name in html and 'data-testid="confirm-remove"' in html
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]  # asking removed nothing
    name4 = seeded_iku(office, 4).name
    response = c.post("/iku/2025/3/hapus", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/iku/2025")
    assert _numbers(office) == [1, 2, 3, 4, 5]  # the later ones move up: numbers stay contiguous
    assert seeded_iku(office, 3).name == name4
    assert db.session.get(Indicator, removed_id) is None
    assert db.session.scalar(sa.select(sa.func.count(Target.id)).where(Target.indicator_id == removed_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(TargetChange.id)).where(
        TargetChange.indicator_id == removed_id)) == 0
    event = _events("indicator.removed")[0]
    assert event.details["number"] == 3 and event.details["row"]["measure"] == "ratio:activities"
    assert event.details["targets"]["y"].startswith("100")
    assert _events("indicators.renumbered")[0].details["moved"] == [4, 5, 6]
    # the other seeded year is untouched
    other_year = date.today().year if date.today().year != 2025 else 2026
    assert _numbers(office, other_year) == ([1, 2, 3, 4, 5, 6] if other_year == date.today().year else [])


@pytest.mark.parametrize("extra_capabilities", [(LOCK_2025,)], ids=["lock-2025"])
def test_a_locked_year_refuses_add_remove_and_tujuan(client_as, office):
    c = client_as("sekcam")
    html = c.get("/iku/2025").get_data(as_text=True)
    assert "/iku/2025/baru" not in html and "/hapus" not in html
    for url in ("/iku/2025/baru", "/iku/2025/2/hapus", "/iku/2025/tujuan"):
        response = c.get(url, follow_redirects=True)
        assert "keputusan final" in response.get_data(as_text=True), url
    response = c.post("/iku/2025/2/hapus", data={}, follow_redirects=True)
    assert "keputusan final" in response.get_data(as_text=True)
    response = c.post("/iku/2025/baru", data=_new(office), follow_redirects=True)
    assert "keputusan final" in response.get_data(as_text=True)
    c.post("/iku/2025/tujuan", data={"tujuan": "Baru", "indikator_tujuan": "Baru"})
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]
    assert db.session.scalar(sa.select(Tujuan.text).where(Tujuan.office_id == office.id, Tujuan.year == 2025,
                                                          Tujuan.position == 1)) != "Baru"
    with pytest.raises(locks.YearLocked):
        ops.remove_indicator(seeded_iku(office, 2), get_user("sekcam"))
    with pytest.raises(locks.YearLocked):
        ops.add_indicator(office, 2025, None, kinerja_utama="KU", name="X", measure="document_count")
    assert _events("indicator.removed") == [] and _events("indicator.added") == []


# ------------------------------------------------------------------ tujuan

def test_the_years_tujuan_and_indikator_tujuan_are_entered_and_shown(client_as, office):
    c = client_as("admin")
    html = c.get("/iku/2030").get_data(as_text=True)
    assert 'data-testid="no-tujuan"' in html and 'href="/iku/2030/tujuan"' in html
    response = c.post("/iku/2030/tujuan", data={"tujuan": "Meningkatkan pelayanan\r\n\r\nMeningkatkan tata kelola  ",
                                                "indikator_tujuan": "Indeks SKM"})
    assert response.status_code == 302
    assert ops.tujuan_of(office.id, 2030) == (["Meningkatkan pelayanan", "Meningkatkan tata kelola"], ["Indeks SKM"])
    html = c.get("/iku/2030").get_data(as_text=True)
    assert "<li>Meningkatkan pelayanan</li><li>Meningkatkan tata kelola</li>" in html and "Indeks SKM" in html
    assert 'data-testid="no-tujuan"' not in html
    form = form_with(c.get("/iku/2030/tujuan").get_data(as_text=True), "tujuan")
    assert form.value("tujuan") == "Meningkatkan pelayanan\nMeningkatkan tata kelola"
    assert _events("tujuan.updated")[0].details["tujuan"] == ["Meningkatkan pelayanan", "Meningkatkan tata kelola"]
    # the other year's tujuan are not touched
    assert db.session.scalar(sa.select(sa.func.count(IndikatorTujuan.id)).where(
        IndikatorTujuan.year == 2025, IndikatorTujuan.office_id == office.id)) == 1


# ------------------------------------------------------------------ roles and offices

@pytest.mark.parametrize("username", ["pemerintahan", "camat", "viewer"])
def test_other_roles_are_refused(client_as, office, viewer, username):
    c = client_as(username)
    assert "/iku/2025/baru" not in c.get("/iku/2025").get_data(as_text=True)
    for method, url, data in [("GET", "/iku/2025/baru", None), ("POST", "/iku/2025/baru", _new(office)),
                              ("GET", "/iku/2025/2/hapus", None), ("POST", "/iku/2025/2/hapus", {}),
                              ("GET", "/iku/2025/tujuan", None), ("POST", "/iku/2025/tujuan", {"tujuan": "X"})]:
        assert c.open(url, method=method, data=data).status_code == 403, (username, method, url)
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]
    assert _events("indicator.added") == [] and _events("indicator.removed") == []


def test_an_office_never_sees_or_changes_another_offices_indicators(client_as, office, other_office):
    ops.add_indicator(other_office, 2025, None, kinerja_utama="KU Puger", name="IKU Puger satu",
                      measure="document_count")
    db.session.commit()
    puger = client_as("sekcam-puger")
    html = puger.get("/iku/2025").get_data(as_text=True)
    assert "IKU Puger satu" in html and seeded_iku(office, 1).name not in html
    assert puger.get("/iku/2025/2/hapus").status_code == 404  # Gumukmas has a 2; Puger has not
    assert puger.post("/iku/2025/2/hapus", data={}).status_code == 404
    # Gumukmas' sections are not Puger's to choose
    response = puger.post("/iku/2025/baru", data=_new(office, number="2", measure="document_count"))
    assert response.status_code == 400 and "invalid-feedback" in _errors_of(response.get_data(as_text=True),
                                                                             "sections")
    assert form_with(puger.get("/iku/2025/baru").get_data(as_text=True), "number").value("number") == "2"
    puger_sections = [s.id for s in other_office.sections if s.code == "trantib"]
    response = puger.post("/iku/2025/baru", data=_new(other_office, number="2", sections=puger_sections))
    assert response.status_code == 302
    # removing Puger's IKU 1 leaves Gumukmas' IKU 1 alone
    assert puger.post("/iku/2025/1/hapus", data={}).status_code == 302
    assert _numbers(other_office) == [1] and _numbers(office) == [1, 2, 3, 4, 5, 6]
    assert seeded_iku(other_office, 1).name == "Persentase surat keluar yang tepat waktu"
    assert seeded_iku(office, 1).measure == "document_count"
    events = _events("indicator.removed")
    assert [e.office_id for e in events] == [other_office.id]
    # and Gumukmas' sekcam does not see Puger's
    assert "Persentase surat keluar" not in client_as("sekcam").get("/iku/2025").get_data(as_text=True)


def test_anonymous_is_sent_to_login(app, office, client):
    assert client.get("/iku/2025/baru").status_code == 302
    assert client.post("/iku/2025/1/hapus").status_code == 302


def test_without_its_csrf_token_nothing_is_added_or_removed(csrf_app):
    from test_csrf import signed_in, token_from

    c = signed_in(csrf_app, "sekcam")
    office = get_user("sekcam").office
    assert c.post("/iku/2025/3/hapus", data={}).status_code == 400
    assert c.post("/iku/2025/baru", data=_new(office)).status_code == 400
    assert c.post("/iku/2025/tujuan", data={"tujuan": "X"}).status_code == 400
    assert _numbers(office) == [1, 2, 3, 4, 5, 6]
    token = token_from(c, "/iku/2025/3/hapus")  # the confirmation page carries it
    assert c.post("/iku/2025/3/hapus", data={"csrf_token": token}).status_code == 302
    assert _numbers(office) == [1, 2, 3, 4, 5]
