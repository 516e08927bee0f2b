"""/admin/kop (the office's base template), the capaian report page and the CLI build."""
from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

from conftest import get_user
from iku_workflow import storage
from iku_workflow.decree import operations, sources
from iku_workflow.extensions import db
from iku_workflow.models import DecreeVersion, OfficeTemplate

from factories import body_texts, header_text, open_docx


def _with_kop_text(template: bytes, text: str) -> bytes:
    doc = open_docx(template)
    header = doc.sections[0].first_page_header
    header.paragraphs[0].text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _with_external_link(template: bytes) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(template)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/hyperlink" Target="http://contoh.invalid/" '
                                    b'TargetMode="External"/></Relationships>')
            dst.writestr(item, data)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "kop.docx"):
    return client.post("/admin/kop", data={"template": (io.BytesIO(data), name)}, follow_redirects=True)


def test_download_edit_upload_and_revert_the_kop(client_as, office):
    admin = client_as("admin")
    response = admin.get("/admin/kop/templat.docx")
    assert response.status_code == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
    base = response.data
    assert "KECAMATAN GUMUKMAS" in header_text(open_docx(base).sections[0].first_page_header)
    assert "kop bawaan" in admin.get("/admin/kop").get_data(as_text=True)

    page = _upload(admin, _with_kop_text(base, "KOP UJI GUMUKMAS")).get_data(as_text=True)
    assert "Templat kop diunggah" in page and "kop.docx" in page
    decree = operations.create_decree(office, 2026, None)
    version = operations.generate_version(decree, None)
    db.session.commit()  # the test clients' requests share this session; their rollbacks must not undo it
    assert "KOP UJI GUMUKMAS" in header_text(open_docx(operations.version_bytes(version)).sections[0].first_page_header)
    # the admin's download is now the uploaded template
    assert "KOP UJI GUMUKMAS" in header_text(open_docx(admin.get("/admin/kop/templat.docx").data).sections[0].first_page_header)

    for bad, name, reason in ((b"bukan dokumen word", "kop.docx", "bukan dokumen Word"),
                              (_with_external_link(base), "kop.docx", "tautan ke berkas luar")):
        page = _upload(admin, bad, name).get_data(as_text=True)
        assert "Templat ditolak" in page and reason in page and "Templat sebelumnya tetap dipakai" in page
    active = operations.active_template(office)
    assert active is not None and "KOP UJI GUMUKMAS" in header_text(open_docx(storage.read(active.file_key)).sections[0].first_page_header)
    assert db.session.query(OfficeTemplate).count() == 1

    admin.post("/admin/kop/bawaan")
    assert operations.active_template(office) is None
    assert db.session.query(OfficeTemplate).count() == 1  # kept, inactive
    fresh = operations.generate_version(decree, None)
    assert "KOP UJI" not in header_text(open_docx(operations.version_bytes(fresh)).sections[0].first_page_header)


def test_only_the_admin_manages_the_kop(client_as, office, other_office):
    assert client_as("sekcam").get("/admin/kop").status_code == 403
    assert client_as("camat").post("/admin/kop/bawaan").status_code == 403
    # Puger's admin downloads Puger's kop, never Gumukmas's upload
    base = client_as("admin").get("/admin/kop/templat.docx").data
    _upload(client_as("admin"), _with_kop_text(base, "KOP KHUSUS GUMUKMAS"))
    puger = client_as("admin-puger").get("/admin/kop/templat.docx").data
    header = header_text(open_docx(puger).sections[0].first_page_header)
    assert "KECAMATAN PUGER" in header and "KHUSUS GUMUKMAS" not in header


def test_capaian_report_says_plainly_when_the_iku_data_are_missing(client_as, office):
    viewer = client_as("camat")
    page = viewer.get("/laporan/capaian/2031?periode=tw2").get_data(as_text=True)
    assert 'data-testid="iku-unavailable"' in page
    assert "Data IKU tahun 2031 belum diisi" in page
    assert 'data-testid="capaian-docx"' not in page
    assert viewer.get("/laporan/capaian/2031.docx?periode=tw2").status_code == 404
    assert viewer.get("/laporan/capaian/2031.pdf").status_code == 404
    assert viewer.get("/laporan/capaian/2031?periode=tw9").status_code == 404
    assert viewer.get("/laporan/capaian").status_code == 302


def test_cli_build_writes_a_readable_docx(runner, office, tmp_path):
    out = tmp_path / "keputusan.docx"
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "dibuat dari keputusan acuan" in result.output and "versi 1" in result.output
    texts = body_texts(open_docx(out.read_bytes()))
    assert "KEPUTUSAN CAMAT GUMUKMAS" in texts and "KEENAM" in texts
    result = runner.invoke(args=["decree", "build", "--office", "gumukmas", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0 and "versi 2" in result.output
    assert db.session.query(DecreeVersion).count() == 2
    assert db.session.query(DecreeVersion).filter_by(number=2).one().created_by_name == "baris perintah (CLI)"


def test_cli_unknown_office_fails(runner, office, tmp_path):
    result = runner.invoke(args=["decree", "build", "--office", "tidakada", "--year", "2026",
                                 "--out", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    assert not (tmp_path / "x.docx").exists()


def _fake_summary(number, name, unit, target, tw, upto, year_value, capaian, capaian_upto, band, band_upto,
                  kinerja_utama="Meningkatnya kualitas pelayanan", measure="ratio:complaints"):
    """The shape of indicators.summary.IkuSummary that sources.capaian_rows reads."""
    from types import SimpleNamespace

    from iku_workflow.domain.capaian import criteria

    return SimpleNamespace(
        number=number, name=name, unit=unit, target=target, target_upto={2: target},
        measured=SimpleNamespace(tw=tw, upto=upto, year=year_value), capaian=capaian, capaian_upto=capaian_upto,
        band=criteria(capaian), band_upto={2: criteria(capaian_upto[2])}, kinerja_utama=kinerja_utama,
        measure=measure)


def test_capaian_report_carries_the_dashboard_numbers(client_as, office, monkeypatch):
    from decimal import Decimal as D

    import openpyxl

    from iku_workflow.domain.completion import Rate

    rows = [_fake_summary(4, "Persentase Tingkat Penyelesaian Laporan", "%", D(100),
                          {1: D("95.24"), 2: D("95.83"), 3: D(90), 4: None}, {1: D("95.24"), 2: D("95.56")},
                          D("93.10"), D("93.10"), {2: D("95.56")}, None, None),
            _fake_summary(5, "Nilai SAKIP OPD", "nilai", D(70), {1: None, 2: D("82.5"), 3: None, 4: None},
                          {1: None, 2: D("82.5")}, D("82.5"), D("117.86"), {2: D("117.86")}, None, None,
                          kinerja_utama="Meningkatnya akuntabilitas", measure="score:sakip")]
    monkeypatch.setattr(sources, "year_summary", lambda office_id, year: rows if office_id == office.id else [])
    monkeypatch.setattr(sources, "year_completion",
                        lambda office_id, year: SimpleNamespace(overall=Rate(7, 8)))
    camat = client_as("camat")
    page = camat.get("/laporan/capaian/2026?periode=tw2").get_data(as_text=True)
    assert 'data-testid="capaian-table"' in page and "95,56" in page and "Sangat Tinggi" in page
    assert "90,00" not in page  # TW III is past the chosen period
    assert "Meningkatnya kualitas pelayanan" in page and 'colspan="5" class="text-center">Realisasi<' in page
    assert 'data-testid="sakip-predikat">Predikat SAKIP: A (Memuaskan)<' in page
    response = camat.get("/laporan/capaian/2026.xlsx?periode=tw2")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [c.value for c in ws[8]]
    assert values[:3] == [4, "Meningkatnya kualitas pelayanan", "Persentase Tingkat Penyelesaian Laporan"]
    assert float(values[6]) == 95.56  # s.d. TW II, not TW II alone
    assert float(values[9]) == 95.56 and values[11] == "Sangat Tinggi"
    assert ws["M9"].value == "Predikat SAKIP: A (Memuaskan)"
    texts = body_texts(open_docx(camat.get("/laporan/capaian/2026.docx").data))
    assert "TAHUN 2026" in texts and "93,10" in texts
    assert "Tingkat kelengkapan dokumen Tahun 2026: 87,50% (7 dari 8 dokumen wajib disetujui)" in texts
    assert "Predikat SAKIP: A (Memuaskan)" in texts
    assert any("NIP. 19840624 200212 1 001" in t for t in texts)
