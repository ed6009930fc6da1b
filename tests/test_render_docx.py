"""Word output: read the document back with python-docx and compare it with the Disclosure."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from render_fixture import disclosure_under_test, hand_disclosure
from yusuan.render.docx import write_docx
from yusuan.render.layout import DRAFT_MARK, PERF_HEAD, amount, grids

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module", params=["example", "hand"])
def case(request, tmp_path_factory):
    d = disclosure_under_test() if request.param == "example" else hand_disclosure()
    path = write_docx(d, tmp_path_factory.mktemp("docx") / "out.docx")
    return d, Document(str(path))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _row_texts(table) -> list[list[str]]:
    """Cell texts per printed row, one entry per grid column (merged cells repeat, as python-docx reads them)."""
    return [[c.text for c in row.cells] for row in table.rows]


def test_one_word_table_per_disclosure_table_and_performance_table(case):
    d, doc = case
    assert len(doc.tables) == len(d.tables) + len(d.performance)


def test_every_amount_is_printed_in_its_row_right_aligned(case):
    d, doc = case
    for table, g in zip(doc.tables, grids(d)):
        rows = _row_texts(table)[g.header_rows:]
        assert len(rows) == len(g.body), g.label
        for printed, line in zip(rows, g.body):
            for j, cell in enumerate(line):
                if cell.value is not None:
                    assert printed[j] == amount(cell.value), (g.label, printed)
                    assert "." in printed[j] and len(printed[j].split(".")[1]) == 2
        # numeric cells carry right alignment in the XML
        xml = table._tbl.xml
        assert 'w:jc w:val="right"' in xml or not any(c.value is not None for ln in g.body for c in ln)


def test_total_rows_match_the_disclosure(case):
    d, doc = case
    for table, t in zip(doc.tables, d.tables):
        total = t.row("total") or t.row("income_total")
        if total is None:
            continue
        values = [amount(c.value) for c in total.cells.values() if c.value is not None]
        texts = {x for row in _row_texts(table) for x in row}
        assert set(values) <= texts, t.label


def test_grouped_columns_become_one_merged_header_cell(case):
    d, doc = case
    for table, t in zip(doc.tables, d.tables):
        groups: dict[str, int] = {}
        for c in t.columns:
            if c.group:
                groups[c.group] = groups.get(c.group, 0) + 1
        first = table._tbl.tr_lst[0]
        spans = {_text(tc): tc.grid_span for tc in first.tc_lst}
        two_sided = any(r.side for r in t.rows)  # there the side's label column is under the group too
        for group, count in groups.items():
            assert spans.get(group) == count + two_sided, (t.label, group, spans)


def test_header_rows_repeat_and_body_rows_do_not_split(case):
    d, doc = case
    for table, g in zip(doc.tables, grids(d)):
        trs = table._tbl.tr_lst
        for i, tr in enumerate(trs):
            is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
            assert is_header == (i < g.header_rows), (g.label, i)
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None


def test_wide_tables_sit_in_landscape_sections(case):
    d, doc = case
    wide = [g for g in grids(d) if g.wide]
    assert wide, "the test needs at least one wide table (T2/T7)"
    landscape = [s for s in doc.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert len(landscape) == len(wide)
    for s in landscape:
        assert s.page_width > s.page_height
    # every table fits between the margins of its page (A4, 15 mm side margins)
    for table, g in zip(doc.tables, grids(d)):
        total = sum(int(gc.get(qn("w:w"))) for gc in table._tbl.tblGrid.findall(qn("w:gridCol")))
        usable_twips = ((297 if g.wide else 210) - 30) / 25.4 * 1440
        assert total <= usable_twips + 5, g.label


def test_empty_tables_print_their_note(case):
    d, doc = case
    text = "\n".join(p.text for p in doc.paragraphs)
    notes = [t.empty_note for t in d.tables if t.empty_note]
    assert notes
    for note in notes:
        assert note in text


def test_parts_sections_glossary_signature_and_toc(case):
    d, doc = case
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("第一部分") for h in headings)
    assert any(h.startswith("第二部分") for h in headings)
    assert any(h.startswith("第三部分") for h in headings)
    assert any(h.startswith("第四部分") for h in headings)
    text = "\n".join(p.text for p in doc.paragraphs)
    for s in d.sections:
        for para in s.paragraphs[:2]:
            assert para.text in text
    assert d.signature and d.signature in text[-200:]
    assert d.date_text and d.date_text in text[-200:]
    xml = doc.element.xml
    assert "TOC \\o" in xml
    # the contents field already lists every part heading before Word updates it
    all_text = [p.text for p in doc.paragraphs]
    for h in (h for h in headings if h.startswith("第")):
        assert all_text.count(h) >= 2, h
    for section in doc.sections:
        assert "PAGE" in section.footer._element.xml


def test_performance_tables_merge_level1_and_level2_down(case):
    d, doc = case
    table = doc.tables[len(d.tables)]
    perf = d.performance[0].table
    trs = table._tbl.tr_lst
    head_row = next(i for i, tr in enumerate(trs) if "一级指标" in _text(tr))
    body = trs[head_row + 1:]
    assert len(body) == len(perf.indicators)
    # first column: a restart where 一级 changes, continuation cells below while it repeats
    for i, tr in enumerate(body):
        tc = tr.tc_lst[0]
        vmerge = tc.tcPr.find(f"{W}vMerge")
        same_as_above = i > 0 and perf.indicators[i].level1 == perf.indicators[i - 1].level1
        if same_as_above:
            assert vmerge is not None and vmerge.get(f"{W}val") in (None, "continue")
        else:
            assert _text(tc) == perf.indicators[i].level1
    assert perf.printed_name in _text(table._tbl)


def test_cjk_fonts_are_set_for_east_asian_text(case):
    _, doc = case
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert "CJK" in fonts.get(qn("w:eastAsia"))
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    blob = table.blob.decode("utf-8")
    assert f'w:name="{fonts.get(qn("w:eastAsia"))}"><w:altName w:val="宋体"/>' in blob


def test_draft_mark_on_every_page(tmp_path):
    doc = Document(str(write_docx(hand_disclosure(draft=True), tmp_path / "draft.docx")))
    for section in doc.sections:
        assert DRAFT_MARK in section.header.paragraphs[0].text
    clean = Document(str(write_docx(hand_disclosure(), tmp_path / "clean.docx")))
    assert all(DRAFT_MARK not in s.header.paragraphs[0].text for s in clean.sections)


def test_example_is_composed_not_hand_built():
    """Once composition and the example exist, the tests run on the real composed package."""
    from render_fixture import EXAMPLE, composed_example

    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例预算包尚不存在")
    d = composed_example()
    assert d is not None and d.unit_name == "昌吉州自然资源局"
    assert Path(EXAMPLE).exists()


def test_area_and_detail_performance_tables_print_their_own_titles():
    from yusuan.render.layout import perf_layout
    from yusuan.model.performance import PerformanceTable

    own = PerformanceTable(format="area", project="p", title="2023年某专项区域绩效目标表")
    std = PerformanceTable(project="p")
    assert perf_layout(own, 2023, None, 0).title == "2023年某专项区域绩效目标表"
    assert perf_layout(std, 2023, None, 1).title == "项目支出绩效目标表（2023年）"


def test_wrapping_header_labels_are_balanced_over_their_lines(case):
    """A header label too wide for its cell is broken into even lines (功能分类/科目编码), not left to
    wrap with one character alone on its last line; the label itself is unchanged."""
    d, doc = case
    labels = {h.text for g in grids(d) for h in g.heads}
    broken = 0
    from yusuan.render.document import parts

    labels |= set(PERF_HEAD) | {label for p in parts(d) for t in p.perf for line in t.fields for label, _ in line}
    for table in doc.tables:
        for row in table.rows[:8]:
            for cell in row.cells:
                lines = cell.text.split("\n")
                if len(lines) > 1:
                    broken += 1
                    assert "".join(lines) in labels
                    assert min(len(x) for x in lines) >= 2, lines
    assert broken >= 1
