"""The decree's "formulasi perhitungan dan penjelasan" as data: a list of blocks (pure validation).

Blocks: ``{"type": "para", "text": .., "label"?: ..}``; ``{"type": "bullets"|"numbered", "items":
[str | {"text": .., "children": BLOCKS}]}``; ``{"type": "fraction", "label"?: .., "numerator": ..,
"denominator": .., "factor": "× 100%"}``. A list of plain texts is accepted as ``children`` and stored as
one bullets block, so nested lists are always blocks.

:func:`validate_blocks` returns one canonical form, so that two spellings which render alike compare equal
(the plain-text markup of :mod:`.formulation_text` round-trips to it): texts and labels stripped, a blank
label dropped, an item without children stored as its plain text, the factor stripped ("× 100%" if empty).
"""
from __future__ import annotations

__all__ = ["FormulationError", "validate_blocks", "plain_text"]


class FormulationError(ValueError):
    """The blocks are malformed; ``str(exc)`` says where (Indonesian)."""


def _item(item, where: str):
    if isinstance(item, str):
        return item.strip()
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        children = item.get("children") or []
        if not isinstance(children, list):
            raise FormulationError(f"{where}: 'children' harus daftar teks atau blok.")
        if all(isinstance(c, str) for c in children):
            nested = [{"type": "bullets", "items": [c.strip() for c in children]}] if children else []
        elif all(isinstance(c, dict) for c in children):
            nested = validate_blocks(children)
        else:
            raise FormulationError(f"{where}: 'children' harus daftar teks atau blok.")
        if not nested:  # {"text": t} renders exactly like "t"; one spelling
            return item["text"].strip()
        return {"text": item["text"].strip(), "children": nested}
    raise FormulationError(f"{where}: butir harus teks atau {{'text', 'children'}}.")


def validate_blocks(blocks) -> list[dict]:
    """Return the blocks normalised (texts stripped), or raise FormulationError."""
    if not isinstance(blocks, list):
        raise FormulationError("Formulasi harus berupa daftar blok.")
    out = []
    for n, block in enumerate(blocks, start=1):
        where = f"Blok {n}"
        if not isinstance(block, dict) or block.get("type") not in {"para", "bullets", "numbered", "fraction"}:
            raise FormulationError(f"{where}: jenis harus para, bullets, numbered atau fraction.")
        kind = block["type"]
        label = block.get("label")
        if label is not None and not isinstance(label, str):
            raise FormulationError(f"{where}: 'label' harus teks.")
        clean: dict = {"type": kind}
        if label and label.strip():
            clean["label"] = label.strip()
        if kind == "para":
            if not isinstance(block.get("text", ""), str):
                raise FormulationError(f"{where}: 'text' harus teks.")
            clean["text"] = block.get("text", "").strip()
        elif kind in ("bullets", "numbered"):
            items = block.get("items")
            if not isinstance(items, list) or not items:
                raise FormulationError(f"{where}: 'items' harus daftar yang tidak kosong.")
            clean["items"] = [_item(i, f"{where}, butir {k}") for k, i in enumerate(items, start=1)]
        else:
            for key in ("numerator", "denominator"):
                if not isinstance(block.get(key), str) or not block[key].strip():
                    raise FormulationError(f"{where}: '{key}' wajib diisi.")
                clean[key] = block[key].strip()
            clean["factor"] = str(block.get("factor") or "").strip() or "× 100%"
        out.append(clean)
    return out


def plain_text(blocks: list[dict], indent: str = "") -> str:
    """A readable plain-text rendering (Excel cells, search): fractions as "a / b × 100%"."""
    lines: list[str] = []
    for block in blocks or []:
        label = block.get("label")
        if block["type"] == "para":
            lines.append(indent + " ".join(x for x in (label, block.get("text")) if x))
        elif block["type"] == "fraction":
            if label:
                lines.append(indent + label)
            lines.append(f"{indent}({block['numerator']}) / ({block['denominator']}) {block.get('factor', '× 100%')}")
        else:
            if label:
                lines.append(indent + label)
            for k, item in enumerate(block["items"], start=1):
                mark = f"{k}." if block["type"] == "numbered" else "•"
                text = item if isinstance(item, str) else item["text"]
                lines.append(f"{indent}{mark} {text}")
                children = [] if isinstance(item, str) else item.get("children") or []
                if children and all(isinstance(c, str) for c in children):
                    children = [{"type": "bullets", "items": children}]
                if children:
                    lines.append(plain_text(children, indent + "   "))
    return "\n".join(lines)
