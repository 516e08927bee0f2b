"""One SKM questionnaire: the nine unsur, the respondent's profile, and what each of its fields may hold.

One declaration per field (`FIELDS`, in the order of the import columns) and one pure check each. Every
path that takes a questionnaire derives its checks from these declarations: the public and staff forms
(``survey/forms.py``), the operations (``survey/operations.py``), the file import (``survey/importer.py``)
and the CHECK constraints of ``survey_responses`` (``models/survey.py``). A bound or a code list is
written here and nowhere else (a test looks for copies).

A check returns the clean value or raises `FieldError`: the field, a `Problem` and its parameters, never
a sentence. The caller words it in the page's language (``survey/validation.py``); the importer adds the
row and the column. Parsing text (a date, a number in a spreadsheet cell) is the caller's part; the
checks take the parsed value.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

__all__ = [
    "ANSWERS",
    "FIELDS",
    "JENIS_KELAMIN",
    "JENIS_LAYANAN",
    "PEKERJAAN",
    "PENDIDIKAN",
    "PROFILE_CODES",
    "SCORE_HIGH",
    "SCORE_LOW",
    "TANGGAL",
    "UNSUR",
    "UNSUR_KEYS",
    "USIA",
    "Code",
    "FieldError",
    "PeriodFrame",
    "Problem",
    "Service",
    "SurveyDate",
    "Unsur",
    "WholeNumber",
    "check_response",
    "normalize_code",
]


@dataclass(frozen=True)
class Unsur:
    """One service element asked about, with its four answers (scored `SCORE_LOW` to `SCORE_HIGH`)."""

    key: str
    name: str
    answers: tuple[str, str, str, str]


_SESUAI = ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")

#: Ordered as the regulation's model questionnaire: u8 Sarana, u9 Pengaduan (RULES.md §1).
UNSUR: tuple[Unsur, ...] = (
    Unsur("u1", "Persyaratan", _SESUAI),
    Unsur("u2", "Sistem, Mekanisme, dan Prosedur",
          ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Unsur("u3", "Waktu Penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Unsur("u4", "Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Unsur("u5", "Produk Spesifikasi Jenis Pelayanan", _SESUAI),
    Unsur("u6", "Kompetensi Pelaksana",
          ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Unsur("u7", "Perilaku Pelaksana",
          ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
           "Sangat sopan dan ramah")),
    Unsur("u8", "Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat baik")),
    Unsur("u9", "Penanganan Pengaduan, Saran dan Masukan",
          ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
           "Dikelola dengan baik")),
)  # fmt: skip
UNSUR_KEYS: tuple[str, ...] = tuple(u.key for u in UNSUR)

# Respondent profile codes (RULES.md §1): (code, label).
JENIS_KELAMIN = (("L", "Laki-laki"), ("P", "Perempuan"))
PENDIDIKAN = (
    ("SD", "SD"),
    ("SMP", "SMP"),
    ("SMA", "SMA"),
    ("D1-D3", "D1–D3"),
    ("D4/S1", "D4/S1"),
    ("S2", "S2"),
    ("S3", "S3"),
)
PEKERJAAN = (
    ("PNS", "PNS"),
    ("TNI", "TNI"),
    ("POLRI", "POLRI"),
    ("SWASTA", "Swasta"),
    ("WIRAUSAHA", "Wirausaha"),
    ("LAINNYA", "Lainnya"),
)

# Other ways the same answer is written in imported spreadsheets.
_ALIASES = {
    "jenis_kelamin": {"laki laki": "L", "lakilaki": "L", "pria": "L", "wanita": "P"},
    "pendidikan": {
        "s1": "D4/S1", "d4": "D4/S1", "d1": "D1-D3", "d2": "D1-D3", "d3": "D1-D3",
        "sltp": "SMP", "slta": "SMA", "smk": "SMA", "sma/smk": "SMA",
    },
    "pekerjaan": {"wiraswasta": "WIRAUSAHA", "polisi": "POLRI", "lain-lain": "LAINNYA"},
}  # fmt: skip


class Problem(str, enum.Enum):
    """Why a field was refused. The parameters each problem carries are listed beside it."""

    REQUIRED = "required"  # nothing given
    NOT_WHOLE = "not_whole"  # not a whole number: low, high
    OUT_OF_RANGE = "out_of_range"  # a whole number outside low..high: low, high
    UNKNOWN = "unknown"  # not one of the codes: choices (the codes, in order)
    NOT_OFFERED = "not_offered"  # not a service of the period: choices (the service names)
    OUTSIDE_PERIOD = "outside_period"  # a date outside the period: first, last


class FieldError(ValueError):
    """A refused field: ``field`` (its name), ``problem``, ``value`` (what was given) and ``params``."""

    def __init__(self, field: str, problem: Problem, value=None, **params):
        self.field, self.problem, self.value, self.params = field, Problem(problem), value, params
        super().__init__(f"{field}: {self.problem.value} ({value!r}, {params})")


@dataclass(frozen=True)
class PeriodFrame:
    """What a response must fit besides its own field rules: the period's first and last day and the
    services it offers, as (id, name) pairs in their order."""

    first: date
    last: date
    services: tuple[tuple[int, str], ...]

    @cached_property
    def _ids_by_name(self) -> dict[str, int]:
        return {_squash(name): sid for sid, name in self.services}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _squash(text) -> str:
    return " ".join(str(text).split()).casefold()


def _fold(text: str) -> str:
    text = _squash(text)
    for dash in ("–", "—", "‐"):
        text = text.replace(dash, "-")
    return text.replace(" - ", "-").replace(" / ", "/")


@dataclass(frozen=True)
class WholeNumber:
    """A whole number from ``low`` to ``high`` inclusive (an answer's score, the respondent's age)."""

    name: str
    low: int
    high: int

    @property
    def column(self) -> str:
        return self.name

    def error(self, problem: Problem, value=None) -> FieldError:
        return FieldError(self.name, problem, value, low=self.low, high=self.high)

    def check(self, value, frame: PeriodFrame | None = None) -> int:
        """``value`` if it is an int (not a bool) within the bounds; text is parsed by the caller."""
        if _blank(value):
            raise self.error(Problem.REQUIRED)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(Problem.NOT_WHOLE, value)
        if not self.low <= value <= self.high:
            raise self.error(Problem.OUT_OF_RANGE, value)
        return value


@dataclass(frozen=True)
class Code:
    """One code of a fixed list of (code, label) pairs (jenis kelamin, pendidikan, pekerjaan)."""

    name: str
    choices: tuple[tuple[str, str], ...]
    aliases: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def column(self) -> str:
        return self.name

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.choices)

    def error(self, problem: Problem, value=None) -> FieldError:
        return FieldError(self.name, problem, value, choices=self.codes)

    def check(self, value, frame: PeriodFrame | None = None) -> str:
        """``value`` if it is exactly one of the codes (what the forms send and the database holds)."""
        if _blank(value):
            raise self.error(Problem.REQUIRED)
        if value not in self.codes:
            raise self.error(Problem.UNKNOWN, value)
        return value

    def parse(self, text) -> str:
        """The code of an answer written as its code or label in any case, or as a known alias
        ("S1" -> "D4/S1", "Laki-laki" -> "L"): how spreadsheets write it."""
        if _blank(text):
            raise self.error(Problem.REQUIRED)
        wanted = _fold(text)
        for code, label in self.choices:
            if wanted in (_fold(code), _fold(label)):
                return code
        if wanted in self.aliases:
            return self.aliases[wanted]
        raise self.error(Problem.UNKNOWN, text)


@dataclass(frozen=True)
class Service:
    """The service the respondent received: one of the period's (by id, or by name in an import)."""

    name: str
    column: str

    def error(self, problem: Problem, frame: PeriodFrame, value=None) -> FieldError:
        return FieldError(self.name, problem, value, choices=tuple(n for _sid, n in frame.services))

    def check(self, value, frame: PeriodFrame) -> int:
        """The service id: ``value`` is an id of ``frame.services`` or a name of one (any case and
        spacing). ``0`` is "none chosen" (the forms' "—")."""
        if _blank(value) or value == 0:
            raise self.error(Problem.REQUIRED, frame)
        if isinstance(value, str):
            found = frame._ids_by_name.get(_squash(value))
            if found is None:
                raise self.error(Problem.NOT_OFFERED, frame, value)
            return found
        if isinstance(value, bool) or value not in {sid for sid, _name in frame.services}:
            raise self.error(Problem.NOT_OFFERED, frame, value)
        return value


@dataclass(frozen=True)
class SurveyDate:
    """The day the questionnaire was filled in: inside the period."""

    name: str

    @property
    def column(self) -> str:
        return self.name

    def check(self, value, frame: PeriodFrame) -> date:
        if value is None:
            raise FieldError(self.name, Problem.REQUIRED)
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            raise TypeError(f"{self.name}: a date is parsed before it is checked, not {value!r}")
        if not frame.first <= value <= frame.last:
            raise FieldError(self.name, Problem.OUTSIDE_PERIOD, value, first=frame.first, last=frame.last)
        return value


# --- the declarations -------------------------------------------------------------------------------

#: Every answer is scored 1 (the first, weakest answer text of its unsur) to 4 (the last, best).
SCORE_LOW, SCORE_HIGH = 1, 4
ANSWERS: tuple[WholeNumber, ...] = tuple(WholeNumber(u.key, SCORE_LOW, SCORE_HIGH) for u in UNSUR)
USIA = WholeNumber("usia", 10, 120)
TANGGAL = SurveyDate("tanggal")
JENIS_LAYANAN = Service("jenis_layanan", column="service_id")
PROFILE_CODES: dict[str, Code] = {
    name: Code(name, choices, _ALIASES[name])
    for name, choices in (("jenis_kelamin", JENIS_KELAMIN), ("pendidikan", PENDIDIKAN), ("pekerjaan", PEKERJAAN))
}

#: Every field of a response, by name, in the order of the import file's columns.
FIELDS: dict[str, WholeNumber | Code | Service | SurveyDate] = {
    "tanggal": TANGGAL,
    "jenis_layanan": JENIS_LAYANAN,
    "jenis_kelamin": PROFILE_CODES["jenis_kelamin"],
    "usia": USIA,
    "pendidikan": PROFILE_CODES["pendidikan"],
    "pekerjaan": PROFILE_CODES["pekerjaan"],
    **{answer.name: answer for answer in ANSWERS},
}


def check_response(values: Mapping[str, object], frame: PeriodFrame) -> dict[str, object]:
    """The clean values of a whole questionnaire by column (``service_id`` for the service), given its
    values by field name; raises the first `FieldError` in field order."""
    return {spec.column: spec.check(values.get(name), frame) for name, spec in FIELDS.items()}


def normalize_code(kind: str, value: str) -> str:
    """The code of a profile answer given as code or label, in any case.

    ``kind`` is "jenis_kelamin", "pendidikan" or "pekerjaan". Examples: ("pendidikan", "d4/s1")
    -> "D4/S1", ("pendidikan", "S1") -> "D4/S1", ("jenis_kelamin", "Laki-laki") -> "L".
    Raises `FieldError` (a ``ValueError``) for an unknown value, ``ValueError`` for an unknown kind.
    """
    spec = PROFILE_CODES.get(str(kind).strip().lower())
    if spec is None:
        raise ValueError(f"Jenis data profil tidak dikenal: {kind!r}.")
    return spec.parse(value)
