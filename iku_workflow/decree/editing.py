"""Reading the decree edit form: header fields and the ordered lists with Hapus / Naik / Turun.

The form works without JavaScript. Each list item is its own field (``mengingat-0``,
``mengingat-1`` …, plus ``mengingat-new`` for a row to add); each diktum has ``diktum-<i>-text``,
``diktum-<i>-items`` (one sub-item a line) and ``diktum-<i>-style``. A button named ``op`` carries
what to do: ``save`` or ``<list>:<delete|up|down>:<index>``. Every button posts the whole form, so
nothing typed is lost when an item moves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain.dates import parse_tanggal
from .content import ITEM_STYLES, LIST_FIELDS

REQUIRED_LISTS = {"menimbang": _l("Menimbang"), "mengingat": _l("Mengingat"), "diktum": _l("Diktum")}
MAX_ITEMS = 60
MAX_TEXT = 4000


@dataclass
class EditResult:
    values: dict[str, Any]  # what the form shows again (and what is stored when valid)
    tanggal_text: str
    errors: dict[str, str] = field(default_factory=dict)
    op: str = "save"
    focus: str = ""  # the list the user worked on (the page scrolls there)


def _indexed(form: Mapping, prefix: str, suffix: str = "") -> list[tuple[int, str]]:
    found = []
    for key in form.keys():
        if not key.startswith(prefix + "-") or not key.endswith(suffix):
            continue
        middle = key[len(prefix) + 1: len(key) - len(suffix)]
        if middle.isdigit() and len(middle) < 4:
            found.append((int(middle), str(form.get(key, ""))[:MAX_TEXT].strip()))
    return sorted(found)


def _raw_list(form: Mapping, name: str) -> list[str]:
    items = [text for _i, text in _indexed(form, name)]
    new = str(form.get(f"{name}-new", ""))[:MAX_TEXT].strip()
    return items + ([new] if new else [])


def _raw_diktum(form: Mapping) -> list[dict]:
    out = []
    texts = dict(_indexed(form, "diktum", "-text"))
    items = dict(_indexed(form, "diktum", "-items"))
    styles = dict(_indexed(form, "diktum", "-style"))
    for i in sorted(texts):
        out.append(_diktum(texts[i], items.get(i, ""), styles.get(i, "")))
    new_text = str(form.get("diktum-new-text", ""))[:MAX_TEXT].strip()
    if new_text:
        out.append(_diktum(new_text, str(form.get("diktum-new-items", "")), str(form.get("diktum-new-style", ""))))
    return out


def _diktum(text: str, items: str, style: str) -> dict:
    lines = [line.strip() for line in items.splitlines() if line.strip()]
    style = style if style in ITEM_STYLES else None
    return {"text": text.strip(), "items": lines, "item_style": (style or "number") if lines else None}


def apply_op(items: list, op: str) -> list:
    """Delete or move one item of a list (``delete``/``up``/``down`` at ``index``); a copy."""
    action, _sep, index_text = op.partition(":")
    items = list(items)
    if not index_text.isdigit():
        return items
    i = int(index_text)
    if not 0 <= i < len(items):
        return items
    if action == "delete":
        del items[i]
    elif action == "up" and i > 0:
        items[i - 1], items[i] = items[i], items[i - 1]
    elif action == "down" and i < len(items) - 1:
        items[i + 1], items[i] = items[i], items[i + 1]
    return items


def read_form(form: Mapping, *, lock_nomor: bool = False, current_nomor: str = "") -> EditResult:
    """Parse the posted form, apply its list operation, validate; values are returned even when invalid."""
    op = str(form.get("op", "save"))
    lists: dict[str, list] = {name: _raw_list(form, name) for name in LIST_FIELDS}
    lists["diktum"] = _raw_diktum(form)
    focus = ""
    if op != "save":
        name, _sep, rest = op.partition(":")
        if name in lists:
            lists[name] = apply_op(lists[name], rest)
            focus = name
    # an emptied item is a removed item
    for name in LIST_FIELDS:
        lists[name] = [text for text in lists[name] if text]
    lists["diktum"] = [d for d in lists["diktum"] if d["text"]]

    values: dict[str, Any] = {
        "nomor": current_nomor if lock_nomor else str(form.get("nomor", "")).strip()[:120],
        "tempat": str(form.get("tempat", "")).strip()[:120],
        "tentang": " ".join(str(form.get("tentang", "")).split())[:MAX_TEXT],
        **lists,
    }
    errors: dict[str, str] = {}
    tanggal_text = str(form.get("tanggal", "")).strip()
    values["tanggal"] = None
    if tanggal_text:
        try:
            values["tanggal"] = parse_tanggal(tanggal_text)
        except ValueError as exc:
            errors["tanggal"] = str(exc)
    if not values["nomor"]:
        errors["nomor"] = _("Nomor keputusan wajib diisi.")
    if not values["tempat"]:
        errors["tempat"] = _("Tempat penetapan wajib diisi.")
    if not values["tentang"]:
        errors["tentang"] = _("Judul (tentang) wajib diisi.")
    for name, label in REQUIRED_LISTS.items():
        if not values[name]:
            errors[name] = _("%(label)s harus berisi sedikitnya satu butir.", label=label)
    for name in (*LIST_FIELDS, "diktum"):
        if len(values[name]) > MAX_ITEMS:
            errors[name] = _("Terlalu banyak butir (batas %(n)d).", n=MAX_ITEMS)
    return EditResult(values=values, tanggal_text=tanggal_text, errors=errors, op=op, focus=focus)


def tanggal_value(d: date | None) -> str:
    """What the date input shows: ISO (the browser's date picker renders it in the user's locale)."""
    return d.isoformat() if d else ""
