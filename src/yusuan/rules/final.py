"""Checks of final accounts (部门决算) only: the carry-over identities of the 收支总表, the 财政拨款收支总表
and the fund / state-capital tables, the stated 年初预算 against the stated 决算, and the 三公 table's
预算数 / 决算数 against the text. They read the disclosure (composed or published), so they check a
published final account as well as one yusuan prepares; every rule is silent on a budget.

A figure the document does not print is unknown and is not checked (``Context.differs``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from yusuan.amounts import HUNDRED
from yusuan.rules.narrative_base import placed
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import amount, fmt, function_rows, mismatch, row_label

ZERO = Decimal(0)
ROUNDING = Decimal("0.005")  # half of the last printed place (0.01 万元)


def _final(ctx: Context) -> bool:
    return ctx.disclosure.phase == "final"


# ------------------------------------------------------------------ carry-over identities

@rule("FA.T1.CARRYOVER", "收入支出决算总表：年末结转和结余等于年初结转和结余加本年收入（含使用非财政拨款结余）减本年支出和结余分配",
      "fatal", "within-table", reads=("income_expenditure",))
def t1_carryover(ctx: Context) -> Iterator[Hit]:
    """年末结转和结余 = 年初结转和结余 + 本年收入合计 + 使用非财政拨款结余 − 本年支出合计 − 结余分配
    (a row the table does not print is unknown, except 使用非财政拨款结余 and 结余分配, which many
    templates leave out when there is none)."""
    table = ctx.table("income_expenditure") if _final(ctx) else None
    end = ctx.row(table, "carryover_end") if table else None
    if end is None:
        return
    parts = {key: amount(ctx.row(table, key), "amount") for key in ("s:carryover", "s:current_year",
                                                                       "expenditure_current_year")}
    for key in ("nonfiscal_balance_used", "balance_distribution"):
        row = ctx.row(table, key)
        parts[key] = amount(row, "amount") if row is not None else ZERO
    expected = (parts["s:carryover"] + parts["s:current_year"] + parts["nonfiscal_balance_used"]
                - parts["expenditure_current_year"] - parts["balance_distribution"])
    hit = mismatch(ctx, table, end, "amount", expected,
                   "年初结转和结余＋本年收入合计＋使用非财政拨款结余－本年支出合计－结余分配",
                   {"年初结转和结余": parts["s:carryover"], "本年收入合计": parts["s:current_year"],
                    "使用非财政拨款结余": parts["nonfiscal_balance_used"],
                    "本年支出合计": parts["expenditure_current_year"], "结余分配": parts["balance_distribution"]})
    if hit:
        yield hit


# T4's columns on the expenditure side → (its income row, its 年初结转 row)
T4_COLUMNS = {"total": ("s:fiscal", "s:carryover_fiscal"), "s:general_budget": ("s:general_budget", "s:carryover_general"),
              "s:fund_budget": ("s:fund_budget", "s:carryover_fund"),
              "s:capital_budget": ("s:capital_budget", "s:carryover_capital")}


@rule("FA.T4.CARRYOVER", "财政拨款收入支出决算总表：年末财政拨款结转和结余等于年初结转和结余加本年收入减本年支出",
      "fatal", "within-table", reads=("fiscal_income_expenditure",))
def t4_carryover(ctx: Context) -> Iterator[Hit]:
    """For 财政拨款 as a whole and for each of the three budgets: 年末财政拨款结转和结余 = 年初财政拨款结转和结余
    + 本年收入 − 本年支出 (财政拨款 has no 结余分配)."""
    table = ctx.table("fiscal_income_expenditure") if _final(ctx) else None
    end = ctx.row(table, "carryover_end") if table else None
    spent = ctx.row(table, "expenditure_current_year") if table else None
    if end is None or spent is None:
        return
    for column, (income_key, start_key) in T4_COLUMNS.items():
        if column not in end.cells:
            continue
        income = amount(ctx.row(table, income_key), "amount")
        start = amount(ctx.row(table, start_key), "amount")
        out = amount(spent, column)
        hit = mismatch(ctx, table, end, column, start + income - out, "年初结转和结余＋本年收入－本年支出",
                       {"年初结转和结余": start, "本年收入": income, "本年支出": out})
        if hit:
            yield hit


def _fund_like(kind: str, rule_id: str, title: str):
    @rule(rule_id, title, "fatal", "within-table", reads=(kind,))
    def check(ctx: Context) -> Iterator[Hit]:
        table = ctx.table(kind) if _final(ctx) else None
        if table is None or not {"carryover_start", "income_current", "carryover_end"} <= {c.key for c in table.columns}:
            return
        for row in function_rows(table) + [r for r in table.rows if r.role == "total"]:
            start, income, out = (amount(row, k) for k in ("carryover_start", "income_current", "total"))
            hit = mismatch(ctx, table, row, "carryover_end", start + income - out, "年初结转和结余＋本年收入－本年支出",
                           {"年初结转和结余": start, "本年收入": income, "本年支出": out})
            if hit:
                yield hit

    check.__doc__ = "Each row: 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出（小计）."
    return check


_fund_like("fund_expenditure", "FA.T8.CARRYOVER", "政府性基金预算财政拨款收入支出决算表：各行年末结转和结余等于年初加本年收入减本年支出")
_fund_like("capital_expenditure", "FA.T9.CARRYOVER", "国有资本经营预算财政拨款收入支出决算表：各行年末结转和结余等于年初加本年收入减本年支出")


# ------------------------------------------------------------------ 支出决算表: every kind of spending

SPENDING_KINDS = ("basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy")


@rule("FA.T3.KINDS", "支出决算表：本年支出合计等于基本支出、项目支出、上缴上级支出、经营支出和对附属单位补助支出之和",
      "fatal", "within-table", reads=("expenditure",))
def t3_kinds(ctx: Context) -> Iterator[Hit]:
    """Each row of a final account's 支出决算表 that prints 上缴上级/经营/对附属单位补助 columns: the total is
    the sum of all five kinds (basic + project alone is checked by the budget rules)."""
    table = ctx.table("expenditure") if _final(ctx) else None
    if table is None:
        return
    printed = [k for k in SPENDING_KINDS if k in {c.key for c in table.columns}]
    if not set(printed) - {"basic", "project"}:
        return
    for row in table.rows:
        if "total" not in row.cells:
            continue
        parts = {k: amount(row, k) for k in printed}
        hit = mismatch(ctx, table, row, "total", sum(parts.values(), ZERO), "各类支出之和", parts)
        if hit:
            yield hit


# ------------------------------------------------------------------ 年初预算 and 决算 in the text

def _budget_pairs(ctx: Context, prefix: str):
    """(statement of the 决算, statement of its 年初预算) printed in the same paragraph."""
    by_paragraph: dict[int, dict[str, object]] = {}
    for p in placed(ctx, prefix):
        by_paragraph.setdefault(id(p.paragraph), {})[p.subject] = p
    for subjects in by_paragraph.values():
        for subject, p in subjects.items():
            if subject.endswith(":budget"):
                continue
            b = subjects.get(f"{subject}:budget")
            if b is not None and p.statement.amount is not None and b.statement.amount is not None:  # type: ignore[union-attr]
                yield p, b


@rule("FA.TEXT.BUDGET_ITEMS", "一般公共预算财政拨款支出年初预算等于各项级科目年初预算之和（各项均有说明时）",
      "warning", "text", reads=("general",))
def budget_items_sum(ctx: Context) -> Iterator[Hit]:
    """When the text gives the 年初预算 of every 项 the 一般公共预算财政拨款支出决算表 prints, they add up to the
    年初预算 it states for the whole (a list of only the main items is not checked)."""
    if not _final(ctx):
        return
    pairs = list(_budget_pairs(ctx, "general:"))
    whole = next((b for p, b in pairs if p.subject == "general:total"), None)
    items = {p.subject.rsplit(":", 1)[1]: b for p, b in pairs if len(p.subject.rsplit(":", 1)[1]) == 7}
    table = ctx.table("general_expenditure")
    if whole is None or not items or table is None:
        return
    printed = {r.code or r.key[2:] for r in function_rows(table) if len(r.code or r.key[2:]) == 7 and amount(r, "total")}
    if not printed or not printed <= set(items):
        return
    total = sum((items[c].statement.amount for c in printed), ZERO)
    stated = whole.statement.amount
    # each figure is rounded to 0.01 万元 on its own: their sum may drift by half a cent per figure
    if abs(stated - total) > ROUNDING * (len(printed) + 1):
        yield Hit(message=(f"{whole.where()}写明一般公共预算财政拨款支出年初预算为{fmt(stated)}万元，而各项级科目的年初预算之和为"
                           f"{fmt(total)}万元，相差{fmt(stated - total)}万元。"),
                  location=whole.location, subject="general:total:budget", stated=stated, expected=total)


@rule("FA.TEXT.REASON", "决算数与年初预算数不同时说明原因", "warning", "completeness", reads=("general", "sangong"))
def reason_given(ctx: Context) -> Iterator[Hit]:
    """A 项 (or 三公 item) whose stated 决算 differs from its stated 年初预算 gives the reason for the difference
    in the same paragraph."""
    if not _final(ctx):
        return
    for p, b in _budget_pairs(ctx, ""):
        actual, budget = p.statement.amount, b.statement.amount
        if not ctx.differs(actual, budget):
            continue
        if p.statement.reason or "原因" in p.paragraph.text:
            continue
        yield Hit(message=(f"{p.where()}“{p.statement.label or p.subject}”年初预算{fmt(budget)}万元、决算{fmt(actual)}万元，"
                           f"相差{fmt(actual - budget)}万元，但没有说明原因。"),
                  location=p.location, subject=p.subject, stated=actual, expected=budget)


# ------------------------------------------------------------------ 三公: table against text

SANGONG_SUBJECTS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


@rule("FA.SANGONG.TEXT", "“三公”经费决算说明中的预算数、决算数与“三公”经费支出决算表一致", "fatal", "text-vs-table",
      reads=("sangong",))
def sangong_text(ctx: Context) -> Iterator[Hit]:
    """The 决算 (and 预算) the 三公 section states for the total and each item equal the 决算数 (预算数) column of
    the 三公 table."""
    table = ctx.table("sangong") if _final(ctx) else None
    if table is None or not {"actual", "budget"} & {c.key for c in table.columns}:
        return
    seen: set[str] = set()
    for p in placed(ctx, "sangong:"):
        subject = p.subject
        column = "budget" if subject.endswith(":budget") else "actual"
        item = subject.removeprefix("sangong:").removesuffix(":budget")
        row = ctx.row(table, f"sangong:{item}") if item in SANGONG_SUBJECTS else None
        if row is None or column not in row.cells or p.statement.amount is None or subject in seen:
            continue
        seen.add(subject)
        expected = amount(row, column)
        if ctx.differs(p.statement.amount, expected, table.unit):
            word = "预算数" if column == "budget" else "决算数"
            yield Hit(message=(f"{p.where()}写明{p.statement.label or row_label(row)}{word}为{fmt(p.statement.amount)}万元，"
                               f"而{table.label}“{row_label(row)}”行“{word}”列为{fmt(expected)}{table.unit}。"),
                      location=p.location, subject=subject, stated=p.statement.amount, expected=expected)


@rule("FA.SANGONG.REASON", "“三公”经费决算数与预算数不同时说明原因", "warning", "completeness", reads=("sangong",))
def sangong_reason(ctx: Context) -> Iterator[Hit]:
    """The 三公 table's 决算数 differs from its 预算数: the 三公 section gives a reason (主要原因 …)."""
    table = ctx.table("sangong") if _final(ctx) else None
    row = ctx.row(table, "sangong:total") if table else None
    if row is None or not {"actual", "budget"} <= set(row.cells):
        return
    actual, budget = amount(row, "actual"), amount(row, "budget")
    if not ctx.differs(actual, budget, table.unit):
        return
    section = ctx.disclosure.section("sangong")
    text = "".join(p.text for p in section.paragraphs) if section else ""
    if "原因" in text:
        return
    rate = f"，完成预算的{actual / budget * HUNDRED:.2f}%" if budget else ""
    yield Hit(message=(f"{table.label}“三公”经费决算数{fmt(actual)}{table.unit}、预算数{fmt(budget)}{table.unit}{rate}，"
                       f"但“三公”经费说明没有说明决算数与预算数不同的原因。"),
              location=row.location, subject="sangong:total", stated=actual, expected=budget)
