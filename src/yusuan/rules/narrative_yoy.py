"""Year-over-year (Y.*): change = amount − last year; rate = change ÷ last year; words match signs.

Most sentences give this year's amount, the change and the rate but not last year's figure
("比上年预算增加0.2万元，增长5.41%"); last year is then implied as amount − change. Rates are
half-up to two decimals (DOMAIN.md). From a zero base no rate can be computed: the profile's accepted
wording (e.g. "增长100%") is reported as a warning, any other rate as an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from yusuan.amounts import HUNDRED, growth_rate, percent, word_direction
from yusuan.rules.narrative_base import (
    ZERO, Placed, amount_wan, explained_by_parts, field_wan, implied_last_year, pct, placed, show, stated_text, zero_base_wording,
)
from yusuan.rules.registry import Context, Hit, rule

def direction(word: str | None) -> int | None:
    """+1 / −1 / 0 for a rise / fall / no change; None when the word states no direction (one vocabulary with the reader)."""
    return word_direction(word)


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


def yoy_statements(ctx: Context) -> tuple[Placed, ...]:
    """Statements that compare with last year; listed once per check (ten rules walk them)."""
    return ctx.cached(("yoy_statements",), lambda: tuple(
        p for p in placed(ctx)
        if p.statement.last_year is not None or p.statement.change is not None or p.statement.rate is not None
        or p.statement.zero_base))


def _last_text(p: Placed) -> str:
    st = p.statement
    if st.last_year is not None:
        return f"上年{stated_text(st.last_year)}{st.unit}"
    return f"上年（按本年{stated_text(st.amount)}{st.unit}减变动{stated_text(st.change)}{st.unit}推算）{show(implied_last_year(st))}"


@rule("Y.CHANGE", "增减额 = 本年数 − 上年数", "fatal", "year-over-year")
def change_matches(ctx: Context) -> Iterator[Hit]:
    """Where a sentence states this year, last year and the change, change = this year − last year."""
    for p in yoy_statements(ctx):
        st = p.statement
        amount, last, change = amount_wan(st), field_wan(st, "last_year"), field_wan(st, "change")
        if amount is None or last is None or change is None:
            continue
        expected = amount - last
        if ctx.differs(change, expected):
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”本年{stated_text(st.amount)}{st.unit}、上年"
                         f"{stated_text(st.last_year)}{st.unit}，写明{st.change_word or '变动'}{stated_text(st.change)}"
                         f"{st.unit}，而按本年减上年应为{show(expected)}。"),
                location=p.location, subject=p.subject, stated=change, expected=expected,
                inputs={"本年": amount, "上年": last},
            )


@rule("Y.RATE", "增长率 = 增减额 ÷ 上年数", "fatal", "year-over-year")
def rate_matches(ctx: Context) -> Iterator[Hit]:
    """The stated rate equals (this year − last year) ÷ last year × 100, half-up to two decimals."""
    for p in yoy_statements(ctx):
        st = p.statement
        if st.rate is None:
            continue
        last, amount = implied_last_year(st), amount_wan(st)
        if last is None or last <= 0:
            continue  # zero base: Y.ZERO_BASE.*; negative: Y.LAST_YEAR.NEGATIVE
        change = field_wan(st, "change")
        if amount is None:
            if change is None:
                continue
            amount = last + change
        expected = growth_rate(amount, last)
        if abs(st.rate - expected) <= ctx.settings.rate_tolerance:
            continue
        diff = amount - last
        why = ""
        wrong_base = percent(diff, amount) if amount else None
        if wrong_base is not None and abs(abs(st.rate) - abs(wrong_base)) <= ctx.settings.rate_tolerance:
            why = f"；所写增长率正是以本年数为分母（{show(diff)}÷{show(amount)}）算出的，应以上年数为分母"
        elif abs(st.rate + expected) <= ctx.settings.rate_tolerance and expected != 0:
            why = "；数值相同但方向相反"
        elif abs(st.rate - (expected + HUNDRED)) <= ctx.settings.rate_tolerance:
            why = "；所写数值是本年数占上年数的百分比（本年÷上年），不是增长率"
        yield Hit(
            message=(f"{p.where()}“{st.label or p.subject}”写明{st.rate_word or '增长'}{pct(abs(st.rate))}，"
                     f"而本年{show(amount)}、{_last_text(p)}，增长率应为{show(diff)}÷{show(last)}×100="
                     f"{pct(expected)}（四舍五入保留两位小数）{why}。"),
            location=p.location, subject=p.subject, stated=st.rate, expected=expected,
            inputs={"本年": amount, "上年": last},
        )


@rule("Y.DIRECTION", "增减方向用词与数值一致", "fatal", "year-over-year")
def direction_words(ctx: Context) -> Iterator[Hit]:
    """增加/增长 for a rise, 减少/下降 for a fall; the change and the rate words agree with each other and with the figures."""
    for p in yoy_statements(ctx):
        st = p.statement
        dc, dr = direction(st.change_word), direction(st.rate_word)
        if dc is not None and dr is not None and dc * dr < 0:
            yield Hit(
                message=f"{p.where()}“{st.label or p.subject}”先写“{st.change_word}”又写“{st.rate_word}”，增减方向自相矛盾。",
                location=p.location, subject=p.subject, stated=f"{st.change_word}/{st.rate_word}",
            )
            continue
        change = field_wan(st, "change")
        flat = [w for w, d in ((st.change_word, dc), (st.rate_word, dr)) if d == 0]
        if flat and change is not None and change != 0:
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”写“{flat[0]}”，但同时写出变动{stated_text(st.change)}"
                         f"{st.unit}：有变动就不是持平。"),
                location=p.location, subject=p.subject, stated=flat[0], expected="增加/减少",
            )
            continue
        amount, last = amount_wan(st), field_wan(st, "last_year")
        if amount is not None and last is not None:
            actual = _sign(amount - last)
            for word, d in ((st.change_word, dc), (st.rate_word, dr)):
                if d is not None and d != 0 and actual != 0 and d != actual:
                    right = "增加/增长" if actual > 0 else "减少/下降"
                    yield Hit(
                        message=(f"{p.where()}“{st.label or p.subject}”本年{stated_text(st.amount)}{st.unit}、上年"
                                 f"{stated_text(st.last_year)}{st.unit}，应写“{right}”，却写“{word}”。"),
                        location=p.location, subject=p.subject, stated=word, expected=right,
                    )
                    break
            continue
        flipped = _figures_say_opposite(ctx, st, dc if dc else dr)
        if flipped is not None:
            right = "增加/增长" if flipped > 0 else "减少/下降"
            word = st.change_word if dc else st.rate_word
            last_fit = amount + abs(change) if flipped < 0 else amount - abs(change)
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”本年{stated_text(st.amount)}{st.unit}，写“{word}”"
                         f"{stated_text(abs(st.change))}{st.unit}、{pct(abs(st.rate))}：这组数只在上年为{show(last_fit)}"
                         f"（本年比上年{'增加' if flipped > 0 else '减少'}）时成立，应写“{right}”，却写“{word}”。"),
                location=p.location, subject=p.subject, stated=word, expected=right,
                inputs={"本年": amount, "上年（推算）": last_fit},
            )


def _figures_say_opposite(ctx: Context, st, stated: int | None) -> int | None:
    """Last year not printed, this year, the change and the rate printed, and the words agree with each
    other: the magnitudes still fix the direction, since change ÷ last year must give the rate and last
    year is this year − change for a rise, this year + change for a fall. The opposite direction when only
    it fits (a change word flipped together with its rate word, or a rate printed without one); else None.
    Nothing when last year is stated (the figures are compared directly) or either reading fits."""
    if stated not in (1, -1) or st.last_year is not None or st.rate is None:
        return None
    amount, change = amount_wan(st), field_wan(st, "change")
    if amount is None or change is None or change.is_nan() or change == 0 or st.rate.is_nan():
        return None
    size, rate = abs(change), abs(st.rate)
    tol = ctx.settings.rate_tolerance

    def fits(direction: int) -> bool:
        last = amount - direction * size
        if last <= 0:
            return False
        expected = growth_rate(amount, last)
        return expected is not None and abs(abs(expected) - rate) <= tol

    if fits(stated) or not fits(-stated):
        return None
    return -stated


@rule("Y.DIRECTION.ZERO", "无变化时应写持平", "warning", "year-over-year")
def zero_change_words(ctx: Context) -> Iterator[Hit]:
    """A change of 0 written as 增加0万元/增长0% (or 减少0) should read 持平/无变化."""
    for p in yoy_statements(ctx):
        st = p.statement
        change = field_wan(st, "change")
        words = [w for w in (st.change_word, st.rate_word) if direction(w) not in (None, 0)]
        if change is not None and change == 0 and words and (st.rate is None or st.rate == 0):
            unit = "人" if p.subject.startswith("staff:") else st.unit
            printed = []
            if direction(st.change_word) not in (None, 0):
                printed.append(f"{st.change_word}{stated_text(st.change)}{unit}")
            if st.rate is not None and direction(st.rate_word) not in (None, 0):
                printed.append(f"{st.rate_word}{stated_text(st.rate)}%")
            shown = "，".join(printed) or "、".join(words)
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”与上年相比没有变动，却写“{shown}”；"
                         "应写“与上年持平”或“无变化”。"),
                location=p.location, subject=p.subject, stated="、".join(words), expected="持平",
            )


# Wordings of growth from a zero base that say what happened without a rate: never questioned.
ZERO_BASE_PLAIN = ("新增", "上年未安排", "上年无", "上年为0", "上年为零")


@rule("Y.ZERO_BASE.WORDING", "上年为零时的增长率写法", "warning", "year-over-year")
def zero_base_accepted(ctx: Context) -> Iterator[Hit]:
    """Last year 0: a rate cannot be computed. The region's accepted wording (the profile's, e.g.
    '增长100%' in Xinjiang, which is also what yusuan composes there) and plain wordings ('新增',
    '上年未安排') are right; '增长100%' where the region does not use it is a warning."""
    accepted = zero_base_wording(ctx.profile)
    for p in yoy_statements(ctx):
        st = p.statement
        last, amount = implied_last_year(st), amount_wan(st)
        if last is None or last != 0 or not amount:
            continue
        if (st.rate is not None and st.rate == HUNDRED) or (st.zero_base and st.rate is None):
            shown = st.zero_base or f"{st.rate_word or '增长'}100%"
            if _same_wording(shown, accepted) or any(w in shown for w in ZERO_BASE_PLAIN):
                continue
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”上年为0（{_last_text(p)}），增长率无法计算；"
                         f"文中写“{shown}”，而本地区版式约定的写法为“{accepted}”，"
                         f"建议写明“{accepted}”或“上年未安排”。"),
                location=p.location, subject=p.subject, stated=shown, expected=accepted,
            )


def _same_wording(a: str, b: str) -> bool:
    norm = lambda t: "".join(t.split()).replace("％", "%").replace("增加", "增长")  # noqa: E731
    return norm(a) == norm(b) or (norm(b) in norm(a))


@rule("Y.ZERO_BASE.RATE", "上年为零时不得写出其他增长率", "fatal", "year-over-year")
def zero_base_wrong(ctx: Context) -> Iterator[Hit]:
    """Last year 0 and a rate other than 100% (or any non-zero rate when both years are 0)."""
    for p in yoy_statements(ctx):
        st = p.statement
        last, amount = implied_last_year(st), amount_wan(st)
        if last is None or last != 0 or st.rate is None:
            continue
        if amount:
            if st.rate == HUNDRED:
                continue
            msg = f"上年为0时增长率无法计算，不应写{pct(st.rate)}（约定写法为“{zero_base_wording(ctx.profile)}”或“新增”）"
        else:
            if st.rate == 0:
                continue
            msg = f"本年与上年均为0，变动率应为0，不应写{pct(st.rate)}"
        yield Hit(
            message=f"{p.where()}“{st.label or p.subject}”{_last_text(p)}：{msg}。",
            location=p.location, subject=p.subject, stated=st.rate, expected="不适用" if amount else Decimal(0),
        )


@rule("Y.LAST_YEAR.NEGATIVE", "推算的上年数不能为负", "fatal", "year-over-year")
def negative_last_year(ctx: Context) -> Iterator[Hit]:
    """An increase larger than this year's amount implies a negative last-year figure."""
    for p in yoy_statements(ctx):
        last = implied_last_year(p.statement)
        if last is not None and last < -ctx.tolerance_for():
            st = p.statement
            yield Hit(
                message=(f"{p.where()}“{st.label or p.subject}”本年{stated_text(st.amount)}{st.unit}，"
                         f"却写{st.change_word or '增加'}{stated_text(abs(st.change) if st.change is not None else None)}"
                         f"{st.unit}，推算上年为{show(last)}（负数），增减额或本年数有误。"),
                location=p.location, subject=p.subject, stated=last, expected=ZERO,
            )


@rule("Y.LAST_YEAR.FACTS", "文中上年数与事实数据一致", "fatal", "year-over-year", needs_facts=True)
def last_year_facts(ctx: Context) -> Iterator[Hit]:
    """The last-year figure a sentence states or implies equals the package's ``last_year`` for that subject."""
    facts = ctx.package.last_year if ctx.package else {}
    for p in yoy_statements(ctx):
        prior = facts.get(p.subject)
        last = implied_last_year(p.statement)
        if prior is None or last is None:
            continue
        if ctx.differs(last, prior.amount):
            yield Hit(
                message=(f"{p.where()}“{p.statement.label or p.subject}”{_last_text(p)}，"
                         f"而数据包中该科目上年数（last_year “{p.subject}”）为{show(prior.amount)}。"),
                location=p.location, subject=p.subject, stated=last, expected=prior.amount,
            )


def _last_by_subject(ctx: Context) -> dict[str, tuple[Decimal, Placed]]:
    out: dict[str, tuple[Decimal, Placed]] = {}
    for p in yoy_statements(ctx):
        last = implied_last_year(p.statement)
        if last is not None and p.subject not in out:
            out[p.subject] = (last, p)
    return out


def _last_year_sums(ctx: Context, rounding: bool) -> Iterator[Hit]:
    last = _last_by_subject(ctx)

    def total_of(*keys: str) -> tuple[Decimal, str, tuple[str, ...]] | None:
        if all(k in last for k in keys):
            value = sum((last[k][0] for k in keys), ZERO)
            return value, "、".join(f"{last[k][1].where()}“{last[k][1].statement.label or k}”" for k in keys), keys
        return None

    checks: list[tuple[list[str], tuple[Decimal, str, tuple[str, ...]] | None, str]] = []
    items = sorted(k for k in last if k.startswith("general:function:") and len(k.rsplit(":", 1)[-1]) == 7)
    if items:
        whole = total_of("general:total") or total_of("general:basic", "general:project")
        checks.append((items, whole, "一般公共预算各功能科目（项）上年数"))
    if "general:total" in last:
        checks.append((["general:basic", "general:project"], total_of("general:total"), "一般公共预算基本支出与项目支出上年数"))
    if "total" in last:
        checks.append((["expenditure:basic", "expenditure:project"], total_of("total"), "基本支出与项目支出上年数"))
    sangong = [k for k in ("sangong:abroad", "sangong:vehicle_purchase", "sangong:vehicle_operation", "sangong:reception") if k in last]
    if sangong:
        checks.append((sangong, total_of("sangong:total"), "“三公”经费分项上年数"))
    for keys, whole, what in checks:
        if whole is None or not all(k in last for k in keys):
            continue
        # items compared with last year's 预算执行数 (Wanli 2023) and a total compared with last year's
        # budget have different bases: their difference says nothing
        bases = {comparison_base(last[k][1].statement) for k in (*keys, *whole[2])}
        if len(bases) > 1:
            continue
        total = sum((last[k][0] for k in keys), ZERO)
        diff = total - whole[0]
        if not ctx.differs(total, whole[0]):
            continue
        slack = rounding_slack(ctx, [last[k][1] for k in keys])
        if (abs(diff) <= slack) != rounding:
            continue
        parts = "、".join(f"{last[k][1].statement.label or k}{show(last[k][0])}" for k in keys)
        note = (f"；差额在各数分别舍入到0.01万元可能累积的范围（±{show(slack)}）内，可能是舍入差，请用元为单位的数据核对"
                if rounding else f"，超出各数舍入到0.01万元可能累积的差额（±{show(slack)}）")
        yield Hit(
            message=(f"{what}（由各句写明或按本年数减增减额推算：{parts}）合计{show(total)}，而上年总数为{show(whole[0])}"
                     f"（由{whole[1]}推算），相差{show(diff)}{note}。"),
            location=last[keys[0]][1].location, subject=keys[0], stated=total, expected=whole[0],
            inputs={k: last[k][0] for k in keys},
        )


_BASES = (("预算执行数", "execution"), ("执行数", "execution"), ("年初预算", "initial"), ("决算", "final"))


def comparison_base(st) -> str:
    """What last year's figure of a sentence is: 预算执行数 (execution), 年初预算, 决算, or the budget."""
    text = st.text or ""
    m = re.search(r"(?:比|较|与)(?:上年|\d{4}年(?:度)?)([^，,。；;增减持下上]{0,8})", text)
    phrase = m.group(1) if m else text
    for word, base in _BASES:
        if word in phrase:
            return base
    return "budget"


def rounding_slack(ctx: Context, items: list[Placed]) -> Decimal:
    """How far a sum of figures printed to 0.01 万元 may drift from its separately rounded total: half a
    cent per printed figure (two for a last-year figure implied as amount − change), plus the total's."""
    figures = 1 + sum(1 if p.statement.last_year is not None else 2 for p in items)
    return ctx.tolerance_for() * figures


@rule("Y.LAST_YEAR.SUM", "上年分项数合计等于上年总数", "fatal", "year-over-year", reads=("general", "sangong", "expenditure"))
def last_year_sums(ctx: Context) -> Iterator[Hit]:
    """Last year's item figures (stated or implied) add up to last year's totals: Σ 项 = 一般公共预算合计
    (or 基本 + 项目), 基本 + 项目 = 合计, 三公 items = 三公 total — beyond what rounding each printed
    figure to 0.01 万元 can explain (that smaller gap is Y.LAST_YEAR.SUM.ROUNDING)."""
    yield from _last_year_sums(ctx, rounding=False)


@rule("Y.LAST_YEAR.SUM.ROUNDING", "上年分项数合计与上年总数有舍入差", "info", "year-over-year",
      reads=("general", "sangong", "expenditure"))
def last_year_sums_rounding(ctx: Context) -> Iterator[Hit]:
    """A gap between last year's items and total small enough to come from rounding each printed figure."""
    yield from _last_year_sums(ctx, rounding=True)


def _reason_follows(p: Placed) -> bool:
    """The reason is given in a paragraph of its own right after (“财政拨款收入支出增加的主要原因是项目调整。”
    after the income and spending paragraphs, Shanghai): the next paragraph that gives a reason, before
    any paragraph with figures and reasons of its own."""
    for para in p.section.paragraphs[p.index:p.index + 3]:
        if "原因" in para.text:
            return not any(st.reason for st in para.statements)
        if any(st.amount is not None for st in para.statements):
            continue
    return False


REASON_SUBJECTS = ("income:", "expenditure:", "general:", "sangong:", "operating_costs")


@rule("Y.REASON.MISSING", "有增减变动的应说明原因", "warning", "year-over-year")
def reason_missing(ctx: Context) -> Iterator[Hit]:
    """A subject that changed from last year has a reason somewhere (主要原因是…)."""
    by_subject: dict[str, list[Placed]] = defaultdict(list)
    for p in yoy_statements(ctx):
        if p.subject.startswith(REASON_SUBJECTS):
            by_subject[p.subject].append(p)
    for subject, ps in by_subject.items():
        changed = [p for p in ps if (field_wan(p.statement, "change") or ZERO) != 0]
        if changed and all(p.statement.reason is None and not _reason_follows(p) and not explained_by_parts(ctx, p)
                           for p in ps):
            p = changed[0]
            st = p.statement
            word = st.change_word or ("减少" if st.change < 0 else "增加")
            yield Hit(
                message=(f"{p.where()}“{st.label or subject}”比上年{word}"
                         f"{stated_text(abs(st.change))}{st.unit}，但没有说明原因（主要原因是……）。"),
                location=p.location, subject=subject,
            )
