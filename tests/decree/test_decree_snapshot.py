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


def test_sk_perubahan_starts_from_the_final_decree_and_reopens_the_iku(decree, office, client_as):
    from iku_workflow.indicators.locks import is_year_locked

    version = operations.generate_version(decree, get_user("sekcam"))
    operations.finalize(decree, version, tiny_pdf(), "ttd.pdf", get_user("camat"))
    db.session.commit()
    final_id, final_nomor, token = decree.id, decree.nomor, version.verify_token
    assert is_year_locked(office.id, 2025)
    sekcam = client_as("sekcam")
    catalogue = sekcam.get("/iku/2025").get_data(as_text=True)
    assert "SK perubahan" in catalogue and 'data-testid="to-amend"' in catalogue
    page = sekcam.get("/keputusan/2025").get_data(as_text=True)
    assert 'data-testid="amend-form"' in page and "data-confirm=" in page and "batalkan finalisasi" not in page

    response = sekcam.post("/keputusan/2025/perubahan", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="amendment-box"' in html and final_nomor in html
    db.session.expire_all()
    current = operations.find_decree(office, 2025)
    assert current.id != final_id and current.amends_id == final_id and current.sequence == 1
    assert not current.is_final and current.tentang.startswith("Perubahan atas Keputusan Camat Gumukmas Nomor")
    assert current.menimbang == db.session.get(type(current), final_id).menimbang
    # the IKU may be changed again; the signed decree keeps its public page
    assert not is_year_locked(office.id, 2025)
    assert 'data-testid="year-locked"' not in sekcam.get("/iku/2025").get_data(as_text=True)
    assert sekcam.get(f"/verifikasi/{token}").status_code == 200
    # a second SK perubahan while one is a draft is refused
    with pytest.raises(operations.DecreeError):
        operations.create_amendment(db.session.get(type(current), final_id), get_user("sekcam"))
    # finalising the SK perubahan locks the year again
    fresh = operations.generate_version(current, get_user("sekcam"))
    operations.update_decree(current, None, {"nomor": "000.8.6.3/99/35.09.04/2025"})
    operations.finalize(current, fresh, tiny_pdf("perubahan"), "ttd.pdf", get_user("camat"))
    db.session.commit()
    assert is_year_locked(office.id, 2025)
    assert 'data-testid="amendment-badge"' in sekcam.get("/keputusan").get_data(as_text=True)


def test_the_version_list_names_what_changed_between_versions(app):
    from iku_workflow.decree.content import snapshot_differences

    base = {"nomor": "1", "tentang": "IKU", "menimbang": ["a"], "signatory": {"name": "X"}, "kop": "h1",
            "annex": None}
    with app.test_request_context("/"):
        assert snapshot_differences(None, base) == []
        assert snapshot_differences(base, dict(base)) == []
        changed = dict(base, tentang="IKU 2026", signatory={"name": "Y"}, kop="h2")
        assert snapshot_differences(base, changed) == ["Diubah: tentang, penanda tangan, templat kop."]
