"""The plain-text markup of the formulation: what a secretary types, the blocks it becomes, and back."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from iku_workflow.domain.formulation import FormulationError, validate_blocks
from iku_workflow.domain.formulation_text import MAX_DEPTH, FormulationTextError, blocks_to_text, text_to_blocks
from iku_workflow.seed.gumukmas_2025 import IKU, iku_rows


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_every_seeded_formulation_round_trips(number):
    for blocks in (IKU[number - 1]["formulation"], iku_rows(2025)[number - 1]["formulation"]):
        text = blocks_to_text(blocks)
        assert text_to_blocks(text) == validate_blocks(blocks)
        assert "\"type\"" not in text and "\"items\"" not in text  # no JSON left for the secretary


def test_seeded_iku4_reads_like_the_decree():
    text = blocks_to_text(iku_rows(2025)[3]["formulation"])
    lines = text.splitlines()
    assert lines[0] == "*Formulasi Perhitungan :*"
    assert lines[1].endswith("yang diselesaikan") and lines[3].endswith("yang masuk")
    assert set(lines[2][:-len(" × 100%")]) == {"-"} and lines[2].endswith(" × 100%")
    assert lines[5] == "*Penjelasan Indikator :*" and lines[7].startswith("- Laporan/aduan")


def test_paragraphs_labels_lists_and_children():
    text = """
*Penjelasan Indikator :* Tersedianya dokumen berupa:
- Dokumen LAKIP
- Dokumen Anjab
Paragraf biasa: titik dua tidak membuat judul.
1. Pertama
2. Kedua meliputi:
  - anak satu
  - anak dua
     
  Paragraf anak
    """
    assert text_to_blocks(text) == [
        {"type": "para", "label": "Penjelasan Indikator :", "text": "Tersedianya dokumen berupa:"},
        {"type": "bullets", "items": ["Dokumen LAKIP", "Dokumen Anjab"]},
        {"type": "para", "text": "Paragraf biasa: titik dua tidak membuat judul."},
        {"type": "numbered", "items": ["Pertama", {"text": "Kedua meliputi:", "children": [
            {"type": "bullets", "items": ["anak satu", "anak dua"]}, {"type": "para", "text": "Paragraf anak"}]}]},
    ]


def test_fraction_with_label_factor_and_slashes_in_its_texts():
    blocks = text_to_blocks("*Rumus :*\r\nJumlah laporan/aduan yang diselesaikan\r\n----- × 100%\r\n"
                            "Jumlah laporan/aduan yang masuk\r\n\r\nA\n---\nB\n\nC\n------x 1000\nD")
    assert blocks[0] == {"type": "fraction", "label": "Rumus :", "numerator": "Jumlah laporan/aduan yang diselesaikan",
                         "denominator": "Jumlah laporan/aduan yang masuk", "factor": "× 100%"}
    assert blocks[1] == {"type": "fraction", "numerator": "A", "denominator": "B", "factor": "× 100%"}
    assert blocks[2] == {"type": "fraction", "numerator": "C", "denominator": "D", "factor": "x 1000"}
    assert text_to_blocks("- a / b × 100%") == [{"type": "bullets", "items": ["a / b × 100%"]}]


def test_a_lone_label_belongs_to_the_list_or_fraction_right_below_it():
    assert text_to_blocks("*Judul :*\n- a") == [{"type": "bullets", "label": "Judul :", "items": ["a"]}]
    assert text_to_blocks("*Judul :*\n\n- a") == [{"type": "para", "label": "Judul :", "text": ""},
                                                 {"type": "bullets", "items": ["a"]}]
    assert text_to_blocks("*Judul :*\nTeks") == [{"type": "para", "label": "Judul :", "text": ""},
                                                {"type": "para", "text": "Teks"}]


def test_blank_line_or_another_marker_ends_a_list_numbers_are_only_markers():
    assert text_to_blocks("1. a\n\n1. b\n- c\n7) d\n3. e") == [
        {"type": "numbered", "items": ["a"]}, {"type": "numbered", "items": ["b"]},
        {"type": "bullets", "items": ["c"]}, {"type": "numbered", "items": ["d", "e"]}]
    assert text_to_blocks("• a\n– b") == [{"type": "bullets", "items": ["a", "b"]}]


def test_backslash_and_star_escapes():
    assert text_to_blocks("\\- bukan butir\n\\1. bukan nomor\n\\\n*) catatan kaki\n**") == [
        {"type": "para", "text": "- bukan butir"}, {"type": "para", "text": "1. bukan nomor"},
        {"type": "para", "text": ""}, {"type": "para", "text": "*) catatan kaki"}, {"type": "para", "text": "**"}]
    assert text_to_blocks("*a \\* b \\\\ c\\d* teks") == [{"type": "para", "label": "a * b \\ c\\d", "text": "teks"}]
    blocks = [{"type": "para", "text": "- x"}, {"type": "para", "label": "a*b\\", "text": ""},
              {"type": "fraction", "numerator": "---", "denominator": "\\y", "factor": "-1"}]
    assert text_to_blocks(blocks_to_text(blocks)) == validate_blocks(blocks)


def test_whole_text_indented_is_read_from_its_least_indented_lines():
    assert text_to_blocks("    - a\n      - b\n    c") == [
        {"type": "bullets", "items": [{"text": "a", "children": [{"type": "bullets", "items": ["b"]}]}]},
        {"type": "para", "text": "c"}]


def test_empty_text_is_no_blocks():
    assert text_to_blocks("") == [] and text_to_blocks(" \n\r\n ") == [] and blocks_to_text([]) == ""


@pytest.mark.parametrize(("text", "line", "says"), [
    ("a\n\tb", 2, "tab"),
    ("Paragraf\n  menjorok", 2, "bukan butir daftar"),
    ("- a\n    - b\n  - c", 3, "tidak sejajar"),
    ("a\n\n---\nb", 3, "tanpa pembilang"),
    ("a\n---\nb\n---\nc", 4, "tanpa pembilang"),
    ("a\n---", 2, "penyebut"),
    ("a\n---\n\nb", 2, "penyebut"),
    ("a\n---\n  b", 2, "penyebut"),
    ("\\\n---\nb", 1, "pembilang kosong"),
    ("a\n---\n\\", 3, "penyebut kosong"),
    ("x\n" + "\n".join("  " * d + "- t" for d in range(MAX_DEPTH + 2)), 13, "terlalu dalam"),
])
def test_bad_markup_names_the_line(text, line, says):
    with pytest.raises(FormulationError) as caught:
        text_to_blocks(text)
    assert isinstance(caught.value, FormulationTextError) and caught.value.line == line
    assert str(caught.value).startswith(f"Baris {line}: ") and says in str(caught.value)
    assert caught.value.template % caught.value.params == str(caught.value)


def test_blocks_to_text_refuses_malformed_blocks_and_writes_line_breaks_as_spaces():
    with pytest.raises(FormulationError):
        blocks_to_text([{"type": "table"}])
    assert blocks_to_text([{"type": "para", "text": "a\nb\r\nc"}]) == "a b c"


# Texts without line breaks (the markup is one line per text); the tricky ones start like the markup.
_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
_TRICKY = st.sampled_from(["- ", "-", "1. ", "2)", "*", "**", "*L* ", "*L*", "\\", "\\\\", "---", "--- ×", "• ",
                           "– ", "  ", "\t", "\u2028", "\xa0", ":", " / "])
TEXT = st.one_of(st.text(_CHARS, max_size=12), _TRICKY, st.tuples(_TRICKY, st.text(_CHARS, max_size=6), _TRICKY)
                 .map("".join))
FILLED = TEXT.filter(str.strip)


def _blocks(depth: int):
    label = {"label": st.one_of(st.none(), TEXT)}
    para = st.fixed_dictionaries({"type": st.just("para"), "text": TEXT}, optional=label)
    fraction = st.fixed_dictionaries({"type": st.just("fraction"), "numerator": FILLED, "denominator": FILLED},
                                     optional={**label, "factor": TEXT})
    item = TEXT if depth == 0 else st.one_of(
        TEXT, st.fixed_dictionaries({"text": TEXT}, optional={"children": st.one_of(
            st.lists(TEXT, max_size=3), st.lists(_blocks(depth - 1), min_size=1, max_size=3))}))
    lists = st.fixed_dictionaries({"type": st.sampled_from(["bullets", "numbered"]),
                                   "items": st.lists(item, min_size=1, max_size=4)}, optional=label)
    return st.one_of(para, fraction, lists)


@settings(max_examples=400)
@given(st.lists(_blocks(3), max_size=5))
def test_any_valid_blocks_round_trip_through_the_markup(blocks):
    canonical = validate_blocks(blocks)
    text = blocks_to_text(blocks)
    assert text_to_blocks(text) == canonical
    assert blocks_to_text(canonical) == text


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["", "a", "b c", "- x", "1. y", "*L*", "*L* t", "---", "--- ×2", "\\", "\\-",
                                 "*", "\t", "  ", "    ", "•"]), max_size=12).map("\n".join))
def test_any_text_gives_valid_blocks_or_a_line_numbered_error(text):
    try:
        blocks = text_to_blocks(text)
    except FormulationTextError as exc:
        assert 1 <= exc.line <= text.count("\n") + 1 and str(exc).startswith(f"Baris {exc.line}: ")
    else:
        assert validate_blocks(blocks) == blocks
        assert text_to_blocks(blocks_to_text(blocks)) == blocks
