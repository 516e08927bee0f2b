"""The one formatter (iku_workflow/formatting.py): dates, numbers, percentages, NIP, roman numerals,
diktum words and list markers, Indonesian and English; and that nothing else writes them."""
import ast
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import session
from flask_babel import refresh
from hypothesis import given
from hypothesis import strategies as st

import iku_workflow
from iku_workflow.domain.nip import NipError
from iku_workflow.domain.numbers import parse_number
from iku_workflow.formatting import (
    MONTHS_ID, TRIWULAN_LABELS, diktum_word, format_date, format_decimal, format_file_size, format_nip,
    format_number,
    format_percent, huruf, item_marker, roman, semester_label, triwulan_label, triwulan_short,
)


@pytest.mark.parametrize(("d", "id_text", "en_text"), [
    (date(2025, 2, 12), "12 Februari 2025", "12 February 2025"),
    (date(2025, 1, 5), "5 Januari 2025", "5 January 2025"),
    (date(2024, 12, 31), "31 Desember 2024", "31 December 2024"),
    (datetime(2025, 8, 17, 10, 0), "17 Agustus 2025", "17 August 2025"),
])
def test_dates_in_both_languages(d, id_text, en_text):
    assert format_date(d) == id_text  # documents: Indonesian by default
    assert format_date(d, "id") == id_text
    assert format_date(d, "en") == en_text
    assert format_date(d, "en_US") == en_text


def test_month_names():
    assert len(MONTHS_ID) == 12 and MONTHS_ID[1] == "Februari" and MONTHS_ID[10] == "November"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        format_decimal(1, "fr")


@pytest.mark.parametrize(("value", "places", "id_text", "en_text"), [
    (Decimal("84.175"), 2, "84,18", "84.18"),     # half up on the exact value
    (84.175, 2, "84,18", "84.18"),                 # a float goes through its shortest text, not binary
    (Decimal("83.325"), 2, "83,33", "83.33"),
    (Decimal("-84.175"), 2, "-84,18", "-84.18"),
    (1500, 2, "1.500,00", "1,500.00"),
    (Decimal("1234567.891"), 2, "1.234.567,89", "1,234,567.89"),
    (1500, 0, "1.500", "1,500"),
    (Decimal("3.33333"), 4, "3,3333", "3.3333"),
    (0, 2, "0,00", "0.00"),
])
def test_decimals_round_half_up_then_use_the_locale_marks(value, places, id_text, en_text):
    assert format_decimal(value, "id", places) == id_text
    assert format_decimal(value, "en", places) == en_text


def test_missing_figures():
    assert format_decimal(None) == "–" and format_percent(None) == "–"
    assert format_number(None) == ""
    assert format_decimal(None, "en", empty="—") == "—"


@pytest.mark.parametrize(("value", "id_text", "en_text"), [
    (82, "82", "82"), (Decimal("66.5"), "66,5", "66.5"), (Decimal("66.50"), "66,5", "66.5"),
    (1500, "1.500", "1,500"), (Decimal("1500.755"), "1.500,76", "1,500.76"),
])
def test_numbers_without_needless_decimals(value, id_text, en_text):
    assert format_number(value, "id") == id_text
    assert format_number(value, "en") == en_text


def test_percentages():
    assert format_percent(Decimal("66.666666")) == "66,67%"
    assert format_percent(Decimal("66.666666"), "en") == "66.67%"
    assert format_percent(Decimal("84.175"), "en") == "84.18%"
    assert format_percent(100, "id") == "100,00%"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False),
       st.sampled_from(["id", "en"]))
def test_decimals_read_back_by_the_one_parser(value, locale):
    assert parse_number(format_decimal(value, locale, 4), locale) == value


def test_nip_grouping_and_validation():
    assert format_nip("198406242002121001") == "19840624 200212 1 001"
    assert format_nip("NIP. 19840624.200212.1.001") == "19840624 200212 1 001"
    assert format_nip("19840624 200212 1 001") == "19840624 200212 1 001"
    assert format_nip("") == "" and format_nip(None) == "" and format_nip("  ") == ""
    for wrong in ("123", "198406242002121", "198413242002121001", "198406242002131001", "198406242002123001"):
        with pytest.raises(NipError):
            format_nip(wrong)


def test_roman_numerals():
    assert [roman(n) for n in range(1, 13)] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
                                                 "XI", "XII"]
    assert roman(14) == "XIV" and roman(40) == "XL" and roman(99) == "XCIX" and roman(2025) == "MMXXV"
    assert roman(3999) == "MMMCMXCIX"
    for bad in (0, -1, 4000, True, 1.0):
        with pytest.raises(ValueError):
            roman(bad)
    assert TRIWULAN_LABELS == {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}
    assert triwulan_short(3) == "TW III" and triwulan_label(4) == "Triwulan IV" and semester_label(2) == "Semester II"


_UNITS = ["", "SATU", "DUA", "TIGA", "EMPAT", "LIMA", "ENAM", "TUJUH", "DELAPAN", "SEMBILAN"]


def _spelled(n):
    """An independent spelling of 1..99 to check every diktum word against."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return _UNITS[n]
    if n == 10:
        return "SEPULUH"
    if n == 11:
        return "SEBELAS"
    if tens == 1:
        return f"{_UNITS[ones]} BELAS"
    return f"{_UNITS[tens]} PULUH" + (f" {_UNITS[ones]}" if ones else "")


@pytest.mark.parametrize(("n", "word"), [
    (1, "KESATU"), (2, "KEDUA"), (4, "KEEMPAT"), (6, "KEENAM"), (9, "KESEMBILAN"), (10, "KESEPULUH"),
    (11, "KESEBELAS"), (12, "KEDUA BELAS"), (19, "KESEMBILAN BELAS"), (20, "KEDUA PULUH"),
    (21, "KEDUA PULUH SATU"), (30, "KETIGA PULUH"), (99, "KESEMBILAN PULUH SEMBILAN"),
])
def test_diktum_words(n, word):
    assert diktum_word(n) == word


def test_every_diktum_word_1_to_99():
    assert [diktum_word(n) for n in range(1, 100)] == [f"KE{_spelled(n)}" for n in range(1, 100)]


@pytest.mark.parametrize("bad", [0, -1, 100, 115, 1000, True, 1.0])
def test_diktum_refused_outside_1_to_99(bad):
    with pytest.raises(ValueError):
        diktum_word(bad)


def test_letters_and_list_markers():
    assert [huruf(n) for n in (1, 2, 26, 27, 28, 52, 53, 703)] == ["a", "b", "z", "aa", "ab", "az", "ba", "aaa"]
    with pytest.raises(ValueError):
        huruf(0)
    assert item_marker(0, "letter") == "a." and item_marker(26, "letter") == "aa."
    assert item_marker(1, "paren_number") == "(2)" and item_marker(2, "number") == "3." and item_marker(0, None) == ""


# ---------------------------------------------------------------- nobody else writes these

PACKAGE = Path(iku_workflow.__file__).parent
FORMATTER = PACKAGE / "formatting.py"
_MONTHS = re.compile(r"""["'](Januari|Februari|Maret|Agustus|Oktober|Desember|January|February|August|October|December)["']""")
_ROMANS = re.compile(r"""["'](?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)["']""")
_DIKTUM = re.compile(r"""["'](?:KE)?(?:SATU|KEDUA|KETIGA|KESEPULUH|SEBELAS|KESEBELAS|BELAS|PULUH)["']""")


def _sources():
    return [p for p in PACKAGE.rglob("*.py") if p != FORMATTER and "bundled" not in p.parts]


def _string_literals(path):
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_only_the_formatter_defines_month_names_roman_numerals_and_diktum_words():
    offenders = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for pattern, what in ((_MONTHS, "month name"), (_ROMANS, "roman numeral"), (_DIKTUM, "diktum word")):
            for m in pattern.finditer(text):
                offenders.append(f"{path.relative_to(PACKAGE)}: {what} {m.group(0)}")
        for node in _string_literals(path):  # a label table ("TW I", "Realisasi s.d. TW II"), not prose
            if len(node.value) <= 30 and re.search(r"\bTW (?:I|II|III|IV)$", node.value):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: roman numeral in {node.value!r}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name in {"diktum_word", "roman", "format_nip", "format_date",
                                                                     "format_tanggal", "format_id", "huruf"}:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: defines {node.name}()")
    assert offenders == []


@pytest.mark.parametrize(("size", "id_text", "en_text"), [
    (0, "0 B", "0 B"),
    (1023, "1023 B", "1023 B"),
    (1024, "1,0 KB", "1.0 KB"),
    (12_595, "12,3 KB", "12.3 KB"),           # 12,2998… KB
    (1024 * 1024 - 1, "1.024,0 KB", "1,024.0 KB"),  # 1023,999 KB: under 1 MB, rounded half up
    (1024 * 1024, "1,0 MB", "1.0 MB"),
    (20 * 1024 * 1024, "20,0 MB", "20.0 MB"),
    (3 * 1024**3, "3,0 GB", "3.0 GB"),
    (5000 * 1024**3, "5.000,0 GB", "5,000.0 GB"),
])
def test_file_sizes(size, id_text, en_text):
    assert format_file_size(size, "id") == id_text
    assert format_file_size(size, "en") == en_text


def test_file_size_none_and_negative():
    assert format_file_size(None) == ""
    with pytest.raises(ValueError):
        format_file_size(-1)


def test_file_size_filter_follows_the_page_language(app):
    template = app.jinja_env.from_string("{{ size | file_size }}")  # a variable: Jinja folds constants at compile time
    with app.test_request_context():
        assert template.render(size=12595) == "12,3 KB"
    with app.test_request_context():
        session["locale"] = "en"
        refresh()  # the locale chosen by the first render is cached for the app context
        assert template.render(size=12595) == "12.3 KB"


def test_no_template_formats_sizes_or_numbers_by_hand():
    """Sizes and figures on pages go through the formatter's filters, never Jinja's round or a / 1024."""
    offenders = []
    for path in sorted((PACKAGE.parent / "templates").rglob("*.html")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\|\s*round\b|/\s*1024\b", line):
                offenders.append(f"{path.name}:{lineno}: {line.strip()}")
    assert offenders == []


def test_the_formatter_is_pure():
    tree = ast.parse(FORMATTER.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] in {"flask", "flask_babel", "sqlalchemy"} for name in imported)
    assert not (PACKAGE / "reports" / "formatting.py").exists()


def test_decree_preview_writes_list_markers_as_the_word_file_does(app):
    """The HTML preview's markers come from the formatter too: the 27th lettered item is "aa." in both."""
    template = app.jinja_env.from_string(
        '{% from "decree/_lists.html" import marker_of %}'
        '{% for i in [0, 25, 26] %}{{ marker_of(i, "letter") }} {% endfor %}'
        '{{ marker_of(1, "paren_number") }} {{ marker_of(2, "number") }} {{ marker_of(0, None) }}')
    with app.test_request_context():
        assert template.render() == "a. z. aa. (2) 3. 1."
    assert [item_marker(i, "letter") for i in (0, 25, 26)] == ["a.", "z.", "aa."]
