"""The kabupaten's page of one office-year shows what the capabilities keep of the year, read-only: the PKs
(state, Word version, signed scan, flags) and the renaksi monitoring (capaian s.d. each TW and the notes'
state), with downloads only for the kabupaten's users of the office's own kabupaten."""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest

from conftest import get_user
from factories import open_docx, seeded_iku, tiny_pdf
from iku_workflow import storage
from iku_workflow.extensions import db
from iku_workflow.models import PkLevel
from iku_workflow.pk import operations as pk_ops
from iku_workflow.renaksi import operations as renaksi_ops

PAGE = "/kabupaten/kecamatan/gumukmas/2025"


def _final_pk(office):
    pk = pk_ops.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    version = pk_ops.generate_version(pk, get_user("sekcam"))
    pk_ops.finalize(pk, version, tiny_pdf("PK ditandatangani"), "pk.pdf", get_user("camat"))
    db.session.commit()
    return pk, version


def test_without_a_pk_the_page_says_so_and_the_renaksi_falls_back_to_the_iku(kab_viewer, office):
    html = kab_viewer.get(PAGE).get_data(as_text=True)
    assert 'data-testid="kab-pk-none"' in html and "belum membuat perjanjian kinerja tahun 2025" in html
    table = html[html.index('data-testid="kab-renaksi-table"'):]
    assert all(f'data-iku="{n}"' in table for n in range(1, 7))
    assert "belum ada catatan" in table


def test_a_final_pk_is_listed_with_its_word_version_and_signed_scan(kab_viewer, office):
    pk, version = _final_pk(office)
    html = kab_viewer.get(PAGE).get_data(as_text=True)
    row = html[html.index('data-pk="camat-0"'):]
    row = row[:row.index("</tr>")]
    assert "Final" in row and "Word versi 1" in row
    docx = kab_viewer.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/versi/1.docx")
    assert docx.status_code == 200 and hashlib.sha256(docx.data).hexdigest() == version.sha256
    assert docx.headers["Cache-Control"] == "no-store"
    assert "PERJANJIAN KINERJA" in "\n".join(p.text for p in open_docx(docx.data).paragraphs).upper()
    scan = kab_viewer.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/ttd.pdf")
    assert scan.status_code == 200 and scan.data == storage.read(pk.signed_path)
    assert kab_viewer.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/versi/2.docx").status_code == 404


def test_the_pk_flags_of_the_overview_are_shown(kab_viewer, office):
    pk = pk_ops.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    rows = [pk_ops._row_values(t) for t in pk.targets]
    rows[0]["target"] = Decimal("1")
    pk_ops.set_rows(pk, None, rows)
    db.session.commit()
    html = kab_viewer.get(PAGE).get_data(as_text=True)
    flags = re.findall(r'data-testid="kab-pk-flag">([^<]*)<', html)
    assert flags == pk_ops.flags(office, 2025) and any("berbeda dengan target IKU" in f for f in flags)
    assert "belum ada versi Word" in html  # a draft without a version


def test_the_renaksi_capaian_are_the_monitoring_page_s_and_the_report_downloads(kab_viewer, office):
    iku6 = seeded_iku(office, 6)
    renaksi_ops.set_targets(iku6, None, {1: Decimal("25"), 2: Decimal("50"), 3: Decimal("75"), 4: Decimal("100")})
    db.session.commit()
    html = kab_viewer.get(PAGE).get_data(as_text=True)
    table = html[html.index('data-testid="kab-renaksi-table"'):]
    measured = 0
    for tw in renaksi_ops.TW:
        for row in renaksi_ops.monitoring(office, 2025, tw):
            cell = table[table.index(f'data-iku="{row.indicator.number}"'):]
            cell = cell[cell.index(f'data-tw="{tw}"'):]
            cell = cell[:cell.index("</td>")]
            if row.capaian is None:
                assert "—" in cell
            else:
                assert f"{row.capaian:.2f}".replace(".", ",") + "%" in cell
                measured += 1
    assert measured >= 4  # the demo's IKU 1 and the SKM of IKU 2 have a capaian
    report = kab_viewer.get("/kabupaten/kecamatan/gumukmas/renaksi/2025/monitoring/2.docx")
    assert report.status_code == 200 and "Monitoring-Renaksi-TW2-Gumukmas-2025.docx" in report.headers["Content-Disposition"]
    assert "KECAMATAN GUMUKMAS" in "\n".join(p.text for p in open_docx(report.data).paragraphs)
    assert kab_viewer.get("/kabupaten/kecamatan/gumukmas/renaksi/2025/monitoring/5.docx").status_code == 404


@pytest.mark.parametrize("username", ["sekcam", "camat", "trantib"])
def test_the_kabupaten_downloads_are_not_for_an_office_s_users(client_as, office, username):
    pk, _version = _final_pk(office)
    client = client_as(username)
    assert client.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/versi/1.docx").status_code == 403
    assert client.get("/kabupaten/kecamatan/gumukmas/renaksi/2025/monitoring/1.docx").status_code == 403


def test_another_kabupaten_never_reaches_an_office_s_pk(client_as, office, bondowoso):
    pk, _version = _final_pk(office)
    other = client_as("kab-bondowoso")
    assert other.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/versi/1.docx").status_code == 404
    assert other.get(f"/kabupaten/kecamatan/gumukmas/pk/{pk.id}/ttd.pdf").status_code == 404
    # an office of its own kabupaten with the id of another office's PK
    assert other.get(f"/kabupaten/kecamatan/tegalampel/pk/{pk.id}/versi/1.docx").status_code == 404
    assert other.get("/kabupaten/kecamatan/gumukmas/renaksi/2025/monitoring/1.docx").status_code == 404
