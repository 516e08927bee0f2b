from __future__ import annotations

import base64

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from .. import audit
from ..access import load_or_404, require, scoped
from ..auth import policy
from ..auth.forms import EmptyForm
from ..letterhead import kop as kop_store
from ..letterhead import logo as logo_store
from ..pagination import paginate
from ..extensions import db
from ..models import Desa, Office, PaperSize, Role, Section, User
from ..registers import desa as desa_ops
from ..security import PasswordPolicyError, check_password_policy, hash_password
from ..storage import uploads
from . import bp, user_import
from .forms import DesaForm, OfficeForm, ResetPasswordForm, SectionForm, UserForm, UserImportForm

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _admin_only():
    require("admin.manage")


def _section_choices() -> list[SelectChoice]:
    sections = db.session.scalars(scoped(Section).order_by(Section.position, Section.name)).all()
    return [SelectChoice(0, _("— tanpa seksi —"))] + [SelectChoice(s.id, s.name) for s in sections]


def _username_taken(username: str, exclude_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.username) == username.lower())
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


@bp.route("/pengguna")
def users():
    page = paginate(scoped(User).order_by(User.active.desc(), User.role, User.username, User.id))
    return render_template("admin/users.html", users=page.items, page=page, form=EmptyForm())


@bp.route("/pengguna/baru", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    form.section_id.choices = _section_choices()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        ok = True
        if _username_taken(username):
            form.username.errors.append(_("Nama pengguna sudah dipakai."))
            ok = False
        try:
            check_password_policy(form.password.data or "", username)
        except PasswordPolicyError as exc:
            form.password.errors.append(str(exc))
            ok = False
        section = _own_section(form.section_id.data)
        if ok:
            user = User(
                office_id=current_user.office_id,
                username=username,
                full_name=form.full_name.data.strip(),
                nip=form.nip.data or None,
                email=(form.email.data or "").strip(),
                role=Role(form.role.data),
                section_id=section.id if section else None,
                password_hash=hash_password(form.password.data),
                must_change_password=True,  # the admin knows this password: the user chooses their own
            )
            db.session.add(user)
            db.session.flush()
            audit.record("user.created", office_id=current_user.office_id, obj=user, role=user.role.value)
            db.session.commit()
            flash(_("Pengguna %(u)s dibuat.", u=username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/pengguna/impor", methods=["GET", "POST"])
def user_import_page():
    """Users of the office from a sheet (the office's admin)."""
    return import_users_page(db.session.get(Office, current_user.office_id), back_url=url_for("admin.users"))


def import_users_page(office: Office, *, back_url: str):
    """Users of ``office`` from a sheet: all rows right, or nothing stored and the rows' problems shown.

    The office's admin uses it for their office, the kabupaten admin for a kecamatan they set up. The
    temporary passwords are on the page answering the POST, once: they are stored only as hashes and never
    put in the session or a redirect."""
    form = UserImportForm()
    message, row_errors = "", []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = uploads.read_limited(upload.stream, uploads.IMPORT_MAX_BYTES, upload.filename or "")
            rows = user_import.parse_user_sheet(upload.filename or "", data)
            result = user_import.import_users(office, rows, current_user._get_current_object())
        except uploads.UploadError as exc:
            message = str(exc)
        except user_import.UserSheetRejected as exc:
            message = _("Berkas ditolak: %(reason)s Tidak ada pengguna yang dibuat.", reason=str(exc))
        except sa.exc.IntegrityError:
            db.session.rollback()
            message = _("Sebagian nama pengguna baru saja dipakai orang lain. Tidak ada pengguna yang dibuat; "
                        "unggah lagi untuk melihat barisnya.")
        else:
            if result.ok:
                db.session.commit()
                return render_template("admin/user_import_done.html", created=result.created, office=office,
                                       back_url=back_url)
            row_errors = result.errors
            message = _("%(n)d baris bermasalah. Tidak ada pengguna yang dibuat; perbaiki lalu unggah lagi.",
                        n=len(row_errors))
        db.session.rollback()
    status = 422 if message else 200
    return render_template("admin/user_import.html", form=form, message=message, row_errors=row_errors,
                           columns=user_import.TEMPLATE_HEADER, office=office, back_url=back_url), status


@bp.route("/pengguna/impor/templat.xlsx")
def user_import_template():
    return Response(user_import.template_xlsx(), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": 'attachment; filename="templat-pengguna.xlsx"'})


def _own_section(section_id: int | None) -> Section | None:
    if not section_id:
        return None
    return load_or_404(Section, section_id)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = load_or_404(User, user_id)
    form = UserForm(obj=user)
    form.section_id.choices = _section_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.section_id.data = user.section_id or 0
        form.nip.data = user.nip or ""
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if _username_taken(username, exclude_id=user.id):
            form.username.errors.append(_("Nama pengguna sudah dipakai."))
        elif user.id == current_user.id and form.role.data != Role.ADMIN.value:
            form.role.errors.append(_("Anda tidak dapat mencabut peran admin dari akun sendiri."))
        else:
            section = _own_section(form.section_id.data)
            before = {"role": user.role.value, "section_id": user.section_id, "username": user.username}
            user.username = username
            user.full_name = form.full_name.data.strip()
            user.nip = form.nip.data or None
            user.email = (form.email.data or "").strip()
            new_role = Role(form.role.data)
            if new_role != user.role:
                user.rotate_session()  # permissions changed: sign the user in again
            user.role = new_role
            user.section_id = section.id if section else None
            audit.record(
                "user.updated", office_id=user.office_id, obj=user, before=before,
                after={"role": user.role.value, "section_id": user.section_id, "username": user.username},
            )
            db.session.commit()
            flash(_("Data pengguna disimpan."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, reset_form=ResetPasswordForm(), toggle=EmptyForm())


@bp.route("/pengguna/<int:user_id>/status", methods=["POST"])
def user_toggle(user_id: int):
    """Activates an inactive user again; an active one is deactivated only from the confirmation page."""
    user = load_or_404(User, user_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("Formulir kedaluwarsa, silakan ulangi."), "danger")
    elif user.active:
        return redirect(url_for("admin.user_deactivate", user_id=user.id), 303)
    else:
        user.active = True
        user.rotate_session()
        audit.record("user.activated", office_id=user.office_id, obj=user)
        db.session.commit()
        flash(_("Pengguna %(u)s diaktifkan.", u=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/pengguna/<int:user_id>/nonaktifkan", methods=["GET", "POST"])
def user_deactivate(user_id: int):
    """Deactivating asks first (GET: what it means, and whether the office keeps someone in that role); POST
    does it."""
    user = load_or_404(User, user_id)
    form = EmptyForm()
    if user.id == current_user.id:
        flash(_("Anda tidak dapat menonaktifkan akun sendiri."), "danger")
        return redirect(url_for("admin.users"))
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("Formulir kedaluwarsa, silakan ulangi."), "danger")
        elif user.active:
            user.active = False
            user.rotate_session()  # a deactivated user's open sessions end now
            audit.record("user.deactivated", office_id=user.office_id, obj=user)
            db.session.commit()
            flash(_("Pengguna %(u)s dinonaktifkan.", u=user.username), "success")
        return redirect(url_for("admin.users"))
    others = db.session.scalar(
        sa.select(sa.func.count()).select_from(User)
        .where(User.office_id == user.office_id, User.role == user.role, User.active.is_(True), User.id != user.id)
    )
    return render_template("admin/user_deactivate.html", user=user, form=form, last_of_role=user.active and not others)


@bp.route("/pengguna/<int:user_id>/sandi", methods=["POST"])
def user_reset_password(user_id: int):
    user = load_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            check_password_policy(form.password.data, user.username)
        except PasswordPolicyError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("admin.user_edit", user_id=user.id))
        user.password_hash = hash_password(form.password.data)
        user.must_change_password = True  # the admin knows this one: the user chooses their own at sign-in
        policy.clear_failures(user.username)  # a lock from wrong passwords ends with the new one
        user.rotate_session()
        audit.record("user.password_reset", office_id=user.office_id, obj=user)
        db.session.commit()
        flash(_("Kata sandi %(u)s telah diatur ulang.", u=user.username), "success")
    else:
        flash(_("Kata sandi wajib diisi."), "danger")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/seksi")
def sections():
    rows = db.session.scalars(scoped(Section).order_by(Section.position, Section.name)).all()
    return render_template("admin/sections.html", sections=rows)


@bp.route("/seksi/baru", methods=["GET", "POST"], defaults={"section_id": None})
@bp.route("/seksi/<int:section_id>", methods=["GET", "POST"])
def section_edit(section_id: int | None):
    section = load_or_404(Section, section_id) if section_id else None
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        code = form.code.data.strip()
        clash = db.session.scalar(
            scoped(Section).where(Section.code == code, Section.id != (section.id if section else 0))
        )
        if clash is not None:
            form.code.errors.append(_("Kode seksi sudah dipakai."))
        else:
            created = section is None
            if created:
                section = Section(office_id=current_user.office_id)
                db.session.add(section)
            section.code = code
            section.name = form.name.data.strip()
            section.short_name = form.short_name.data.strip()
            section.position = form.position.data or 0
            section.active = bool(form.active.data)
            db.session.flush()
            audit.record("section.created" if created else "section.updated", office_id=section.office_id, obj=section)
            db.session.commit()
            flash(_("Seksi disimpan."), "success")
            return redirect(url_for("admin.sections"))
    return render_template("admin/section_form.html", form=form, section=section)


@bp.route("/desa", methods=["GET", "POST"])
def desa_list():
    """The office's desa: the list the complaint and activity forms choose from, and a form adding one."""
    require("desa.manage")
    form = DesaForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                desa = desa_ops.add(current_user.office, form.name.data, current_user._get_current_object())
            except desa_ops.DesaError as exc:
                db.session.rollback()
                form.name.errors = list(form.name.errors) + [str(exc)]
            else:
                if form.position.data is not None:
                    desa.position = int(form.position.data)
                db.session.commit()
                flash(_("Desa %(name)s ditambahkan.", name=desa.name), "success")
                return redirect(url_for("admin.desa_list"))
        status = 422
    rows = desa_ops.office_desa(current_user.office_id)
    return render_template("admin/desa.html", rows=rows, form=form, toggle=EmptyForm()), status


@bp.route("/desa/<int:desa_id>", methods=["GET", "POST"])
def desa_edit(desa_id: int):
    """Rename a desa (the office's rows that name it follow) or change its place in the list."""
    require("desa.manage")
    desa = load_or_404(Desa, desa_id)
    form = DesaForm(obj=desa)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                renamed = desa_ops.rename(desa, form.name.data, current_user._get_current_object())
            except desa_ops.DesaError as exc:
                db.session.rollback()
                desa = load_or_404(Desa, desa_id)
                form.name.errors = list(form.name.errors) + [str(exc)]
            else:
                if form.position.data is not None:
                    desa.position = int(form.position.data)
                db.session.commit()
                flash(_("Desa disimpan; %(n)d data ikut berganti nama.", n=renamed) if renamed
                      else _("Desa disimpan."), "success")
                return redirect(url_for("admin.desa_list"))
        status = 422
    return render_template("admin/desa_form.html", form=form, desa=desa, rows_naming=desa_ops.rows_naming(desa)), status


@bp.route("/desa/<int:desa_id>/nonaktif", methods=["GET", "POST"])
def desa_deactivate(desa_id: int):
    """Deactivating asks first (GET: what it means, how many rows name the desa); POST does it."""
    require("desa.manage")
    desa = load_or_404(Desa, desa_id)
    form = EmptyForm()
    if request.method == "POST":
        if form.validate_on_submit():
            desa_ops.set_active(desa, False, current_user._get_current_object())
            db.session.commit()
            flash(_("Desa %(name)s dinonaktifkan: tidak bisa dipilih lagi untuk data baru.", name=desa.name), "success")
        else:
            flash(_("Formulir kedaluwarsa, silakan ulangi."), "danger")
        return redirect(url_for("admin.desa_list"))
    return render_template("admin/desa_deactivate.html", desa=desa, form=form, rows_naming=desa_ops.rows_naming(desa))


@bp.route("/desa/<int:desa_id>/aktif", methods=["POST"])
def desa_activate(desa_id: int):
    require("desa.manage")
    desa = load_or_404(Desa, desa_id)
    if EmptyForm().validate_on_submit():
        desa_ops.set_active(desa, True, current_user._get_current_object())
        db.session.commit()
        flash(_("Desa %(name)s diaktifkan kembali.", name=desa.name), "success")
    else:
        flash(_("Formulir kedaluwarsa, silakan ulangi."), "danger")
    return redirect(url_for("admin.desa_list"))


OFFICE_FIELDS = (
    "name", "address", "telephone", "email", "postal_code", "city",
    "camat_name", "camat_pangkat", "camat_nip", "signatory_acting",
)
OFFICE_FLAGS = ("show_kabupaten_line",)


def _office_page(office: Office, form: OfficeForm, logo_error: str = "", status: int = 200):
    logo = logo_store.active_logo(office)
    data = logo_store.load_logo(office) if logo is not None else None
    # shown inline (the CSP allows data: images): no extra route that has nothing to serve without a lambang
    logo_src = f"data:{logo.mime};base64,{base64.b64encode(data).decode()}" if data else ""
    return render_template("admin/office.html", form=form, office=office, logo=logo, logo_src=logo_src,
                           logo_form=EmptyForm(), logo_error=logo_error,
                           kop_uploaded=kop_store.active_template(office) is not None,
                           max_logo_kb=logo_store.MAX_LOGO_BYTES // 1024, logo_min_px=logo_store.MIN_SIDE_PX,
                           logo_max_px=logo_store.MAX_SIDE_PX), status


def _office_form(office: Office, posted: bool = True) -> OfficeForm:
    """The profile form: bound to the posted profile, or (``posted`` False, or a GET) showing the office
    as stored — the lambang's forms post no profile fields, and must not blank them."""
    if not posted or request.method == "GET":
        form = OfficeForm(formdata=None, obj=office)
        form.paper_size.data = office.paper_size.value
        form.camat_nip.data = office.camat_nip or ""
        return form
    return OfficeForm(obj=office)


@bp.route("/kantor", methods=["GET", "POST"])
def office():
    office = db.session.get(Office, current_user.office_id)
    require("office.edit")
    form = _office_form(office)
    if form.validate_on_submit():
        before = {f: getattr(office, f) for f in OFFICE_FIELDS + OFFICE_FLAGS}
        for field in OFFICE_FIELDS:
            value = getattr(form, field).data
            setattr(office, field, (value or "").strip() if field != "camat_nip" else (value or None))
        for field in OFFICE_FLAGS:
            setattr(office, field, bool(getattr(form, field).data))
        office.paper_size = PaperSize(form.paper_size.data)
        changed = {f: [before[f], getattr(office, f)] for f in OFFICE_FIELDS + OFFICE_FLAGS
                   if before[f] != getattr(office, f)}
        audit.record("office.updated", office_id=office.id, obj=office, changed=changed)
        db.session.commit()
        flash(_("Profil kantor disimpan."), "success")
        return redirect(url_for("admin.office"))
    return _office_page(office, form)


@bp.route("/kantor/lambang", methods=["POST"])
def office_logo_upload():
    office = db.session.get(Office, current_user.office_id)
    require("office.edit")
    form = _office_form(office, posted=False)
    if not EmptyForm().validate_on_submit():
        return _office_page(office, form, _("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), 400)
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        return _office_page(office, form, _("Pilih berkas gambar lambang (PNG atau JPEG)."))
    data = upload.read(logo_store.MAX_LOGO_BYTES + 1)
    try:
        logo_store.upload_logo(office, data, upload.filename, current_user._get_current_object())
    except logo_store.LogoError as exc:
        db.session.rollback()
        return _office_page(office, form, _("Lambang ditolak: %(reason)s", reason=str(exc)))
    db.session.commit()
    flash(_("Lambang diunggah; kop setiap dokumen yang dibuat kini memuatnya."), "success")
    return redirect(url_for("admin.office") + "#lambang")


@bp.route("/kantor/lambang/hapus", methods=["POST"])
def office_logo_remove():
    office = db.session.get(Office, current_user.office_id)
    require("office.edit")
    if not EmptyForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."), "danger")
    else:
        logo_store.remove_logo(office, current_user._get_current_object())
        db.session.commit()
        flash(_("Lambang dihapus; kolom lambang pada kop kini kosong."), "success")
    return redirect(url_for("admin.office") + "#lambang")
