"""Across years (Y.PREVIOUS.*): the last-year figures this year's package states against what last
year's package published (``yusuan check/audit --previous``).

A budget's narrative compares each figure with last year's (上年预算数), stated or implied by
amount − change. Those figures were published a year earlier, in last year's package, as that year's
own amounts. A difference is not always a mistake (last year's budget may have been adjusted during
the year, and some regions compare with 上年执行数), so it is a warning carrying both figures and both
places. Only figures both packages print are compared: a subject last year's package does not print
is unknown, not zero.

The rules run only when the check is given last year's disclosure (``Context.previous``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator, NamedTuple

from yusuan.disclosure import Disclosure, Location
from yusuan.rules.narrative_base import amount_wan, field_wan, implied_last_year, placed, show
from yusuan.rules.registry import Context, Hit, rule

# Printed to 0.01: an implied last-year figure (amount − change) carries two roundings.
ROUNDED_TERM = Decimal("0.01")


class Published(NamedTuple):
    amount: Decimal  # 万元
    where: str  # Chinese, for messages


def previous_context(ctx: Context) -> Context | None:
    """A Context over last year's disclosure (its own indexes), built once per check."""
    if ctx.previous is None:
        return None
    return ctx.cached(("previous_ctx",), lambda: Context(disclosure=ctx.previous, settings=ctx.settings,
                                                         profile=ctx.profile))


def _where(d: Disclosure, loc: Location | None) -> str:
    year = f"{d.budget_year}年" if d.budget_year else "上年"
    place = loc.describe() if loc is not None else ""
    return f"{year}公开文件{('（' + place + '）') if place else ''}"


def published(ctx: Context, subject: str) -> Published | None:
    """What last year's package printed for ``subject``: its table figure where a table holds it
    (tables are what a reader reads most surely), else the amount its narrative states."""
    from yusuan.rules.narrative import lookup

    prev = previous_context(ctx)
    if prev is None:
        return None
    figures = ctx.cached(("previous_statements",), lambda: _statement_amounts(prev))
    ref = lookup(prev, subject)
    if ref is not None and not ref.absent:
        return Published(ref.value, f"{_where(prev.disclosure, None)}{ref.where}")
    return figures.get(subject)


def _statement_amounts(prev: Context) -> dict[str, Published]:
    out: dict[str, Published] = {}
    for p in placed(prev):
        value = amount_wan(p.statement)
        if value is not None and p.subject not in out:
            out[p.subject] = Published(value, f"{_where(prev.disclosure, p.statement.location)}“{p.statement.text[:40]}”")
    return out


@rule("Y.PREVIOUS.TEXT", "说明中的上年数 = 上年公开文件中的本年数", "warning", "year-over-year", reads=("previous",))
def stated_last_year(ctx: Context) -> Iterator[Hit]:
    if ctx.previous is None or not comparable(ctx.disclosure, ctx.previous):
        return  # another unit's or year's figures would differ everywhere: Y.PREVIOUS.UNIT says so once
    seen: set[str] = set()
    for p in placed(ctx):
        st = p.statement
        last = implied_last_year(st)
        if last is None or p.subject in seen:
            continue
        before = published(ctx, p.subject)
        if before is None:
            continue
        seen.add(p.subject)  # the first statement of a subject speaks for it; repeats restate it
        implied = field_wan(st, "last_year") is None
        slack = ROUNDED_TERM * (2 if implied else 1)
        if abs(last - before.amount) <= slack:
            continue
        how = (f"按本年{show(amount_wan(st))}减变动{show(field_wan(st, 'change'))}推算为{show(last)}"
               if implied else f"写明上年{show(last)}")
        label = st.label or p.subject
        yield Hit(
            f"“{label}”本年说明{how}，而{before.where}为{show(before.amount)}"
            f"（相差{show(last - before.amount)}）。上年数应与上年公开数一致；如上年预算曾调整或按执行数比较，请在说明中注明。",
            location=st.location, subject=p.subject, stated=last, expected=before.amount,
            inputs={"previous": before.where})


@rule("Y.PREVIOUS.UNIT", "上年公开文件属于同一单位、上一年度", "warning", "year-over-year", reads=("previous",))
def same_unit_previous_year(ctx: Context) -> Iterator[Hit]:
    prev = ctx.previous
    if prev is None:
        return
    d = ctx.disclosure
    if d.budget_year and prev.budget_year and prev.budget_year != d.budget_year - 1:
        yield Hit(f"用于比较的上年文件是{prev.budget_year}年的，而本文件为{d.budget_year}年，应比较{d.budget_year - 1}年的文件。",
                  stated=str(prev.budget_year), expected=str(d.budget_year - 1))
    if d.unit_name and prev.unit_name and _name(d.unit_name) != _name(prev.unit_name):
        yield Hit(f"用于比较的上年文件属于“{prev.unit_name}”，本文件属于“{d.unit_name}”，上年数无法对应。",
                  stated=prev.unit_name, expected=d.unit_name)


def comparable(d: Disclosure, prev: Disclosure) -> bool:
    year_ok = not (d.budget_year and prev.budget_year) or prev.budget_year == d.budget_year - 1
    unit_ok = not (d.unit_name and prev.unit_name) or _name(d.unit_name) == _name(prev.unit_name)
    return year_ok and unit_ok


def _name(text: str) -> str:
    return "".join(text.split())
