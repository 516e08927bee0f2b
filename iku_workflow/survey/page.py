"""What the public pages show of the office: the kecamatan's name and its lambang (never the app's name)."""
from __future__ import annotations

import base64
from dataclasses import dataclass

from ..letterhead import logo as logo_store
from ..models import Office


@dataclass(frozen=True)
class PublicOffice:
    name: str  # "Kecamatan Gumukmas"
    kabupaten: str  # "Pemerintah Kabupaten Jember", or ""
    logo_src: str  # a data: URI of the active lambang (the CSP allows data: images), or ""


def public_office(office: Office | None) -> PublicOffice | None:
    if office is None:
        return None
    logo = logo_store.active_logo(office)
    data = logo_store.load_logo(office) if logo is not None else None
    src = f"data:{logo.mime};base64,{base64.b64encode(data).decode()}" if data else ""
    return PublicOffice(name=office.full_name, kabupaten=f"Pemerintah {office.kabupaten_record.full_name}",
                        logo_src=src)
