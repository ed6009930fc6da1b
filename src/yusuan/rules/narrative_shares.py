"""Shares (占比) in Part 3: recomputed from the stated amount and the whole, and the 100% families.

Rounding: the profile's ``share_rounding`` (``half_up`` by default, ``largest_remainder`` where a
region adjusts shares of one whole to add up to exactly 100%). Every message says which was assumed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from yusuan.amounts import HUNDRED, largest_remainder, percent
from yusuan.rules.narrative_base import (
    ROUNDING_LABEL, ZERO, Placed, amount_wan, cell_wan, first, pct, placed, rounding_note, rounding_slack,
    share_rounding, show, stated_text,
)
from yusuan.rules.registry import Context, Hit, rule

# A group subject and the sources it includes: a list naming both would count them twice.
INCOME_CHILDREN = {
    "fiscal": ("general_budget", "fund_budget", "capital_budget", "general", "general_transfer", "fund",
               "fund_transfer", "capital", "capital_transfer"),
    "general_budget": ("general", "general_transfer"),
    "fund_budget": ("fund", "fund_transfer"),
    "capital_budget": ("capital", "capital_transfer"),
    "unit_funds": ("business", "superior_subsidy", "affiliated", "operating", "other"),
    "carryover": ("carryover_fiscal", "carryover_nonfiscal", "carryover_general", "carryover_fund",
                  "carryover_capital", "carryover_special_account", "carryover_unit"),
    "carryover_fiscal": ("carryover_general", "carryover_fund", "carryover_capital"),
    "carryover_nonfiscal": ("carryover_special_account", "carryover_unit"),
    "current_year": ("general_budget", "fund_budget", "capital_budget", "special_account", "unit_funds", "general",
                     "general_transfer", "fund", "fund_transfer", "capital", "capital_transfer", "business",
                     "superior_subsidy", "affiliated", "operating", "other"),
}

FAMILY_LABELS = {"income": "收入来源", "expenditure": "基本支出与项目支出", "general_class": "一般公共预算支出结构（类）"}


def whole_of(subject: str, share_of: str | None) -> str | None:
    if share_of:
        return share_of
    if subject.startswith("income:") or subject in ("expenditure:basic", "expenditure:project"):
        return "total"
    if subject.startswith("general:function:") and len(subject.rsplit(":", 1)[-1]) == 3:
        return "general:total"
    return None


def family_of(subject: str) -> str:
    if subject.startswith("income:"):
        return "income"
    if subject in ("expenditure:basic", "expenditure:project"):
        return "expenditure"
    if subject.startswith("general:function:") and len(subject.rsplit(":", 1)[-1]) == 3:
        return "general_class"
    return subject


# A final account's shares of income and spending are of the current year's (本年收入合计 / 本年支出合计):
# its 总计 adds the carry-over (年初/年末结转和结余).
FINAL_CURRENT_YEAR = {"income": "s:current_year", "expenditure": "expenditure_current_year"}


def whole_value(ctx: Context, whole: str, family: str | None = None) -> tuple[Decimal, str] | None:
    """The figure a share is of, and where it is printed; once per whole and family per check (three rules ask)."""
    return ctx.cached(("whole_value", whole, family), lambda: _whole_value(ctx, whole, family))


def _whole_value(ctx: Context, whole: str, family: str | None = None) -> tuple[Decimal, str] | None:
    from yusuan.rules.narrative import lookup_in

    if whole == "total" and ctx.disclosure.phase == "final" and family in FINAL_CURRENT_YEAR:
        t1 = ctx.table("income_expenditure")
        row = t1.row(FINAL_CURRENT_YEAR[family]) if t1 is not None else None
        value = cell_wan(t1, row.key, "amount") if row is not None else None
        if value is not None:
            return value, f"{t1.label}“{row.name.strip()}”行"
    p = first(ctx, whole)
    if p is not None:
        return amount_wan(p.statement), f"{p.where()}写明的{p.statement.label or whole}"
    ref = lookup_in(ctx, whole)
    if ref is not None:
        return ref.value, ref.where
    return None


def income_breakdowns_removed(parts: list[Placed]) -> list[Placed]:
    """One statement per subject; a group's sources dropped when the text gives the group too and the
    sources add up to it (a breakdown, not separate money). When they do not add up, the group label
    is presumably used for one of its sources (“一般公共预算” for 一般财力) and all are kept."""
    seen: dict[str, Placed] = {}
    for p in parts:
        seen.setdefault(p.subject, p)
    drop: set[str] = set()
    for subject, p in seen.items():
        if not subject.startswith("income:"):
            continue
        children = [f"income:{c}" for c in INCOME_CHILDREN.get(subject.split(":", 1)[1], ()) if f"income:{c}" in seen]
        if not children:
            continue
        total = sum((amount_wan(seen[c].statement) or ZERO for c in children), ZERO)
        if abs(total - (amount_wan(p.statement) or ZERO)) <= Decimal("0.005") * (len(children) + 1):
            drop.update(children)
    return [p for s, p in seen.items() if s not in drop]


_dedupe = income_breakdowns_removed


def families(ctx: Context) -> dict[tuple[str, str], list[Placed]]:
    """(whole, family) → the statements giving a share of it; once per check (three rules read it: callers
    must not change it)."""
    return ctx.cached(("share_families",), lambda: _families(ctx))


def _families(ctx: Context) -> dict[tuple[str, str], list[Placed]]:
    out: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for p in placed(ctx):
        st = p.statement
        if st.share is None or st.amount is None:
            continue
        whole = whole_of(p.subject, st.share_of)
        if whole is None:
            continue
        out[(whole, family_of(p.subject))].append(p)
    return {k: _dedupe(v) for k, v in out.items()}


def share_printed_with_amount(st) -> bool:
    """The statement's text prints its share shortly after its amount (or it has no text to check)."""
    if not st.text or st.amount is None or st.share is None:
        return True
    text = re.sub(r"[\s,，]", "", st.text)
    pattern = re.escape(f"{st.amount:f}") + r"万?元?[^0-9%]{0,20}?" + re.escape(f"{st.share:f}") + "%"
    return re.search(pattern, text) is not None


def _complete(ctx: Context, parts: list[Placed], whole: Decimal) -> bool:
    return not ctx.differs(sum((amount_wan(p.statement) for p in parts), ZERO), whole)


@rule("N.SHARE", "占比按金额和总数重算一致", "fatal", "text-vs-table", reads=("income", "expenditure", "general"))
def shares(ctx: Context) -> Iterator[Hit]:
    """A stated share equals amount ÷ whole × 100, rounded as the profile says (half-up by default)."""
    mode = share_rounding(ctx.profile)
    for (whole_key, family), parts in families(ctx).items():
        whole = whole_value(ctx, whole_key, family)
        if whole is None or whole[0] == 0:
            continue
        whole_amount, whole_where = whole
        # a share read from a file is judged only where it is printed with its amount (“6.2万元，占0.21%”):
        # a share the reading attached to another clause's amount is no evidence of a wrong share
        if ctx.disclosure.origin == "read":
            parts = [p for p in parts if share_printed_with_amount(p.statement)]
        amounts = [amount_wan(p.statement) for p in parts]
        adjusted = None
        if mode == "largest_remainder" and len(parts) > 1 and _complete(ctx, parts, whole_amount):
            adjusted = largest_remainder(amounts)
        for i, p in enumerate(parts):
            half_up = percent(amounts[i], whole_amount)
            expected = adjusted[i] if adjusted is not None else half_up
            if abs(p.statement.share - expected) <= ctx.settings.rate_tolerance:
                continue
            used = ROUNDING_LABEL["largest_remainder" if adjusted is not None else "half_up"]
            alt = ""
            if adjusted is not None and abs(p.statement.share - half_up) <= ctx.settings.rate_tolerance:
                alt = f"（与单纯四舍五入结果{pct(half_up)}一致，但本地区版式要求最大余额法）"
            yield Hit(
                message=(f"{p.where()}写明“{p.statement.label or p.subject}”{stated_text(p.statement.amount)}"
                         f"{p.statement.unit}占{pct(p.statement.share)}，而按{show(amounts[i])}÷{show(whole_amount)}"
                         f"（{whole_where}）×100、{used}应为{pct(expected)}{alt}。"),
                location=p.location, subject=p.subject, stated=p.statement.share, expected=expected,
                inputs={"金额": amounts[i], "总数": whole_amount, "舍入": used},
            )


def _rounding_only(parts: list[Placed], rounded: list[Decimal], ctx: Context) -> bool:
    """Every share is its own figure rounded as the profile states, and the sum misses 100% by no more than the
    rounding of that many terms (half a hundredth each)."""
    if any(abs(p.statement.share - r) > ctx.settings.rate_tolerance for p, r in zip(parts, rounded)):
        return False
    stated_sum = sum((p.statement.share for p in parts), ZERO)
    return abs(stated_sum - HUNDRED) <= Decimal("0.005") * len(parts)


@rule("N.SHARE.SUM", "应合计为100%的占比合计为100%", "warning", "text-vs-table", reads=("income", "expenditure", "general"))
def shares_total(ctx: Context) -> Iterator[Hit]:
    """Shares of one whole whose amounts add up to the whole (income sources, 基本+项目, general 类) sum to 100%.
    Shares each rounded half-up, as the profile's ``share_rounding`` says, may add up to 99.99% or 100.01% by
    that rounding alone (at most 0.005 per share): that is a rounding note (N.SHARE.SUM.ROUNDING, info), not a
    contradiction — the one rounding policy (docs/rules.md). A region that adjusts shares to 100%
    (``largest_remainder``) is still told."""
    for hit, rounding_only in _share_sums(ctx):
        if not rounding_only:
            yield hit


@rule("N.SHARE.SUM.ROUNDING", "占比合计因四舍五入不为100%（舍入说明）", "info", "text-vs-table",
      reads=("income", "expenditure", "general"))
def shares_total_rounding(ctx: Context) -> Iterator[Hit]:
    """Shares each rounded half-up that add up to 99.99% or 100.01% by that rounding alone."""
    for hit, rounding_only in _share_sums(ctx):
        if rounding_only:
            yield hit


def _share_sums(ctx: Context) -> list[tuple[Hit, bool]]:
    return ctx.cached(("share_sums",), lambda: list(_compute_share_sums(ctx)))


def _compute_share_sums(ctx: Context) -> Iterator[tuple[Hit, bool]]:
    mode = share_rounding(ctx.profile)
    for (whole_key, family), parts in families(ctx).items():
        if len(parts) < 2:
            continue
        whole = whole_value(ctx, whole_key, family)
        if whole is None or whole[0] == 0 or not _complete(ctx, parts, whole[0]):
            continue
        stated_sum = sum((p.statement.share for p in parts), ZERO)
        if stated_sum == HUNDRED:
            continue
        amounts = [amount_wan(p.statement) for p in parts]
        half_up = [percent(a, whole[0]) for a in amounts]
        adjusted = largest_remainder(amounts)
        rounding_only = mode == "half_up" and _rounding_only(parts, half_up, ctx)
        listing = "、".join(f"{p.statement.label or p.subject}{pct(p.statement.share)}" for p in parts)
        yield Hit(
            message=(f"{parts[0].where()}起列出的{FAMILY_LABELS.get(family, family)}占比（{listing}）合计{pct(stated_sum)}，"
                     f"不等于100%，而各项金额合计正好等于总数{show(whole[0])}。本检查按{ROUNDING_LABEL[mode]}："
                     f"四舍五入各项应为{'、'.join(pct(v) for v in half_up)}（合计{pct(sum(half_up, ZERO))}），"
                     f"按最大余额法调整为{'、'.join(pct(v) for v in adjusted)}（合计100.00%）。"
                     + ("各项占比均为正确的四舍五入值，合计差异仅由舍入造成。" if rounding_only else "")),
            location=parts[0].location, subject=f"{whole_key}:shares", stated=stated_sum, expected=HUNDRED,
            inputs={"舍入": ROUNDING_LABEL[mode]}, quote=_first_clause(ctx, parts, "share"),
        ), rounding_only


@rule("N.SHARE.PARTS", "列出占比的各项金额合计等于总数", "warning", "text-vs-table", reads=("income", "expenditure", "general"))
def share_parts(ctx: Context) -> Iterator[Hit]:
    """Parts listed with shares of one whole cover the whole; otherwise an item is missing or counted twice."""
    for (whole_key, family), parts in families(ctx).items():
        if len(parts) < 2:
            continue
        whole = whole_value(ctx, whole_key, family)
        if whole is None or _complete(ctx, parts, whole[0]):
            continue
        total = sum((amount_wan(p.statement) for p in parts), ZERO)
        listing = "、".join(f"{p.statement.label or p.subject}{stated_text(p.statement.amount)}" for p in parts)
        slack = rounding_slack(ctx, total - whole[0], [amount_wan(p.statement) for p in parts])
        why = rounding_note(slack) if slack is not None else "有项目漏列或重复计算"
        yield Hit(
            message=(f"{parts[0].where()}起按占比列出的{FAMILY_LABELS.get(family, family)}（{listing}）合计{show(total)}，"
                     f"而总数为{show(whole[0])}（{whole[1]}），相差{show(total - whole[0])}：{why}。"),
            location=parts[0].location, subject=f"{whole_key}:parts", stated=total, expected=whole[0],
            quote=_first_clause(ctx, parts, "amount"),
        )


def _first_clause(ctx: Context, parts: list[Placed], field: str) -> str | None:
    """The printed clause of the first listed part: a sum of shares or amounts is derived, not printed, so the
    finding quotes where the list it read begins (from the paragraph as printed, not as normalised)."""
    from yusuan.rules import quotes

    st, loc = parts[0].statement, parts[0].location
    paragraph = quotes.paragraph_at(quotes.index_of(ctx), loc) if loc is not None else None
    text = paragraph.text if paragraph is not None else st.text
    return quotes.statement_clause(text, st, getattr(st, field)) if text else None
