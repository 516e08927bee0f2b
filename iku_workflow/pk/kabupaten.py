"""The kabupaten's read-only view of an office-year's PKs: a section on its page of the office (a capability
panel), and the downloads of the Word versions and of the signed scan, for the kabupaten's users only."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import login_required

from .. import storage
from ..access import kabupaten_office_or_404, require
from ..extensions import db
from ..models import Office, PerformanceAgreement, PerformanceVersion
from ..reports import DOCX_MIME
from . import bp, operations


def panel(office: Office, year: int) -> str:
    """The PKs of ``office`` in ``year`` (every holder, PK Perubahan included), their state, their versions
    and what the Camat's overview flags about them."""
    pks = db.session.scalars(sa.select(PerformanceAgreement).where(
        PerformanceAgreement.office_id == office.id, PerformanceAgreement.year == year)
        .order_by(PerformanceAgreement.holder != "camat", PerformanceAgreement.holder,
                  PerformanceAgreement.sequence.desc())).all()
    return render_template("pk/_kabupaten_panel.html", office=office, year=year, pks=pks,
                           holder_label=operations.holder_label, flags=operations.flags(office, year),
                           latest=operations.latest_version)


def _pk_of(code: str, pk_id: int) -> PerformanceAgreement:
    require("kabupaten.view")
    office = kabupaten_office_or_404(code)
    pk = db.session.get(PerformanceAgreement, pk_id)
    if pk is None or pk.office_id != office.id:
        abort(404)
    return pk


@bp.route("/kabupaten/kecamatan/<code>/pk/<int:pk_id>/versi/<int:number>.docx")
@login_required
def kabupaten_download(code: str, pk_id: int, number: int):
    from .views import _download_name

    pk = _pk_of(code, pk_id)
    version = db.session.scalar(sa.select(PerformanceVersion).where(
        PerformanceVersion.agreement_id == pk.id, PerformanceVersion.number == number))
    if version is None:
        abort(404)
    return storage.send(version.file_key, mimetype=DOCX_MIME, download_name=_download_name(pk, f"v{number}.docx"))


@bp.route("/kabupaten/kecamatan/<code>/pk/<int:pk_id>/ttd.pdf")
@login_required
def kabupaten_signed_scan(code: str, pk_id: int):
    from .views import _download_name

    pk = _pk_of(code, pk_id)
    if not pk.is_final or not pk.signed_path:
        abort(404)
    return storage.send(pk.signed_path, mimetype="application/pdf",
                        download_name=_download_name(pk, "ditandatangani.pdf"))
