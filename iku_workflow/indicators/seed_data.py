"""The demo office's IKU as the indicators capability seeds them.

The texts come from one place, the cleaned decree in ``iku_workflow.seed.gumukmas_2025``; this module
adds what the app needs beyond the decree's words: how each IKU is measured (the measure provider),
which section answers for it (the decree's "Camat"/"Sekcam" are the Sekretariat's units here) and the
demo targets.
"""
from __future__ import annotations

from ..seed import gumukmas_2025 as decree

TUJUAN = list(decree.TUJUAN)
INDIKATOR_TUJUAN = list(decree.INDIKATOR_TUJUAN)

MEASURES = {1: "document_count", 2: "survey_index", 3: "ratio:activities", 4: "ratio:complaints",
            5: "score:sakip", 6: "ratio:programs"}
DEMO_TARGETS = {1: "11", 2: "82", 3: "100", 4: "100", 5: "70", 6: "100"}
# The decree names the Camat and the Sekcam as responsible; their evidence is prepared by the Sekretariat.
SECTION_OF_OFFICIAL = {"camat": "sekretariat", "sekcam": "sekretariat"}


def iku_rows(year: int) -> list[dict]:
    """The six IKU of ``year``, the defaults of the Jember standard set (``kabupaten.defaults``)."""
    rows = []
    for row in decree.iku_rows(year):
        sections = [SECTION_OF_OFFICIAL.get(code, code) for code in row["sections"]]
        rows.append(dict(row, sections=list(dict.fromkeys(sections)), measure=MEASURES[row["number"]],
                         target=DEMO_TARGETS[row["number"]], year=year))
    return rows


IKU = iku_rows(2025)
