"""Cell-level rules that hold for every table: amounts are readable, not negative, printed to the
cent, and no row is printed twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from yusuan.amounts import AmountError, parse_amount
from yusuan.disclosure import Cell, Row, Table
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import TEXT_COLUMNS, cell_location, column_label, row_label

ALL_TABLES = ("income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
              "general_basic", "general_project", "fund_expenditure", "capital_expenditure", "sangong")


def _cells(ctx: Context, which: str) -> list[tuple[Table, Row, str, Cell]]:
    """The cells (with table, row and column key, in printed order) that ``which`` of the three rules
    below may report: "negative", "unreadable" (text but no amount) or "precision" (more than two places).

    One pass over all ~2,000 cells of a package per check sorts them for the three rules, which then
    each look only at their own few cells instead of walking every cell again."""
    def build() -> dict[str, list[tuple[Table, Row, str, Cell]]]:
        out: dict[str, list] = {"negative": [], "unreadable": [], "precision": []}
        for table in ctx.disclosure.tables:
            for row in table.rows:
                for col, cell in row.cells.items():
                    value = cell.value
                    if value is None:
                        if col not in TEXT_COLUMNS and cell.text.strip():
                            out["unreadable"].append((table, row, col, cell))
                        continue
                    if value < _ZERO:  # against a Decimal: no int converted per cell
                        out["negative"].append((table, row, col, cell))
                    # the usual two places answered here, without a call per cell (_more_than_two_places)
                    if not value.same_quantum(_CENT) and col not in TEXT_COLUMNS and _more_than_two_places(value):
                        out["precision"].append((table, row, col, cell))
        return out

    return ctx.cached(("cells_by_rule",), build)[which]


@rule("TAB.NEGATIVE", "预算表中的金额不应为负数", "warning", "within-table", reads=ALL_TABLES)
def negative(ctx: Context) -> Iterator[Hit]:
    """预算数是安排的支出和收入，负数通常是录入或公式错误（决算中的调整另行说明）。"""
    for table, row, col, cell in _cells(ctx, "negative"):
        if cell.value is not None and cell.value < 0:
            yield Hit(message=f"{table.label}“{row_label(row)}”行“{column_label(table, col)}”列为负数 {cell.value}。",
                      location=cell_location(table, row, col), subject=row.key, stated=cell.value)


@rule("TAB.UNREADABLE", "金额单元格的内容可识别为金额", "warning", "within-table", reads=ALL_TABLES)
def unreadable(ctx: Context) -> Iterator[Hit]:
    """单元格有文字却没有金额（如“1,76O”“约20”），校验时只能按空白处理，应更正。"""
    for table, row, col, cell in _cells(ctx, "unreadable"):
        if col in TEXT_COLUMNS or cell.value is not None or not cell.text.strip():
            continue
        try:
            parsed = parse_amount(cell.text)
        except AmountError:
            parsed = "bad"
        if parsed is not None:
            yield Hit(message=f"{table.label}“{row_label(row)}”行“{column_label(table, col)}”列“{cell.text.strip()}”"
                              "无法识别为金额，已按空白处理。",
                      location=cell_location(table, row, col), subject=row.key, stated=cell.text.strip())


_CENT, _TENTH, _ONE, _ZERO = Decimal("0.01"), Decimal("0.1"), Decimal("1"), Decimal(0)


def _more_than_two_places(value: Decimal) -> bool:
    """``value.as_tuple().exponent < -2``; the usual 0/1/2 places are recognised by ``same_quantum``
    (a C call) without building the digit tuple."""
    if value.same_quantum(_CENT) or value.same_quantum(_ONE) or value.same_quantum(_TENTH):
        return False
    return value.as_tuple().exponent < -2


@rule("TAB.PRECISION", "金额保留两位小数", "info", "within-table", reads=ALL_TABLES)
def precision(ctx: Context) -> Iterator[Hit]:
    """公开表格的金额保留两位小数；更多小数位说明取数未经四舍五入，合计可能因此差一分。"""
    for table, row, col, cell in _cells(ctx, "precision"):
        if col not in TEXT_COLUMNS and cell.value is not None and _more_than_two_places(cell.value):
            yield Hit(message=f"{table.label}“{row_label(row)}”行“{column_label(table, col)}”列 {cell.value} "
                              "超过两位小数。", location=cell_location(table, row, col), subject=row.key,
                      stated=cell.value)


@rule("TAB.DUPLICATE_ROW", "同一科目在一张表中只列一行", "warning", "within-table", reads=ALL_TABLES)
def duplicate_row(ctx: Context) -> Iterator[Hit]:
    """同一科目（或同一项目）在一张表中列示两次，合计会重复计算。"""
    for table in ctx.disclosure.tables:
        seen: set[str] = set()
        for row in table.rows:
            if row.role == "blank" or not row.key:
                continue
            if row.key in seen:
                yield Hit(message=f"{table.label}中“{row_label(row)}”重复列示。",
                          location=cell_location(table, row, None), subject=row.key)
            seen.add(row.key)
