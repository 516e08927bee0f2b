"""A final decree is what was signed: finalising a version older than the year's IKU is refused with what
differs, and the preview of a final decree shows the frozen office profile, not today's."""
from __future__ import annotations

import pytest

from conftest import get_user
from iku_workflow.decree import operations
from iku_workflow.extensions import db
from iku_workflow.indicators.locks import locked_message
from iku_workflow.models import Decree

from factories import indicator, seeded_iku, tiny_pdf


@pytest.fixture
def decree(office) -> Decree:
    d = operations.find_decree(office, 2025) or operations.create_decree(office, 2025, get_user("sekcam"))
    db.session.commit()
    return d


def test_finalising_a_version_made_before_the_iku_changed_is_refused(decree, office):
    version = operations.generate_version(decree, get_user("sekcam"))
    assert not (version.snapshot.get("annex_from_seed"))
    seeded_iku(office, 2).sumber_data = "Data baru"
    indicator(office, 7, 2025, measure="manual", name="Indikator tambahan")
    db.session.commit()
    with pytest.raises(operations.DecreeError) as refused:
        operations.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    message = str(refused.value)
    assert "Versi 1 dibuat sebelum IKU" in message
    assert "IKU 2 (Indeks Kepuasan Masyarakat): sumber data berubah." in message
    assert "IKU 7 (Indikator tambahan) ditambahkan." in message
    db.session.rollback()
    assert not decree.is_final
    fresh = operations.generate_version(decree, get_user("sekcam"))
    operations.finalize(decree, fresh, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()
    assert decree.is_final


def test_refusal_is_shown_on_the_page(decree, office, client_as):
    version = operations.generate_version(decree, get_user("sekcam"))
    db.session.commit()
    office_iku = seeded_iku(office, 1)
    db.session.delete(office_iku)
    db.session.commit()
    import io

    c = client_as("camat")
    page = c.post("/keputusan/2025/final", data={"version": str(version.number),
                                                 "signed": (io.BytesIO(tiny_pdf()), "ttd.pdf")},
                  content_type="multipart/form-data", follow_redirects=True)
    assert "dihapus." in page.get_data(as_text=True)
    db.session.refresh(decree)
    assert not decree.is_final


def test_preview_of_a_final_decree_shows_what_was_signed(decree, office, client_as):
    version = operations.generate_version(decree, get_user("sekcam"))
    operations.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()
    signed_name = office.camat_name
    office.camat_name = "CAMAT PENGGANTI BARU"
    office.address = "Jl. Alamat Baru 99"
    db.session.commit()
    page = client_as("sekcam").get("/keputusan/2025/pratinjau").get_data(as_text=True)
    assert signed_name in page and "CAMAT PENGGANTI BARU" not in page
    # the signed Word file is the stored one, also unchanged
    assert operations.version_bytes(version)


def test_lock_message_no_longer_offers_undoing_the_final_decree(app):
    message = locked_message(2025)
    assert "batalkan finalisasi" not in message and "SK perubahan" in message
