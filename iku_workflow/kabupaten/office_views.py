"""The office's page of changes its kabupaten's standard offers ("perbarui dari standar kabupaten").

Updates to rows the office never edited are ticked by default; rows the office edited itself (a
conflict) are shown side by side and taken only when ticked. Nothing is written without the POST.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..access import require
from ..auth.forms import EmptyForm
from ..extensions import db
from ..indicators.locks import YearLocked, is_year_locked
from ..models import Office
from . import office_bp, standard

FIELD_LABELS = {
    "kinerja_utama": _l("Kinerja utama"), "name": _l("Nama"), "formulation": _l("Formulasi"),
    "bidang_text": _l("Bidang"), "sumber_data": _l("Sumber data"), "unit": _l("Satuan"),
    "polarity": _l("Polaritas"), "lower_formula": _l("Rumus capaian"), "year_rule": _l("Aturan tahunan"),
    "measure": _l("Cara pengukuran"), "sections": _l("Seksi"), "code": _l("Kode"), "group": _l("Kelompok"),
    "section": _l("Seksi pemilik"), "due": _l("Batas waktu"),
}


@office_bp.route("/standar/<int:year>", methods=["GET", "POST"])
@login_required
def updates(year: int):
    require("indicators.manage")
    office = db.session.get(Office, current_user.office_id)
    if office is None or not 2000 <= year <= 2100:
        abort(404)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        keys = request.form.getlist("take")
        if not keys:
            flash(_("Tidak ada perubahan yang dipilih; tidak ada yang diubah."), "warning")
            return redirect(url_for("standard.updates", year=year))
        try:
            taken = standard.take_updates(office, year, keys, current_user)
        except YearLocked as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("standard.updates", year=year))
        db.session.commit()
        flash(_("%(n)s perubahan dari standar kabupaten diambil.", n=taken), "success")
        return redirect(url_for("standard.updates", year=year))
    changes = standard.pending_updates(office, year)
    return render_template("kabupaten/updates.html", office=office, year=year, changes=changes, form=form,
                           locked=is_year_locked(office.id, year), labels=FIELD_LABELS)


def pending_count(office_id: int, year: int) -> int:
    """The number of changes offered (the IKU page shows it)."""
    office = db.session.get(Office, office_id)
    return len(standard.pending_updates(office, year)) if office is not None else 0
