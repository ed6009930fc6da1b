"""Within-table rules of the two-sided statements (T1 部门收支总体情况表, T4 财政拨款收支预算总体情况表)
and of the 三公 tables (T10, Shanghai's “三公”经费和机关运行经费预算表): group rows equal the sum
of their parts, totals balance.

A group row the template does not print is replaced by the sum of its own parts, so that
"收入总计 = 本年收入 + 上年结转结余" can still be checked when a region omits the 本年收入 line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from yusuan.disclosure import KINDS, Row, Table
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import (
    TABLE_IDS, UNKNOWN, ZERO, amount, cell_location, column_identity, column_label, dropped_columns, dropped_rows,
    listed, mismatch, row_label, row_of, strip_numbering, sum_rows, unlisted,
)

T1_PARTS: dict[str, list[str]] = {
    # 财政拨款 is one row in some layouts (Shanghai, single-column districts) and three budget rows in
    # others: a row not printed stands for the sum of its parts, so both read the same.
    "s:current_year": ["s:fiscal", "s:special_account", "s:unit_funds"],
    "s:general_budget": ["s:general", "s:general_transfer"],
    "s:fund_budget": ["s:fund", "s:fund_transfer"],
    "s:capital_budget": ["s:capital", "s:capital_transfer"],
    "s:unit_funds": ["s:business", "s:superior_subsidy", "s:affiliated", "s:operating", "s:other"],
    "s:carryover": ["s:carryover_fiscal", "s:carryover_nonfiscal"],
    "s:carryover_fiscal": ["s:carryover_general", "s:carryover_fund", "s:carryover_capital"],
    "s:carryover_nonfiscal": ["s:carryover_special_account", "s:carryover_unit"],
    # a final account's 总计 also adds 使用非财政拨款结余 (printed only there: OPTIONAL_PARTS)
    "income_total": ["s:current_year", "nonfiscal_balance_used", "s:carryover"],
    "s:fiscal": ["s:general_budget", "s:fund_budget", "s:capital_budget"],
}
# Parts left out of a sum (and of its message) when the table does not print them.
OPTIONAL_PARTS = {"nonfiscal_balance_used"}

SANGONG_PARTS: dict[str, list[str]] = {
    "sangong:total": ["sangong:abroad", "sangong:vehicle", "sangong:reception"],
    "sangong:vehicle": ["sangong:vehicle_purchase", "sangong:vehicle_operation"],
}


def _parts_sum(table: Table, key: str, column: str, parts: dict[str, list[str]],
               dropped: frozenset[str] = frozenset(), ctx: Context | None = None) -> tuple[Decimal, bool]:
    found, total = False, ZERO
    for p in parts.get(key, []):
        v, f = value_of(table, p, column, parts, dropped, ctx)
        total += v
        found = found or f
    return total, found


def blank_group(table: Table, row: Row | None, column: str, parts: dict[str, list[str]],
                ctx: Context | None = None) -> Decimal | None:
    """The parts' sum when ``row`` is a group row left blank although its parts print amounts, else None.

    Templates differ on whether group rows (一、财政拨款（补助）, 5.单位资金 …) carry an amount; a blank one
    is reported once by ``*.BLANK_GROUP`` and otherwise stands for the sum of its parts."""
    if row is None or row.key not in parts:
        return None
    cell = row.cells.get(column)
    if cell is not None and cell.value is not None:
        return None
    total, found = _parts_sum(table, row.key, column, parts, ctx=ctx)
    return total if found and total != 0 else None


def value_of(table: Table, key: str, column: str, parts: dict[str, list[str]],
             dropped: frozenset[str] = frozenset(), ctx: Context | None = None) -> tuple[Decimal, bool]:
    """The row's amount, or the sum of its parts when the row is not printed (or left blank while its
    parts are not). Second item: whether anything was found at all.

    ``dropped``: rows the layout prints that this table left out (``dropped_rows``). Such a row whose parts
    are not printed either is unknown, never zero. ``ctx``: the check's row index is used (``row_of``)."""
    row = row_of(ctx, table, key)  # ~150 lookups per check in the 57 rows of table 1
    if row is not None:
        substitute = blank_group(table, row, column, parts, ctx)
        return (substitute if substitute is not None else amount(row, column)), True
    total, found = _parts_sum(table, key, column, parts, dropped, ctx)
    if key in dropped and not found:
        return UNKNOWN, True
    return total, found


def group_rule(kind: str, suffix: str, title: str, target: str, parts: dict[str, list[str]],
               columns: tuple[str, ...] = ("amount",), severity: str = "fatal"):
    """Rule ``<T>.<suffix>``: row ``target`` = Σ its parts (per ``parts``) in each of ``columns``."""

    def check(ctx: Context) -> Iterator[Hit]:
        table = ctx.table(kind)
        row = ctx.row(table, target) if table else None
        if row is None:
            return
        found_any = False
        dropped = dropped_rows(ctx, table)
        for col in columns:
            if blank_group(table, row, col, parts, ctx) is not None:
                continue  # reported by *.BLANK_GROUP
            total, values = ZERO, []
            for p in parts[target]:
                if p in OPTIONAL_PARTS and ctx.row(table, p) is None:
                    continue
                v, found = value_of(table, p, col, parts, dropped, ctx)
                found_any = found_any or found
                total += v
                values.append((p, v))
            if not found_any:
                return
            if not ctx.differs(amount(row, col), total, table.unit):
                continue  # the usual case: the parts' labels are looked up only for a hit (as mismatch would)
            inputs = {}
            for p, v in values:
                inputs[_label(table, p)] = v
            hit = mismatch(ctx, table, row, col, total, "、".join(inputs) + "之和", inputs)
            if hit:
                yield hit

    check.__doc__ = f"{title}（缺列的分组行以其组成部分之和代替）。"
    rule(f"{TABLE_IDS[kind]}.{suffix}", f"{KINDS[kind]}：{title}", severity, "within-table", reads=(kind,))(check)


KEY_LABELS = {
    "s:current_year": "本年收入", "s:general_budget": "一般公共预算拨款", "s:fund_budget": "政府性基金预算拨款",
    "s:capital_budget": "国有资本经营预算拨款", "s:unit_funds": "单位资金", "s:carryover": "上年结转结余",
    "s:carryover_fiscal": "财政拨款结转", "s:carryover_nonfiscal": "非财政拨款结转结余", "s:fiscal": "财政拨款",
    "s:carryover_general": "一般公共预算结转", "s:carryover_fund": "政府性基金结转", "s:carryover_capital": "国有资本经营结转",
    "sangong:vehicle": "公务用车购置及运行费", "sangong:abroad": "因公出国（境）费", "sangong:reception": "公务接待费",
    "sangong:vehicle_purchase": "公务用车购置费", "sangong:vehicle_operation": "公务用车运行费",
    "s:general": "一般财力", "s:general_transfer": "上级一般公共预算转移支付", "s:fund": "政府性基金本级",
    "s:fund_transfer": "上级政府性基金转移支付", "s:capital": "国有资本经营本级",
    "s:capital_transfer": "上级国有资本经营转移支付", "s:special_account": "财政专户核拨", "s:business": "事业收入",
    "s:superior_subsidy": "上级补助收入", "s:affiliated": "附属单位上缴收入", "s:operating": "事业单位经营收入",
    "s:other": "其他收入", "s:carryover_special_account": "财政专户结转结余", "s:carryover_unit": "单位资金结转结余",
}
_NUMBERING = re.compile(r"^\s*(?:[0-9]+[.、．]|[一二三四五六七八九十]+[、.．]|[（(][0-9一二三四五六七八九十]+[）)])\s*")


def _label(table: Table, key: str) -> str:
    row = table.row(key)
    if row is not None:
        text = strip_numbering(_NUMBERING, row_label(row)).replace(" ", "")
        return text.removeprefix("其中：").removeprefix("其中:") or KEY_LABELS.get(key, key)
    return KEY_LABELS.get(key, key)


def _expenditure_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.key.startswith("f:")]


# ------------------------------------------------------------------ T1

for _target, _suffix, _title in [
    ("s:current_year", "INCOME.CURRENT", "本年收入等于各项收入之和"),
    ("s:general_budget", "INCOME.GENERAL", "一般公共预算拨款等于一般财力加上级转移支付"),
    ("s:fund_budget", "INCOME.FUND", "政府性基金预算拨款等于本级加上级转移支付"),
    ("s:capital_budget", "INCOME.CAPITAL", "国有资本经营预算拨款等于本级加上级转移支付"),
    ("s:unit_funds", "INCOME.UNIT", "单位资金等于其各项收入之和"),
    ("s:carryover", "INCOME.CARRYOVER", "上年结转结余等于财政拨款结转加非财政拨款结转结余"),
    ("s:carryover_fiscal", "INCOME.CARRYOVER_FISCAL", "财政拨款结转等于三本预算结转之和"),
    ("s:carryover_nonfiscal", "INCOME.CARRYOVER_NONFISCAL", "非财政拨款结转结余等于财政专户与单位资金结转结余之和"),
    ("income_total", "INCOME.TOTAL", "收入总计等于本年收入加上年结转结余"),
    ("s:fiscal", "INCOME.FISCAL", "财政拨款收入等于三本预算拨款之和"),
]:
    group_rule("income_expenditure", _suffix, _title, _target, T1_PARTS)


def _sum_expenditure(kind: str, suffix: str, title: str, columns: tuple[str, ...]):
    def check(ctx: Context) -> Iterator[Hit]:
        table = ctx.table(kind)
        # a final account's 总计 adds 结余分配 and 年末结转和结余: its classes add up to 本年支出合计
        current = ctx.row(table, "expenditure_current_year") if table and ctx.disclosure.phase == "final" else None
        row = current or (ctx.row(table, "expenditure_total") if table else None)
        parts = _expenditure_rows(table) if table else []
        if row is None or not parts:
            return
        for col in columns:
            expected = sum_rows(parts, col)
            if not ctx.differs(amount(row, col), expected, table.unit):
                continue  # the usual case: the inputs are built only for a hit (as mismatch would)
            hit = mismatch(ctx, table, row, col, expected, "各功能分类类级科目之和",
                           {row_label(r): amount(r, col) for r in parts if amount(r, col)})
            if hit:
                yield unlisted(hit)

    check.__doc__ = title
    rule(f"{TABLE_IDS[kind]}.{suffix}", f"{KINDS[kind]}：{title}", "fatal", "within-table", reads=(kind,))(check)


def _balance(kind: str, title: str, expenditure_column: str):
    def check(ctx: Context) -> Iterator[Hit]:
        table = ctx.table(kind)
        if table is None:
            return
        inc, exp = ctx.row(table, "income_total"), ctx.row(table, "expenditure_total")
        if inc is None or exp is None:
            return
        stated = amount(exp, expenditure_column)
        expected = amount(inc, "amount")
        if ctx.differs(stated, expected, table.unit):
            yield Hit(message=f"{table.label}收支不平衡：支出总计 {stated:.2f}{table.unit}，收入总计 {expected:.2f}{table.unit}，"
                              f"相差 {stated - expected:.2f}{table.unit}。",
                      location=(exp.cells.get(expenditure_column).location if exp.cells.get(expenditure_column) else exp.location),
                      subject="expenditure_total", stated=stated, expected=expected,
                      inputs={"收入总计": expected})

    check.__doc__ = title
    rule(f"{TABLE_IDS[kind]}.BALANCE", f"{KINDS[kind]}：{title}", "fatal", "within-table", reads=(kind,))(check)


_sum_expenditure("income_expenditure", "EXPENDITURE.TOTAL", "支出总计等于各类级科目之和", ("amount",))
_balance("income_expenditure", "收入总计等于支出总计", "amount")

# ------------------------------------------------------------------ T4

T4_INCOME = {
    "s:fiscal": ["s:general_budget", "s:fund_budget", "s:capital_budget"],
    "s:carryover_fiscal": ["s:carryover_general", "s:carryover_fund", "s:carryover_capital"],
    "income_total": ["s:fiscal", "s:carryover_fiscal"],
}
group_rule("fiscal_income_expenditure", "INCOME.FISCAL", "财政拨款收入等于三本预算之和", "s:fiscal", T4_INCOME)
group_rule("fiscal_income_expenditure", "INCOME.TOTAL", "收入总计等于财政拨款收入（加上年结转）", "income_total", T4_INCOME)
T4_BUDGETS = ("s:general_budget", "s:fund_budget", "s:capital_budget")
_sum_expenditure("fiscal_income_expenditure", "EXPENDITURE.TOTAL", "支出总计等于各类级科目之和（各列）",
                 ("total", *T4_BUDGETS))
_balance("fiscal_income_expenditure", "收入总计等于支出总计", "total")


@rule("T4.ROW.BUDGETS", f"{KINDS['fiscal_income_expenditure']}：支出各行合计等于三本预算之和", "fatal", "within-table",
      reads=("fiscal_income_expenditure",))
def t4_row_budgets(ctx: Context) -> Iterator[Hit]:
    """支出方每行“合计”= 一般公共预算 + 政府性基金预算 + 国有资本经营预算。"""
    table = ctx.table("fiscal_income_expenditure")
    if table is None:
        return
    for row in table.rows:
        if row.key.startswith("f:") or row.key == "expenditure_total":
            hit = column_identity(ctx, table, row, "total", list(T4_BUDGETS), "三本预算之和")
            if hit:
                yield hit


@rule("T4.BUDGET.BALANCE", f"{KINDS['fiscal_income_expenditure']}：每本预算的收入等于其支出", "fatal", "within-table",
      reads=("fiscal_income_expenditure",))
def t4_budget_balance(ctx: Context) -> Iterator[Hit]:
    """一般公共预算、政府性基金、国有资本经营预算各自的收入（含其上年结转，如列示）等于支出总计行的对应列。
    只有合计的上年结转而未分预算列示时，无法分预算核对，跳过。"""
    table = ctx.table("fiscal_income_expenditure")
    if table is None or ctx.row(table, "expenditure_total") is None:
        return
    per_budget = {"s:general_budget": "s:carryover_general", "s:fund_budget": "s:carryover_fund",
                  "s:capital_budget": "s:carryover_capital"}
    if ctx.row(table, "s:carryover_fiscal") is not None and not any(ctx.row(table, c) for c in per_budget.values()):
        if amount(ctx.row(table, "s:carryover_fiscal"), "amount") != 0:
            return
    exp = ctx.row(table, "expenditure_total")
    for budget, carry in per_budget.items():
        inc = ctx.row(table, budget)
        if inc is None:
            continue
        expected = amount(inc, "amount") + listed(ctx.row(table, carry), "amount")  # no such row: no carry-over
        hit = mismatch(ctx, table, exp, budget, expected, f"收入方“{row_label(inc)}”（含上年结转）",
                       {row_label(inc): amount(inc, "amount")})
        if hit:
            yield hit


# ------------------------------------------------------------------ 三公 (T10, Shanghai)

SANGONG_COLUMNS = ("total", *T4_BUDGETS)
group_rule("sangong", "ROW.TOTAL", "“三公”经费合计等于出国、车辆、接待之和", "sangong:total", SANGONG_PARTS,
           SANGONG_COLUMNS)
group_rule("sangong", "ROW.VEHICLE", "公务用车购置及运行费等于购置费加运行费", "sangong:vehicle", SANGONG_PARTS,
           SANGONG_COLUMNS)
group_rule("sangong_operating", "ROW.TOTAL", "“三公”经费合计等于出国、车辆、接待之和", "sangong:total", SANGONG_PARTS)
group_rule("sangong_operating", "ROW.VEHICLE", "公务用车购置及运行费等于购置费加运行费", "sangong:vehicle", SANGONG_PARTS)


@rule("T10.ROW.SOURCES", f"{KINDS['sangong']}：每行合计等于各资金来源之和", "fatal", "within-table", reads=("sangong",))
def t10_row_sources(ctx: Context) -> Iterator[Hit]:
    """每行“合计”= 一般公共预算 + 政府性基金 + 国有资本经营预算。"""
    table = ctx.table("sangong")
    if table is None:
        return
    dropped = dropped_columns(ctx, table)
    cols = [c for c in T4_BUDGETS if any(c in r.cells for r in table.rows) or c in dropped]
    if not cols or "total" in dropped or all(c in dropped for c in cols):
        return
    for row in table.rows:
        if not row.key.startswith("sangong:"):
            continue  # a reader may keep stray rows (决算 templates add 本年收入合计 …): not 三公 lines
        if blank_group(table, row, "total", SANGONG_PARTS, ctx) is not None:
            continue  # a blank 小计 is reported once, by T10.BLANK_GROUP
        hit = column_identity(ctx, table, row, "total", cols, "各资金来源列之和")
        if hit:
            yield hit


def _blank_group_rule(kind: str, parts: dict[str, list[str]], columns: tuple[str, ...]):
    def check(ctx: Context) -> Iterator[Hit]:
        table = ctx.table(kind)
        if table is None:
            return
        for key in parts:
            row = ctx.row(table, key)
            for col in columns:
                total = blank_group(table, row, col, parts, ctx)
                if total is not None and row is not None:
                    yield Hit(message=f"{table.label}“{row_label(row)}”行“{column_label(table, col)}”列未填金额，"
                                      f"而其组成部分合计 {total:.2f}{table.unit}。", location=cell_location(table, row, col),
                              subject=key, stated=ZERO, expected=total)

    check.__doc__ = "分组行（如“一、财政拨款（补助）”“5.单位资金”“公务用车购置及运行费”）留空而其组成部分有金额：读者无法直接看到合计。其余规则以组成部分之和代替该行。"
    rule(f"{TABLE_IDS[kind]}.BLANK_GROUP", f"{KINDS[kind]}：分组行填写了合计金额", "warning", "within-table",
         reads=(kind,))(check)


_blank_group_rule("income_expenditure", T1_PARTS, ("amount",))
_blank_group_rule("fiscal_income_expenditure", T4_INCOME, ("amount",))
_blank_group_rule("sangong", SANGONG_PARTS, SANGONG_COLUMNS)

__all__ = ["value_of", "blank_group", "group_rule", "column_label"]
