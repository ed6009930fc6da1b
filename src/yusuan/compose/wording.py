"""Sentence pieces shared by all narrative builders: amounts, shares, year-over-year comparisons.

Rules (DOMAIN.md): two decimals half-up; the direction word follows the sign (增加/减少, 增长/下降,
持平); growth from a zero base uses the profile's wording and never divides; a missing reason is
left out of the sentence (``reason=None`` on the statement), never filled with a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.amounts import direction_word, fmt_amount, growth_rate, largest_remainder, percent
from yusuan.compose.phrasing import change_clause
from yusuan.model import PriorYear
from yusuan.profiles import Profile

ZERO = Decimal(0)


def money(value: Decimal) -> str:
    return f"{fmt_amount(value)}万元"


def pct(value: Decimal) -> str:
    return f"{abs(value):.2f}%"


def shares(parts: list[Decimal], whole: Decimal, profile: Profile) -> list[Decimal | None]:
    """Shares in percent, half-up; or largest-remainder when the profile asks and the parts make the whole."""
    if whole == 0:
        return [None for _ in parts]
    if profile.share_rounding == "largest_remainder" and sum(parts, ZERO) == whole:
        return list(largest_remainder(parts))
    return [percent(p, whole) for p in parts]


@dataclass
class Comparison:
    text: str = ""  # "比上年预算增加1.00万元，增长5.00%" ("" when last year is unknown)
    fields: dict = field(default_factory=dict)  # Statement fields: last_year, change, rate, words, zero_base
    reason: str | None = None

    def reason_clause(self, intro: str, sep: str = "，") -> str:
        return f"{sep}{intro}{self.reason}" if self.reason else ""


def compare(current: Decimal, prior: PriorYear | None, profile: Profile, year: int, prefix: str | None = None,
            family: str = "standard") -> Comparison:
    if prior is None:
        return Comparison()
    w = profile.wording
    last_year = str(year - 1)
    prefix = (prefix or w.compare_prefix).format(last_year=last_year)
    change = current - prior.amount
    reason = prior.reason.strip().rstrip("。；;，,") if prior.reason and prior.reason.strip() else None
    fields: dict = {"last_year": prior.amount, "change": change}
    if change == 0:
        fields.update(change_word="持平")
        return Comparison(w.same.format(last_year=last_year), fields, reason)
    if prior.amount == 0:
        fields.update(change_word="增加", zero_base=w.zero_base)
        return Comparison(prefix + w.zero_base_template.format(change=fmt_amount(change)), fields, reason)
    rate = growth_rate(current, prior.amount)
    change_word = direction_word(change)
    rate_word = direction_word(change, "增长", "下降")
    fields.update(change_word=change_word, rate=rate, rate_word=rate_word)
    text = change_clause(family, prefix, change_word, money(abs(change)), rate_word, pct(rate))  # type: ignore[arg-type]
    return Comparison(text, fields, reason)
