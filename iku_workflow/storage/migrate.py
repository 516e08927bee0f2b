"""Copy the stored files from one store to another, each verified by its SHA-256.

Which files: every key a database row names (``REFERENCES``: document versions, register evidence,
signed scans, generated decree versions, kop templates, office logos), and with ``every_key`` also whatever else
the source holds. A key already in the target with the same SHA-256 is not copied again, so the
copy can be interrupted and run again. After a copy the target's bytes are read back and hashed;
where the database knows the file's SHA-256, the copy must match it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import sqlalchemy as sa

from .base import FileMissing, Store, StoreError


@dataclass(frozen=True)
class Reference:
    key: str
    sha256: str | None  # known to the database, or None (register evidence keeps no hash)
    what: str  # for messages: "document_files 12"


def _documents() -> Iterator[Reference]:
    from ..extensions import db
    from ..models import DocumentFile

    for row in db.session.execute(sa.select(DocumentFile.id, DocumentFile.relative_dir, DocumentFile.stored_name,
                                            DocumentFile.sha256).order_by(DocumentFile.id)):
        yield Reference(f"{row.relative_dir}/{row.stored_name}", row.sha256, f"document_files {row.id}")


def _register_evidence() -> Iterator[Reference]:
    from ..extensions import db
    from ..capability import registry
    from ..registers.operations import evidence_key

    for model in (spec.model for spec in registry().registers.values()):
        for row_id, name in db.session.execute(sa.select(model.id, model.evidence_file)
                                               .where(model.evidence_file.is_not(None)).order_by(model.id)):
            yield Reference(evidence_key(name), None, f"{model.__tablename__} {row_id}")


def _register_evidence_versions() -> Iterator[Reference]:
    from ..extensions import db
    from ..models import RegisterEvidenceFile

    for row in db.session.execute(sa.select(RegisterEvidenceFile.id, RegisterEvidenceFile.stored_name,
                                            RegisterEvidenceFile.sha256).order_by(RegisterEvidenceFile.id)):
        yield Reference(f"evidence/{row.stored_name}", row.sha256, f"register_evidence_files {row.id}")


def _kept_evidence() -> Iterator[Reference]:
    """Register evidence kept after its row changed or went, because it had been submitted for review:
    named (with its hash) only by the audit log."""
    from ..extensions import db
    from ..models import AuditEvent
    from ..registers.operations import EVIDENCE_KEPT

    for event in db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action.in_([EVIDENCE_KEPT, "registers.delete"])).order_by(AuditEvent.id)):
        key = event.details.get("key") or event.details.get("evidence_key")
        if key:
            yield Reference(key, event.details.get("sha256") or event.details.get("evidence_sha256"),
                            f"audit_events {event.id}")
        # a deleted row's submitted evidence versions stay in the store, named only here
        for item in event.details.get("evidence_versions") or ():
            if item.get("submitted") and item.get("key"):
                yield Reference(item["key"], item.get("sha256"), f"audit_events {event.id}")


def _decrees() -> Iterator[Reference]:
    from ..extensions import db
    from ..models import Decree, DecreeVersion, OfficeLogo, OfficeTemplate

    for row in db.session.execute(sa.select(Decree.id, Decree.signed_path, Decree.signed_sha256)
                                  .where(Decree.signed_path.is_not(None)).order_by(Decree.id)):
        yield Reference(row.signed_path, row.signed_sha256, f"decrees {row.id}")
    for model in (DecreeVersion, OfficeTemplate, OfficeLogo):
        for row in db.session.execute(sa.select(model.id, model.file_key, model.sha256).order_by(model.id)):
            yield Reference(row.file_key, row.sha256, f"{model.__tablename__} {row.id}")


#: Every kind of row that names a stored file. A new kind of stored file adds its function here.
REFERENCES: list[Callable[[], Iterable[Reference]]] = [_documents, _register_evidence_versions, _register_evidence,
                                                      _kept_evidence, _decrees]


def referenced() -> list[Reference]:
    seen: dict[str, Reference] = {}
    for source in REFERENCES:
        for ref in source():
            seen.setdefault(ref.key, ref)
    return list(seen.values())


class _ChunkReader:
    """A read()-able stream over a Download's chunks (what Store.put reads)."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._buffer = b""

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            data, self._buffer = self._buffer + b"".join(self._chunks), b""
            return data
        while len(self._buffer) < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data


@dataclass
class Summary:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the target with the same SHA-256
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, why)

    @property
    def total(self) -> int:
        return len(self.copied) + len(self.skipped) + len(self.failed)


def copy_one(source: Store, target: Store, ref: Reference, summary: Summary) -> None:
    key = ref.key
    try:
        if not source.exists(key):
            summary.failed.append((key, f"tidak ada di sumber ({ref.what})"))
            return
        if target.exists(key):
            expected = ref.sha256 or source.sha256(key)
            if target.sha256(key) == expected:
                summary.skipped.append(key)
                return
        with source.open(key) as download:
            written = target.put(key, _ChunkReader(download))
        if ref.sha256 and written.sha256 != ref.sha256:
            target.delete(key)
            summary.failed.append((key, f"isi di sumber tidak cocok dengan SHA-256 di basis data ({ref.what})"))
            return
        if target.sha256(key) != written.sha256:
            summary.failed.append((key, "salinan di tujuan berbeda setelah dibaca ulang"))
            return
        summary.copied.append(key)
    except (StoreError, FileMissing, OSError) as exc:
        summary.failed.append((key, str(exc)))


def copy_all(source: Store, target: Store, *, every_key: bool = False,
             progress: Callable[[str, str], None] | None = None) -> Summary:
    """Copy the referenced keys (and with ``every_key`` every key of ``source``) to ``target``."""
    refs = referenced()
    if every_key:
        known = {r.key for r in refs}
        refs += [Reference(k, None, "tanpa baris") for k in source.iter_keys() if k not in known]
    summary = Summary()
    for ref in refs:
        before = summary.total
        copy_one(source, target, ref, summary)
        if progress and summary.total > before:
            outcome = ("disalin" if summary.copied[-1:] == [ref.key] else
                       "sudah ada" if summary.skipped[-1:] == [ref.key] else "GAGAL")
            progress(ref.key, outcome)
    return summary
