"""Plain data the Word and Excel builders take (no Flask, no database).

The web app fills these from its models; the builders only read them. Numbers are ``Decimal``
(or ``None`` where a value is missing) and are printed with an Indonesian decimal comma.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

Blocks = list[dict[str, Any]]  # see iku_workflow.seed.gumukmas_2025 for the block format


@dataclass(frozen=True)
class OfficeInfo:
    """The kecamatan; ``name`` is without the word "Kecamatan", e.g. "Gumukmas". ``logo`` is the
    kabupaten's lambang (PNG or JPEG bytes, already checked) printed at the left of the kop;
    ``kabupaten_line`` prints "KABUPATEN …" under "KEPUTUSAN CAMAT …" in the decree's title."""

    name: str
    kabupaten: str
    address: str
    telephone: str = ""
    email: str = ""
    postal_code: str = ""
    city: str = ""
    logo: bytes | None = field(default=None, repr=False)
    kabupaten_line: bool = True


@dataclass(frozen=True)
class Signatory:
    """Who signs: ``jabatan`` like "CAMAT GUMUKMAS", ``acting`` "" | "Plt." | "Plh.",
    ``nip`` the 18 digits (printed grouped), ``kabupaten`` the line printed under the jabatan
    ("KABUPATEN JEMBER", as the seed decree signs) or "" for none."""

    jabatan: str
    name: str
    pangkat: str
    nip: str
    acting: str = ""
    kabupaten: str = ""


@dataclass(frozen=True)
class Diktum:
    text: str
    items: list[str] = field(default_factory=list)
    item_style: str | None = None  # "paren_number" -> (1); "letter" -> a.; "number" -> 1.


@dataclass(frozen=True)
class IkuRow:
    number: int
    kinerja_utama: str
    indikator: str
    formulation: Blocks
    bidang: str
    sumber_data: str


@dataclass(frozen=True)
class AnnexContent:
    instansi: str
    tugas: list[str]
    fungsi: list[str]
    tujuan: list[str]
    indikator_tujuan: list[str]
    rows: list[IkuRow]


@dataclass
class DecreeContext:
    """Everything the decree prints. ``tanggal`` None leaves the day and month blank for the
    Camat to write by hand."""

    office: OfficeInfo
    nomor: str
    tempat: str
    tanggal: date | None
    tentang: str
    menimbang: list[str]
    mengingat: list[str]
    memperhatikan: list[str]
    diktum: list[Diktum]
    signatory: Signatory
    tembusan: list[str]
    annex: AnnexContent | None
    paper: str = "F4"
    font_name: str = "Bookman Old Style"
    font_size: float = 12


@dataclass(frozen=True)
class CapaianRow:
    """One indicator's line. ``realisasi`` has keys "tw1".."tw4" (the realisation *s.d.* each
    triwulan, cumulative from TW I as on the dashboard) and "year" (the year's value, or the value
    s.d. the chosen triwulan); missing = blank. ``sasaran`` is the indicator's kinerja utama (the
    LKjIP's "Sasaran" column, RULES.md §4); ``predikat`` the SAKIP predikat of the period's value,
    "A (Memuaskan)", for the SAKIP score (IKU 5) and "" for every other indicator."""

    number: int
    indikator: str
    satuan: str
    target: Decimal | None
    realisasi: dict[str, Decimal | None]
    capaian: Decimal | None
    kriteria: str
    sasaran: str = ""
    predikat: str = ""
    band_code: str = ""  # the criteria band's code; the workbook colours the Kriteria cell by it ("" = no colour)


@dataclass
class CapaianReportContext:
    """``completion_rate`` is the document completion rate (%) of the report's period — the year's,
    or the rate at the end of the chosen triwulan — and ``completion_counts`` its (approved,
    required) documents; ``paper`` the office's paper size, "F4" or "A4"."""

    office: OfficeInfo
    year: int
    period_label: str  # "Tahun 2025" or "s.d. Triwulan II 2025"
    rows: list[CapaianRow]
    completion_rate: Decimal | None
    printed_on: date
    signatory: Signatory
    upto_tw: int | None = None  # None: the whole year; 1..4: the report is "s.d. TW n"
    completion_counts: tuple[int, int] | None = None
    paper: str = "F4"


@dataclass
class SkmReportContext:
    """An SKM period's results. ``nrr`` and ``unsur_names`` are keyed "u1".."u9";
    ``weighted_nrr`` (same keys) is NRR × the unsur's weight, ``weight_text`` that weight as
    printed ("1/9" or "0,111"); ``priorities`` lists unsur keys, weakest first; ``profile`` maps a
    heading ("Jenis Kelamin") to (label, count) pairs; ``per_service`` holds (service,
    respondents, konversi, mutu). ``provisional`` is True unless the period's result is approved
    (the report then says "SEMENTARA" in its title and on every page); ``provisional_reason`` says
    why, e.g. "periode survei masih dibuka"."""

    office: OfficeInfo
    year: int
    period_label: str
    method_text: str
    respondents: int
    min_sample: int | None
    nrr: dict[str, Decimal]
    unsur_names: dict[str, str]
    ikm: Decimal | None
    konversi: Decimal | None
    mutu: str
    kinerja: str
    priorities: list[str]
    profile: dict[str, list[tuple[str, int]]]
    per_service: list[tuple[str, int, Decimal | None, str]]
    signatory: Signatory
    printed_on: date
    provisional: bool
    weighted_nrr: dict[str, Decimal] = field(default_factory=dict)
    weight_text: str = "1/9"
    provisional_reason: str = ""
    paper: str = "F4"
    #: respondents' notes: how many "perlu diperbaiki" per unsur key, and None for the saran
    comment_counts: dict = field(default_factory=dict)
    #: the texts: (unsur key or None for a saran, text), as many as the report prints
    comments: list = field(default_factory=list)
    #: how many notes there are in all (the report says when it prints fewer)
    comments_total: int = 0
    #: the period's rencana tindak lanjut: (unsur key, action, section, due date, done date or None)
    followups: list = field(default_factory=list)
    #: the previous period's plan: (period title, done, total, rows as ``followups``), or None
    carried: tuple | None = None


@dataclass(frozen=True)
class PkRow:
    """One row of the PK's table 1; ``target`` is printed with its unit ("100 %", "3 dokumen")."""

    number: int
    sasaran: str
    indikator: str
    target: Decimal | None
    unit: str


@dataclass(frozen=True)
class PkProgram:
    """One row of the PK's table 2: the program and its budget (Rp)."""

    number: int
    name: str
    budget: Decimal
    note: str = ""


@dataclass
class PkContext:
    """Everything a Perjanjian Kinerja prints (RULES.md §7). ``first`` is the pihak pertama (who promises, signs
    on the right), ``second`` the pihak kedua (the superior, on the left; the Bupati without NIP). ``unit`` is the
    organisation the lampiran names ("KECAMATAN GUMUKMAS", "SEKRETARIAT KECAMATAN GUMUKMAS"). ``tanggal`` None
    leaves the day and month blank for the hand."""

    office: OfficeInfo
    year: int
    unit: str
    first: Signatory
    second: Signatory
    tempat: str
    tanggal: date | None
    rows: list[PkRow]
    programs: list[PkProgram]
    amendment: bool = False
    paper: str = "F4"
    font_name: str = "Bookman Old Style"
    font_size: float = 12


@dataclass(frozen=True)
class RenaksiRow:
    """One PK indicator of the renaksi: its year target, the renaksi's target, realisation s.d. and capaian per
    triwulan (``tw`` 1..4 -> (target s.d. TW, realisation s.d. TW, capaian), the dashboard's figures), and its
    actions as (kegiatan, section, budget)."""

    number: int
    sasaran: str
    indikator: str
    satuan: str
    year_target: Decimal | None
    tw: dict
    actions: list


@dataclass
class RenaksiContext:
    office: OfficeInfo
    year: int
    rows: list[RenaksiRow]
    signatory: Signatory
    printed_on: date
    paper: str = "F4"


@dataclass(frozen=True)
class MonitoringRow:
    """One indicator in a triwulan's monitoring report (the figures s.d. that triwulan, as on the dashboard)."""

    number: int
    indikator: str
    satuan: str
    target: Decimal | None
    realisation: Decimal | None
    capaian: Decimal | None
    kriteria: str
    kendala: str
    tindak_lanjut: str
    status: str


@dataclass
class MonitoringContext:
    office: OfficeInfo
    year: int
    tw: int
    rows: list[MonitoringRow]
    signatory: Signatory
    printed_on: date
    paper: str = "F4"
