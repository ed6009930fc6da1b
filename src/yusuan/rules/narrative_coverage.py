"""How much of the narrative the check could see (the report's ``coverage``): the money figures the text prints,
the ones the reader took into statements (a printed figure some statement of its paragraph holds, as amount,
last year's figure or change), and of the statements stating an amount, how many could be tied to
a table figure (the cell the text-vs-table rules compare them with) and how many could not.

A statement no table speaks for (an asset's value, a procurement figure, a final account's 年初预算) is counted
as not tied: the count says what was compared, not what was wrong. Counted per section and in total.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from yusuan.rules.narrative_base import MONEY_UNITS, TEN_THOUSAND, states_initial_budget
from yusuan.rules.registry import Context

# a money figure as printed: 1,234.56万元, 12345678.90元, 1.2亿元 (percentages and counts are not money)
# The look-behind (no digit or point before the figure's first digit) is written after that digit,
# ``\d(?<![\d.]\d)``: the same matches, but the pattern then starts with a digit and the regex engine
# skips to the next digit instead of trying the look-behind at every character (tests/test_rules_speed_invariance.py).
_MONEY = re.compile(r"(\d(?<![\d.]\d)(?:[\d,]*\d)?(?:\.\d+)?)\s*(亿元|万元|元)")
_MONEY_LOOKBEHIND_FIRST = r"(?<![\d.])(\d(?:[\d,]*\d)?(?:\.\d+)?)\s*(亿元|万元|元)"  # the plain form, for the test
_MONEY_FIELDS = ("amount", "last_year", "change")


def printed_money(text: str) -> list[Decimal]:
    """The money figures ``text`` prints, in 万元, in printed order."""
    out: list[Decimal] = []
    if "元" not in text:
        return out
    for number, unit in _MONEY.findall(text):  # \d and Decimal take full-width digits as they are
        try:
            value = Decimal(number.replace(",", "") if "," in number else number)
        except InvalidOperation:
            continue
        out.append(value / TEN_THOUSAND if unit == "元" else value * TEN_THOUSAND if unit == "亿元" else value)
    return out


def tied(ctx: Context, subject: str) -> bool:
    """Whether a table figure stands behind ``subject`` (what the text-vs-table rules compare it with)."""
    from yusuan.rules.narrative import lookup_in, project_name, t7_match

    return _tied(ctx, subject, lookup_in, project_name, t7_match)


def _tied(ctx: Context, subject: str, lookup_in, project_name, t7_match) -> bool:
    # the narrative functions passed in: imported once per check, not once per statement (a cycle at import time)
    parsed = project_name(subject)
    if parsed is not None:
        return parsed[1] == "scale" and ctx.table("general_project") is not None and bool(t7_match(ctx, parsed[0]))
    try:
        return lookup_in(ctx, subject) is not None
    except Exception:  # noqa: BLE001 - a malformed subject ties to nothing (its rules report it)
        return False


def narrative_coverage(ctx: Context) -> dict:
    """``{"printed", "read", "amounts", "tied", "untied", "sections": [...]}`` for the check's disclosure."""
    from yusuan.rules.narrative import lookup_in, project_name, t7_match

    final = ctx.disclosure.phase == "final"
    # a subject stated in several paragraphs is tied or not once (this call's answers, not kept after it)
    tied_of: dict[str, bool] = {}
    sections = []
    for section in ctx.disclosure.sections:
        printed = read = amounts = linked = 0
        for paragraph in section.paragraphs:
            figures = printed_money(paragraph.text)
            printed += len(figures)
            if not paragraph.statements:
                continue
            # One walk over the statements for both counts: the money figures they hold, in 万元 (a change as
            # its size), and, of those stating an amount, whether a table figure stands behind them.
            # ``held`` is a list, not a set: a paragraph holds a few figures, and hashing a Decimal (not
            # cached for a new one) costs twenty comparisons; ``in`` compares by value either way.
            held: list[Decimal] = []
            for st in paragraph.statements:
                unit = st.unit
                if unit not in MONEY_UNITS:
                    continue
                amount = st.amount
                # = field_wan(st, name) for each of _MONEY_FIELDS, read directly (three attributes of ~200 statements)
                for value in (amount, st.last_year, st.change):
                    if value is None or value.is_nan():
                        continue
                    held.append(abs(value / TEN_THOUSAND if unit == "元" else value))
                if amount is None:
                    continue
                amounts += 1
                if final and states_initial_budget(st):
                    continue
                subject = st.subject
                is_tied = tied_of.get(subject)
                if is_tied is None:
                    is_tied = tied_of[subject] = _tied(ctx, subject, lookup_in, project_name, t7_match)
                if is_tied:
                    linked += 1
            for v in figures:
                if v in held:
                    read += 1
        if printed or read or amounts:
            sections.append({"section": section.id, "title": section.title, "printed": printed, "read": read,
                             "amounts": amounts, "tied": linked, "untied": amounts - linked})
    total = {k: sum(s[k] for s in sections) for k in ("printed", "read", "amounts", "tied", "untied")}
    return {**total, "sections": sections}


def coverage_line(coverage: dict | None) -> str:
    """The report's one line on it, in Chinese."""
    if not coverage:
        return ""
    return (f"文字部分：印出金额 {coverage['printed']} 个，读出 {coverage['read']} 个；"
            f"写明金额的陈述 {coverage['amounts']} 条，其中 {coverage['tied']} 条与表格数字对应核对，"
            f"{coverage['untied']} 条无对应表格数字。")
