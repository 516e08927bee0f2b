"""The words for the checks of `domain.skm_response`, and the adapters that put those checks into the forms.

The domain raises `FieldError` (field, problem, parameters); `message` words it in the page's language,
the same sentence on every path: next to the field of the public and staff forms, after "Baris n, kolom
c:" in an import (`import_message`, which adds what the cell held), and, prefixed with the field's label
when the sentence does not name it, as the refusal of an operation (`refusal`).
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ..domain import skm_response as fields
from ..domain.dates import period_range
from ..domain.skm_response import FieldError, PeriodFrame, Problem

__all__ = ["Checked", "frame_of", "import_message", "message", "refusal"]

#: Field labels as the forms show them (a refusal outside a form names its field with these).
LABELS = {
    "tanggal": _l("Tanggal survei"),
    "jenis_layanan": _l("Jenis layanan yang diterima"),
    "jenis_kelamin": _l("Jenis kelamin"),
    "usia": _l("Usia (tahun)"),
    "pendidikan": _l("Pendidikan terakhir"),
    "pekerjaan": _l("Pekerjaan"),
}


def frame_of(period) -> PeriodFrame:
    """What a response of ``period`` must fit: its first and last day and its services."""
    first, last = period_range(period.year, period.label)
    return PeriodFrame(first, last, tuple((s.id, s.name) for s in period.services))


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _named(error: FieldError) -> bool:
    """Whether `message` names the field itself ("Usia harus ...", "Jenis layanan ...")."""
    if error.field in ("usia", "jenis_layanan"):
        return True
    return error.field == "tanggal" and error.problem is Problem.OUTSIDE_PERIOD


def message(error: FieldError) -> str:
    """The sentence for a refused field, as shown next to it."""
    problem, params = error.problem, error.params
    if error.field in fields.UNSUR_KEYS and problem in (Problem.NOT_WHOLE, Problem.OUT_OF_RANGE):
        return _("Jawaban harus %(low)d sampai %(high)d.", low=params["low"], high=params["high"])
    if error.field == "usia":
        if problem is Problem.NOT_WHOLE:
            return _("Usia harus bilangan bulat.")
        if problem is Problem.OUT_OF_RANGE:
            return _("Usia harus %(low)d sampai %(high)d tahun.", low=params["low"], high=params["high"])
        return _("Isi usia.")
    if error.field == "jenis_layanan":
        if problem is Problem.REQUIRED:
            return _("Pilih jenis layanan.")
        return _("Jenis layanan tidak ditawarkan pada periode ini. Pilihan: %(choices)s.",
                 choices=", ".join(params["choices"]))
    if problem is Problem.OUTSIDE_PERIOD:
        return _("Tanggal survei di luar periode (%(first)s–%(last)s).",
                 first=_day(params["first"]), last=_day(params["last"]))
    if problem is Problem.UNKNOWN:
        return _("Isian tidak dikenal. Pilihan: %(choices)s.", choices=", ".join(params["choices"]))
    if problem is Problem.REQUIRED:
        return _("Wajib diisi.")
    raise ValueError(f"no words for {error!r}")  # a new Problem needs its sentence here


def refusal(error: FieldError) -> str:
    """The sentence of an operation that refused a whole questionnaire: names the field."""
    text = message(error)
    if _named(error):
        return text
    label = LABELS.get(error.field) or error.field.upper()  # u1 .. u9 are "U1" .. "U9" on the forms
    return _("%(field)s: %(message)s", field=label, message=text)


def _shown(cell) -> str:
    if isinstance(cell, date):
        return _day(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def import_message(error: FieldError, cell=None) -> str:
    """The sentence for one refused cell of an import (the importer adds row and column)."""
    if error.problem is Problem.REQUIRED:
        return _("Wajib diisi.")
    text = message(error)
    if cell is None:
        return text
    return _("%(message)s Tertulis: %(value)s.", message=text, value=_shown(cell))


class Checked:
    """A WTForms validator running the domain check of one field and showing its words next to it.

    Blank input is the ``InputRequired`` before it (which words it for the widget: "Pilih …", "Isi …");
    a value the field could not even read (its own processing error) is not checked again. Checks that
    need the period (service, date) read ``form.frame`` (`frame_of`), set when the form is made for one.
    """

    def __init__(self, spec):
        self.spec = spec

    def __call__(self, form, field) -> None:
        if field.process_errors:
            return
        frame = getattr(form, "frame", None)
        if frame is None and isinstance(self.spec, (fields.Service, fields.SurveyDate)):
            raise RuntimeError(f"{type(form).__name__} checks {self.spec.name} against a period: make it with for_period")
        try:
            self.spec.check(field.data, frame)
        except FieldError as exc:
            raise ValidationError(message(exc)) from None
