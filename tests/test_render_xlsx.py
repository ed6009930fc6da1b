"""Excel output: read the workbook back with openpyxl and compare it with the Disclosure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from render_fixture import disclosure_under_test, hand_disclosure
from yusuan.findings import Finding
from yusuan.render.layout import DRAFT_MARK, grids
from yusuan.render.xlsx import write_xlsx


@pytest.fixture(scope="module", params=["example", "hand"])
def case(request, tmp_path_factory):
    d = disclosure_under_test() if request.param == "example" else hand_disclosure()
    path = write_xlsx(d, tmp_path_factory.mktemp("xlsx") / "out.xlsx")
    return d, load_workbook(path)


def _table_sheets(wb, d):
    return [wb[name] for name in wb.sheetnames[: len(d.tables)]]


def _body_start(ws, g) -> int:
    """First body row: title, 编制部门 row, then the header rows."""
    return 3 + g.header_rows


def test_one_sheet_per_table_then_performance(case):
    d, wb = case
    assert len(wb.sheetnames) == len(d.tables) + (1 if d.performance else 0)
    for ws, t in zip(_table_sheets(wb, d), d.tables):
        assert ws["A1"].value == t.label
        assert ws["A2"].value == f"编制部门：{d.unit_name}"
    assert "校验报告" not in wb.sheetnames


def test_amounts_are_numbers_formatted_0_00_in_their_rows(case):
    d, wb = case
    for ws, g in zip(_table_sheets(wb, d), grids(d)):
        start = _body_start(ws, g)
        for i, line in enumerate(g.body):
            for j, cell in enumerate(line):
                xc = ws.cell(start + i, j + 1)
                if cell.value is not None:
                    assert isinstance(xc.value, (int, float)), (g.label, xc.coordinate, xc.value)
                    assert Decimal(str(xc.value)).quantize(Decimal("0.01")) == cell.value.quantize(Decimal("0.01"))
                    assert xc.number_format == "0.00"
                    assert xc.alignment.horizontal == "right"
                elif cell.text and not (i, j) in {(m[0], c) for m in g.merges for c in range(m[1] + 1, m[1] + m[3])}:
                    assert xc.value == cell.text, (g.label, xc.coordinate)


def test_codes_stay_text_with_leading_zeros(case):
    d, wb = case
    t2 = d.table("income")
    ws = _table_sheets(wb, d)[d.tables.index(t2)]
    g = grids(d)[d.tables.index(t2)]
    start = _body_start(ws, g)
    kuan = next(i for i, r in enumerate(t2.rows) if r.level == "款")
    assert ws.cell(start + kuan, 2).value == t2.rows[kuan].code[3:5]
    assert isinstance(ws.cell(start + kuan, 2).value, str)


def test_grouped_headers_are_merged_and_header_rows_frozen_and_repeated(case):
    d, wb = case
    for ws, g, t in zip(_table_sheets(wb, d), grids(d), d.tables):
        merged = {str(r) for r in ws.merged_cells.ranges}
        for h in g.heads:
            if h.colspan > 1 or h.rowspan > 1:
                top = ws.cell(3 + h.row, h.col + 1)
                bottom = ws.cell(3 + h.row + h.rowspan - 1, h.col + h.colspan)
                assert f"{top.coordinate}:{bottom.coordinate}" in merged, (t.label, h.text)
                assert top.value == h.text
        assert ws.freeze_panes == f"A{_body_start(ws, g)}"
        assert ws.print_title_rows == f"$3:${2 + g.header_rows}"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.orientation == ("landscape" if g.wide else "portrait")
    groups = [c.group for t in d.tables for c in t.columns if c.group]
    assert groups, "the disclosure under test has grouped columns"


def test_empty_tables_carry_their_note(case):
    d, wb = case
    for ws, t in zip(_table_sheets(wb, d), d.tables):
        values = [c.value for row in ws.iter_rows() for c in row if c.value]
        if t.empty_note:
            assert t.empty_note in values


def test_performance_sheet_has_every_table_with_merged_levels(case):
    d, wb = case
    ws = wb["项目支出绩效目标表"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    for p in d.performance:
        assert p.table.printed_name in values
        for ind in p.table.indicators:
            assert ind.name in values
    assert values.count("一级指标") == len(d.performance)
    vertical = [r for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_row > r.min_row]
    runs = 0
    for p in d.performance:
        levels = [i.level1 for i in p.table.indicators]
        runs += sum(1 for k, lv in enumerate(levels) if (k == 0 or levels[k - 1] != lv) and
                    k + 1 < len(levels) and levels[k + 1] == lv)
    assert len(vertical) == runs


def test_findings_sheet_and_draft_mark(tmp_path):
    d = hand_disclosure(draft=True)
    f = Finding(rule="T2.ROW.SOURCES", severity="fatal", category="within-table", message="总计不等于各来源之和",
                stated=Decimal("4878.73"), expected=Decimal("4878.74"), difference=Decimal("-0.01"))
    wb = load_workbook(write_xlsx(d, tmp_path / "d.xlsx", findings=[f]))
    assert wb.sheetnames[-1] == "校验报告"
    report = wb["校验报告"]
    rows = [[c.value for c in r] for r in report.iter_rows()]
    assert any("T2.ROW.SOURCES" in r and "错误" in r and "总计不等于各来源之和" in r for r in rows)
    for ws in wb.worksheets:
        assert ws["A1"].value == DRAFT_MARK
        assert DRAFT_MARK in (ws.oddHeader.center.text or "")
    empty = load_workbook(write_xlsx(hand_disclosure(), tmp_path / "e.xlsx", findings=[]))
    assert [c.value for c in empty["校验报告"]["A"]][-1] == "未发现问题。"
    assert empty.worksheets[0]["A1"].value != DRAFT_MARK


def test_printed_targets_starting_with_equals_stay_text(case):
    d, wb = case
    targets = {i.target.text for p in d.performance for i in p.table.indicators if i.target.text.startswith("=")}
    if not targets:
        pytest.skip("this disclosure has no target printed with '='")
    found = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")}
    assert targets <= found
    assert all(c.data_type == "s" for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("="))
