"""The office as every document prints it: the kop's identity and lambang, the signatory, the paper.

The decree, the capaian report and the SKM report all read the office through these three functions,
so a kop never differs between documents.
"""
from __future__ import annotations

from ..models import Office
from ..reports.context import OfficeInfo, Signatory
from . import logo


def office_info(office: Office) -> OfficeInfo:
    """The office as every kop prints it: identity, address, the kabupaten's lambang (if uploaded) and
    whether the decree's title carries the kabupaten line."""
    return OfficeInfo(name=office.name, kabupaten=office.kabupaten, address=office.address or "",
                      telephone=office.telephone or "", email=office.email or "",
                      postal_code=office.postal_code or "", city=office.city or office.name,
                      logo=logo.load_logo(office), kabupaten_line=bool(office.show_kabupaten_line))


def signatory(office: Office) -> Signatory:
    """The Camat as the office profile holds them (with "Plt."/"Plh." when acting, and "KABUPATEN …" under
    the jabatan when the office prints that line)."""
    return Signatory(jabatan=office.jabatan_camat, name=office.camat_name or "", pangkat=office.camat_pangkat or "",
                     nip=office.camat_nip or "", acting=office.signatory_acting or "", kabupaten=office.kabupaten_line)


def paper_of(office: Office) -> str:
    return getattr(office.paper_size, "value", office.paper_size) or "F4"
