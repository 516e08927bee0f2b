"""Small makers for the indicators/registers tests."""
from __future__ import annotations

from datetime import date

import pytest
from decimal import Decimal

from conftest import get_user
from iku_workflow.extensions import db
from iku_workflow.models import ActivityKind, ComplaintChannel, ComplaintStatus
from iku_workflow.registers import operations as reg_ops
from iku_workflow.workflow import operations as wf


def complaint(office, received=date(2025, 2, 10), status="selesai", resolved=date(2025, 2, 12), user="trantib"):
    return reg_ops.create_row(
        office, get_user(user), "pengaduan", received.year, received_on=received, channel=ComplaintChannel.SURAT,
        desa="Gumukmas", summary="Keributan di pasar", status=ComplaintStatus(status),
        resolved_on=resolved if status == "selesai" else None, resolution="Mediasi" if status == "selesai" else "")


def activity(office, tw=1, facilitated=True, year=2025):
    return reg_ops.create_row(
        office, get_user("pmks"), "kegiatan", year, name=f"Pelatihan TW{tw}", kind=ActivityKind.PELATIHAN,
        planned_triwulan=tw, desa="Karangrejo", facilitated=facilitated,
        facilitated_on=date(year, 3 * tw, 1) if facilitated else None)


def program(office, target="100", realisation="100", year=2025):
    return reg_ops.create_row(
        office, get_user("sekretariat"), "program", year, program="Program Penunjang", indicator="Dokumen tepat waktu",
        unit="%", polarity="higher", target=Decimal(target), realisation=Decimal(realisation) if realisation else None)


def sakip(office, score="72.5", year=2025):
    return reg_ops.create_row(office, get_user("sekretariat"), "sakip", year, score=Decimal(score),
                              lhe_reference="700/12/2025", lhe_date=date(year, 11, 20))


def approve(*rows, submitter=None):
    sekcam = get_user("sekcam")
    for row in rows:
        user = submitter or (row.entry.created_by)
        wf.submit(row.entry, user)
        wf.approve(row.entry, sekcam)
    db.session.commit()


@pytest.fixture(autouse=True)
def fresh_login_user(app):
    """Each test-client request loads its own user.

    The ``app`` fixture keeps an app context pushed, so every request of the test shares ``g`` and
    Flask-Login's cached ``g._login_user`` would leak from one client (user) to the next.
    """
    from flask import g, request_started

    def forget(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)
