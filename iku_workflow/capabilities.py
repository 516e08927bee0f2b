"""The capabilities of this installation, in order: ``create_app`` installs ``ALL``.

The order is the order of the blueprints, of the demo seeders and of equal-ranked menu entries. Each
capability declares itself once, in its package (``CAPABILITY``); see ``capability.py``.
"""
from __future__ import annotations

from . import (api, core, decree, documents, indicators, kabupaten, letterhead, lkjip, pk, registers, renaksi, survey,
               workflow)

ALL = (
    core.CAPABILITY,        # sign-in, accounts, admin pages, core commands, template filters
    workflow.CAPABILITY,    # review queue, tasks, notifications, audit log
    documents.CAPABILITY,   # required documents and evidence (IKU 1)
    indicators.CAPABILITY,  # IKU catalogue, targets, dashboard (the landing page), capaian report, `iku` command
    registers.CAPABILITY,   # registers behind IKU 3-6
    survey.CAPABILITY,      # SKM periods, questionnaire, imports, the IKM (IKU 2), `skm` command
    letterhead.CAPABILITY,  # the office in its documents: kop template, lambang, signatory
    decree.CAPABILITY,      # the Camat's decree, its versions and the signed final, `decree` command
    pk.CAPABILITY,          # the Perjanjian Kinerja: drafts from the IKU, versions, the signed final, `pk` command
    renaksi.CAPABILITY,     # the Rencana Aksi of the PK indicators and its quarterly monitoring
    lkjip.CAPABILITY,       # the LKjIP's Bab III: comparisons, Renstra, programs' budget, factors, `lkjip` command
    kabupaten.CAPABILITY,   # the kabupaten: standard sets, new offices, the console, `kabupaten` command
    api.CAPABILITY,         # the read-only JSON API /api/v1 (personal tokens, OpenAPI document)
)
