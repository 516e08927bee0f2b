"""Evidence documents of IKU 1: the year's required documents, uploads, their review and the numbers."""
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

from .. import measures
from ..workflow import kinds
from .numbers import document_count
from .operations import KIND

bp = Blueprint("documents", __name__, url_prefix="/dokumen")

kinds.register(KIND, _l("Dokumen"), url=lambda entry: url_for("documents.by_entry", entry_id=entry.id))
measures.register("document_count", document_count, measures.CUMULATIVE_COUNT)


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


kinds.guard(KIND, _evidence_first)

from . import views  # noqa: E402,F401


@bp.app_template_filter("format_id")
def _format_id(value, places: int = 2) -> str:
    from ..domain.numbers import format_id

    return format_id(value, places)


@bp.app_template_filter("format_tanggal")
def _format_tanggal(value) -> str:
    """A date on a page: "12 Februari 2025" (the official form), or "12 February 2025" for English users."""
    from flask_babel import format_date, get_locale

    from ..domain.dates import format_tanggal

    if not value:
        return ""
    locale = get_locale()
    if locale is not None and locale.language != "id":
        return format_date(value, "d MMMM yyyy")
    return format_tanggal(value)
