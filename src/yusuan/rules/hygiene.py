"""Text hygiene (H.*): placeholders, blank amounts, empty or circular reasons, wrong years, unit words,
duplicated paragraphs. These read paragraph text as printed, so they catch what a template left behind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from yusuan.amounts import fmt_amount, normalise_text
from yusuan.disclosure import Paragraph, Section
from yusuan.rules.narrative_base import PART_NAMES, placed, stated_text
from yusuan.rules.paragraph_text import (excerpt, joined_text, matches_led_by, normalised_paragraphs, paragraphs,
                                         paragraphs_at, paragraphs_matching, where)
from yusuan.rules.registry import Context, Hit, rule


# The look-ahead lists the first character of every alternative: it matches nothing the alternatives
# would not, and lets the scan skip other positions ~3x faster than trying each alternative there.
PLACEHOLDER = re.compile(r"(?=[XxＸｘ×＊*此待【\[（(＿_])"
                         r"(?:[XxＸｘ]{2,}|×{2,}|＊{2,}|\*{2,}|此处填写|待填写?|待补充|【\s*】|\[\s*\]|（\s*）|\(\s*\)|＿{2,}|_{3,})")


# Every PLACEHOLDER match holds one of these characters or a match of one of these patterns (each starting
# with a literal character, which the engine finds fast).
_PLACEHOLDER_CHARS = "XxＸｘ×＊*＿_"
_PLACEHOLDER_HINTS = tuple(re.compile(p) for p in (r"此处填写", r"待填", r"待补充", r"【\s*】", r"\[\s*\]", r"（\s*）", r"\(\s*\)"))


@rule("H.PLACEHOLDER", "模板占位符未替换", "fatal", "text")
def placeholders(ctx: Context) -> Iterator[Hit]:
    """Template placeholders left in the text: XXX, ××, 此处填写, 【】, empty brackets, ____."""
    joined = joined_text(ctx)[0]
    if not (any(ch in joined for ch in _PLACEHOLDER_CHARS) or any(p.search(joined) for p in _PLACEHOLDER_HINTS)):
        return  # = PLACEHOLDER.search(joined text) is None, tested ~4x faster
    for section, i, para in paragraphs(ctx):
        for m in PLACEHOLDER.finditer(para.text):
            yield Hit(message=f"{where(section, i)}含有未替换的占位内容“{m.group(0)}”：“{excerpt(para.text, m.start(), m.end())}”。",
                      location=para.location, subject=section.id, stated=m.group(0))


_YUAN = re.compile(r"万?元")  # cannot match a newline: safe for paragraphs_matching
# The paragraphs holding a ``_YUAN`` match are those holding a 元 (the 万 of a match is just before its 元,
# in the same paragraph); a literal is found ~6x faster than the optional 万 lets the engine.
_YUAN_CHAR = re.compile("元")
_UNIT_HEADER = re.compile(r"(单位|单位为|计量单位)[:：]?\s*$|[（(]\s*$")


@rule("H.AMOUNT.BLANK", "金额空缺（“万元”前没有数字）", "fatal", "text")
def blank_amounts(ctx: Context) -> Iterator[Hit]:
    """'万元' (or '元') with no number before it, e.g. “政府采购工程预算     万元”."""
    # Each 元 of the joined text found with str.find; one that follows a figure (nearly all) is passed over
    # there, from the joined text itself. The others are judged in their paragraph as ``_YUAN`` finds them
    # (万元 when a 万 is just before the 元). In the joined text the character before a paragraph is a
    # newline, which never passes a 元 over: the paragraph's own text decides then.
    joined, starts = joined_text(ctx)
    every = paragraphs(ctx)
    at = joined.find("元")
    while at != -1:
        start = at - 1 if at > 0 and joined[at - 1] == "万" else at  # = the ``_YUAN`` match's start
        end = _before_spaces(joined, start)
        if not (end and _figure_end(joined[end - 1])):
            n = bisect_right(starts, at) - 1
            hit = _blank_amount(every[n], start - starts[n], at + 1 - starts[n])
            if hit is not None:
                yield hit
        at = joined.find("元", at + 1)


def _before_spaces(text: str, at: int) -> int:
    """Where the spaces (half- or full-width, tabs) just before ``text[at]`` begin."""
    while at > 0 and text[at - 1] in " \t　":
        at -= 1
    return at


def _figure_end(char: str) -> bool:
    """Whether an amount's figure can end with ``char`` (a digit of any width, a point, a per cent sign)."""
    return char.isdigit() or char in ".．%０１２３４５６７８９"


def _blank_amount(where_: tuple[Section, int, Paragraph], start: int, stop: int) -> Hit | None:
    """H.AMOUNT.BLANK's finding on the ``_YUAN`` match ``text[start:stop]`` of a paragraph, if any."""
    section, i, para = where_
    text = para.text
    word = text[start:stop]
    if word == "元" and start > 0 and text[start - 1] == "万":
        return None
    end = _before_spaces(text, start)  # the text before the match, trailing spaces left out, is text[:end]
    if not end or _figure_end(text[end - 1]):
        return None
    stripped = text[:end]
    if _UNIT_HEADER.search(stripped) or stripped.endswith(("单位", "单位：", "单位:", "以", "亿", "千", "百", "十")):
        return None
    if word == "元" and not start > end:
        return None  # 元 glued to a word (公元, 元旦, 单元) is not an amount
    return Hit(message=f"{where(section, i)}“{excerpt(text, start, stop, 16)}”中“{word}”前没有金额，数字空缺。",
               location=para.location, subject=section.id, stated=excerpt(text, start, stop, 16))


EMPTY_REASON = re.compile(r"主要原因(是|为|如下)?[:：]?\s*[。；;，,]|主要原因(是|为)?[:：]?\s*$")


@rule("H.REASON.EMPTY", "原因句没有写原因", "fatal", "text")
def empty_reason(ctx: Context) -> Iterator[Hit]:
    """“主要原因是。” — a reason clause with nothing in it."""
    reported = set()
    for p in placed(ctx):
        if p.statement.reason is not None and not p.statement.reason.strip(" 　。；;，,"):
            reported.add((p.section.id, p.index))
            yield Hit(message=f"{p.where()}“{p.statement.label or p.subject}”写了“主要原因是”，但没有写出原因。",
                      location=p.location, subject=p.subject, stated="")
    for section, i, para in paragraphs(ctx):
        if (section.id, i) in reported:
            continue
        # both alternatives start with 主要原因: most paragraphs are passed over without the regex
        m = EMPTY_REASON.search(para.text) if "主要原因" in para.text else None
        if m:
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end(), 20)}”：原因句没有写出原因。",
                      location=para.location, subject=section.id, stated="")


CIRCULAR = {"增加", "减少", "增长", "下降", "有所增加", "有所减少", "略有增加", "略有减少", "预算增加", "预算减少",
            "比上年增加", "比上年减少", "较上年增加", "较上年减少", "经费增加", "经费减少", "资金增加", "资金减少",
            "变动", "有变动", "调整", "有所调整", "预算调整"}
NO_CHANGE = {"无变化", "无变动", "持平", "与上年持平", "没有变化", "未发生变化", "无增减"}


def _clean_reason(reason: str) -> str:
    return normalise_text(reason).strip("。；;，,.")


@rule("H.REASON.RESTATES", "原因只是复述增减", "warning", "text")
def circular_reason(ctx: Context) -> Iterator[Hit]:
    """A reason that only restates the change (“增加”, “有所减少”) explains nothing."""
    for p in placed(ctx):
        reason = p.statement.reason
        if reason and _clean_reason(reason) in CIRCULAR:
            yield Hit(message=f"{p.where()}“{p.statement.label or p.subject}”的原因写为“{reason.strip()}”，只是复述了增减，没有说明原因。",
                      location=p.location, subject=p.subject, stated=reason.strip())


@rule("H.REASON.NO_CHANGE", "“无变化”与实际增减矛盾", "fatal", "text")
def no_change_reason(ctx: Context) -> Iterator[Hit]:
    """“无变化/持平” as the reason is fine only when the change is 0."""
    for p in placed(ctx):
        reason, change = p.statement.reason, p.statement.change
        if reason and _clean_reason(reason) in NO_CHANGE and change is not None and change != 0:
            yield Hit(message=(f"{p.where()}“{p.statement.label or p.subject}”比上年{p.statement.change_word or '变动'}"
                               f"{stated_text(abs(change))}{p.statement.unit}，原因却写“{reason.strip()}”。"),
                      location=p.location, subject=p.subject, stated=reason.strip(), expected="说明增减原因")


_YEAR = re.compile(r"(\d{4})年")
# 比2022年 / 较2022年度 / 比上年（2021年） / 与上一年度（2021年）相比
COMPARE_YEAR = re.compile(r"(比|较|与|同)(?:上年度?|上一年度?)?[（(]?(\d{4})年")
CURRENT_YEAR = re.compile(r"(\d{4})年(预算数|预算安排|部门预算|预算情况|收支预算|支出预算|收入预算|财政拨款)")
# CURRENT_YEAR from its 年 on: found by its literal ~15x faster. A CURRENT_YEAR match is this one with the four
# digits before it, and matches cannot overlap (the words after 年 hold no digit), so these are all of them.
_CURRENT_YEAR_TAIL = re.compile(r"年(?:预算数|预算安排|部门预算|预算情况|收支预算|支出预算|收入预算|财政拨款)")


@rule("H.YEAR.COMPARISON", "比较年份错误", "fatal", "text")
def wrong_comparison_year(ctx: Context) -> Iterator[Hit]:
    """A 2023 package compares with 2022 (比上年/比2022年), not with another year."""
    year = ctx.disclosure.budget_year
    if not year:
        return
    for section, i, para in paragraphs_matching(ctx, COMPARE_YEAR):
        for m in COMPARE_YEAR.finditer(para.text):
            y = int(m.group(2))
            if y != year - 1:
                yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”：{year}年的预算应与{year - 1}年比较，文中写的是{y}年。",
                          location=para.location, subject=section.id, stated=str(y), expected=str(year - 1))


@rule("H.YEAR.CURRENT", "本年年份错误", "warning", "text")
def wrong_current_year(ctx: Context) -> Iterator[Hit]:
    """“2022年预算数为…” or a section title with another year inside a 2023 package."""
    year = ctx.disclosure.budget_year
    if not year:
        return
    for section in ctx.disclosure.sections:
        for m in _YEAR.finditer(section.title):
            if int(m.group(1)) != year and ("关于" in section.title or "部门预算" in section.title):
                yield Hit(message=f"{PART_NAMES.get(section.part, '')}标题“{section.title}”中的年份{m.group(1)}与预算年度{year}不符。",
                          location=section.location, subject=section.id, stated=m.group(1), expected=str(year))
    seen: set[tuple[int, int]] = set()
    joined = joined_text(ctx)[0]
    at = (m.start() - 4 for m in _CURRENT_YEAR_TAIL.finditer(joined) if m.start() >= 4 and CURRENT_YEAR.match(joined, m.start() - 4))
    for section, i, para in paragraphs_at(ctx, at):
        for m in CURRENT_YEAR.finditer(para.text):
            y = int(m.group(1))
            context = para.text[max(0, m.start() - 6): m.start()]
            if y != year and not any(w in context for w in ("比", "较", "上年", "与", "同")):
                seen.add((id(para), m.start()))
                yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”中的年份{y}与预算年度{year}不符。",
                          location=para.location, subject=section.id, stated=str(y), expected=str(year))
    # “<单位>2022年所有收入和支出…”: the unit speaking of its own year is this year, whatever words follow
    # (“比<单位>2022年…” compares and is H.YEAR.COMPARISON's)
    name = (ctx.disclosure.unit_name or "").strip()
    if len(name) >= 3:
        own = re.compile(re.escape(name) + "[ \u3000]*" + r"(\d{4})" + "[ \u3000]*" + r"年(?!度?[）)])")
        for section, i, para in paragraphs_matching(ctx, own):
            for m in own.finditer(para.text):
                y = int(m.group(1))
                start = m.start(1)
                context = para.text[max(0, m.start() - 4): m.start()]
                if y == year or (id(para), start) in seen or any(w in context for w in ("比", "较", "与", "同", "上年")):
                    continue
                seen.add((id(para), start))
                yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”中{name}的本年年份写成{y}年，与预算年度{year}不符。",
                          location=para.location, subject=section.id, stated=str(y), expected=str(year))


ASSET_DATE = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(底|末|年底|年末|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)")
ASSET_WORDS = ("国有资产", "固定资产", "流动资产", "资产总额", "车辆", "用车", "房屋")


def asset_years(ctx: Context, year: int) -> list[int]:
    """The years an asset date may name: the profile's ``wording.assets_year_offsets`` from the budget year,
    else the year before for a budget and the year itself for a final account."""
    offsets = (ctx.profile.get("wording") or {}).get("assets_year_offsets")
    if not offsets:
        offsets = [-1] if ctx.disclosure.phase == "budget" else [0]
    return [year + o for o in offsets]


@rule("H.YEAR.ASSETS", "资产截止时间与预算年度不符", "warning", "text", reads=("other.assets",))
def wrong_asset_date(ctx: Context) -> Iterator[Hit]:
    """A budget for year Y reports assets as at the end of Y−1 (a final account: end of Y; a profile may allow
    other years, e.g. Y−2, with ``wording.assets_year_offsets``): the 截至 date in the assets section, or in any
    paragraph that speaks of the unit's assets (国有资产, 固定资产, 车辆, 房屋). A disclosure composed from facts leaves
    the date it printed from ``assets.as_of`` to F.YEAR.ASSETS."""
    year = ctx.disclosure.budget_year
    if not year:
        return
    allowed = asset_years(ctx, year)
    # composed from facts, the date ``assets.as_of`` prints is F.YEAR.ASSETS's (which names where it was entered)
    as_of = ctx.package.assets.as_of if ctx.package is not None and ctx.package.assets is not None else None
    entered = f"截至{as_of}".replace(" ", "") if as_of else None
    for section, i, para in paragraphs_matching(ctx, ASSET_DATE):
        if section.id != "other.assets" and not any(w in para.text for w in ASSET_WORDS):
            continue
        for m in ASSET_DATE.finditer(para.text):
            if entered and section.id == "other.assets" and m.group(0).replace(" ", "") in entered:
                continue
            if int(m.group(1)) not in allowed:
                expected = "或".join(str(y) for y in allowed)
                yield Hit(message=f"{where(section, i)}“{m.group(0)}”：{year}年{'预算' if ctx.disclosure.phase == 'budget' else '决算'}"
                                  f"应报告截至{expected}年的资产。",
                          location=para.location, subject="assets", stated=m.group(1), expected=expected)


@rule("H.UNIT.WORD", "金额单位用词与表格不一致", "fatal", "text")
def unit_words(ctx: Context) -> Iterator[Hit]:
    """An amount in the text whose number is the table figure it ties to, in the table's unit, written under
    the other unit word: table 61281800.00 元, text “61281800.00万元” (or table 6128.18 万元, text “6128.18元”),
    so that read as written it is 10000 times (or a ten-thousandth of) the table figure. Reported once per
    document, listing every such amount (one mistake, one finding; the N.* comparisons leave these amounts
    to this rule). Text in 万元 beside tables in 元, or the reverse, is ordinary practice and by itself no
    finding; nor is an amount in the other unit that ties to no table figure (a 人均 standard, a price)."""
    from yusuan.rules.narrative import unit_slips

    slips = unit_slips(ctx)
    if not slips:
        return
    p, ref = slips[0]
    st = p.statement
    table_unit = ref.table.unit if ref.table is not None else "万元"
    printed = ref.value * 10000 if table_unit == "元" else ref.value
    times = "1万倍" if st.unit == "万元" else "万分之一"
    more = ""
    if len(slips) > 1:
        others = "；".join(f"{q.where()}“{q.statement.label or q.subject}”{stated_text(q.statement.amount)}{q.statement.unit}"
                          for q, _ in slips[1:4])
        more = f"全文共{len(slips)}处金额与此相同（{others}{'等' if len(slips) > 4 else ''}），应是单位用词写错，请一并核对。"
    yield Hit(message=(f"{p.where()}写明“{st.label or p.subject}”为{stated_text(st.amount)}{st.unit}，按所写单位是"
                       f"{ref.where}（{fmt_amount(printed)}{table_unit}）的{times}：数字与表格金额相同而单位用词不同，"
                       f"应写作{fmt_amount(ref.value)}万元（{fmt_amount(ref.value * 10000)}元）。{more}"),
              location=p.location, subject=p.subject, stated=f"{stated_text(st.amount)}{st.unit}",
              expected=f"{fmt_amount(printed)}{table_unit}",
              inputs={"表格": ref.where, "单位用词不符处数": str(len(slips))})


@rule("H.DUPLICATE", "段落重复", "warning", "text")
def duplicated(ctx: Context) -> Iterator[Hit]:
    """The same paragraph twice in a row, or a long paragraph (≥40 characters) repeated anywhere."""
    seen: dict[str, tuple[Section, int]] = {}  # where each text was first printed, described only for a hit
    previous = None
    keys = normalised_paragraphs(ctx)  # = normalised_paragraph(ctx, para), without a call per paragraph
    for section, i, para in paragraphs(ctx):
        key = keys[id(para)]
        if not key or para.style == "heading":
            previous = None
            continue
        if previous is not None and key == previous[0]:
            yield Hit(message=f"{where(section, i)}与上一段完全相同（“{para.text.strip()[:40]}”），重复印出。",
                      location=para.location, subject=section.id, stated=para.text.strip()[:60])
        elif len(key) >= 40 and key in seen:
            yield Hit(message=f"{where(section, i)}与{where(*seen[key])}内容完全相同（“{para.text.strip()[:40]}…”）。",
                      location=para.location, subject=section.id, stated=para.text.strip()[:60])
        seen.setdefault(key, (section, i))
        previous = (key, i)


STRAY_SPACE = re.compile(r"[为计是][ 　]{2,}\d|\d[ 　]+(%|万元)")
# Occurs wherever STRAY_SPACE does (two spaces, or a space before %/万元) and, starting with a space
# rather than a digit, is found several times faster: the test of the whole text.
STRAY_SPACE_HINT = re.compile(r"[ 　](?:[ 　]|%|万元)")
HALFWIDTH_STOP = re.compile(r"[\u4e00-\u9fff][.,;][\u4e00-\u9fff]")


@rule("H.SPACING", "数字中夹有空格", "info", "text")
def stray_spaces(ctx: Context) -> Iterator[Hit]:
    """Spaces around figures (“为    14.74万元”, “13.83 %”) suggest a figure typed over a template blank."""
    if not matches_led_by(joined_text(ctx)[0], " 　", STRAY_SPACE_HINT):
        return  # = paragraphs_with(ctx, STRAY_SPACE_HINT) is empty, found faster
    for section, i, para in paragraphs(ctx):
        m = STRAY_SPACE.search(para.text)
        if m:
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”中数字前后有多余空格。",
                      location=para.location, subject=section.id, stated=m.group(0))


def _halfwidth_stops(text: str) -> Iterator[int]:
    """Where HALFWIDTH_STOP matches begin (and, where two would share a character, also the second's
    start: in the same paragraph), found from the few . , ; with str.find instead of a regex trying
    every position."""
    last = len(text) - 1
    for mark in ".,;":
        i = text.find(mark)
        while i != -1:
            if 0 < i < last and "\u4e00" <= text[i - 1] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff":
                yield i - 1
            i = text.find(mark, i + 1)


@rule("H.PUNCTUATION", "中文句中使用半角标点", "info", "text")
def halfwidth_punctuation(ctx: Context) -> Iterator[Hit]:
    """A half-width full stop or comma between Chinese characters (“项目支出等.住房”)."""
    for section, i, para in paragraphs_at(ctx, _halfwidth_stops(joined_text(ctx)[0])):
        m = HALFWIDTH_STOP.search(para.text)
        if m:
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”中使用了半角标点“{m.group(0)[1]}”。",
                      location=para.location, subject=section.id, stated=m.group(0))
