from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..access import require
from ..capability import registry
from . import bp


@bp.route("/")
@login_required
def home():
    if current_user.role.is_kabupaten and "kabupaten.console" in current_app.view_functions:
        return redirect(url_for("kabupaten.console"))  # a kabupaten user's landing page: the console
    require("dashboard.view")
    landing = registry().home_endpoints  # declared by the capabilities (e.g. the dashboard)
    if landing:
        return redirect(url_for(landing[0]))
    return render_template("main/home.html", office=current_user.office)


@bp.route("/healthz")
def healthz():
    """For the load balancer and monitoring: 200 only when the database answers."""
    import sqlalchemy as sa

    from ..extensions import db

    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            pass
        return {"status": "error", "database": "down"}, 503, {"Retry-After": "30"}
    return {"status": "ok", "database": "ok"}
