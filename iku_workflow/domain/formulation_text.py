r"""The formulation as plain text a secretary can read and type (the markup of the IKU edit form).

One line is one thing; the first characters of a line say what it is::

    Teks biasa                          a paragraph
    *Penjelasan Indikator :* teks       a paragraph with a bold label (the text may be empty)
    - teks                              a bullet item ("•" and "–" are read as "-" too)
    1. teks                             a numbered item; the number is only a marker, numbering is automatic
      - teks                            indented under an item (two spaces): that item's children, any blocks
    Jumlah yang diselesaikan            a fraction: the numerator, a rule of at least three "-" followed
    ------------------------ × 100%     by the factor (none means "× 100%"), the denominator; the line
    Jumlah yang masuk                   directly above a rule is always the numerator, taken as it is
    \- teks                             a leading backslash: the rest of the line is plain text

A label alone on its line (``*Judul :*``) directly above a list or a fraction is that block's label.
A blank line separates blocks and ends a list; blank lines are otherwise ignored. Inside a label,
``\*`` and ``\\`` stand for ``*`` and ``\``.

:func:`text_to_blocks` and :func:`blocks_to_text` are inverse on the canonical blocks of
:func:`~.formulation.validate_blocks`, with one exception: a line break inside a text cannot be written
in a one-line-per-item markup, so :func:`blocks_to_text` writes it as a space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .formulation import FormulationError, validate_blocks

__all__ = ["FormulationTextError", "MAX_DEPTH", "blocks_to_text", "text_to_blocks"]

MAX_DEPTH = 10  # levels of children; the decree uses two


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalog; the web view translates it (this module has no Flask)."""
    return message


TAB = N_("Baris %(line)s: indentasi memakai tab; gunakan spasi (dua spasi per tingkat).")
TOO_DEEP = N_("Baris %(line)s: anak butir terlalu dalam (paling banyak %(max)s tingkat).")
DEEPER = N_("Baris %(line)s: baris ini menjorok, padahal baris di atasnya bukan butir daftar (\"- \" atau "
            "\"1. \"). Hapus spasi di awal baris, atau jadikan baris di atasnya butir daftar.")
MISALIGNED = N_("Baris %(line)s: indentasi tidak sejajar dengan baris-baris lain pada tingkat yang sama.")
RULE_ALONE = N_("Baris %(line)s: garis pecahan (---) tanpa pembilang. Tulis pembilang tepat di atas garis "
                "dan penyebut tepat di bawahnya.")
NO_DENOMINATOR = N_("Baris %(line)s: di bawah garis pecahan harus ada penyebut, sejajar dengan pembilang.")
EMPTY_NUMERATOR = N_("Baris %(line)s: pembilang kosong.")
EMPTY_DENOMINATOR = N_("Baris %(line)s: penyebut kosong.")


class FormulationTextError(FormulationError):
    """Bad markup. ``str(exc)`` is the Indonesian message naming the line; ``template`` and ``params``
    let a view show it translated; ``line`` is the 1-based line number."""

    def __init__(self, template: str, line: int, **params):
        self.template, self.line, self.params = template, line, {"line": line, **params}
        super().__init__(template % self.params)


# Line breaks of a submitted textarea (browsers send CRLF). Only these: other separators that
# str.splitlines() knows (\x1c, \u2028, ...) stay inside the line's text.
_BREAKS = re.compile(r"\r\n|\r|\n")
_RULE = re.compile(r"-{3,}\s*(.*)", re.S)
_BULLET = re.compile(r"[-•–](?:\s+|$)(.*)", re.S)
_NUMBER = re.compile(r"[0-9]+[.)](?:\s+|$)(.*)", re.S)
_DEFAULT_FACTOR = "× 100%"


@dataclass(frozen=True)
class _Line:
    no: int  # 1-based, as the user counts
    indent: int
    text: str  # without the indentation and trailing spaces; "" for a blank line


def _classify(text: str) -> tuple:
    """What a non-blank line is: ("text", t) | ("label", label, rest) | ("bullets"|"numbered", t) | ("rule", factor)."""
    if text.startswith("\\"):
        return ("text", text[1:])
    for kind, pattern in (("rule", _RULE), ("bullets", _BULLET), ("numbered", _NUMBER)):
        match = pattern.fullmatch(text)
        if match:
            return (kind, match.group(1))
    if text.startswith("*"):
        split = _split_label(text)
        if split:
            return ("label", *split)
    return ("text", text)


def _split_label(text: str) -> tuple[str, str] | None:
    """``*label* rest`` -> (label, rest); None when there is no closing ``*`` or the label is blank."""
    chars, i = [], 1
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1:i + 2] in ("\\", "*"):
            chars.append(text[i + 1])
            i += 2
        elif char == "*":
            label = "".join(chars).strip()
            return (label, text[i + 1:].strip()) if label else None
        else:
            chars.append(char)
            i += 1
    return None


# ---------------------------------------------------------------- text -> blocks

def text_to_blocks(text: str) -> list[dict]:
    """Parse the markup into blocks that pass :func:`validate_blocks` (already in their canonical form).

    Raises :class:`FormulationTextError` (a :class:`FormulationError`) naming the first bad line.
    """
    lines = []
    for no, raw in enumerate(_BREAKS.split(text or ""), start=1):
        raw = raw.rstrip()
        content = raw.lstrip()
        lead = raw[:len(raw) - len(content)]
        if "\t" in lead:
            raise FormulationTextError(TAB, no)
        lines.append(_Line(no, len(lead), content))
    filled = [line.indent for line in lines if line.text]
    # The whole text may be indented (pasted from elsewhere): the least indented lines are the top level.
    return validate_blocks(_parse(lines, min(filled), 0) if filled else [])


def _at(lines: list[_Line], i: int, indent: int) -> _Line | None:
    """Line ``i`` if it is a non-blank line at exactly ``indent``."""
    if i < len(lines) and lines[i].text and lines[i].indent == indent:
        return lines[i]
    return None


def _fraction_at(lines: list[_Line], i: int, indent: int) -> bool:
    rule = _at(lines, i + 1, indent)
    return _at(lines, i, indent) is not None and rule is not None and _classify(rule.text)[0] == "rule"


def _item_at(lines: list[_Line], i: int, indent: int) -> bool:
    line = _at(lines, i, indent)
    return (line is not None and _classify(line.text)[0] in ("bullets", "numbered")
            and not _fraction_at(lines, i, indent))


def _parse(lines: list[_Line], indent: int, depth: int) -> list[dict]:
    """The blocks of ``lines``, whose top level is at ``indent`` (deeper lines belong to list items)."""
    blocks: list[dict] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.text:
            i += 1
            continue
        if line.indent != indent:
            raise FormulationTextError(DEEPER if line.indent > indent else MISALIGNED, line.no)
        if _fraction_at(lines, i, indent):
            blocks.append(_fraction(lines, i, indent, None))
            i += 3
            continue
        kind, *parts = _classify(line.text)
        if kind == "rule":
            raise FormulationTextError(RULE_ALONE, line.no)
        if kind in ("bullets", "numbered"):
            block, i = _list(lines, i, indent, depth, None)
            blocks.append(block)
        elif kind == "label" and not parts[1] and _fraction_at(lines, i + 1, indent):
            blocks.append(_fraction(lines, i + 1, indent, parts[0]))
            i += 4
        elif kind == "label" and not parts[1] and _item_at(lines, i + 1, indent):
            block, i = _list(lines, i + 1, indent, depth, parts[0])
            blocks.append(block)
        elif kind == "label":
            blocks.append({"type": "para", "label": parts[0], "text": parts[1]})
            i += 1
        else:
            blocks.append({"type": "para", "text": parts[0]})
            i += 1
    return blocks


def _literal(line: _Line) -> str:
    return line.text[1:] if line.text.startswith("\\") else line.text


def _fraction(lines: list[_Line], i: int, indent: int, label: str | None) -> dict:
    numerator, rule = lines[i], lines[i + 1]
    denominator = _at(lines, i + 2, indent)
    if denominator is None:
        raise FormulationTextError(NO_DENOMINATOR, rule.no)
    block = {"type": "fraction", "numerator": _literal(numerator), "denominator": _literal(denominator),
             "factor": _classify(rule.text)[1] or _DEFAULT_FACTOR}
    if not block["numerator"].strip():
        raise FormulationTextError(EMPTY_NUMERATOR, numerator.no)
    if not block["denominator"].strip():
        raise FormulationTextError(EMPTY_DENOMINATOR, denominator.no)
    if label:
        block["label"] = label
    return block


def _list(lines: list[_Line], i: int, indent: int, depth: int, label: str | None) -> tuple[dict, int]:
    """The list starting at line ``i``: items of one kind at ``indent``, each with its deeper lines as children.
    It ends at a blank line, a line of another kind, or a numerator."""
    kind = _classify(lines[i].text)[0]
    items: list = []
    while _item_at(lines, i, indent) and _classify(lines[i].text)[0] == kind:
        text = _classify(lines[i].text)[1]
        start = end = i + 1
        j = start
        while j < len(lines) and (not lines[j].text or lines[j].indent > indent):
            if lines[j].text:
                end = j + 1  # blank lines count only between deeper lines, never after the last one
            j += 1
        children = lines[start:end]
        if children:
            if depth + 1 > MAX_DEPTH:
                raise FormulationTextError(TOO_DEEP, children[0].no, max=MAX_DEPTH)
            first = next(line for line in children if line.text)
            items.append({"text": text, "children": _parse(children, first.indent, depth + 1)})
        else:
            items.append(text)
        i = end
    block = {"type": kind, "items": items}
    if label:
        block["label"] = label
    return block, i


# ---------------------------------------------------------------- blocks -> text

def blocks_to_text(blocks) -> str:
    """The markup of ``blocks`` (validated first: raises FormulationError on malformed blocks)."""
    return "\n".join(_write(validate_blocks(blocks), ""))


def _flat(text: str) -> str:
    return _BREAKS.sub(" ", text)


def _write_label(label: str) -> str:
    return "*" + _flat(label).replace("\\", "\\\\").replace("*", "\\*") + "*"


def _write_literal(text: str) -> str:
    """``text`` as a line read back as that very text (escaped when it would read as a marker)."""
    text = _flat(text)
    return text if text and _classify(text) == ("text", text) else "\\" + text


def _write(blocks: list[dict], indent: str) -> list[str]:
    out: list[str] = []
    for n, block in enumerate(blocks):
        if n:
            out.append("")  # a blank line between blocks: ends a list, keeps a lone label a paragraph
        kind, label = block["type"], block.get("label")
        if kind == "para":
            if label:
                out.append(indent + (_write_label(label) + " " + _flat(block["text"])).rstrip())
            else:
                out.append(indent + _write_literal(block["text"]))
            continue
        if label:
            out.append(indent + _write_label(label))
        if kind == "fraction":
            numerator, denominator = _write_literal(block["numerator"]), _write_literal(block["denominator"])
            rule = "-" * max(3, min(60, max(len(numerator), len(denominator))))
            out += [indent + numerator, f"{indent}{rule} {_flat(block['factor'])}", indent + denominator]
            continue
        for k, item in enumerate(block["items"], start=1):
            text, children = (item, []) if isinstance(item, str) else (item["text"], item["children"])
            marker = "-" if kind == "bullets" else f"{k}."
            out.append(f"{indent}{marker} {_flat(text)}".rstrip())
            out += _write(children, indent + "  ")
    return out
