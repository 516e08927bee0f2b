"""The public verification page of a final decree at /verifikasi/<token>: no sign-in, throttled.

It shows only what the signed decree itself prints (office, nomor, date, signatory) and the SHA-256 of the
signed scan; an uploaded PDF is hashed and compared, never stored. Unknown tokens and drafts are 404."""
from __future__ import annotations

import hashlib

from flask import abort, current_app, render_template

from ..extensions import limiter
from ..formatting import format_date, format_nip
from . import operations, public_bp
from .forms import VerifyForm


def _limit() -> str:
    return current_app.config.get("IKU_DECREE_VERIFY_LIMIT", "20 per hour")


@public_bp.route("/verifikasi/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def verify(token: str):
    decree = operations.verified_decree(token)
    if decree is None:
        abort(404)
    signed = decree.final_version.snapshot or {}
    office, signatory = signed.get("office") or {}, signed.get("signatory") or {}
    form = VerifyForm()
    result = None
    status = 200
    if form.validate_on_submit():
        digest = hashlib.sha256()
        stream = form.pdf.data.stream
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
        uploaded = digest.hexdigest()
        result = {"sha256": uploaded, "match": bool(decree.signed_sha256) and uploaded == decree.signed_sha256}
    elif form.is_submitted():
        status = 422
    facts = {
        "office": office.get("name") or decree.office.name,
        "kabupaten": office.get("kabupaten") or "",
        "nomor": signed.get("nomor") or decree.nomor,
        "tanggal": format_date(decree.tanggal) if decree.tanggal else "",
        "jabatan": " ".join(x for x in (signatory.get("acting"), signatory.get("jabatan")) if x),
        "name": signatory.get("name") or "",
        "nip": format_nip(signatory.get("nip") or ""),
        "finalized_at": decree.finalized_at,
    }
    return render_template("decree/verify.html", decree=decree, facts=facts, form=form, result=result), status
