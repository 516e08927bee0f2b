"""Each register behind an IKU is one record: :class:`RegisterSpec`.

The record says everything the app needs about a register: its URL slug and IKU, its name in the menu,
the review queue and on its pages, the model that stores its rows, the workflow kind and the section
that owns it, the form with its fields and how they become model values, the checks, the list order,
how a row is named and what is derived on save, and the measure the IKU reads. The pages
(``views.py``), the operations (``operations.py``), the workflow kind, the menu entry, the measure and
the dashboard's link to the data all come from it. :func:`capability` turns a list of records into the
capability that declares them; adding a register is one record plus its model, form, provider and
migration.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

import sqlalchemy as sa
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..capability import Capability
from ..domain.capaian import Polarity
from ..domain.registers import activity_errors, complaint_errors, program_achieved
from ..measures import ONE_SCORE, POOLED_RATIO, Measure, Provider, RulePolicy
from ..models import (Activity, ActivityKind, Complaint, ComplaintChannel, ComplaintStatus, ProgramIndicator,
                      SakipEvaluation)
from ..nav import NavItem
from ..workflow.kinds import Kind
from . import providers
from .listing import (ListFilter, SortKey, Tally, desa_filter, enum_filter, month_filter, state_filter, triwulan_filter,
                      yes_no_filter)
from .forms import ActivityForm, ComplaintForm, ProgramForm, SakipForm


class RegisterError(ValueError):
    """Refused input; ``str(exc)`` is the Indonesian message."""


def _no_errors(data: dict, year: int) -> dict[str, str]:
    return {}


def _nothing(row) -> None:
    return None


@dataclass(frozen=True)
class RegisterSpec:
    slug: str  # /register/<slug>
    iku: int
    label: str  # the register with its IKU: menu entry and workflow kind, e.g. "Nilai SAKIP (IKU 5)"
    title: str  # heading of its pages
    model: type  # office_id, year, entry_id/entry and the evidence columns (models.registers._RegisterRow)
    kind: str  # workflow kind code of its rows' entries
    section: str  # code of the owning section: its operators create and submit rows
    form: type  # the edit form (fields named as the model's columns, plus evidence_upload)
    fields: tuple[str, ...]  # the form fields shown and read, in order
    convert: Callable[[dict], dict]  # form data -> model values
    title_of: Callable[[Any], str]  # a row's name in the review queue, the history and the audit log
    order: tuple  # ORDER BY of the list
    measure_key: str  # what Indicator.measure stores for the IKU this register measures
    measure_label: str
    provider: Provider  # (office_id, year, rule) -> Measured, from approved rows only
    nav_order: int
    check: Callable[[dict, int], dict[str, str]] = _no_errors  # (form data, year) -> field errors
    derive: Callable[[Any], None] = _nothing  # computed columns, set before every save
    before_create: Callable[[Any], None] = _nothing  # raises RegisterError to refuse a new row
    cells_template: str = "registers/cells/generic.html"  # macros head(reg, opt) and cells(reg, r, opt)
    columns: tuple[tuple[str, str], ...] = ()  # (label, attribute) for the generic cells template
    state_header: str = field(default=_l("Status"))  # header of the review-state column
    list_extra: str | None = None  # a template shown above the list (e.g. the Excel import)
    rule_policy: RulePolicy = POOLED_RATIO  # a count over a count: year and s.d. TW from pooled counts
    # (office_ids, year, rule) -> {office_id: Measured} in one query (the kabupaten console); without it the
    # console asks ``provider`` once per office
    provider_many: Callable[..., dict] | None = None
    # the triwulan a row is reported in (None: no due date); its entry is due IKU_REGISTER_DUE_DAYS days after
    # that triwulan ends (``operations.register_due_date``)
    triwulan_of: Callable[[Any], int | None] = lambda row: None

    # row -> whether the row claims the work done and so needs its evidence file before it is submitted
    # (checked on "Ajukan" and on "Ajukan semua"); None: evidence is never required
    evidence_required_when: Callable[[Any], bool] | None = None
    # The list at hundreds of rows (registers/listing.py): its filters (each a select of the GET form), the
    # text columns the search reads, the sort keys a URL may ask for, and what the totals above it count.
    filters: tuple[ListFilter, ...] = ()
    search: tuple[str, ...] = ()
    sorts: tuple[SortKey, ...] = ()
    tally: Tally | None = None
    # (form, office_id, row or None) -> None: fills choices that depend on the office (the desa dropdown)
    prepare_form: Callable[[Any, int, Any], None] = lambda form, office_id, row: None

    def entry_url(self, entry) -> str:
        """The page of the row behind a workflow entry (the review queue links to it)."""
        from ..extensions import db

        row_id = db.session.scalar(sa.select(self.model.id).where(self.model.entry_id == entry.id))
        if row_id is None:
            return url_for("workflow.entry", entry_id=entry.id)
        return url_for("registers.detail", register=self.slug, row_id=row_id)

    def data_page(self, year: int) -> tuple[str, dict]:
        return "registers.index", {"register": self.slug, "year": year}


def _submit_guard(entry, action, user) -> str | None:
    from .operations import submit_guard

    return submit_guard(entry, action, user)


def _submit_hook(entry, action, user) -> None:
    from .operations import submit_hook

    submit_hook(entry, action, user)


def capability(name: str, specs: tuple[RegisterSpec, ...], blueprints: tuple[Blueprint, ...] = (),
               seeders: tuple = (), cli_groups: tuple = ()) -> Capability:
    """The capability declaring ``specs``: each one's workflow kind, menu entry and measure."""
    return Capability(
        name=name,
        blueprints=blueprints,
        registers=specs,
        seeders=seeders,
        cli_groups=cli_groups,
        workflow_kinds=tuple(Kind(s.kind, s.label, url=s.entry_url, hooks=(_submit_hook,), guards=(_submit_guard,))
                             for s in specs),
        measures=tuple(Measure(s.measure_key, s.measure_label, s.provider, data_page=s.data_page, policy=s.rule_policy,
                               many=s.provider_many)
                       for s in specs),
        nav=tuple(NavItem(f"registers.{s.slug}", s.label, "registers.index_current", "entry.view",
                          group=_l("Register"), order=s.nav_order, values={"register": s.slug}) for s in specs),
    )


# ---------------------------------------------------------------------------------- the four registers

def _text(value) -> str:
    return (value or "").strip()


def _desa_choices(form, office_id, row) -> None:
    from .desa import choices

    form.desa.choices = choices(office_id, row.desa if row is not None else None)


def _sort(key, label, *attrs) -> SortKey:
    return SortKey(key, label, lambda model: tuple(getattr(model, a) for a in attrs))


def _activity(d):
    return dict(name=d["name"].strip(), kind=ActivityKind(d["kind"]), planned_triwulan=d["planned_triwulan"],
                desa=_text(d["desa"]), facilitated=bool(d["facilitated"]), facilitated_on=d["facilitated_on"],
                evidence_note=_text(d["evidence_note"]))


def _complaint(d):
    return dict(received_on=d["received_on"], channel=ComplaintChannel(d["channel"]), desa=_text(d["desa"]),
                summary=d["summary"].strip(), status=ComplaintStatus(d["status"]), resolved_on=d["resolved_on"],
                resolution=_text(d["resolution"]), evidence_note=_text(d["evidence_note"]))


def _sakip(d):
    return dict(score=d["score"], lhe_reference=d["lhe_reference"].strip(), lhe_date=d["lhe_date"],
                evidence_note=_text(d["evidence_note"]))


def _program(d):
    return dict(program=d["program"].strip(), indicator=d["indicator"].strip(), unit=d["unit"].strip(),
                polarity=Polarity(d["polarity"]), target=d["target"], realisation=d["realisation"],
                evidence_note=_text(d["evidence_note"]))


def _check_activity(d, year):
    return activity_errors(bool(d["facilitated"]), d["facilitated_on"], year)


def _check_complaint(d, year):
    return complaint_errors(d["received_on"], d["status"], d["resolved_on"], year=year, today=date.today())


def _complaint_year(row) -> None:
    row.year = row.received_on.year


def _program_achieved(row) -> None:
    row.achieved = program_achieved(row.realisation, row.target, row.polarity)


def _one_sakip_per_year(row) -> None:
    from ..extensions import db

    if db.session.scalar(sa.select(SakipEvaluation.id).where(
            SakipEvaluation.office_id == row.office_id, SakipEvaluation.year == row.year)) is not None:
        raise RegisterError(_("Nilai SAKIP tahun %(year)s sudah dicatat; ubah data yang ada.", year=row.year))


KEGIATAN = RegisterSpec(
    slug="kegiatan", iku=3, label=_l("Kegiatan pemberdayaan (IKU 3)"), title=_l("Kegiatan pemberdayaan masyarakat"),
    model=Activity, kind="activity", section="pmks", form=ActivityForm,
    fields=("name", "kind", "planned_triwulan", "desa", "facilitated", "facilitated_on", "evidence_note"),
    convert=_activity, check=_check_activity, title_of=lambda row: row.name,
    order=(Activity.planned_triwulan, Activity.id), triwulan_of=lambda row: row.planned_triwulan,
    measure_key="ratio:activities", measure_label=_l("Rasio kegiatan pemberdayaan yang difasilitasi"),
    provider=providers.activities, provider_many=providers.activities_many, nav_order=20, cells_template="registers/cells/kegiatan.html",
    # "Sudah difasilitasi" claims the activity happened: its evidence (daftar hadir, foto) comes with it
    evidence_required_when=lambda row: bool(row.facilitated),
    filters=(state_filter(_l("Tinjauan")), yes_no_filter("difasilitasi", _l("Difasilitasi"), "facilitated", _l("Sudah"), _l("Belum"),
                                                       ("sudah", "belum")),
             desa_filter(_l("Desa")), triwulan_filter(_l("Rencana"), "planned_triwulan"),
             enum_filter("jenis", _l("Jenis"), ActivityKind, "kind")),
    search=("name", "desa", "evidence_note"),
    sorts=(_sort("rencana", _l("Rencana"), "planned_triwulan"), _sort("kegiatan", _l("Kegiatan"), "name"),
           _sort("jenis", _l("Jenis"), "kind"), _sort("desa", _l("Desa"), "desa"),
           _sort("difasilitasi", _l("Difasilitasi"), "facilitated", "facilitated_on")),
    tally=Tally(_l("kegiatan"), lambda m: m.facilitated, lambda: {True: _("sudah difasilitasi"), False: _("belum")}),
    prepare_form=_desa_choices,
)

PENGADUAN = RegisterSpec(
    slug="pengaduan", iku=4, label=_l("Pengaduan trantib (IKU 4)"),
    title=_l("Pengaduan ketenteraman dan ketertiban umum"),
    model=Complaint, kind="complaint", section="trantib", form=ComplaintForm,
    fields=("received_on", "channel", "desa", "summary", "status", "resolved_on", "resolution", "evidence_note"),
    convert=_complaint, check=_check_complaint, derive=_complaint_year,
    title_of=lambda row: f"{row.received_on:%d-%m-%Y} {row.summary}"[:255],
    order=(Complaint.received_on, Complaint.id),
    triwulan_of=lambda row: (row.received_on.month - 1) // 3 + 1 if row.received_on else None,
    measure_key="ratio:complaints", measure_label=_l("Rasio pengaduan trantib yang diselesaikan"),
    provider=providers.complaints, provider_many=providers.complaints_many, nav_order=21, cells_template="registers/cells/pengaduan.html",
    # the complaint's own "Status" column is its handling; the review state gets another name
    state_header=_l("Tinjauan"),
    # "Selesai" claims the complaint resolved: its evidence (berita acara) comes with it
    evidence_required_when=lambda row: row.status == ComplaintStatus.SELESAI,
    filters=(state_filter(_l("Tinjauan")), enum_filter("status", _l("Status"), ComplaintStatus, "status"),
             desa_filter(_l("Desa")), month_filter(_l("Bulan diterima"), "received_on"),
             enum_filter("media", _l("Media"), ComplaintChannel, "channel")),
    search=("summary", "desa", "resolution", "evidence_note"),
    sorts=(_sort("diterima", _l("Diterima"), "received_on"), _sort("desa", _l("Desa"), "desa"),
           _sort("media", _l("Media"), "channel"), _sort("status", _l("Status"), "status"),
           _sort("selesai", _l("Tanggal selesai"), "resolved_on")),
    tally=Tally(_l("pengaduan"), lambda m: m.status, lambda: {s: s.label.lower() for s in ComplaintStatus}),
    prepare_form=_desa_choices,
)

SAKIP = RegisterSpec(
    slug="sakip", iku=5, label=_l("Nilai SAKIP (IKU 5)"), title=_l("Nilai evaluasi SAKIP"),
    model=SakipEvaluation, kind="sakip", section="sekretariat", form=SakipForm,
    fields=("score", "lhe_reference", "lhe_date", "evidence_note"),
    convert=_sakip, before_create=_one_sakip_per_year, title_of=lambda row: f"Nilai SAKIP {row.year}",
    order=(SakipEvaluation.id,),
    measure_key="score:sakip", measure_label=_l("Nilai evaluasi SAKIP (LHE)"),
    provider=providers.sakip, provider_many=providers.sakip_many, rule_policy=ONE_SCORE, nav_order=22, cells_template="registers/cells/sakip.html",
    filters=(state_filter(_l("Tinjauan")),),
)

PROGRAM = RegisterSpec(
    slug="program", iku=6, label=_l("Indikator program (IKU 6)"), title=_l("Indikator program (Renja/DPA)"),
    model=ProgramIndicator, kind="program", section="sekretariat", form=ProgramForm,
    fields=("program", "indicator", "unit", "polarity", "target", "realisation", "evidence_note"),
    convert=_program, derive=_program_achieved, title_of=lambda row: f"{row.program}: {row.indicator}"[:255],
    order=(ProgramIndicator.program, ProgramIndicator.id), triwulan_of=lambda row: 4,  # reported with the year
    measure_key="ratio:programs", measure_label=_l("Rasio indikator program yang tercapai"),
    provider=providers.programs, provider_many=providers.programs_many, nav_order=23, cells_template="registers/cells/program.html",
    list_extra="registers/_program_import.html",
    filters=(state_filter(_l("Tinjauan")), yes_no_filter("tercapai", _l("Tercapai"), "achieved", _l("Ya"), _l("Tidak"))),
    search=("program", "indicator", "unit", "evidence_note"),
    sorts=(_sort("program", _l("Program"), "program"), _sort("indikator", _l("Indikator"), "indicator"),
           _sort("tercapai", _l("Tercapai"), "achieved")),
    tally=Tally(_l("indikator"), lambda m: m.achieved, lambda: {True: _("tercapai"), False: _("belum tercapai")}),
)

ALL = (KEGIATAN, PENGADUAN, SAKIP, PROGRAM)
