"""Registers the capability blueprints, menu entries, workflow kinds, demo seeders and CLI groups
(one place to see them all)."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from . import nav


def _seeder(fn) -> None:
    from .seed.demo import DEMO_SEEDERS

    if fn not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(fn)


def register(app: Flask) -> None:
    _register_workflow(app)
    _register_documents(app)
    _register_indicators(app)
    _register_survey(app)
    _register_decree(app)
    nav.add(nav.NavItem("home", _l("Beranda"), "main.home", "dashboard.view", order=0))
    nav.add(nav.NavItem("admin.users", _l("Pengguna"), "admin.users", "admin.manage", group=_l("Admin"), order=90))
    nav.add(nav.NavItem("admin.sections", _l("Seksi"), "admin.sections", "admin.manage", group=_l("Admin"), order=91))
    nav.add(nav.NavItem("admin.office", _l("Profil kantor"), "admin.office", "admin.manage", group=_l("Admin"), order=92))


def _register_workflow(app: Flask) -> None:
    from .workflow import bp as workflow_bp
    from .workflow.notify import unread_count
    from .workflow.views import review_count, task_count

    app.register_blueprint(workflow_bp)
    nav.add(nav.NavItem("workflow.queue", _l("Tinjauan"), "workflow.queue", "entry.review", order=10))
    nav.add(nav.NavItem("workflow.tasks", _l("Tugas seksi"), "workflow.tasks", "entry.submit", order=11))
    nav.add(nav.NavItem("workflow.notifications", _l("Notifikasi"), "workflow.notifications", "entry.view", order=80))
    nav.add(nav.NavItem("workflow.audit", _l("Log audit"), "workflow.audit_log", "audit.view", group=_l("Admin"), order=95))
    nav.add_badge("workflow.queue", review_count)
    nav.add_badge("workflow.tasks", task_count)
    nav.add_badge("workflow.notifications", unread_count)


def _register_documents(app: Flask) -> None:
    """Required documents of a year, evidence uploads, completion rate and IKU 1."""
    from .documents import bp as documents_bp
    from .documents.seed import seed_documents

    app.register_blueprint(documents_bp)
    nav.add(nav.NavItem("documents", _l("Dokumen"), "documents.index", "entry.view", order=20))
    _seeder(seed_documents)


def _register_indicators(app: Flask) -> None:
    """IKU catalogue, targets, registers behind IKU 3-6 and the dashboard (the landing page)."""
    from .indicators import bp as indicators_bp
    from .indicators.demo import seed_indicators
    from .main.views import HOME_ENDPOINTS
    from .registers import bp as registers_bp
    from .registers import providers
    from .workflow import kinds

    app.register_blueprint(indicators_bp)
    app.register_blueprint(registers_bp)
    providers.register()
    if "indicators.dashboard" not in HOME_ENDPOINTS:
        HOME_ENDPOINTS.append("indicators.dashboard")
    _seeder(seed_indicators)
    for code, slug, label in (("activity", "kegiatan", _l("Kegiatan pemberdayaan (IKU 3)")),
                              ("complaint", "pengaduan", _l("Pengaduan trantib (IKU 4)")),
                              ("sakip", "sakip", _l("Nilai SAKIP (IKU 5)")),
                              ("program", "program", _l("Indikator program (IKU 6)"))):
        kinds.register(code, label, url=_row_url(code, slug))
    nav.add(nav.NavItem("indicators.dashboard", _l("Dasbor"), "indicators.dashboard", "dashboard.view", order=1))
    nav.add(nav.NavItem("indicators.catalogue", _l("IKU"), "indicators.catalogue_current", "dashboard.view", order=2))
    for order, (slug, label) in enumerate((("kegiatan", _l("Kegiatan PMKS (IKU 3)")),
                                           ("pengaduan", _l("Pengaduan Trantib (IKU 4)")),
                                           ("sakip", _l("Nilai SAKIP (IKU 5)")),
                                           ("program", _l("Indikator program (IKU 6)")))):
        nav.add(nav.NavItem(f"registers.{slug}", label, f"registers.index_{slug}", "entry.view", group=_l("Register"),
                            order=20 + order))


def _row_url(code: str, slug: str):
    def url(entry):
        import sqlalchemy as sa
        from flask import url_for

        from .extensions import db
        from .registers.operations import REGISTERS

        model = REGISTERS[slug][0]
        row_id = db.session.scalar(sa.select(model.id).where(model.entry_id == entry.id))
        if row_id is None:
            return url_for("workflow.entry", entry_id=entry.id)
        return url_for("registers.detail", register=slug, row_id=row_id)

    return url


def _register_survey(app: Flask) -> None:
    """SKM periods, the public questionnaire, imports and the IKM (IKU 2)."""
    from . import survey

    survey.register(app)
    nav.add(nav.NavItem("survey", _l("SKM"), "survey.index", "survey.view", order=30))


def _register_decree(app: Flask) -> None:
    """The Camat's decree on the IKU, its Word drafts, the kop template and the capaian report."""
    from . import decree

    app.register_blueprint(decree.bp)
    decree.register_lock()
    _seeder(decree.seed_demo_decree)
    nav.add(nav.NavItem("decree", _l("Keputusan"), "decree.index", "decree.view", order=40))
    nav.add(nav.NavItem("reports.capaian", _l("Laporan capaian"), "decree.capaian_index", "reports.view", order=45))
    nav.add(nav.NavItem("admin.letterhead", _l("Kop surat"), "decree.letterhead", "office.edit", group=_l("Admin"),
                        order=93))


def commands() -> list:
    """CLI command groups of the capabilities."""
    from .decree.cli import decree_group
    from .indicators.cli import iku_group
    from .survey.cli import skm_group

    return [iku_group, skm_group, decree_group]
