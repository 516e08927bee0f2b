"""The capability list: each capability declares itself once, install() keeps the tables per app and
refuses a list that contradicts itself, and an indicator whose measure nobody declares is refused."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from conftest import base_config
from factories import seeded_iku
from iku_workflow import capabilities, create_app, measures
from iku_workflow.capability import Capability, CapabilityError, build_registry, install, registry
from iku_workflow.extensions import db
from iku_workflow.indicators.measure_keys import UndeclaredMeasure
from iku_workflow.models import WorkflowEntry
from iku_workflow.nav import NavItem
from iku_workflow.workflow import kinds
from iku_workflow.workflow.kinds import Kind

PACKAGE = Path(__file__).resolve().parent.parent / "iku_workflow"


def _measure(key: str) -> measures.Measure:
    return measures.Measure(key, key, lambda office_id, year, rule: measures.empty())


# --------------------------------------------------------------------------- what the installed list holds

def test_the_installed_list_is_the_one_declared_in_capabilities(app):
    reg = registry()
    assert [c.name for c in reg.capabilities] == ["core", "workflow", "documents", "indicators", "registers",
                                                  "survey", "letterhead", "decree", "pk", "renaksi", "lkjip", "kabupaten",
                                                  "api"]
    assert list(reg.kinds) == ["document", "reopen_request", "activity", "complaint", "sakip", "program",
                               "activity_change", "complaint_change", "sakip_change", "program_change", "survey_result",
                               "renaksi_note", "lkjip_factor"]
    assert sorted(reg.measures) == ["document_count", "ratio:activities", "ratio:complaints", "ratio:programs",
                                    "score:sakip", "survey_index"]
    assert list(reg.registers) == ["kegiatan", "pengaduan", "sakip", "program"]
    assert reg.home_endpoints == ("indicators.dashboard",)
    assert {"iku", "skm", "decree", "pk", "lkjip", "run", "seed", "office", "user", "db"} <= set(app.cli.commands)
    assert {"decimal", "number", "percent_value", "date", "domain_label",
            "audit_action"} <= set(app.jinja_env.filters)


def test_one_register_has_one_label_in_the_menu_and_the_review_queue(app):
    reg = registry()
    nav = {n.key: str(n.label) for n in reg.nav}
    for spec in reg.registers.values():
        assert nav[f"registers.{spec.slug}"] == str(reg.kinds[spec.kind].label) == str(spec.label)
    assert nav["registers.kegiatan"] == "Kegiatan pemberdayaan (IKU 3)"


def test_tables_live_per_app_not_in_module_globals(app, office, client_as, tmp_path):
    """An app installed with an extra capability has its kind, menu entry, badge and lock; the other has not."""
    from conftest import PASSWORD

    bp = Blueprint("extra_test", __name__)
    bp.add_url_rule("/uji-kapabilitas", "page", lambda: "ok")
    extra = Capability("extra-test", blueprints=(bp,),
                       workflow_kinds=(Kind("extra", _l("Uji"), url=lambda entry: "/uji-kapabilitas"),),
                       nav=(NavItem("extra", "Menu uji", "extra_test.page", "dashboard.view", order=3),),
                       badges={"extra": lambda user: 7},
                       year_locks=(lambda office_id, year: year == 2031,))
    with_extra = create_app(base_config(db.engine.url.render_as_string(hide_password=False), tmp_path),
                            capabilities=capabilities.ALL + (extra,))
    try:
        assert "extra" in registry(with_extra).kinds and "extra" not in registry().kinds
        # the decree's and the PK's locks, and the extra one
        assert len(registry(with_extra).year_locks) == 3 and len(registry().year_locks) == 2
        other = with_extra.test_client()
        assert other.post("/login", data={"username": "sekcam", "password": PASSWORD}).status_code == 302
        page = other.get("/dasbor/2025").get_data(as_text=True)
        assert "Menu uji" in page and 'href="/uji-kapabilitas"' in page
        assert "Menu uji" not in client_as("sekcam").get("/dasbor/2025").get_data(as_text=True)
    finally:
        with with_extra.app_context():
            db.session.remove()
            db.engine.dispose()


# --------------------------------------------------------------------------- install refuses contradictions

@pytest.mark.parametrize("second, words", [
    (Capability("b", workflow_kinds=(Kind("k", "K", url=str),)), "workflow kind 'k' is declared twice"),
    (Capability("b", measures=(_measure("m"),)), "measure 'm' is declared twice"),
    (Capability("b", nav=(NavItem("n", "N", "e", "dashboard.view"),)), "menu entry 'n' is declared twice"),
    (Capability("b", template_filters={"f": str}), "template filter 'f' is declared twice"),
    (Capability("a"), "capability 'a' is listed twice"),
], ids=["kind", "measure", "nav", "filter", "name"])
def test_install_refuses_a_declaration_made_twice(second, words):
    first = Capability("a", workflow_kinds=(Kind("k", "K", url=str),), measures=(_measure("m"),),
                       nav=(NavItem("n", "N", "e", "dashboard.view"),), template_filters={"f": str})
    with pytest.raises(CapabilityError, match=words):
        build_registry([first, second])


def test_install_refuses_a_badge_without_its_menu_entry():
    with pytest.raises(CapabilityError, match="badge 'nowhere' has no menu entry"):
        build_registry([Capability("a", badges={"nowhere": lambda user: 1})])


def test_install_refuses_a_list_without_the_measures_the_seeded_iku_use():
    without_survey = [c for c in capabilities.ALL if c.name != "survey"]
    with pytest.raises(CapabilityError, match="'indicators' relies on measure 'survey_index'"):
        build_registry(without_survey)


def test_install_refuses_an_endpoint_no_blueprint_serves(tmp_path):
    lost = Capability("lost", nav=(NavItem("lost", "Hilang", "nowhere.page", "dashboard.view"),))
    with pytest.raises(CapabilityError, match="endpoint 'nowhere.page' is declared but no installed blueprint"):
        create_app(base_config("sqlite://", tmp_path), capabilities=capabilities.ALL + (lost,))


def test_install_refuses_a_command_or_filter_the_app_already_has(app):
    with pytest.raises(CapabilityError, match="already installed"):
        install(app, capabilities.ALL)
    from flask import Flask

    bare = Flask("bare")
    with pytest.raises(CapabilityError, match="template filter 'upper' would replace"):
        install(bare, [Capability("a", template_filters={"upper": str})])
    bare.cli.add_command(click.Command("seed"))
    with pytest.raises(CapabilityError, match="command 'seed' would replace"):
        install(bare, [Capability("a", cli_groups=(click.Command("seed"),))])


# --------------------------------------------------------------------------- nothing registers on import

def _imports(path: Path) -> set[str]:
    """Absolute names of the modules (and imported names) ``path`` imports."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            out.add(name)
            out.update(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_no_cli_module_imports_another_and_only_create_app_reads_the_list():
    importers_of_cli = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                              if "iku_workflow.cli" in _imports(p))
    assert importers_of_cli == ["core.py"]  # the core capability declares the core commands
    importers_of_list = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                               if "iku_workflow.capabilities" in _imports(p))
    assert importers_of_list == ["__init__.py"]  # create_app


def test_importing_the_capabilities_registers_nothing_anywhere():
    """A fresh interpreter imports every capability; no module-level table of kinds, measures, menus,
    seeders or locks exists to be filled (they live in app.extensions)."""
    code = ("import iku_workflow.capabilities as c, iku_workflow.measures as m, iku_workflow.nav as n, "
            "iku_workflow.workflow.kinds as k, iku_workflow.seed.demo as s, iku_workflow.indicators.locks as l, "
            "iku_workflow.main.views as v\n"
            "names = {'PROVIDERS', '_ITEMS', '_BADGES', 'KINDS', 'DEMO_SEEDERS', 'LOCK_CHECKS', 'HOME_ENDPOINTS'}\n"
            "left = [(mod.__name__, x) for mod in (m, n, k, s, l, v) for x in names if hasattr(mod, x)]\n"
            "print(left)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- undeclared measure keys

def test_an_indicator_with_an_undeclared_measure_is_refused_at_start_up(make_app, office):
    seeded_iku(office, 3).measure = "ratio:kegiatan"  # a typo of ratio:activities
    db.session.commit()
    with pytest.raises(UndeclaredMeasure) as refused:
        make_app()
    text = str(refused.value)
    assert "kantor gumukmas tahun 2025 IKU 3: 'ratio:kegiatan'" in text
    assert "1 indikator" in text and "ratio:activities" in text  # the declared keys are listed


@pytest.mark.parametrize("extra_capabilities", [(Capability("kegiatan-typo", measures=(_measure("ratio:kegiatan"),)),)],
                         ids=["declared"])
def test_the_same_key_starts_when_a_capability_declares_it(make_app, office):
    seeded_iku(office, 3).measure = "ratio:kegiatan"
    db.session.commit()
    assert "ratio:kegiatan" in registry(make_app()).measures


def test_the_cli_skips_the_check_and_run_refuses(office):
    """`db upgrade` or a repair must still run on such a database; `run` refuses before serving."""
    import os

    seeded_iku(office, 3).measure = "ratio:kegiatan"
    db.session.commit()
    root = PACKAGE.parent
    env = {**os.environ, "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "SECRET_KEY": "test-secret", "PYTHONPATH": str(root)}
    env.pop("IKU_DEMO", None)

    def cli(*args):
        return subprocess.run([sys.executable, "-c", "from iku_workflow.cli import main; main()", *args],
                              cwd=root, env=env, capture_output=True, text=True, timeout=120)

    listed = cli("office", "list")
    assert listed.returncode == 0, listed.stderr
    assert "gumukmas" in listed.stdout
    run = cli("run", "--no-setup", "--port", "1")
    assert run.returncode == 1
    assert "IKU 3: 'ratio:kegiatan'" in run.stderr and "berjalan di" not in run.stdout


def test_the_iku_form_offers_and_accepts_only_declared_measures(client_as, office):
    c = client_as("sekcam")
    page = c.get("/iku/2025/3/ubah").get_data(as_text=True)
    assert 'value="ratio:activities"' in page and 'value="document_count"' in page
    # the standard IKU's measures in IKU order (1 … 6)
    order = [page.index(f'value="{key}"') for key in ("document_count", "survey_index", "ratio:activities",
                                                      "ratio:complaints", "score:sakip", "ratio:programs")]
    assert order == sorted(order)
    response = c.post("/iku/2025/3/ubah", data={
        "kinerja_utama": "KU", "name": "Nama baru", "formulation": "", "bidang_text": "", "sumber_data": "",
        "unit": "%", "polarity": "higher", "lower_formula": "2t_minus_r", "year_rule": "last",
        "measure": "ratio:kegiatan"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pilihan tidak sah." in html and "Nama baru" in html
    db.session.expire_all()
    assert seeded_iku(office, 3).measure == "ratio:activities" and seeded_iku(office, 3).name != "Nama baru"


def test_update_indicator_refuses_an_undeclared_measure(app, office):
    from conftest import get_user
    from iku_workflow.indicators import operations as ops

    with pytest.raises(ops.IndicatorError, match="'ratio:kegiatan' tidak tersedia"):
        ops.update_indicator(seeded_iku(office, 3), get_user("sekcam"), measure="ratio:kegiatan")


def test_measuring_an_undeclared_key_is_an_error_not_no_data(app, office):
    with pytest.raises(measures.UnknownMeasure):
        measures.measure("ratio:kegiatan", office.id, 2025)


def test_kinds_are_read_from_the_current_app(app, office):
    entry = WorkflowEntry(office_id=office.id, kind="unknown", title="x", year=2025)
    assert kinds.label_of(entry) == "unknown" and kinds.refusal(entry, None, None) is None
