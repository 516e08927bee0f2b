"""The fixed Indonesian labels of the pure domain (criteria bands, SKM kinerja), as the page's language says them.

The domain keeps its labels in Indonesian because they are the rules' own words and go into official
Word/Excel documents unchanged. Pages pass them through the ``domain_label`` filter so that a user who chose
English reads them in English; on Indonesian pages the filter gives the label back as it is.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

__all__ = ["domain_label"]

_LABELS = {
    # capaian criteria bands (Permendagri 86/2017)
    "Sangat Tinggi": _l("Sangat Tinggi"),
    "Tinggi": _l("Tinggi"),
    "Sedang": _l("Sedang"),
    "Rendah": _l("Rendah"),
    "Sangat Rendah": _l("Sangat Rendah"),
    # SKM kinerja unit pelayanan (PermenPANRB 14/2017)
    "Sangat Baik": _l("Sangat Baik"),
    "Baik": _l("Baik"),
    "Kurang Baik": _l("Kurang Baik"),
    "Tidak Baik": _l("Tidak Baik"),
}


def domain_label(text) -> str:
    """The label in the page's language; an unknown text comes back unchanged."""
    if text is None:
        return ""
    label = _LABELS.get(str(text))
    return str(label) if label is not None else str(text)
