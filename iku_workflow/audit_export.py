"""The audit log leaving the app: CSV (for a spreadsheet) and JSON (for re-verification).

An exported event carries exactly the fields its hash covers (``models.audit.event_digest``), with
``created_at`` in the canonical text form, plus its id and the office's code. The JSON export of a
whole chain (no filter) can be checked with nothing but the file: :func:`verify_export`.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any, Iterable

from .models.audit import GENESIS_HASH, AuditEvent, canonical_time, event_digest
from .reports import cells

#: the columns of the CSV and the keys of each JSON event, in this order
COLUMNS = ("id", "seq", "created_at", "office_id", "office", "user_id", "username", "action", "object_type",
           "object_id", "ip_address", "details", "prev_hash", "hash")


def event_record(event: AuditEvent, office_code: str) -> dict[str, Any]:
    return {"id": event.id, "seq": event.seq, "created_at": canonical_time(event.created_at),
            "office_id": event.office_id, "office": office_code, "user_id": event.user_id,
            "username": event.username or "", "action": event.action, "object_type": event.object_type or "",
            "object_id": event.object_id, "ip_address": event.ip_address or "", "details": event.details or {},
            "prev_hash": event.prev_hash, "hash": event.hash}


def export_json(events: Iterable[AuditEvent], office, filters: dict | None = None) -> str:
    """``{"office": code, "office_id": id, "filters": {...}, "events": [...]}``; ``filters`` empty means
    the whole chain (its first event's prev_hash is the genesis hash)."""
    records = [event_record(e, office.code) for e in events]
    return json.dumps({"office": office.code, "office_id": office.id, "filters": filters or {},
                       "hash_version": 1, "events": records}, ensure_ascii=False, indent=1)


def export_csv(events: Iterable[AuditEvent], office) -> str:
    """UTF-8 with a BOM (Excel opens it as UTF-8); details as compact JSON; texts formula-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in events:
        record = event_record(event, office.code)
        record["details"] = json.dumps(record["details"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        writer.writerow(cells.csv_row(record[c] for c in COLUMNS))
    return out.getvalue()


def record_digest(record: dict[str, Any]) -> str:
    """The hash of one exported event, recomputed from the exported fields alone."""
    return event_digest(seq=record["seq"], created_at=datetime.fromisoformat(record["created_at"].replace("Z", "+00:00")),
                        office_id=record["office_id"], user_id=record["user_id"], username=record["username"],
                        action=record["action"], object_type=record["object_type"], object_id=record["object_id"],
                        ip_address=record["ip_address"], details=record["details"], prev_hash=record["prev_hash"])


def verify_export(events: list[dict[str, Any]], *, whole_chain: bool = True) -> tuple[int, str | None]:
    """(events checked, the first problem or None) for the ``events`` of a JSON export.

    Every event's hash is recomputed; the links (seq consecutive, prev_hash = the previous hash) are
    checked between neighbours, and from the genesis hash when ``whole_chain``."""
    previous: dict[str, Any] | None = None
    for count, record in enumerate(events, 1):
        if previous is None:
            if whole_chain and (record["seq"] != 1 or record["prev_hash"] != GENESIS_HASH):
                return count, f"event {record['id']}: the chain does not start at seq 1"
        elif whole_chain and (record["seq"] != previous["seq"] + 1 or record["prev_hash"] != previous["hash"]):
            return count, f"event {record['id']}: prev_hash does not match event {previous['id']}"
        if record_digest(record) != record["hash"]:
            return count, f"event {record['id']}: hash does not match its content"
        previous = record
    return len(events), None
