"""Walking every GET route of the app with real data behind it: the shared part of the issue-11 tests
on downloads (headers) and spreadsheets (no formulas). Nothing is listed by hand: the URL arguments are
filled from the rows a small "world" holds, so a new download route is found (and checked) as well."""
from __future__ import annotations

import io
import itertools
from datetime import date

import sqlalchemy as sa
from flask import g

from conftest import get_user
from factories import tiny_pdf
from factories import PDF, required, upload
from iku_workflow.capability import registry
from iku_workflow.decree import operations as decree_ops
from iku_workflow.extensions import db
from iku_workflow.models import (ChangeRequest, DecreeVersion, Desa, DocumentFile, DocumentType, Notification,
                                 Indicator, PerformanceAgreement, PerformanceVersion, ProgramBudget, RenaksiAction,
                                 RegisterEvidenceFile, RequiredDocument, Section, StandardDocument, StandardIndicator,
                                 SurveyPeriod, SurveyResponse, User, WorkflowEntry)

DECREE_YEAR = 2030
#: who asks: the first of them whose answer is not 403/404 is kept for each URL
USERS = ("sekcam", "camat", "admin", "pmks", "pelayanan")


def login(client_as, username: str):
    g.pop("_login_user", None)  # the test's app context is shared by every request
    return client_as(username)


def build_world(client_as, office) -> None:
    """One of everything a download can be about: a document evidence file, a register row with its
    evidence, a generated decree version and its signed scan (the demo seed brings the SKM periods)."""
    doc = required(office, "sop")
    assert upload(login(client_as, "pelayanan"), doc, (PDF, "SOP.pdf")).status_code == 302
    created = login(client_as, "pmks").post("/register/kegiatan/2025/baru", content_type="multipart/form-data", data={
        "name": "Pelatihan menjahit", "kind": "pelatihan", "planned_triwulan": "2", "desa": "Tembokrejo",
        "facilitated": "y", "facilitated_on": "2025-05-20", "evidence_note": "Daftar hadir",
        "evidence_upload": (io.BytesIO(PDF), "daftar hadir.pdf")})
    assert created.status_code == 302
    # submitted, returned and a new evidence version uploaded: the first stays a version of its own
    from iku_workflow.models import Activity
    from iku_workflow.workflow import operations as wf

    row = db.session.scalar(sa.select(Activity).order_by(Activity.id.desc()))
    wf.submit(row.entry, get_user("pmks"))
    wf.return_for_revision(row.entry, get_user("sekcam"), note="Lampirkan daftar hadir yang ditandatangani.")
    db.session.commit()
    replaced = login(client_as, "pmks").post(f"/register/kegiatan/data/{row.id}/ubah",
                                             content_type="multipart/form-data", data={
        "name": "Pelatihan menjahit", "kind": "pelatihan", "planned_triwulan": "2", "desa": "Tembokrejo",
        "facilitated": "y", "facilitated_on": "2025-05-20", "evidence_note": "Daftar hadir",
        "evidence_upload": (io.BytesIO(PDF + b"%ttd"), "daftar hadir ttd.pdf")})
    assert replaced.status_code == 302
    # an approved complaint with a proposed change carrying its own evidence file (a download of its own)
    from iku_workflow.models import ComplaintStatus
    from iku_workflow.registers import changes
    from iku_workflow.registers import operations as reg_ops
    from factories import complaint

    received = complaint(office, status="diproses")
    wf.submit(received.entry, get_user("trantib"))
    wf.approve(received.entry, get_user("sekcam"))
    from iku_workflow import storage

    key = storage.new_key(reg_ops.EVIDENCE_FOLDER, suffix=".pdf")
    storage.save(PDF, key)
    changes.propose(received, get_user("trantib"), values={"status": ComplaintStatus.SELESAI,
                                                            "resolved_on": date(2025, 2, 20), "resolution": "Mediasi"},
                    reason="Sudah dimediasi", evidence={"file": key.split("/", 1)[1], "filename": "berita acara.pdf",
                                                        "mime": "application/pdf", "sha256": None})
    db.session.commit()
    decree = decree_ops.create_decree(office, DECREE_YEAR, get_user("sekcam"))
    decree_ops.update_decree(decree, None, {"nomor": "000.8.6.3/17/35.09.04/2030", "tanggal": date(2030, 2, 12)})
    version = decree_ops.generate_version(decree, get_user("sekcam"))
    decree_ops.finalize(decree, version, tiny_pdf(), "Scan TTD.pdf", get_user("camat"))
    db.session.commit()
    # the Camat's PK of 2025: a version and the signed final (its Word file, scan and public page)
    from iku_workflow.models import PkLevel
    from iku_workflow.pk import operations as pk_ops

    pk = pk_ops.create_pk(office, 2025, PkLevel.CAMAT, None, get_user("sekcam"))
    pk_version = pk_ops.generate_version(pk, get_user("sekcam"))
    pk_ops.finalize(pk, pk_version, tiny_pdf("PK"), "PK TTD.pdf", get_user("camat"))
    db.session.commit()
    # the renaksi: an action of IKU 4 and Trantib's monitoring notes of TW II
    from iku_workflow.renaksi import operations as renaksi_ops
    from iku_workflow.models import Indicator

    iku4 = db.session.scalar(sa.select(Indicator).where(Indicator.office_id == office.id, Indicator.year == 2025,
                                                        Indicator.number == 4))
    renaksi_ops.add_action(iku4, get_user("sekcam"), "=HYPERLINK(\"http://x\",\"Klik\")", None, None)
    renaksi_ops.save_note(iku4, 2, get_user("trantib"), "=1+1 kendala", "@tindak lanjut")
    db.session.commit()


def _ids(model, limit: int = 2) -> list[int]:
    return list(db.session.scalars(sa.select(model.id).order_by(model.id.desc()).limit(limit)))


def argument_values() -> dict[str, list]:
    """Candidate values of every URL argument name the app uses (an unknown name fails the walk)."""
    rows = []
    for spec in registry().registers.values():
        rows += [(spec.slug, i) for i in _ids(spec.model)]
    periods = db.session.scalars(sa.select(SurveyPeriod)).all()
    changes = db.session.scalars(sa.select(ChangeRequest).where(ChangeRequest.register.is_not(None))
                                 .order_by(ChangeRequest.id.desc()).limit(2)).all()
    return {
        "year": sorted({2025, date.today().year, DECREE_YEAR}),
        "file_id": _ids(DocumentFile), "doc_id": _ids(RequiredDocument, 1), "entry_id": _ids(WorkflowEntry, 1),
        "user_id": _ids(User, 1), "section_id": _ids(Section, 1), "desa_id": _ids(Desa, 1),
        "period_id": [p.id for p in periods], "code": [p.code for p in periods][:1],
        "response_id": _ids(SurveyResponse, 1), "type_id": _ids(DocumentType, 1),
        "number": sorted({v.number for v in db.session.scalars(sa.select(DecreeVersion))}
                         | {v.number for v in db.session.scalars(sa.select(PerformanceVersion))}),
        # the public verification pages of the final decree and the final PK (pages, not downloads)
        "token": [v.verify_token for v in db.session.scalars(sa.select(DecreeVersion)) if v.verify_token][:1]
        + [v.verify_token for v in db.session.scalars(sa.select(PerformanceVersion)) if v.verify_token][:1],
        "pk_id": _ids(PerformanceAgreement, 1),
        "tw": [2], "indicator_id": _ids(Indicator, 1), "action_id": _ids(RenaksiAction, 1),
        "fmt": ["docx", "xlsx", "csv", "pdf", "json"],
        "register": sorted(registry().registers), "row_id": [i for _r, i in rows], "_rows": rows,
        # a register row's evidence versions (register, row, version id)
        "_versions": [(v.register, v.row_id, v.id) for v in db.session.scalars(
            sa.select(RegisterEvidenceFile).order_by(RegisterEvidenceFile.id))],
        # proposed changes of approved rows, with their register
        "change_id": [c.id for c in changes], "_changes": [(c.register, c.id) for c in changes],
        # the kabupaten's standard rows (an IKU and a required document of its set)
        "std_id": _ids(StandardIndicator, 1) + _ids(StandardDocument, 1),
        "notification_id": _ids(Notification, 1),
        # the office-year's programs with their budget (PK table 2, LKjIP serapan)
        "program_id": _ids(ProgramBudget, 1),
    }


def get_urls(app) -> list[tuple[str, str]]:
    """(endpoint, URL) for every GET rule with every combination of candidate arguments."""
    values = argument_values()
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        unknown = [n for n in names if n not in values]
        assert not unknown, f"{rule.rule}: no candidate values for {unknown} — add them to download_walk"
        if "register" in names and "row_id" in names and "file_id" in names:
            combos = [dict(register=r, row_id=i, file_id=f) for r, i, f in values["_versions"]]
            rest = [n for n in names if n not in ("register", "row_id", "file_id")]
        elif "register" in names and "row_id" in names:
            combos = [dict(register=r, row_id=i) for r, i in values["_rows"]]
            rest = [n for n in names if n not in ("register", "row_id")]
        elif "register" in names and "change_id" in names:
            combos = [dict(register=r, change_id=i) for r, i in values["_changes"]]
            rest = [n for n in names if n not in ("register", "change_id")]
        else:
            combos, rest = [{}], names
        for base in combos:
            for picked in itertools.product(*(values[n] for n in rest)):
                kwargs = {**base, **dict(zip(rest, picked))}
                with app.test_request_context():
                    from flask import url_for

                    out.append((rule.endpoint, url_for(rule.endpoint, **kwargs)))
    return out


def downloads(app, client_as):
    """Yield (endpoint, url, response) for every answer that is a file: a download (Content-Disposition
    attachment) or a file shown in the browser (inline). Each URL is asked by the first user of ``USERS``
    allowed to see it."""
    clients = {}
    for endpoint, url in get_urls(app):
        for username in USERS:
            if username not in clients:
                clients[username] = login(client_as, username)
            g.pop("_login_user", None)
            response = clients[username].get(url)
            if response.status_code in (403, 404):
                response.close()
                continue
            if response.headers.get("Content-Disposition", "").startswith(("attachment", "inline")):
                yield endpoint, url, response
            response.close()
            break
