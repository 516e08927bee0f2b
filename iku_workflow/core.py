"""The capability every installation has: sign-in and accounts, the landing page, the admin's pages,
the core commands (run, seed, office, user, storage, backup, restore) and the template filters every page uses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .admin import bp as admin_bp
from .auth import bp as auth_bp
from .capability import Capability
from .backup import backup_command, restore_command
from .cli import audit_group, office_group, run_command, seed_group, user_group
from .storage.cli import storage_group
from .main import bp as main_bp
from .nav import NavItem
from .template_filters import FILTERS

CAPABILITY = Capability(
    name="core",
    blueprints=(auth_bp, main_bp, admin_bp),
    nav=(
        NavItem("home", _l("Beranda"), "main.home", "dashboard.view", order=0),
        NavItem("admin.users", _l("Pengguna"), "admin.users", "admin.manage", group=_l("Admin"), order=90),
        NavItem("admin.sections", _l("Seksi"), "admin.sections", "admin.manage", group=_l("Admin"), order=91),
        NavItem("admin.desa", _l("Desa"), "admin.desa_list", "desa.manage", group=_l("Admin"), order=92),
        NavItem("admin.office", _l("Profil kantor"), "admin.office", "admin.manage", group=_l("Admin"), order=92),
    ),
    cli_groups=(run_command, seed_group, office_group, user_group, storage_group, audit_group,
                backup_command, restore_command),
    template_filters=FILTERS,
)
