"""Setting up a new office of a kabupaten: one function for `iku-workflow office create` and the web form.

An office is created with its kabupaten's section template, the year's IKU (with default targets),
tujuan and required documents with their due dates from the standard sets, and its signatory. It then
owns its copy (it adds, edits or removes indicators and documents on its own pages).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from flask_babel import gettext as _

from ..domain.nip import NipError, normalize_nip
from ..domain.text import control_characters
from ..models import Kabupaten, Office, User
from .defaults import find_kabupaten

CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{1,39}")


class OfficeSetupError(ValueError):
    """The office cannot be created; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def setup_office(*, code: str, name: str, kabupaten: str | Kabupaten, address: str = "", telephone: str = "",
                 camat_name: str = "", camat_nip: str = "", camat_pangkat: str = "",
                 years: Iterable[int] | None = None, user: User | None = None) -> tuple[Office, dict[int, tuple[int, int]]]:
    """Create the office; return it and, per year copied, (indicators, required documents) copied.

    ``years`` defaults to the current year. The caller commits.
    """
    from ..seed.demo import SeedError, create_office
    from .standard import apply_standard

    code = (code or "").strip().lower()
    if not CODE_RE.fullmatch(code):
        raise OfficeSetupError(_("Kode kantor hanya huruf kecil, angka, '-' atau '_' (2–40 karakter)."), "code")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise OfficeSetupError(_("Nama kecamatan wajib diisi (paling banyak 120 karakter)."), "name")
    if name.lower().startswith("kecamatan "):
        raise OfficeSetupError(_("Tulis nama tanpa kata \u201cKecamatan\u201d, mis. Puger."), "name")
    for field, value in (("name", name), ("address", address), ("telephone", telephone),
                         ("camat_name", camat_name), ("camat_pangkat", camat_pangkat)):
        if control_characters(value or ""):
            from ..forms_base import CONTROL_MESSAGE

            raise OfficeSetupError(str(CONTROL_MESSAGE), field)
    kab = kabupaten if isinstance(kabupaten, Kabupaten) else find_kabupaten(kabupaten)
    if kab is None:
        raise OfficeSetupError(_("Kabupaten \u201c%(k)s\u201d belum ada. Buat dulu dengan "
                                 "`iku-workflow kabupaten create`.", k=kabupaten), "kabupaten")
    nip = None
    if (camat_nip or "").strip():
        try:
            nip = normalize_nip(camat_nip)
        except NipError as exc:
            raise OfficeSetupError(str(exc), "camat_nip") from exc
    try:
        office = create_office(code, name, kab, address=(address or "").strip(), telephone=(telephone or "").strip(),
                               city=name, camat_name=(camat_name or "").strip(),
                               camat_pangkat=(camat_pangkat or "").strip(), camat_nip=nip)
    except SeedError as exc:
        raise OfficeSetupError(_("Kantor dengan kode \u201c%(c)s\u201d sudah ada.", c=code), "code") from exc
    counts = {}
    for year in sorted(set(years or (date.today().year,))):
        counts[year] = apply_standard(office, year, user)
    return office, counts
