"""Evidence documents of IKU 1: the year's required documents, uploads, their review and the numbers."""
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("documents", __name__, url_prefix="/dokumen")


def _evidence_first(entry, action, user) -> str | None:
    """A document is submitted for review only with at least one evidence file."""
    import sqlalchemy as sa

    from ..extensions import db
    from ..models import DocumentFile, RequiredDocument, WorkflowAction

    if action is not WorkflowAction.SUBMIT:
        return None
    count = db.session.scalar(
        sa.select(sa.func.count(DocumentFile.id)).join(DocumentFile.document).where(RequiredDocument.entry_id == entry.id)
    )
    return None if count else "Unggah minimal satu berkas bukti sebelum mengajukan dokumen."


from . import editor, types, views  # noqa: E402,F401  (routes: the documents pages, the requirements editor, the types)
from . import reopen  # noqa: E402  (asking for an approved document to be reopened)
from ..capability import Capability  # noqa: E402
from ..measures import CUMULATIVE_COUNT, Measure  # noqa: E402
from ..nav import NavItem  # noqa: E402
from ..workflow.kinds import Kind  # noqa: E402
from .numbers import document_count, document_count_many  # noqa: E402
from .operations import KIND  # noqa: E402
from .seed import seed_documents  # noqa: E402

CAPABILITY = Capability(
    name="documents",
    blueprints=(bp,),
    workflow_kinds=(Kind(KIND, _l("Dokumen"), url=lambda entry: url_for("documents.by_entry", entry_id=entry.id),
                         guards=(_evidence_first,)),) + reopen.KINDS,
    measures=(Measure("document_count", _l("Jumlah dokumen yang disetujui"), document_count,
                      data_page=lambda year: ("documents.year", {"year": year}),
                      policy=CUMULATIVE_COUNT, many=document_count_many),),
    nav=(NavItem("documents", _l("Dokumen"), "documents.index", "entry.view", order=20),),
    seeders=(seed_documents,),
)
