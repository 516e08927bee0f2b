"""Two operators editing one register row: the save from the older form is refused, the first change
stays, and the refused form keeps what its user typed."""
from __future__ import annotations

import re

import sqlalchemy as sa

from iku_workflow.extensions import db
from conftest import PASSWORD, get_user
from iku_workflow.models import Complaint, Role, User
from iku_workflow.security import hash_password

FORM = {"received_on": "2025-04-02", "channel": "sp4n", "desa": "Menampu", "summary": "Balap liar",
        "status": "masuk", "resolved_on": "", "resolution": "", "evidence_note": "Tangkapan layar"}


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_a_stale_save_is_refused_and_the_form_kept(client_as, office):
    trantib = get_user("trantib")
    db.session.add(User(office_id=trantib.office_id, username="trantib2", full_name="Operator Trantib 2",
                        role=Role.SEKSI, section_id=trantib.section_id, password_hash=hash_password(PASSWORD)))
    db.session.commit()
    first, second = client_as("trantib"), client_as("trantib2")
    assert first.post("/register/pengaduan/2025/baru", data=FORM).status_code == 302
    row = db.session.scalar(sa.select(Complaint))
    url = f"/register/pengaduan/data/{row.id}/ubah"
    # both open the edit form of the same version
    version_a = _version_in(first.get(url).get_data(as_text=True))
    version_b = _version_in(second.get(url).get_data(as_text=True))
    assert version_a == version_b == str(row.entry.version)

    saved = first.post(url, data={**FORM, "summary": "Balap liar di Jl. Raya", "version": version_a})
    assert saved.status_code == 302
    stale = second.post(url, data={**FORM, "summary": "Ringkasan dari formulir lama", "version": version_b})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert 'data-testid="edit-conflict"' in html and "sudah diubah oleh pengguna lain" in html
    assert "Ringkasan dari formulir lama" in html  # what the second user typed is still on the form
    db.session.expire_all()
    row = db.session.get(Complaint, row.id)
    assert row.summary == "Balap liar di Jl. Raya"  # the first change was not replaced

    # with the current version (after reloading) the save goes through
    fresh = _version_in(second.get(url).get_data(as_text=True))
    assert fresh != version_b
    assert second.post(url, data={**FORM, "summary": "Sesudah dimuat ulang", "version": fresh}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, row.id).summary == "Sesudah dimuat ulang"
