"""/admin/kop: the office's base Word template (kop surat) — download, upload, revert to default."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import storage
from ..access import require
from ..auth.forms import EmptyForm
from ..extensions import db
from ..models import OfficeTemplate
from ..reports import DOCX_MIME
from ..storage import uploads
from . import bp, kop


@bp.route("/admin/kop")
@login_required
def letterhead():
    require("office.edit")
    office = current_user.office
    history = db.session.scalars(
        sa.select(OfficeTemplate).where(OfficeTemplate.office_id == office.id)
        .order_by(OfficeTemplate.uploaded_at.desc(), OfficeTemplate.id.desc())
    ).all()
    active = kop.active_template(office)
    preview, preview_error, not_in_template = kop.preview(office, active)
    return render_template("letterhead/letterhead.html", office=office, active=active,
                           history=history, form=EmptyForm(), max_kb=uploads.TEMPLATE_MAX_BYTES // 1024,
                           preview=preview, preview_error=preview_error, not_in_template=not_in_template)


@bp.route("/admin/kop/templat.docx")
@login_required
def letterhead_download():
    require("office.edit")
    office = current_user.office
    name = f"Templat-Kop-{office.code}.docx"
    active = kop.active_template(office)
    if active is not None:  # the uploaded template, streamed from the file store
        return storage.send(active.file_key, mimetype=DOCX_MIME, download_name=name)
    data = kop.base_template(office)
    response = send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                         download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/admin/kop", methods=["POST"])
@login_required
def letterhead_upload():
    require("office.edit")
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".letterhead"))
    upload = request.files.get("template")
    if upload is None or not upload.filename:
        flash(_("Pilih berkas templat (.docx) yang akan diunggah."), "danger")
        return redirect(url_for(".letterhead"))
    # one byte past the limit, so that validate_template says "too large" with the real limit
    data = upload.read(uploads.TEMPLATE_MAX_BYTES + 1)
    try:
        kop.upload_template(current_user.office, data, upload.filename, current_user._get_current_object())
    except kop.TemplateRefused as exc:
        db.session.rollback()
        flash(_("Templat ditolak: %(reason)s Templat sebelumnya tetap dipakai.", reason=str(exc)), "danger")
        return redirect(url_for(".letterhead")), 303
    db.session.commit()
    flash(_("Templat kop diunggah dan kini dipakai untuk semua dokumen yang dibuat."), "success")
    return redirect(url_for(".letterhead"))


@bp.route("/admin/kop/bawaan", methods=["POST"])
@login_required
def letterhead_revert():
    require("office.edit")
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
        return redirect(url_for(".letterhead"))
    kop.revert_template(current_user.office, current_user._get_current_object())
    db.session.commit()
    flash(_("Kembali memakai kop bawaan yang dibuat dari profil kantor."), "success")
    return redirect(url_for(".letterhead"))
