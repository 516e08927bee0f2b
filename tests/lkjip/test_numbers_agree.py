"""Issue 15: every number of the Bab III draft is the dashboard's number for the same period.

The draft is read back with python-docx; the dashboard is read as the Camat sees it (/dasbor/<year>, each
IKU's card); both are turned into numbers (Indonesian "1.234,56") and compared. Figures the dashboard does
not show (entered earlier years, Renstra progress, serapan, efficiency) are compared with values worked
out here by hand from what was entered."""
from __future__ import annotations

import re
from decimal import Decimal

import factories as mk
from conftest import get_user
from factories import open_docx
from iku_workflow.extensions import db
from iku_workflow.indicators import operations as ind_ops
from iku_workflow.lkjip import operations as lk
from iku_workflow.models import Office

YEAR = 2025
NONE = {"–", "—", "", "tidak ada data"}


def number(text: str) -> Decimal | None:
    """"1.234,56", "97,56%", "82 %", "11" -> Decimal; a "no figure" mark -> None."""
    text = text.strip().rstrip("%").strip()
    if text in NONE:
        return None
    assert re.fullmatch(r"-?[0-9.]+(,[0-9]+)?", text), text
    return Decimal(text.replace(".", "").replace(",", "."))


def dashboard(client, year: int) -> dict[int, dict[str, Decimal | None | str]]:
    """Each IKU card of the dashboard: target, realisation, capaian as shown."""
    html = client.get(f"/dasbor/{year}").get_data(as_text=True)
    out = {}
    for chunk in html.split('<section class="card h-100" data-iku="')[1:]:
        n = int(chunk.split('"', 1)[0])
        shown = {k: re.search(rf'data-testid="{k}">([^<]*)<', chunk).group(1)
                 for k in ("target", "realisation", "capaian")}
        out[n] = {k: number(v) for k, v in shown.items()}
    return out


def tables(data: bytes) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in open_docx(data).tables]


def table_after(all_tables, header_start: tuple[str, ...]):
    for t in all_tables:
        if tuple(t[0][:len(header_start)]) == header_start:
            yield t


def set_up_the_year(office: Office) -> None:
    """Realisations for every IKU of 2025, a 2024 run in the app, 2023 typed from a document, the Renstra
    2025–2029 and two programs."""
    rows = [mk.complaint(office), mk.complaint(office, status="diproses"), mk.activity(office, tw=1),
            mk.activity(office, tw=2, facilitated=False), mk.sakip(office), mk.program(office, "100", "90")]
    mk.approve(*rows)
    sekcam = get_user("sekcam")
    ind_ops.copy_year(office.id, YEAR, YEAR - 1, sekcam, with_targets=True)
    db.session.commit()
    sakip_2024 = mk.sakip(office, score="65.25", year=YEAR - 1)
    mk.approve(sakip_2024)
    lk.save_past_values(office, YEAR, sekcam, {(5, YEAR - 2): (Decimal("61.5"), Decimal("87.86"), "LKjIP 2023 hal. 21"),
                                               (2, YEAR - 2): (Decimal("79.1"), None, "LKjIP 2023 hal. 18")})
    lk.save_renstra(office, YEAR, sekcam, YEAR, {1: Decimal("11"), 2: Decimal("85"), 5: Decimal("75")})
    lk.add_program(office, YEAR, sekcam, code="7.01.01", name="Program Penunjang Urusan Pemerintahan Daerah",
                   budget=Decimal("1250000000"), realisation=Decimal("1187500000"), note="APBD")
    lk.add_program(office, YEAR, sekcam, code="7.01.02", name="Program Penyelenggaraan Pemerintahan",
                   budget=Decimal("300000000"), realisation=Decimal("240000000"), note="APBD")
    db.session.commit()


def test_every_number_of_bab_iii_is_the_dashboards(client_as, office):
    set_up_the_year(office)
    camat = client_as("camat")
    now, before = dashboard(camat, YEAR), dashboard(camat, YEAR - 1)
    assert len(now) == 6 and all(v["realisation"] is not None for v in now.values()), now
    assert before[5]["realisation"] == Decimal("65.25")
    all_tables = tables(lk.report_bytes(office, YEAR))

    # Tabel 3.1 and Lampiran III: target, realisation, capaian of the year
    capaian_tables = list(table_after(all_tables, ("No", "Sasaran", "Indikator", "Satuan", "Target")))
    assert len(capaian_tables) == 2 and capaian_tables[0] == capaian_tables[1]
    for row in capaian_tables[0][1:]:
        n = int(row[0].rstrip("."))
        assert {"target": number(row[4]), "realisation": number(row[5]), "capaian": number(row[6])} == now[n], n

    # Tabel 3.2: the two previous years (2024 from the app, 2023 entered) and the year again
    [comparison] = table_after(all_tables, ("No", "Indikator", "Satuan", "Realisasi 2023"))
    for row in comparison[1:]:
        n = int(row[0].rstrip("."))
        assert (number(row[5]), number(row[6])) == (before[n]["realisation"], before[n]["capaian"]), n
        assert (number(row[7]), number(row[8])) == (now[n]["realisation"], now[n]["capaian"]), n
        if n == 5:
            assert (number(row[3]), number(row[4])) == (Decimal("61.5"), Decimal("87.86"))
        elif n == 2:
            assert (number(row[3]), row[4]) == (Decimal("79.1"), "–")
        else:
            assert row[3:5] == ["tidak ada data", "tidak ada data"]

    # Tabel 3.3: progress towards the Renstra end target = realisation ÷ end target × 100 (all higher-is-better)
    [renstra] = table_after(all_tables, ("No", "Indikator", "Satuan", "Target akhir Renstra 2029"))
    ends = {1: Decimal("11"), 2: Decimal("85"), 5: Decimal("75")}
    for row in renstra[1:]:
        n = int(row[0].rstrip("."))
        assert number(row[4]) == now[n]["realisation"]
        if n in ends:
            assert number(row[3]) == ends[n]
            assert number(row[5]) == (now[n]["realisation"] * 100 / ends[n]).quantize(Decimal("0.01"))
        else:
            assert (row[3], row[5]) == ("belum ditetapkan", "–")

    # Tabel 3.4: serapan and efficiency from the dashboard's capaian
    mean = (sum(v["capaian"] for v in now.values()) / 6).quantize(Decimal("0.01"))
    [budget] = table_after(all_tables, ("No", "Program", "Pagu (Rp)"))
    assert [r[1:4] for r in budget[1:]] == [
        ["7.01.01 Program Penunjang Urusan Pemerintahan Daerah", "1.250.000.000", "1.187.500.000"],
        ["7.01.02 Program Penyelenggaraan Pemerintahan", "300.000.000", "240.000.000"],
        ["Jumlah", "1.550.000.000", "1.427.500.000"]]
    for row, serapan in zip(budget[1:], (Decimal("95.00"), Decimal("80.00"), Decimal("92.10"))):
        assert number(row[4]) == serapan
        assert number(row[5]) == (mean / serapan).quantize(Decimal("0.01"))

    # Lampiran I (the PK's tables from the year's targets): the dashboard's targets and the programs' pagu
    [pk] = table_after(all_tables, ("No", "Sasaran Strategis", "Indikator Kinerja", "Target"))
    for row in pk[1:]:
        n = int(row[0].rstrip("."))
        assert number(row[3].split(" ")[0].rstrip("%")) == now[n]["target"]
    [pk_programs] = table_after(all_tables, ("No", "Program", "Anggaran (Rp)", "Keterangan"))
    assert [r[2] for r in pk_programs[1:]] == ["1.250.000.000", "300.000.000", "1.550.000.000"]

    # the average printed in the text is the mean of the dashboard's capaian
    body = "\n".join(p.text for p in open_docx(lk.report_bytes(office, YEAR)).paragraphs)
    assert f"Capaian kinerja rata-rata tahun {YEAR}: {str(mean).replace('.', ',')}%." in body
