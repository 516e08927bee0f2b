"""CHECK constraints are written from the domain's lists and enums (models/_checks.py), not retyped.

What the helpers write must stay what the migrations created: tests/test_migrations.py compares the
stored constraints of `db upgrade` with create_all's on both engines. Here: the helpers themselves, and
that no model types a code value into a CHECK by hand any more.
"""
from __future__ import annotations

import ast
import enum
from pathlib import Path

import pytest
import sqlalchemy as sa

from iku_workflow.domain.dates import PERIOD_LABELS
from iku_workflow.domain.skm import Weighting
from iku_workflow.extensions import db
from iku_workflow.models._checks import between_check, in_list_check, sql_list, sql_literal
from iku_workflow.models.workflow import EntryState

MODELS = Path(__file__).resolve().parent.parent / "iku_workflow" / "models"


class Colour(str, enum.Enum):
    RED = "red"
    ODD = "it's"


def test_in_list_from_an_enum_pairs_or_values():
    assert str(in_list_check("weighting", Weighting).sqltext) == "weighting IN ('exact', '0.111')"
    assert in_list_check("weighting", Weighting).name == "weighting_known"
    assert str(in_list_check("jk", (("L", "Laki-laki"), ("P", "Perempuan"))).sqltext) == "jk IN ('L', 'P')"
    assert str(in_list_check("label", PERIOD_LABELS, separator=",").sqltext) == \
        "label IN ('S1','S2','TW1','TW2','TW3','TW4','TAHUN')"
    assert sql_list(Colour) == "('red', 'it''s')"  # quotes doubled
    assert sql_list((EntryState.SUBMITTED, EntryState.APPROVED)) == "('submitted', 'approved')"
    with pytest.raises(ValueError):
        sql_list(())


def test_literals_and_ranges():
    assert sql_literal(EntryState.RETURNED) == "'returned'" and sql_literal(12) == "12"
    for bad in (True, 1.5, None):
        with pytest.raises(TypeError):
            sql_literal(bad)
    check = between_check("usia", 10, 120)
    assert (str(check.sqltext), check.name) == ("usia BETWEEN 10 AND 120", "usia_range")


def test_the_named_constraints_follow_the_naming_convention(app):
    checks = {c.name: str(c.sqltext) for t in db.metadata.sorted_tables for c in t.constraints
              if isinstance(c, sa.CheckConstraint)}
    assert checks["ck_survey_periods_label_known"] == "label IN ('S1','S2','TW1','TW2','TW3','TW4','TAHUN')"
    assert checks["ck_survey_periods_weighting_known"] == "weighting IN ('exact', '0.111')"
    assert checks["ck_workflow_entries_submitted_has_time"] == \
        "state NOT IN ('submitted', 'approved') OR submitted_at IS NOT NULL"
    assert checks["ck_users_seksi_has_section"] == "role != 'seksi' OR section_id IS NOT NULL"


def _typed_sql_literals(path: Path) -> list[str]:
    """Text parts of the first argument of every CheckConstraint(...) in a module that hold a quote:
    a value typed into the SQL by hand instead of coming from an enum or a domain list."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "CheckConstraint":
            parts = [node.args[0]] if node.args else []
            texts = [p for arg in parts for p in ([arg] if isinstance(arg, ast.Constant) else ast.walk(arg))
                     if isinstance(p, ast.Constant) and isinstance(p.value, str)]
            found += [f"{path.name}:{node.lineno}: {t.value}" for t in texts if "'" in t.value]
    return found


def test_no_model_types_a_code_value_into_a_check(tmp_path):
    modules = sorted(MODELS.glob("*.py"))
    assert any("CheckConstraint" in m.read_text(encoding="utf-8") for m in modules)
    assert [hit for module in modules for hit in _typed_sql_literals(module)] == []
    # the scan sees the way they were written before
    legacy = tmp_path / "legacy.py"
    legacy.write_text('import sqlalchemy as sa\nX = sa.CheckConstraint("role != \'seksi\' OR x", name="y")\n'
                      'Y = sa.CheckConstraint(f"state NOT IN (\'a\', {b}) OR z", name="w")\n')
    assert _typed_sql_literals(legacy) == ["legacy.py:2: role != 'seksi' OR x", "legacy.py:3: state NOT IN ('a', "]
