"""The kabupaten's pages: the console, its offices (read-only, and new ones), the standard sets."""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .. import audit
from ..access import kabupaten_office_or_404, require
from ..auth.forms import EmptyForm
from ..capability import registry
from ..domain.capaian import DEFAULT_SCALE
from ..domain.text import SafeSheet
from ..extensions import db
from ..labels import QUARTER_SHORT
from ..indicators.summary import document_completion, year_summary
from ..models import EntryState, Kabupaten, Office, RequiredDocument, StandardDocument, StandardIndicator
from ..reports import XLSX_MIME, cells
from ..reports.capaian_report import BAND_FILL
from ..url_params import query_int
from . import bp, standard
from .console import PERIODS, RANKING_RULE, console as build_console
from .forms import OfficeCreateForm, StandardDocumentForm, StandardIndicatorForm
from .offices import OfficeSetupError, setup_office


def _kabupaten() -> Kabupaten:
    kab = db.session.get(Kabupaten, current_user.kabupaten_id) if current_user.kabupaten_id else None
    if kab is None:
        abort(403)
    return kab


def period_label(period: int | None) -> str:
    return _("Tahun") if period is None else _("s.d. %(tw)s", tw=QUARTER_SHORT[period])


def _console_args() -> tuple[int, int | None, str, str]:
    year = query_int("tahun", date.today().year, low=2000, high=2100)
    raw = request.args.get("periode", "").strip()
    if raw in ("", "tahun"):
        period = None
    elif raw in ("1", "2", "3", "4"):
        period = int(raw)
    else:
        abort(400)
    q = request.args.get("q", "").strip()[:80]
    band = request.args.get("kriteria", "").strip()
    if band and band not in {b.code for b in DEFAULT_SCALE}:
        abort(400)
    return year, period, q, band


@bp.route("/")
@login_required
def console():
    """Office × IKU and office × required document of a year and period, with the ranking."""
    require("kabupaten.view")
    kab = _kabupaten()
    year, period, q, band = _console_args()
    data = build_console(kab.id, year, period, q=q, band=band)
    this = date.today().year
    years = sorted(set(standard.standard_years(kab.id)) | {this - 1, this, this + 1, year})
    return render_template("kabupaten/console.html", kab=kab, year=year, period=period, q=q, band=band,
                           periods=PERIODS, period_label=period_label, scale=DEFAULT_SCALE, years=years,
                           ranking_rule=RANKING_RULE, tables=_console_tables(data))


def _console_tables(data) -> Markup:
    """The two matrices as HTML, rendered once per matrix, filters and language: they hold nothing of the
    reader (no form, no token), so every kabupaten user of the same console gets the same tables."""
    from collections import OrderedDict

    from flask import current_app
    from flask_babel import get_locale

    cache = current_app.extensions.setdefault("iku_console_tables", OrderedDict())
    key = (data.key, str(get_locale()))
    html = cache.get(key)
    if html is None:
        html = Markup(render_template("kabupaten/_console_tables.html", data=data, year=data.year,
                                      period=data.period, states=EntryState, period_label=period_label))
        cache[key] = html
        while len(cache) > 64:
            cache.popitem(last=False)
    return html


@bp.route("/capaian.xlsx")
@login_required
def console_excel():
    """The console as a workbook: capaian, required documents and the ranking, filters applied."""
    require("kabupaten.view")
    kab = _kabupaten()
    year, period, q, band = _console_args()
    data = build_console(kab.id, year, period, q=q, band=band)
    wb = Workbook()
    ws = SafeSheet(wb.active)
    ws.title = "Capaian IKU"
    ws.append([f"CAPAIAN IKU KECAMATAN SE-{kab.full_name.upper()} TAHUN {year} ({period_label(period).upper()})"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    head = ["Peringkat", "Kecamatan"]
    for number, name in data.iku_columns:
        head += [f"IKU {number} target", f"IKU {number} realisasi", f"IKU {number} capaian (%)", f"IKU {number} kriteria"]
    head += ["Kelengkapan dokumen (%)"]
    ws.append(head)
    for row in data.rows:
        values = [row.rank or "", row.office.full_name]
        for number, _name in data.iku_columns:
            cell = row.iku.get(number)
            values += ([float(cell.target) if cell.target is not None else None,
                        float(cell.realisation) if cell.realisation is not None else None,
                        float(cell.capaian) if cell.capaian is not None else None,
                        cell.band.label if cell.band else "Belum ada data"] if cell else [None, None, None, "—"])
        values.append(float(row.completion) if row.completion is not None else None)
        ws.append(values)
        for offset, (number, _name) in enumerate(data.iku_columns):
            cell = row.iku.get(number)
            if cell and cell.band and cell.band.code in BAND_FILL:
                ws.cell(row=ws.max_row, column=3 + offset * 4 + 3).fill = PatternFill("solid", fgColor=BAND_FILL[cell.band.code])
    docs = SafeSheet(wb.create_sheet("Dokumen wajib"))
    docs.append(["Kecamatan"] + [name for _code, name in data.document_columns] + ["Terlambat", "Kelengkapan (%)"])
    for row in data.rows:
        values = [row.office.full_name]
        for code, _name in data.document_columns:
            cell = row.documents.get(code)
            if cell is None:
                values.append("tidak diwajibkan")
            else:
                text = str(cell.state.label)
                if cell.late:
                    text += " · terlambat"
                if cell.missing:
                    text += " · belum ada berkas"
                values.append(text)
        values += [row.late_count, float(row.completion) if row.completion is not None else None]
        docs.append(values)
    rank = SafeSheet(wb.create_sheet("Peringkat"))
    rank.append(["Aturan: " + str(RANKING_RULE)])
    rank.append(["Peringkat", "Kecamatan", "Rata-rata capaian (%)", "Kelengkapan dokumen (%)"])
    for row in sorted(data.rows, key=lambda r: (r.rank is None, r.rank or 0, r.office.name)):
        rank.append([row.rank or "—", row.office.full_name, float(round(row.score, 2)) if row.score is not None else None,
                     float(row.completion) if row.completion is not None else None])
    cells.text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    name = f"konsol-{kab.code}-{year}-{'tahun' if period is None else 'tw' + str(period)}.xlsx"
    return Response(out.getvalue(), mimetype=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/kecamatan")
@login_required
def offices():
    require("kabupaten.view")
    kab = _kabupaten()
    rows = list(db.session.scalars(sa.select(Office).where(Office.kabupaten_id == kab.id).order_by(Office.name)))
    return render_template("kabupaten/offices.html", kab=kab, offices=rows, year=date.today().year)


@bp.route("/kecamatan/<code>/<int:year>")
@login_required
def office(code: str, year: int):
    """One office's year, read-only: the same numbers as its dashboard, and its required documents."""
    require("kabupaten.view")
    kab = _kabupaten()
    office = kabupaten_office_or_404(code)
    if not 2000 <= year <= 2100:
        abort(404)
    items = year_summary(office.id, year)
    documents = list(db.session.scalars(sa.select(RequiredDocument).where(
        RequiredDocument.office_id == office.id, RequiredDocument.year == year).order_by(RequiredDocument.id)))
    # what the installed capabilities keep of the year (the PK, the renaksi), each as its own read-only section
    panels = [Markup(panel(office, year)) for panel in registry().office_panels]
    return render_template("kabupaten/office.html", kab=kab, office=office, year=year, items=items,
                           documents=documents, completion=document_completion(office.id, year),
                           tw_labels=QUARTER_SHORT, today=date.today(), panels=panels)


@bp.route("/kecamatan/baru", methods=["GET", "POST"])
@login_required
def office_new():
    """The kabupaten admin sets up a kecamatan from the standard sets."""
    require("kabupaten.manage")
    kab = _kabupaten()
    form = OfficeCreateForm()
    if request.method == "GET":
        form.year.data = date.today().year
    if form.validate_on_submit():
        try:
            office, counts = setup_office(
                code=form.code.data, name=form.name.data, kabupaten=kab, address=form.address.data or "",
                telephone=form.telephone.data or "", camat_name=form.camat_name.data or "",
                camat_nip=form.camat_nip.data or "", camat_pangkat=form.camat_pangkat.data or "",
                years=[form.year.data], user=current_user)
        except OfficeSetupError as exc:
            target = getattr(form, exc.field or "", None) or form.code
            target.errors = list(target.errors or []) + [str(exc)]
        else:
            audit.record("office.created", office_id=office.id, obj=office, kabupaten=kab.code, via="web")
            db.session.commit()
            indicators, documents = counts[form.year.data]
            flash(_("%(office)s dibuat: %(s)s seksi, %(i)s IKU dan %(d)s dokumen wajib tahun %(y)s dari standar "
                    "kabupaten. Tambahkan penggunanya sekarang.", office=office.full_name, s=len(office.sections),
                    i=indicators, d=documents, y=form.year.data), "success")
            return redirect(url_for("kabupaten.office_users", code=office.code))
    return render_template("kabupaten/office_new.html", kab=kab, form=form,
                           standard_years=standard.standard_years(kab.id)), 422 if request.method == "POST" else 200


@bp.route("/kecamatan/<code>/pengguna")
@login_required
def office_users(code: str):
    require("kabupaten.view")
    kab = _kabupaten()
    office = kabupaten_office_or_404(code)
    from ..models import User

    from ..pagination import paginate

    page = paginate(sa.select(User).where(User.office_id == office.id).order_by(User.username, User.id))
    return render_template("kabupaten/office_users.html", kab=kab, office=office, users=page.items, page=page)


@bp.route("/kecamatan/<code>/pengguna/impor", methods=["GET", "POST"])
@login_required
def office_users_import(code: str):
    """The kabupaten admin gives a kecamatan its users from a sheet (the office admin's importer)."""
    from ..admin.views import import_users_page

    require("kabupaten.manage")
    _kabupaten()
    office = kabupaten_office_or_404(code)
    return import_users_page(office, back_url=url_for("kabupaten.office_users", code=office.code))


@bp.route("/pengguna/templat.xlsx")
@login_required
def user_import_template():
    from ..admin import user_import

    require("kabupaten.manage")
    return Response(user_import.template_xlsx(), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": 'attachment; filename="templat-pengguna.xlsx"'})


# -- the standard sets -----------------------------------------------------------------------------------

@bp.route("/standar")
@login_required
def standard_current():
    require("kabupaten.view")
    kab = _kabupaten()
    years = standard.standard_years(kab.id)
    this = date.today().year
    return redirect(url_for("kabupaten.standard_year", year=this if this in years or not years else years[-1]))


@bp.route("/standar/<int:year>")
@login_required
def standard_year(year: int):
    require("kabupaten.view")
    kab = _kabupaten()
    if not 2000 <= year <= 2100:
        abort(404)
    return render_template(
        "kabupaten/standard.html", kab=kab, year=year, years=standard.standard_years(kab.id),
        sections=standard.section_template(kab), tujuan=standard.goals(kab.id, year, "tujuan"),
        indikator_tujuan=standard.goals(kab.id, year, "indikator"),
        indicators=standard.standard_indicators(kab.id, year), documents=standard.standard_documents(kab.id, year),
        form=EmptyForm())


@bp.route("/standar/<int:year>/salin", methods=["POST"])
@login_required
def standard_copy(year: int):
    """Start ``year`` from the previous year's set."""
    require("kabupaten.manage")
    kab = _kabupaten()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        count = standard.copy_standard_year(kab, year - 1, year)
    except standard.StandardError as exc:
        flash(str(exc), "danger")
    else:
        if count:
            audit.record("kabupaten.standard_copied", office_id=None, kabupaten=kab.code, source=year - 1, dest=year)
            db.session.commit()
            flash(_("Standar tahun %(y)s disalin dari tahun %(p)s (%(n)s baris).", y=year, p=year - 1, n=count), "success")
        else:
            flash(_("Tahun %(p)s belum memiliki standar untuk disalin.", p=year - 1), "warning")
    return redirect(url_for("kabupaten.standard_year", year=year))


def _standard_indicator_or_404(std_id: int) -> StandardIndicator:
    std = db.session.get(StandardIndicator, std_id)
    if std is None or std.kabupaten_id != current_user.kabupaten_id:
        abort(404)
    return std


def _indicator_form(form_cls, std: StandardIndicator | None):
    from ..indicators.forms import measure_choices
    from .. import measures

    form = form_cls(obj=std)
    form.measure.choices = measure_choices(measures.declared())
    if request.method == "GET" and std is not None:
        from ..domain.formulation_text import blocks_to_text

        form.section_codes.data = ", ".join(std.section_codes or [])
        form.formulation.data = blocks_to_text(std.formulation or [])
        for name in ("unit", "polarity", "lower_formula"):
            getattr(form, name).data = getattr(std, name).value
        form.year_rule.data = measures.policy(std.measure).effective(std.year_rule).value  # what applies
    return form


def _posted_indicator(form, known: set[str]) -> dict | None:
    """The standard IKU's fields from a valid POST, or None with the errors next to the fields."""
    from ..domain.capaian import LowerFormula, Polarity, YearRule
    from ..domain.formulation import FormulationError
    from ..domain.formulation_text import text_to_blocks
    from ..indicators.operations import rule_refusal
    from ..indicators.views import _formulation_message
    from ..models import Unit

    codes = [c.strip() for c in (form.section_codes.data or "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        form.section_codes.errors = [_("Kode seksi tidak dikenal: %(c)s. Pilihan: %(k)s.", c=", ".join(unknown),
                                       k=", ".join(sorted(known)))]
    rule_error = rule_refusal(form.measure.data, form.year_rule.data)
    if rule_error:
        form.year_rule.errors = [rule_error]
    try:
        blocks = text_to_blocks(form.formulation.data or "")
    except FormulationError as exc:
        form.formulation.errors = [_formulation_message(exc)]
        blocks = None
    if unknown or rule_error or blocks is None:
        return None
    return dict(kinerja_utama=form.kinerja_utama.data.strip(), name=form.name.data.strip(), formulation=blocks,
                sumber_data=(form.sumber_data.data or "").strip(), bidang_text=(form.bidang_text.data or "").strip(),
                section_codes=codes, unit=Unit(form.unit.data), polarity=Polarity(form.polarity.data),
                lower_formula=LowerFormula(form.lower_formula.data), year_rule=YearRule(form.year_rule.data),
                measure=form.measure.data, default_target=form.default_target.data)


@bp.route("/standar/iku/<int:std_id>", methods=["GET", "POST"])
@login_required
def standard_indicator(std_id: int):
    """Edit one IKU of the standard: its texts, how it is measured, default sections and target."""
    require("kabupaten.manage")
    kab = _kabupaten()
    std = _standard_indicator_or_404(std_id)
    form = _indicator_form(StandardIndicatorForm, std)
    known = {s.code for s in standard.section_template(kab)}
    if form.validate_on_submit() and (fields := _posted_indicator(form, known)) is not None:
        before = standard.standard_indicator_content(std, known)
        for name, value in fields.items():
            setattr(std, name, value)
        audit.record("kabupaten.standard_indicator_changed", office_id=None, kabupaten=kab.code, year=std.year,
                     number=std.number, differs=list(standard._differs(
                         standard.standard_indicator_content(std, known), before)))
        db.session.commit()
        flash(_("IKU %(n)s standar tahun %(y)s disimpan. Kecamatan akan ditawari perubahan ini.",
                n=std.number, y=std.year), "success")
        return redirect(url_for("kabupaten.standard_year", year=std.year))
    return render_template("kabupaten/standard_indicator.html", kab=kab, std=std, year=std.year, form=form,
                           known=sorted(known)), 422 if form.errors else 200


@bp.route("/standar/<int:year>/iku/baru", methods=["GET", "POST"])
@login_required
def standard_indicator_new(year: int):
    """Add an IKU to the year's standard set (offices are offered it as an addition)."""
    from .forms import StandardIndicatorAddForm

    require("kabupaten.manage")
    kab = _kabupaten()
    if not 2000 <= year <= 2100:
        abort(404)
    form = _indicator_form(StandardIndicatorAddForm, None)
    taken = {s.number for s in standard.standard_indicators(kab.id, year)}
    if request.method == "GET":
        form.number.data = next(n for n in range(1, 100) if n not in taken) if len(taken) < 99 else None
    known = {s.code for s in standard.section_template(kab)}
    if form.validate_on_submit():
        fields = _posted_indicator(form, known)
        if form.number.data in taken:
            form.number.errors = [_("IKU nomor %(n)s sudah ada di standar tahun ini.", n=form.number.data)]
            fields = None
        if fields is not None:
            std = StandardIndicator(kabupaten_id=kab.id, year=year, number=form.number.data, **fields)
            db.session.add(std)
            db.session.flush()
            audit.record("kabupaten.standard_indicator_added", office_id=None, kabupaten=kab.code, year=year,
                         number=std.number)
            db.session.commit()
            flash(_("IKU %(n)s ditambahkan ke standar tahun %(y)s. Kecamatan akan ditawari tambahan ini.",
                    n=std.number, y=year), "success")
            return redirect(url_for("kabupaten.standard_year", year=year))
    return render_template("kabupaten/standard_indicator.html", kab=kab, std=None, year=year, form=form,
                           known=sorted(known)), 422 if form.errors else 200


@bp.route("/standar/iku/<int:std_id>/hapus", methods=["POST"])
@login_required
def standard_indicator_delete(std_id: int):
    require("kabupaten.manage")
    kab = _kabupaten()
    std = _standard_indicator_or_404(std_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    year, number = std.year, std.number
    audit.record("kabupaten.standard_indicator_removed", office_id=None, kabupaten=kab.code, year=year, number=number)
    db.session.delete(std)  # offices keep their copies (standard_id is set to NULL)
    db.session.commit()
    flash(_("IKU %(n)s dihapus dari standar tahun %(y)s. Salinan di kecamatan tetap ada.", n=number, y=year),
          "success")
    return redirect(url_for("kabupaten.standard_year", year=year))


@bp.route("/standar/<int:year>/tujuan", methods=["GET", "POST"])
@login_required
def standard_goals(year: int):
    """The year's tujuan and indikator tujuan of the standard, one per line."""
    from ..models import StandardGoal
    from .forms import StandardGoalsForm

    require("kabupaten.manage")
    kab = _kabupaten()
    if not 2000 <= year <= 2100:
        abort(404)
    form = StandardGoalsForm()
    if request.method == "GET":
        form.tujuan.data = "\n".join(g.text for g in standard.goals(kab.id, year, "tujuan"))
        form.indikator_tujuan.data = "\n".join(g.text for g in standard.goals(kab.id, year, "indikator"))
    if form.validate_on_submit():
        for kind, field in (("tujuan", form.tujuan), ("indikator", form.indikator_tujuan)):
            db.session.execute(sa.delete(StandardGoal).where(StandardGoal.kabupaten_id == kab.id,
                                                             StandardGoal.year == year, StandardGoal.kind == kind))
            lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
            for position, text in enumerate(lines, start=1):
                db.session.add(StandardGoal(kabupaten_id=kab.id, year=year, kind=kind, position=position, text=text))
        audit.record("kabupaten.standard_goals_changed", office_id=None, kabupaten=kab.code, year=year)
        db.session.commit()
        flash(_("Tujuan standar tahun %(y)s disimpan; kecamatan baru menyalinnya.", y=year), "success")
        return redirect(url_for("kabupaten.standard_year", year=year))
    return render_template("kabupaten/standard_goals.html", kab=kab, year=year, form=form), 422 if form.errors else 200


@bp.route("/standar/<int:year>/keputusan", methods=["GET", "POST"])
@login_required
def standard_decree(year: int):
    """The year's default texts of the decree on the IKU: what a kecamatan's new decree starts from."""
    from ..models import StandardDecreeText
    from ..seed import gumukmas_2025 as seed
    from .defaults import KECAMATAN
    from .forms import StandardDecreeForm

    require("kabupaten.view")
    kab = _kabupaten()
    if not 2000 <= year <= 2100:
        abort(404)
    std = db.session.scalar(sa.select(StandardDecreeText).where(StandardDecreeText.kabupaten_id == kab.id,
                                                                StandardDecreeText.year == year))
    form = StandardDecreeForm()
    if request.method == "GET":
        form.tentang.data = std.tentang if std else seed.default_tentang(KECAMATAN, "{kabupaten}")
        for name, default in (("menimbang", seed.default_menimbang(KECAMATAN, "{kabupaten}")),
                              ("mengingat", seed.default_mengingat()), ("memperhatikan", [])):
            getattr(form, name).data = "\n".join(getattr(std, name) if std else default)
    elif request.method == "POST":
        require("kabupaten.manage")
        if form.validate_on_submit():
            if std is None:
                std = StandardDecreeText(kabupaten_id=kab.id, year=year, tentang="")
                db.session.add(std)
            std.tentang = " ".join(form.tentang.data.split())
            for name in ("menimbang", "mengingat", "memperhatikan"):
                setattr(std, name, [line.strip() for line in (getattr(form, name).data or "").splitlines()
                                    if line.strip()])
            audit.record("kabupaten.standard_decree_changed", office_id=None, kabupaten=kab.code, year=year)
            db.session.commit()
            flash(_("Teks bawaan keputusan tahun %(y)s disimpan; keputusan baru kecamatan dimulai darinya.", y=year),
                  "success")
            return redirect(url_for("kabupaten.standard_year", year=year))
    return render_template("kabupaten/standard_decree.html", kab=kab, year=year, form=form, stored=std is not None), \
        422 if form.errors else 200


@bp.route("/standar/seksi", methods=["GET", "POST"])
@login_required
def standard_sections():
    """The section template: the kinds of section every new kecamatan gets (existing offices keep theirs)."""
    import re

    from ..models import StandardSection
    from .forms import StandardSectionForm

    require("kabupaten.view")
    kab = _kabupaten()
    form = StandardSectionForm()
    if request.method == "POST":
        require("kabupaten.manage")
        if form.validate_on_submit():
            code = (form.code.data or "").strip().lower()
            existing = db.session.scalar(sa.select(StandardSection).where(StandardSection.kabupaten_id == kab.id,
                                                                          StandardSection.code == code))
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,39}", code):
                form.code.errors = [_("Kode hanya huruf kecil, angka, '-' atau '_' (2–40 karakter).")]
            else:
                if existing is None:
                    position = (db.session.scalar(sa.select(sa.func.max(StandardSection.position)).where(
                        StandardSection.kabupaten_id == kab.id)) or 0) + 1
                    existing = StandardSection(kabupaten_id=kab.id, code=code, position=position, name="", short_name="")
                    db.session.add(existing)
                existing.name, existing.short_name = form.name.data.strip(), form.short_name.data.strip()
                audit.record("kabupaten.standard_section_saved", office_id=None, kabupaten=kab.code, code=code)
                db.session.commit()
                flash(_("Seksi \u201c%(n)s\u201d disimpan di templat; kecamatan baru mendapatkannya.",
                        n=existing.name), "success")
                return redirect(url_for("kabupaten.standard_sections"))
    return render_template("kabupaten/standard_sections.html", kab=kab, form=form,
                           sections=standard.section_template(kab)), 422 if form.errors else 200


def _document_form(kab: Kabupaten, obj=None) -> StandardDocumentForm:
    form = StandardDocumentForm(obj=obj)
    from wtforms import SelectChoice

    form.section_code.choices = [SelectChoice(s.code, s.name) for s in standard.section_template(kab)]
    return form


@bp.route("/standar/<int:year>/dokumen/baru", methods=["GET", "POST"])
@login_required
def standard_document_new(year: int):
    """Add one required document to the year's catalogue, with its due date (the jadwal)."""
    return _standard_document(year, None)


@bp.route("/standar/dokumen/<int:std_id>", methods=["GET", "POST"])
@login_required
def standard_document(std_id: int):
    """Edit one required document of the catalogue and its due date."""
    return _standard_document(None, std_id)


def _standard_document(year: int | None, std_id: int | None):
    require("kabupaten.manage")
    kab = _kabupaten()
    std = None
    if std_id is not None:
        std = db.session.get(StandardDocument, std_id)
        if std is None or std.kabupaten_id != kab.id:
            abort(404)
        year = std.year
    elif not 2000 <= year <= 2100:
        abort(404)
    form = _document_form(kab, std)
    if request.method == "GET" and std is not None:
        form.group.data = std.group.value
    if form.validate_on_submit():
        import re

        code = (form.code.data or "").strip().lower()
        clash = db.session.scalar(sa.select(StandardDocument.id).where(
            StandardDocument.kabupaten_id == kab.id, StandardDocument.year == year, StandardDocument.code == code))
        try:
            date(2024, form.due_month.data, form.due_day.data)  # 29 February is a due date in a leap year
            valid_day = True
        except ValueError:
            valid_day = False
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,39}", code):
            form.code.errors = [_("Kode hanya huruf kecil, angka, '-' atau '_' (2–40 karakter).")]
        elif clash is not None and (std is None or clash != std.id):
            form.code.errors = [_("Kode “%(c)s” sudah dipakai di standar tahun ini.", c=code)]
        elif not valid_day:
            form.due_day.errors = [_("Tanggal itu tidak ada pada bulan tersebut.")]
        else:
            from ..models import DocumentGroup

            if std is None:
                position = (db.session.scalar(sa.select(sa.func.max(StandardDocument.position)).where(
                    StandardDocument.kabupaten_id == kab.id, StandardDocument.year == year)) or 0) + 1
                std = StandardDocument(kabupaten_id=kab.id, year=year, position=position, code=code, name="",
                                       group=DocumentGroup(form.group.data), section_code="", due_month=1, due_day=1)
                db.session.add(std)
            std.code, std.name = code, form.name.data.strip()
            std.group = DocumentGroup(form.group.data)
            std.section_code = form.section_code.data
            std.due_month, std.due_day = form.due_month.data, form.due_day.data
            db.session.flush()
            audit.record("kabupaten.standard_document_saved", office_id=None, kabupaten=kab.code, year=year, code=code,
                         due=f"{std.due_day:02d}-{std.due_month:02d}")
            db.session.commit()
            flash(_("Dokumen “%(n)s” standar tahun %(y)s disimpan.", n=std.name, y=year), "success")
            return redirect(url_for("kabupaten.standard_year", year=year))
    return render_template("kabupaten/standard_document.html", kab=kab, std=std, year=year,
                           form=form), 422 if form.errors else 200


@bp.route("/standar/dokumen/<int:std_id>/hapus", methods=["POST"])
@login_required
def standard_document_delete(std_id: int):
    require("kabupaten.manage")
    kab = _kabupaten()
    std = db.session.get(StandardDocument, std_id)
    if std is None or std.kabupaten_id != kab.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    year, name = std.year, std.name
    audit.record("kabupaten.standard_document_removed", office_id=None, kabupaten=kab.code, year=year, code=std.code)
    db.session.delete(std)  # offices keep their copies (standard_id is set to NULL)
    db.session.commit()
    flash(_("“%(n)s” dihapus dari standar tahun %(y)s. Salinan di kecamatan tetap ada.", n=name, y=year),
          "success")
    return redirect(url_for("kabupaten.standard_year", year=year))
