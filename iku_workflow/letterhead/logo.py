"""The kabupaten's lambang (logo) in the office profile: checked by content, stored, printed in every kop.

The picture is kept in the file store (``iku_workflow.storage``) and named by a row of ``office_logos`` (the
newest active one is used); :func:`store_logo` and :func:`load_logo` are the only two functions that write or
read the bytes. Operations flush;
the caller (view or command) commits once.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass

import filetype
import sqlalchemy as sa
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image
from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from .. import storage
from ..models import Office, OfficeLogo, User
from ..models.letterhead import LOGO_MIMES

MAX_LOGO_BYTES = 1024 * 1024
MIN_SIDE_PX = 64  # smaller prints blurred at the kop's 2.6 cm
MAX_SIDE_PX = 4000  # larger is no lambang but a photograph, and heavy for every document
MAX_RATIO = 4  # longest side ÷ shortest side
MIMES = LOGO_MIMES


class LogoError(ValueError):
    """The uploaded lambang was refused; ``str(exc)`` is the message for the user (Indonesian)."""


@dataclass(frozen=True)
class LogoCheck:
    mime: str
    width_px: int
    height_px: int


def check_logo(data: bytes) -> LogoCheck:
    """Refuse anything but a sound PNG or JPEG of sane size, judged by its content (the file name and the
    browser's type are not trusted). The header is read with python-docx, which will embed the picture."""
    if not data:
        raise LogoError(_("Berkas lambang kosong."))
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(_("Berkas lambang terlalu besar (batas %(limit)d KB).", limit=MAX_LOGO_BYTES // 1024))
    kind = filetype.guess(data)
    if kind is None or kind.mime not in MIMES:
        raise LogoError(_("Lambang harus berupa gambar PNG atau JPEG."))
    try:
        image = Image.from_blob(data)
    except (UnrecognizedImageError, UnexpectedEndOfFileError, InvalidImageStreamError, ValueError, IndexError,
            KeyError, struct.error) as exc:
        raise LogoError(_("Gambar lambang rusak atau tidak dapat dibaca.")) from exc
    intact = _png_intact(data) if kind.mime == "image/png" else _jpeg_intact(data)
    if image.content_type != kind.mime or not intact:
        raise LogoError(_("Gambar lambang rusak atau tidak dapat dibaca."))
    width, height = image.px_width, image.px_height
    if min(width, height) < MIN_SIDE_PX:
        raise LogoError(_("Gambar lambang terlalu kecil (%(w)d × %(h)d piksel; minimal %(min)d piksel "
                          "per sisi agar tajam saat dicetak).", w=width, h=height, min=MIN_SIDE_PX))
    if max(width, height) > MAX_SIDE_PX:
        raise LogoError(_("Gambar lambang terlalu besar (%(w)d × %(h)d piksel; maksimal %(max)d piksel "
                          "per sisi).", w=width, h=height, max=MAX_SIDE_PX))
    if max(width, height) > MAX_RATIO * min(width, height):
        raise LogoError(_("Perbandingan lebar dan tinggi lambang tidak wajar (%(w)d × %(h)d piksel).",
                          w=width, h=height))
    return LogoCheck(kind.mime, width, height)


def _png_intact(data: bytes) -> bool:
    """Every chunk whole with a matching CRC, IHDR first, ending at IEND (a cut or damaged file is not)."""
    pos, first = 8, True
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(data[pos + 4:end - 4]) != crc or (first and kind != b"IHDR"):
            return False
        if kind == b"IEND":
            return True
        pos, first = end, False
    return False


def _jpeg_intact(data: bytes) -> bool:
    """Starts with SOI and ends with EOI (trailing padding allowed)."""
    return data[:2] == b"\xff\xd8" and data.rstrip(b"\x00")[-2:] == b"\xff\xd9"


# ---------------------------------------------------------------- the store (the only two functions on the bytes)


def store_logo(office: Office, data: bytes, filename: str, check: LogoCheck, user: User | None) -> OfficeLogo:
    """Keep ``data`` as the office's active lambang (earlier ones stay, inactive)."""
    for previous in db.session.scalars(
        sa.select(OfficeLogo).where(OfficeLogo.office_id == office.id, OfficeLogo.active.is_(True))
    ):
        previous.active = False
    suffix = ".png" if check.mime == "image/png" else ".jpg"
    stored = storage.save(data, storage.new_key(office.code, "logo", stem="lambang-", suffix=suffix))
    logo = OfficeLogo(office_id=office.id, filename=(filename or "lambang")[:255], mime=check.mime,
                      file_key=stored.key,
                      sha256=hashlib.sha256(data).hexdigest(), size=len(data), width_px=check.width_px,
                      height_px=check.height_px, active=True, uploaded_by_id=user.id if user else None)
    db.session.add(logo)
    db.session.flush()
    return logo


def load_logo(office: Office) -> bytes | None:
    """The bytes of the office's active lambang, or None."""
    key = db.session.scalar(
        sa.select(OfficeLogo.file_key).where(OfficeLogo.office_id == office.id, OfficeLogo.active.is_(True))
        .order_by(OfficeLogo.uploaded_at.desc(), OfficeLogo.id.desc()).limit(1)
    )
    return None if key is None else storage.read(key)


# ---------------------------------------------------------------- operations


def active_logo(office: Office) -> OfficeLogo | None:
    """The active lambang's record (without its bytes), for the profile page."""
    return db.session.scalar(
        sa.select(OfficeLogo).where(OfficeLogo.office_id == office.id, OfficeLogo.active.is_(True))
        .order_by(OfficeLogo.uploaded_at.desc(), OfficeLogo.id.desc()).limit(1)
    )


def upload_logo(office: Office, data: bytes, filename: str, user: User | None) -> OfficeLogo:
    """Check and activate an uploaded lambang; a refused one leaves the previous one in place."""
    check = check_logo(data)
    logo = store_logo(office, data, filename, check, user)
    audit.record("office.logo_uploaded", office_id=office.id, obj=logo, user=user, filename=logo.filename,
                 mime=logo.mime, size=logo.size, sha256=logo.sha256, width=logo.width_px, height=logo.height_px)
    return logo


def remove_logo(office: Office, user: User | None) -> int:
    """No lambang any more (the kop's left column stays empty); returns how many were active."""
    count = 0
    for logo in db.session.scalars(
        sa.select(OfficeLogo).where(OfficeLogo.office_id == office.id, OfficeLogo.active.is_(True))
    ):
        logo.active = False
        count += 1
    db.session.flush()
    audit.record("office.logo_removed", office_id=office.id, user=user, object_type="office_logos", removed=count)
    return count
