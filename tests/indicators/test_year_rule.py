"""One year rule governs realisation and targets alike (RULES.md §3): the indicator's own rule where it
means something (IKU 2: last value or average of the periods' IKM), the rule its measure kind fixes
elsewhere (a document count is cumulative, ratios are pooled counts, the SAKIP score is one LHE), and
"s.d. TW IV" is always the year — realisation, target and capaian."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories as mk
from conftest import get_user
from factories import add_rows, give_evidence, required, seeded_iku
from iku_workflow import measures
from iku_workflow.domain.capaian import LowerFormula, Polarity, YearRule
from iku_workflow.documents.numbers import from_running_counts
from iku_workflow.extensions import db
from iku_workflow.indicators import operations as ind_ops
from iku_workflow.indicators.summary import summarise, year_summary
from iku_workflow.models import Indicator, Target
from iku_workflow.survey import measure as survey_measure
from iku_workflow.survey.operations import close_period, open_period
from iku_workflow.workflow import operations as wf

YEAR = 2025
KINDS = ["document_count", "survey_index", "ratio:activities", "ratio:complaints", "score:sakip", "ratio:programs"]


def _iku(office, number: int) -> Indicator:
    db.session.expire_all()  # read what the last request stored
    return seeded_iku(office, number, YEAR)


def _edit_form(indicator: Indicator, **extra) -> dict:
    """The indicator edit form as the browser posts it, every field as stored unless given."""
    from iku_workflow.domain.formulation_text import blocks_to_text

    data = {"kinerja_utama": indicator.kinerja_utama, "name": indicator.name,
            "formulation": blocks_to_text(indicator.formulation or []), "bidang_text": indicator.bidang_text,
            "sections": [s.id for s in indicator.sections], "sumber_data": indicator.sumber_data,
            "unit": indicator.unit.value, "polarity": indicator.polarity.value,
            "lower_formula": indicator.lower_formula.value, "year_rule": indicator.year_rule.value,
            "measure": indicator.measure, "action": "save", **extra}
    return {k: v for k, v in data.items() if v is not None}


def _card(html: str, number: int) -> str:
    return html.split(f'<section class="card h-100" data-iku="{number}"')[1].split("</section>")[0]


def _row(card: str, index: int) -> list[str]:
    """The cells of the s.d. TW table's row ``index`` (0 realisation, 1 target, 2 capaian), as text."""
    row = card.split("<tbody>")[1].split("</tr>")[index]
    return [cell.split("</td>")[0].split("<br>")[0].split(">")[-1] for cell in row.split("<td")[1:]]


def _approved_period(office, label: str, answer: int, n: int = 5, population=None):
    """An SKM period of YEAR whose every answer is ``answer``, closed by Pelayanan, approved by the sekcam."""
    period = open_period(office.id, YEAR, label, user=get_user("sekcam"), population=population,
                         section=next(s for s in office.sections if s.code == "pelayanan"))
    add_rows(period, [(answer,) * 9] * n)
    close_period(period, get_user("pelayanan"))
    wf.approve(period.entry, get_user("sekcam"))
    db.session.commit()
    return period


# ---------------------------------------------------------------- IKU 2: the rule is the indicator's


@pytest.mark.demo_without("survey")
def test_iku2_average_rule_combines_s1_and_s2(office, client_as, runner):
    """The issue: "Rata-rata" with S1 = 75,00 and S2 = 100,00 reported 100,00; it is 87,50."""
    _approved_period(office, "S1", 3)  # every answer 3 -> 75.00
    _approved_period(office, "S2", 4)  # every answer 4 -> 100.00
    sekcam = client_as("sekcam")
    before = _card(sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True), 2)
    assert 'data-testid="realisation">100,00<' in before  # nilai terakhir (the seed's rule): S2

    response = sekcam.post(f"/iku/{YEAR}/2/ubah", data=_edit_form(_iku(office, 2), year_rule="average"))
    assert response.status_code == 302
    assert _iku(office, 2).year_rule is YearRule.AVERAGE

    card = _card(sekcam.get(f"/dasbor/{YEAR}").get_data(as_text=True), 2)
    assert 'data-testid="realisation">87,50<' in card
    assert _row(card, 0) == ["—", "75,00", "75,00", "87,50"]  # s.d. TW II: S1 alone; s.d. TW IV: the mean
    assert 'data-testid="capaian">106,71 %' in card  # 87.50 / 82 × 100
    result = runner.invoke(args=["iku", "report", "--office", "gumukmas", "--year", str(YEAR), "--json"])
    iku2 = json.loads(result.output)[1]
    assert iku2["realisation"]["year"] == 87.5 == iku2["realisation"]["sd_tw4"] and iku2["capaian"] == 106.71


def test_iku2_offers_only_the_rules_of_an_index(office, client_as):
    sekcam = client_as("sekcam")
    page = sekcam.get(f"/iku/{YEAR}/2/ubah").get_data(as_text=True)
    select = page.split('name="year_rule"')[1].split("</select>")[0]
    assert 'value="last"' in select and 'value="average"' in select and 'value="cumulative"' not in select
    assert "tidak dapat dijumlahkan" in page
    response = sekcam.post(f"/iku/{YEAR}/2/ubah", data=_edit_form(_iku(office, 2), year_rule="cumulative",
                                                                    name="Nama yang diketik"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "tidak dapat dijumlahkan" in html and "Nama yang diketik" in html
    assert _iku(office, 2).year_rule is YearRule.LAST and _iku(office, 2).name != "Nama yang diketik"


# ---------------------------------------------------------------- kinds that fix their rule


@pytest.mark.parametrize("number, label, reason", [
    (1, "Kumulatif", "Jumlah dokumen"),
    (3, "Rasio dari jumlah gabungan", "dihitung ulang dari jumlah pembilang dan penyebut"),
    (4, "Rasio dari jumlah gabungan", "dihitung ulang dari jumlah pembilang dan penyebut"),
    (5, "Nilai LHE tahun itu", "Satu evaluasi SAKIP"),
    (6, "Rasio dari jumlah gabungan", "dihitung ulang dari jumlah pembilang dan penyebut"),
])
def test_a_fixed_rule_is_shown_with_its_reason_and_cannot_be_changed(office, client_as, number, label, reason):
    sekcam = client_as("sekcam")
    page = sekcam.get(f"/iku/{YEAR}/{number}/ubah").get_data(as_text=True)
    fixed = page.split('data-testid="year-rule-fixed"')[1].split('data-testid="year-rule-reason"')[1][:600]
    assert label in page.split('data-testid="year-rule-fixed"')[1][:400]
    assert reason in fixed
    assert 'name="year_rule"' not in page  # nothing to choose
    indicator = _iku(office, number)
    stored = indicator.year_rule
    for rule in {"last", "cumulative", "average"} - {measures.policy(indicator.measure).rules[0].value}:
        response = sekcam.post(f"/iku/{YEAR}/{number}/ubah", data=_edit_form(indicator, year_rule=rule,
                                                                           name="Nama yang diketik"))
        html = response.get_data(as_text=True)
        assert response.status_code == 200, rule
        assert 'data-testid="year-rule-error"' in html and "menetapkan aturannya sendiri" in html
        assert "Nama yang diketik" in html  # nothing typed is lost
        assert _iku(office, number).year_rule is stored and _iku(office, number).name != "Nama yang diketik"
    # the page posts no rule for a fixed kind: saving works and stores the kind's rule
    response = sekcam.post(f"/iku/{YEAR}/{number}/ubah", data=_edit_form(indicator, year_rule=None, name="Baru"))
    assert response.status_code == 302
    assert _iku(office, number).name == "Baru"
    assert _iku(office, number).year_rule is measures.policy(indicator.measure).rules[0]


def test_the_seed_stores_the_document_count_as_cumulative(office):
    assert _iku(office, 1).year_rule is YearRule.CUMULATIVE


# ---------------------------------------------------------------- targets and the rule


def test_ratio_sd_tw4_target_is_the_year_even_with_a_stored_cumulative_rule(office, client_as):
    """The issue: TW targets 50/60/70/80, "kumulatif": s.d. TW IV target 260, capaian 28,85 against 93,75.

    A ratio fixes its rule (pooled counts, targets read as "s.d." targets): the stored "kumulatif" of an
    older version is not applied, and s.d. TW IV is the year's target and capaian."""
    iku4 = _iku(office, 4)
    iku4.year_rule = YearRule.CUMULATIVE  # what the old form let an office store
    sekcam = get_user("sekcam")
    ind_ops.set_target(iku4, sekcam, Decimal(80))
    for tw, value in zip((1, 2, 3, 4), (50, 60, 70, 80)):
        ind_ops.set_target(iku4, sekcam, Decimal(value), tw)
    db.session.commit()
    rows = [mk.complaint(office, date(YEAR, 1, 10)), mk.complaint(office, date(YEAR, 2, 10)),
            mk.complaint(office, date(YEAR, 5, 10), resolved=date(YEAR, 5, 12)),
            mk.complaint(office, date(YEAR, 8, 10), status="diproses")]
    mk.approve(*rows)  # 3 of 4 resolved: 75 %
    item = year_summary(office.id, YEAR)[3]
    assert item.year_rule is YearRule.LAST
    assert item.target_upto == {1: 50, 2: 60, 3: 70, 4: 80} and item.target == 80
    assert item.capaian == Decimal("93.75") == item.capaian_upto[4]
    card = _card(client_as("camat").get(f"/dasbor/{YEAR}").get_data(as_text=True), 4)
    assert _row(card, 1) == ["50", "60", "70", "80"]
    assert _row(card, 2)[3] == "93,75" and 'data-testid="capaian">93,75 %' in card


def _targets_form(office, **values) -> dict:
    """The targets page as posted: every indicator's stored targets, with ``values`` ("t-1-2": "5") over them."""
    data = {}
    for ind in db.session.scalars(sa.select(Indicator).where(Indicator.office_id == office.id,
                                                              Indicator.year == YEAR)):
        for t in ind.targets:
            data[f"t-{ind.number}-{t.triwulan or 'y'}"] = format(Decimal(t.value).normalize(), "f")
    return {**data, **values}


def test_cumulative_targets_typed_as_sd_figures_are_refused_with_what_to_type(office, client_as):
    """IKU 1 is cumulative: 2/5/8/11 typed as "s.d." figures for a year of 11 add up to 26."""
    sekcam = client_as("sekcam")
    page = sekcam.get(f"/iku/{YEAR}/target").get_data(as_text=True)
    assert "Aturan: Kumulatif" in page.split('data-iku="1"')[1].split("</tr>")[0]
    assert 'data-testid="target-rules"' in page
    response = sekcam.post(f"/iku/{YEAR}/target", data=_targets_form(office, **{
        "t-1-y": "11", "t-1-1": "2", "t-1-2": "5", "t-1-3": "8", "t-1-4": "11"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    row = html.split('data-iku="1"')[1].split("</tr>")[0]
    assert 'data-testid="target-rule-error"' in row
    assert "jumlahnya (26) melebihi target tahunan (11)" in row and "isi selisihnya: 2, 3, 3, 3" in row
    assert 'value="8"' in row  # what was typed stays
    assert [t.triwulan for t in _iku(office, 1).targets] == [None]  # nothing saved

    response = sekcam.post(f"/iku/{YEAR}/target", data=_targets_form(office, **{
        "t-1-y": "11", "t-1-1": "2", "t-1-2": "3", "t-1-3": "3", "t-1-4": "3"}))
    assert response.status_code == 302
    item = year_summary(office.id, YEAR)[0]
    assert item.target_upto == {1: 2, 2: 5, 3: 8, 4: 11} and item.target == 11


@pytest.mark.parametrize("number, values, message", [
    (4, {"t-4-y": "80", "t-4-4": "90"}, "target TW IV (90) adalah target tahunan dan harus sama dengan target tahunan (80)"),
    (2, {"t-2-y": "82", "t-2-2": "80", "t-2-4": "86"}, "rata-rata target triwulan (83) harus sama dengan target tahunan (82)"),
    (1, {"t-1-y": "11", "t-1-1": "2", "t-1-2": "3", "t-1-3": "3", "t-1-4": "2"}, "jumlah target TW I–IV (10) harus sama"),
])
def test_triwulan_targets_must_fit_the_year_under_the_rule(office, client_as, number, values, message):
    if number == 2:
        iku2 = _iku(office, 2)
        iku2.year_rule = YearRule.AVERAGE
        db.session.commit()
    response = client_as("sekcam").post(f"/iku/{YEAR}/target", data=_targets_form(office, **values))
    row = response.get_data(as_text=True).split(f'data-iku="{number}"')[1].split("</tr>")[0]
    assert response.status_code == 200 and message in row
    assert [t.triwulan for t in _iku(office, number).targets] == [None]


def test_targets_that_fit_are_saved(office, client_as):
    iku2 = _iku(office, 2)
    iku2.year_rule = YearRule.AVERAGE
    db.session.commit()
    response = client_as("sekcam").post(f"/iku/{YEAR}/target", data=_targets_form(office, **{
        "t-4-y": "80", "t-4-1": "50", "t-4-2": "60", "t-4-3": "70", "t-4-4": "80",  # s.d. targets of a ratio
        "t-2-y": "82", "t-2-2": "78", "t-2-4": "86"}))  # average of the semesters' targets
    assert response.status_code == 302
    items = year_summary(office.id, YEAR)
    assert items[3].target_upto == {1: 50, 2: 60, 3: 70, 4: 80}
    assert items[1].target_upto == {1: 82, 2: 78, 3: 78, 4: 82}


def test_stored_targets_that_contradict_the_rule_are_not_used_and_the_page_says_so(office, client_as):
    iku1 = _iku(office, 1)
    for tw, value in zip((1, 2, 3, 4), (2, 5, 8, 11)):  # "s.d." figures under a cumulative rule
        ind_ops.set_target(iku1, get_user("sekcam"), Decimal(value), tw)
    db.session.commit()
    item = year_summary(office.id, YEAR)[0]
    assert item.target_problem is not None and item.target_problem.combined == 26
    assert item.target_upto == {1: 11, 2: 11, 3: 11, 4: 11}  # the year's target until corrected
    page = client_as("sekcam").get(f"/iku/{YEAR}/target").get_data(as_text=True)
    row = page.split('data-iku="1"')[1].split("</tr>")[0]
    assert 'data-testid="target-rule-warning"' in row and "isi selisihnya: 2, 3, 3, 3" in row


# ---------------------------------------------------------------- IKU 1 is cumulative


def test_document_count_each_triwulan_its_own_approvals(office):
    give_evidence(office)
    for code, when in (("sop", datetime(YEAR, 2, 1, 3, tzinfo=timezone.utc)),
                       ("lakip", datetime(YEAR, 2, 20, 3, tzinfo=timezone.utc)),
                       ("anjab", datetime(YEAR, 8, 2, 3, tzinfo=timezone.utc))):
        entry = required(office, code, YEAR).entry
        operator = get_user(entry.section.code)
        wf.submit(entry, operator)
        wf.approve(entry, get_user("sekcam"))
        entry.decided_at = when
    db.session.commit()
    iku1 = _iku(office, 1)
    for tw, value in zip((1, 2, 3, 4), (2, 3, 3, 3)):
        ind_ops.set_target(iku1, get_user("sekcam"), Decimal(value), tw)
    db.session.commit()
    item = year_summary(office.id, YEAR)[0]
    assert item.measured.tw == {1: 2, 2: 0, 3: 1, 4: 0} and item.measured.upto == {1: 2, 2: 2, 3: 3, 4: 3}
    assert item.target_upto == {1: 2, 2: 5, 3: 8, 4: 11}
    assert item.capaian_upto == {1: Decimal("100.00"), 2: Decimal("40.00"), 3: Decimal("37.50"), 4: Decimal("27.27")}
    assert item.capaian == Decimal("27.27")


# ---------------------------------------------------------------- the property: s.d. TW IV is the year

RULES = list(YearRule)
EXAMPLES = 60
_value = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
_maybe = st.one_of(st.none(), _value)
_targets = st.fixed_dictionaries({"year": _maybe, 1: _maybe, 2: _maybe, 3: _maybe, 4: _maybe})


def _running(draw_counts):
    """Running document counts by triwulan: non-decreasing, the triwulan not started yet None."""
    counts, started = draw_counts
    out, total = {}, 0
    for tw, new in zip((1, 2, 3, 4), counts):
        total += new
        out[tw] = total if tw <= started else None
    return out


# each kind's raw data, as its provider reads it, and the pure builder the provider itself uses
RAW = {
    "document_count": st.tuples(st.lists(st.integers(0, 5), min_size=4, max_size=4), st.integers(0, 4)).map(_running),
    "survey_index": st.dictionaries(st.sampled_from((1, 2, 3, 4)),
                                    st.decimals(min_value=25, max_value=100, places=2), max_size=4),
    "ratio": st.dictionaries(st.sampled_from((1, 2, 3, 4)),
                             st.integers(0, 50).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))), max_size=4),
    "score:sakip": st.dictionaries(st.sampled_from((1, 2, 3, 4)), st.decimals(min_value=0, max_value=100, places=2),
                                   max_size=1),
}


def _measured(kind: str, raw, rule: YearRule) -> measures.Measured:
    if kind == "document_count":
        return from_running_counts(raw)
    if kind == "survey_index":
        return survey_measure.combine(raw, rule)
    if kind.startswith("ratio:"):
        return measures.from_counts(raw) if raw else measures.empty()
    return measures.from_values(raw, measures.ONE_SCORE.effective(rule))


def _indicator(kind: str, rule: YearRule, targets: dict, polarity: Polarity, formula: LowerFormula):
    rows = [Target(triwulan=None if key == "year" else key, value=value)
            for key, value in targets.items() if value is not None]
    return SimpleNamespace(id=1, number=1, name="IKU", kinerja_utama="KU", unit="%", polarity=polarity,
                           lower_formula=formula, year_rule=rule, measure=kind, sections=[], targets=rows)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.value)
@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), targets=_targets, polarity=st.sampled_from(list(Polarity)),
       formula=st.sampled_from(list(LowerFormula)))
def test_sd_tw4_equals_the_year_for_every_kind_and_rule(app, kind, rule, data, targets, polarity, formula):
    """For every measure kind and every rule an indicator may have stored (the kind's effective rule
    applies), with any targets (consistent or not, some missing): s.d. TW IV is the year's realisation,
    target and capaian."""
    policy = measures.policy(kind)
    effective = policy.effective(rule)
    raw = data.draw(RAW["ratio" if kind.startswith("ratio:") else kind])
    item = summarise(_indicator(kind, rule, targets, polarity, formula), _measured(kind, raw, effective))
    assert item.year_rule is effective and item.year_rule in policy.rules
    assert item.measured.upto[4] == item.measured.year
    assert item.target_upto[4] == item.target
    assert item.capaian_upto[4] == item.capaian and item.band_upto[4] == item.band


def test_the_kinds_fix_or_offer_their_rules(app):
    assert measures.policy("document_count").rules == (YearRule.CUMULATIVE,)
    assert measures.policy("survey_index").rules == (YearRule.LAST, YearRule.AVERAGE)
    for kind in ("ratio:activities", "ratio:complaints", "ratio:programs", "score:sakip"):
        assert measures.policy(kind).fixed and measures.policy(kind).rules == (YearRule.LAST,), kind
    assert set(measures.declared()) == set(KINDS)


@pytest.mark.demo_without("survey")
def test_sd_tw4_equals_the_year_through_the_real_providers(office):
    """The same property through the database: data in several triwulan for every kind, every stored rule."""
    give_evidence(office)
    _approved_period(office, "TW1", 3)
    _approved_period(office, "S2", 4)
    for code, when in (("sop", datetime(YEAR, 2, 1, 3, tzinfo=timezone.utc)),
                       ("anjab", datetime(YEAR, 8, 2, 3, tzinfo=timezone.utc))):
        entry = required(office, code, YEAR).entry
        wf.submit(entry, get_user(entry.section.code))
        wf.approve(entry, get_user("sekcam"))
        entry.decided_at = when
    mk.approve(mk.activity(office, 1), mk.activity(office, 2, facilitated=False), mk.activity(office, 3))
    mk.approve(mk.complaint(office, date(YEAR, 1, 10)), mk.complaint(office, date(YEAR, 7, 10), status="diproses"))
    mk.approve(mk.program(office), mk.program(office, realisation="50"), mk.sakip(office))
    sekcam = get_user("sekcam")
    for number, tw_targets in ((1, (2, 3, 3, 3)), (2, (None, 80, None, 84)), (4, (90, 95, 98, 100))):
        for tw, value in zip((1, 2, 3, 4), tw_targets):
            if value is not None:
                ind_ops.set_target(_iku(office, number), sekcam, Decimal(value), tw)
    db.session.commit()
    for rule in RULES:
        for indicator in db.session.scalars(sa.select(Indicator).where(Indicator.year == YEAR)):
            indicator.year_rule = rule
        db.session.commit()
        for item in year_summary(office.id, YEAR):
            assert item.measured.has_data, (rule, item.number)
            assert item.measured.upto[4] == item.measured.year, (rule, item.number)
            assert item.target_upto[4] == item.target and item.capaian_upto[4] == item.capaian, (rule, item.number)
        iku2 = year_summary(office.id, YEAR)[1]
        assert iku2.realisation == (Decimal("87.5") if rule is YearRule.AVERAGE else Decimal("100.00")), rule
