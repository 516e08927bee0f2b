"""The field declarations of one SKM response and their pure checks (no Flask, no database)."""
from datetime import date, datetime

import pytest

from iku_workflow.domain import skm, skm_response
from iku_workflow.domain.skm_response import (
    ANSWERS,
    FIELDS,
    JENIS_LAYANAN,
    PROFILE_CODES,
    SCORE_HIGH,
    SCORE_LOW,
    TANGGAL,
    UNSUR,
    USIA,
    FieldError,
    PeriodFrame,
    Problem,
    check_response,
)

FRAME = PeriodFrame(date(2025, 1, 1), date(2025, 6, 30), ((7, "KTP-el"), (8, "Kartu Keluarga")))
GOOD = {"tanggal": date(2025, 2, 12), "jenis_layanan": 8, "jenis_kelamin": "P", "usia": 34, "pendidikan": "SMA",
        "pekerjaan": "WIRAUSAHA", **{f"u{i}": 3 for i in range(1, 10)}}


def refused(spec, value, frame=FRAME) -> FieldError:
    with pytest.raises(FieldError) as caught:
        spec.check(value, frame)
    assert caught.value.field == spec.name
    return caught.value


def test_one_declaration_per_field_in_the_import_order():
    assert list(FIELDS) == ["tanggal", "jenis_layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
                            *(f"u{i}" for i in range(1, 10))]
    assert [spec.column for spec in FIELDS.values()][:2] == ["tanggal", "service_id"]
    assert (USIA.low, USIA.high) == (10, 120)
    assert {(a.low, a.high) for a in ANSWERS} == {(SCORE_LOW, SCORE_HIGH)} == {(1, 4)}


def test_the_score_scale_has_one_score_per_answer_text():
    assert all(len(u.answers) == SCORE_HIGH - SCORE_LOW + 1 for u in UNSUR)


def test_skm_re_exports_the_questionnaire():
    """`domain.skm` (the index arithmetic) keeps its names; the objects are the declaration's."""
    assert skm.UNSUR is skm_response.UNSUR and skm.PENDIDIKAN is skm_response.PENDIDIKAN
    assert skm.normalize_code is skm_response.normalize_code


@pytest.mark.parametrize("spec", [*ANSWERS, USIA], ids=lambda s: s.name)
def test_whole_number_bounds(spec):
    assert spec.check(spec.low) == spec.low and spec.check(spec.high) == spec.high
    for outside in (spec.low - 1, spec.high + 1):
        error = refused(spec, outside)
        assert (error.problem, error.value, error.params) == (Problem.OUT_OF_RANGE, outside,
                                                               {"low": spec.low, "high": spec.high})
    for not_whole in ("3", 3.0, True):  # text is parsed by the caller; a bool is not a number here
        assert refused(spec, not_whole).problem is Problem.NOT_WHOLE
    for blank in (None, "", "  "):
        assert refused(spec, blank).problem is Problem.REQUIRED


@pytest.mark.parametrize("spec", list(PROFILE_CODES.values()), ids=lambda s: s.name)
def test_codes_take_exactly_their_list(spec):
    for code in spec.codes:
        assert spec.check(code) == code
    error = refused(spec, spec.codes[0].lower() + "x")
    assert (error.problem, error.params) == (Problem.UNKNOWN, {"choices": spec.codes})
    assert refused(spec, "").problem is Problem.REQUIRED


def test_parse_reads_labels_and_aliases_check_does_not():
    pendidikan = PROFILE_CODES["pendidikan"]
    assert pendidikan.parse(" s1 ") == "D4/S1" and pendidikan.parse("d1 – d3") == "D1-D3"
    assert refused(pendidikan, "S1").problem is Problem.UNKNOWN  # the forms and the database take codes only
    with pytest.raises(FieldError) as caught:
        PROFILE_CODES["pekerjaan"].parse("Petani")
    assert (caught.value.problem, caught.value.value) == (Problem.UNKNOWN, "Petani")


def test_service_by_id_or_name_of_the_period():
    assert JENIS_LAYANAN.check(7, FRAME) == 7
    assert JENIS_LAYANAN.check("  kartu   KELUARGA ", FRAME) == 8
    for missing in (0, None, ""):
        assert refused(JENIS_LAYANAN, missing).problem is Problem.REQUIRED
    for other in (9, "Paspor", True):
        error = refused(JENIS_LAYANAN, other)
        assert (error.problem, error.params) == (Problem.NOT_OFFERED, {"choices": ("KTP-el", "Kartu Keluarga")})


def test_date_inside_the_period():
    assert TANGGAL.check(date(2025, 1, 1), FRAME) == date(2025, 1, 1)
    assert TANGGAL.check(datetime(2025, 6, 30, 23, 59), FRAME) == date(2025, 6, 30)
    error = refused(TANGGAL, date(2025, 7, 1))
    assert (error.problem, error.params) == (Problem.OUTSIDE_PERIOD,
                                             {"first": date(2025, 1, 1), "last": date(2025, 6, 30)})
    assert refused(TANGGAL, None).problem is Problem.REQUIRED
    with pytest.raises(TypeError):
        TANGGAL.check("2025-02-12", FRAME)  # parsing is the caller's part


def test_check_response_gives_the_stored_columns_or_the_first_refusal():
    clean = check_response(GOOD, FRAME)
    assert clean["service_id"] == 8 and clean["u9"] == 3 and "jenis_layanan" not in clean
    with pytest.raises(FieldError) as caught:
        check_response({**GOOD, "usia": 9, "u2": 5}, FRAME)
    assert caught.value.field == "usia"  # field order: the profile before the answers
    with pytest.raises(FieldError) as caught:
        check_response({k: v for k, v in GOOD.items() if k != "u9"}, FRAME)
    assert (caught.value.field, caught.value.problem) == ("u9", Problem.REQUIRED)


def test_field_error_is_a_value_error_with_no_sentence():
    error = refused(USIA, 7)
    assert isinstance(error, ValueError)
    assert "harus" not in str(error) and "usia" in str(error)
