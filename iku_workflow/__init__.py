"""IKU Workflow: the key performance indicators of a kecamatan, from evidence to signed decree."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from flask import Flask, flash, has_request_context, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """templates/ and migrations/ sit at the top of a checkout, or inside the package when installed."""
    for candidate in (PACKAGE_DIR.parent / name, PACKAGE_DIR / "bundled" / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR.parent / name


TEMPLATE_DIR = _resource_dir("templates")
MIGRATIONS_DIR = _resource_dir("migrations")


def create_app(config: dict[str, Any] | None = None, capabilities: Sequence | None = None) -> Flask:
    """Build the Flask app: configuration, extensions, the capabilities (``capabilities.ALL`` unless
    another list is given), error pages and the CLI."""
    from .config import build_config
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    app = Flask(__name__, template_folder=str(TEMPLATE_DIR), instance_relative_config=True,
                instance_path=instance_path())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    overrides = dict(config or {})
    app.config.update(build_config(app.instance_path, secret_key=overrides.get("SECRET_KEY")))
    app.config.update(overrides)
    app.config.setdefault("RATELIMIT_ENABLED", True)

    if app.config.get("IKU_BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    from . import storage, url_params

    url_params.init_app(app)  # before the blueprints: their <int:...> use the bounded converter
    storage.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Asia/Jakarta")
    from .template_filters import page_datetime

    app.jinja_env.filters["datetimeformat"] = page_datetime  # Flask-Babel's, with "WIB" after a time of day
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login flashes login_message through localize_callback, in the visitor's language.
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    from . import models  # noqa: F401  (register the tables)
    from .models import User

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        import sqlalchemy as sa

        return db.session.scalar(sa.select(User).where(User.session_token == token, User.active.is_(True)))

    from .capability import install

    if capabilities is None:
        from .capabilities import ALL as capabilities
    install(app, capabilities)
    _register_hooks(app)
    _register_errors(app)
    _register_template_helpers(app)
    if app.config.get("IKU_CHECK_MEASURES", True):
        from .indicators.measure_keys import check_indicator_measures

        check_indicator_measures(app)  # refuses to start on an indicator whose measure nobody declares
    return app


def instance_path() -> str | None:
    """IKU_INSTANCE_PATH (made absolute), else None: Flask's ``instance/`` beside the package.

    Each app server of a shared-nothing deployment can be given its own; with PostgreSQL, the S3 store
    and SECRET_KEY set, nothing is written there."""
    chosen = os.environ.get("IKU_INSTANCE_PATH", "").strip()
    return str(Path(chosen).resolve()) if chosen else None


def _select_locale() -> str:
    # Flask-Babel also asks outside requests (CLI, seeders): there is no user or session there.
    if not has_request_context():
        return "id"
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale or "id"
    chosen = session.get("locale")
    if chosen in ("id", "en"):
        return chosen
    return "id"


def _register_hooks(app: Flask) -> None:
    from .auth.policy import session_expired

    from .api.errors import is_api_request

    @app.before_request
    def _absolute_session_timeout():
        if is_api_request():  # the API reads no cookie (a bearer token); an expired session means nothing there
            return None
        if current_user.is_authenticated and session_expired():
            logout_user()
            session.clear()
            flash(_("Sesi Anda telah berakhir. Silakan masuk kembali."), "warning")
            return redirect(url_for("auth.login", next=request.path if request.method == "GET" else None))
        return None

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        if "attachment" in response.headers.get("Content-Disposition", ""):
            # a download (evidence, signed scan, generated document): never kept by a browser or proxy;
            # send_file's own "no-cache" only asks to revalidate and still stores the file
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("IKU_HTTPS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def _register_errors(app: Flask) -> None:
    from .extensions import db

    from .api.errors import is_api_request, json_error

    def render_error(code: int, title: str, message: str):
        if is_api_request():  # the JSON API answers every error in JSON (api/errors.py)
            return json_error(code, message)
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(exc):
        return render_error(400, _("Permintaan tidak sah"), _("Permintaan tidak dapat diproses. Muat ulang halaman dan coba lagi."))

    @app.errorhandler(403)
    def forbidden(exc):
        return render_error(403, _("Akses ditolak"), _("Anda tidak memiliki izin untuk membuka halaman atau melakukan tindakan ini."))

    @app.errorhandler(404)
    def not_found(exc):
        if request.path.startswith("/s/"):  # a mistyped public survey link: the survey's own public page
            return render_template("survey/public_404.html", public=None), 404
        return render_error(404, _("Halaman tidak ditemukan"), _("Halaman atau data yang Anda cari tidak ada."))

    @app.errorhandler(405)
    def method_not_allowed(exc):
        # Typically a bookmarked or reloaded address of a form action (they accept POST only).
        body, code = render_error(405, _("Alamat ini tidak dapat dibuka langsung"),
                                  _("Halaman ini hanya menerima kiriman formulir. Buka kembali halaman sebelumnya dan "
                                    "gunakan tombolnya."))
        return body, code, {"Allow": ", ".join(sorted(exc.valid_methods or []))}

    @app.errorhandler(413)
    def too_large(exc):
        # The body was refused before it was read: the page (its sign-out form, CSRF) must not read it
        # again, or the error page itself raises RequestEntityTooLarge. Nothing of it is stored.
        from werkzeug.datastructures import ImmutableMultiDict

        request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
        db.session.rollback()
        mb = app.config["IKU_MAX_UPLOAD_MB"]
        return render_error(413, _("Berkas terlalu besar"), _("Ukuran berkas melebihi batas %(mb)d MB.", mb=mb))

    @app.errorhandler(429)
    def throttled(exc):
        if request.endpoint == "auth.login":
            from .auth.forms import LoginForm

            flash(_("Terlalu banyak percobaan masuk. Tunggu sebentar lalu coba lagi."), "danger")
            return render_template("auth/login.html", form=LoginForm()), 429
        return render_error(429, _("Terlalu banyak permintaan"), _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_error(500, _("Terjadi kesalahan"), _("Terjadi kesalahan pada server. Perubahan Anda tidak disimpan; silakan coba lagi."))

    import sqlalchemy as sa

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def database_unreachable(exc):
        """The database cannot be reached: the app's own page, built without asking the database again.

        The signed-in user is loaded from the database, and the menu counts things in it; the page is
        rendered for an anonymous visitor instead, so that rendering it cannot fail the same way."""
        from flask import g

        from .extensions import login_manager

        app.logger.error("database unreachable: %s", exc)
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            pass
        g._login_user = login_manager.anonymous_user()
        body, code = render_error(503, _("Basis data tidak dapat dihubungi"),
                                  _("Server basis data sedang tidak dapat dihubungi. Perubahan Anda tidak disimpan. "
                                    "Tunggu beberapa saat, lalu muat ulang halaman ini."))
        return body, code, {"Retry-After": "30"}

    from werkzeug.exceptions import HTTPException

    @app.errorhandler(HTTPException)
    def other_http_error(exc):
        """Any other HTTP error still gets the app's Indonesian page rather than Werkzeug's English one."""
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code, _("Permintaan tidak dapat dipenuhi"),
                            _("Permintaan tidak dapat dipenuhi (kode %(code)d). Kembali ke beranda dan coba lagi.",
                              code=exc.code))

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, _("Formulir kedaluwarsa"), _("Formulir telah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))


def _new_password_attrs() -> dict:
    """The attributes of a field where a new password is typed: the browser's minlength and the message
    app.js shows at once when it is shorter (the server checks again: ``security.check_password_policy``)."""
    from .security import MIN_PASSWORD_LENGTH

    return {"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH,
            "data-minlength-message": _("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH)}


def _register_template_helpers(app: Flask) -> None:
    from .access import can
    from .auth.forms import EmptyForm
    from . import nav

    @app.context_processor
    def inject():
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "get_locale": get_locale,
            "logout_form": EmptyForm,
            "nav_items": nav.items_for(current_user),
            "nav_badges": nav.badges_for(current_user),
            "new_password_attrs": _new_password_attrs,
        }
