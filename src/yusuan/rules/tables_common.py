"""Shared pieces of the table rules: reading cells as amounts, pointing at cells, and the two rule
shapes almost every table identity takes (a row equals the sum of rows; a column equals the sum of
columns). Registers no rules itself.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Iterator

from yusuan.amounts import fmt_amount
from yusuan.disclosure import Location, Row, Table
from yusuan.rules.narrative_base import ROUNDING_MARK, rounding_note, rounding_slack
from yusuan.rules.registry import Context, Hit

ZERO = Decimal(0)
TEXT_COLUMNS = {"project_name"}

# Short names used in rule IDs (DOMAIN.md numbering) and the Shanghai extras.
TABLE_IDS = {
    "income_expenditure": "T1", "income": "T2", "expenditure": "T3", "fiscal_income_expenditure": "T4",
    "general_expenditure": "T5", "general_basic": "T6", "general_project": "T7", "fund_expenditure": "T8",
    "capital_expenditure": "T9", "sangong": "T10", "fiscal_expenditure": "TF", "sangong_operating": "TS",
}


def memo(ctx: Context, key: tuple, compute):
    """Cache ``compute()`` for the life of one check (the Context): several rules ask the same thing."""
    return ctx.cached(key, compute)


def amount(row: Row | None, column: str) -> Decimal:
    """A cell as an amount: blank (None) and a missing cell count as zero."""
    if row is None:
        return ZERO
    cell = row.cells.get(column)
    if cell is None:
        return ZERO
    value = cell.value  # read once: ~3,500 calls per check
    return ZERO if value is None else value


def has_value(row: Row | None, column: str) -> bool:
    cell = row.cells.get(column) if row else None
    return cell is not None and cell.value is not None


def column_label(table: Table, column: str) -> str:
    for c in table.columns:
        if c.key == column:
            return c.label
    return column


def row_label(row: Row) -> str:
    name = row.name.strip()
    if row.code and not name.startswith(row.code):
        return f"{row.code} {name}".strip()
    return name or row.key


def cell_location(table: Table, row: Row, column: str | None) -> Location:
    cell = row.cells.get(column) if column else None
    if cell is not None and cell.location is not None:
        return cell.location
    base = row.location or table.location or Location(table=table.label)
    loc = base.model_copy()
    if loc.table is None:
        loc.table = table.label
    if loc.row is None and row in table.rows:
        loc.row = table.rows.index(row) + 1
    if column:
        loc.column = column_label(table, column)
    return loc


_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．](?!\d))\s*")


def printed_name(row: Row) -> str:
    """The row's name without its code or a leading numeral (Shanghai prints “一、一般公共服务支出”)."""
    name = row.name.strip()
    code = code_of(row)
    if code and name.startswith(code):
        name = name[len(code):]
    return _NUMBERING.sub("", name).strip()


def printed_name_of(ctx: Context, row: Row) -> str:
    """``printed_name(row)`` once per row per check: the catalogue name rules and X.NAMES.FUNCTION read
    the same rows' names ~400 times per check, each time through a regex. Keyed by ``id(row)``: the rows
    belong to the disclosure, which outlives the check, so an id cannot be reused meanwhile."""
    names = ctx.cached(("printed_names",), dict)
    name = names.get(id(row))
    if name is None:
        name = names[id(row)] = printed_name(row)
    return name


def fmt(value: Decimal) -> str:
    return fmt_amount(value)


def amount_columns(table: Table) -> list[str]:
    """Every column holding amounts (declared columns first, then any other cell keys seen)."""
    keys = [c.key for c in table.columns if c.key not in TEXT_COLUMNS]
    seen = set(keys)
    for r in table.rows:
        for k in r.cells:
            if k not in seen and k not in TEXT_COLUMNS:
                seen.add(k)
                keys.append(k)
    return keys


def columns_of(ctx: Context, table: Table) -> list[str]:
    """``amount_columns`` once per table per check."""
    return memo(ctx, ("columns", id(table)), lambda: amount_columns(table))


def mismatch(ctx: Context, table: Table, row: Row, column: str, expected: Decimal, why: str,
             inputs: dict[str, Decimal] | None = None) -> Hit | None:
    """A hit when the cell differs from ``expected`` beyond the tolerance in the table's unit."""
    stated = amount(row, column)
    if not ctx.differs(stated, expected, table.unit):
        return None
    unit = table.unit
    message = (f"{table.label}“{row_label(row)}”行“{column_label(table, column)}”列为 {fmt(stated)}{unit}，"
               f"按{why}应为 {fmt(expected)}{unit}，相差 {fmt(stated - expected)}{unit}。")
    inputs = dict(inputs or {})
    slack = rounding_slack(ctx, stated - expected, inputs.values(), unit)
    if slack is not None:  # a rounding gap: the engine reports it as a warning (catalogue.soften_for_partial)
        message = message[:-1] + f"；{rounding_note(slack)}。"
        inputs[ROUNDING_MARK] = "是"
    return Hit(message=message, location=cell_location(table, row, column), subject=row.key, stated=stated,
               expected=expected, inputs=inputs)


def function_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.key.startswith("f:")]


def code_of(row: Row) -> str:
    if row.code:
        return row.code
    return row.key.split(":")[1] if ":" in row.key else ""


def level_of(row: Row) -> str | None:
    if row.level:
        return row.level
    return {3: "类", 5: "款", 7: "项"}.get(len(code_of(row)))


def sum_rows(rows: Iterable[Row], column: str) -> Decimal:
    return sum((amount(r, column) for r in rows), ZERO)


def row_inputs(rows: Iterable[Row], column: str) -> dict[str, Decimal]:
    return {row_label(r): amount(r, column) for r in rows}


def rows_equal_sum(ctx: Context, table: Table, target: Row, parts: list[Row], columns: Iterable[str],
                   why: str) -> Iterator[Hit]:
    tolerance = ctx.tolerance_for(table.unit)
    # The parts' cells are summed in a plain loop (not sum_rows → amount per cell): ~1,000 cells per
    # check go through here. Same sum, same order: a blank or missing cell adds a zero.
    part_cells = [r.cells for r in parts]
    for col in columns:
        expected = ZERO
        for cells in part_cells:
            cell = cells.get(col)
            expected += ZERO if cell is None or cell.value is None else cell.value
        if abs(amount(target, col) - expected) > tolerance:  # inputs are built only for a hit
            hit = mismatch(ctx, table, target, col, expected, why, row_inputs(parts, col))
            if hit:
                yield hit


def column_identity(ctx: Context, table: Table, row: Row, target: str, parts: list[str], why: str) -> Hit | None:
    """``row[target] = Σ row[parts]``; rows with none of the cells printed are skipped."""
    # The cells are read once into a list (not through has_value/amount per column): this runs ~200
    # times per check, and the per-call overhead of those helpers was most of its cost.
    cells = row.cells
    values = [None if (cell := cells.get(c)) is None else cell.value for c in parts]
    target_cell = cells.get(target)
    stated = None if target_cell is None else target_cell.value
    if stated is None and all(v is None for v in values):
        return None
    expected = ZERO
    for v in values:
        expected += ZERO if v is None else v  # as sum(amount(...), ZERO): blanks add a zero
    if not ctx.differs(ZERO if stated is None else stated, expected, table.unit):
        return None  # the usual case: skip building the inputs (mismatch would return None too)
    return mismatch(ctx, table, row, target, expected, why,
                    {column_label(table, c): amount(row, c) for c in parts})
