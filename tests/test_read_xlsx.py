"""XLSX reading: workbooks built here in the reference layout (all on one sheet, or one sheet per
table), merged cells, numbers stored as numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import CHANGJI_TEXT
from tests.test_read_docx import built, reference_blocks, statements, table_cells  # noqa: F401 (fixture)

openpyxl = pytest.importorskip("openpyxl")


def _value(text: str):
    """Store amounts as numbers, as a finance workbook does (“　3.9” → 3.9)."""
    from yusuan.amounts import AmountError, parse_amount

    stripped = text.strip().strip("\u3000").strip()
    if re.fullmatch(r"\d[\d,]*\.\d+", stripped):
        try:
            return float(parse_amount(stripped))
        except AmountError:
            return text
    return text


def write_rows(sheet, rows, start: int = 1) -> int:
    """Rows of cell texts; a short row ends in a cell merged across the remaining columns."""
    width = max((len(r) for r in rows), default=1)
    r = start
    for row in rows:
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=_value(text))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # "=7个" is a printed target, not a formula
        if 1 < len(row) < width:
            sheet.merge_cells(start_row=r, start_column=len(row), end_row=r, end_column=width)
        r += 1
    return r


def write_xlsx(blocks, path: Path, per_table: bool = False) -> Path:
    from yusuan.read.blocks import Para

    wb = openpyxl.Workbook()
    sheet = wb.active
    r = 1
    pending: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            if per_table:
                pending.append(block.text)
                continue
            sheet.cell(row=r, column=1, value=block.text)
            r += 1
            continue
        if per_table:
            sheet = wb.create_sheet(f"表{len(wb.sheetnames)}")
            r = 1
            for text in pending:
                sheet.cell(row=r, column=1, value=text)
                r += 1
            pending = []
        r = write_rows(sheet, [[c.text for c in row] for row in block.rows], r)
    wb.save(str(path))
    return path


@pytest.fixture(scope="module")
def from_text():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    from yusuan.read import read_file

    return read_file(CHANGJI_TEXT)


def test_workbook_on_one_sheet_reads_like_the_text(tmp_path, from_text):
    from yusuan.read import read_file

    result = read_file(write_xlsx(reference_blocks(), tmp_path / "all.xlsx"))
    d = result.disclosure
    assert table_cells(d) == table_cells(from_text.disclosure)
    assert statements(d) == statements(from_text.disclosure)
    assert len(d.performance) == 19
    assert [p.table.indicators for p in d.performance] == [p.table.indicators for p in from_text.disclosure.performance]
    assert d.table("general_basic").row("e:30102").cells["total"].location.cell.startswith("Sheet!")


def test_workbook_with_one_sheet_per_table(tmp_path, from_text):
    from yusuan.read import read_file

    d = read_file(write_xlsx(reference_blocks(), tmp_path / "sheets.xlsx", per_table=True)).disclosure
    assert [t.kind for t in d.tables] == [t.kind for t in from_text.disclosure.tables]
    assert table_cells(d) == table_cells(from_text.disclosure)


def test_tables_only_workbook_with_merged_header_and_numbers(tmp_path):
    from yusuan.read import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "部门支出总体情况表"
    ws["A2"] = "单位：万元"
    ws.append(["功能分类科目编码", None, None, "功能分类科目名称", "合计", "基本支出", "项目支出"])
    ws.merge_cells("A3:C3")
    ws.append(["类", "款", "项"])
    ws.append(["208", None, None, "社会保障和就业支出", 170.11, 170.11, None])
    ws.append(["208", "05", None, "行政事业单位养老支出", 170.11, 170.11, None])
    ws.append(["208", "05", "05", "机关事业单位基本养老保险", 110.81, 110.81, None])
    ws.append([None, None, None, "合计", "1,760.50", 170.11, "-"])
    path = tmp_path / "t3.xlsx"
    wb.save(str(path))
    result = read_file(path)
    t3 = result.disclosure.table("expenditure")
    assert [r.key for r in t3.rows] == ["f:208", "f:20805", "f:2080505", "total"]
    assert t3.value("f:2080505", "basic") == Decimal("110.81")
    assert t3.value("total", "total") == Decimal("1760.50") and t3.value("total", "project") is None
    assert {f.rule for f in result.findings} >= {"R.SECTION.MISSING"}  # the other nine tables


def test_blank_columns_at_the_right_of_every_row_stay_columns(tmp_path):
    """A workbook stores no cell for the blank 事业收入 … 其他收入 at the right of each row: the rows still have
    the header's width, so the figures sit under the header's columns (and the blank ones are blank, not
    another table layout's columns)."""
    from yusuan.read import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2023年部门收入预算总表"
    ws.append(["编制部门：某局", None, None, None, None, None, None, None, "单位：元"])
    ws.append(["功能分类科目编码", None, None, "功能分类科目名称", "收入预算"])
    ws.merge_cells("A3:C3")
    ws.merge_cells("D3:D4")
    ws.merge_cells("E3:I3")
    ws.append(["类", "款", "项", None, "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"])
    ws.append(["201", "06", "02", "一般行政管理事务", 4338000, 4338000])
    ws.append(["201", "06", "07", "信息化建设", 6475800, 6475800])
    ws.append(["合计", None, None, None, 10813800, 10813800])
    ws.merge_cells("A7:D7")
    path = tmp_path / "t2.xlsx"
    wb.save(str(path))
    result = read_file(path)
    t2 = result.disclosure.table("income")
    assert [c.key for c in t2.columns] == ["total", "s:fiscal", "s:business", "s:operating", "s:other"]
    assert t2.value("f:2010602", "s:fiscal") == Decimal("4338000") and t2.value("f:2010602", "s:other") is None
    assert t2.value("total", "s:fiscal") == Decimal("10813800")
    assert not [f for f in result.findings if f.rule == "R.TABLE.HEADER"]


def test_unparsable_number_becomes_a_finding(tmp_path):
    from yusuan.read import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "部门支出总体情况表"
    ws.append(["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"])
    ws.append(["2080505", "机关事业单位基本养老保险", "一百一十", 110.81, None])
    path = tmp_path / "bad.xlsx"
    wb.save(str(path))
    result = read_file(path)
    bad = [f for f in result.findings if f.rule == "R.NUMBER.UNPARSABLE"]
    assert len(bad) == 1 and bad[0].category == "reading" and bad[0].location.cell == "Sheet!C3"
    assert result.disclosure.table("expenditure").value("f:2080505", "total") is None


def test_round_trip_xlsx(built):
    """read(build(facts)) for the workbook: every table cell and every performance indicator (the
    workbook carries no narrative)."""
    from yusuan.read import read_file

    composed, files = built
    d = read_file(files["xlsx"]).disclosure
    assert table_cells(d) == table_cells(composed)
    assert [p.table.printed_name for p in d.performance] == [p.table.printed_name for p in composed.performance]
    assert [p.table.indicators for p in d.performance] == [p.table.indicators for p in composed.performance]


def test_round_trip_xlsx_keeps_unit_name_and_amount_unit(built):
    """The 编制部门：…  单位：万元 line above each table is read as text: it names the unit, and no
    table gains it as a first row."""
    from yusuan.read import read_file

    composed, files = built
    d = read_file(files["xlsx"]).disclosure
    assert d.unit_name == composed.unit_name
    assert [t.unit for t in d.tables] == [t.unit for t in composed.tables]


def test_year_from_the_file_name_when_the_workbook_prints_none(built, tmp_path):
    import shutil

    from yusuan.read import read_file

    composed, files = built
    named = tmp_path / "2024年某局部门预算公开表.xlsx"
    shutil.copy(files["xlsx"], named)
    result = read_file(named)
    assert result.disclosure.budget_year == 2024
    said = [f for f in result.findings if f.rule == "R.YEAR.FROM_NAME"]
    assert len(said) == 1 and said[0].severity == "info" and "2024" in said[0].message

    plain = tmp_path / "tables.xlsx"  # no year anywhere: none is made up
    shutil.copy(files["xlsx"], plain)
    result = read_file(plain)
    assert result.disclosure.budget_year is None
    assert not any(f.rule == "R.YEAR.FROM_NAME" for f in result.findings)


def test_a_printed_year_wins_over_the_file_name(built, tmp_path):
    import shutil

    from yusuan.read import read_file

    composed, files = built
    named = tmp_path / "2019年部门预算.docx"
    shutil.copy(files["docx"], named)
    result = read_file(named)
    assert result.disclosure.budget_year == composed.budget_year
    assert not any(f.rule == "R.YEAR.FROM_NAME" for f in result.findings)
