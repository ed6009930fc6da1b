"""One injected error per document, in the composed ``Disclosure`` (what is printed), never in the facts.

Each injector changes printed cells or printed paragraph text only, so the facts stay consistent and
only the document is wrong, and returns the truth record::

    {"category", "kind", "location": {...}, "description" (Chinese), "expected_rules": [...], "also_rules": [...]}

``expected_rules`` are the rules that should catch the error (recall counts a hit of one of them near
the location); ``also_rules`` are rules whose findings are a correct consequence of the same error (a
changed item cell also breaks a cross-table identity): precision counts them as matching, recall
does not need them. An injector returns ``None`` when the document offers no place for its category
(a department without yoy sentences has no direction word to flip); ``inject`` then tries another.
"""

from __future__ import annotations

import random
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from yusuan.compose.wording import money, pct
from yusuan.disclosure import Cell, Disclosure, Paragraph, Row, Section, Statement, Table

CATEGORIES = ("sum", "cross_table", "text_vs_table", "percentage", "yoy_base", "remnant_punctuation",
              "wrong_year", "direction_word", "entity_wording", "missing_section")
CATEGORY_ZH = {
    "sum": "表内合计", "cross_table": "表间不一致", "text_vs_table": "文字与表格不符", "percentage": "百分比",
    "yoy_base": "同比基数", "remnant_punctuation": "模板残留与标点", "wrong_year": "年份错误",
    "direction_word": "增减用词", "entity_wording": "部门/单位自称", "missing_section": "缺少章节或表格",
}
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
# table kind → rule-ID prefix of its within-table rules
PREFIX = {"income_expenditure": "T1", "income": "T2", "expenditure": "T3", "fiscal_income_expenditure": "T4",
          "general_expenditure": "T5", "general_basic": "T6", "general_project": "T7", "fund_expenditure": "T8",
          "capital_expenditure": "T9", "sangong": "T10", "fiscal_expenditure": "TF", "sangong_operating": "TS"}
SUM_KINDS = ("income", "expenditure", "general_expenditure", "general_basic", "general_project", "fund_expenditure",
             "capital_expenditure", "fiscal_expenditure", "sangong", "sangong_operating")
CROSS_KINDS = ("expenditure", "general_expenditure", "fiscal_expenditure")
# statement subjects whose amount a table also prints
TABLE_SUBJECTS = re.compile(r"^(total|income:\w+|expenditure:(basic|project|function:\d+)|fiscal:.+|general:(total|basic|project|"
                            r"personnel|public|function:\d+|economic:\d+)|fund:total|capital:total|sangong:\w+|operating_costs|"
                            r"project:.+:scale)$")


class Rules:
    """Rule IDs of the registry, selected by prefix or category (so the truth names real rules only)."""

    def __init__(self) -> None:
        from yusuan.rules.engine import registered_rules

        self.rules = registered_rules()

    def prefix(self, *prefixes: str) -> list[str]:
        return sorted(r for r in self.rules if r.startswith(prefixes))

    def category(self, *categories: str) -> list[str]:
        return sorted(r.id for r in self.rules.values() if r.category in categories)

    def ids(self, *ids: str) -> list[str]:
        return [i for i in ids if i in self.rules]


# The reader's own finding when a table or section is not in the file (a reading finding, not a registry rule).
READER_MISSING = ["R.SECTION.MISSING"]

# ------------------------------------------------------------------ helpers

def _fmt(value: Decimal, table: Table) -> str:
    thousands = any("," in c.text for r in table.rows for c in r.cells.values())
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}" if thousands else f"{value:.2f}"


def _delta(rng: random.Random, value: Decimal, table: Table) -> Decimal:
    """A change a reader notices: 1 万元 or more (a share of the value), in the table's unit, never below zero."""
    wan = value / TEN_THOUSAND if table.unit == "元" else value
    size = max(Decimal(1), (abs(wan) * Decimal(rng.randint(3, 20)) / 100).quantize(CENT))
    size = (size + Decimal(rng.randint(0, 99)) * CENT).quantize(CENT)
    sign = -1 if rng.random() < 0.5 and wan - size > 0 else 1
    out = size * sign
    return out * TEN_THOUSAND if table.unit == "元" else out


def _set(table: Table, cell: Cell, value: Decimal) -> None:
    cell.value = value
    cell.text = _fmt(value, table)


def _numeric(row: Row, column: str) -> Decimal | None:
    cell = row.cells.get(column)
    return cell.value if cell is not None and cell.value else None


def _cell_location(table: Table, row: Row, column: str, index: int) -> dict:
    label = next((c.label for c in table.columns if c.key == column), column)
    return {"table_kind": table.kind, "table": table.label, "table_title": table.title, "row": index + 1,
            "row_key": row.key, "row_name": row.name, "column": column, "column_label": label}


def _paragraphs(d: Disclosure, parts=(3,)):
    for s in d.sections:
        if s.part in parts:
            for i, p in enumerate(s.paragraphs):
                yield s, i, p


def _text_location(s: Section, i: int, p: Paragraph, subject: str | None = None) -> dict:
    loc = {"section_id": s.id, "section": s.title, "paragraph": i + 1}
    if subject:
        loc["subject"] = subject
    return loc


def _replace_once(p: Paragraph, old: str, new: str) -> bool:
    """Replace ``old`` in the paragraph when it occurs exactly once (so the change is unambiguous)."""
    if not old or p.text.count(old) != 1:
        return False
    p.text = p.text.replace(old, new, 1)
    for st in p.statements:
        st.text = p.text
    return True


def _statements(d: Disclosure, test: Callable[[Statement], bool]):
    for s, i, p in _paragraphs(d, parts=(1, 3)):
        for st in p.statements:
            if test(st):
                yield s, i, p, st


# ------------------------------------------------------------------ the injectors

def inject_sum(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """One item cell changed, its 款/类 and total rows left as they were."""
    places = []
    for t in d.tables:
        if t.kind not in SUM_KINDS:
            continue
        for i, r in enumerate(t.rows):
            item = r.role == "item" and (r.level == "项" or r.key.startswith(("e:", "p:")) and len(r.key) != 5
                                         or r.key in ("sangong:abroad", "sangong:reception", "sangong:vehicle_purchase",
                                                      "sangong:vehicle_operation"))
            if r.key.startswith("e:") and len(r.key) != 7:
                item = False  # an economic 类 row
            if not item:
                continue
            for c in t.columns:
                if c.key != "project_name" and _numeric(r, c.key) is not None:
                    places.append((t, i, r, c.key))
    if not places:
        return None
    t, i, r, col = rng.choice(places)
    cell = r.cells[col]
    old = cell.value
    new = old + _delta(rng, old, t)
    _set(t, cell, new)
    prefix = PREFIX[t.kind]
    return {"kind": "item_cell", "location": _cell_location(t, r, col, i),
            "description": f"{t.label}“{r.name}”行“{_label(t, col)}”列由 {_fmt(old, t)} 改为 {_fmt(new, t)}，合计行、上级科目行未改",
            "expected_rules": rules.prefix(f"{prefix}."), "also_rules": rules.category("cross-table", "text-vs-table", "performance")}


def _label(t: Table, col: str) -> str:
    return next((c.label for c in t.columns if c.key == col), col)


def inject_cross_table(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A function 项's 基本 or 项目 figure changed with its row total, its 款/类 rows and the table total, so
    the table still adds up and only the other tables disagree."""
    places = []
    for t in d.tables:
        if t.kind not in CROSS_KINDS:
            continue
        total = next((r for r in t.rows if r.role == "total"), None)
        for i, r in enumerate(t.rows):
            if r.level != "项" or not r.key.startswith("f:"):
                continue
            for col in ("basic", "project"):
                if _numeric(r, col) is not None and _numeric(r, "total") is not None:
                    places.append((t, i, r, col, total))
    if not places:
        return None
    t, i, r, col, total = rng.choice(places)
    delta = _delta(rng, r.cells[col].value, t)
    code = r.key[2:]
    chain = [r] + [x for x in t.rows if x.key in (f"f:{code[:5]}", f"f:{code[:3]}")] + ([total] if total else [])
    for row in chain:
        for c in (col, "total"):
            cell = row.cells.get(c)
            if cell is not None and cell.value is not None:
                _set(t, cell, cell.value + delta)
    return {"kind": "row_with_totals", "location": _cell_location(t, r, col, i),
            "description": f"{t.label}“{r.name}”行“{_label(t, col)}”列及其上级科目行、合计行同增 {_fmt(delta, t)}（表内自洽，与其他表不符）",
            "expected_rules": rules.category("cross-table"),
            # a 项目支出 change moves the table's project total, which the performance tables must cover
            # (P.MISSING: project money without a target table; P.SUMMARY / P.BUDGET.TABLES against it)
            "also_rules": rules.category("text-vs-table", "year-over-year")
            + (rules.ids("P.MISSING", "P.BUDGET.TABLES", "P.SUMMARY") if col == "project" else [])}


def inject_text_vs_table(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A narrative amount that a table also prints, changed in the text only."""
    places = [(s, i, p, st) for s, i, p, st in _statements(d, lambda st: st.amount is not None and st.amount > 0
                                                          and bool(TABLE_SUBJECTS.match(st.subject)))
              if p.text.count(money(st.amount)) == 1]
    if not places:
        return None
    s, i, p, st = rng.choice(places)
    size = max(Decimal(1), (st.amount * Decimal(rng.randint(3, 20)) / 100).quantize(CENT))
    new = st.amount + size if rng.random() < 0.5 or st.amount - size <= 0 else st.amount - size
    if not _replace_once(p, money(st.amount), money(new)):
        return None
    old = st.amount
    st.amount = new
    return {"kind": "narrative_amount", "location": _text_location(s, i, p, st.subject),
            "description": f"“{s.title}”第{i + 1}段“{st.label or st.subject}”由{money(old)}改为{money(new)}（表格未改）",
            "expected_rules": rules.category("text-vs-table") + rules.prefix("P.SUMMARY"),
            "also_rules": rules.category("year-over-year", "text", "performance")}


def inject_percentage(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A printed share (占X%) that does not follow from the amount and the whole."""
    places = [(s, i, p, st) for s, i, p, st in _statements(d, lambda st: st.share is not None)
              if p.text.count(f"占{pct(st.share)}") == 1]
    if not places:
        return None
    s, i, p, st = rng.choice(places)
    step = (Decimal(rng.randint(50, 500)) * CENT)
    new = st.share + step if st.share + step <= 100 and (rng.random() < 0.5 or st.share - step < 0) else st.share - step
    if new < 0 or not _replace_once(p, f"占{pct(st.share)}", f"占{pct(new)}"):
        return None
    old = st.share
    st.share = new
    return {"kind": "share", "location": _text_location(s, i, p, st.subject),
            "description": f"“{s.title}”第{i + 1}段“{st.label or st.subject}”占比由{pct(old)}改为{pct(new)}",
            "expected_rules": rules.ids("N.SHARE", "W.SHARE.TEXT"),
            "also_rules": rules.ids("N.SHARE.SUM", "N.SHARE.PARTS")}


def inject_yoy_base(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """The growth rate computed on the wrong base: the change divided by this year's amount instead of last year's."""
    places = []
    for s, i, p, st in _statements(d, lambda st: st.rate is not None and st.change and st.amount):
        wrong = (abs(st.change) / st.amount * 100).quantize(CENT, rounding=ROUND_HALF_UP)
        if wrong != abs(st.rate) and p.text.count(pct(st.rate)) == 1:
            places.append((s, i, p, st, wrong))
    if not places:
        return None
    s, i, p, st, wrong = rng.choice(places)
    old = st.rate
    if not _replace_once(p, pct(st.rate), pct(wrong)):
        return None
    st.rate = wrong if old > 0 else -wrong
    return {"kind": "rate_on_current_year", "location": _text_location(s, i, p, st.subject),
            "description": f"“{s.title}”第{i + 1}段“{st.label or st.subject}”增长率按本年数作基数算为{pct(wrong)}（应为{pct(old)}）",
            "expected_rules": rules.ids("Y.RATE", "W.YOY.RATE"),
            "also_rules": rules.ids("Y.CHANGE", "W.YOY.CHANGE", "Y.LAST_YEAR.SUM", "Y.LAST_YEAR.SUM.ROUNDING", "Y.DIRECTION")}


OPPOSITE = {"增加": "减少", "减少": "增加"}


def inject_direction_word(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """增加 where the amount fell (or 减少 where it rose): the change word flipped, the figures kept."""
    places = []
    for s, i, p, st in _statements(d, lambda st: st.change_word in OPPOSITE and st.change):
        clause = f"{st.change_word}{money(abs(st.change))}"
        if p.text.count(clause) == 1:
            places.append((s, i, p, st, clause))
    if not places:
        return None
    s, i, p, st, clause = rng.choice(places)
    word = OPPOSITE[st.change_word]
    if not _replace_once(p, clause, word + clause[len(st.change_word):]):
        return None
    old_word = st.change_word
    st.change_word, st.change = word, -st.change  # what a reader of the printed text takes it to say
    return {"kind": "change_word_flipped", "location": _text_location(s, i, p, st.subject),
            "description": f"“{s.title}”第{i + 1}段“{st.label or st.subject}”“{old_word}”改为“{word}”，金额与增长率未改",
            "expected_rules": rules.ids("Y.DIRECTION", "W.YOY.DIRECTION"),
            "also_rules": rules.ids("Y.CHANGE", "Y.RATE", "W.YOY.CHANGE", "W.YOY.RATE", "Y.LAST_YEAR.SUM",
                                    "Y.LAST_YEAR.SUM.ROUNDING", "Y.LAST_YEAR.NEGATIVE", "H.REASON.NO_CHANGE")}


def inject_remnant_punctuation(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A template remnant or a punctuation slip in a Part 3 paragraph."""
    body = [(s, i, p) for s, i, p in _paragraphs(d, parts=(1, 3)) if p.style != "heading" and len(p.text) > 8]
    kinds = ["double_period", "comma_period", "unpaired_bracket", "placeholder", "option_left", "empty_reason"]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind in ("double_period", "comma_period"):
            places = [(s, i, p) for s, i, p in body if p.text.endswith("。") and "。。" not in p.text and "，。" not in p.text]
            if not places:
                continue
            s, i, p = rng.choice(places)
            p.text = p.text[:-1] + ("。。" if kind == "double_period" else "，。")
            expected, what = rules.ids("W.PUNCT.DOUBLE"), "句末标点重复" if kind == "double_period" else "句末“，。”连用"
        elif kind == "unpaired_bracket":
            places = [(s, i, p) for s, i, p in body if p.text.count("）") >= 1 and p.text.count("（") == p.text.count("）")]
            if not places:
                continue
            s, i, p = rng.choice(places)
            k = p.text.rindex("）")
            p.text = p.text[:k] + p.text[k + 1:]
            expected, what = rules.ids("W.PUNCT.UNPAIRED"), "删去一个右括号“）”，括号不成对"
        elif kind == "placeholder":
            places = [(s, i, p) for s, i, p in body if d.unit_name in p.text]
            if not places:
                continue
            s, i, p = rng.choice(places)
            mark = rng.choice(["XX", "××", "XXX"])
            p.text = p.text.replace(d.unit_name, f"{mark}单位", 1)
            expected, what = rules.ids("H.PLACEHOLDER", "W.TEMPLATE"), f"单位名称处留下模板占位符“{mark}”"
        elif kind == "option_left":
            places = [(s, i, p, w) for s, i, p in body for w in ("增加", "减少", "增长", "下降")
                      if p.statements and any(st.change_word for st in p.statements) and p.text.count(w) == 1]
            if not places:
                continue
            s, i, p, w = rng.choice(places)
            option = {"增加": "增加（减少）", "减少": "增加（减少）", "增长": "增长（下降）", "下降": "增长（下降）"}[w]
            p.text = p.text.replace(w, option, 1)
            expected, what = rules.ids("W.TEMPLATE", "H.PLACEHOLDER"), f"“{w}”处留下模板选项“{option}”"
        else:
            places = [(s, i, p) for s, i, p in body if re.search(r"主要原因是[^。；]+", p.text)]
            if not places:
                continue
            s, i, p = rng.choice(places)
            p.text = re.sub(r"主要原因是[^。；]+", "主要原因是", p.text, count=1)
            expected, what = rules.ids("H.REASON.EMPTY", "W.TEMPLATE"), "“主要原因是”后没有写原因"
        for st in p.statements:
            st.text = p.text
        return {"kind": kind, "location": _text_location(s, i, p), "description": f"“{s.title}”第{i + 1}段{what}",
                "expected_rules": expected, "also_rules": rules.ids("Y.REASON.MISSING", "H.REASON.RESTATES",
                                                                     "K.SANGONG.EXPLAINED", "H.PUNCTUATION")}
    return None


def inject_wrong_year(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A year that does not fit the budget year: a section title, a project period, a 比X年 comparison,
    the body's current year or the asset date."""
    year = d.budget_year
    if not year:
        return None
    y, last = str(year), str(year - 1)
    kinds = ["title", "period", "comparison", "current", "assets"]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "title":
            places = [s for s in d.sections if s.part == 3 and f"{y}年" in s.title]
            if not places:
                continue
            s = rng.choice(places)
            wrong = str(year + rng.choice([-1, 1]))
            old = s.title
            s.title = s.title.replace(f"{y}年", f"{wrong}年", 1)
            if s.location:
                s.location.section = s.title
            for p in s.paragraphs:
                if p.location:
                    p.location.section = s.title
            return {"kind": "section_title", "location": {"section_id": s.id, "section": s.title, "section_before": old},
                    "description": f"章节标题“{old}”中的年份改为{wrong}年", "expected_rules": rules.ids("W.YEAR.TITLE", "H.YEAR.CURRENT"),
                    "also_rules": []}
        if kind == "period":
            span = f"{y}年1月1日-{y}年12月31日"
            places = [(s, i, p) for s, i, p in _paragraphs(d) if p.text.count(span) == 1]
            if not places:
                continue
            s, i, p = rng.choice(places)
            wrong = str(year - rng.choice([1, 2]))
            _replace_once(p, span, f"{wrong}年1月1日-{wrong}年12月31日")
            return {"kind": "project_period", "location": _text_location(s, i, p),
                    "description": f"“{s.title}”第{i + 1}段资金执行时间写成{wrong}年", "expected_rules": rules.ids("W.YEAR.PERIOD"),
                    "also_rules": rules.ids("H.YEAR.CURRENT")}
        if kind == "comparison":
            places = [(s, i, p) for s, i, p in _paragraphs(d) if p.text.count(f"比{last}年") == 1]
            if not places:
                continue
            s, i, p = rng.choice(places)
            wrong = str(year - 2)
            _replace_once(p, f"比{last}年", f"比{wrong}年")
            return {"kind": "comparison_year", "location": _text_location(s, i, p),
                    "description": f"“{s.title}”第{i + 1}段“比{last}年”写成“比{wrong}年”", "expected_rules": rules.ids("H.YEAR.COMPARISON"),
                    "also_rules": rules.ids("H.YEAR.CURRENT")}
        if kind == "current":
            needle = f"{d.unit_name}{y}年"
            places = [(s, i, p) for s, i, p in _paragraphs(d) if p.text.count(needle) == 1]
            if not places:
                continue
            s, i, p = rng.choice(places)
            wrong = str(year + rng.choice([-1, 1]))
            _replace_once(p, needle, f"{d.unit_name}{wrong}年")
            return {"kind": "current_year", "location": _text_location(s, i, p),
                    "description": f"“{s.title}”第{i + 1}段本年年份写成{wrong}年", "expected_rules": rules.ids("H.YEAR.CURRENT"),
                    "also_rules": rules.ids("H.YEAR.COMPARISON", "W.YEAR.TITLE")}
        if kind == "assets":
            places = [(s, i, p) for s, i, p in _paragraphs(d) if s.id == "other.assets" and p.text.count(f"{last}年") == 1]
            if not places:
                continue
            s, i, p = rng.choice(places)
            wrong = str(year - 3)
            _replace_once(p, f"{last}年", f"{wrong}年")
            return {"kind": "assets_date", "location": _text_location(s, i, p),
                    "description": f"“{s.title}”第{i + 1}段资产截止时间写成{wrong}年", "expected_rules": rules.ids("H.YEAR.ASSETS"),
                    "also_rules": rules.ids("H.YEAR.CURRENT")}
    return None


def inject_entity_wording(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A 部门预算 that titles one of its Part 3 sections 单位预算."""
    if "部门" not in d.title:
        return None
    sections = [s for s in d.sections if s.part == 3]
    with_dept = [s for s in sections if "部门预算" in s.title]
    if with_dept:
        s = rng.choice(with_dept)
        new = s.title.replace("部门预算", "单位预算", 1)
    else:
        candidates = [s for s in sections if re.search(r"\d{4}年", s.title) and "部门" not in s.title]
        if not candidates:
            return None
        s = rng.choice(candidates)
        new = re.sub(r"(\d{4}年)", r"\1单位预算", s.title, count=1)
    old = s.title
    s.title = new
    if s.location:
        s.location.section = new
    for p in s.paragraphs:
        if p.location:
            p.location.section = new
    return {"kind": "unit_heading", "location": {"section_id": s.id, "section": new, "section_before": old},
            "description": f"部门预算的章节标题“{old}”写成“{new}”", "expected_rules": rules.ids("W.SELF.NAME"), "also_rules": []}


def inject_missing_section(d: Disclosure, rng: random.Random, rules: Rules) -> dict | None:
    """A Part 3 section or a table left out of the document."""
    sections = [s for s in d.sections if f"K.SECTION.{s.id.upper().replace('.', '_')}" in rules.rules]
    tables = [t for t in d.tables if t.kind != "fiscal_expenditure"]
    if sections and (not tables or rng.random() < 0.6):
        s = rng.choice(sections)
        d.sections.remove(s)
        rule = f"K.SECTION.{s.id.upper().replace('.', '_')}"
        return {"kind": "section", "location": {"section_id": s.id, "section": s.title},
                "description": f"删去了章节“{s.title}”", "expected_rules": [rule],
                "also_rules": rules.category("completeness") + rules.ids("W.EMPTY.TEXT", "P.SUMMARY", "P.MISSING") + READER_MISSING}
    if not tables:
        return None
    t = rng.choice(tables)
    d.tables.remove(t)
    return {"kind": "table", "location": {"table_kind": t.kind, "table": t.label, "table_title": t.title},
            "description": f"删去了表格“{t.label}”", "expected_rules": rules.ids("K.TABLE.PRESENT"),
            "also_rules": rules.category("completeness") + rules.ids("W.EMPTY.TEXT", "P.BUDGET.TABLES", "P.MISSING") + READER_MISSING}


INJECTORS: dict[str, Callable[[Disclosure, random.Random, Rules], dict | None]] = {
    "sum": inject_sum, "cross_table": inject_cross_table, "text_vs_table": inject_text_vs_table,
    "percentage": inject_percentage, "yoy_base": inject_yoy_base, "remnant_punctuation": inject_remnant_punctuation,
    "wrong_year": inject_wrong_year, "direction_word": inject_direction_word, "entity_wording": inject_entity_wording,
    "missing_section": inject_missing_section,
}
assert set(INJECTORS) == set(CATEGORIES)


def inject(d: Disclosure, rng: random.Random, category: str | None = None, rules: Rules | None = None) -> dict | None:
    """Inject one error into ``d`` (changed in place): the given category, or a random one; when the
    document has no place for it, the next category in a shuffled order. None when nothing applies."""
    rules = rules or Rules()
    order = list(CATEGORIES)
    rng.shuffle(order)
    if category is not None:
        order = [category]
    for name in order:
        record = INJECTORS[name](d, rng, rules)
        if record is not None:
            return {"category": name, **record}
    return None
