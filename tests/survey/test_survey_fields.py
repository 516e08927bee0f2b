"""One SKM response, one set of rules (domain/skm_response.py), and every path refusing alike.

The bad values come from the declarations themselves (a bound ± 1, a code not in the list, a service the
period does not offer, a day outside it): the staff form, the public form, the operation, the import and
the database CHECK constraint each refuse them, the four that speak with the same words, and nothing is
stored. A source scan shows that no bound or code list is written anywhere else.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from conftest import get_user
from iku_workflow.domain.dates import period_range
from iku_workflow.domain.skm_response import (ANSWERS, JENIS_LAYANAN, PROFILE_CODES, SCORE_HIGH, SCORE_LOW,
                                              TANGGAL, USIA, Problem)
from iku_workflow.extensions import db
from iku_workflow.models import ResponseSource, SurveyResponse
from iku_workflow.models._types import utcnow
from iku_workflow.survey import importer
from iku_workflow.survey.operations import Answers, ResponseRefused, add_response

pytestmark = pytest.mark.skm_period(population=None)

TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CURRENT = "S1" if TODAY.month <= 6 else "S2"
ROOT = Path(__file__).resolve().parents[2]
LABELS = {"jenis_kelamin": "Jenis kelamin", "pendidikan": "Pendidikan terakhir", "pekerjaan": "Pekerjaan"}
GOOD = {"jenis_kelamin": "P", "usia": 35, "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA",
        **{a.name: 4 for a in ANSWERS}}


def _words(spec) -> str:
    """What a refused value of the field reads as, from its declaration."""
    if spec in ANSWERS:
        return f"Jawaban harus {spec.low} sampai {spec.high}."
    if spec is USIA:
        return f"Usia harus {spec.low} sampai {spec.high} tahun."
    return f"Isian tidak dikenal. Pilihan: {', '.join(spec.codes)}."


def _refusals():
    """(field name, a value its declaration refuses, the words) for every field a CHECK constraint guards."""
    cases = []
    for spec in (*ANSWERS, USIA):
        cases += [(spec.name, spec.low - 1, _words(spec)), (spec.name, spec.high + 1, _words(spec))]
    for spec in PROFILE_CODES.values():
        cases.append((spec.name, "X" * len(spec.codes[-1]), _words(spec)))  # fits the column, is no code
    return cases


REFUSALS = _refusals()






def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def _form(period, **over) -> dict:
    data = {"tanggal": TODAY.isoformat(), "jenis_layanan": str(period.services[0].id),
            **{k: str(v) for k, v in GOOD.items()}}
    return {**data, **{k: str(v) for k, v in over.items()}}


def _token(client, code) -> str:
    page = client.get(f"/s/{code}").get_data(as_text=True)
    marker = 'name="t" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def _next_to_field(html: str, name: str, words: str, *, staff: bool = True) -> bool:
    """The words in the field's own feedback line (the staff form's answer boxes share one line of
    feedback under the row, each line prefixed with its U-number)."""
    prefix = f"{name.upper()}: " if staff and name in {a.name for a in ANSWERS} else ""
    return f'<div class="invalid-feedback d-block">{prefix}{words}</div>' in html


# --------------------------------------------------------------------- the same refusal on every path

@pytest.mark.parametrize("name, bad, words", REFUSALS, ids=[f"{n}={b}" for n, b, _ in REFUSALS])
def test_every_path_refuses_what_the_declaration_refuses(client_as, public, period, name, bad, words):
    # the staff form: next to the field, what was typed kept
    staff = client_as("pelayanan").post(f"/skm/periode/{period.id}/entri", data=_form(period, **{name: bad}))
    html = staff.get_data(as_text=True)
    assert staff.status_code == 200 and _next_to_field(html, name, words), html
    if isinstance(bad, int):
        assert f'value="{bad}"' in html
    # the public form
    token = _token(public, period.code)
    answer = public.post(f"/s/{period.code}", data={**_form(period, **{name: bad}), "t": token})
    assert answer.status_code == 422 and _next_to_field(answer.get_data(as_text=True), name, words, staff=False)
    # the operation (what any other caller goes through)
    values = {**GOOD, name: bad}
    with pytest.raises(ResponseRefused) as caught:
        add_response(period, Answers(tanggal=TODAY, service_id=period.services[0].id,
                                     answers=tuple(values.pop(a.name) for a in ANSWERS), **values),
                     source=ResponseSource.STAFF)
    db.session.rollback()
    assert caught.value.error.field == name
    label = name.upper() if name in {a.name for a in ANSWERS} else LABELS.get(name)
    assert str(caught.value) == (f"{label}: {words}" if label else words)
    # the import: row and column added, and what the cell held
    row = {"tanggal": TODAY.isoformat(), "jenis_layanan": period.services[0].name, **GOOD, name: bad}
    rows, issues = importer.check_rows(period, [list(importer.COLUMNS), [row[c] for c in importer.COLUMNS]])
    assert rows == [] and [str(i) for i in issues] == [f"Baris 2, kolom {name}: {words} Tertulis: {bad}."]
    assert _count() == 0


def test_the_database_refuses_it_too(period):
    """The CHECK constraints are built from the same declarations (on SQLite and on PostgreSQL): each
    refused value breaks its own constraint."""
    base = {"period_id": period.id, "service_id": period.services[0].id, "tanggal": TODAY,
            "source": ResponseSource.STAFF, "created_at": utcnow(), **GOOD}
    for name, bad, _words in REFUSALS:
        with pytest.raises(sa.exc.IntegrityError, match=f"{name}_(range|known)"):
            with db.session.begin_nested():
                db.session.execute(sa.insert(SurveyResponse), [{**base, name: bad}])
    db.session.rollback()
    assert _count() == 0


def test_the_database_takes_every_value_the_declaration_takes(period):
    rows = []
    for spec in (*ANSWERS, USIA):
        rows += [{spec.name: spec.low}, {spec.name: spec.high}]
    for spec in PROFILE_CODES.values():
        rows += [{spec.name: code} for code in spec.codes]
    base = {"period_id": period.id, "service_id": period.services[0].id, "tanggal": TODAY,
            "source": ResponseSource.STAFF, "created_at": utcnow(), **GOOD}
    db.session.execute(sa.insert(SurveyResponse), [{**base, **r} for r in rows])
    db.session.commit()
    assert _count() == len(rows)


def test_service_and_date_are_checked_against_the_period_on_every_path(client_as, public, period):
    first, last = period_range(period.year, period.label)
    offered = ", ".join(s.name for s in period.services)
    not_offered = f"Jenis layanan tidak ditawarkan pada periode ini. Pilihan: {offered}."
    outside = f"Tanggal survei di luar periode ({first:%d/%m/%Y}–{last:%d/%m/%Y})."
    staff = client_as("pelayanan")
    page = staff.post(f"/skm/periode/{period.id}/entri", data=_form(period, jenis_layanan=999999)).get_data(as_text=True)
    assert _next_to_field(page, "jenis_layanan", not_offered)
    day = first.replace(year=first.year - 1)
    page = staff.post(f"/skm/periode/{period.id}/entri", data=_form(period, tanggal=day.isoformat())).get_data(as_text=True)
    assert _next_to_field(page, "tanggal", outside) and f'value="{day.isoformat()}"' in page
    answer = public.post(f"/s/{period.code}", data={**_form(period, jenis_layanan=999999), "t": _token(public, period.code)})
    assert answer.status_code == 422 and _next_to_field(answer.get_data(as_text=True), "jenis_layanan", not_offered, staff=False)
    for over, words in (({"service_id": 999999}, not_offered), ({"tanggal": day}, outside)):
        values = {"tanggal": TODAY, "service_id": period.services[0].id, **GOOD, **over}
        with pytest.raises(ResponseRefused) as caught:
            add_response(period, Answers(answers=tuple(values.pop(a.name) for a in ANSWERS), **values),
                         source=ResponseSource.STAFF)
        db.session.rollback()
        assert str(caught.value) == words
    row = {"tanggal": day.isoformat(), "jenis_layanan": "Paspor", **GOOD}
    _rows, issues = importer.check_rows(period, [list(importer.COLUMNS), [row[c] for c in importer.COLUMNS]])
    assert [str(i) for i in issues] == [f"Baris 2, kolom tanggal: {outside} Tertulis: {day.isoformat()}.",
                                        f"Baris 2, kolom jenis_layanan: {not_offered} Tertulis: Paspor."]
    assert _count() == 0


def test_a_questionnaire_with_too_many_answers_is_refused(period):
    from iku_workflow.survey.operations import SurveyError

    values = Answers(tanggal=TODAY, service_id=period.services[0].id, jenis_kelamin="L", usia=30, pendidikan="SMA",
                     pekerjaan="PNS", answers=(4,) * (len(ANSWERS) + 1))
    with pytest.raises(SurveyError, match=f"lebih dari {len(ANSWERS)} jawaban"):
        add_response(period, values, source=ResponseSource.STAFF)
    with pytest.raises(ResponseRefused, match="U9: Wajib diisi"):
        add_response(period, Answers(**{**values.__dict__, "answers": (4,) * (len(ANSWERS) - 1)}),
                     source=ResponseSource.STAFF)
    db.session.rollback()
    assert _count() == 0


def test_english_pages_get_the_same_refusal_in_english(client_as, period):
    user = get_user("pelayanan")
    user.locale = "en"
    db.session.commit()
    page = client_as("pelayanan").post(f"/skm/periode/{period.id}/entri",
                                       data=_form(period, usia=USIA.high + 1, u3=SCORE_HIGH + 1)).get_data(as_text=True)
    assert _next_to_field(page, "usia", f"Age must be {USIA.low} to {USIA.high} years.")
    assert _next_to_field(page, "u3", f"The answer must be {SCORE_LOW} to {SCORE_HIGH}.")
    assert "harus" not in page


def test_the_forms_and_the_import_template_read_their_bounds_from_the_declaration(client_as, public, period):
    staff = client_as("pelayanan").get(f"/skm/periode/{period.id}/entri").get_data(as_text=True)
    assert staff.count(f'pattern="[{SCORE_LOW}-{SCORE_HIGH}]"') == len(ANSWERS)
    assert f"Ketik jawaban {SCORE_LOW}–{SCORE_HIGH} per unsur" in staff
    page = public.get(f"/s/{period.code}").get_data(as_text=True)
    assert f'max="{USIA.high}"' in page and f'min="{USIA.low}"' in page
    from io import BytesIO

    from openpyxl import load_workbook

    guide = {row[0]: row[1] for row in load_workbook(BytesIO(importer.template_xlsx(period)))["Petunjuk"].iter_rows(values_only=True)}
    assert guide["usia"] == f"{USIA.low} sampai {USIA.high}"
    assert guide["pendidikan"] == ", ".join(PROFILE_CODES["pendidikan"].codes)


# --------------------------------------------------------------------- written once

_SOURCES = sorted(p for p in [*(ROOT / "iku_workflow").rglob("*.py"), *(ROOT / "iku_workflow").rglob("*.js"),
                              *(ROOT / "templates").rglob("*.html")] if "translations" not in p.parts)
DECLARATION = ROOT / "iku_workflow" / "domain" / "skm_response.py"
#: The SKM files: where the answer scale 1..4 is the score (elsewhere 1..4 is mostly a triwulan).
_SKM = [p for p in _SOURCES if re.search(r"survey|skm", p.name) or "survey" in p.parent.name]
#: Labels of the index scale (the IKM averages the answers, so its scale is the answers' too): display only.
_INDEX_LABELS = re.compile(r"IKM \(1–4\)|skala 1 sampai 4|skala 1–4")


def _range_patterns(low: int, high: int) -> list[re.Pattern]:
    lo, hi, edge = re.escape(str(low)), re.escape(str(high)), r"(?![\w.])"
    patterns = [
        rf"(?<![\w.]){lo}\s*(?:sampai|to|AND|and|–|-|\.\.)\s*{hi}{edge}",  # "10 sampai 120", "BETWEEN 1 AND 4", "1–4"
        rf"\[{lo}-{hi}\]",  # a character class
        rf"(?<![\w.]){lo}\s*<=.{{0,40}}<=\s*{hi}{edge}",  # 10 <= usia <= 120
        rf"\(\s*{lo}\s*,\s*{hi}\s*[,)]",  # NumberRange(10, 120), (1, 4)
        rf"min\s*=\s*{lo}\b.{{0,30}}max\s*=\s*{hi}{edge}",  # HTML min/max
    ]
    if high - low < 10:  # "1, 2, 3 atau 4"
        patterns.append(", ".join(map(str, range(low, high))) + rf",? (?:atau|or|dan|and) {hi}{edge}")
    return [re.compile(p) for p in patterns]


def _hits(paths, patterns) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(p.search(_INDEX_LABELS.sub("", line)) for p in patterns):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_each_bound_is_written_once_in_the_declaration():
    assert DECLARATION in _SKM and len(_SKM) > 15
    score = _range_patterns(SCORE_LOW, SCORE_HIGH)
    age = _range_patterns(USIA.low, USIA.high)
    assert _hits([p for p in _SKM if p != DECLARATION], score) == []
    assert _hits([p for p in _SOURCES if p != DECLARATION], age) == []
    # the declaration is where they are written (and the scan recognises the way they were written before)
    source = DECLARATION.read_text(encoding="utf-8")
    assert f"SCORE_LOW, SCORE_HIGH = {SCORE_LOW}, {SCORE_HIGH}" in source
    assert f'USIA = WholeNumber("usia", {USIA.low}, {USIA.high})' in source
    for old in ("NumberRange(10, 120, message=...)", "usia BETWEEN 10 AND 120", "if not 10 <= usia <= 120:",
                'min=10, max=120', "harus 1, 2, 3 atau 4", 'pattern="[1-4]"', "Usia harus 10 sampai 120 tahun."):
        assert any(p.search(old) for p in [*score, *age]), old


def test_each_code_list_is_written_once_in_the_declaration():
    for spec in PROFILE_CODES.values():
        codes = [re.escape(c) for c in spec.codes]
        # two codes of the list side by side, quoted: how a list (or a CHECK's IN) retypes it
        pattern = re.compile("|".join(rf"['\"]{a}['\"]\s*,\s*['\"]{b}['\"]" for a, b in zip(codes, codes[1:])))
        assert _hits(_SOURCES, [pattern]) == [], spec.name
        assert pattern.search("pendidikan IN ('SD','SMP','SMA')" if spec.name == "pendidikan" else
                              "('L', 'P')" if spec.name == "jenis_kelamin" else "'PNS','TNI'")
        if len(spec.codes) > 2:  # every code of the list, quoted, in one file: only the declaration
            holders = [p for p in _SOURCES if all(re.search(rf"['\"]{c}['\"]", p.read_text(encoding="utf-8"))
                                                   for c in codes)]
            assert holders == [DECLARATION], spec.name


def test_the_check_constraints_are_the_declarations():
    checks = {c.name: str(c.sqltext) for c in SurveyResponse.__table__.constraints if isinstance(c, sa.CheckConstraint)}
    for spec in (*ANSWERS, USIA):
        assert checks[f"ck_survey_responses_{spec.name}_range"] == f"{spec.name} BETWEEN {spec.low} AND {spec.high}"
    for spec in PROFILE_CODES.values():
        listed = re.fullmatch(rf"{spec.name} IN \((.*)\)", checks[f"ck_survey_responses_{spec.name}_known"]).group(1)
        assert tuple(v.strip().strip("'") for v in listed.split(",")) == spec.codes
    assert JENIS_LAYANAN.column == "service_id" and TANGGAL.column == "tanggal"  # guarded by a key and the period
    assert {Problem.OUT_OF_RANGE, Problem.UNKNOWN} <= set(Problem)
