"""Pages of the Perjanjian Kinerja: the list with a new-PK form, the edit page (parties, table 1, versions, the
signed final, PK Perubahan), downloads of versions and the signed scan."""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import storage
from ..access import can, load_or_404, require, scoped
from ..extensions import db
from ..models import Indicator, PerformanceAgreement, PerformanceVersion, PkLevel, Section
from ..reports import DOCX_MIME
from ..url_params import MAX_ID
from ..formatting import format_date, format_nip
from ..indicators.forms import opts
from ..reports.pk import target_text
from . import bp, content, operations
from .forms import DpaImportForm, PkCreateForm, PkEditForm, PkFinalForm, PkVersionForm
from .operations import PkError

STALE = "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."


def _stale(form) -> bool:
    """The form's CSRF token was refused (an expired page): said once, nothing kept."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


def _user():
    return current_user._get_current_object()


def _sections():
    return db.session.scalars(scoped(Section).where(Section.active.is_(True), Section.code != "sekretariat")
                              .order_by(Section.position, Section.id)).all()


def _create_form(form: PkCreateForm | None = None) -> PkCreateForm:
    from datetime import date

    form = form or PkCreateForm(year=date.today().year)
    form.section.choices = opts([("", _("— pilih seksi —"))] + [(str(s.id), s.name) for s in _sections()])
    return form


@bp.route("/pk")
@login_required
def index():
    require("pk.view")
    return _index_page(_create_form())


def _index_page(form, status: int = 200):
    pks = db.session.scalars(scoped(PerformanceAgreement).order_by(
        PerformanceAgreement.year.desc(), PerformanceAgreement.holder, PerformanceAgreement.sequence.desc())).all()
    years: dict[int, list] = {}
    for pk in pks:
        years.setdefault(pk.year, []).append(pk)
    return render_template("pk/index.html", years=years, form=form, holder_label=operations.holder_label,
                           can_manage=can(current_user, "pk.manage")), status


@bp.route("/pk/buat", methods=["POST"])
@login_required
def create():
    require("pk.manage")
    form = _create_form(PkCreateForm())
    if not form.validate_on_submit():
        flash(_("Periksa isian yang ditandai."), "danger")
        return _index_page(form, 422)
    level = PkLevel(form.level.data) if form.level.data in {lv.value for lv in PkLevel} else PkLevel.CAMAT
    section = None
    if level is PkLevel.SEKSI:
        text = form.section.data or ""
        section = (db.session.get(Section, int(text)) if re.fullmatch(r"[0-9]{1,9}", text) else None)
        if section is None or section.office_id != current_user.office_id:
            form.section.errors = [_("Pilih seksi yang membuat perjanjian kinerja.")]
            return _index_page(form, 422)
    try:
        pk = operations.create_pk(current_user.office, form.year.data, level, section, _user())
    except PkError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return _index_page(form, 422)
    db.session.commit()
    flash(_("Draf perjanjian kinerja %(year)d dibuat dari IKU tahun itu. Periksa pihak, target dan programnya.",
            year=pk.year), "success")
    return redirect(url_for(".edit", pk_id=pk.id))


def _pk_or_404(pk_id: int) -> PerformanceAgreement:
    return load_or_404(PerformanceAgreement, pk_id)


def _iku_choices(pk: PerformanceAgreement):
    indicators = db.session.scalars(sa.select(Indicator).where(Indicator.office_id == pk.office_id,
                                                               Indicator.year == pk.year).order_by(Indicator.number))
    return opts([("", _("— tidak terkait —"))] + [(str(i.id), _("IKU %(n)d: %(name)s", n=i.number, name=i.name[:80]))
                                                  for i in indicators])


def _edit_form(pk: PerformanceAgreement, formdata=None) -> PkEditForm:
    if formdata is None:
        data = {name: getattr(pk, name) for name in operations.EDITABLE_FIELDS}
        data["rows"] = [{"sasaran": t.sasaran, "indicator_text": t.indicator_text, "target": t.target,
                         "unit": t.unit, "indicator_id": str(t.indicator_id or "")} for t in pk.targets]
        data["rows"].append({"sasaran": "", "indicator_text": "", "target": None, "unit": "", "indicator_id": ""})
        form = PkEditForm(formdata=None, data=data)
    else:
        form = PkEditForm(formdata=formdata)
    choices = _iku_choices(pk)
    for entry in form.rows:
        entry.form.indicator_id.choices = choices
    return form


def _page(pk: PerformanceAgreement, form: PkEditForm | None = None, status: int = 200):
    versions = db.session.scalars(sa.select(PerformanceVersion).where(PerformanceVersion.agreement_id == pk.id)
                                  .order_by(PerformanceVersion.number.desc())).all()
    final_form = PkFinalForm()
    final_form.version.choices = opts((str(v.number), _("Versi %(n)d", n=v.number)) for v in versions)
    shown = pk.final_version.snapshot if pk.is_final and pk.final_version is not None else None
    ctx = content.context_from_snapshot(shown) if shown else content.pk_context(pk)
    earlier = db.session.scalars(scoped(PerformanceAgreement).where(
        PerformanceAgreement.year == pk.year, PerformanceAgreement.holder == pk.holder,
        PerformanceAgreement.id != pk.id).order_by(PerformanceAgreement.sequence)).all()
    return render_template(
        "pk/edit.html", pk=pk, form=form or _edit_form(pk), ctx=ctx, versions=versions, final_form=final_form,
        version_form=PkVersionForm(), earlier=earlier, holder=operations.holder_label(pk),
        changes={v.id: content.snapshot_differences(older.snapshot, v.snapshot or {})
                 for v, older in zip(versions, versions[1:])},
        flags=operations.flags(pk.office, pk.year) if pk.level is PkLevel.CAMAT else [],
        programs=operations.program_indicators(pk.office_id, pk.year) if pk.level is not PkLevel.CAMAT else [],
        chosen_programs=set(request.form.getlist("program")) if request.method == "POST" else set(),
        total=sum((p.budget for p in ctx.programs), Decimal(0)), target_text=target_text,
        format_date=format_date, format_nip=format_nip,
        can_edit=not pk.is_final and can(current_user, "pk.manage", pk),
        can_finalize=not pk.is_final and can(current_user, "pk.finalize", pk),
        can_amend=pk.is_final and can(current_user, "pk.manage", pk)
        and operations.find_pk(pk.office, pk.year, pk.holder) is pk,
    ), status


def _row_values(form: PkEditForm, pk: PerformanceAgreement) -> tuple[list[dict], bool]:
    """The kept rows of the form (blank rows and rows marked "hapus" dropped); False when a row lacks its
    indicator (the error is put next to it)."""
    ok = True
    own = {str(i) for i in content.year_targets(pk.office_id, pk.year)}
    rows = []
    for entry in form.rows:
        f = entry.form
        if f.remove.data:
            continue
        text = (f.indicator_text.data or "").strip()
        if not text and not (f.sasaran.data or "").strip() and f.target.data is None:
            continue
        if not text:
            f.indicator_text.errors = list(f.indicator_text.errors) + [_("Isi indikator kinerja baris ini.")]
            ok = False
        chosen = f.indicator_id.data or ""
        if chosen and chosen not in own:
            f.indicator_id.errors = list(f.indicator_id.errors) + [_("Pilih IKU dari daftar.")]
            ok = False
        rows.append({"sasaran": f.sasaran.data or "", "indicator_text": text, "target": f.target.data,
                     "unit": f.unit.data or "", "indicator_id": int(chosen) if chosen and chosen in own else None})
    return rows, ok


@bp.route("/pk/<int:pk_id>", methods=["GET", "POST"])
@login_required
def edit(pk_id: int):
    require("pk.view")
    pk = _pk_or_404(pk_id)
    if request.method == "GET":
        return _page(pk)
    require("pk.manage", pk)
    if pk.is_final:
        flash(_("Perjanjian kinerja ini sudah final; perubahan ditolak."), "danger")
        return redirect(url_for(".edit", pk_id=pk.id)), 303
    form = _edit_form(pk, request.form)
    valid = form.validate_on_submit()
    if not valid and _stale(form):
        flash(_(STALE), "danger")
        return redirect(url_for(".edit", pk_id=pk.id))
    rows, rows_ok = _row_values(form, pk)
    if not valid or not rows_ok:
        flash(_("Perubahan belum disimpan: periksa isian yang ditandai."), "danger")
        return _page(pk, form, 422)
    values = {name: getattr(form, name).data for name in operations.EDITABLE_FIELDS}
    for name in values:
        if isinstance(values[name], str):
            values[name] = values[name].strip()
    try:
        changed = operations.update_pk(pk, _user(), values)
        if request.form.get("op") == "from_iku":
            rows_changed = operations.rows_from_iku(pk, _user())
        elif request.form.get("op") == "from_programs":
            picked = request.form.getlist("program")
            if any(re.fullmatch(r"[0-9]{1,10}", v) is None or not 1 <= int(v) <= MAX_ID for v in picked):
                abort(400)
            chosen = [int(v) for v in picked]
            rows_changed = operations.set_rows(pk, _user(), operations.with_program_rows(pk, rows, chosen))
        else:
            rows_changed = operations.set_rows(pk, _user(), rows)
    except PkError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _page(pk, form, 422)
    db.session.commit()
    if request.form.get("op") == "from_iku":
        flash(_("Tabel indikator diambil lagi dari IKU dan target tahunnya."), "success")
    elif request.form.get("op") == "from_programs":
        flash(_("Indikator program yang dicentang ditambahkan ke tabel 1.") if rows_changed
              else _("Indikator program yang dicentang sudah ada di tabel 1."), "success")
    else:
        flash(_("Perjanjian kinerja disimpan.") if changed or rows_changed else _("Tidak ada perubahan."), "success")
    return redirect(url_for(".edit", pk_id=pk.id))


@bp.route("/pk/<int:pk_id>/versi", methods=["POST"])
@login_required
def generate(pk_id: int):
    pk = _pk_or_404(pk_id)
    require("pk.manage", pk)
    if not PkVersionForm().validate_on_submit():
        flash(_(STALE), "danger")
        return redirect(url_for(".edit", pk_id=pk.id))
    try:
        version = operations.generate_version(pk, _user())
    except PkError as exc:
        db.session.rollback()
        flash(str(exc), "warning" if isinstance(exc, operations.NoChange) else "danger")
        return redirect(url_for(".edit", pk_id=pk.id) + "#versi")
    db.session.commit()
    flash(_("Draf Word versi %(n)d dibuat.", n=version.number), "success")
    return redirect(url_for(".edit", pk_id=pk.id) + "#versi")


def _version_or_404(pk: PerformanceAgreement, number: int) -> PerformanceVersion:
    version = db.session.scalar(sa.select(PerformanceVersion).where(
        PerformanceVersion.agreement_id == pk.id, PerformanceVersion.number == number,
        PerformanceVersion.office_id == current_user.office_id))
    if version is None:
        abort(404)
    return version


def _download_name(pk: PerformanceAgreement, suffix: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", pk.office.name).strip("-") or "Kecamatan"
    change = f"-perubahan-{pk.sequence}" if pk.sequence else ""
    return f"Perjanjian-Kinerja-{name}-{pk.year}-{pk.holder}{change}-{suffix}"


@bp.route("/pk/<int:pk_id>/versi/<int:number>.docx")
@login_required
def download(pk_id: int, number: int):
    require("pk.view")
    pk = _pk_or_404(pk_id)
    version = _version_or_404(pk, number)
    return storage.send(version.file_key, mimetype=DOCX_MIME, download_name=_download_name(pk, f"v{number}.docx"))


@bp.route("/pk/<int:pk_id>/final", methods=["POST"])
@login_required
def finalize(pk_id: int):
    pk = _pk_or_404(pk_id)
    require("pk.finalize", pk)
    form = PkFinalForm()
    if not form.validate_on_submit() and _stale(form):
        flash(_(STALE), "danger")
        return redirect(url_for(".edit", pk_id=pk.id))
    number = request.form.get("version", "")
    valid = re.fullmatch(r"[0-9]{1,10}", number) is not None and 1 <= int(number) <= MAX_ID
    version = _version_or_404(pk, int(number)) if valid else None
    if version is None:
        flash(_("Pilih versi draf yang ditandatangani."), "danger")
        return redirect(url_for(".edit", pk_id=pk.id) + "#final")
    upload = request.files.get("signed")
    data = upload.stream if upload is not None and (upload.filename or upload.content_length) else None
    try:
        operations.finalize(pk, version, data, upload.filename if upload else "", _user())
    except PkError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".edit", pk_id=pk.id) + "#final")
    db.session.commit()
    if pk.level is PkLevel.CAMAT:
        flash(_("Perjanjian kinerja %(year)d ditetapkan final (versi %(n)d). Targetnya kini target tahun %(year)d, "
                "dan IKU serta target tahun itu terkunci.", year=pk.year, n=version.number), "success")
    else:
        flash(_("Perjanjian kinerja %(year)d ditetapkan final (versi %(n)d).", year=pk.year, n=version.number),
              "success")
    return redirect(url_for(".edit", pk_id=pk.id))


@bp.route("/pk/<int:pk_id>/perubahan", methods=["POST"])
@login_required
def amend(pk_id: int):
    pk = _pk_or_404(pk_id)
    require("pk.manage", pk)
    if not PkVersionForm().validate_on_submit():
        flash(_(STALE), "danger")
        return redirect(url_for(".edit", pk_id=pk.id))
    try:
        new = operations.create_amendment(pk, _user())
    except PkError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".edit", pk_id=pk.id))
    db.session.commit()
    flash(_("Draf PK Perubahan dibuat dari perjanjian kinerja final; yang final tetap tersimpan."), "success")
    return redirect(url_for(".edit", pk_id=new.id))


@bp.route("/pk/<int:pk_id>/ttd.pdf")
@login_required
def signed_scan(pk_id: int):
    require("pk.view")
    pk = _pk_or_404(pk_id)
    if not pk.is_final or not pk.signed_path:
        abort(404)
    return storage.send(pk.signed_path, mimetype="application/pdf",
                        download_name=_download_name(pk, "ditandatangani.pdf"))


# ---------------------------------------------------------------- the programs from the DPA sheet


@bp.route("/pk/program/<int:year>/contoh-dpa.xlsx")
@login_required
def dpa_template(year: int):
    require("pk.view")
    import io

    from flask import send_file

    from . import dpa

    return send_file(io.BytesIO(dpa.template_bytes(year)), as_attachment=True, download_name=f"contoh-DPA-{year}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/pk/program/<int:year>/impor-dpa", methods=["POST"])
@login_required
def dpa_import(year: int):
    require("programs.manage")
    from ..number_input import page_locale
    from . import dpa

    form = DpaImportForm()
    back = url_for("lkjip.programs", year=year) + "#dpa"
    if not form.validate_on_submit():
        flash(_(STALE) if _stale(form) else " ".join(e for f in form for e in f.errors) or _("Pilih berkas DPA (.xlsx)."),
              "danger")
        return redirect(back)
    data = form.sheet.data.read(current_app_limit())
    try:
        counts = dpa.import_dpa(current_user.office, year, _user(), data, locale=page_locale())
    except dpa.DpaFailed as exc:
        db.session.rollback()
        shown = "; ".join(str(e) for e in exc.errors[:10])
        more = len(exc.errors) - 10
        flash(_("DPA tidak diimpor (tidak ada yang disimpan): %(errors)s", errors=shown)
              + (" " + _("dan %(n)d kesalahan lain.", n=more) if more > 0 else ""), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("DPA diimpor: %(added)d program baru, %(updated)d diperbarui, %(unchanged)d tetap; %(kept)d program lain "
            "tidak ada di DPA dan tetap tersimpan.", **counts), "success")
    return redirect(back)


def current_app_limit() -> int:
    from flask import current_app

    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024)
