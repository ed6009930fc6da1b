"""Print a performance table the way the template prints it.

``render_target`` rebuilds the 指标值 cell from the structured fields (comparator, number, unit, grade,
period), so that a value typed once prints the same everywhere; a parse → render round trip gives
the printed text back (tested over every indicator of the reference package).
``rows_for_print`` gives the grid of one table with 一级/二级 as merged cells (rowspan), the way
Word/PDF renderers draw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yusuan.model.performance import Indicator, PerformanceTable, TargetValue


def render_target(value: TargetValue) -> str:
    """The 指标值 text from the structured fields (not a copy of ``value.text``)."""
    if value.period is not None:
        return value.period
    if value.number is not None:
        comparator = value.comparator_text or value.comparator or ""
        number = value.number_text or format(value.number, "f")
        return f"{comparator}{number}{value.unit or ''}"
    if value.grade is not None:
        return value.grade
    return value.text  # blank or '/': nothing structured to rebuild from


# Column headers per template, as printed.
HEADERS: dict[str, list[str]] = {
    "department": ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"],
    "area": ["一级指标", "二级指标", "三级指标", "指标值"],
    "transfer_detail": ["一级指标", "二级指标", "三级指标", "指标值（包含数字及文字描述）"],
}


@dataclass
class PrintCell:
    text: str
    rowspan: int = 1


@dataclass
class PrintRow:
    """One printed row. ``cells`` holds ``None`` where a merged cell from a row above covers it."""

    cells: list[PrintCell | None]
    indicator: Indicator


def _weight_text(indicator: Indicator) -> str:
    return "" if indicator.weight is None else format(indicator.weight, "f")


def _row_texts(indicator: Indicator, fmt: str) -> list[str]:
    texts = [indicator.level1, indicator.level2, indicator.name, render_target(indicator.target)]
    if fmt == "department":
        texts += [indicator.basis or "", indicator.last_year or "", _weight_text(indicator),
                  indicator.scoring or "", indicator.evidence or ""]
    return texts


def rows_for_print(table: PerformanceTable) -> list[PrintRow]:
    """The indicator rows of ``table`` with consecutive equal 一级 (and, within one 一级, equal 二级)
    merged into one cell spanning those rows."""
    rows = [PrintRow([PrintCell(t) for t in _row_texts(ind, table.format)], ind) for ind in table.indicators]
    for column in (0, 1):
        start = 0
        for i in range(1, len(rows) + 1):
            same = i < len(rows) and _same_group(table.indicators, start, i, column)
            if not same:
                head = rows[start].cells[column]
                assert head is not None
                head.rowspan = i - start
                for k in range(start + 1, i):
                    rows[k].cells[column] = None
                start = i
    return rows


def _same_group(indicators: list[Indicator], start: int, i: int, column: int) -> bool:
    a, b = indicators[start], indicators[i]
    if column == 0:
        return a.level1 == b.level1
    return a.level1 == b.level1 and a.level2 == b.level2


def header_for(table: PerformanceTable) -> list[str]:
    return HEADERS[table.format]
