"""Pages of the decree: the years, the edit form, the preview, versions and the final decree."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import storage
from ..access import require, scoped
from ..auth.forms import EmptyForm
from ..url_params import MAX_ID
from ..extensions import db
from ..models import Decree, DecreeVersion
from ..reports import DOCX_MIME
from ..formatting import diktum_word, format_date, format_nip, item_marker
from . import bp, content, editing, operations, sources
from .forms import DecreeCreateForm
from .operations import DecreeError



def _office():
    return current_user.office


def _decree_or_404(year: int) -> Decree:
    decree = operations.find_decree(_office(), year)
    if decree is None:
        abort(404)
    return decree


def _user():
    return current_user._get_current_object()


@bp.app_template_global()
def diktum_label(n: int) -> str:
    return diktum_word(n)


@bp.app_template_global()
def list_marker(index: int, style: str) -> str:
    """The marker the Word file writes for the index-th item ("a.", "1.", "(1)"), for the preview and the editor."""
    return item_marker(index, style)


@bp.route("/keputusan")
@login_required
def index():
    require("decree.view")
    from datetime import date

    return _index_page(DecreeCreateForm(year=date.today().year))


def _index_page(form: DecreeCreateForm, status: int = 200):
    decrees = db.session.scalars(scoped(Decree).order_by(Decree.year.desc(), Decree.sequence.desc())).all()
    return render_template("decree/index.html", decrees=decrees, form=form), status


@bp.route("/keputusan/buat", methods=["POST"])
@login_required
def create():
    require("decree.manage")
    form = DecreeCreateForm()
    if not form.validate_on_submit():
        # the year's error next to the box, what was typed kept
        flash(_("Periksa isian yang ditandai."), "danger")
        return _index_page(form, 422)
    year = form.year.data
    try:
        operations.create_decree(_office(), year, _user())
    except operations.DecreeExists as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".edit", year=year))  # the existing decree
    except DecreeError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("Draf keputusan tahun %(year)d dibuat dari keputusan acuan. Periksa dan sesuaikan isinya.", year=year),
          "success")
    return redirect(url_for(".edit", year=year))


def _page(decree: Decree, values=None, tanggal_text=None, errors=None, focus="", status=200):
    annex = sources.annex_content(decree.office, decree.year, decree)
    versions = db.session.scalars(
        sa.select(DecreeVersion).where(DecreeVersion.decree_id == decree.id).order_by(DecreeVersion.number.desc())
    ).all()
    if values is None:
        values = {name: getattr(decree, name) for name in operations.EDITABLE_FIELDS}
        tanggal_text = editing.tanggal_value(decree.tanggal)
    return render_template(
        "decree/edit.html", decree=decree, values=values, tanggal_text=tanggal_text or "", errors=errors or {},
        focus=focus, versions=versions, annex_from_seed=annex.from_seed, form=EmptyForm(),
        changes={v.id: content.snapshot_differences(older.snapshot, v.snapshot or {})
                 for v, older in zip(versions, versions[1:])},
        signed_changes=content.signed_changes(decree, annex.content),
        can_edit=not decree.is_final and _can("decree.manage", decree),
        can_finalize=not decree.is_final and _can("decree.finalize", decree),
        can_amend=decree.is_final and _can("decree.manage", decree),
        item_styles=ITEM_STYLE_LABELS,
    ), status


ITEM_STYLE_LABELS = [("number", "1. 2. 3."), ("letter", "a. b. c."), ("paren_number", "(1) (2) (3)")]


def _can(action, obj=None) -> bool:
    from ..access import can

    return can(current_user, action, obj)


@bp.route("/keputusan/<int:year>", methods=["GET", "POST"])
@login_required
def edit(year: int):
    require("decree.view")
    decree = operations.find_decree(_office(), year)
    if decree is None:
        if request.method == "POST":
            abort(404)
        return render_template("decree/missing.html", year=year, form=EmptyForm()), 404
    if request.method == "GET":
        return _page(decree)
    require("decree.manage", decree)
    if decree.is_final:
        flash(_("Keputusan tahun %(year)d sudah ditetapkan final; perubahan ditolak.", year=year), "danger")
        return redirect(url_for(".edit", year=year)), 303
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".edit", year=year))
    result = editing.read_form(request.form, current_nomor=decree.nomor)
    if result.errors:
        flash(_("Perubahan belum disimpan: periksa isian yang ditandai."), "danger")
        return _page(decree, result.values, result.tanggal_text, result.errors, result.focus, status=422)
    try:
        changed = operations.update_decree(decree, _user(), result.values)
    except DecreeError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _page(decree, result.values, result.tanggal_text, {}, result.focus, status=422)
    db.session.commit()
    if result.op == "save":
        flash(_("Keputusan disimpan.") if changed else _("Tidak ada perubahan."), "success")
    anchor = f"#daftar-{result.focus}" if result.focus else ""
    return redirect(url_for(".edit", year=year) + anchor)


def preview_typed(year: int):
    """The preview of what is typed in the editor (the whole form posted here), nothing stored: the editor's
    "Pratinjau" opens it in a new tab, so the typed text stays in the editor to be saved."""
    decree = _decree_or_404(year)
    require("decree.manage", decree)
    if decree.is_final:  # nothing can be typed into a final decree: its preview is what was signed
        return redirect(url_for(".preview", year=year), 303)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".edit", year=year))
    result = editing.read_form(request.form, current_nomor=decree.nomor)
    ctx, from_seed = content.context_for_values(decree, result.values)
    date_text = format_date(ctx.tanggal) if ctx.tanggal else f"{' ' * 10}{year}"
    return render_template("decree/preview.html", decree=decree, ctx=ctx, annex_from_seed=from_seed,
                           date_text=date_text, nip=format_nip(ctx.signatory.nip), unsaved=True,
                           problems=list(result.errors.values()))


@bp.route("/keputusan/<int:year>/pratinjau", methods=["GET", "POST"])
@login_required
def preview(year: int):
    """GET: the stored decree (a final one as signed); POST: what is typed in the editor (:func:`preview_typed`)."""
    if request.method == "POST":
        return preview_typed(year)
    require("decree.view")
    decree = _decree_or_404(year)
    if decree.is_final and decree.final_version is not None and decree.final_version.snapshot:
        # what was signed (office profile, signatory, texts and IKU as frozen), not today's profile
        ctx = content.context_from_snapshot(decree.final_version.snapshot)
        from_seed = bool(decree.final_version.snapshot.get("annex_from_seed"))
    else:
        ctx, from_seed = content.decree_context(decree)
    date_text = format_date(ctx.tanggal) if ctx.tanggal else f"{' ' * 10}{year}"
    return render_template("decree/preview.html", decree=decree, ctx=ctx, annex_from_seed=from_seed,
                           date_text=date_text, nip=format_nip(ctx.signatory.nip))


@bp.route("/keputusan/<int:year>/versi", methods=["POST"])
@login_required
def generate(year: int):
    decree = _decree_or_404(year)
    require("decree.manage", decree)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".edit", year=year))
    try:
        version = operations.generate_version(decree, _user())
    except DecreeError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".edit", year=year))
    db.session.commit()
    flash(_("Draf Word versi %(n)d dibuat.", n=version.number), "success")
    return redirect(url_for(".edit", year=year) + "#versi")


def _version_or_404(decree: Decree, number: int) -> DecreeVersion:
    version = db.session.scalar(
        sa.select(DecreeVersion).where(DecreeVersion.decree_id == decree.id, DecreeVersion.number == number,
                                       DecreeVersion.office_id == current_user.office_id)
    )
    if version is None:
        abort(404)
    return version


def _download_name(decree: Decree, suffix: str) -> str:
    import re

    name = re.sub(r"[^A-Za-z0-9]+", "-", decree.office.name).strip("-") or "Kecamatan"
    return f"Keputusan-Camat-{name}-IKU-{decree.year}-{suffix}"


@bp.route("/keputusan/<int:year>/versi/<int:number>.docx")
@login_required
def download(year: int, number: int):
    require("decree.view")
    decree = _decree_or_404(year)
    version = _version_or_404(decree, number)
    return storage.send(version.file_key, mimetype=DOCX_MIME,
                        download_name=_download_name(decree, f"v{version.number}.docx"))


@bp.route("/keputusan/<int:year>/final", methods=["POST"])
@login_required
def finalize(year: int):
    decree = _decree_or_404(year)
    require("decree.finalize", decree)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".edit", year=year))
    number = request.form.get("version", "")
    # "²".isdigit() is true and 20 digits overflow the database: only 1..MAX_ID in ASCII digits
    valid = re.fullmatch(r"[0-9]{1,10}", number) is not None and 1 <= int(number) <= MAX_ID
    version = _version_or_404(decree, int(number)) if valid else None
    upload = request.files.get("signed")
    # the stream goes to the upload policy, which spools and checks it (never one 20 MB bytes object)
    data = upload.stream if upload is not None and (upload.filename or upload.content_length) else None
    if version is None:
        flash(_("Pilih versi draf yang ditandatangani."), "danger")
        return redirect(url_for(".edit", year=year) + "#final")
    try:
        operations.finalize(decree, version, data, upload.filename if upload else "", _user())
    except DecreeError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".edit", year=year) + "#final")
    db.session.commit()
    flash(_("Keputusan tahun %(year)d ditetapkan final (versi %(n)d). Nomor dan IKU tahun ini kini terkunci.",
            year=year, n=version.number), "success")
    return redirect(url_for(".edit", year=year))


@bp.route("/keputusan/<int:year>/perubahan", methods=["POST"])
@login_required
def amend(year: int):
    decree = _decree_or_404(year)
    require("decree.manage", decree)
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".edit", year=year))
    try:
        operations.create_amendment(decree, _user())
    except DecreeError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".edit", year=year))
    db.session.commit()
    flash(_("Draf SK perubahan tahun %(year)d dibuat dari keputusan final. IKU tahun ini dapat diubah lagi sampai "
            "SK perubahan ditetapkan final.", year=year), "success")
    return redirect(url_for(".edit", year=year))


@bp.route("/keputusan/<int:year>/ttd.pdf")
@login_required
def signed_scan(year: int):
    require("decree.view")
    decree = _decree_or_404(year)
    if not decree.is_final or not decree.signed_path:
        abort(404)
    return storage.send(decree.signed_path, mimetype="application/pdf",
                        download_name=_download_name(decree, "ditandatangani.pdf"))
