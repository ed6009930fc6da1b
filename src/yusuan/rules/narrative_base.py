"""Shared helpers for the text rules (narrative, year-over-year, completeness, hygiene).

Statements carry what a sentence *states*; tables carry what a cell *states*. These helpers put
both in 万元, find the table figure a statement talks about, and describe where a figure is
printed in Chinese so that every message says "what is stated, what the other figures imply, where".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Iterator

from yusuan.amounts import fmt_amount
from yusuan.disclosure import Disclosure, Location, Paragraph, Section, Statement, Table

if TYPE_CHECKING:
    from yusuan.rules.registry import Context

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
MONEY_UNITS = {"万元", "元"}

PART_NAMES = {1: "第一部分", 2: "第二部分", 3: "第三部分", 4: "第四部分"}


@dataclass(init=False)
class Placed:
    """A statement with the section and paragraph it was printed in."""

    section: Section
    index: int  # paragraph number within the section, from 1
    paragraph: Paragraph
    statement: Statement
    # The statement's subject, copied once: rules read it thousands of times per check.
    subject: str = field(init=False, repr=False, compare=False)

    # Written out rather than generated with a __post_init__: a check places every statement (~200), and
    # the generated __init__ calling __post_init__ was a visible part of the first rule's time.
    def __init__(self, section: Section, index: int, paragraph: Paragraph, statement: Statement) -> None:
        self.section, self.index, self.paragraph, self.statement = section, index, paragraph, statement
        self.subject = statement.subject

    def where(self) -> str:
        return where_stated(self.section, self.index, self.statement)

    @property
    def location(self) -> Location:
        return self.statement.location or self.paragraph.location or Location(
            part=PART_NAMES.get(self.section.part), section=self.section.title, paragraph=self.index
        )


def where_stated(section: Section, index: int, statement: Statement | None = None) -> str:
    loc = statement.location if statement is not None else None
    base = f"{PART_NAMES.get(section.part, '')}“{short_title(section.title)}”第{index}段"
    if loc is None:
        return base
    extra = " ".join(b for b in (loc.file, f"第{loc.page}页" if loc.page is not None else None, loc.cell) if b)
    return f"{base}（{extra}）" if extra else base


def short_title(title: str) -> str:
    return title.strip()[:40]


_INITIAL_BUDGET = re.compile(r"年初预算(?:数)?(?:为|是)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)")
_FINAL_FIGURE = re.compile(r"决算(?:数)?(?:为|是)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)")


def states_initial_budget(st: Statement) -> bool:
    """The statement's amount is the year's 年初预算 as printed in a final account (“年初预算为1560.05万元，
    支出决算为1511.89万元”), not the figure its subject stands for (the 决算): no table of a final account
    holds it, and comparing it with the 决算 figures would report differences that are not there."""
    if st.amount is None or st.subject.endswith(":budget"):
        return False  # the reading already keeps the 年初预算 apart (``<subject>:budget``)

    def printed_after(pattern: re.Pattern) -> bool:
        return any(Decimal(m.group(1).replace(",", "")) == st.amount and m.group(2) == st.unit
                   for m in pattern.finditer(text))

    text = st.text.replace(" ", "")
    if printed_after(_FINAL_FIGURE):
        return False  # the 决算 figure (年初预算 and 决算 may be equal)
    return "年初预算" in st.label or printed_after(_INITIAL_BUDGET)


def _placed(disclosure: Disclosure, prefix: str = "") -> Iterator[Placed]:
    final = disclosure.phase == "final"
    for section in disclosure.sections:
        for i, paragraph in enumerate(section.paragraphs, start=1):
            for st in paragraph.statements:
                if st.subject.startswith(prefix) and not (final and states_initial_budget(st)):
                    yield Placed(section, i, paragraph, st)


def mentioned(ctx: Context, prefix: str = "") -> set[str]:
    """Subjects some statement states a figure for, 年初预算 figures of a final account included: for
    checks that a subject is written about at all (``placed`` leaves those figures out of comparisons)."""
    every = ctx.cached(("mentioned",), lambda: frozenset(
        st.subject for s in ctx.disclosure.sections for para in s.paragraphs for st in para.statements
        if st.amount is not None or st.count is not None))
    return {s for s in every if s.startswith(prefix)}


def placed(source: Context | Disclosure, prefix: str = "") -> Iterable[Placed]:
    """Every statement whose subject starts with ``prefix``, in printed order.

    Given the Context the list is built once per check and shared (a tuple: callers must not change
    it); most text rules walk all statements, and rebuilding them per rule was the costliest part of
    a check. Given a bare Disclosure it is computed afresh."""
    if isinstance(source, Disclosure):
        return _placed(source, prefix)
    every = source.cached(("placed",), lambda: tuple(_placed(source.disclosure)))
    if not prefix:
        return every
    return source.cached(("placed", prefix), lambda: tuple(
        p for p in _placed_under(source, prefix, every) if p.subject.startswith(prefix)))


def _placed_under(ctx: Context, prefix: str, every: tuple[Placed, ...]) -> tuple[Placed, ...]:
    """The statements a subject starting with ``prefix`` may be among: those whose subject's first part
    (before the first ':') is the prefix's, when the prefix holds a ':'; else all. Fifteen prefixes are
    asked for per check: each filters a few statements, not all ~200."""
    head, colon, _ = prefix.partition(":")
    if not colon:
        return every

    def build() -> dict[str, tuple[Placed, ...]]:
        index: dict[str, list[Placed]] = {}
        for p in every:
            index.setdefault(p.subject.partition(":")[0], []).append(p)
        return {k: tuple(v) for k, v in index.items()}

    return ctx.cached(("placed_by_head",), build).get(head, ())


# A whole whose change its printed parts explain one by one: “三公经费预算数为X万元，较上年减少Y万元。
# 其中：（一）因公出国（境）费…主要原因是…（二）公务用车…主要原因是…” (a common Shanghai form).
_GROUPS = {"sangong:vehicle": "sangong:vehicle_"}


def explained_by_parts(ctx: Context, p: Placed) -> bool:
    """Whether ``p`` (a total or group) is followed in its section by statements of its parts, and
    every part that changed gives its reason (at least one part changed)."""
    subject = p.subject
    if subject in _GROUPS:
        prefix = _GROUPS[subject]
    elif subject.endswith(":total"):
        prefix = subject[: -len("total")]
    else:
        return False
    later = [q for q in placed_by_section(ctx).get(id(p.section), ())
             if q.index >= p.index and q is not p and q.subject.startswith(prefix) and q.subject != subject]
    if not later:
        return False
    changed = {q.subject for q in later if q.statement.change not in (None, ZERO)}
    explained = {q.subject for q in later if q.statement.reason}
    return bool(changed) and changed <= explained


def placed_by_section(ctx: Context) -> dict[int, tuple[Placed, ...]]:
    """Statements grouped by the section they are printed in (keyed by ``id(section)``), in printed order."""
    def build() -> dict[int, tuple[Placed, ...]]:
        groups: dict[int, list[Placed]] = {}
        for p in placed(ctx):
            groups.setdefault(id(p.section), []).append(p)
        return {k: tuple(v) for k, v in groups.items()}

    return ctx.cached(("placed_by_section",), build)


def first(source: Context | Disclosure, subject: str, field: str = "amount") -> Placed | None:
    """The first statement of a subject that states ``field``."""
    if isinstance(source, Disclosure):
        candidates: Iterable[Placed] = _placed(source, subject)
    else:
        candidates = _by_subject(source).get(subject, ())
    for p in candidates:
        if p.subject == subject and getattr(p.statement, field) is not None:
            return p
    return None


def _by_subject(ctx: Context) -> dict[str, list[Placed]]:
    def build() -> dict[str, list[Placed]]:
        index: dict[str, list[Placed]] = {}
        for p in placed(ctx):
            index.setdefault(p.subject, []).append(p)
        return index

    return ctx.cached(("placed_by_subject",), build)


# A printed total and the printed figures it totals, each rounded to 0.01 万元 on its own (from data kept
# in 元), may differ by up to half a cent per figure: 2106.66 + 326.72 + 60.99 + 445.69 = 2940.06 under a
# printed 合计 of 2940.05 is what correct rounding gives when the unrounded classes add to 2940.054. Such a
# gap shows the table was not adjusted to balance (尾差), not that a figure is wrong: it is reported as a
# warning. Two printings of one figure get no such slack, nor do tables in 元 (printed to the fen).
ROUNDING_MARK = "舍入尾差"


def rounding_slack(ctx: Context, gap: Decimal, parts: Iterable[Decimal | None], unit: str = "万元") -> Decimal | None:
    """The accumulated rounding (± half a cent per non-zero printed part and the total) when ``gap`` is
    within it and could come from rounding; None when the gap needs another explanation."""
    if unit != "万元":
        return None
    printed = sum(1 for v in parts if v)
    if printed < 2:
        return None
    slack = ctx.tolerance_for() * (printed + 1)
    return slack if abs(gap) <= slack else None


def rounding_note(slack: Decimal) -> str:
    return (f"差额在合计与各分项分别舍入到0.01万元可能累积的范围（±{fmt_amount(slack)}万元）内，"
            "可由舍入解释（尾差未调整），不能据此认定某个数有误；公开时宜调整尾差使合计与分项一致")


def to_wan(value: Decimal | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    return value / TEN_THOUSAND if unit == "元" else value


def amount_wan(st: Statement) -> Decimal | None:
    """A statement's amount in 万元 (statements in 元 are converted)."""
    return to_wan(st.amount, st.unit)


def field_wan(st: Statement, name: str) -> Decimal | None:
    return to_wan(getattr(st, name), st.unit)


def cell_wan(table: Table | None, row_key: str, column: str) -> Decimal | None:
    if table is None:
        return None
    return to_wan(table.value(row_key, column), table.unit)


def has_row(table: Table | None, row_key: str) -> bool:
    return table is not None and table.row(row_key) is not None


def show(value: Decimal | None, unit: str = "万元") -> str:
    """An amount for a message: two decimals and the unit; '（空）' for nothing."""
    if value is None:
        return "（空）"
    return f"{fmt_amount(value)}{unit}"


def pct(value: Decimal | None) -> str:
    return "（无）" if value is None else f"{value:.2f}%"


def stated_text(value: Decimal | None) -> str:
    """A stated figure as printed (no re-rounding), for messages."""
    if value is None:
        return "（未写明）"
    return f"{value:f}"


def table_label(table: Table) -> str:
    return table.label


def row_label(table: Table, row_key: str) -> str:
    row = table.row(row_key)
    if row is None:
        return row_key
    name = row.name.strip() or row_key
    return f"“{row.code} {name}”" if row.code and row.code not in name else f"“{name}”"


def table_is_empty(table: Table) -> bool:
    """No non-zero figure in any cell."""
    return all((c.value is None or c.value == 0) for r in table.rows for c in r.cells.values())


# Words by which a text says a table has nothing to show (本部门无……，故本表为空表；“三公”经费预算为0万元).
SAYS_EMPTY = re.compile(r"空表|无数据|没有|未安排|未使用|无(?:此项|相关)?[^，。；]{0,24}(?:预算|拨款|收入|支出)|为0|为零|(?<![\d.])0(?:\.0+)?万?元")


def implied_last_year(st: Statement) -> Decimal | None:
    """Last year's figure, stated or implied by amount − change (in 万元)."""
    last = field_wan(st, "last_year")
    if last is not None:
        return last
    amount, change = amount_wan(st), field_wan(st, "change")
    if amount is not None and change is not None:
        return amount - change
    return None


def is_final_profile(profile: dict) -> bool:
    """A layout for final accounts (决算): says so with ``phase: final`` or in its name."""
    return profile.get("phase") == "final" or "final" in str(profile.get("name") or "")


def required_tables(profile: dict, phase: str = "budget") -> list[str] | None:
    """The table kinds a package of this layout must print; None when unknown.

    A final account checked against a budget layout (no final-account profile yet): the budget's table
    list (e.g. Shanghai's 财政拨款支出预算表 and its 三公/机关运行经费 table) says nothing about the
    决算 tables, and the reader maps 决算 titles through that budget layout, so a kind missing from
    the read tables may be a table it could not map. Nothing can be shown missing then: None."""
    from yusuan.disclosure import KINDS

    if phase == "final" and not is_final_profile(profile):
        return None
    tables = profile.get("tables")
    if tables:
        kinds = [t.get("kind") if isinstance(t, dict) else str(t) for t in tables]
        return [k for k in kinds if k]
    return list(KINDS)[:10]


def zero_base_wording(profile: dict) -> str:
    wording = profile.get("wording") or {}
    return str(wording.get("zero_base") or profile.get("zero_base_wording") or "增长100%")


def share_rounding(profile: dict) -> str:
    return str(profile.get("share_rounding") or "half_up")


ROUNDING_LABEL = {"half_up": "四舍五入（half-up）保留两位小数", "largest_remainder": "最大余额法调整使合计为100%"}
