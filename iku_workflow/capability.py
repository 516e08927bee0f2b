"""A capability declares once what it adds to the app; :func:`install` puts a list of them into one app.

A :class:`Capability` is a frozen record: its blueprints, workflow kinds, measures, registers, menu
entries and their badges, demo seeders, CLI groups, year locks, template filters, landing pages and the
providers of due items (what falls due besides a workflow entry's own due date).
Nothing is registered when a module is imported: ``create_app`` calls ``install(app, capabilities.ALL)``,
which registers the blueprints, filters and commands on that app and keeps the combined tables in
``app.extensions["iku"]`` (a :class:`Registry`). Code that needs a table reads it from the current app
(:func:`registry`), so two apps with different capability lists never see each other's entries.

``install`` refuses a list that contradicts itself (two capabilities declaring one workflow kind,
measure, register, menu key, filter or command; a badge without its menu entry; a landing page or
menu endpoint no blueprint serves; a measure a capability relies on that none declares).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from flask import Blueprint, Flask, current_app

if TYPE_CHECKING:
    import click

    from .measures import Measure
    from .nav import NavItem
    from .workflow.kinds import Kind

EXTENSION = "iku"

#: ``seeder(office, echo)``: adds the capability's demo data to the demo office (idempotent).
Seeder = Callable[[Any, Callable[[str], None]], None]
#: ``lock(office_id, year) -> bool``: True when the office's IKU of that year may no longer change.
YearLock = Callable[[int, int], bool]
#: ``counter(user) -> int``: the number shown beside a menu entry.
Badge = Callable[[Any], int]
#: ``flags(office_id, year, today) -> [(where, what)]``: doubts the Camat's overview lists for the office-year.
OverviewFlags = Callable[[int, int, Any], list]
#: ``provider(office_id, year) -> iterable of workflow.due_items.DueItem``: things due that are not a workflow
#: entry's own ``due_date`` (the year's decree); ``office_id`` None: every office, ``year`` None: every year.
DueItemProvider = Callable[[Any, Any], Iterable[Any]]
#: ``panel(office, year) -> str``: a read-only section of HTML for the kabupaten's page of one office-year (what the
#: capability keeps of that year: the PK, the renaksi), rendered by the capability's own template.
OfficePanel = Callable[[Any, int], str]


class CapabilityError(ValueError):
    """The capability list cannot be installed; the message names the conflict."""


@dataclass(frozen=True)
class Capability:
    """What one capability adds to the app. Every field is optional except the name."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    workflow_kinds: tuple["Kind", ...] = ()
    measures: tuple["Measure", ...] = ()
    #: register records (``registers.spec.RegisterSpec``), indexed by their slug
    registers: tuple[Any, ...] = ()
    nav: tuple["NavItem", ...] = ()
    #: menu key -> counter
    badges: Mapping[str, Badge] = field(default_factory=dict)
    seeders: tuple[Seeder, ...] = ()
    cli_groups: tuple["click.Command", ...] = ()
    year_locks: tuple[YearLock, ...] = ()
    #: Jinja filter name -> function
    template_filters: Mapping[str, Callable] = field(default_factory=dict)
    #: endpoints of landing pages; the home page redirects to the first one of the installed list
    home_endpoints: tuple[str, ...] = ()
    #: measure keys this capability's own data rely on (e.g. the IKU it seeds); some capability must declare them
    requires_measures: tuple[str, ...] = ()
    #: what the Camat's overview flags about this capability's records of an office-year
    overview_flags: tuple[OverviewFlags, ...] = ()
    #: what else falls due (``workflow.due_items``): shown on the office board and reminded by ``reminders send``
    due_items: tuple[DueItemProvider, ...] = ()
    #: read-only sections of the kabupaten's page of one office-year
    office_panels: tuple[OfficePanel, ...] = ()


@dataclass(frozen=True)
class Registry:
    """The combined tables of the capabilities installed in one app (read-only)."""

    capabilities: tuple[Capability, ...]
    kinds: Mapping[str, "Kind"]
    measures: Mapping[str, "Measure"]
    registers: Mapping[str, Any]
    nav: tuple["NavItem", ...]
    badges: Mapping[str, Badge]
    year_locks: tuple[YearLock, ...]
    home_endpoints: tuple[str, ...]
    overview_flags: tuple[OverviewFlags, ...] = ()
    due_items: tuple[DueItemProvider, ...] = ()
    office_panels: tuple[OfficePanel, ...] = ()

    def register_of(self, row) -> Any:
        """The register record whose model ``row`` is an instance of."""
        for spec in self.registers.values():
            if isinstance(row, spec.model):
                return spec
        raise LookupError(f"no installed register stores {type(row).__name__}")


def registry(app: Flask | None = None) -> Registry:
    """The registry of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def _index(capabilities: Iterable[Capability], attr: str, key: Callable[[Any], str], what: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for cap in capabilities:
        items = getattr(cap, attr)
        for name, item in (items.items() if isinstance(items, Mapping) else ((key(i), i) for i in items)):
            if name in table:
                raise CapabilityError(f"{what} '{name}' is declared twice: by '{owner[name]}' and by '{cap.name}'.")
            table[name], owner[name] = item, cap.name
    return table


def build_registry(capabilities: Iterable[Capability]) -> Registry:
    """Combine the declarations, refusing contradictions (see the module's docstring)."""
    caps = tuple(capabilities)
    names: dict[str, Capability] = {}
    for cap in caps:
        if cap.name in names:
            raise CapabilityError(f"capability '{cap.name}' is listed twice.")
        names[cap.name] = cap
    kinds = _index(caps, "workflow_kinds", lambda k: k.code, "workflow kind")
    measures = _index(caps, "measures", lambda m: m.key, "measure")
    registers = _index(caps, "registers", lambda r: r.slug, "register")
    nav = _index(caps, "nav", lambda n: n.key, "menu entry")
    badges = _index(caps, "badges", lambda b: b, "badge")
    _index(caps, "template_filters", lambda f: f, "template filter")  # installed by install()
    _index(caps, "cli_groups", lambda c: c.name, "command")
    for key in badges:
        if key not in nav:
            raise CapabilityError(f"badge '{key}' has no menu entry with that key.")
    for cap in caps:
        for key in cap.requires_measures:
            if key not in measures:
                raise CapabilityError(
                    f"capability '{cap.name}' relies on measure '{key}', which no installed capability declares "
                    f"(declared: {', '.join(sorted(measures)) or 'none'}).")
    return Registry(
        capabilities=caps,
        kinds=MappingProxyType(kinds),
        measures=MappingProxyType(measures),
        registers=MappingProxyType(registers),
        nav=tuple(sorted(nav.values(), key=lambda n: (n.order, n.key))),
        badges=MappingProxyType(badges),
        year_locks=tuple(lock for cap in caps for lock in cap.year_locks),
        home_endpoints=tuple(e for cap in caps for e in cap.home_endpoints),
        overview_flags=tuple(f for cap in caps for f in cap.overview_flags),
        due_items=tuple(p for cap in caps for p in cap.due_items),
        office_panels=tuple(p for cap in caps for p in cap.office_panels),
    )


def install(app: Flask, capabilities: Iterable[Capability]) -> Registry:
    """Register the capabilities' blueprints, template filters and CLI groups on ``app``; keep the tables."""
    if EXTENSION in app.extensions:
        raise CapabilityError("capabilities are already installed in this app.")
    reg = build_registry(capabilities)
    filters = _index(reg.capabilities, "template_filters", lambda f: f, "template filter")
    for name in filters:
        if name in app.jinja_env.filters:
            raise CapabilityError(f"template filter '{name}' would replace one the app already has.")
    commands = _index(reg.capabilities, "cli_groups", lambda c: c.name, "command")
    for name in commands:
        if name in app.cli.commands:
            raise CapabilityError(f"command '{name}' would replace one the app already has.")
    for cap in reg.capabilities:
        for bp in cap.blueprints:
            app.register_blueprint(bp)
    for endpoint in (*reg.home_endpoints, *(n.endpoint for n in reg.nav)):
        if endpoint not in app.view_functions:
            raise CapabilityError(f"endpoint '{endpoint}' is declared but no installed blueprint serves it.")
    app.jinja_env.filters.update(filters)
    for command in commands.values():
        app.cli.add_command(command)
    app.extensions[EXTENSION] = reg
    return reg
