"""Time the LKjIP's Bab III build (with its lampiran) against a plain python-docx script writing the same text.

Run: PYTHONPATH=. python bench/lkjip.py  — prints and writes bench/results/lkjip.txt.
Goal (issue 15): the styled builder within 1.5x of the plain script. Kept beside bench/documents.py (the
decree's) with the same method: medians of alternating runs after a warm-up.
"""

from __future__ import annotations

import io
import platform
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import RUNS, _flatten, median_seconds  # noqa: E402  (the decree bench's timing)

from iku_workflow.domain import lkjip as compute  # noqa: E402
from iku_workflow.reports import lkjip as report  # noqa: E402
from iku_workflow.reports.context import IkuRow, OfficeInfo, Signatory  # noqa: E402
from iku_workflow.seed import gumukmas_2025 as seed  # noqa: E402

RESULT = Path(__file__).resolve().parent / "results" / "lkjip.txt"


def seed_context() -> report.LkjipContext:
    """The seed decree's six IKU with example figures, two earlier years, a Renstra and two programs."""
    o = seed.OFFICE
    office = OfficeInfo(o["name"], o["kabupaten"], o["address"], o["telephone"], city=o["city"])
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"], r["bidang_text"],
                   r["sumber_data"]) for r in seed.iku_rows(2025)]
    figures = {1: ("11", "9", "81.82"), 2: ("82", "80", "97.56"), 3: ("100", "50", "50.00"),
               4: ("100", "50", "50.00"), 5: ("70", "72.5", "103.57"), 6: ("100", "90", "90.00")}
    current = [compute.IndicatorYear(r.number, r.kinerja_utama, r.indikator, "%", *(Decimal(v) for v in figures[r.number]))
               for r in rows]
    past = {2024: {i.number: i for i in current}}
    entered = {(n, 2023): compute.EnteredFigure(Decimal("60"), Decimal("75"), "LKjIP 2023") for n in figures}
    bab3 = compute.bab3(2025, current, past, entered, [compute.Renstra(2025, 2029, {n: Decimal("100") for n in figures})],
                        [compute.ProgramInput("7.01.01", "Program Penunjang", Decimal("1250000000"), Decimal("1187500000")),
                         compute.ProgramInput("7.01.02", "Program Pemerintahan", Decimal("300000000"), Decimal("240000000"))])
    factors = {n: report.FactorText("Operator terlatih.", "Jaringan lambat.", "Menambah bandwidth.", True)
               for n in figures}
    return report.LkjipContext(office, 2025, bab3, factors, rows,
                               Signatory("CAMAT GUMUKMAS", o["camat_name"], o["camat_pangkat"], o["camat_nip"]),
                               date(2026, 2, 20))


def _table(d, headers, rows) -> None:
    table = d.add_table(rows=1, cols=len(headers))
    for cell, title in zip(table.rows[0].cells, headers):
        cell.text = title
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value


def plain_build(ctx: report.LkjipContext) -> bytes:
    """The same headings, paragraphs and tables with no styling: the floor for python-docx."""
    d = docx.Document()
    for line in ("BAB III", "AKUNTABILITAS KINERJA", "LAPORAN KINERJA INSTANSI PEMERINTAH KECAMATAN GUMUKMAS TAHUN 2025",
                 "A. Capaian Kinerja Organisasi", "Pengukuran kinerja …", "Tabel 3.1"):
        d.add_paragraph(line)
    _table(d, report.CAPAIAN_HEADERS, report.capaian_rows(ctx))
    for line in ("Capaian kinerja rata-rata …", "B. Perbandingan …", "Tabel 3.2"):
        d.add_paragraph(line)
    _table(d, report.comparison_headers(ctx), report.comparison_rows(ctx))
    for line in ("Sumber …", "C. Perbandingan dengan Target Akhir Renstra", "Renstra …", "Tabel 3.3"):
        d.add_paragraph(line)
    _table(d, report.renstra_headers(ctx), report.renstra_rows(ctx))
    d.add_paragraph("D. Analisis Capaian per Sasaran")
    for group in ctx.bab3.groups:
        d.add_paragraph(f"Sasaran {group.number}: {group.sasaran}")
        for line in group.lines:
            f = ctx.factors[line.current.number]
            for text in (f"IKU {line.current.number}. {line.current.name}", f"Faktor pendukung: {f.pendukung}",
                         f"Faktor penghambat: {f.penghambat}", f"Upaya yang dilakukan: {f.upaya}"):
                d.add_paragraph(text)
    for line in ("E. Realisasi Anggaran", "Tabel 3.4"):
        d.add_paragraph(line)
    _table(d, report.PROGRAM_HEADERS, report.program_rows(ctx))
    signature = ("Gumukmas, 20 Februari 2026", "CAMAT GUMUKMAS,", ctx.signatory.name, ctx.signatory.pangkat,
                 f"NIP. {ctx.signatory.nip}")
    for line in ("% Serapan …",) + signature:
        d.add_paragraph(line)
    d.add_section()
    for line in ("LAMPIRAN I", "PERJANJIAN KINERJA TAHUN 2025", "KECAMATAN GUMUKMAS"):
        d.add_paragraph(line)
    _table(d, ("No", "Sasaran Strategis", "Indikator Kinerja", "Target"), report.pk_rows(ctx))
    _table(d, ("No", "Program", "Anggaran (Rp)", "Keterangan"), report.pk_program_rows(ctx))
    d.add_section()
    for line in ("LAMPIRAN II", "INDIKATOR KINERJA UTAMA", "KECAMATAN GUMUKMAS"):
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=6)
    for row in ctx.iku_rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(row.number), row.kinerja_utama, row.indikator
        for line in _flatten(row.formulation):
            cells[3].add_paragraph(line)
        cells[4].text, cells[5].text = row.bidang, row.sumber_data
    d.add_section()
    for line in ("LAMPIRAN III", "CAPAIAN INDIKATOR KINERJA UTAMA TAHUN 2025", "KECAMATAN GUMUKMAS"):
        d.add_paragraph(line)
    _table(d, report.CAPAIAN_HEADERS, report.capaian_rows(ctx))
    for line in signature:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def main() -> int:
    ctx = seed_context()
    builder, plain = median_seconds(report.build_lkjip_docx, plain_build, ctx)
    ratio = builder / plain
    text = "\n".join([
        f"LKjIP Bab III + lampiran build (seed IKU, example figures), median of {RUNS} alternating runs after one warm-up",
        f"python {platform.python_version()}, {platform.machine()}",
        f"build_lkjip_docx:    {builder * 1000:8.1f} ms",
        f"plain python-docx:   {plain * 1000:8.1f} ms",
        f"ratio:               {ratio:8.2f}x (goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})",
    ]) + "\n"
    print(text, end="")
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
