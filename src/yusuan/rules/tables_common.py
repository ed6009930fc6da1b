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
from yusuan.rules.labels import row_label  # noqa: F401 - re-exported: the table rules name rows with it
from yusuan.rules.registry import UNKNOWN, Context, Hit, Settings, printed_columns

ZERO = Decimal(0)
# In a hit's inputs: the printed parts add up to less than their printed whole, which a part the table does
# not list would explain as well as a wrong figure (unknown is never zero): the engine reports it as a
# warning (catalogue.soften_for_partial). Parts adding up to more than the whole stay fatal.
UNLISTED_MARK = "可能有未列示的行"
UNLISTED_NOTE = "所列各行之和小于合计，可能有未列示的行（未列示不等于零），也可能某个数有误"
# What a blank-looking cell may print for zero; any other unparsed text is a figure that was not read.
ZERO_MARKS = {"", "-", "—", "－", "–", "--", "——", "－－", "/", "0", "无"}
TEXT_COLUMNS = {"project_name"}

# Short names used in rule IDs (DOMAIN.md numbering) and the Shanghai extras.
TABLE_IDS = {
    "income_expenditure": "T1", "income": "T2", "expenditure": "T3", "fiscal_income_expenditure": "T4",
    "general_expenditure": "T5", "general_basic": "T6", "general_project": "T7", "fund_expenditure": "T8",
    "capital_expenditure": "T9", "sangong": "T10", "fiscal_expenditure": "TF", "sangong_operating": "TS",
}


def row_of(ctx: Context | None, table: Table, key: str) -> Row | None:
    """``table.row(key)``, from the check's index when there is a Context (``Table.row`` walks the rows)."""
    return ctx.row(table, key) if ctx is not None else table.row(key)


def memo(ctx: Context, key: tuple, compute):
    """Cache ``compute()`` for the life of one check (the Context): several rules ask the same thing."""
    return ctx.cached(key, compute)


def amount(row: Row | None, column: str) -> Decimal:
    """A cell as an amount. A blank printed cell (or ``-``) is zero; a row that is not printed, a column
    the table does not print, or a cell whose text could not be read is ``UNKNOWN`` (a NaN: it contradicts
    nothing, see ``Context.differs``). Unknown is never zero."""
    if row is None:
        return UNKNOWN
    cell = row.cells.get(column)
    if cell is None:
        # = ``row._printed``, read from pydantic's private store: the attribute goes through
        # BaseModel.__getattr__ after a failed lookup (~4 µs), and read documents miss many cells
        printed = row.__pydantic_private__.get("_printed")
        return ZERO if printed is None or column in printed else UNKNOWN
    value = cell.value  # read once: ~3,500 calls per check
    if value is None:
        return ZERO if cell.text.strip() in ZERO_MARKS else UNKNOWN
    return value


def _layout_spec(ctx: Context, kind: str) -> dict | None:
    for spec in ctx.profile.get("tables") or ():
        if spec.get("kind") == kind:
            return spec
    return None


def dropped_columns(ctx: Context, table: Table) -> frozenset[str]:
    """Columns the region's layout prints for this kind of table (not only when non-zero) that this table
    does not print: the publisher left them out, so their figures are unknown, never zero. Empty without a
    profile or when the table declares no columns."""
    def compute() -> frozenset[str]:
        spec = _layout_spec(ctx, table.kind)
        if spec is None:
            return frozenset()
        printed = printed_columns(table)
        return frozenset(c["key"] for c in spec.get("columns") or ()
                         if not c.get("omit_when_zero") and c["key"] not in printed and c["key"] not in TEXT_COLUMNS)
    return memo(ctx, ("dropped_columns", id(table)), compute)


def dropped_rows(ctx: Context, table: Table) -> frozenset[str]:
    """Fixed rows (income side of T1/T4, the 三公 lines) the layout prints with an amount, not only when
    non-zero, that this table does not print: unknown, never zero."""
    def compute() -> frozenset[str]:
        spec = _layout_spec(ctx, table.kind)
        if spec is None:
            return frozenset()
        printed = {r.key for r in table.rows}
        return frozenset(r["key"] for r in spec.get("rows") or ()
                         if r.get("print_value", True) and not r.get("omit_when_zero") and r["key"] not in printed)
    return memo(ctx, ("dropped_rows", id(table)), compute)


def nonzero(value: Decimal) -> bool:
    """A known amount other than zero (an unknown one is not taken for anything)."""
    return not value.is_nan() and value != 0


def listed(row: Row | None, column: str) -> Decimal:
    """``amount``, except that a row a list-like table does not print counts as zero: for the places
    where that can only keep a finding from being raised (a lower bound, a "does it have any" test)."""
    return ZERO if row is None else amount(row, column)


def has_value(row: Row | None, column: str) -> bool:
    cell = row.cells.get(column) if row else None
    return cell is not None and cell.value is not None


def column_label(table: Table, column: str) -> str:
    for c in table.columns:
        if c.key == column:
            return c.label
    return column


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
    return strip_numbering(_NUMBERING, name).strip()


def strip_numbering(pattern: re.Pattern, text: str) -> str:
    """``pattern.sub("", text)`` for a pattern anchored at the start (``^``, no MULTILINE) that cannot match
    empty: it can only match once, at 0, so one ``match`` does it without ``sub`` trying every position."""
    m = pattern.match(text)
    return text[m.end():] if m else text


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


def unlisted(hit: Hit) -> Hit:
    """A sum of listed rows short of its printed whole: marked as possibly a row not listed (see
    ``UNLISTED_MARK``); one over its whole is left as it is."""
    if isinstance(hit.stated, Decimal) and isinstance(hit.expected, Decimal) and hit.stated > hit.expected:
        hit.inputs[UNLISTED_MARK] = "是"
        hit.message = hit.message[:-1] + f"；{UNLISTED_NOTE}。"
    return hit


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


def coded(ctx: Context, table: Table, prefix: str = "f:") -> tuple[tuple[Row, str, str | None], ...]:
    """(row, ``code_of(row)``, ``level_of(row)``) of the table's rows whose key starts with ``prefix``, in
    printed order; once per table per check: the hierarchy, cross-table and catalogue rules each walked
    every row for them (~4,000 key tests and code reads per check). Shared: callers must not change it."""
    return memo(ctx, ("coded", id(table), prefix), lambda: tuple(
        (r, code_of(r), level_of(r)) for r in table.rows if r.key.startswith(prefix)))


def sum_rows(rows: Iterable[Row], column: str) -> Decimal:
    """``sum(amount(r, column) for r in rows)``, from zero, in order; a read figure or a blank cell's zero
    is added without the ``amount`` call (most cells of a sparse table are blank; the hierarchy sums pass
    ~1,000 cells per check through here)."""
    total = ZERO
    for r in rows:
        cell = r.cells.get(column)
        if cell is not None:
            value = cell.value
            if value is not None:
                total += value
                continue
            if cell.text.strip() in ZERO_MARKS:
                total += ZERO
                continue
        total += amount(r, column)
    return total


def row_inputs(rows: Iterable[Row], column: str) -> dict[str, Decimal]:
    return {row_label(r): amount(r, column) for r in rows}


def rows_equal_sum(ctx: Context, table: Table, target: Row, parts: list[Row], columns: Iterable[str],
                   why: str) -> Iterator[Hit]:
    tolerance = ctx.tolerance_for(table.unit)
    for col in columns:
        expected = sum_rows(parts, col)  # unknown (NaN) when a part is: unparsed text, an unprinted column
        gap = abs(amount(target, col) - expected)
        if gap.is_nan():
            ctx.skipped()
            continue
        if gap > tolerance:  # inputs are built only for a hit
            hit = mismatch(ctx, table, target, col, expected, why, row_inputs(parts, col))
            if hit:
                yield unlisted(hit)


def column_identity(ctx: Context, table: Table, row: Row, target: str, parts: list[str], why: str) -> Hit | None:
    """``row[target] = Σ row[parts]``; rows with none of the cells printed are skipped.

    A part that is unknown (its column not printed, its text not read) leaves only a bound: amounts
    are not negative, so the known parts cannot add up to more than the target. Only that is checked."""
    # ~200 rows per check, in one pass over the parts: a read figure is taken as it is and a blank cell is
    # zero (as ``amount`` says, without the call); ``amount`` sorts out the unread and unprinted ones
    cells = row.cells
    target_cell = cells.get(target)
    stated_value = None if target_cell is None else target_cell.value
    any_read = stated_value is not None
    amounts: list[Decimal] = []
    for c in parts:
        cell = cells.get(c)
        if cell is not None:
            value = cell.value
            if value is not None:
                any_read = True
                amounts.append(value)
                continue
            if cell.text.strip() in ZERO_MARKS:
                amounts.append(ZERO)
                continue
        amounts.append(amount(row, c))
    if not any_read:
        return None
    stated = stated_value if stated_value is not None else amount(row, target)
    expected = sum(amounts, ZERO)  # unknown (NaN) exactly when a part is
    if stated.is_nan() or expected.is_nan():
        known_parts = [a for a in amounts if not a.is_nan()]
        floor = sum(known_parts, ZERO)
        if (stated.is_nan() or any(a < 0 for a in known_parts)
                or floor - stated <= ctx.tolerance_for(table.unit)):
            ctx.skipped()
            return None
        return mismatch(ctx, table, row, target, floor, why + "（未列示的部分未计入，合计不应小于已列示部分之和）",
                        {column_label(table, c): a for c, a in zip(parts, amounts) if not a.is_nan()})
    if not ctx.differs(stated, expected, table.unit):
        return None  # the usual case: skip building the inputs (mismatch would return None too)
    return mismatch(ctx, table, row, target, expected, why,
                    {column_label(table, c): a for c, a in zip(parts, amounts)})


def _coded_rows(table: Table, prefix: str) -> list[Row]:
    return [r for r in table.rows if r.key.startswith(prefix)]


def _levels_printed(table: Table, prefix: str = "f:") -> set[int]:
    return {len(code_of(r)) for r in _coded_rows(table, prefix)}


def item_leaves(ctx: Context | None, table: Table, code: str, prefix: str = "f:") -> list[Row] | None:
    """The lowest printed rows under code ``code`` when the table prints no row of that level at all
    (a layout of 项 rows only); None otherwise, and when nothing under it is printed."""
    levels = (memo(ctx, ("levels", id(table), prefix), lambda: _levels_printed(table, prefix)) if ctx
              else _levels_printed(table, prefix))
    if len(code) in levels:
        return None
    below = [r for r in _coded_rows(table, prefix) if code_of(r).startswith(code) and len(code_of(r)) > len(code)]
    if not below:
        return None
    codes = {code_of(r) for r in below}
    return [r for r in below if not any(c != code_of(r) and c.startswith(code_of(r)) for c in codes)]


def items_sum(ctx: Context | None, table: Table, code: str, column: str, prefix: str = "f:") -> Decimal:
    """The amount of code ``code`` when its row is not printed.

    - A layout of 项 rows only: the sum of the printed rows under it.
    - A table that says it is empty, or whose printed rows of that level add up to its printed 合计 (so
      nothing is missing; amounts are not negative): zero. That is what a list of the lines with money
      means, and the table itself proves it.
    - Otherwise unknown: the table has not said what this code holds."""
    leaves = item_leaves(ctx, table, code, prefix)
    if leaves is not None:
        return sum((amount(r, column) for r in leaves), ZERO)
    if table.empty_note:
        return ZERO
    rows = _coded_rows(table, prefix)
    total = next((r for r in table.rows if r.key == "total"), None)
    if total is None:
        return ZERO if not rows else UNKNOWN
    printed_total = amount(total, column)
    if printed_total.is_nan():
        return UNKNOWN
    same_level = [amount(r, column) for r in rows if len(code_of(r)) == len(code)]
    listed_sum = sum(same_level, ZERO)
    if printed_total == 0 or (not listed_sum.is_nan() and abs(listed_sum - printed_total) <= ctx_tolerance(ctx, table)):
        return ZERO
    return UNKNOWN


def ctx_tolerance(ctx: Context | None, table: Table) -> Decimal:
    if ctx is not None:
        return ctx.tolerance_for(table.unit)
    tolerance = Settings().tolerance  # the default a check without a Context would use
    return tolerance * 10000 if table.unit == "元" else tolerance


def function_amount(ctx: Context | None, table: Table, row: Row | None, code: str, column: str) -> Decimal:
    """``amount(row, column)`` for the function row of ``code``; its items' sum when the layout prints no
    rows of its level (see ``items_sum``)."""
    return amount(row, column) if row is not None else items_sum(ctx, table, code, column)
