"""The capaian report page and its Word/Excel files carry the dashboard's numbers, and say plainly when
the year has no IKU data."""
from __future__ import annotations

import io
from types import SimpleNamespace

from iku_workflow.indicators import capaian_data

from factories import body_texts, open_docx


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


def _fake_summary(number, name, unit, target, tw, upto, year_value, capaian, capaian_upto, band, band_upto,
                  kinerja_utama="Meningkatnya kualitas pelayanan", measure="ratio:complaints"):
    """The shape of indicators.summary.IkuSummary that capaian_data.capaian_rows reads."""
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
    monkeypatch.setattr(capaian_data, "year_summary", lambda office_id, year: rows if office_id == office.id else [])
    monkeypatch.setattr(capaian_data, "year_completion",
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
