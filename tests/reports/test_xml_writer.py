"""The fast XML path writes exactly what the python-docx calls it replaced wrote."""

from __future__ import annotations

import copy

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from hypothesis import given, settings, strategies as st
from lxml import etree

from iku_workflow.reports import docx_common as dc
from iku_workflow.reports.letterhead import open_base

from factories import W, make_office

TEXT = st.text(alphabet=st.sampled_from("ab é&<>\t\n\r"), max_size=8)
KWARGS = st.fixed_dictionaries({
    "text": TEXT,
    "style": st.sampled_from([None, "", "Judul", "Tabel", "Normal"]),
    "align": st.sampled_from([None, *WD_ALIGN_PARAGRAPH.__members__.values()]).filter(
        lambda a: a is None or a.xml_value),
    "bold": st.sampled_from([None, True, False]),
    "underline": st.booleans(),
    "size": st.sampled_from([None, 0, 4, 10, 10.5, 14]),
    "keep_next": st.booleans(),
    "space_before": st.sampled_from([None, 0, 6, 7.5, 12]),
    "space_after": st.sampled_from([None, 0, 6, 12]),
    "left_indent": st.none() | st.integers(0, 3_000_000),
    "hanging": st.none() | st.integers(-500_000, 500_000),
})


def _doc():
    return open_base(None, make_office(), "F4")


def _xml(p) -> bytes:
    el = copy.deepcopy(p._p)  # the "used" mark of a reused cell paragraph stays on the original
    el.attrib.pop("used", None)
    return etree.tostring(el)


@settings(max_examples=150, deadline=None)
@given(KWARGS)
def test_para_in_the_body_matches_python_docx(kw):
    doc = _doc()
    fast, api = dc.para(doc, **kw), dc.para_api(doc, **kw)
    assert _xml(fast) == _xml(api)
    body = doc.element.body
    assert body[-1].tag == W + "sectPr"  # both went in before the section properties
    assert [fast._p, api._p] == list(body)[-3:-1]


@settings(max_examples=100, deadline=None)
@given(KWARGS, KWARGS)
def test_para_in_a_cell_matches_python_docx(first, second):
    doc = _doc()
    table = dc.new_table(doc, [Cm(3), Cm(3)])
    fast_cell, api_cell = dc.add_row(table)
    for kw in (first, second):  # the first reuses the cell's empty paragraph, the second appends
        assert _xml(dc.para(fast_cell, **kw)) == _xml(dc.para_api(api_cell, **kw))
    assert len(fast_cell._tc.findall(W + "p")) == len(api_cell._tc.findall(W + "p")) == 2


def test_a_reused_paragraph_with_properties_takes_the_python_docx_path():
    doc = _doc()
    cell = dc.add_row(dc.new_table(doc, [Cm(3)]))[0]
    cell._tc[-1].get_or_add_pPr().get_or_add_jc()  # an empty paragraph that is not bare
    p = dc.para(cell, "x", style="Tabel", hanging=Cm(0.5))
    assert p._p is cell._tc[-1] and len(cell._tc.findall(W + "p")) == 1
    assert [c.tag for c in p._p.pPr] == [W + "pStyle", W + "tabs", W + "ind", W + "jc"]


def _fraction_tables(doc):
    tables = []
    for _ in range(2):
        table = dc.new_table(doc, [Cm(4), Cm(2)], style_align=WD_TABLE_ALIGNMENT.CENTER)
        tables.append((dc.add_row(table, cant_split=True), dc.add_row(table, cant_split=True)))
    return tables


def test_merge_down_matches_python_docx_merge():
    doc = _doc()
    (top_a, bottom_a), (top_b, bottom_b) = _fraction_tables(doc)
    dc.vcenter(top_a[1]), dc.vcenter(top_b[1])  # a property after vMerge in schema order
    merged_fast = dc.merge_down(top_a[1], bottom_a[1])
    merged_api = top_b[1].merge(bottom_b[1])
    assert merged_fast._tc is top_a[1]._tc and merged_api._tc is top_b[1]._tc
    dc.para(merged_fast, "× 100%"), dc.para(merged_api, "× 100%")
    fast_tbl, api_tbl = top_a[1]._tc.getparent().getparent(), top_b[1]._tc.getparent().getparent()
    assert etree.tostring(fast_tbl) == etree.tostring(api_tbl)
    assert fast_tbl.xpath("count(.//w:vMerge[@w:val='restart'])") == 1


def test_merge_down_moves_content_like_python_docx_when_the_lower_cell_is_filled():
    doc = _doc()
    (top_a, bottom_a), (top_b, bottom_b) = _fraction_tables(doc)
    dc.para(bottom_a[1], "isi"), dc.para(bottom_b[1], "isi")
    dc.merge_down(top_a[1], bottom_a[1]), top_b[1].merge(bottom_b[1])
    assert etree.tostring(top_a[1]._tc.getparent().getparent()) == \
        etree.tostring(top_b[1]._tc.getparent().getparent())
    assert "isi" in "".join(top_a[1]._tc.itertext())


def test_new_table_writes_fixed_grid_borders_and_margins_before_the_section():
    doc = _doc()
    table = dc.new_table(doc, [Cm(2), Cm(3)], borders=True,
                         style_align=WD_TABLE_ALIGNMENT.CENTER)
    tbl = table._tbl
    assert tbl.getnext().tag == W + "sectPr"
    assert [c.tag for c in tbl.tblPr] == [W + t for t in (
        "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook")]
    assert tbl.tblPr.find(W + "tblW").attrib == {W + "type": "dxa", W + "w": str(
        (Cm(2) + Cm(3)) // 635)}
    assert [g.get(W + "w") for g in tbl.tblGrid] == [str(Cm(2) // 635), str(Cm(3) // 635)]
    assert {b.get(W + "val") for b in tbl.tblPr.find(W + "tblBorders")} == {"single"}
    second = dc.new_table(doc, [Cm(5)])  # kept apart from the first by a small paragraph
    assert second._tbl.getprevious().tag == W + "p"
    assert {b.get(W + "val") for b in second._tbl.tblPr.find(W + "tblBorders")} == {"nil"}


def test_new_table_in_a_cell_is_followed_by_a_paragraph_and_last_row_is_the_newest():
    doc = _doc()
    outer = dc.new_table(doc, [Cm(8)])
    cell = dc.add_row(outer)[0]
    inner = dc.new_table(cell, [Cm(4), Cm(4)])
    assert inner._tbl.getnext().tag == W + "p" and cell._tc[-1] is inner._tbl.getnext()
    dc.add_row(inner)
    dc.add_row(inner, cant_split=True)
    assert dc.last_row(inner)._tr is inner._tbl.tr_lst[-1]
    assert dc.last_row(inner)._tr.trPr is not None
