"""A final account (部门决算) against the same year's budget (部门预算), ``yusuan compare BUDGET FINAL``:
the 年初预算 the final account restates must be what the budget published, and a 决算 far from the budget
needs a stated reason. The rules run when the check is given the budget as ``Context.previous`` (a
budget of the same unit and year); otherwise they are silent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from yusuan.rules.narrative_base import placed
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import amount, fmt, function_rows, row_label

ZERO = Decimal(0)
# A 决算 that differs from the published 年初预算 by more than this share of it needs a reason; the final
# layouts set it as ``difference_reason_share`` (profiles/final_common.yaml …), this is the default.
REASON_THRESHOLD = Decimal("0.10")
SANGONG_BUDGET_COLUMNS = ("total", "amount")


def reason_threshold(ctx: Context) -> Decimal:
    """The final layout's ``difference_reason_share`` (an exact decimal), else the default 10%."""
    value = ctx.profile.get("difference_reason_share")
    return REASON_THRESHOLD if value is None else Decimal(str(value))


def fmt_share(share: Decimal) -> str:
    """0.10 → '10', 0.125 → '12.5' (the share as a percentage, without trailing zeros)."""
    text = f"{share * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def budget_of(ctx: Context):
    """The same year's budget given beside a final account, or None."""
    b, d = ctx.previous, ctx.disclosure
    if b is None or d.phase != "final" or b.phase != "budget":
        return None
    if b.budget_year is not None and d.budget_year is not None and b.budget_year != d.budget_year:
        return None
    return b


def published_items(budget) -> dict[str, tuple[str, Decimal]]:
    """The budget's 一般公共预算 by function code (类/款/项) as its 一般公共预算支出表 prints it."""
    table = budget.table("general_expenditure")
    out: dict[str, tuple[str, Decimal]] = {}
    for row in function_rows(table) if table else []:
        code = row.code or row.key[2:]
        value = amount(row, "total")
        if not value.is_nan():
            out[code] = (row_label(row), value)
    return out


@rule("FB.RESTATED.BUDGET", "决算中重述的年初预算数等于同年部门预算公开数", "fatal", "year-over-year",
      reads=("general", "previous"))
def restated_budget(ctx: Context) -> Iterator[Hit]:
    """Each 年初预算 the final account states for a function 项 (and for 一般公共预算财政拨款支出 as a whole)
    equals that 项's 一般公共预算 in the budget as published (its 一般公共预算支出表)."""
    budget = budget_of(ctx)
    if budget is None:
        return
    items = published_items(budget)
    table = budget.table("general_expenditure")
    total_row = table.row("total") if table else None
    for p in placed(ctx, "general:"):
        if not p.subject.endswith(":budget") or p.statement.amount is None:
            continue
        code = p.subject.split(":")[-2]  # general:function:<项>:budget, general:total:budget
        if code == "total":
            published = amount(total_row, "total") if total_row is not None else None
            label = "一般公共预算财政拨款支出"
        else:
            label, published = items.get(code, (code, None))  # type: ignore[assignment]
        if published is None or published.is_nan():
            continue  # the budget does not print it: unknown
        if ctx.differs(p.statement.amount, published):
            yield Hit(message=(f"{p.where()}重述“{label}”的年初预算为{fmt(p.statement.amount)}万元，而{budget.budget_year}年"
                               f"部门预算公开的{table.label}列为{fmt(published)}万元，相差{fmt(p.statement.amount - published)}万元。"),
                      location=p.location, subject=p.subject, stated=p.statement.amount, expected=published)


@rule("FB.RESTATED.SANGONG", "决算“三公”经费预算数等于同年部门预算公开数", "warning", "year-over-year",
      reads=("sangong", "previous"))
def restated_sangong(ctx: Context) -> Iterator[Hit]:
    """The 预算数 column of the final account's 三公 table equals the budget's 三公 table (a budget adjusted
    during the year may differ: a warning)."""
    budget = budget_of(ctx)
    final_table = ctx.table("sangong")
    budget_table = (budget.table("sangong") or budget.table("sangong_operating")) if budget else None
    if final_table is None or budget_table is None:
        return
    column = next((c for c in SANGONG_BUDGET_COLUMNS if c in {x.key for x in budget_table.columns}), None)
    if column is None:
        return
    for row in final_table.rows:
        other = budget_table.row(row.key)
        if other is None or "budget" not in row.cells:
            continue
        stated, published = amount(row, "budget"), amount(other, column)
        if ctx.differs(stated, published, final_table.unit):
            yield Hit(message=(f"{final_table.label}“{row_label(row)}”预算数为{fmt(stated)}{final_table.unit}，而部门预算公开的"
                               f"{budget_table.label}为{fmt(published)}{budget_table.unit}。"),
                      location=row.location, subject=row.key, stated=stated, expected=published)


@rule("FB.DIFF.REASON", "决算数与同年预算公开数相差较大时说明原因", "warning", "year-over-year",
      reads=("general_expenditure", "previous"))
def difference_reason(ctx: Context) -> Iterator[Hit]:
    """A function 项 whose 决算 (一般公共预算财政拨款支出决算表) differs from the budget's published figure by
    more than the profile's ``difference_reason_share`` of it (10% by default) has a reason in the final
    account's text."""
    budget = budget_of(ctx)
    threshold = reason_threshold(ctx)
    table = ctx.table("general_expenditure")
    if budget is None or table is None:
        return
    items = published_items(budget)
    reasons = {p.subject.split(":")[2]: p for p in placed(ctx, "general:function:")
               if not p.subject.endswith(":budget") and (p.statement.reason or "原因" in p.paragraph.text)}
    for row in function_rows(table):
        code = row.code or row.key[2:]
        if len(code) != 7 or code not in items:
            continue
        actual, published = amount(row, "total"), items[code][1]
        if actual.is_nan() or abs(actual - published) <= abs(published) * threshold or code in reasons:
            continue
        yield Hit(message=(f"{table.label}“{row_label(row)}”决算{fmt(actual)}万元，与部门预算公开的{fmt(published)}万元相差"
                           f"{fmt(actual - published)}万元（超过{fmt_share(threshold)}%），但决算说明没有写明原因。"),
                  location=row.location, subject=row.key, stated=actual, expected=published)
