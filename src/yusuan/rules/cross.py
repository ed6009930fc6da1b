"""Cross-table rules (X.*): the same money printed in two tables must be the same amount.

Each finding points at the cell of the table named first in the rule ID (the "stated" figure) and
carries the other table's cell in ``inputs``. Tables in different units are compared in 万元.

Whether the fiscal tables (T4, T5, T7, T8, T9) include last year's 财政拨款结转 depends on the
region's template: the profile says so (``fiscal_tables_include_carryover``); without a profile it
is read off T4, which prints a 上年结转 income line exactly when it includes them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable, Iterator

from yusuan.disclosure import KINDS, Row, Table
from yusuan.rules.narrative_base import ROUNDING_MARK, rounding_note, rounding_slack
from yusuan.rules.registry import UNKNOWN, Context, Hit, rule
from yusuan.rules.tables_common import (
    ZERO, amount, amount_columns, cell_location, code_of, coded, column_label, columns_of, fmt, function_amount,
    UNLISTED_MARK, UNLISTED_NOTE, item_leaves, items_sum, listed, nonzero, memo,
    printed_name_of, row_label, unlisted,
)
from yusuan.rules.tables_statements import T1_PARTS, value_of

BUDGET_COLUMNS = {"general": ["s:general", "s:general_transfer"], "fund": ["s:fund", "s:fund_transfer"],
                  "capital": ["s:capital", "s:capital_transfer"], "fiscal": ["s:fiscal"]}
BUDGET_TABLES = {"general": "general_expenditure", "fund": "fund_expenditure", "capital": "capital_expenditure",
                 "fiscal": "fiscal_expenditure"}
BUDGET_LABELS = {"general": "一般公共预算", "fund": "政府性基金预算", "capital": "国有资本经营预算", "fiscal": "财政拨款"}


def _wan(value: Decimal, unit: str) -> Decimal:
    return value / 10000 if unit == "元" else value


def _common_unit(a: Table, b: Table) -> str:
    return a.unit if a.unit == b.unit else "万元"


def _in(value: Decimal, table: Table, unit: str) -> Decimal:
    return _wan(value, table.unit) if unit == "万元" and table.unit == "元" else value


def compare(ctx: Context, ta: Table, ra: Row, ca: str, tb: Table, stated_b: Decimal, where_b: str | Callable[[], str],
            extra: dict[str, Decimal] | None = None) -> Hit | None:
    """Hit when cell (ta, ra, ca) differs from ``stated_b`` (printed in ``tb``, described by ``where_b``).

    ``where_b`` may be a function giving the description: it is then worded only for a hit (~150 comparisons
    per check, almost none of them a hit)."""
    unit = _common_unit(ta, tb)
    a = _in(amount(ra, ca), ta, unit)
    b = _in(stated_b, tb, unit)
    if not ctx.differs(a, b, unit):
        return None
    if not isinstance(where_b, str):
        where_b = where_b()
    message = (f"{ta.label}“{row_label(ra)}”行“{column_label(ta, ca)}”列为 {fmt(a)}{unit}，"
               f"而{where_b}为 {fmt(b)}{unit}，相差 {fmt(a - b)}{unit}。")
    inputs: dict = {where_b: b, **(extra or {})}
    # ``extra``: the printed parts ``stated_b`` adds up; their rounding may explain a small gap
    slack = rounding_slack(ctx, a - b, [v for v in (extra or {}).values() if isinstance(v, Decimal)], unit)
    if extra and slack is not None:  # reported as a warning (catalogue.soften_for_partial)
        message = message[:-1] + f"；{rounding_note(slack)}。"
        inputs[ROUNDING_MARK] = "是"
    return Hit(message=message, location=cell_location(ta, ra, ca), subject=ra.key, stated=a, expected=b,
               inputs=inputs)


def not_listed(ctx: Context, table: Table, code: str, column: str, hit: Hit) -> Hit:
    """``hit`` says ``table`` has no row for ``code``. Unless the table shows that nothing is missing (it
    says it is empty, or its listed rows add up to its total: ``items_sum``), the row may only be left out,
    its amount unknown: the hit is then marked as a possibly unlisted row (a warning, not a contradiction)."""
    if items_sum(ctx, table, code, column).is_nan():
        hit.inputs[UNLISTED_MARK] = "是"
        hit.message = hit.message[:-1] + f"（{table.label}所列各行之和与合计不符，这一行可能未列示，未列示不等于零）。"
    return hit


def includes_carryover(ctx: Context) -> bool:
    return memo(ctx, ("carryover",), lambda: _includes_carryover(ctx))  # asked per row by several rules


def _includes_carryover(ctx: Context) -> bool:
    if "fiscal_tables_include_carryover" in ctx.profile:
        return bool(ctx.profile["fiscal_tables_include_carryover"])
    t4 = ctx.table("fiscal_income_expenditure")
    if t4 is None:
        return False
    return any(r.key.startswith("s:carryover") and nonzero(amount(r, "amount")) for r in t4.rows)


def _carryover_budget(ctx: Context) -> str | None:
    """The one budget all 财政拨款结转 belongs to (T1 says which), or None if mixed/unknown."""
    t1 = ctx.table("income_expenditure")
    if t1 is None:
        return "general"
    parts = {b: amount(ctx.row(t1, f"s:carryover_{b}"), "amount") for b in ("general", "fund", "capital")}
    owners = [b for b, v in parts.items() if nonzero(v)]
    if not owners:
        return "general" if nonzero(amount(ctx.row(t1, "s:carryover_fiscal"), "amount")) else None
    return owners[0] if len(owners) == 1 else None


def t2_budget_amount(ctx: Context, t2: Table, row: Row, budget: str) -> Decimal | None:
    """What table 2 implies for ``budget`` on this row; None when the layout has no column for that
    budget (Shanghai's T2 prints only 财政拨款) or the carry-over cannot be attributed."""
    # Asked ~140 times per check by eight rules (the general budget of a row by three of them): answered
    # once per row and budget. Keyed by ``id(row)``: the rows belong to the disclosure, which outlives the check.
    answers = memo(ctx, ("t2_budget", id(t2), budget), dict)
    key = id(row)
    if key not in answers:
        answers[key] = _t2_budget_amount(ctx, t2, row, budget)
    return answers[key]


def _t2_budget_amount(ctx: Context, t2: Table, row: Row, budget: str) -> Decimal | None:
    columns = BUDGET_COLUMNS[budget]
    if not any(c in columns_of(ctx, t2) for c in columns):
        return None
    value = ZERO
    for c in columns:  # = sum(amount(row, c) for c in columns), without the generator
        value += amount(row, c)
    # a T2 without a carry-over column has no carry-over to attribute
    carry = listed(row, "s:carryover_fiscal") if "s:carryover_fiscal" in columns_of(ctx, t2) else ZERO
    if carry == 0:  # the usual row: no carry-over to attribute (includes_carryover only matters otherwise)
        return value
    if includes_carryover(ctx) and budget == "fiscal":
        value += carry
    elif includes_carryover(ctx):
        owner = _carryover_budget(ctx)
        if owner is None:
            return None
        if owner == budget:
            value += carry
    return value


def t2_columns(t2: Table) -> set[str]:
    return set(amount_columns(t2))


def _t2_budget_label(ctx: Context, budget: str) -> str:
    cols = "小计" if budget == "fiscal" else "本级＋上级转移支付"
    return f"{BUDGET_LABELS[budget]}（{cols}{'＋财政拨款结转' if includes_carryover(ctx) else ''}）"


def _tables(ctx: Context, *kinds: str) -> list[Table] | None:
    tables = [ctx.table(k) for k in kinds]
    return None if any(t is None for t in tables) else tables  # type: ignore[return-value]


def _where(table: Table, row: Row | None, column: str, fallback: str = "") -> str:
    label = row_label(row) if row is not None else fallback
    return f"{table.label}“{label}”行“{column_label(table, column)}”列"


# Rules that equate a function row's income (table 2) with its spending (tables 1, 3, 4, 5, 8, 9): true of
# a budget, where each row's income is planned to be spent, but not of a final account (决算), where a
# row's income and spending differ by the year's balance (年末结转和结余) — the Putuo finance bureau's
# 2024 account: 201 income 2112.86 万元, spending 2106.66 万元. They are not checked on final accounts.
INCOME_EQUALS_SPENDING = {
    "X.T2T3.ROW", "X.T2T3.ROWSET", "X.T2T3.TOTAL", "X.T1T2.CLASS", "X.T5T2.ROW", "X.T8T2.ROW", "X.TFT2.ROW",
    "X.T9T2.ROW", "X.T2FISCAL.ROW",
}


def _xrule(id: str, title: str, severity: str, reads: tuple[str, ...]):
    register = rule(id, title, severity, "cross-table", reads=reads)
    if id not in INCOME_EQUALS_SPENDING and not id.startswith("X.T4T2."):
        return register

    def budget_only(check):
        def checked(ctx: Context) -> Iterator[Hit]:
            if ctx.disclosure.phase != "final":
                yield from check(ctx)

        checked.__doc__, checked.__name__ = check.__doc__, check.__name__
        register(checked)
        return check

    return budget_only


def current_year_row(ctx: Context, table: Table, key: str) -> str:
    """A final account's 收支总表 prints 本年收入合计/本年支出合计 before the carry-over rows, and its
    总计 includes 年初/年末结转和结余; the class rows and the other tables add up to the current-year
    rows. A budget's totals are the rows to compare."""
    current = {"expenditure_total": "expenditure_current_year", "income_total": "s:current_year"}.get(key)
    if ctx.disclosure.phase == "final" and current and ctx.row(table, current) is not None:
        return current
    return key


# ------------------------------------------------------------------ function rows across T2 / T3 / T5 / T8 / T9

def _codes(ctx: Context, table: Table) -> dict[str, Row]:
    """Function rows by code; built once per table per check (a dozen rules match rows by code).
    Shared: callers must not change it."""
    return memo(ctx, ("codes", id(table)), lambda: {code: r for r, code, _level in coded(ctx, table, "f:")})


def _same_code(ctx: Context, rows: Iterable[Row], other: Table) -> Iterator[tuple[Row, Row | None]]:
    """Each of ``rows`` (function rows of one table) with the function row of ``other`` that has the
    same code, or None where ``other`` prints no such row: how most rules here match two tables."""
    by_code = _codes(ctx, other)
    for row in rows:
        yield row, by_code.get(code_of(row))


@_xrule("X.T2T3.ROW", "同一功能科目在收入总表与支出总表中金额一致", "fatal", ("income", "expenditure"))
def t2t3_row(ctx: Context) -> Iterator[Hit]:
    """表2每个功能科目行的“总计”等于表3同一科目行的“合计”。"""
    tables = _tables(ctx, "income", "expenditure")
    if not tables:
        return
    t2, t3 = tables
    for r2, r3 in _same_code(ctx, _codes(ctx, t2).values(), t3):
        if r3 is not None:
            hit = compare(ctx, t2, r2, "total", t3, amount(r3, "total"), lambda: _where(t3, r3, "total"))
            if hit:
                yield hit


def _rowset(ctx: Context, a: Table, b: Table, col_a: str, col_b: str) -> Iterator[Hit]:
    for ra, rb in _same_code(ctx, _codes(ctx, a).values(), b):
        if rb is None and nonzero(amount(ra, col_a)):
            yield not_listed(ctx, b, code_of(ra), col_b, Hit(
                message=f"{a.label}列有“{row_label(ra)}”（{fmt(amount(ra, col_a))}{a.unit}），{b.label}中没有这一科目行。",
                location=cell_location(a, ra, col_a), subject=ra.key, stated=amount(ra, col_a), expected=ZERO))


@_xrule("X.T2T3.ROWSET", "收入总表与支出总表列示相同的功能科目", "fatal", ("income", "expenditure"))
def t2t3_rowset(ctx: Context) -> Iterator[Hit]:
    """有金额的功能科目行在表2和表3中都要列示。"""
    tables = _tables(ctx, "income", "expenditure")
    if tables:
        yield from _rowset(ctx, tables[0], tables[1], "total", "total")
        yield from _rowset(ctx, tables[1], tables[0], "total", "total")


def _total_pair(id: str, title: str, ka: str, ra: str, ca: str, kb: str, rb: str, cb: str, severity: str = "fatal",
                doc: str = ""):
    def check(ctx: Context) -> Iterator[Hit]:
        tables = _tables(ctx, ka, kb)
        if not tables:
            return
        ta, tb = tables
        row_a, row_b = ctx.row(ta, current_year_row(ctx, ta, ra)), ctx.row(tb, current_year_row(ctx, tb, rb))
        if row_a is None or row_b is None:
            return
        if ca not in columns_of(ctx, ta) or cb not in columns_of(ctx, tb):
            return  # the layout (or the reading) has no such column: nothing to compare
        hit = compare(ctx, ta, row_a, ca, tb, amount(row_b, cb), lambda: _where(tb, row_b, cb))
        if hit:
            yield hit

    check.__doc__ = doc or title
    _xrule(id, title, severity, (ka, kb))(check)


_total_pair("X.T2T3.TOTAL", "收入总表总计等于支出总表合计", "income", "total", "total", "expenditure", "total", "total")
_total_pair("X.T1T2.TOTAL", "收支总表收入总计等于收入总表总计", "income_expenditure", "income_total", "amount",
            "income", "total", "total")
_total_pair("X.T1T3.TOTAL", "收支总表支出总计等于支出总表合计", "income_expenditure", "expenditure_total", "amount",
            "expenditure", "total", "total")
_total_pair("X.T5T6.BASIC", "一般公共预算基本支出等于基本支出表合计", "general_expenditure", "total", "basic",
            "general_basic", "total", "total", doc="表5合计行“基本支出”等于表6合计（人员经费＋公用经费）。")
_total_pair("X.T5T7.TOTAL", "一般公共预算项目支出等于项目支出表合计", "general_expenditure", "total", "project",
            "general_project", "total", "total", doc="表5合计行“项目支出”等于表7合计行“项目支出合计”。")
_total_pair("X.T4T8.TOTAL", "财政拨款收支总表的政府性基金支出等于基金支出表合计", "fiscal_income_expenditure",
            "expenditure_total", "s:fund_budget", "fund_expenditure", "total", "total")
_total_pair("X.T4T9.TOTAL", "财政拨款收支总表的国有资本经营支出等于国有资本经营支出表合计", "fiscal_income_expenditure",
            "expenditure_total", "s:capital_budget", "capital_expenditure", "total", "total")
_total_pair("X.T4T5.TOTAL", "财政拨款收支总表的一般公共预算支出等于一般公共预算支出表合计", "fiscal_income_expenditure",
            "expenditure_total", "s:general_budget", "general_expenditure", "total", "total")


def _t2_budget_rows(budget: str):
    kind = BUDGET_TABLES[budget]

    def check(ctx: Context) -> Iterator[Hit]:
        tables = _tables(ctx, kind, "income")
        if not tables:
            return
        tb, t2 = tables
        for r2, rb in _same_code(ctx, _codes(ctx, t2).values(), tb):
            expected = t2_budget_amount(ctx, t2, r2, budget)
            if expected is None:
                continue
            if rb is None:
                if expected != 0:
                    yield not_listed(ctx, tb, code_of(r2), "total", Hit(
                        message=f"{t2.label}“{row_label(r2)}”行有{_t2_budget_label(ctx, budget)} {fmt(expected)}{t2.unit}，"
                                f"{tb.label}中没有这一科目行。", location=cell_location(t2, r2, "total"),
                        subject=r2.key, stated=ZERO, expected=expected))
                continue
            hit = compare(ctx, tb, rb, "total", t2, expected,
                          lambda: f"{t2.label}同一科目的{_t2_budget_label(ctx, budget)}")
            if hit:
                yield hit
        t2_total = ctx.row(t2, "total")
        tb_total = ctx.row(tb, "total")
        if t2_total is not None and tb_total is not None:
            expected = t2_budget_amount(ctx, t2, t2_total, budget)
            if expected is not None:
                hit = compare(ctx, tb, tb_total, "total", t2, expected,
                              lambda: f"{t2.label}合计行的{_t2_budget_label(ctx, budget)}")
                if hit:
                    yield hit
        for rb, r2 in _same_code(ctx, _codes(ctx, tb).values(), t2):
            if r2 is None and nonzero(amount(rb, "total")):
                yield not_listed(ctx, t2, code_of(rb), "total", Hit(
                    message=f"{tb.label}列有“{row_label(rb)}”，{t2.label}中没有这一科目行。",
                    location=cell_location(tb, rb, "total"), subject=rb.key, stated=amount(rb, "total"),
                    expected=ZERO))

    check.__doc__ = (f"{KINDS[kind]}每个功能科目行（及合计行）的“合计”等于表2同一科目的{BUDGET_LABELS[budget]}本级与上级转移支付之和"
                     "（地区模板含上年财政拨款结转时一并计入；结转分属多本预算而无法拆分的行不比较）。")
    return check


_xrule("X.T5T2.ROW", "一般公共预算支出表各科目等于收入总表的一般公共预算列", "fatal", ("general_expenditure", "income"))(
    _t2_budget_rows("general"))
_xrule("X.T8T2.ROW", "政府性基金支出表各科目等于收入总表的政府性基金列", "fatal", ("fund_expenditure", "income"))(
    _t2_budget_rows("fund"))
_xrule("X.TFT2.ROW", "财政拨款支出预算表（上海）各科目等于收入总表的财政拨款列", "fatal", ("fiscal_expenditure", "income"))(
    _t2_budget_rows("fiscal"))
_xrule("X.T9T2.ROW", "国有资本经营支出表各科目等于收入总表的国有资本经营列", "fatal", ("capital_expenditure", "income"))(
    _t2_budget_rows("capital"))


@_xrule("X.T2FISCAL.ROW", "收入总表财政拨款列等于三本预算支出表同一科目之和", "fatal",
        ("income", "general_expenditure", "fund_expenditure", "capital_expenditure"))
def t2_fiscal_row(ctx: Context) -> Iterator[Hit]:
    """收入总表只列“财政拨款”一列（不分预算，如上海）时，每个科目的财政拨款等于一般公共预算、政府性基金、
    国有资本经营预算支出表同一科目之和。分预算列示的版式由 X.T5T2/T8T2/T9T2 逐本核对。"""
    t2 = ctx.table("income")
    if t2 is None or "s:fiscal" not in t2_columns(t2) or any(c in t2_columns(t2) for c in BUDGET_COLUMNS["general"]):
        return
    budget_tables = [t for t in (ctx.table(k) for k in ("general_expenditure", "fund_expenditure",
                                                                  "capital_expenditure")) if t is not None]
    if not budget_tables or includes_carryover(ctx):
        return
    indexes = [(t, _codes(ctx, t)) for t in budget_tables]
    # a budget table the document does not print (left out, or not read) holds unknown figures, never zero
    absent = [KINDS.get(k, k) for k in ("general_expenditure", "fund_expenditure", "capital_expenditure")
              if ctx.table(k) is None]
    for key, r2 in [("total", ctx.row(t2, "total")), *_codes(ctx, t2).items()]:
        if r2 is None:
            continue
        parts = dict.fromkeys(absent, UNKNOWN)
        for t, rows in indexes:
            rb = ctx.row(t, "total") if key == "total" else rows.get(key)
            if rb is not None:
                parts[t.label] = _in(amount(rb, "total"), t, _common_unit(t2, t))
            elif key == "total" or items_sum(ctx, t, code_of(r2), "total").is_nan():
                parts[t.label] = UNKNOWN  # the row may be left out of that table: unknown, never zero
        expected = sum(parts.values(), ZERO)
        unit = _common_unit(t2, budget_tables[0])
        if not (all(t.unit == budget_tables[0].unit for t in budget_tables) or unit == "万元"):
            continue
        if expected.is_nan():
            # some part unknown: the printed parts still bound the whole (amounts are not negative)
            hit = _over_bound(ctx, t2, r2, "s:fiscal", budget_tables[0], parts, "三本预算支出表中已印出的同一科目")
        else:
            hit = compare(ctx, t2, r2, "s:fiscal", budget_tables[0], expected, "三本预算支出表同一科目之和", parts)
        if hit:
            yield hit


def _over_bound(ctx: Context, ta: Table, ra: Row, ca: str, tb: Table, parts: dict[str, Decimal], where: str) -> Hit | None:
    """Hit when the known ``parts`` (the others unknown) already add up to more than cell (ta, ra, ca)."""
    unit = _common_unit(ta, tb)
    whole = _in(amount(ra, ca), ta, unit)
    known = {k: v for k, v in parts.items() if not v.is_nan()}
    printed = sum(known.values(), ZERO)
    if not known or whole.is_nan() or printed <= whole or not ctx.differs(whole, printed, unit):
        return None
    unknown = "、".join(k for k, v in parts.items() if v.is_nan())
    message = (f"{ta.label}“{row_label(ra)}”行“{column_label(ta, ca)}”列为 {fmt(whole)}{unit}，而{where}之和已为 "
               f"{fmt(printed)}{unit}，超出 {fmt(printed - whole)}{unit}（{unknown}未列示，未列示不等于零，"
               "但各部分不能超过合计）。")
    return Hit(message=message, location=cell_location(ta, ra, ca), subject=ra.key, stated=whole, expected=printed,
               inputs={**known, "未列示": unknown})


@_xrule("X.T3T5.BOUND", "一般公共预算的基本/项目支出不超过部门全部的基本/项目支出", "fatal",
        ("expenditure", "general_expenditure"))
def t3t5_bound(ctx: Context) -> Iterator[Hit]:
    """表5每行的基本支出、项目支出是表3同一行的一部分，不能更大。"""
    tables = _tables(ctx, "general_expenditure", "expenditure")
    if not tables:
        return
    t5, t3 = tables
    rows3 = _codes(ctx, t3)
    unit = _common_unit(t5, t3)
    tolerance = ctx.tolerance_for(unit)  # both once, not per cell
    for code, r5 in [("total", ctx.row(t5, "total")), *_codes(ctx, t5).items()]:
        r3 = ctx.row(t3, "total") if code == "total" else rows3.get(code)
        if r5 is None or r3 is None:
            continue
        for col in ("basic", "project"):
            a, b = _in(amount(r5, col), t5, unit), _in(amount(r3, col), t3, unit)
            if (a - b).is_nan():
                ctx.skipped()
            elif a - b > tolerance:
                yield Hit(message=f"{t5.label}“{row_label(r5)}”行“{column_label(t5, col)}”为 {fmt(a)}{unit}，"
                                  f"超过{t3.label}同一行（全部资金来源）的 {fmt(b)}{unit}。",
                          location=cell_location(t5, r5, col), subject=r5.key, stated=a, expected=b,
                          inputs={_where(t3, r3, col): b})


@_xrule("X.T3T5.GENERAL_ONLY", "只有一般公共预算资金的科目在支出总表与一般公共预算支出表中一致", "fatal",
        ("income", "expenditure", "general_expenditure"))
def t3t5_general_only(ctx: Context) -> Iterator[Hit]:
    """表2显示某科目的资金全部来自一般公共预算时，表3与表5该行的基本支出、项目支出应相同。"""
    tables = _tables(ctx, "income", "expenditure", "general_expenditure")
    if not tables:
        return
    t2, t3, t5 = tables
    rows3, rows5 = _codes(ctx, t3), _codes(ctx, t5)
    for code, r2 in _codes(ctx, t2).items():
        general = t2_budget_amount(ctx, t2, r2, "general")
        total = amount(r2, "total")
        if general is None or general.is_nan() or total.is_nan():
            ctx.skipped()  # whether the row's money is all general budget is not known
            continue
        if general == 0 or ctx.differs(total, general, t2.unit):
            continue
        r3, r5 = rows3.get(code), rows5.get(code)
        if r3 is None or r5 is None:
            continue
        for col in ("basic", "project"):
            hit = compare(ctx, t3, r3, col, t5, amount(r5, col), lambda: _where(t5, r5, col))
            if hit:
                yield hit


# ------------------------------------------------------------------ T1 against T2 / T3

def _source_differences(ctx: Context) -> list[tuple[str, Decimal, Decimal, Table, Table, str]]:
    """(key, T1 amount, T2 合计-row amount, …) for every source column T2 prints that T1 also shows.

    The keys are the same in both tables. A T1 group row that is not printed is compared through its
    parts only, so that one wrong leaf is not reported twice (once more through its group)."""
    tables = _tables(ctx, "income_expenditure", "income")
    if not tables:
        return []
    t1, t2 = tables
    total2 = ctx.row(t2, "total")
    if total2 is None:
        return []
    columns = [c.key for c in t2.columns if c.key.startswith("s:")] or [k for k in total2.cells if k.startswith("s:")]
    out = []
    unit = _common_unit(t1, t2)
    for key in columns:
        if ctx.row(t1, key) is None and any(p in columns for p in T1_PARTS.get(key, [])):
            continue
        v1, found = value_of(t1, key, "amount", T1_PARTS, ctx=ctx)
        if not found:
            continue
        out.append((key, _in(v1, t1, unit), _in(amount(total2, key), t2, unit), t1, t2, key))
    return out


@_xrule("X.T1T2.SOURCES", "收支总表各收入来源等于收入总表各来源列合计", "fatal", ("income_expenditure", "income"))
def t1t2_sources(ctx: Context) -> Iterator[Hit]:
    """表1一般财力、上级转移支付、基金、国有资本、财政专户、单位资金、两类结转等于表2合计行的对应列。"""
    for k1, v1, v2, t1, t2, k2 in _source_differences(ctx):
        unit = _common_unit(t1, t2)
        if ctx.differs(v1, v2, unit):
            row = ctx.row(t1, k1)
            loc = cell_location(t1, row, "amount") if row else t1.location
            label = row_label(row) if row else k1
            yield Hit(message=f"{t1.label}“{label}”为 {fmt(v1)}{unit}，{t2.label}合计行“{column_label(t2, k2)}”列为 "
                              f"{fmt(v2)}{unit}，相差 {fmt(v1 - v2)}{unit}。",
                      location=loc, subject=k1, stated=v1, expected=v2, inputs={f"{t2.label}{column_label(t2, k2)}": v2})


@_xrule("X.T1T2.RECLASSIFIED", "同一笔资金在收支总表与收入总表中归入不同来源", "warning",
        ("income_expenditure", "income"))
def t1t2_reclassified(ctx: Context) -> Iterator[Hit]:
    """两表的收入合计一致，但某一来源多出的金额恰好是另一来源少的：同一笔钱在两表中归入了不同来源。"""
    diffs = [(k1, v1 - v2, t1, t2, k2) for k1, v1, v2, t1, t2, k2 in _source_differences(ctx)
             if not (v1 - v2).is_nan()]
    if not diffs:
        return
    t1, t2 = diffs[0][2], diffs[0][3]
    unit = _common_unit(t1, t2)
    tol = ctx.tolerance_for(unit)
    plus = [d for d in diffs if d[1] > tol]
    minus = [d for d in diffs if d[1] < -tol]
    for p in plus:
        for m in minus:
            if abs(p[1] + m[1]) <= tol:
                r1 = ctx.row(t1, p[0])
                where = row_label(r1) if r1 else p[0]
                r_other = ctx.row(t1, m[0])
                other = row_label(r_other) if r_other else m[0]
                yield Hit(message=f"{fmt(p[1])}{unit} 在{t1.label}中列为“{where}”，在{t2.label}中却列为“{column_label(t2, m[4])}”"
                                  f"（表1“{other}”少了同样的金额）：同一笔资金在两表中归入了不同来源。",
                          location=cell_location(t1, r1, "amount") if r1 else t1.location, subject=p[0],
                          stated=p[1], expected=ZERO, inputs={"表1来源": where, "表2来源": column_label(t2, m[4])})


def _class_rule(id: str, title: str, ka: str, ca: str, kb: str, cb: str):
    def check(ctx: Context) -> Iterator[Hit]:
        tables = _tables(ctx, ka, kb)
        if not tables:
            return
        ta, tb = tables
        rows_b = _codes(ctx, tb)
        for ra, code, level in coded(ctx, ta, "f:"):
            if level != "类":
                continue
            rb = rows_b.get(code)
            if rb is None and amount(ra, ca) == 0:
                continue  # a zero class that the other table, listing only classes with money, leaves out
            stated_b = function_amount(ctx, tb, rb, code, cb)
            hit = compare(ctx, ta, ra, ca, tb, stated_b, lambda: _where(tb, rb, cb) if rb is not None
                          else f"{tb.label}该类其下各项之和（未印类级行）")
            if hit:
                yield hit

    check.__doc__ = title
    _xrule(id, title, "fatal", (ka, kb))(check)


_class_rule("X.T1T2.CLASS", "收支总表各类支出等于收入总表同类科目总计", "income_expenditure", "amount", "income", "total")
_class_rule("X.T1T3.CLASS", "收支总表各类支出等于支出总表同类科目合计", "income_expenditure", "amount", "expenditure", "total")
_class_rule("X.T4T5.CLASS", "财政拨款收支总表一般公共预算各类支出等于一般公共预算支出表同类", "fiscal_income_expenditure",
            "s:general_budget", "general_expenditure", "total")
_class_rule("X.T4T8.CLASS", "财政拨款收支总表政府性基金各类支出等于基金支出表同类", "fiscal_income_expenditure",
            "s:fund_budget", "fund_expenditure", "total")
_class_rule("X.T4T9.CLASS", "财政拨款收支总表国有资本经营各类支出等于国有资本经营支出表同类", "fiscal_income_expenditure",
            "s:capital_budget", "capital_expenditure", "total")


def _t4t2_budget(budget: str):
    column = f"s:{budget}_budget"

    def check(ctx: Context) -> Iterator[Hit]:
        tables = _tables(ctx, "fiscal_income_expenditure", "income")
        if not tables:
            return
        t4, t2 = tables
        rows2 = _codes(ctx, t2)
        for r4, code, _level in coded(ctx, t4, "f:"):
            r2 = rows2.get(code)
            if r2 is None and amount(r4, column) == 0:
                continue  # a zero class T2 (listing only classes with money) leaves out
            if r2 is not None:
                expected = t2_budget_amount(ctx, t2, r2, budget)
            else:  # T2 prints no row of this class: its items' sum, if it prints only items; else unknown
                leaves = item_leaves(ctx, t2, code)
                each = [t2_budget_amount(ctx, t2, r, budget) for r in leaves or []]
                expected = None if leaves is None or None in each else sum(each, ZERO)  # type: ignore[arg-type]
            if expected is None:
                ctx.skipped()
                continue
            hit = compare(ctx, t4, r4, column, t2, expected, lambda: f"{t2.label}同一类的{_t2_budget_label(ctx, budget)}")
            if hit:
                yield hit

    check.__doc__ = f"表4每个类级科目的“{BUDGET_LABELS[budget]}”列等于表2同一类的{BUDGET_LABELS[budget]}（本级＋上级转移支付）。"
    return check


for _b, _id in [("general", "X.T4T2.GENERAL"), ("fund", "X.T4T2.FUND"), ("capital", "X.T4T2.CAPITAL")]:
    _xrule(_id, f"财政拨款收支总表{BUDGET_LABELS[_b]}各类支出等于收入总表同类的{BUDGET_LABELS[_b]}列", "fatal",
           ("fiscal_income_expenditure", "income"))(_t4t2_budget(_b))


@_xrule("X.T4T1.INCOME", "财政拨款收支总表各本预算收入等于收支总表对应收入", "fatal",
        ("fiscal_income_expenditure", "income_expenditure"))
def t4t1_income(ctx: Context) -> Iterator[Hit]:
    """表4收入方一般公共预算、政府性基金预算、国有资本经营预算（及上年结转，如列示）等于表1对应行。"""
    tables = _tables(ctx, "fiscal_income_expenditure", "income_expenditure")
    if not tables:
        return
    t4, t1 = tables
    for key in ("s:general_budget", "s:fund_budget", "s:capital_budget", "s:carryover_fiscal", "s:carryover_general",
                "s:carryover_fund", "s:carryover_capital"):
        r4 = ctx.row(t4, key)
        if r4 is None:
            continue
        v1, found = value_of(t1, key, "amount", T1_PARTS, ctx=ctx)
        if not found:
            continue
        r1 = ctx.row(t1, key)
        hit = compare(ctx, t4, r4, "amount", t1, v1, lambda: _where(t1, r1, "amount", key))
        if hit:
            yield hit


@_xrule("X.T4T1.BOUND", "财政拨款收入不超过部门收入总计", "fatal", ("fiscal_income_expenditure", "income_expenditure"))
def t4t1_bound(ctx: Context) -> Iterator[Hit]:
    """表4只含财政拨款，其收入总计不能大于表1收入总计。"""
    tables = _tables(ctx, "fiscal_income_expenditure", "income_expenditure")
    if not tables:
        return
    t4, t1 = tables
    r4, r1 = ctx.row(t4, "income_total"), ctx.row(t1, "income_total")
    if r4 is None or r1 is None:
        return
    unit = _common_unit(t4, t1)
    a, b = _in(amount(r4, "amount"), t4, unit), _in(amount(r1, "amount"), t1, unit)
    if (a - b).is_nan():
        ctx.skipped()
    elif a - b > ctx.tolerance_for(unit):
        yield Hit(message=f"{t4.label}收入总计 {fmt(a)}{unit} 大于{t1.label}收入总计 {fmt(b)}{unit}。",
                  location=cell_location(t4, r4, "amount"), subject="income_total", stated=a, expected=b)


# ------------------------------------------------------------------ T5 against T7

def _t7_projects_by_item(t7: Table) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in t7.rows_where("p:"):
        out.setdefault(code_of(r), []).append(r)
    return out


@_xrule("X.T5T7.PROJECT", "一般公共预算支出表各项级科目的项目支出等于项目支出表该科目下项目之和", "fatal",
        ("general_expenditure", "general_project"))
def t5t7_project(ctx: Context) -> Iterator[Hit]:
    """表5每个项级科目的“项目支出”等于表7归入该科目的各项目“项目支出合计”之和（逐项核对）。"""
    tables = _tables(ctx, "general_expenditure", "general_project")
    if not tables:
        return
    t5, t7 = tables
    projects = _t7_projects_by_item(t7)
    if not projects:
        return
    rows5 = _codes(ctx, t5)
    for code in sorted(set(projects) | {c for c, r in rows5.items() if len(c) == 7 and nonzero(amount(r, "project"))}):
        ps = projects.get(code, [])
        expected = sum((amount(p, "total") for p in ps), ZERO)
        r5 = rows5.get(code)
        if r5 is None:
            if expected != 0:
                first = ps[0]
                yield not_listed(ctx, t5, code, "project", Hit(
                    message=f"{t7.label}有归入 {code} 的项目（共 {fmt(expected)}{t7.unit}），{t5.label}没有这一项级科目行。",
                    location=cell_location(t7, first, "total"), subject=first.key, stated=ZERO, expected=expected))
            continue
        names = {p.cells["project_name"].text if "project_name" in p.cells else p.key: amount(p, "total") for p in ps}
        hit = compare(ctx, t5, r5, "project", t7, expected, f"{t7.label}该科目下 {len(ps)} 个项目之和", names)
        if hit:
            yield unlisted(hit)  # more in table 5 than its projects in table 7: a project may not be listed


@_xrule("X.T5T7.CLASS", "项目支出表各类、款等于一般公共预算支出表同一科目的项目支出", "fatal",
        ("general_project", "general_expenditure"))
def t5t7_class(ctx: Context) -> Iterator[Hit]:
    """表7类、款行的“项目支出合计”等于表5同一科目的“项目支出”。"""
    tables = _tables(ctx, "general_project", "general_expenditure")
    if not tables:
        return
    t7, t5 = tables
    rows5 = _codes(ctx, t5)
    for r7, code, _level in coded(ctx, t7, "f:"):
        r5 = rows5.get(code)
        hit = compare(ctx, t7, r7, "total", t5, function_amount(ctx, t5, r5, code, "project"),
                      lambda: _where(t5, r5, "project") if r5 else f"{t5.label}该科目其下各项之和（未印该级科目行）")
        if hit:
            yield hit


# ------------------------------------------------------------------ 三公 (T10) against T6 / T4

SANGONG_ECONOMIC = [
    ("X.T6T10.RECEPTION", "sangong:reception", ["30217"], "公务接待费"),
    ("X.T6T10.VEHICLE_OPERATION", "sangong:vehicle_operation", ["30231"], "公务用车运行维护费"),
    ("X.T6T10.VEHICLE_PURCHASE", "sangong:vehicle_purchase", ["30913", "31013"], "公务用车购置"),
]


def _sangong_column(row: Row) -> str:
    """The general-budget column of a 三公 row: T10 splits by budget; Shanghai's table has one amount."""
    for col in ("s:general_budget", "total", "amount"):
        if col in row.cells:
            return col
    return "total"


def _sangong_amount(t10: Table, key: str) -> Decimal:
    row = t10.row(key)
    return amount(row, _sangong_column(row)) if row is not None else ZERO


def _sangong_tables(ctx: Context, *kinds: str) -> list[Table] | None:
    """T10 (or Shanghai's “三公”经费和机关运行经费预算表) followed by ``kinds``."""
    sg = ctx.table("sangong") or ctx.table("sangong_operating")
    rest = _tables(ctx, *kinds)
    return [sg, *rest] if sg is not None and rest else None


def _t6_lines(t6: Table, codes: list[str]) -> Decimal:
    return sum((listed(t6.row(f"e:{c}"), "total") for c in codes), ZERO)  # a lower bound: absent lines add nothing


def _t6t10(key: str, codes: list[str], label: str):
    def check(ctx: Context) -> Iterator[Hit]:
        tables = _sangong_tables(ctx, "general_basic")
        if not tables:
            return
        t10, t6 = tables
        row = ctx.row(t10, key)
        if row is None:
            return
        unit = _common_unit(t10, t6)
        sg = _in(_sangong_amount(t10, key), t10, unit)
        basic = _in(_t6_lines(t6, codes), t6, unit)
        if (basic - sg).is_nan():
            ctx.skipped()
        elif basic - sg > ctx.tolerance_for(unit):
            col = _sangong_column(row)
            yield Hit(message=f"{t10.label}“{row_label(row)}”（一般公共预算）为 {fmt(sg)}{unit}，少于{t6.label}"
                              f"基本支出中的“{label}”（{'＋'.join(codes)}）{fmt(basic)}{unit}；“三公”经费涵盖基本支出和项目支出，"
                              "不应少于基本支出中的同类支出。",
                      location=cell_location(t10, row, col), subject=key, stated=sg, expected=basic,
                      inputs={f"{t6.label}{'＋'.join(codes)}": basic})

    check.__doc__ = (f"财政拨款“三公”经费中的{label}包括基本支出和项目支出，不应少于一般公共预算基本支出表中经济分类 "
                     f"{'、'.join(codes)} 的金额。部分地区口径不同（如执法执勤用车），因此为警告。")
    return check


for _id, _key, _codes_list, _label in SANGONG_ECONOMIC:
    _xrule(_id, f"“三公”经费{_label}不少于基本支出中的同类经济科目", "warning", ("sangong", "general_basic"))(
        _t6t10(_key, _codes_list, _label))


@_xrule("X.T6T10.UNCOVERED", "“三公”经费超出基本支出的部分应有项目支出来源", "info",
        ("sangong", "general_basic", "general_project"))
def t6t10_uncovered(ctx: Context) -> Iterator[Hit]:
    """“三公”经费某项大于基本支出中的同类科目时，差额只能来自项目支出；若项目支出表没有商品和服务支出（购置则看资本性支出），
    提示核实。"""
    tables = _sangong_tables(ctx, "general_basic", "general_project")
    if not tables:
        return
    t10, t6, t7 = tables
    total7 = ctx.row(t7, "total")
    unit = _common_unit(t10, t6)
    for _id, key, codes, label in SANGONG_ECONOMIC:
        row = ctx.row(t10, key)
        if row is None:
            continue
        excess = _in(_sangong_amount(t10, key), t10, unit) - _in(_t6_lines(t6, codes), t6, unit)
        project_cols = ["e:309", "e:310"] if key == "sangong:vehicle_purchase" else ["e:302"]
        project_money = sum((amount(total7, c) for c in project_cols), ZERO) if total7 else ZERO
        if not excess.is_nan() and excess > ctx.tolerance_for(unit) and project_money == 0:
            yield Hit(message=f"{t10.label}“{row_label(row)}”比基本支出中的“{label}”多 {fmt(excess)}{unit}，"
                              f"但{t7.label}没有{'资本性支出' if key == 'sangong:vehicle_purchase' else '商品和服务支出'}，差额来源不明。",
                      location=cell_location(t10, row, _sangong_column(row)), subject=key, stated=excess, expected=ZERO)


@_xrule("X.TST6.OPERATING_COSTS", "机关运行经费与一般公共预算基本支出的公用经费一致", "warning",
        ("sangong_operating", "general_basic"))
def operating_costs_vs_public(ctx: Context) -> Iterator[Hit]:
    """上海“三公”经费和机关运行经费预算表中的机关运行经费，对行政单位等于一般公共预算基本支出表的公用经费合计；
    部门含事业单位时可能不同，因此为警告。"""
    tables = _tables(ctx, "sangong_operating", "general_basic")
    if not tables:
        return
    ts, t6 = tables
    row, total6 = ctx.row(ts, "operating_costs"), ctx.row(t6, "total")
    if row is None or total6 is None:
        return
    hit = compare(ctx, ts, row, "amount", t6, amount(total6, "public"), _where(t6, total6, "public"))
    if hit:
        hit.message += "（机关运行经费通常等于财政拨款基本支出中的公用经费；部门含事业单位时可能不同。）"
        yield hit


@_xrule("X.T10T4.BUDGETS", "“三公”经费的资金来源在财政拨款收支总表中有安排", "warning",
        ("sangong", "fiscal_income_expenditure"))
def t10t4_budgets(ctx: Context) -> Iterator[Hit]:
    """表10某本预算列有“三公”经费，而表4该本预算没有支出，两表矛盾。"""
    tables = _tables(ctx, "sangong", "fiscal_income_expenditure")
    if not tables:
        return
    t10, t4 = tables
    total10, total4 = ctx.row(t10, "sangong:total"), ctx.row(t4, "expenditure_total")
    if total10 is None or total4 is None:
        return
    for col in ("s:general_budget", "s:fund_budget", "s:capital_budget"):
        if nonzero(amount(total10, col)) and amount(total10, col) > 0 and amount(total4, col) == 0:
            yield Hit(message=f"{t10.label}“{column_label(t10, col)}”列有“三公”经费 {fmt(amount(total10, col))}{t10.unit}，"
                              f"但{t4.label}该预算没有支出。",
                      location=cell_location(t10, total10, col), subject="sangong:total",
                      stated=amount(total10, col), expected=ZERO)


# ------------------------------------------------------------------ names

@_xrule("X.NAMES.FUNCTION", "同一功能科目在各表中名称一致", "warning",
        ("income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
         "general_project", "fund_expenditure", "capital_expenditure"))
def names_function(ctx: Context) -> Iterator[Hit]:
    """同一科目编码在不同表中印出的名称应相同（比较时忽略全半角和空格）。"""
    from yusuan.catalog import normalise_name

    first: dict[str, tuple[Table, Row]] = {}
    for table in ctx.disclosure.tables:
        for row, code, _level in coded(ctx, table, "f:"):
            name = printed_name_of(ctx, row)
            if not name:
                continue
            if code not in first:
                first[code] = (table, row)
                continue
            t0, r0 = first[code]
            n0 = printed_name_of(ctx, r0)
            if n0.strip() != name.strip() and normalise_name(n0) != normalise_name(name):
                yield Hit(message=f"科目 {code} 在{t0.label}中名为“{n0.strip()}”，在{table.label}中名为“{name.strip()}”。",
                          location=cell_location(table, row, None), subject=row.key, stated=name.strip(),
                          expected=n0.strip())


__all__ = ["compare", "includes_carryover", "t2_budget_amount", "KINDS"]
