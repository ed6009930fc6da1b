"""Wording (W.*): the text-form defects a district inspector marks and the figure rules do not see.

Doubled punctuation, unpaired brackets and quotes, template remnants (增加（减少）, （单位名称）),
direction words and change amounts that contradict the figures the same sentence states, years that do
not belong to the budget year, 部门/单位 used against the document's own title, classification names
of an earlier edition, completion rates that do not follow from the sentence's own figures, and
notes under empty tables that name another budget or year.

These rules read the text as printed. For a disclosure read from a published file (``origin ==
"read"``) the text comes from a reader and may be imperfect (a paragraph split at a page break, a
line joined to the next), so every rule here is conservative: a pattern must be unambiguous in the
sentence itself, and only what is stated is compared (unknown is never zero).

Rules that already exist are reused rather than duplicated (one mistake, one finding):
``XX``/``××``/``***``/``XXXX年`` are H.PLACEHOLDER, ``……万元`` is H.AMOUNT.BLANK, ``主要原因是。`` is
H.REASON.EMPTY, ``比2022年`` in a 2025 budget is H.YEAR.COMPARISON, the sentences the narrative reader
turns into statements are checked by Y.DIRECTION/Y.CHANGE/Y.RATE, shares by N.SHARE, an empty table
without any note by K.TABLE.EMPTY_NOTE. The W.* rules below cover what those leave out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterator

from yusuan import catalog
from yusuan.amounts import HUNDRED, growth_rate, round_half_up, word_direction
from yusuan.disclosure import Paragraph, Section, Statement
from yusuan.rules.narrative_base import PART_NAMES, SAYS_EMPTY, table_is_empty
from yusuan.rules.paragraph_text import excerpt, joined_text, paragraphs, paragraphs_at, paragraphs_matching, positions_led_by, where
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import cell_location

# ------------------------------------------------------------------ punctuation

# A stop, comma, semicolon, enumeration comma or colon directly followed by another of them. Not the
# ellipsis (…… is U+2026, and 。。。 typed for an ellipsis is left alone), not ）。 or ”。 (a closing
# bracket or quote before a stop is correct), not ：。 (an empty reason: H.REASON.EMPTY).
DOUBLED = re.compile(r"(?<![。.])(。。|，，|，。|。，|；。|；；|，；|；，|、、|、。|、，|，、|：：)(?![。.])")
# In every DOUBLED match (two of these marks in a row), found ~5x faster than DOUBLED's look-behind lets it be.
_DOUBLED_HINT = re.compile(r"[。，；、：][。，；、：]")


@rule("W.PUNCT.DOUBLE", "标点重复或连用", "warning", "text")
def doubled_punctuation(ctx: Context) -> Iterator[Hit]:
    """Two punctuation marks in a row: “。。”, “，，”, “，。”, “。，”, “；。”, “、、”, “：：” (not an ellipsis, not “）。”)."""
    for section, i, para in paragraphs_matching(ctx, DOUBLED, _DOUBLED_HINT):
        for m in DOUBLED.finditer(para.text):
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”中标点“{m.group(0)}”重复或连用。",
                      location=para.location, subject=section.id, stated=m.group(0), expected=m.group(0)[-1])


# Brackets and quotes that must close within the paragraph. Full- and half-width round brackets are one
# pair: “县(市）” is a width slip (H.PUNCTUATION's area), not an unclosed bracket; so is every other
# mixed pair. ASCII " has no direction and is not checked.
PAIRS = (("（(", "）)", "括号"), ("“", "”", "引号"), ("‘", "’", "单引号"), ("《", "》", "书名号"), ("【[", "】]", "方括号"))
_PAIR_CHARS = re.compile("[" + re.escape("".join(o + c for o, c, _ in PAIRS)) + "]")
# A list marker closing a bracket it never opened: “1）”, “(2)”, “一）” at the start of a paragraph or after a
# stop, comma or space (“……；2）……”).
_LIST_MARKER = re.compile(r"(?:^|(?<=[\s，。；：、:;,]))[(（]?[0-9０-９一二三四五六七八九十]{1,2}[)）]")
_LIST_MARKER_END = re.compile(r"[0-9０-９一二三四五六七八九十][)）]")


# Each bracket or quote character: (index of its kind in PAIRS, +1 opening / -1 closing).
_PAIR_SIDE = {ch: (k, 1) for k, (opens, _, _) in enumerate(PAIRS) for ch in opens} | {
    ch: (k, -1) for k, (_, closes, _) in enumerate(PAIRS) for ch in closes}


def _unbalanced(text: str) -> list[tuple[str, str, int]]:
    """(kind, 'open'|'close', position) of the first unpaired bracket or quote of each kind."""
    if not _PAIR_CHARS.search(text):
        return []
    if _LIST_MARKER_END.search(text):  # in every list marker; found several times faster than the marker
        text = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), text)
    return _unpaired_at(text, [m.start() for m in _PAIR_CHARS.finditer(text)])


def _unpaired_at(text: str, positions: list[int]) -> list[tuple[str, str, int]]:
    """``_unbalanced`` from the positions of ``text``'s bracket and quote characters (in order)."""
    # Per kind: the open brackets not yet closed (their positions) and the first close without an open.
    # Only the bracket characters are visited, not every character once per kind.
    depth: list[list[int]] = [[] for _ in PAIRS]
    stray: list[int | None] = [None] * len(PAIRS)
    for pos in positions:
        kind, side = _PAIR_SIDE[text[pos]]
        if side > 0:
            depth[kind].append(pos)
        elif depth[kind]:
            depth[kind].pop()
        elif stray[kind] is None:
            stray[kind] = pos
    out = []
    for kind, (_, _, name) in enumerate(PAIRS):
        if stray[kind] is not None:
            out.append((name, "close", stray[kind]))
        elif depth[kind]:
            out.append((name, "open", depth[kind][0]))
    return out


_ONE_WIDTH = str.maketrans("()[]", "（）【】")  # the half-width brackets pair with the full-width ones (PAIRS)
_NUMERALS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十")  # = _LIST_MARKER_END's first character


def _unbalanced_every(ctx: Context) -> list[list[tuple[str, str, int]] | tuple[()]]:
    """``_unbalanced(para.text)`` for each of ``paragraphs(ctx)``, in their order; once per check.

    The bracket and quote characters are found in the joined text with str.find, one character at a time:
    scanning each paragraph for the class of twelve was most of W.PUNCT.UNPAIRED's cost (the regex
    engine is slow at a class of non-ASCII characters). A paragraph with a list marker's closing bracket
    (``_LIST_MARKER_END``: a numeral before ）or )) is read by ``_unbalanced`` itself."""
    def build() -> list:
        every = paragraphs(ctx)
        joined, starts = joined_text(ctx)
        found: list[int] = []
        markers: set[int] = set()  # paragraphs with a list marker's closing bracket
        for ch in _PAIR_SIDE:
            at = joined.find(ch)
            while at != -1:
                found.append(at)
                if ch in "）)" and joined[at - 1] in _NUMERALS:  # before a paragraph: its newline, no numeral
                    markers.add(bisect_right(starts, at) - 1)
                at = joined.find(ch, at + 1)
        found.sort()
        out: list = [()] * len(every)
        bounds = [*starts[1:], len(joined) + 1]
        k, count = 0, len(found)
        while k < count:  # the positions of one paragraph at a time
            n = bisect_right(starts, found[k]) - 1
            end = k
            while end < count and found[end] < bounds[n]:
                end += 1
            group, k = found[k:end], end
            if n in markers:
                out[n] = _unbalanced(every[n][2].text)
                continue
            # The paragraph's brackets and quotes in order: when removing each adjacent pair of one kind
            # leaves none, every kind pairs up (the usual case) and nothing is unpaired.
            printed = "".join(map(joined.__getitem__, group)).translate(_ONE_WIDTH)
            while printed:
                shorter = printed.replace("（）", "").replace("“”", "").replace("《》", "").replace("‘’", "").replace("【】", "")
                if shorter == printed:
                    break
                printed = shorter
            if printed:
                base = starts[n]
                out[n] = _unpaired_at(every[n][2].text, [at - base for at in group])
        return out

    return ctx.cached(("unbalanced_every",), build)


@rule("W.PUNCT.UNPAIRED", "括号、引号、书名号不成对", "warning", "text")
def unpaired(ctx: Context) -> Iterator[Hit]:
    """A paragraph opens “（”, “《” or a quote and never closes it, or closes one it never opened.

    Full- and half-width round brackets pair with each other (a mixed pair is a width slip, not an
    unclosed bracket). In a file read back, a paragraph left open whose next paragraph closes the
    same kind is taken for one paragraph split by the reader (a page break) and not reported."""
    every = paragraphs(ctx)
    unbalanced = _unbalanced_every(ctx)
    for n, found in enumerate(unbalanced):
        if not found:
            continue
        section, i, para = every[n]
        for name, side, pos in found:
            if side == "open" and n + 1 < len(every) and every[n + 1][0] is section:
                following = unbalanced[n + 1]
                if any(k == name and s == "close" for k, s, _ in following):
                    continue  # one sentence split over two paragraphs
            if side == "close" and n > 0 and every[n - 1][0] is section:
                before = unbalanced[n - 1]
                if any(k == name and s == "open" for k, s, _ in before):
                    continue
            what = "只有前半个，没有配对的后半个" if side == "open" else "只有后半个，前面没有配对的前半个"
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, pos, pos + 1, 16)}”中的{name}“{para.text[pos]}”{what}。",
                      location=para.location, subject=section.id, stated=para.text[pos])


# ------------------------------------------------------------------ template remnants

# Alternatives a template offers the author (增加（减少）), and names it asks to fill in (（单位名称）).
# XX/××/***/XXXX年 and empty brackets are H.PLACEHOLDER; ……万元 is H.AMOUNT.BLANK; 主要原因是。 is H.REASON.EMPTY.
ALTERNATIVES = re.compile(
    r"(?:增加|增长|上升)\s*[（(/／]\s*(?:减少|下降|降低)\s*[)）]?|(?:减少|下降)\s*[（(/／]\s*(?:增加|增长)\s*[)）]?"
    r"|增\s*[（(/／]\s*减\s*[)）]?|(?:大于|高于)\s*[（(/／]\s*(?:小于|低于)\s*[)）]?|(?:小于|低于)\s*[（(/／]\s*(?:大于|高于)\s*[)）]?"
    r"|[（(【\[]\s*(?:请?填写|请?填列|请注明|请说明|单位名称|部门名称|项目名称|科目名称|主管部门名称|预算单位名称|单位全称|部门全称)[^）)】\]]{0,12}[）)】\]]")
# In every ALTERNATIVES match: the bracket or slash and what follows it (the second word, or the prompt's
# first word or two); a tenth of the cost of scanning for ALTERNATIVES itself.
_ALTERNATIVES_HINT = re.compile(r"[（(/／【\[]\s*(?:减|下降|降低|增加|增长|小于|低于|大于|高于|请|填写|填列|单位名称|部门名称"
                                r"|项目名称|科目名称|主管部门名称|预算单位名称|单位全称|部门全称)")
PLACEHOLDER_IN_TITLE = re.compile(r"[XxＸｘ]{2,}|×{2,}|＊{2,}|\*{2,}")


@rule("W.TEMPLATE", "模板选项或填写提示未处理", "fatal", "text")
def template_remnants(ctx: Context) -> Iterator[Hit]:
    """A template's alternatives left for the author to choose (“增加（减少）”, “增长/下降”, “增（减）”) or a
    fill-in prompt (“（单位名称）”, “（请填写……）”) printed as text; and XX/×× in a title (paragraphs: H.PLACEHOLDER)."""
    for section, i, para in paragraphs_matching(ctx, ALTERNATIVES, _ALTERNATIVES_HINT, "（(/／【["):
        for m in ALTERNATIVES.finditer(para.text):
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”含模板未处理的内容“{m.group(0)}”"
                              "（应按实际情况只保留一种写法或填入实际名称）。",
                      location=para.location, subject=section.id, stated=m.group(0))
    d = ctx.disclosure
    # The titles joined are searched once: with no match there (as usual), no title has one (the patterns
    # have no anchor nor look-around: a title's match is a match in the joined text).
    every_title = "\n".join([d.title or ""] + [s.title or "" for s in d.sections] + [t.title or "" for t in d.tables])
    if PLACEHOLDER_IN_TITLE.search(every_title) is None and _ALTERNATIVES_HINT.search(every_title) is None:
        return
    titles = [("标题", d.title, None, "title")]
    titles += [(f"{PART_NAMES.get(s.part, '')}标题", s.title, s.location, s.id) for s in d.sections]
    titles += [(f"{t.number or ''}表名", t.title, t.location, t.kind) for t in d.tables]
    for what, title, location, subject in titles:
        m = PLACEHOLDER_IN_TITLE.search(title or "") or ALTERNATIVES.search(title or "")
        if m:
            yield Hit(message=f"{what}“{title.strip()}”含未替换的模板内容“{m.group(0)}”。",
                      location=location, subject=subject, stated=m.group(0))


# ------------------------------------------------------------------ year-over-year words in the text

NUM = r"(\d[\d,]*(?:\.\d+)?)"
UNIT = r"(万元|元)(?![/每])"
# what may come between the year (or 本年/上年) and the figure
_FIGURE_TAIL = (r"(?:同期)?(?:的)?"
                r"(?:年初)?(?:预算执行数|预算安排|预算数|执行数|决算数|预算|决算|支出|收入|安排)?(?:数)?(?:为|是|的|[:：])?[（(]?\s*")
_FIGURE = r"(?:(?P<year>\d{4})年度?(?:当年|本年度?)?|(?P<word>本年度?|今年|当年|上年度?|上一年度?|去年))" + _FIGURE_TAIL
YEAR_FIGURE = re.compile(_FIGURE + NUM + r"\s*" + UNIT)
FROM_TO = re.compile(r"(?:由|从)\s*" + NUM + r"\s*" + UNIT + r"\s*(?P<dir>增加|增长|上升|提高|减少|下降|降低)(?:到|至|为)\s*"
                     + NUM + r"\s*" + UNIT)
CHANGE = re.compile(r"(?P<dir>增加|增长|上升|提高|减少|下降|降低)了?\s*" + NUM + r"\s*" + UNIT)
# the rate words include the 增幅/降幅 family (较上年增加12万元，增幅5%): a rate the sentence prints is compared
RATE = re.compile(r"(?P<dir>增加|增长|上升|提高|减少|下降|降低|增幅|涨幅|降幅|减幅)(?:了|为)?\s*" + NUM + r"\s*[%％]")
FLAT = re.compile(r"(?<!基本)(?<!大致)(?<!大体)(持平|无变化|没有变化|无增减|未发生变化|保持不变)")
AMOUNT = re.compile(NUM + r"\s*" + UNIT)
_REASON_CUT = re.compile(r"主要原因|原因是|原因为|主要是由于|主要是因为|主要用于|用于")
_SENTENCE = re.compile(r"[^。；;！？\n]+")


def _num(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _wan(value: Decimal, unit: str) -> Decimal:
    return value / 10000 if unit == "元" else value


def _sign(value: Decimal) -> int:
    return (value > 0) - (value < 0)


class YoySentence:
    """One clause (up to its reason) that states this year's and last year's figures itself."""

    def __init__(self, section: Section, index: int, para: Paragraph, text: str, this: Decimal, last: Decimal,
                 this_text: str, last_text: str, word: str | None, change: Decimal | None, change_text: str | None,
                 rate_word: str | None, rate: Decimal | None, flat: str | None, unit: str):
        self.section, self.index, self.para, self.text = section, index, para, text
        self.this, self.last, self.this_text, self.last_text = this, last, this_text, last_text
        self.word, self.change, self.change_text = word, change, change_text
        self.rate_word, self.rate, self.flat, self.unit = rate_word, rate, flat, unit

    def where(self) -> str:
        return where(self.section, self.index)


def _covered(para: Paragraph, this: Decimal, last: Decimal) -> list[Statement]:
    """The paragraph's statements that already state this pair of figures: Y.* rules check those."""
    out = []
    for st in para.statements:
        if st.amount is None:
            continue
        amount = _wan(st.amount, st.unit) if st.unit in ("万元", "元") else st.amount
        st_last = _wan(st.last_year, st.unit) if st.last_year is not None and st.unit in ("万元", "元") else st.last_year
        st_change = _wan(st.change, st.unit) if st.change is not None and st.unit in ("万元", "元") else st.change
        implied = st_last if st_last is not None else (amount - st_change if st_change is not None else None)
        if amount == this and implied is not None and abs(implied - last) <= Decimal("0.005"):
            out.append(st)
        elif st_last is not None and st_last == last and (st.change is not None or st.rate is not None):
            # the reading took this year's figure from elsewhere (a copied sentence): the Y.* rules judge
            # the sentence already, with the figure it read
            out.append(st)
    return out


def yoy_sentences(ctx: Context) -> tuple[YoySentence, ...]:
    """Clauses naming both this year's figure (本年/当年/Y年 … 为A) and last year's (上年/Y−1年 … B, or
    由B增加到A), each exactly once; listed once per check."""
    return ctx.cached(("wording_yoy",), lambda: tuple(_yoy_sentences(ctx)))


# YEAR_FIGURE with only its last-year words (上年/上一年/去年): starts with a literal character, found fast.
_LAST_WORD_FIGURE = re.compile(r"(?:上年度?|上一年度?|去年)" + _FIGURE_TAIL + NUM + r"\s*" + UNIT)
# A 年 after four digits (YEAR_FIGURE's year): led by the literal, found fast; the digits are the four before it.
_YEAR_MARK = re.compile(r"年(?<=\d{4}年)")


def _last_year_at(text: str, year: int) -> Iterator[int]:
    """Where in ``text`` last year's figure may be stated as ``_yoy_sentences`` reads it: a FROM_TO match (由B增加到A),
    a YEAR_FIGURE match naming 上年/去年, or four digits and 年 naming the year before. A clause holds none of them:
    it states no last year's figure, and is not read. (Several paragraphs joined by newlines: a match may run on
    into the next paragraph, a hint for the paragraph it starts in; four digits before a 年 are in its paragraph.)"""
    # Each match tried where its first character is, found with str.find: the regex engine scans for a
    # pattern led by a choice of characters (由|从) ~20x slower. (A position inside another match is
    # tried too: a superset, which is all a hint needs.)
    yield from positions_led_by(text, "由从", FROM_TO)
    yield from positions_led_by(text, "上去", _LAST_WORD_FIGURE)
    last, last_text = year - 1, str(year - 1)
    for m in _YEAR_MARK.finditer(text):
        at = m.start()
        digits = text[at - 4:at]
        if digits == last_text or (not digits.isascii() and int(digits) == last):  # int() reads any \d
            yield at


def _yoy_sentences(ctx: Context) -> Iterator[YoySentence]:
    year = ctx.disclosure.budget_year
    if not year:
        return
    # Only the paragraphs where last year's figure may be stated (a few), found by scanning the joined text,
    # and in them only such clauses (a clause is a part of its sentence: its matches are the sentence's,
    # as it ends before a stop or a reason word, never before the / or 每 that UNIT looks at).
    for section, i, para in paragraphs_at(ctx, _last_year_at(joined_text(ctx)[0], year)):
        if section.part != 3:
            continue
        for s in _SENTENCE.finditer(para.text):
            text = s.group(0)
            if next(_last_year_at(text, year), None) is None:
                continue  # no last year's figure: nothing below is read from it (nine clauses in ten)
            cut = _REASON_CUT.search(text)
            clause = text[:cut.start()] if cut else text
            this = last = None
            this_text = last_text = ""
            units: set[str] = set()
            word = None
            ft = FROM_TO.search(clause)
            if ft:
                last, this = _num(ft.group(1)), _num(ft.group(4))
                units = {ft.group(2), ft.group(5)}
                last_text, this_text = ft.group(1) + ft.group(2), ft.group(4) + ft.group(5)
                word = ft.group("dir")
                if last is None or this is None or len(units) != 1:
                    continue
                body = clause[:ft.start()] + clause[ft.end():]
            else:
                thes, lasts = [], []
                for m in YEAR_FIGURE.finditer(clause):
                    tag = m.group("word") or ""
                    y = int(m.group("year")) if m.group("year") else None
                    value = _num(m.group(3))
                    if value is None:
                        continue
                    # “比上年预算数3.5万元增加” and “比2022年的3.5万元” name last year's figure
                    if (y == year - 1) or tag.startswith(("上", "去")):
                        lasts.append((value, m))
                    elif y == year or tag.startswith(("本", "今", "当")):
                        thes.append((value, m))
                if len(thes) != 1 or len(lasts) != 1:
                    continue
                (this, mt), (last, ml) = thes[0], lasts[0]
                if mt.group(4) != ml.group(4):
                    continue
                units = {mt.group(4)}
                this_text, last_text = mt.group(3) + mt.group(4), ml.group(3) + ml.group(4)
                body = clause
            unit = units.pop()
            # the clause states this year, last year and at most one change, nothing else (“其中人员经费增加
            # 5万元” would be another subject's change)
            if len(AMOUNT.findall(clause)) > 3 or "其中" in clause:
                continue
            changes = [m for m in CHANGE.finditer(body)]
            if ft is None:
                # a change amount that is one of the two figures' own matches is not a change
                changes = [m for m in changes if not any(m.start() <= x.start(3) < m.end() for x in YEAR_FIGURE.finditer(body))]
            if len(changes) > 1:
                continue
            rates = list(RATE.finditer(body))
            if len(rates) > 1:
                continue
            flat = FLAT.search(body)
            change = _num(changes[0].group(2)) if changes else None
            if changes and changes[0].group(3) != unit:
                continue
            if ft is None and changes:
                word = changes[0].group("dir")
            yield YoySentence(section, i, para, text.strip(), this, last, this_text, last_text, word, change,
                              changes[0].group(2) + changes[0].group(3) if changes else None,
                              rates[0].group("dir") if rates else None, _num(rates[0].group(2)) if rates else None,
                              flat.group(1) if flat else None, unit)


def _uncovered(ctx: Context) -> Iterator[YoySentence]:
    for s in yoy_sentences(ctx):
        if not _covered(s.para, _wan(s.this, s.unit), _wan(s.last, s.unit)):
            yield s


@rule("W.YOY.DIRECTION", "增减用词与句中本年、上年数不符", "fatal", "text")
def direction_contradicts(ctx: Context) -> Iterator[Hit]:
    """A sentence that states both this year's and last year's figures says 增加/增长 where the figure fell,
    减少/下降 where it rose, or 持平/无变化 where it changed. (Sentences the reader turned into statements: Y.DIRECTION.)"""
    for s in _uncovered(ctx):
        actual = _sign(s.this - s.last)
        moved = f"本年{s.this_text}、上年{s.last_text}"
        if s.flat and actual != 0:
            yield Hit(message=f"{s.where()}“{s.text[:80]}”：{moved}，有增减，却写“{s.flat}”。",
                      location=s.para.location, subject=s.section.id, stated=s.flat,
                      expected="增加" if actual > 0 else "减少")
            continue
        for word in (s.word, s.rate_word):
            if actual != 0 and word_direction(word) == -actual:
                right = "增加/增长" if actual > 0 else "减少/下降"
                yield Hit(message=f"{s.where()}“{s.text[:80]}”：{moved}，应写“{right}”，却写“{word}”。",
                          location=s.para.location, subject=s.section.id, stated=word, expected=right,
                          inputs={"本年": s.this, "上年": s.last})
                break


@rule("W.YOY.CHANGE", "句中增减额与本年、上年数不符", "fatal", "text")
def change_contradicts(ctx: Context) -> Iterator[Hit]:
    """The change a sentence states is not this year − last year as the same sentence states them."""
    for s in _uncovered(ctx):
        if s.change is None:
            continue
        diff = abs(s.this - s.last)
        if abs(s.change - diff) > ctx.tolerance_for(s.unit):
            yield Hit(message=(f"{s.where()}“{s.text[:80]}”：本年{s.this_text}减上年{s.last_text}为{diff:f}{s.unit}，"
                               f"文中写{s.word or '变动'}{s.change_text}。"),
                      location=s.para.location, subject=s.section.id, stated=s.change, expected=diff,
                      inputs={"本年": s.this, "上年": s.last})


def _printed_tolerance(value: Decimal, floor: Decimal) -> Decimal:
    """Half a unit in the last printed place of a percentage (98% → 0.5, 98.2% → 0.05), at least ``floor``."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(Decimal(5) / (Decimal(10) ** (places + 1)), floor)


@rule("W.YOY.RATE", "句中增长率与本年、上年数不符", "fatal", "text")
def rate_contradicts(ctx: Context) -> Iterator[Hit]:
    """The growth rate a sentence states is not (this year − last year) ÷ last year × 100 from the figures the
    same sentence states (half-up; a rate printed with fewer decimals is compared at its own precision)."""
    for s in _uncovered(ctx):
        if s.rate is None or s.last <= 0:
            continue
        expected = growth_rate(s.this, s.last)
        exact = (s.this - s.last) / s.last * HUNDRED
        if abs(s.rate - abs(exact)) <= _printed_tolerance(s.rate, ctx.settings.rate_tolerance):
            continue
        yield Hit(message=(f"{s.where()}“{s.text[:80]}”：本年{s.this_text}、上年{s.last_text}，增长率应为"
                           f"（{s.this:f}−{s.last:f}）÷{s.last:f}×100={abs(expected):.2f}%，文中写{s.rate_word}{s.rate:f}%。"),
                  location=s.para.location, subject=s.section.id, stated=s.rate, expected=abs(expected),
                  inputs={"本年": s.this, "上年": s.last})


SHARE_OF = re.compile(NUM + r"\s*" + UNIT + r"\s*[，,]?\s*占[^。；;，,\d%]{0,20}?" + NUM + r"\s*" + UNIT
                      + r"的?(?:比重|比例)?(?:为|是)?\s*" + NUM + r"\s*[%％]")

# SHARE_OF from its 占 on: in every match, and found ~50x faster (it starts with a literal character).
_SHARE_HINT = re.compile(r"占[^。；;，,\d%]{0,20}?" + NUM + r"\s*" + UNIT + r"的?(?:比重|比例)?(?:为|是)?\s*" + NUM + r"\s*[%％]")


@rule("W.SHARE.TEXT", "占比与句中金额、总额不符", "fatal", "text")
def share_of_stated_whole(ctx: Context) -> Iterator[Hit]:
    """“基本支出1174.93万元，占支出总额6128.18万元的19.17%”: the share equals the part ÷ the whole the same clause
    states (half-up; compared at the precision printed). Shares of a whole stated elsewhere: N.SHARE."""
    for section, i, para in paragraphs_matching(ctx, SHARE_OF, _SHARE_HINT):
        for m in SHARE_OF.finditer(para.text):
            part, whole, share = _num(m.group(1)), _num(m.group(3)), _num(m.group(5))
            if part is None or whole is None or share is None or whole == 0 or m.group(2) != m.group(4):
                continue
            if any(st.share is not None and st.amount == part for st in para.statements):
                continue  # the reading made a statement of it: N.SHARE judges it
            exact = part / whole * HUNDRED
            if abs(share - exact) <= _printed_tolerance(share, ctx.settings.rate_tolerance):
                continue
            unit = m.group(2)
            yield Hit(message=(f"{where(section, i)}“{m.group(0)}”：{part:f}{unit}÷{whole:f}{unit}×100="
                               f"{round_half_up(exact):.2f}%，文中写{share:f}%。"),
                      location=para.location, subject=section.id, stated=share, expected=round_half_up(exact),
                      inputs={"金额": part, "总额": whole})


# ------------------------------------------------------------------ completion rate (决算 ÷ 年初预算)

_BUDGET_FIG = re.compile(r"(?:年初)?预算(?:数)?(?:为|是|[:：])\s*" + NUM + r"\s*" + UNIT)
_FINAL_FIG = re.compile(r"决算(?:数)?(?:为|是|[:：])\s*" + NUM + r"\s*" + UNIT)
COMPLETION = re.compile(r"(?:(?:完成|达到|占)(?:了)?(?:年初)?(?:预算|调整预算)(?:数)?的|(?:预算)?(?:完成率|执行率)(?:为|是|达到?)?)\s*"
                        + NUM + r"\s*[%％]")

# In every COMPLETION match: “预算的R%”/“预算数的R%” (of 完成预算的, 达到调整预算数的 …) or 完成率/执行率.
_COMPLETION_HINT = re.compile(r"预算数?的\s*" + NUM + r"\s*[%％]|完成率|执行率")


@rule("W.RATE.COMPLETION", "预算完成率与句中决算数、预算数不符", "fatal", "text")
def completion_rate(ctx: Context) -> Iterator[Hit]:
    """“年初预算为A万元，支出决算为B万元，完成年初预算的R%”: R = B ÷ A × 100, from the two figures the same
    sentence states just before it (compared at the precision R is printed with)."""
    for section, i, para in paragraphs_matching(ctx, COMPLETION, _COMPLETION_HINT, ("预算的", "预算数的", "完成率", "执行率")):
        for s in re.finditer(r"[^。！？\n]+", para.text):
            text = s.group(0)
            for m in COMPLETION.finditer(text):
                # the figures of this clause: after the previous completion rate (or the sentence's start)
                start = max((x.end() for x in COMPLETION.finditer(text[:m.start()])), default=0)
                head = text[start:m.start()]
                budgets, finals = list(_BUDGET_FIG.finditer(head)), list(_FINAL_FIG.finditer(head))
                if len(budgets) != 1 or len(finals) != 1 or budgets[0].group(2) != finals[0].group(2):
                    continue
                budget, final, rate = _num(budgets[0].group(1)), _num(finals[0].group(1)), _num(m.group(1))
                if budget is None or final is None or rate is None or budget == 0:
                    continue
                exact = final / budget * HUNDRED
                if abs(rate - exact) <= _printed_tolerance(rate, ctx.settings.rate_tolerance):
                    continue
                unit = budgets[0].group(2)
                yield Hit(message=(f"{where(section, i)}“{excerpt(text, start, m.end(), 0)[:90]}”：决算{final:f}{unit}÷预算"
                                   f"{budget:f}{unit}×100={round_half_up(exact):.2f}%，文中写{rate:f}%。"),
                          location=para.location, subject=section.id, stated=rate, expected=round_half_up(exact),
                          inputs={"决算": final, "预算": budget})


FINAL_VS_BUDGET = re.compile(r"决算数?(?:比预算数?)?(大于|小于|高于|低于|超过|超出|等于|与(?:年初)?预算数?(?:基本)?持平)(?:年初)?(?:预算数?)?")


@rule("W.FINAL.COMPARE", "决算数与预算数的比较用词与句中数值不符", "fatal", "text")
def final_vs_budget(ctx: Context) -> Iterator[Hit]:
    """“年初预算为A万元，支出决算为B万元。决算数小于预算数的主要原因……” with B > A (or 大于 with B < A, 等于/持平
    with B ≠ A); the two figures are the ones the paragraph states just before (exactly one of each). 基本持平 is a
    judgement and is not checked."""
    for section, i, para in paragraphs_matching(ctx, FINAL_VS_BUDGET):
        text = para.text
        previous = 0
        for m in FINAL_VS_BUDGET.finditer(text):
            head = text[previous:m.start()]
            previous = m.end()
            budgets, finals = list(_BUDGET_FIG.finditer(head)), list(_FINAL_FIG.finditer(head))
            if len(budgets) != 1 or len(finals) != 1 or budgets[0].group(2) != finals[0].group(2):
                continue
            budget, final = _num(budgets[0].group(1)), _num(finals[0].group(1))
            if budget is None or final is None:
                continue
            word = m.group(1)
            if "基本" in word:
                continue
            unit = budgets[0].group(2)
            gap = final - budget
            actual = 0 if abs(gap) <= ctx.tolerance_for(unit) else _sign(gap)
            said = 1 if word in ("大于", "高于", "超过", "超出") else -1 if word in ("小于", "低于") else 0
            if said == actual:
                continue
            right = {1: "大于", -1: "小于", 0: "等于"}[actual]
            yield Hit(message=(f"{where(section, i)}“{excerpt(text, budgets[0].start(), m.end(), 0)[:90]}”：预算{budget:f}{unit}、"
                               f"决算{final:f}{unit}，决算数{right}预算数，文中却写“{m.group(0)}”。"),
                      location=para.location, subject=section.id, stated=word, expected=right,
                      inputs={"决算": final, "预算": budget})


# ------------------------------------------------------------------ years

# The look-behind written after the year's first two digits (the same matches; the engine skips to a 1 or 2).
_ANY_YEAR = re.compile(r"((?:19|20)(?<![\d〔\[（(]\d\d)\d{2})\s*年")
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")


def _years_outside_quotes(text: str) -> Iterator[re.Match]:
    blanked = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    yield from _ANY_YEAR.finditer(blanked)


_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[-—–~～至到]\s*((?:19|20)\d{2})")


def _in_range(text: str, pos: int, year: int) -> bool:
    """The year printed at ``pos`` belongs to a period (2024—2026年) that includes ``year``."""
    return any(r.start() <= pos < r.end() and int(r.group(1)) <= year <= int(r.group(2)) for r in _YEAR_RANGE.finditer(text))


def _covered_by_current_rule(title: str) -> bool:
    """Section titles H.YEAR.CURRENT already checks."""
    return "关于" in title or "部门预算" in title


@rule("W.YEAR.TITLE", "标题、表名中的年份与预算年度不符", "warning", "text")
def title_year(ctx: Context) -> Iterator[Hit]:
    """The document's title, a table title, a heading paragraph or a section title names a year other than the
    budget year (section titles with 关于/部门预算: H.YEAR.CURRENT). Years inside 《》 and 〔〕 (documents cited) are left out."""
    d = ctx.disclosure
    year = d.budget_year
    if not year:
        return
    items = [("标题", d.title, None, "title")]
    items += [(f"{PART_NAMES.get(s.part, '')}标题", s.title, s.location, s.id) for s in d.sections
              if not _covered_by_current_rule(s.title)]
    items += [(f"{t.number or ''}表名", t.title, t.location, t.kind) for t in d.tables]
    items += [(where(s, i), p.text, p.location, s.id) for s, i, p in paragraphs(ctx) if p.style == "heading"]
    for what, title, location, subject in items:
        for m in _years_outside_quotes(title or ""):
            y = int(m.group(1))
            context = (title or "")[max(0, m.start() - 4): m.start()]
            if y == year or any(w in context for w in ("比", "较", "与", "同", "截至", "截止")):
                continue
            if _in_range(title or "", m.start(), year):
                continue  # 2024—2026年: a period that includes the year
            if y == year - 1 and any(w in (title or "") for w in ("执行", "完成", "决算", "上年")):
                continue  # a budget's heading on last year's execution
            yield Hit(message=f"{what}“{(title or '').strip()[:60]}”中的年份{y}与{'预算' if d.phase == 'budget' else '决算'}年度{year}不符。",
                      location=location, subject=subject, stated=str(y), expected=str(year))
            break


PERIOD = re.compile(r"(项目实施周期|实施周期|资金执行时间|执行时间|项目执行期限?|执行期限|项目周期|实施期限|项目起止时间|起止时间)"
                    r"\s*[:：为是]?\s*([^。；;\n]{0,40})")
_PERIOD_YEAR = re.compile(r"((?:19|20)(?<!\d\d\d)\d{2})(?=\s*(?:年|[.\-/／—–~～至到]))")  # = facts._PERIOD_YEAR


@rule("W.YEAR.PERIOD", "项目实施周期、资金执行时间不含预算年度", "warning", "text")
def period_year(ctx: Context) -> Iterator[Hit]:
    """A project's 项目实施周期/资金执行时间 (“2022年1月1日-2022年12月31日”) whose years do not include the budget year
    (in a final account, nor the year before: a project evaluated after its completion). A period composed from a
    project's facts is left to F.YEAR.PERIOD."""
    year = ctx.disclosure.budget_year
    if not year:
        return
    for section, i, para in paragraphs_matching(ctx, PERIOD):
        # a period printed as composed from a project's ``period``: F.YEAR.PERIOD reports it where it was entered
        entered = [s.label for s in para.statements if s.subject.endswith(":period") and s.label] if ctx.package is not None else []
        for m in PERIOD.finditer(para.text):
            if any(label in m.group(2) for label in entered):
                continue
            years = [int(y) for y in _PERIOD_YEAR.findall(m.group(2))]
            if not years or min(years) <= year <= max(years):
                continue
            if ctx.disclosure.phase == "final" and min(years) <= year - 1 <= max(years):
                continue  # a final account may evaluate a project completed the year before
            shown = f"{min(years)}年" if min(years) == max(years) else f"{min(years)}—{max(years)}年"
            yield Hit(message=f"{where(section, i)}“{m.group(0).strip()[:60]}”：{m.group(1)}为{shown}，不含{year}年。",
                      location=para.location, subject=section.id, stated=shown, expected=str(year))


# ------------------------------------------------------------------ 部门 / 单位

_UNIT_TITLE = re.compile(r"单位(?:预算|决算)")
_DEPT_TITLE = re.compile(r"部门(?:预算|决算)(?!支出经济分类|经济分类)")
# Self-references of a department in a unit's document. “部门预算支出经济分类” is the classification's
# name, “主管部门/有关部门/财政部门” are other bodies, “纳入部门预算（管理）” is the budget system: none of
# them is the unit speaking of itself.
DEPT_SELF = re.compile(r"(本部门|我部门|(?<![主管有关相财政各业务职能])(?<!纳入)部门(?:预算|决算)(?!支出经济分类|经济分类|管理|改革|编制规则))")
UNIT_HEADING = re.compile(r"单位(?:预算|决算)(?:公开|情况|编制|说明)?")


def document_kind(ctx: Context) -> str | None:
    """'unit' for a 单位预算/决算, 'department' for a 部门预算/决算, from the document's title (or, without
    one, the section titles by majority); None when the titles do not say or say both."""
    def decide() -> str | None:
        title = ctx.disclosure.title or ""
        unit, dept = bool(_UNIT_TITLE.search(title)), bool(_DEPT_TITLE.search(title))
        if unit != dept:
            return "unit" if unit else "department"
        if unit and dept:
            return None
        votes_unit = sum(1 for s in ctx.disclosure.sections if _UNIT_TITLE.search(s.title))
        votes_dept = sum(1 for s in ctx.disclosure.sections if _DEPT_TITLE.search(s.title))
        if votes_unit and not votes_dept:
            return "unit"
        if votes_dept and not votes_unit:
            return "department"
        return None

    return ctx.cached(("wording_kind",), decide)


@rule("W.SELF.NAME", "“部门”“单位”自称与公开主体不符", "warning", "text")
def self_name(ctx: Context) -> Iterator[Hit]:
    """A 单位预算/决算 (its title names 单位) calls itself 本部门 or 部门预算; a 部门预算/决算 titles a section or
    table 单位预算. (A department says 本单位 of itself often and rightly — one unit, or its own office — so the
    body text of a department's document is not checked the other way.)"""
    kind = document_kind(ctx)
    d = ctx.disclosure
    if kind == "unit":
        for section, i, para in paragraphs_matching(ctx, DEPT_SELF):
            m = DEPT_SELF.search(_QUOTED.sub(lambda q: " " * len(q.group(0)), para.text))
            if m is None:
                continue  # only inside a cited document's name (《……部门预算管理办法》)
            yield Hit(message=f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”：本文件是单位{'预算' if d.phase == 'budget' else '决算'}"
                              f"（标题“{d.title}”），应写“{m.group(0).replace('部门', '单位')}”，不应自称“{m.group(0)}”。",
                      location=para.location, subject=section.id, stated=m.group(0), expected=m.group(0).replace("部门", "单位"))
        for t in d.tables:
            m = DEPT_SELF.search(t.title)
            if m:
                yield Hit(message=f"{t.number or ''}表名“{t.title}”写“{m.group(0)}”，而本文件是单位{'预算' if d.phase == 'budget' else '决算'}。",
                          location=t.location, subject=t.kind, stated=m.group(0), expected=m.group(0).replace("部门", "单位"))
    elif kind == "department":
        items = [(f"{PART_NAMES.get(s.part, '')}标题", s.title, s.location, s.id) for s in d.sections]
        items += [(f"{t.number or ''}表名", t.title, t.location, t.kind) for t in d.tables]
        for what, title, location, subject in items:
            m = UNIT_HEADING.search(title)
            if m and "部门" not in title:
                yield Hit(message=f"{what}“{title}”写“{m.group(0)}”，而本文件是部门{'预算' if d.phase == 'budget' else '决算'}（标题“{d.title}”）。",
                          location=location, subject=subject, stated=m.group(0), expected=m.group(0).replace("单位", "部门"))


# ------------------------------------------------------------------ renamed classification names

@lru_cache(maxsize=None)
def _renamed_pattern(olds: tuple[str, ...]) -> re.Pattern:
    """Any of the old names, in their order. “生态环境保护支出” is a purpose, not the old 211 class: the
    look-behind after the name (= “(?<!生态)” before it) leaves the pattern a plain alternation of literals,
    which the engine scans ~5x faster than one starting with a look-behind."""
    return re.compile("|".join(re.escape(old) + (f"(?<!生态{re.escape(old)})" if old.startswith("环境") else "") for old in olds))


@rule("W.CLASS.RENAMED", "旧科目名称", "warning", "text")
def renamed_classes(ctx: Context) -> Iterator[Hit]:
    """A classification name replaced by a later edition (医疗卫生与计划生育支出 → 卫生健康支出 since 2019, 环境保护支出
    → 节能环保支出 since 2011; table ``catalog/data/renamed.csv``), in the text or a table row, for a budget year
    the new edition applies to. An old name is never an unknown class: the message names the current one."""
    year = ctx.disclosure.budget_year
    if not year:
        return
    olds = [r for r in catalog.renamed_classes() if r.edition <= year]
    if not olds:
        return
    pattern = _renamed_pattern(tuple(r.old for r in olds))
    # Every match of ``pattern`` is one of the old names: a text holding none of them (as usual) is not
    # scanned, and nor are the table rows (``catalog.current_name`` finds a rename by the same containment).
    joined = joined_text(ctx)[0]
    in_text = any(r.old in joined for r in olds)
    for section, i, para in (paragraphs_matching(ctx, pattern) if in_text else ()):
        for m in pattern.finditer(para.text):
            r = next(x for x in olds if x.old == m.group(0))
            # the whole printed name around the stem (其他医疗卫生与计划生育支出, …管理事务)
            start = m.start()
            while start > 0 and para.text[start - 1] in "其他":
                start -= 1
            end = m.end()
            tail = re.match(r"[\u4e00-\u9fff]{0,8}?(?:支出|事务)", para.text[end:]) if not r.old.endswith("支出") else None
            if tail:
                end += tail.end()
            old_name = para.text[start:end]
            yield Hit(message=(f"{where(section, i)}“{excerpt(para.text, m.start(), m.end())}”使用旧科目名称“{old_name}”，"
                               f"{r.edition}年起的科目名称为“{old_name.replace(r.old, r.new)}”（{r.code}）。"),
                      location=para.location, subject=section.id, stated=old_name, expected=old_name.replace(r.old, r.new))
    names = "\n".join(row.name or "" for table in ctx.disclosure.tables for row in table.rows)
    if not any(r.old in names for r in olds):
        return  # = current_name(name, year) is None for every row
    seen: set[tuple[str, str]] = set()
    for table in ctx.disclosure.tables:
        for row in table.rows:
            name = row.name or ""
            found = catalog.current_name(name, year)
            if found is None or (row.code or "", name) in seen:
                continue
            seen.add((row.code or "", name))
            new, r = found
            yield Hit(message=(f"{table.label}“{(row.code or '') + ' ' if row.code else ''}{name.strip()}”使用旧科目名称，"
                               f"{r.edition}年起的科目名称为“{new.strip()}”。"),
                      location=cell_location(table, row, None), subject=row.key, stated=name.strip(), expected=new.strip())


# ------------------------------------------------------------------ notes under empty tables

SECTION_OF = {"fund_expenditure": "fund", "capital_expenditure": "capital"}
BUDGET_NAMES = {"fund_expenditure": ("政府性基金", "国有资本经营"), "capital_expenditure": ("国有资本经营", "政府性基金")}
_EMPTY_WORDS = re.compile(r"空表|无数据|没有使用|未安排|无[^，。]{0,20}(?:预算|拨款|支出|收入)")


@rule("W.EMPTY.NOTE", "空表说明与表格不符", "warning", "text", reads=("fund_expenditure", "capital_expenditure"))
def empty_note_wording(ctx: Context) -> Iterator[Hit]:
    """The note under table 8/9 says the table is empty for another budget (政府性基金 under the 国有资本经营 table),
    names a year other than the budget year, or says 空表/无 while the table prints figures.
    (An empty table with no note at all: K.TABLE.EMPTY_NOTE.)"""
    year = ctx.disclosure.budget_year
    for table in ctx.disclosure.tables:
        note = (table.empty_note or "").strip()
        if not note:
            continue
        label = f"{table.label}下的说明“{note[:60]}”"
        if not table_is_empty(table) and _EMPTY_WORDS.search(note):
            figures = any(c.value for r in table.rows for c in r.cells.values())
            if figures:
                yield Hit(message=f"{label}称本表无数据，但表中列有金额。",
                          location=table.location, subject=table.kind, stated=note[:60])
                continue
        names = BUDGET_NAMES.get(table.kind)
        if names and table_is_empty(table):
            own, other = names
            # a template's instruction before the note proper (“无……的，仍保留该表格式，并在本表下方作下述说明：”)
            body = note.rsplit("说明：", 1)[-1] if "说明：" in note else note
            if other in body and own not in body:
                yield Hit(message=f"{label}写的是“{other}预算”，而本表是{own}预算表（复制其他表的说明未改）。",
                          location=table.location, subject=table.kind, stated=other, expected=own)
                continue
        if year:
            for m in _years_outside_quotes(note):
                y = int(m.group(1))
                if y != year:
                    yield Hit(message=f"{label}中的年份{y}与{'预算' if ctx.disclosure.phase == 'budget' else '决算'}年度{year}不符。",
                              location=table.location, subject=table.kind, stated=str(y), expected=str(year))
                    break


_SAYS_EMPTY = SAYS_EMPTY


@rule("W.EMPTY.TEXT", "空表在情况说明中未作说明或说明写错预算", "warning", "text",
      reads=("fund", "capital", "fund_expenditure", "capital_expenditure"))
def empty_table_text(ctx: Context) -> Iterator[Hit]:
    """Table 8/9 prints no figure and says so in a note under it, and its Part 3 section (政府性基金/国有资本经营预算拨款情况说明) neither says so
    (the profile's ``wording.empty_table``: “本部门无……，故本表为空表”) nor gives an amount; or it says so for the
    other budget. (No note anywhere, neither under the table nor in the text: K.TABLE.EMPTY_NOTE.)"""
    template = ((ctx.profile.get("wording") or {}).get("empty_table") or "").strip()
    for kind, sid in SECTION_OF.items():
        table, section = ctx.table(kind), ctx.disclosure.section(sid)
        if table is None or section is None or not table_is_empty(table):
            continue
        if not (table.empty_note or "").strip():
            continue  # no note under the table either: K.TABLE.EMPTY_NOTE reports the one omission
        text = "".join(p.text for p in section.paragraphs)
        if not text.strip():
            continue  # an empty section is the completeness rules' finding
        own, other = BUDGET_NAMES[kind]
        if not _SAYS_EMPTY.search(text):
            example = f"（本地区写法：“{template}”）" if template else "（如“本部门无……，故本表为空表”）"
            yield Hit(message=f"{table.label}没有数据，第三部分“{section.title.strip()}”却没有说明本表为空表{example}。",
                      location=section.paragraphs[0].location or section.location, subject=sid)
        elif other in text and own not in text:
            yield Hit(message=f"第三部分“{section.title.strip()}”的说明写的是“{other}预算”，而{table.label}是{own}预算表。",
                      location=section.paragraphs[0].location or section.location, subject=sid, stated=other, expected=own)
