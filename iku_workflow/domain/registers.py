"""Pure rules of the registers behind IKU 3-6 (no Flask, no database).

IKU 3: facilitated ÷ planned × 100; IKU 4: resolved ÷ received × 100; IKU 6: achieved ÷ all × 100 —
each a ratio of counts pooled per triwulan (RULES.md §3, `capaian.pooled_ratio`). IKU 5: the approved
SAKIP score (PermenPANRB 88/2021, `sakip.predikat`).
"""
from __future__ import annotations

from datetime import date

from .capaian import LowerFormula, Polarity, capaian_rounded

__all__ = ["program_achieved", "complaint_errors", "activity_errors"]


def program_achieved(realisation, target, polarity: Polarity | str = Polarity.HIGHER,
                     lower_formula: LowerFormula | str = LowerFormula.TWICE_TARGET) -> bool:
    """A program indicator is achieved when its capaian reaches 100 % (judged on the 2-decimal value).

    No realisation yet, or no capaian (a higher-is-better target of 0), is "not achieved".
    """
    if realisation is None:
        return False
    value = capaian_rounded(realisation, target, polarity, lower_formula)
    return value is not None and value >= 100


def complaint_errors(received_on: date | None, status: str, resolved_on: date | None, year: int | None = None,
                     today: date | None = None) -> dict[str, str]:
    """Field -> Indonesian message for an inconsistent complaint (empty when consistent)."""
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = "Tanggal diterima wajib diisi."
        return errors
    if today is not None and received_on > today:
        errors["received_on"] = "Tanggal diterima tidak boleh di masa depan."
    if year is not None and received_on.year != year:
        errors["received_on"] = f"Tanggal diterima harus di tahun {year}."
    if status == "selesai" and resolved_on is None:
        errors["resolved_on"] = "Tanggal selesai wajib diisi untuk pengaduan yang selesai."
    if resolved_on is not None and resolved_on < received_on:
        errors["resolved_on"] = "Tanggal selesai tidak boleh sebelum tanggal diterima."
    if resolved_on is not None and status != "selesai":
        errors["status"] = "Isi status 'Selesai' bila tanggal selesai diisi."
    return errors


def activity_errors(facilitated: bool, facilitated_on: date | None, year: int) -> dict[str, str]:
    """Field -> message for an inconsistent activity (a facilitated activity needs its date in the year)."""
    errors: dict[str, str] = {}
    if facilitated and facilitated_on is None:
        errors["facilitated_on"] = "Tanggal pelaksanaan wajib diisi untuk kegiatan yang sudah difasilitasi."
    if facilitated_on is not None and facilitated_on.year != year:
        errors["facilitated_on"] = f"Tanggal pelaksanaan harus di tahun {year}."
    if facilitated_on is not None and not facilitated:
        errors["facilitated"] = "Centang 'sudah difasilitasi' bila tanggal pelaksanaan diisi."
    return errors
