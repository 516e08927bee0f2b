"""The public verification page of a final PK at /verifikasi-pk/<token>: no sign-in, throttled.

It shows only what the signed PK itself prints (office, year, both parties) and the SHA-256 of the signed scan;
an uploaded PDF is hashed and compared, never stored. Unknown tokens and drafts are 404."""
from __future__ import annotations

import hashlib

from flask import abort, current_app, render_template

from ..extensions import limiter
from ..formatting import format_date, format_nip
from . import operations, public_bp
from .forms import PkVerifyForm


def _limit() -> str:
    return current_app.config.get("IKU_DECREE_VERIFY_LIMIT", "20 per hour")


def _party(data: dict) -> dict:
    return {"jabatan": " ".join(x for x in (data.get("acting"), data.get("jabatan")) if x),
            "name": data.get("name") or "", "nip": format_nip(data.get("nip") or "") if data.get("nip") else ""}


@public_bp.route("/verifikasi-pk/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def verify(token: str):
    pk = operations.verified_pk(token)
    if pk is None:
        abort(404)
    signed = pk.final_version.snapshot or {}
    office = signed.get("office") or {}
    form = PkVerifyForm()
    result = None
    status = 200
    if form.validate_on_submit():
        digest = hashlib.sha256()
        stream = form.pdf.data.stream
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
        uploaded = digest.hexdigest()
        result = {"sha256": uploaded, "match": bool(pk.signed_sha256) and uploaded == pk.signed_sha256}
    elif form.is_submitted():
        status = 422
    tanggal = signed.get("tanggal")
    from datetime import date

    facts = {
        "office": office.get("name") or pk.office.name,
        "kabupaten": office.get("kabupaten") or "",
        "title": f"Perjanjian Kinerja{' Perubahan' if signed.get('amendment') else ''} Tahun {pk.year}",
        "unit": signed.get("unit") or "",
        "tanggal": format_date(date.fromisoformat(tanggal)) if tanggal else "",
        "first": _party(signed.get("first") or {}),
        "second": _party(signed.get("second") or {}),
        "rows": len(signed.get("rows") or []),
        "finalized_at": pk.finalized_at,
    }
    return render_template("pk/verify.html", pk=pk, facts=facts, form=form, result=result), status
