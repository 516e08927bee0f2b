"""Register pages: list per year, create/edit (operators of the owning section), detail with workflow."""
from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..access import can, load_or_404, require, scoped
from ..capability import registry
from ..domain.sakip import predikat
from .. import storage
from ..number_input import page_locale
from ..reports import XLSX_MIME
from ..extensions import db
from ..models import EntryState, WorkflowAction, WorkflowEntry
from ..storage import uploads
from ..workflow import notify, operations as wf
from . import bp, operations, program_import
from .forms import EVIDENCE_HELP, DeleteForm, ImportConfirmForm, ImportForm
from .listing import Listing
from .spec import RegisterSpec


def _register_or_404(slug: str) -> RegisterSpec:
    reg = registry().registers.get(slug)
    if reg is None:
        abort(404)
    return reg


def _row_or_404(reg: RegisterSpec, row_id: int):
    row = load_or_404(reg.model, row_id)
    require("entry.view", row.entry)
    return row


def _year_ok(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@bp.app_template_global()
def sakip_predikat(score):
    return predikat(score)


@bp.app_template_global()
def evidence_marks(entries) -> dict[int, tuple[bool, bool]]:
    """entry id -> (has evidence, claims done) for a list of entries (the review queue)."""
    return operations.evidence_marks(entries)


@bp.route("/register/<register>")
@login_required
def index_current(register: str):
    """The register's list of this year (the menu entry of every register)."""
    _register_or_404(register)
    return redirect(url_for("registers.index", register=register, year=date.today().year))


@bp.route("/register/<register>/<int:year>")
@login_required
def index(register: str, year: int):
    require("entry.view")
    reg = _register_or_404(register)
    _year_ok(year)
    return _index_page(reg, year, ImportForm())


def _index_page(reg: RegisterSpec, year: int, import_form: ImportForm, status: int = 200, **extra):
    """One page of the register's list of ``year``: the query string's search, filters and sort
    (registers/listing.py), the totals of the filtered set, and the pager."""
    listing = Listing.from_args(reg, year, current_user.office_id, request.args)
    page = listing.page()
    total, tally = listing.totals()
    may_create = operations.may_create(current_user, reg.slug)
    return render_template("registers/index.html", reg=reg, year=year, rows=page.items, page=page, listing=listing,
                           total=total, tally=tally, may_create=may_create,
                           may_submit_all=may_create and listing.has_editable(), import_form=import_form,
                           **extra), status


def _edit_form(reg: RegisterSpec, year: int, row=None):
    form = reg.form(obj=row) if request.method == "GET" and row is not None else reg.form()
    reg.prepare_form(form, current_user.office_id, row)
    if request.method == "GET" and row is not None:
        for name in reg.fields:  # a select shows the enum's stored value
            value = getattr(row, name)
            if isinstance(value, enum.Enum):
                getattr(form, name).data = value.value
    if not form.validate_on_submit():
        return form, None
    data = {name: getattr(form, name).data for name in reg.fields}
    errors = reg.check(data, year)
    for name, message in errors.items():
        getattr(form, name).errors = list(getattr(form, name).errors) + [message]
    if errors:
        return form, None
    values = reg.convert(data)
    upload = form.evidence_upload.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            checked = uploads.check(upload.stream, upload.filename)
        except uploads.UploadError as exc:
            form.evidence_upload.errors = [str(exc)]
            return form, None
        # the operation stores it as the row's next evidence version (a rollback deletes it again)
        values["evidence"] = checked
    return form, values


def _close_upload(values: dict) -> None:
    """The spooled upload of a form whose save was refused before the file was stored (closing twice is harmless)."""
    upload = values.get("evidence")
    if upload is not None:
        upload.close()


@bp.route("/register/<register>/<int:year>/baru", methods=["GET", "POST"])
@login_required
def new(register: str, year: int):
    reg = _register_or_404(register)
    _year_ok(year)
    if not operations.may_create(current_user, register):
        abort(403)
    form, values = _edit_form(reg, year)
    if values is not None:
        try:
            row = operations.create_row(current_user.office, current_user._get_current_object(), register, year, **values)
        except (wf.WorkflowError, operations.RegisterError) as exc:
            _close_upload(values)
            db.session.rollback()  # also deletes the evidence file just written
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Data disimpan sebagai draf. Ajukan untuk ditinjau Sekretaris Camat."), "success")
            return redirect(url_for("registers.detail", register=register, row_id=row.id))
    return render_template("registers/form.html", reg=reg, year=year, form=form, row=None, evidence_help=EVIDENCE_HELP)


@bp.route("/register/<register>/data/<int:row_id>")
@login_required
def detail(register: str, row_id: int):
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    editable = row.entry.is_editable and can(current_user, "entry.edit", row.entry)
    may_delete_evidence = editable and can(current_user, "entry.edit", row.entry)
    from . import change_views, changes

    return render_template("registers/detail.html", reg=reg, row=row, entry=row.entry, editable=editable,
                           delete_form=_delete_form(row), versions=operations.evidence_versions(row),
                           missing_evidence=operations.missing_evidence(row) if row.entry.is_editable else None,
                           evidence_delete_form=DeleteForm(formdata=None, version=row.entry.version)
                           if may_delete_evidence else None,
                           changes=[(c, changes.diff(c, row)) for c in changes.changes_of(row)],
                           may_propose=changes.may_propose(current_user, row) and changes.open_change(row) is None,
                           quick_label=change_views.quick_label(reg, row))


def _delete_form(row) -> DeleteForm | None:
    """The "Hapus" form when the current user may delete ``row`` now (draft or returned), else None."""
    if row.entry.is_editable and can(current_user, "register.delete", row.entry):
        return DeleteForm(formdata=None, version=row.entry.version)
    return None


@bp.route("/register/<register>/data/<int:row_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(register: str, row_id: int):
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    require("entry.edit", row.entry)
    try:
        wf.ensure_editable(row.entry, current_user._get_current_object())
    except wf.WorkflowError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("registers.detail", register=register, row_id=row_id))
    # the entry version the form was loaded with travels with the form; a refused form keeps it
    version = request.form.get("version", "") if request.method == "POST" else str(row.entry.version)
    form, values = _edit_form(reg, row.year, row)
    if values is not None:
        try:
            operations.update_row(row, current_user._get_current_object(),
                                  expected_version=int(version) if version.isdigit() else None, **values)
        except wf.ConflictError as exc:
            _close_upload(values)
            # someone saved this row since the form was opened: nothing is replaced, the input is kept
            db.session.rollback()  # also deletes the evidence file just written
            row = _row_or_404(reg, row_id)
            form.evidence_upload.errors = []
            return render_template("registers/form.html", reg=reg, year=row.year, form=form, row=row,
                                   evidence_help=EVIDENCE_HELP, delete_form=_delete_form(row), version=version,
                                   conflict=str(exc)), 409
        except (wf.WorkflowError, operations.RegisterError) as exc:
            _close_upload(values)
            db.session.rollback()  # deletes the new file, keeps the old one
            flash(str(exc), "danger")
            return redirect(url_for("registers.detail", register=register, row_id=row_id))
        db.session.commit()  # the replaced file is deleted after this commit
        flash(_("Perubahan disimpan."), "success")
        return redirect(url_for("registers.detail", register=register, row_id=row_id))
    return render_template("registers/form.html", reg=reg, year=row.year, form=form, row=row,
                           evidence_help=EVIDENCE_HELP, delete_form=_delete_form(row), version=version)


@bp.route("/register/<register>/data/<int:row_id>/hapus", methods=["POST"])
@login_required
def delete(register: str, row_id: int):
    """Delete a mistaken draft/returned row (owning section's operator or sekcam), then back to the list."""
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    require("register.delete", row.entry)
    form = DeleteForm()
    back = url_for("registers.detail", register=register, row_id=row_id)
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    version = form.version.data
    year, title = row.year, operations.title_of(row)
    title = title if len(title) <= 80 else title[:79] + "…"
    try:
        operations.delete_row(row, current_user._get_current_object(),
                              expected_version=int(version) if (version or "").isdigit() else None)
    except (wf.WorkflowError, operations.RegisterError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    # The evidence file goes only after this commit: a failed commit must not leave a row without its file.
    db.session.commit()
    flash(_("Data «%(title)s» dihapus.", title=title), "success")
    return redirect(url_for("registers.index", register=register, year=year))


@bp.route("/register/<register>/data/<int:row_id>/bukti")
@login_required
def evidence(register: str, row_id: int):
    """The row's current evidence file (a download)."""
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    if not row.evidence_file:
        abort(404)
    return storage.send_file_safely(operations.evidence_key(row.evidence_file), mimetype=row.evidence_mime,
                                    download_name=row.evidence_filename or "bukti")


def _version_or_404(register: str, row_id: int, file_id: int):
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    item = operations.evidence_version(row, file_id)
    if item is None:
        abort(404)
    return reg, row, item


@bp.route("/register/<register>/data/<int:row_id>/bukti/<int:file_id>")
@login_required
def evidence_version(register: str, row_id: int, file_id: int):
    """One evidence version of the row, downloaded."""
    _reg, _row, item = _version_or_404(register, row_id, file_id)
    return storage.send_file_safely(item.key, mimetype=item.mime, download_name=item.filename)


@bp.route("/register/<register>/data/<int:row_id>/bukti/<int:file_id>/lihat")
@login_required
def evidence_view(register: str, row_id: int, file_id: int):
    """One evidence version shown in the browser when it is a PDF or an image (sandboxed), else downloaded."""
    _reg, _row, item = _version_or_404(register, row_id, file_id)
    return storage.send_file_safely(item.key, mimetype=item.mime, download_name=item.filename, inline=True)


@bp.route("/register/<register>/data/<int:row_id>/bukti/<int:file_id>/hapus", methods=["POST"])
@login_required
def evidence_delete(register: str, row_id: int, file_id: int):
    """Delete a wrongly uploaded evidence version of a draft/returned row (its section's operator)."""
    reg = _register_or_404(register)
    row = _row_or_404(reg, row_id)
    require("entry.edit", row.entry)
    back = url_for("registers.detail", register=register, row_id=row_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(back)
    version = form.version.data or ""
    try:
        item = operations.delete_evidence(row, current_user._get_current_object(), file_id,
                                          expected_version=int(version) if version.isdigit() else None)
    except (wf.WorkflowError, operations.RegisterError) as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()  # the file leaves the store after this commit
    flash(_("Bukti versi %(n)s «%(name)s» dihapus.", n=item.version, name=item.filename), "success")
    return redirect(back)


@bp.app_template_global()
def submittable_count(reg: RegisterSpec, year: int) -> int:
    """How many rows of the year "Ajukan semua draf" would submit for the current user (its confirmation)."""
    if not can(current_user, "entry.submit"):
        return 0
    query = (sa.select(sa.func.count()).select_from(reg.model).join(reg.model.entry)
             .where(reg.model.office_id == current_user.office_id, reg.model.year == year,
                    WorkflowEntry.section_id == current_user.section_id,
                    WorkflowEntry.state.in_([EntryState.DRAFT, EntryState.RETURNED])))
    return db.session.scalar(query) or 0


@bp.route("/register/<register>/<int:year>/ajukan-semua", methods=["POST"])
@login_required
def submit_all(register: str, year: int):
    """Submit every draft or returned row of the year that the operator may submit (e.g. after an import)."""
    reg = _register_or_404(register)
    _year_ok(year)
    require("entry.submit")
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    rows = db.session.scalars(scoped(reg.model).where(reg.model.year == year).join(reg.model.entry)
                              .where(WorkflowEntry.state.in_([EntryState.DRAFT, EntryState.RETURNED]))
                              .options(selectinload(reg.model.entry))).all()
    submitted, lacking = [], []
    try:
        for row in rows:
            if can(user, "entry.submit", row.entry):
                if operations.missing_evidence(row):  # claims the work done without its evidence: stays
                    lacking.append(operations.title_of(row))
                    continue
                wf.submit(row.entry, user, in_batch=True)
                submitted.append(row.entry)
        # the reviewers hear of the batch once ("Seksi Trantib mengajukan 60 data ...")
        notify.after_batch(submitted, WorkflowAction.SUBMIT, user,
                           link=url_for("workflow.queue", kind=reg.kind, year=year))
    except wf.WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("registers.index", register=register, year=year))
    db.session.commit()
    flash(_("%(n)s data diajukan untuk ditinjau.", n=len(submitted)), "success" if submitted else "info")
    if lacking:
        names = "; ".join(f"«{t[:60]}»" for t in lacking[:10]) + (" …" if len(lacking) > 10 else "")
        flash(_("%(n)s data belum diajukan karena menyatakan selesai tanpa berkas bukti: %(names)s. Unggah "
                "buktinya lalu ajukan lagi.", n=len(lacking), names=names), "warning")
    return redirect(url_for("registers.index", register=register, year=year))


@bp.route("/register/program/<int:year>/templat.xlsx")
@login_required
def program_template(year: int):
    require("entry.view")
    _year_ok(year)
    return Response(program_import.template_bytes(year),
                    mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="templat-indikator-program-{year}.xlsx"'})


@bp.route("/register/program/<int:year>/impor", methods=["POST"])
@login_required
def program_upload(year: int):
    _year_ok(year)
    if not operations.may_create(current_user, "program"):
        abort(403)
    form = ImportForm()
    back = url_for("registers.index", register="program", year=year)
    upload = form.file.data if form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        flash(_("Pilih berkas Excel (.xlsx) untuk diimpor."), "danger")
        return redirect(back)
    try:
        data = uploads.read_limited(upload.stream, uploads.IMPORT_MAX_BYTES, upload.filename)
    except uploads.UploadError:
        flash(_("Berkas terlalu besar (maksimal %(mb)d MB).", mb=uploads.IMPORT_MAX_BYTES // uploads.MB), "danger")
        return redirect(back)
    user = current_user._get_current_object()
    try:
        planned = program_import.plan(current_user.office, user, year, data, locale=page_locale())
        if any(p.action in ("change", "update") for p in planned):
            # existing rows change: show what will change first; the sheet waits in the file store
            key = storage.new_key(IMPORT_FOLDER, suffix=".xlsx")
            storage.save(data, key)
            db.session.commit()
            session[IMPORT_SESSION] = {"key": key, "year": year, "office": current_user.office_id,
                                       "locale": page_locale()}
            return render_template("registers/program_preview.html", reg=_register_or_404("program"), year=year,
                                   planned=planned, form=ImportConfirmForm())
        counts = program_import.apply_plan(current_user.office, user, year, planned)
    except program_import.ImportFailed as exc:
        return _import_failed(year, form, exc)
    except (wf.WorkflowError, operations.RegisterError, sa.exc.SQLAlchemyError) as exc:
        db.session.rollback()
        flash(_("Tidak ada yang diimpor: %(e)s", e=str(exc)[:200]), "danger")
        return redirect(back)
    db.session.commit()
    _import_flash(counts)
    return redirect(back)


#: a sheet waiting for the operator's confirmation (the preview) is kept under this folder of the file store
IMPORT_FOLDER = "impor-program"
IMPORT_SESSION = "program_import"


def _import_failed(year: int, form, exc):
    db.session.rollback()
    flash(_("Tidak ada yang diimpor: perbaiki kesalahan berikut lalu unggah lagi."), "danger")
    return _index_page(_register_or_404("program"), year, form, 422, import_errors=exc.errors)


def _import_flash(counts: dict) -> None:
    if counts["new"]:
        flash(_("%(n)s indikator program diimpor sebagai draf.", n=counts["new"]), "success")
    if counts["change"]:
        flash(_("%(n)s usulan perubahan diajukan; nilai yang disetujui tetap dihitung sampai Sekretaris Camat "
                "menyetujuinya.", n=counts["change"]), "success")
    if counts["update"]:
        flash(_("%(n)s draf indikator program diperbarui.", n=counts["update"]), "success")
    if not (counts["new"] or counts["change"] or counts["update"]):
        flash(_("Tidak ada yang berubah: isi lembar sama dengan register."), "info")


@bp.route("/register/program/<int:year>/impor/konfirmasi", methods=["POST"])
@login_required
def program_confirm(year: int):
    """Carry out the sheet shown in the preview (checked again: the register may have changed meanwhile)."""
    _year_ok(year)
    if not operations.may_create(current_user, "program"):
        abort(403)
    back = url_for("registers.index", register="program", year=year)
    form = ImportConfirmForm()
    waiting = session.get(IMPORT_SESSION) or {}
    if waiting.get("year") != year or waiting.get("office") != current_user.office_id or not waiting.get("key"):
        flash(_("Pratinjau impor sudah tidak berlaku. Unggah lembarnya lagi."), "warning")
        return redirect(back)
    user = current_user._get_current_object()
    try:
        data = storage.read(waiting["key"])
    except storage.FileMissing:
        session.pop(IMPORT_SESSION, None)
        flash(_("Pratinjau impor sudah tidak berlaku. Unggah lembarnya lagi."), "warning")
        return redirect(back)
    try:
        planned = program_import.plan(current_user.office, user, year, data, locale=waiting.get("locale", "id"))
    except program_import.ImportFailed as exc:
        return _import_failed(year, ImportForm(), exc)
    if not form.validate_on_submit():
        return render_template("registers/program_preview.html", reg=_register_or_404("program"), year=year,
                               planned=planned, form=form), 422
    try:
        counts = program_import.apply_plan(current_user.office, user, year, planned, reason=form.reason.data)
    except (wf.WorkflowError, operations.RegisterError, sa.exc.SQLAlchemyError) as exc:
        db.session.rollback()
        flash(_("Tidak ada yang diimpor: %(e)s", e=str(exc)[:200]), "danger")
        return redirect(back)
    storage.remove_after_commit(waiting["key"])
    db.session.commit()
    session.pop(IMPORT_SESSION, None)
    _import_flash(counts)
    return redirect(back)
