"""Time the decree + annex build and the Perjanjian Kinerja build against plain python-docx scripts writing the
same text.

Run: PYTHONPATH=. python bench/documents.py  — prints and writes bench/results/documents.txt.
Goal: each styled builder within 1.5x of its plain script, and under 0.5 s per document.
"""

from __future__ import annotations

import io
import platform
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx

from iku_workflow.reports.context import (
    AnnexContent, DecreeContext, Diktum, IkuRow, OfficeInfo, Signatory,
)
from iku_workflow.reports.decree import build_decree
from iku_workflow.reports.context import PkContext, PkProgram, PkRow
from iku_workflow.reports.pk import PROMISE, SUPERVISION, build_pk, target_text
from iku_workflow.seed import gumukmas_2025 as seed

RUNS = 20
RESULT = Path(__file__).resolve().parent / "results" / "documents.txt"


def seed_context() -> DecreeContext:
    o = seed.OFFICE
    office = OfficeInfo(o["name"], o["kabupaten"], o["address"], o["telephone"], city=o["city"])
    rows = [IkuRow(r["number"], r["kinerja_utama"], r["indikator"], r["formulation"],
                   r["bidang_text"], r["sumber_data"]) for r in seed.iku_rows(2025)]
    return DecreeContext(
        office=office, nomor=seed.NOMOR, tempat=o["city"], tanggal=date(2025, 2, 12),
        tentang=seed.default_tentang(o["name"], o["kabupaten"]),
        menimbang=seed.default_menimbang(o["name"], o["kabupaten"]),
        mengingat=seed.default_mengingat(), memperhatikan=[],
        diktum=[Diktum(**d) for d in seed.default_diktum(o["name"], o["kabupaten"])],
        signatory=Signatory("CAMAT GUMUKMAS", o["camat_name"], o["camat_pangkat"],
                            o["camat_nip"]),
        tembusan=[], annex=AnnexContent("Kecamatan Gumukmas", seed.TUGAS, seed.FUNGSI,
                                        seed.TUJUAN, seed.INDIKATOR_TUJUAN, rows))


def _flatten(blocks) -> list[str]:
    out = []
    for b in blocks:
        if b["type"] == "para":
            out.append(f"{b.get('label') or ''} {b.get('text', '')}".strip())
        elif b["type"] == "fraction":
            out += [b.get("label") or "", b["numerator"], b["denominator"], b["factor"]]
        else:
            for item in b["items"]:
                if isinstance(item, str):
                    out.append(item)
                else:
                    out.append(item["text"])
                    out += _flatten(item.get("children", []))
    return out


def plain_build(ctx: DecreeContext) -> bytes:
    """The same paragraphs and table with no styling at all: the floor for python-docx.

    It writes the text the builder writes (title, considerations, Menetapkan and diktum, the
    signature with its NIP; the Lampiran heading, titles, Instansi/Tugas/Fungsi/Tujuan/Indikator
    Tujuan, the IKU table and the annex signature), one add_paragraph per line, into
    python-docx's default document."""
    d = docx.Document()
    sig = ctx.signatory
    signature = ("CAMAT GUMUKMAS,", sig.name, sig.pangkat, f"NIP. {sig.nip}")
    for line in ("KEPUTUSAN CAMAT GUMUKMAS", f"NOMOR : {ctx.nomor}", "TENTANG",
                 ctx.tentang.upper(), "CAMAT GUMUKMAS,"):
        d.add_paragraph(line)
    for label, items in (("Menimbang", ctx.menimbang), ("Mengingat", ctx.mengingat)):
        d.add_paragraph(label)
        for item in items:
            d.add_paragraph(item)
    d.add_paragraph("MEMUTUSKAN :")
    d.add_paragraph(f"Menetapkan : KEPUTUSAN CAMAT GUMUKMAS TENTANG {ctx.tentang.upper()}.")
    for i, dk in enumerate(ctx.diktum, 1):
        d.add_paragraph(f"{i} : {dk.text}")
        for item in dk.items:
            d.add_paragraph(item)
    for line in ("Ditetapkan di : Gumukmas", "pada tanggal : 12 Februari 2025") + signature:
        d.add_paragraph(line)
    d.add_section()
    a = ctx.annex
    for line in ("LAMPIRAN", "KEPUTUSAN CAMAT GUMUKMAS", f"NOMOR : {ctx.nomor}",
                 "TANGGAL : 12 Februari 2025", f"TENTANG : {ctx.tentang.upper()}",
                 "INDIKATOR KINERJA UTAMA (IKU)", "KECAMATAN GUMUKMAS KABUPATEN JEMBER",
                 f"Instansi : {a.instansi}"):
        d.add_paragraph(line)
    for label, items in (("Tugas", a.tugas), ("Fungsi", a.fungsi), ("Tujuan", a.tujuan),
                         ("Indikator Tujuan", a.indikator_tujuan)):
        d.add_paragraph(label)
        for item in items:
            d.add_paragraph(item)
    table = d.add_table(rows=1, cols=6)
    for cell, title in zip(table.rows[0].cells, ("NO.", "KINERJA UTAMA", "INDIKATOR",
                                                 "FORMULASI", "BIDANG", "SUMBER DATA")):
        cell.text = title
    for row in a.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(row.number), row.kinerja_utama, \
            row.indikator
        for line in _flatten(row.formulation):
            cells[3].add_paragraph(line)
        cells[4].text, cells[5].text = row.bidang, row.sumber_data
    for line in signature:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pk_context() -> PkContext:
    """The Camat's PK of 2025 with the seed's six IKU and three programs."""
    o = seed.OFFICE
    office = OfficeInfo(o["name"], o["kabupaten"], o["address"], o["telephone"], city=o["city"])
    targets = ["11", "82", "100", "100", "70", "100"]
    units = ["dokumen", "indeks", "%", "%", "nilai", "%"]
    rows = [PkRow(r["number"], r["kinerja_utama"], r["indikator"], Decimal(t), u)
            for r, t, u in zip(seed.iku_rows(2025), targets, units)]
    programs = [PkProgram(1, "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", Decimal("1250000000")),
                PkProgram(2, "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", Decimal("350750000")),
                PkProgram(3, "Program Pemberdayaan Masyarakat Desa dan Kelurahan", Decimal("120000000"))]
    return PkContext(office=office, year=2025, unit="KECAMATAN GUMUKMAS",
                     first=Signatory("CAMAT GUMUKMAS", o["camat_name"], o["camat_pangkat"], o["camat_nip"],
                                     kabupaten="KABUPATEN JEMBER"),
                     second=Signatory("BUPATI JEMBER", "Ir. H. MUHAMMAD FAWAIT, M.Sc.", "", ""),
                     tempat=o["city"], tanggal=date(2025, 2, 3), rows=rows, programs=programs)


def plain_pk(ctx: PkContext) -> bytes:
    """The PK's text with no styling: the statement page, table 1, table 2 with the total, and both signatures twice,
    one add_paragraph per line, into python-docx's default document."""
    d = docx.Document()
    signatures = ("Gumukmas, 3 Februari 2025", "PIHAK KEDUA,", ctx.second.jabatan, ctx.second.name,
                  "PIHAK PERTAMA,", ctx.first.jabatan, ctx.first.kabupaten, ctx.first.name, ctx.first.pangkat,
                  f"NIP. {ctx.first.nip}")
    for line in ("PERJANJIAN KINERJA TAHUN 2025", ctx.unit, "Dalam rangka mewujudkan manajemen pemerintahan ...",
                 f"Nama : {ctx.first.name}", f"Jabatan : {ctx.first.jabatan}", "selanjutnya disebut pihak pertama",
                 f"Nama : {ctx.second.name}", f"Jabatan : {ctx.second.jabatan}",
                 "selaku atasan pihak pertama, selanjutnya disebut pihak kedua", PROMISE, SUPERVISION) + signatures:
        d.add_paragraph(line)
    d.add_paragraph("PERJANJIAN KINERJA TAHUN 2025")
    d.add_paragraph(ctx.unit)
    table = d.add_table(rows=1, cols=4)
    for cell, title in zip(table.rows[0].cells, ("No", "Sasaran Strategis", "Indikator Kinerja", "Target")):
        cell.text = title
    for r in ctx.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = (str(r.number), r.sasaran, r.indikator,
                                                                      target_text(r.target, r.unit))
    table = d.add_table(rows=1, cols=4)
    for cell, title in zip(table.rows[0].cells, ("No", "Program", "Anggaran (Rp)", "Keterangan")):
        cell.text = title
    for p in ctx.programs:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(p.number), p.name, f"{p.budget:,.2f}"
    table.add_row().cells[1].text = "JUMLAH"
    for line in signatures:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def median_seconds(builder, plain, ctx) -> tuple[float, float]:
    """Median seconds of each, the two timed alternately so that both see the same machine
    load (the shared build machine runs other jobs; timing one after the other skewed the
    ratio by ±30 %)."""
    builder(ctx), plain(ctx)  # warm-up (imports, the cached default template)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        for fn, out in ((builder, times[0]), (plain, times[1])):
            start = time.perf_counter()
            fn(ctx)
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> int:
    ctx = seed_context()
    builder, plain = median_seconds(build_decree, plain_build, ctx)
    ratio = builder / plain
    pk_builder, pk_plain = median_seconds(build_pk, plain_pk, pk_context())
    pk_ratio = pk_builder / pk_plain
    lines = [
        "Decree + IKU annex build (seed content), median of "
        f"{RUNS} alternating runs after one warm-up",
        f"python {platform.python_version()}, python-docx {docx.__version__ if hasattr(docx, '__version__') else '?'}, "
        f"{platform.machine()}",
        f"build_decree:        {builder * 1000:8.1f} ms",
        f"plain python-docx:   {plain * 1000:8.1f} ms",
        f"ratio:               {ratio:8.2f}x (goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})",
        f"under 0.5 s:         {'yes' if builder < 0.5 else 'NO'}",
        "",
        "Perjanjian Kinerja (statement page + lampiran, six IKU, three programs), same method",
        f"build_pk:            {pk_builder * 1000:8.1f} ms",
        f"plain python-docx:   {pk_plain * 1000:8.1f} ms",
        f"ratio:               {pk_ratio:8.2f}x (goal <= 1.5x: {'met' if pk_ratio <= 1.5 else 'NOT met'})",
        f"under 0.5 s:         {'yes' if pk_builder < 0.5 else 'NO'}",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
