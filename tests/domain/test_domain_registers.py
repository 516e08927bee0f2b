from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_workflow.domain.capaian import pooled_ratio
from iku_workflow.domain.formulation import FormulationError, plain_text, validate_blocks
from iku_workflow.domain.registers import activity_errors, complaint_errors, program_achieved


@pytest.mark.parametrize("realisation, target, polarity, expected", [
    (100, 100, "higher", True), (99.99, 100, "higher", False), (120, 100, "higher", True),
    (None, 100, "higher", False), (5, 0, "higher", False),  # target 0: no capaian, not achieved
    (3, 3, "lower", True), (3.6, 3, "lower", False), (0, 0, "lower", True),
])
def test_program_achieved(realisation, target, polarity, expected):
    assert program_achieved(realisation, target, polarity) is expected


@given(st.integers(0, 1000), st.integers(1, 1000), st.integers(0, 50))
def test_program_achieved_is_monotonic_for_higher(r, t, step):
    if program_achieved(r, t):
        assert program_achieved(r + step, t)


def test_iku4_worked_example():
    # RULES.md §3: 3 complaints received, 2 resolved -> 66.67 %.
    assert round(pooled_ratio({1: (2, 3)}), 2) == Decimal("66.67")


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=4, max_size=4))
def test_pooled_ratio_never_divides_by_zero(pairs):
    counts = {tw: (min(n, d), d) for tw, (n, d) in zip((1, 2, 3, 4), pairs)}
    value = pooled_ratio(counts)
    total = sum(d for _, d in counts.values())
    assert (value is None) == (total == 0)
    if value is not None:
        assert 0 <= value <= 100


def test_complaint_rules():
    assert complaint_errors(date(2025, 1, 5), "selesai", date(2025, 1, 6)) == {}
    assert "resolved_on" in complaint_errors(date(2025, 1, 5), "selesai", None)
    assert "resolved_on" in complaint_errors(date(2025, 1, 5), "selesai", date(2025, 1, 4))
    assert "status" in complaint_errors(date(2025, 1, 5), "diproses", date(2025, 1, 6))
    assert "received_on" in complaint_errors(date(2024, 12, 31), "masuk", None, year=2025)
    assert "received_on" in complaint_errors(date(2025, 5, 1), "masuk", None, today=date(2025, 4, 1))
    assert complaint_errors(None, "masuk", None) == {"received_on": "Tanggal diterima wajib diisi."}


def test_activity_rules():
    assert activity_errors(True, date(2025, 3, 1), 2025) == {}
    assert "facilitated_on" in activity_errors(True, None, 2025)
    assert "facilitated_on" in activity_errors(True, date(2024, 3, 1), 2025)
    assert "facilitated" in activity_errors(False, date(2025, 3, 1), 2025)
    assert activity_errors(False, None, 2025) == {}


def test_formulation_blocks_validate_and_render_plain():
    blocks = validate_blocks([
        {"type": "para", "label": "Penjelasan:", "text": " teks "},
        {"type": "numbered", "items": ["a", {"text": "b", "children": ["c"]}]},
        {"type": "fraction", "numerator": "diselesaikan", "denominator": "masuk"},
    ])
    assert blocks[0]["text"] == "teks" and blocks[2]["factor"] == "× 100%"
    text = plain_text(blocks)
    assert "1. a" in text and "   • c" in text and "(diselesaikan) / (masuk) × 100%" in text
    for bad in ({}, [{"type": "table"}], [{"type": "bullets", "items": []}], [{"type": "fraction", "numerator": "x"}],
                [{"type": "numbered", "items": [{"text": "x", "children": [1]}]}]):
        with pytest.raises(FormulationError):
            validate_blocks(bad)


def test_seed_data_is_clean():
    from iku_workflow.indicators.seed_data import IKU

    validate_blocks_all = [validate_blocks(i["formulation"]) for i in IKU]
    assert [i["number"] for i in IKU] == [1, 2, 3, 4, 5, 6]
    iku4 = plain_text(validate_blocks_all[3])
    assert iku4.count("/ (") == 1 and "SP4N-LAPOR!" in iku4 and "SPAN" not in iku4
    assert [i["measure"] for i in IKU] == ["document_count", "survey_index", "ratio:activities", "ratio:complaints",
                                           "score:sakip", "ratio:programs"]
    assert [i["unit"] for i in IKU] == ["dokumen", "indeks", "%", "%", "nilai", "%"]
    tugas_letters = plain_text(validate_blocks_all[1])
    assert tugas_letters.count("Waktu penyelesaian") == 1


def test_a_complaint_received_today_and_resolved_the_same_day_is_accepted():
    today = date(2025, 5, 2)
    assert complaint_errors(today, "selesai", today, 2025, today=today) == {}
    assert "received_on" in complaint_errors(date(2025, 5, 3), "diterima", None, 2025, today=today)
    assert "resolved_on" in complaint_errors(today, "selesai", date(2025, 5, 1), 2025, today=today)
