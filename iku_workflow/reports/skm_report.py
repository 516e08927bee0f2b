"""Laporan Hasil Survei Kepuasan Masyarakat (PermenPANRB 14/2017), as .docx."""

from __future__ import annotations

from docx.shared import Cm

from .context import SkmReportContext
from .docx_common import (
    CENTER, JUSTIFY, LabelTable, format_date, format_number, grid_table, para,
    signature_block, text_width, to_bytes,
)
from .letterhead import open_base

RTL_HEADERS = ("No", "Unsur", "Rencana Tindak Lanjut", "Waktu", "Penanggung Jawab")


def _heading(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=12, space_after=6, keep_next=True)


def _text(doc, text: str) -> None:
    para(doc, text, align=JUSTIFY, space_after=6)


def priority_rows(ctx: SkmReportContext) -> list[tuple[str, str, str]]:
    """(key, unsur name, NRR text) of the priorities, weakest first (three at most)."""
    rows = []
    for key in ctx.priorities[:3]:
        rows.append((key, ctx.unsur_names.get(key, key), format_number(ctx.nrr.get(key))))
    return rows


def build_skm_report_docx(ctx: SkmReportContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, "F4")
    width = text_width(doc.sections[-1])
    kec = f"Kecamatan {ctx.office.name}"
    para(doc, "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", style="Judul", space_before=12)
    para(doc, f"{kec.upper()} KABUPATEN {ctx.office.kabupaten.upper()}", style="Judul")
    para(doc, ctx.period_label.upper(), style="Judul", space_after=12)

    _heading(doc, "I. PENDAHULUAN")
    _text(doc, f"Survei Kepuasan Masyarakat (SKM) pada {kec} dilaksanakan untuk periode "
               f"{ctx.period_label} guna mengukur tingkat kepuasan masyarakat terhadap "
               "pelayanan publik dan sebagai bahan perbaikan kualitas pelayanan.")

    _heading(doc, "II. METODE")
    if ctx.method_text:
        _text(doc, ctx.method_text)
    _text(doc, "Survei berpedoman pada Peraturan Menteri Pendayagunaan Aparatur Negara dan "
               "Reformasi Birokrasi Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei "
               "Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik. Sembilan unsur "
               "pelayanan dinilai dengan skala 1 sampai 4; setiap unsur berbobot sama (1/9). "
               "Nilai Rata-rata (NRR) tiap unsur dijumlahkan dengan bobotnya menjadi Indeks "
               "Kepuasan Masyarakat (IKM) skala 1–4, lalu dikonversi ke skala 25–100 (× 25).")

    _heading(doc, "III. RESPONDEN")
    info = LabelTable(doc, width, label_width=Cm(6))
    info.text_row("Jumlah responden", f"{format_number(ctx.respondents, 0)} orang")
    info.text_row("Sampel minimal", "–" if ctx.min_sample is None else f"{ctx.min_sample} orang")
    for heading, counts in ctx.profile.items():
        para(doc, heading, bold=True, space_before=6, keep_next=True)
        total = sum(c for _, c in counts) or 1
        rows = [[f"{i}.", label, str(count), format_number(count * 100 / total)]
                for i, (label, count) in enumerate(counts, 1)]
        grid_table(doc, [Cm(1.2), width - Cm(7.2), Cm(3), Cm(3)],
                   ("No", heading, "Jumlah", "Persentase (%)"), rows,
                   aligns=[CENTER, None, CENTER, CENTER])

    _heading(doc, "IV. HASIL")
    keys = sorted(ctx.unsur_names, key=lambda k: int(k[1:]) if k[1:].isdigit() else 99)
    rows = [[f"{i}.", key.upper(), ctx.unsur_names[key], format_number(ctx.nrr.get(key))]
            for i, key in enumerate(keys, 1)]
    grid_table(doc, [Cm(1.2), Cm(1.5), width - Cm(5.7), Cm(3)],
               ("No", "Kode", "Unsur Pelayanan", "NRR"), rows,
               aligns=[CENTER, CENTER, None, CENTER])
    summary = LabelTable(doc, width, label_width=Cm(6))
    summary.text_row("IKM (skala 1–4)", format_number(ctx.ikm, 4))
    summary.text_row("Nilai konversi (25–100)", format_number(ctx.konversi))
    summary.text_row("Mutu pelayanan", ctx.mutu or "–")
    summary.text_row("Kinerja unit pelayanan", ctx.kinerja or "–")
    if ctx.per_service:
        para(doc, "Hasil per jenis layanan", bold=True, space_before=6, keep_next=True)
        rows = [[f"{i}.", name, str(n), format_number(konv), mutu or "–"]
                for i, (name, n, konv, mutu) in enumerate(ctx.per_service, 1)]
        grid_table(doc, [Cm(1.2), width - Cm(10.2), Cm(3), Cm(3), Cm(3)],
                   ("No", "Jenis Layanan", "Responden", "Nilai Konversi", "Mutu"), rows,
                   aligns=[CENTER, None, CENTER, CENTER, CENTER])

    _heading(doc, "V. PRIORITAS PERBAIKAN")
    prio = priority_rows(ctx)
    if prio:
        _text(doc, "Unsur dengan nilai rata-rata terendah menjadi prioritas perbaikan:")
        grid_table(doc, [Cm(1.2), width - Cm(4.2), Cm(3)], ("No", "Unsur", "NRR"),
                   [[f"{i}.", name, nrr] for i, (_, name, nrr) in enumerate(prio, 1)],
                   aligns=[CENTER, None, CENTER])
    else:
        _text(doc, "Belum ada data untuk menentukan prioritas perbaikan.")

    _heading(doc, "VI. RENCANA TINDAK LANJUT")
    _text(doc, "Diisi oleh unit pelayanan:")
    grid_table(doc, [Cm(1.2), Cm(3.5), width - Cm(11.2), Cm(3), Cm(3.5)], RTL_HEADERS,
               [["", "", "", "", ""] for _ in range(3)], row_height=Cm(1.2))

    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, "
                               f"{format_date(ctx.printed_on)}")
    return to_bytes(doc)
