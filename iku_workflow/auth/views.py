from __future__ import annotations

import secrets

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db, limiter, login_username_key
from ..models import ApiToken
from ..models._types import utcnow
from ..security import PasswordPolicyError, check_password_policy, hash_password, verify_password
from . import bp, policy
from .forms import ApiTokenForm, EmptyForm, FirstPasswordForm, LanguageForm, LoginForm, PasswordChangeForm


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
    """Failed sign-ins of one username from one address."""
    return current_app.config["IKU_LOGIN_LIMIT"]


def _login_address_limit() -> str:
    """Failed sign-ins from one address, whatever the usernames (defaults to the same limit)."""
    return current_app.config.get("IKU_LOGIN_ADDRESS_LIMIT") or current_app.config["IKU_LOGIN_LIMIT"]


def _failed_sign_in(response) -> bool:
    """Only attempts that did not sign in count toward the limits: a success is the redirect onwards.

    Staff share the office's address and sign in many times a minute; counting their successes
    throttled correct passwords. Wrong passwords, refused accounts and invalid forms still count.
    """
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_address_limit, methods=["POST"], error_message="throttled", deduct_when=_failed_sign_in)
@limiter.limit(_login_limit, key_func=login_username_key, methods=["POST"], error_message="throttled",
               deduct_when=_failed_sign_in)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        now = utcnow()
        try:
            user = policy.sign_in(form.username.data, form.password.data, now, address=request.remote_addr or "")
        except policy.AccountLocked as refused:
            db.session.commit()  # the refused attempt is recorded
            flash(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(m)d menit.", m=refused.minutes),
                  "danger")
            return render_template("auth/login.html", form=form), 429
        except policy.AccountInactive:
            db.session.commit()
            flash(_("Akun ini telah dinonaktifkan. Hubungi admin kecamatan."), "danger")
            return render_template("auth/login.html", form=form), 403
        except policy.BadCredentials:
            db.session.commit()
            flash(_("Nama pengguna atau kata sandi salah."), "danger")
            return render_template("auth/login.html", form=form), 401
        # Success: a fresh session (no fixation), the token-bearing cookie.
        session.clear()
        login_user(user)
        session.permanent = True
        session["login_at"] = now.timestamp()
        db.session.commit()
        if user.must_change_password:
            return redirect(url_for("auth.first_password"))
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


def _set_own_password(user, form, action: str) -> bool:
    """Check ``form`` (current, new, confirm) and give ``user`` the new password: True when done.

    The session token rotates (every other cookie of the user ends) and this browser is signed in again
    with the new one; committed here. Problems go next to the fields and return False."""
    if not verify_password(user.password_hash, form.current.data):
        form.current.errors.append(_("Kata sandi saat ini salah."))
        return False
    try:
        check_password_policy(form.new.data, user.username)
    except PasswordPolicyError as exc:
        form.new.errors.append(str(exc))
        return False
    if action == "user.password_set" and form.new.data == form.current.data:
        form.new.errors.append(_("Kata sandi baru harus berbeda dari kata sandi sementara."))
        return False
    user.password_hash = hash_password(form.new.data)
    user.must_change_password = False
    user.rotate_session()
    audit.record(action, office_id=user.office_id, user=user, obj=user)
    db.session.commit()
    login_user(user)
    session["login_at"] = utcnow().timestamp()
    return True


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    pw_form = PasswordChangeForm(prefix="pw")
    lang_form = LanguageForm(prefix="lang", locale=current_user.locale)
    user = current_user._get_current_object()
    if pw_form.submit.data and pw_form.validate_on_submit():
        if _set_own_password(user, pw_form, "user.password_changed"):
            flash(_("Kata sandi berhasil diubah."), "success")
            return redirect(url_for("auth.account"))
    elif lang_form.submit.data and lang_form.validate_on_submit():
        user.locale = lang_form.locale.data
        db.session.commit()
        refresh()  # the form's validation already fixed this request's locale; say it in the new language
        flash(_("Bahasa tampilan disimpan."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(pw_form=pw_form, lang_form=lang_form)


def _account_page(*, pw_form=None, lang_form=None, token_form=None, new_secret: str | None = None,
                  new_token: ApiToken | None = None, status: int = 200):
    user = current_user._get_current_object()
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()
    return render_template(
        "auth/account.html", pw_form=pw_form or PasswordChangeForm(prefix="pw"),
        lang_form=lang_form or LanguageForm(prefix="lang", locale=user.locale),
        token_form=token_form or _new_token_form(), tokens=tokens, revoke_form=EmptyForm(),
        new_secret=new_secret, new_token=new_token), status


#: how many creation values of the token form a session remembers (one per showing of the form)
USED_TOKEN_FORMS = 10


def _new_token_form() -> ApiTokenForm:
    form = ApiTokenForm(prefix="token")
    form.once.data = secrets.token_urlsafe(16)
    return form


@bp.route("/akun/token", methods=["POST"])
@login_required
def create_api_token():
    """A new personal API token; its secret is shown on this answer only (it is not stored).

    A form is good for one token: the browser's "reload" of this answer posts the same form again, and is
    answered with the account page saying so instead of a second token."""
    form = ApiTokenForm(prefix="token")
    if not form.validate_on_submit():
        form.once.data = form.once.data or secrets.token_urlsafe(16)
        return _account_page(token_form=form)
    used = list(session.get("used_token_forms", []))
    once = (form.once.data or "").strip()
    if not once or once in used:
        flash(_("Token dari formulir ini sudah dibuat; rahasianya hanya ditampilkan sekali. Buat token baru bila "
                "rahasia itu tidak tersimpan, lalu cabut yang lama."), "warning")
        return redirect(url_for("auth.account") + "#token-api")
    session["used_token_forms"] = (used + [once])[-USED_TOKEN_FORMS:]
    user = current_user._get_current_object()
    token, secret = ApiToken.issue(user, form.name.data.strip())
    db.session.flush()
    audit.record("api_token.created", office_id=user.office_id, user=user, obj=token, name=token.name,
                 prefix=token.prefix)
    db.session.commit()
    # No redirect: the secret must not travel in an address or a cookie; this page is its only showing.
    return _account_page(new_secret=secret, new_token=token)


@bp.route("/akun/token/<int:token_id>/cabut", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    form = EmptyForm()
    user = current_user._get_current_object()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:  # only one's own tokens, and never a hint of others'
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoked", office_id=user.office_id, user=user, obj=token, name=token.name,
                     prefix=token.prefix)
        db.session.commit()
        flash(_("Token API «%(name)s» dicabut; token itu tidak dapat dipakai lagi.", name=token.name), "success")
    return redirect(url_for("auth.account") + "#token-api")


@bp.route("/kata-sandi-baru", methods=["GET", "POST"])
@login_required
def first_password():
    """The password a user must choose after an admin or an import set one for them."""
    user = current_user._get_current_object()
    if not user.must_change_password:
        return redirect(url_for("main.home"))
    form = FirstPasswordForm()
    if form.validate_on_submit() and _set_own_password(user, form, "user.password_set"):
        flash(_("Kata sandi Anda sendiri telah disimpan."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/first_password.html", form=form)


#: What a user who must still choose a password may open: this page, sign-out, the language switch,
#: static files and the public pages (questionnaire, decree verification, health check).
FIRST_PASSWORD_OPEN_ENDPOINTS = frozenset({"auth.first_password", "auth.logout", "auth.set_language", "static",
                                           "main.healthz"})
FIRST_PASSWORD_OPEN_BLUEPRINTS = frozenset({"survey_public", "decree_public"})


@bp.before_app_request
def _first_password_first():
    """A signed-in user whose password someone else set is sent to choose their own, from every page."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    endpoint = request.endpoint or ""
    if endpoint in FIRST_PASSWORD_OPEN_ENDPOINTS or request.blueprint in FIRST_PASSWORD_OPEN_BLUEPRINTS:
        return None
    if policy.session_expired():
        return None  # the absolute session timeout signs the user out first
    return redirect(url_for("auth.first_password"))
