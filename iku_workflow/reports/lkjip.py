"""The LKjIP's Bab III "Akuntabilitas Kinerja" and its lampiran as a Word draft (RULES.md §4, §9).

House style of the decree: the office's kop (uploaded template or the default: lambang, F4, Bookman), the
tables of ``docx_common`` and the Camat's signature block. Portrait Bab III:

A. Capaian kinerja organisasi — Tabel 3.1 (No | Sasaran | Indikator | Satuan | Target | Realisasi |
   % Capaian | Kriteria), the dashboard's numbers, and the average capaian;
B. Perbandingan dengan dua tahun sebelumnya — Tabel 3.2, with the source of every figure not from the app;
C. Perbandingan dengan target akhir Renstra — Tabel 3.3 and the progress formula;
D. Analisis per sasaran — each indicator's factors (pendukung, penghambat, upaya);
E. Realisasi anggaran — Tabel 3.4 per program: pagu, realisasi, % serapan, efisiensi, and the formulas.

Then a landscape lampiran: I the Perjanjian Kinerja's tables (the year's IKU targets and the programs'
budget), II the IKU table of the decree's annex, III the capaian table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from docx.enum.section import WD_SECTION
from docx.shared import Cm

from ..formatting import format_date, format_decimal, format_percent
from ..domain.lkjip import (APP_SOURCE, EFISIENSI_FORMULA, NO_DATA, PROGRESS_FORMULA, SERAPAN_FORMULA, Bab3,
                             PastFigure, ProgramLine)
from .annex import _plain_header, iku_table
from .capaian_report import format_value
from .context import AnnexContent, IkuRow, OfficeInfo, Signatory
from .docx_common import CENTER, JUSTIFY, grid_table, page_setup, para, signature_block, text_width, to_bytes
from .letterhead import open_base

CAPAIAN_HEADERS = ("No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi", "% Capaian", "Kriteria")
# portrait in Bab III, landscape in Lampiran III: the figures' columns keep "100,00" and "Sangat Tinggi" on a line
_CAPAIAN_SHARES = (0.05, 0.2, 0.21, 0.1, 0.1, 0.1, 0.12, 0.12)
NOT_WRITTEN = "Belum diisi."
NOT_APPROVED = "(belum disetujui)"


@dataclass(frozen=True)
class FactorText:
    pendukung: str
    penghambat: str
    upaya: str
    approved: bool


@dataclass
class LkjipContext:
    office: OfficeInfo
    year: int
    bab3: Bab3
    factors: dict[int, FactorText]
    iku_rows: list[IkuRow]
    signatory: Signatory
    printed_on: date
    paper: str = "F4"
    extra: dict = field(default_factory=dict)
    #: the final Camat PK's table 1 as it was signed: (number, sasaran, indicator, target, unit) rows; None when the
    #: year's PK is not final (the lampiran then prints the IKU's year targets and says so)
    signed_pk: list[tuple[int, str, str, Decimal | None, str]] | None = None


def rupiah(value) -> str:
    """"150.000.000" (whole rupiah) or "150.000.000,50"; "–" for none."""
    if value is None:
        return format_decimal(None)
    value = Decimal(value)
    return format_decimal(value, places=0 if value == value.to_integral_value() else 2)


def ratio_text(value) -> str:
    return format_decimal(value, places=2)


def past_realisation(figure: PastFigure, unit: str) -> str:
    return format_value(figure.realisation, unit) if figure.has_data else NO_DATA


def past_capaian(figure: PastFigure) -> str:
    if not figure.has_data:
        return NO_DATA
    return format_percent(figure.capaian)


def capaian_rows(ctx: LkjipContext) -> list[list[str]]:
    """Tabel 3.1 and Lampiran III: one line per indicator, the dashboard's numbers as printed."""
    return [[f"{line.current.number}.", line.current.sasaran, line.current.name, line.current.unit,
             format_value(line.current.target, line.current.unit),
             format_value(line.current.realisation, line.current.unit),
             format_percent(line.current.capaian), line.current.kriteria or "–"] for line in ctx.bab3.lines]


def comparison_headers(ctx: LkjipContext) -> list[str]:
    y2, y1 = ctx.bab3.previous_years
    y = ctx.year
    return ["No", "Indikator", "Satuan", f"Realisasi {y2}", f"% Capaian {y2}", f"Realisasi {y1}",
            f"% Capaian {y1}", f"Realisasi {y}", f"% Capaian {y}"]


def comparison_rows(ctx: LkjipContext) -> list[list[str]]:
    rows = []
    for line in ctx.bab3.lines:
        cur, unit = line.current, line.current.unit
        row = [f"{cur.number}.", cur.name, unit]
        for figure in line.previous:
            row += [past_realisation(figure, unit), past_capaian(figure)]
        row += [format_value(cur.realisation, unit), format_percent(cur.capaian)]
        rows.append(row)
    return rows


def sources(ctx: LkjipContext) -> list[str]:
    """"IKU 2, 2023: LKjIP 2023 hal. 12" for every previous-year figure typed from a document."""
    return [f"IKU {line.current.number}, {figure.year}: {figure.source}"
            for line in ctx.bab3.lines for figure in line.previous
            if figure.has_data and figure.source != APP_SOURCE]


def renstra_headers(ctx: LkjipContext) -> list[str]:
    end = ctx.bab3.renstra.end_year if ctx.bab3.renstra else ""
    return ["No", "Indikator", "Satuan", f"Target akhir Renstra {end}".strip(), f"Realisasi {ctx.year}",
            "% Progres"]


def renstra_rows(ctx: LkjipContext) -> list[list[str]]:
    return [[f"{line.current.number}.", line.current.name, line.current.unit,
             format_value(line.renstra_target, line.current.unit) if line.renstra_target is not None
             else "belum ditetapkan",
             format_value(line.current.realisation, line.current.unit), format_percent(line.progress)]
            for line in ctx.bab3.lines]


PROGRAM_HEADERS = ("No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "% Serapan", "Efisiensi")


def program_row(number: str, p: ProgramLine) -> list[str]:
    """The program's code before its name ("7.01.01 Program …"): the money columns need the width."""
    return [number, f"{p.code} {p.name}".strip(), rupiah(p.pagu), rupiah(p.realisasi), format_percent(p.serapan),
            ratio_text(p.efisiensi)]


def program_rows(ctx: LkjipContext) -> list[list[str]]:
    rows = [program_row(f"{i}.", p) for i, p in enumerate(ctx.bab3.programs, 1)]
    if ctx.bab3.total is not None:
        rows.append(program_row("", ctx.bab3.total))
    return rows


def _target_text(target, unit: str) -> str:
    text = format_value(target, unit)
    return text if target is None else f"{text}{'' if unit == '%' else ' '}{unit}".strip()


def pk_rows(ctx: LkjipContext) -> list[list[str]]:
    """Lampiran I, table 1: No | Sasaran Strategis | Indikator Kinerja | Target (with its unit): the final PK's rows
    as signed, else the IKU with their year targets."""
    if ctx.signed_pk is not None:
        return [[f"{number}.", sasaran, name, _target_text(target, unit)]
                for number, sasaran, name, target, unit in ctx.signed_pk]
    return [[f"{line.current.number}.", line.current.sasaran, line.current.name,
             _target_text(line.current.target, line.current.unit)] for line in ctx.bab3.lines]


def pk_source_note(ctx: LkjipContext) -> str:
    """What Lampiran I's table 1 was taken from."""
    if ctx.signed_pk is not None:
        return f"Sesuai Perjanjian Kinerja tahun {ctx.year} yang telah ditandatangani."
    return (f"Perjanjian Kinerja tahun {ctx.year} belum final; target di atas adalah target tahunan IKU "
            f"yang tercatat di aplikasi.")


def pk_program_rows(ctx: LkjipContext) -> list[list[str]]:
    rows = [[f"{i}.", p.name, rupiah(p.pagu), p.note] for i, p in enumerate(ctx.bab3.programs, 1)]
    if ctx.bab3.total is not None:
        rows.append(["", "Jumlah", rupiah(ctx.bab3.total.pagu), ""])
    return rows


def _widths(width, shares, grow: int):
    widths = [int(width * s) for s in shares]
    widths[grow] += width - sum(widths)
    return widths


def _table(doc, width, shares, grow, headers, rows, aligns):
    return grid_table(doc, _widths(width, shares, grow), headers, rows, aligns=aligns)


def _caption(doc, text: str) -> None:
    para(doc, text, style="Judul", space_before=12, space_after=6, keep_next=True)


def _heading(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=12, space_after=6, keep_next=True)


def _text(doc, text: str) -> None:
    para(doc, text, align=JUSTIFY, space_after=6)


def capaian_table(doc, ctx: LkjipContext, width) -> None:
    _table(doc, width, _CAPAIAN_SHARES, 2, CAPAIAN_HEADERS, capaian_rows(ctx),
           [CENTER, None, None, CENTER, CENTER, CENTER, CENTER, CENTER])


def build_lkjip_docx(ctx: LkjipContext, template: bytes | None = None) -> bytes:
    doc = open_base(template, ctx.office, ctx.paper)
    width = text_width(doc.sections[-1])
    name = ctx.office.name
    bab3 = ctx.bab3
    para(doc, "BAB III", style="Judul", space_before=12)
    para(doc, "AKUNTABILITAS KINERJA", style="Judul")
    para(doc, f"LAPORAN KINERJA INSTANSI PEMERINTAH KECAMATAN {name.upper()} TAHUN {ctx.year}", style="Judul",
         space_after=12)

    _heading(doc, "A. Capaian Kinerja Organisasi")
    _text(doc, f"Pengukuran kinerja Kecamatan {name} tahun {ctx.year} membandingkan target dan realisasi setiap "
               "indikator kinerja utama. Capaian = realisasi ÷ target × 100; untuk indikator yang makin kecil makin "
               "baik = (2 × target − realisasi) ÷ target × 100. Kriteria: ≥ 91 Sangat Tinggi; ≥ 76 Tinggi; "
               "≥ 66 Sedang; ≥ 51 Rendah; selain itu Sangat Rendah.")
    _caption(doc, f"Tabel 3.1 Capaian Indikator Kinerja Utama Tahun {ctx.year}")
    capaian_table(doc, ctx, width)
    _text(doc, f"Capaian kinerja rata-rata tahun {ctx.year}: {format_percent(bab3.average_capaian)}.")

    _heading(doc, "B. Perbandingan Realisasi dan Capaian dengan Dua Tahun Sebelumnya")
    _caption(doc, f"Tabel 3.2 Realisasi dan Capaian Tahun {bab3.previous_years[0]}–{ctx.year}")
    _table(doc, width, (0.05, 0.21, 0.1) + (0.64 / 6,) * 6, 1, comparison_headers(ctx),
           comparison_rows(ctx), [CENTER, None] + [CENTER] * 7)
    cited = sources(ctx)
    _text(doc, "Tahun yang tidak dijalankan dalam aplikasi ditandai \"tidak ada data\" kecuali angkanya dicatat "
               "dari dokumen" + (". Sumber angka yang dicatat: " + "; ".join(cited) + "." if cited else "."))

    _heading(doc, "C. Perbandingan dengan Target Akhir Renstra")
    if bab3.renstra is not None:
        _text(doc, f"Renstra Kecamatan {name} periode {bab3.renstra.label}. {PROGRESS_FORMULA}.")
    else:
        _text(doc, f"Periode Renstra yang memuat tahun {ctx.year} belum dicatat. {PROGRESS_FORMULA}.")
    _caption(doc, f"Tabel 3.3 Realisasi {ctx.year} terhadap Target Akhir Renstra")
    _table(doc, width, (0.05, 0.35, 0.1, 0.17, 0.17, 0.16), 1, renstra_headers(ctx), renstra_rows(ctx),
           [CENTER, None] + [CENTER] * 4)

    _heading(doc, "D. Analisis Capaian per Sasaran")
    for group in bab3.groups:
        para(doc, f"Sasaran {group.number}: {group.sasaran}", bold=True, space_before=6, keep_next=True)
        for line in group.lines:
            cur = line.current
            para(doc, f"IKU {cur.number}. {cur.name}", space_before=6, keep_next=True)
            factor = ctx.factors.get(cur.number)
            for label, attr in (("Faktor pendukung", "pendukung"), ("Faktor penghambat", "penghambat"),
                                ("Upaya yang dilakukan", "upaya")):
                text = (getattr(factor, attr) if factor else "").strip() or NOT_WRITTEN
                if factor is not None and not factor.approved:
                    text = f"{text} {NOT_APPROVED}"
                para(doc, f"{label}: {text}", align=JUSTIFY, left_indent=Cm(0.75))

    _heading(doc, "E. Realisasi Anggaran")
    if bab3.programs:
        _caption(doc, f"Tabel 3.4 Pagu, Realisasi Anggaran dan Efisiensi per Program Tahun {ctx.year}")
        _table(doc, width, (0.05, 0.31, 0.19, 0.19, 0.13, 0.13), 1, PROGRAM_HEADERS, program_rows(ctx),
               [CENTER, None, CENTER, CENTER, CENTER, CENTER])
    else:
        _text(doc, f"Program dan anggaran tahun {ctx.year} belum dicatat.")
    _text(doc, f"{SERAPAN_FORMULA}. {EFISIENSI_FORMULA} ({format_percent(bab3.average_capaian)}).")
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, {format_date(ctx.printed_on)}")

    _lampiran(doc, ctx)
    return to_bytes(doc)


def _lampiran(doc, ctx: LkjipContext) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, ctx.paper, landscape=True)
    _plain_header(section)
    width = text_width(section)
    name = ctx.office.name.upper()
    para(doc, "LAMPIRAN I", style="Judul")
    para(doc, f"PERJANJIAN KINERJA TAHUN {ctx.year}", style="Judul")
    para(doc, f"KECAMATAN {name}", style="Judul", space_after=12)
    _table(doc, width, (0.05, 0.35, 0.4, 0.2), 2, ("No", "Sasaran Strategis", "Indikator Kinerja", "Target"),
           pk_rows(ctx), [CENTER, None, None, CENTER])
    para(doc, pk_source_note(ctx), size=9, space_before=3, space_after=9)
    _table(doc, width, (0.05, 0.5, 0.2, 0.25), 1, ("No", "Program", "Anggaran (Rp)", "Keterangan"),
           pk_program_rows(ctx) or [["", "Belum ada program tercatat.", "", ""]], [CENTER, None, CENTER, None])

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    para(doc, "LAMPIRAN II", style="Judul")
    para(doc, "INDIKATOR KINERJA UTAMA", style="Judul")
    para(doc, f"KECAMATAN {name}", style="Judul", space_after=12)
    iku_table(doc, AnnexContent("", [], [], [], [], ctx.iku_rows), width)

    doc.add_section(WD_SECTION.NEW_PAGE)
    para(doc, "LAMPIRAN III", style="Judul")
    para(doc, f"CAPAIAN INDIKATOR KINERJA UTAMA TAHUN {ctx.year}", style="Judul")
    para(doc, f"KECAMATAN {name}", style="Judul", space_after=12)
    capaian_table(doc, ctx, width)
    signature_block(doc, ctx.signatory, width,
                    dated_line=f"{ctx.office.city or ctx.office.name}, {format_date(ctx.printed_on)}")


def lkjip_filename(office_code: str, year: int) -> str:
    return f"LKjIP-Bab-III-{office_code}-{year}.docx"
