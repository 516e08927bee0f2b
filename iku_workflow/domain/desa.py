"""A desa's name as typed and as compared: "Kepanjen", " kepanjen " and "KEPANJEN" are one village.

`clean_name` is what is stored and shown (spaces trimmed and collapsed); `name_key` is what is compared
(the clean name case-folded): one office's desa list holds each key once. Migration 0020_desa applies the
same two rules to the free text that rows held before the list existed (it keeps its own copy: revisions
are history and import nothing of the app).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

__all__ = ["canonical_names", "clean_name", "name_key"]


def clean_name(text: str | None) -> str:
    return " ".join((text or "").split())


def name_key(text: str | None) -> str:
    return clean_name(text).casefold()


def canonical_names(values: Iterable[str | None]) -> dict[str, str]:
    """key -> the name shown for it, from free-text values: the spelling used most often, on a tie the one
    that sorts first (capitals before small letters: "Kepanjen" before "kepanjen"). Empty values are no desa."""
    counts: dict[str, Counter] = {}
    for value in values:
        name = clean_name(value)
        if name:
            counts.setdefault(name.casefold(), Counter())[name] += 1
    return {key: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, c in counts.items()}
