"""Laporan Hasil Survei Kepuasan Masyarakat (PermenPANRB 14/2017), as .docx.

A result that is not approved yet (the period still open, or closed and waiting for the Sekretaris
Camat) is provisional: the title says "(SEMENTARA)" and so does the header of every page. Headings
and the sentences that introduce a table keep with it, and each table's header row keeps with its
first row, so no heading is left alone at the foot of a page.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..formatting import format_date, format_decimal
from .context import SkmReportContext
from .docx_common import (
    CENTER, JUSTIFY, LabelTable, grid_table, para,
    signature_block, text_width, to_bytes,
)
from .letterhead import open_base

RTL_HEADERS = ("No", "Unsur", "Rencana Tindak Lanjut", "Waktu", "Penanggung Jawab")
CARRIED_HEADERS = ("No", "Unsur", "Rencana Tindak Lanjut", "Penanggung Jawab", "Status")
COUNT_HEADERS = ("Unsur", "Unsur Pelayanan", "Catatan Perbaikan")
NRR_HEADERS = ("No", "Kode", "Unsur Pelayanan", "NRR", "Bobot", "NRR Tertimbang")
PROVISIONAL = "SEMENTARA"


def _heading(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=12, space_after=6, keep_next=True)


def _text(doc, text: str, keep_next: bool = False) -> None:
    para(doc, text, align=JUSTIFY, space_after=6, keep_next=keep_next)


#: A table of at most this many rows is kept on one page; a longer one may break, its header row repeated.
KEEP_TOGETHER_ROWS = 12


def _keep_header_with_body(table) -> None:
    """The header row keeps with the first data row (Word and LibreOffice honour keep-with-next on
    the paragraphs of a row), so a heading and a table's header never end a page by themselves; a
    short table keeps all its rows together."""
    rows = list(table.rows)
    kept = rows[:-1] if len(rows) <= KEEP_TOGETHER_ROWS else rows[:1]
    for row in kept:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _table(doc, *args, **kw):
    table = grid_table(doc, *args, **kw)
    _keep_header_with_body(table)
    return table


def title_lines(ctx: SkmReportContext) -> list[str]:
    period = ctx.period_label.upper()
    if ctx.provisional:
        period += f" ({PROVISIONAL})"
    return ["LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT",
            f"KECAMATAN {ctx.office.name.upper()} KABUPATEN {ctx.office.kabupaten.upper()}", period]


def provisional_note(ctx: SkmReportContext) -> str:
    """The line under the title of a provisional report ("" for an approved result)."""
    if not ctx.provisional:
        return ""
    reason = f": {ctx.provisional_reason}" if ctx.provisional_reason else ""
    return (f"Hasil sementara{reason}. Angka dalam laporan ini dapat berubah sampai hasil survei "
            "disetujui Sekretaris Camat.")


def header_mark(ctx: SkmReportContext) -> str:
    return f"{PROVISIONAL} – Laporan Hasil SKM {ctx.period_label} belum disetujui"


def _mark_headers(doc, ctx: SkmReportContext) -> None:
    """"SEMENTARA" in the header of every page of every section: the page header (pages after the
    first, or every page when the template has one header), the even-page header when the template
    has one; the first page carries it in its title as well."""
    stories = []
    for section in doc.sections:
        stories.append(section.header)
        if doc.settings.odd_and_even_pages_header_footer:
            stories.append(section.even_page_header)
    for header in stories:
        if header.is_linked_to_previous:
            header.is_linked_to_previous = False  # give the section a header of its own to hold the mark
        blocks = list(header.iter_inner_content())
        empty = len(blocks) == 1 and not header.tables and not blocks[0].runs
        p = blocks[0] if empty else header.add_paragraph()  # an empty header's one paragraph holds the mark
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(header_mark(ctx))
        run.bold = True
        run.font.size = Pt(10)


def priority_rows(ctx: SkmReportContext) -> list[tuple[str, str, str]]:
    """(key, unsur name, NRR text) of the priorities, weakest first (three at most)."""
    rows = []
    for key in ctx.priorities[:3]:
        rows.append((key, ctx.unsur_names.get(key, key), format_decimal(ctx.nrr.get(key))))
    return rows


def _unsur_keys(ctx: SkmReportContext) -> list[str]:
    return sorted(ctx.unsur_names, key=lambda k: int(k[1:]) if k[1:].isdigit() else 99)


def _join(words: list[str]) -> str:
    """"A", "A dan B", "A, B, dan C"."""
    if len(words) <= 2:
        return " dan ".join(words)
    return ", ".join(words[:-1]) + ", dan " + words[-1]


def _extremes(ctx: SkmReportContext) -> tuple[list[str], list[str]]:
    """The unsur keys with the lowest and with the highest NRR (ties all listed), in unsur order."""
    keys = [k for k in _unsur_keys(ctx) if ctx.nrr.get(k) is not None]
    if not keys:
        return [], []
    low, high = min(ctx.nrr[k] for k in keys), max(ctx.nrr[k] for k in keys)
    return [k for k in keys if ctx.nrr[k] == low], [k for k in keys if ctx.nrr[k] == high]


def conclusion(ctx: SkmReportContext) -> list[str]:
    """The Kesimpulan, written from the report's own numbers (nothing added): the IKM and its mutu and
    kinerja, the weakest unsur as the first improvement priority, the highest, and the respondents
    against the Krejcie-Morgan minimum. One paragraph per point."""
    kec = f"Kecamatan {ctx.office.name}"
    if ctx.konversi is None or not ctx.nrr:
        return [f"Belum ada responden pada periode {ctx.period_label}, sehingga belum dapat ditarik "
                "kesimpulan tentang kepuasan masyarakat terhadap pelayanan."]
    out = [f"Berdasarkan Survei Kepuasan Masyarakat pada {kec} periode {ctx.period_label} terhadap "
           f"{format_decimal(ctx.respondents, places=0)} responden, Indeks Kepuasan Masyarakat (IKM) sebesar "
           f"{format_decimal(ctx.ikm, places=4)} (skala 1–4) atau {format_decimal(ctx.konversi)} dalam nilai konversi "
           f"(skala 25–100). Mutu pelayanan {ctx.mutu} dengan kinerja unit pelayanan {ctx.kinerja}."]
    low, high = _extremes(ctx)

    def names(keys):
        return _join([f"{k.upper()} {ctx.unsur_names.get(k, k)}" for k in keys])

    if low == high:
        out.append(f"Semua unsur pelayanan memperoleh nilai rata-rata yang sama (NRR "
                   f"{format_decimal(ctx.nrr[low[0]])}).")
    else:
        verb = "menjadi prioritas pertama perbaikan" if len(low) == 1 else "bersama-sama menjadi prioritas pertama perbaikan"
        out.append(f"Unsur dengan nilai rata-rata terendah adalah {names(low)} (NRR "
                   f"{format_decimal(ctx.nrr[low[0]])}), yang {verb}. Unsur dengan nilai rata-rata "
                   f"tertinggi adalah {names(high)} (NRR {format_decimal(ctx.nrr[high[0]])}).")
    respondents = f"{format_decimal(ctx.respondents, places=0)} orang"
    if ctx.min_sample is None:
        out.append(f"Jumlah responden {respondents}; jumlah penerima layanan (populasi) periode ini belum "
                   "diisi, sehingga kecukupan sampel menurut tabel Krejcie dan Morgan belum dapat dinilai.")
    elif ctx.respondents >= ctx.min_sample:
        out.append(f"Jumlah responden ({respondents}) telah memenuhi sampel minimal menurut tabel Krejcie "
                   f"dan Morgan ({format_decimal(ctx.min_sample, places=0)} orang).")
    else:
        out.append(f"Jumlah responden ({respondents}) belum memenuhi sampel minimal menurut tabel Krejcie "
                   f"dan Morgan ({format_decimal(ctx.min_sample, places=0)} orang), sehingga hasil survei belum dapat "
                   "dianggap mewakili seluruh penerima layanan.")
    if ctx.provisional:
        out.append(provisional_note(ctx))
    return out


def _notes_part(doc, ctx: SkmReportContext, width) -> None:
    """The respondents' own words: how many asked for improvement per unsur, and the texts."""
    para(doc, "Saran dan masukan responden", bold=True, space_before=6, keep_next=True)
    if not ctx.comments_total:
        _text(doc, "Tidak ada responden yang menuliskan saran atau catatan perbaikan.")
        return
    rows = [[key.upper(), ctx.unsur_names.get(key, key), str(ctx.comment_counts.get(key, 0))]
            for key in ctx.unsur_names]
    rows.append(["", "Saran dan masukan", str(ctx.comment_counts.get(None, 0))])
    _table(doc, [Cm(1.5), width - Cm(5.5), Cm(4)], COUNT_HEADERS, rows, aligns=[CENTER, None, CENTER])
    for key, text in ctx.comments:
        label = f"{key.upper()} perlu diperbaiki" if key else "Saran"
        _text(doc, f"{label}: {text}")
    if len(ctx.comments) < ctx.comments_total:
        _text(doc, f"Dicetak {len(ctx.comments)} dari {ctx.comments_total} catatan; selengkapnya dalam ekspor Excel.")


def build_skm_report_docx(ctx: SkmReportContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, ctx.paper)
    width = text_width(doc.sections[-1])
    kec = f"Kecamatan {ctx.office.name}"
    lines = title_lines(ctx)
    para(doc, lines[0], style="Judul", space_before=12)
    para(doc, lines[1], style="Judul")
    para(doc, lines[2], style="Judul", space_after=6 if ctx.provisional else 12)
    if ctx.provisional:
        para(doc, provisional_note(ctx), align=CENTER, size=10, space_after=12)
        _mark_headers(doc, ctx)

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
               "pelayanan dinilai dengan skala 1 sampai 4; setiap unsur berbobot sama "
               f"({ctx.weight_text}). Nilai Rata-rata (NRR) tiap unsur dikalikan dengan bobotnya "
               "(NRR tertimbang), lalu NRR tertimbang dijumlahkan menjadi Indeks Kepuasan Masyarakat "
               "(IKM) skala 1–4, yang dikonversi ke skala 25–100 (× 25).")

    _heading(doc, "III. RESPONDEN")
    info = LabelTable(doc, width, label_width=Cm(6))
    info.text_row("Jumlah responden", f"{format_decimal(ctx.respondents, places=0)} orang")
    info.text_row("Sampel minimal", "–" if ctx.min_sample is None else f"{ctx.min_sample} orang")
    for heading, counts in ctx.profile.items():
        para(doc, heading, bold=True, space_before=6, keep_next=True)
        total = sum(c for _, c in counts) or 1
        rows = [[f"{i}.", label, str(count), format_decimal(count * 100 / total)]
                for i, (label, count) in enumerate(counts, 1)]
        _table(doc, [Cm(1.2), width - Cm(7.2), Cm(3), Cm(3)],
               ("No", heading, "Jumlah", "Persentase (%)"), rows,
               aligns=[CENTER, None, CENTER, CENTER])

    _heading(doc, "IV. HASIL")
    keys = _unsur_keys(ctx)
    rows = [[f"{i}.", key.upper(), ctx.unsur_names[key], format_decimal(ctx.nrr.get(key)),
             ctx.weight_text if ctx.nrr.get(key) is not None else "–",
             format_decimal(ctx.weighted_nrr.get(key), places=4)]
            for i, key in enumerate(keys, 1)]
    if ctx.ikm is not None:
        rows.append(["", "", "IKM (jumlah NRR tertimbang)", "", "", format_decimal(ctx.ikm, places=4)])
    _table(doc, [Cm(1.2), Cm(1.5), width - Cm(10.2), Cm(2.2), Cm(2.0), Cm(3.3)], NRR_HEADERS, rows,
           aligns=[CENTER, CENTER, None, CENTER, CENTER, CENTER])
    summary = LabelTable(doc, width, label_width=Cm(6))
    summary.text_row("IKM (skala 1–4)", format_decimal(ctx.ikm, places=4))
    summary.text_row("Nilai konversi (25–100)", format_decimal(ctx.konversi))
    summary.text_row("Mutu pelayanan", ctx.mutu or "–")
    summary.text_row("Kinerja unit pelayanan", ctx.kinerja or "–")
    if ctx.per_service:
        para(doc, "Hasil per jenis layanan", bold=True, space_before=6, keep_next=True)
        rows = [[f"{i}.", name, str(n), format_decimal(konv), mutu or "–"]
                for i, (name, n, konv, mutu) in enumerate(ctx.per_service, 1)]
        _table(doc, [Cm(1.2), width - Cm(10.2), Cm(3), Cm(3), Cm(3)],
               ("No", "Jenis Layanan", "Responden", "Nilai Konversi", "Mutu"), rows,
               aligns=[CENTER, None, CENTER, CENTER, CENTER])

    _heading(doc, "V. PRIORITAS PERBAIKAN")
    prio = priority_rows(ctx)
    if prio:
        _text(doc, "Unsur dengan nilai rata-rata terendah menjadi prioritas perbaikan:", keep_next=True)
        _table(doc, [Cm(1.2), width - Cm(4.2), Cm(3)], ("No", "Unsur", "NRR"),
               [[f"{i}.", name, nrr] for i, (_, name, nrr) in enumerate(prio, 1)],
               aligns=[CENTER, None, CENTER])
    else:
        _text(doc, "Belum ada data untuk menentukan prioritas perbaikan.")
    _notes_part(doc, ctx, width)

    _heading(doc, "VI. RENCANA TINDAK LANJUT")
    if ctx.followups:
        _table(doc, [Cm(1.2), Cm(3.5), width - Cm(11.2), Cm(3), Cm(3.5)], RTL_HEADERS,
               [[f"{i}.", f"{key.upper()} {ctx.unsur_names.get(key, key)}", action, format_date(due),
                 section or "–"] for i, (key, action, section, due, _done) in enumerate(ctx.followups, 1)],
               aligns=[CENTER, None, None, CENTER, None])
    else:
        _text(doc, "Diisi oleh unit pelayanan:", keep_next=True)
        _table(doc, [Cm(1.2), Cm(3.5), width - Cm(11.2), Cm(3), Cm(3.5)], RTL_HEADERS,
               [["", "", "", "", ""] for _ in range(3)], row_height=Cm(1.2))
    if ctx.carried:
        title, done, total, rows = ctx.carried
        para(doc, f"Tindak lanjut periode sebelumnya ({title}): {done} dari {total} selesai.", bold=True,
             space_before=6, keep_next=True)
        _table(doc, [Cm(1.2), Cm(3.5), width - Cm(11.2), Cm(3), Cm(3.5)], CARRIED_HEADERS,
               [[f"{i}.", f"{key.upper()} {ctx.unsur_names.get(key, key)}", action, section or "–",
                 f"Selesai {format_date(done_on)}" if done_on else f"Belum (batas {format_date(due)})"]
                for i, (key, action, section, due, done_on) in enumerate(rows, 1)],
               aligns=[CENTER, None, None, None, None])

    _heading(doc, "VII. KESIMPULAN")
    for text in conclusion(ctx):
        _text(doc, text)

    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, "
                               f"{format_date(ctx.printed_on)}")
    return to_bytes(doc)
