"""The office's base Word template (kop surat): the uploaded one, or the default built from the profile.

Every generated Word document (decree, capaian report, SKM report) starts from :func:`template_bytes`.
Operations flush; the caller (view or command) commits once.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit, storage
from ..extensions import db
from ..models import Office, OfficeTemplate, User
from ..reports.letterhead import (
    KopPreview, TemplateError, build_default_template, default_kop, kop_lines, open_base, template_kop, validate_template,
)
from ..storage import uploads
from .identity import office_info, paper_of


class TemplateRefused(ValueError):
    """An uploaded template that cannot be used (the message says why, in the page's language)."""


def active_template(office: Office) -> OfficeTemplate | None:
    return db.session.scalar(
        sa.select(OfficeTemplate).where(OfficeTemplate.office_id == office.id, OfficeTemplate.active.is_(True))
        .order_by(OfficeTemplate.uploaded_at.desc(), OfficeTemplate.id.desc()).limit(1)
    )


def template_bytes(office: Office) -> bytes | None:
    """The office's uploaded template (read from the file store), or None for the default built from
    the office profile."""
    tpl = active_template(office)
    return storage.read(tpl.file_key) if tpl is not None else None


def base_template(office: Office) -> bytes:
    """What the admin downloads to edit: the active upload, or the default kop from the profile."""
    return template_bytes(office) or build_default_template(office_info(office), paper_of(office))


def upload_template(office: Office, data: bytes, filename: str, user: User) -> OfficeTemplate:
    """Check and activate an uploaded base .docx; a refused one leaves the previous template active."""
    try:
        validate_template(data, max_bytes=uploads.TEMPLATE_MAX_BYTES)
        # python-docx must also open it, or every later generation would fail
        open_base(data, office_info(office), paper_of(office))
    except TemplateError as exc:
        raise TemplateRefused(str(exc)) from exc
    for previous in db.session.scalars(
        sa.select(OfficeTemplate).where(OfficeTemplate.office_id == office.id, OfficeTemplate.active.is_(True))
    ):
        previous.active = False
    stored = storage.save(data, storage.new_key(office.code, "kop", stem="templat-", suffix=".docx"))
    tpl = OfficeTemplate(office_id=office.id, filename=(filename or "templat.docx")[:255], file_key=stored.key,
                         sha256=stored.sha256, size=stored.size, active=True, uploaded_by_id=user.id)
    db.session.add(tpl)
    db.session.flush()
    audit.record("template.uploaded", office_id=office.id, obj=tpl, user=user, filename=tpl.filename,
                 size=tpl.size, sha256=tpl.sha256)
    return tpl


def revert_template(office: Office, user: User) -> int:
    """Go back to the default kop; uploaded templates are kept (inactive). Returns how many were active."""
    count = 0
    for tpl in db.session.scalars(
        sa.select(OfficeTemplate).where(OfficeTemplate.office_id == office.id, OfficeTemplate.active.is_(True))
    ):
        tpl.active = False
        count += 1
    db.session.flush()
    audit.record("template.reverted", office_id=office.id, user=user, object_type="office_templates")
    return count


@dataclass(frozen=True)
class PreviewLine:
    text: str
    bold: bool
    size_class: str  # kop-pt-<points>, a CSS class (the CSP allows no style attributes)


@dataclass(frozen=True)
class PagePreview:
    lines: list[PreviewLine]
    images: list[str]  # data: URIs (the CSP allows data: images)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def preview(office: Office, active: OfficeTemplate | None) -> tuple[PagePreview | None, str, list[str]]:
    """What the kop page previews: the kop of the template in use as the Word file prints it (lines and
    pictures), the reason when the uploaded template cannot be read, and the lines the office profile would
    print that the uploaded template's kop does not hold (the template is used as it is: the profile no longer
    reaches its kop)."""
    info = office_info(office)
    missing: list[str] = []
    try:
        if active is None:
            kop = default_kop(info)
        else:
            kop = template_kop(storage.read(active.file_key))
            held = _squeezed(" ".join(line.text for line in kop.lines))
            missing = [line.text for line in kop_lines(info) if _squeezed(line.text) not in held]
    except TemplateError as exc:
        return None, str(exc), []
    return _for_page(kop), "", missing


def _for_page(kop: KopPreview) -> PagePreview:
    lines = [PreviewLine(line.text, line.bold, f"kop-pt-{min(max(round(line.size or 12), 8), 24)}")
             for line in kop.lines]
    images = [f"data:{mime};base64,{base64.b64encode(data).decode()}" for data, mime in kop.images]
    return PagePreview(lines, images)
