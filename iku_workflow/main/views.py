from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..access import require
from . import bp

# Capabilities register the endpoint of their landing page here; the first one that exists wins.
HOME_ENDPOINTS: list[str] = []


@bp.route("/")
@login_required
def home():
    require("dashboard.view")
    for endpoint in HOME_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return render_template("main/home.html", office=current_user.office)


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
