from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db, limiter, login_username_key
from ..models import User
from ..models._types import utcnow
from ..security import PasswordPolicyError, check_password_policy, dummy_verify, hash_password, verify_password
from . import bp
from .forms import EmptyForm, LanguageForm, LoginForm, PasswordChangeForm


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path inside this app (no scheme, host or '//' tricks)."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return current_app.config["IKU_LOGIN_LIMIT"]


def _failed_sign_in(response) -> bool:
    """Only attempts that did not sign in count toward the limits: a success is the redirect onwards.

    Staff share the office's address and sign in many times a minute; counting their successes
    throttled correct passwords. Wrong passwords, refused accounts and invalid forms still count.
    """
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="throttled", deduct_when=_failed_sign_in)
@limiter.limit(_login_limit, key_func=login_username_key, methods=["POST"], error_message="throttled",
               deduct_when=_failed_sign_in)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
        now = utcnow()
        cfg = current_app.config
        if user is not None and user.locked_until and user.locked_until > now:
            audit.record("login.locked", office_id=user.office_id, user=user)
            db.session.commit()
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            flash(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(m)d menit.", m=minutes), "danger")
            return render_template("auth/login.html", form=form), 429
        ok = False
        if user is None:
            dummy_verify(form.password.data)
        else:
            ok = verify_password(user.password_hash, form.password.data)
        if ok and user is not None and not user.active:
            audit.record("login.refused_inactive", office_id=user.office_id, user=user)
            db.session.commit()
            flash(_("Akun ini telah dinonaktifkan. Hubungi admin kecamatan."), "danger")
            return render_template("auth/login.html", form=form), 403
        if not ok:
            if user is not None:
                user.failed_logins += 1
                if user.failed_logins >= cfg["IKU_MAX_FAILED_LOGINS"]:
                    user.locked_until = now + timedelta(minutes=cfg["IKU_LOCKOUT_MINUTES"])
                    user.failed_logins = 0
            audit.record(
                "login.failed",
                office_id=user.office_id if user else None,
                user=user,
                username=username,
            )
            db.session.commit()
            flash(_("Nama pengguna atau kata sandi salah."), "danger")
            return render_template("auth/login.html", form=form), 401
        # Success: a fresh session (no fixation), the token-bearing cookie.
        session.clear()
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        login_user(user)
        session.permanent = True
        session["login_at"] = now.timestamp()
        audit.record("login.success", office_id=user.office_id, user=user)
        db.session.commit()
        return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if current_user.is_authenticated and form.validate_on_submit():
        user = current_user._get_current_object()
        user.rotate_session()  # every other cookie of this user stops working too
        audit.record("logout", office_id=user.office_id, user=user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/bahasa", methods=["POST"])
def set_language():
    """Switch the display language; signed-in users keep it on their account, visitors in the session."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("auth.login"))


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    pw_form = PasswordChangeForm(prefix="pw")
    lang_form = LanguageForm(prefix="lang", locale=current_user.locale)
    user = current_user._get_current_object()
    if pw_form.submit.data and pw_form.validate_on_submit():
        if not verify_password(user.password_hash, pw_form.current.data):
            pw_form.current.errors.append(_("Kata sandi saat ini salah."))
        else:
            try:
                check_password_policy(pw_form.new.data, user.username)
            except PasswordPolicyError as exc:
                pw_form.new.errors.append(str(exc))
            else:
                user.password_hash = hash_password(pw_form.new.data)
                user.rotate_session()
                audit.record("user.password_changed", office_id=user.office_id, user=user, obj=user)
                db.session.commit()
                login_user(user)
                session["login_at"] = utcnow().timestamp()
                flash(_("Kata sandi berhasil diubah."), "success")
                return redirect(url_for("auth.account"))
    elif lang_form.submit.data and lang_form.validate_on_submit():
        user.locale = lang_form.locale.data
        db.session.commit()
        refresh()  # the form's validation already fixed this request's locale; say it in the new language
        flash(_("Bahasa tampilan disimpan."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", pw_form=pw_form, lang_form=lang_form)


def session_expired() -> bool:
    """True when the signed-in session has passed its absolute lifetime."""
    started = session.get("login_at")
    if started is None:
        return True
    hours = current_app.config["IKU_SESSION_ABSOLUTE_HOURS"]
    return datetime.now(timezone.utc).timestamp() - float(started) > hours * 3600
