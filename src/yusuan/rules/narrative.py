"""Text against tables (N.*): every amount Part 3 states equals the figure its table prints.

Each rule takes one family of statement subjects (docs/disclosure-keys.md) and looks up the table
cell the subject names. A subject whose table is absent is not checked here (completeness rules
report the missing table); a function or economic row absent from a table that lists all non-zero
rows means zero. Shares are in ``narrative_shares``; year-over-year in ``narrative_yoy``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Callable, Iterator

from yusuan.amounts import normalise_text
from yusuan.disclosure import Disclosure, Table
from yusuan.rules.narrative_base import (
    TEN_THOUSAND, ZERO, Placed, amount_wan, cell_wan, placed, row_label, show, stated_text, table_is_empty, to_wan,
)
from yusuan.rules.registry import Context, Hit, is_unknown, rule
from yusuan.rules.tables_common import amount, item_leaves, items_sum, row_of


class Ref:
    """The table figure a statement should equal.

    ``where`` (Chinese: 表5一般公共预算支出情况表“合计”行“基本支出”列) is only read by a finding's message; a
    check looks up some two hundred figures and reports a few, so a cell's description is written when
    first asked for (from ``row``), not for every figure looked up."""

    __slots__ = ("value", "_where", "absent", "table", "row_key", "column", "_row")

    def __init__(self, value: Decimal, where: str | None = None, absent: bool = False, table: Table | None = None,
                 row_key: str | None = None, column: str | None = None, row=None):
        self.value, self._where, self.absent = value, where, absent
        self.table, self.row_key, self.column, self._row = table, row_key, column, row

    @property
    def where(self) -> str:
        if self._where is None:
            table, column = self.table, self.column
            col = next((c.label for c in table.columns if c.key == column), COLUMN_LABELS.get(column, column))
            self._where = f"{table.label}{_printed_row_label(self._row, self.row_key)}行“{col}”列"
        return self._where

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ref):
            return NotImplemented
        return (self.value, self.where, self.absent, self.table, self.row_key, self.column) == (
            other.value, other.where, other.absent, other.table, other.row_key, other.column)

    __hash__ = None  # type: ignore[assignment] - mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"Ref(value={self.value!r}, where={self.where!r}, absent={self.absent!r})"

    def same_amount_elsewhere(self, amount: Decimal, tolerance: Decimal) -> list[str]:
        """Other rows of the table printing exactly the stated amount: a hint that the text names
        the wrong row (科目名称、编码或口径不一致)."""
        if self.table is None or self.column is None or amount == 0:
            return []
        out = []
        for row in self.table.rows:
            if row.key == self.row_key or row.role == "total":
                continue
            value = cell_wan(self.table, row.key, self.column)
            if value is not None and abs(value - amount) <= tolerance:
                out.append(row_label(self.table, row.key))
        return out[:3]


COLUMN_LABELS = {
    "amount": "金额", "total": "合计", "basic": "基本支出", "project": "项目支出",
    "personnel": "人员经费", "public": "公用经费",
}


def _cell_ref(table: Table | None, row_key: str, column: str, absent_is_zero: bool = False,
              ctx: Context | None = None) -> Ref | None:
    """``ctx``, when given, finds the row from its index instead of scanning the table."""
    if table is None:
        return None
    row = row_of(ctx, table, row_key)
    if row is None:
        prefix = row_key[:2]
        if not absent_is_zero or prefix not in ("f:", "e:"):
            return None
        # not printed: its items' sum where the layout prints only items; zero where the table's listed
        # rows are shown complete by its 合计; else unknown (never zero)
        leaves = item_leaves(ctx, table, row_key[2:], prefix)
        derived = items_sum(ctx, table, row_key[2:], column, prefix)
        if is_unknown(derived):
            return None
        how = "按其下各项之和" if leaves is not None else "该表所列各行之和已等于合计，视为0"
        return Ref(to_wan(derived, table.unit) or ZERO,
                   f"{table.label}（未列“{row_key.split(':')[-1]}”行，{how}）", absent=True,
                   table=table, row_key=row_key, column=column)
    value = amount(row, column)
    if is_unknown(value):
        return None  # a column the table does not print, or a cell that could not be read
    return Ref(to_wan(value, table.unit) or ZERO, None, table=table, row_key=row_key, column=column, row=row)


def _printed_row_label(row, row_key: str) -> str:
    """``narrative_base.row_label`` for a row already found."""
    name = row.name.strip() or row_key
    return f"“{row.code} {name}”" if row.code and row.code not in name else f"“{name}”"


def lookup(d: Disclosure | Context, subject: str) -> Ref | None:
    """The table figure behind a statement subject, or None when no table says. ``d`` may be the
    Context, whose ``table`` finds a table by kind from its index (same answer as the disclosure's)."""
    idx = d if isinstance(d, Context) else None

    def cell(table, row_key, column, absent_is_zero=False):
        return _cell_ref(table, row_key, column, absent_is_zero, idx)

    parts = subject.split(":")
    if parts[0] not in _LOOKED_UP:
        return None  # no branch below takes it (project:, assets:, staff: … are no table's)
    # Each branch fetches only the tables it reads (fetching all six up front cost more than the lookup).
    t = d.table
    if subject == "total":
        return cell(t("income_expenditure"), "income_total", "amount") or cell(t("expenditure"), "total", "total")
    if parts[0] == "income" and len(parts) == 2:
        return cell(t("income_expenditure"), f"s:{parts[1]}", "amount") or cell(t("income"), "total", f"s:{parts[1]}")
    if parts[0] == "expenditure":
        if parts[1] == "function" and len(parts) == 3:
            return (cell(t("income_expenditure"), f"f:{parts[2]}", "amount")
                    or cell(t("expenditure"), f"f:{parts[2]}", "total", True))
        if parts[1] in ("basic", "project", "total") and len(parts) == 2:
            return cell(t("expenditure"), "total", parts[1])
        return None
    if parts[0] == "fiscal":
        if subject == "fiscal:total":
            return cell(t("fiscal_income_expenditure"), "income_total", "amount")
        if parts[1] == "income" and len(parts) == 3:
            return cell(t("fiscal_income_expenditure"), f"s:{parts[2]}", "amount")
        if parts[1] == "function" and len(parts) == 3:
            return cell(t("fiscal_income_expenditure"), f"f:{parts[2]}", "total", True)
        return None
    if parts[0] == "general":
        if parts[1] in ("total", "basic", "project") and len(parts) == 2:
            return cell(t("general_expenditure"), "total", parts[1])
        if parts[1] == "function" and len(parts) == 3:
            return cell(t("general_expenditure"), f"f:{parts[2]}", "total", True)
        if parts[1] in ("personnel", "public") and len(parts) == 2:
            return cell(t("general_basic"), "total", parts[1])
        if parts[1] == "economic" and len(parts) == 3:
            return cell(t("general_basic"), f"e:{parts[2]}", "total", True)
        return None
    if parts[0] == "sangong" and len(parts) == 2:
        return (cell(d.table("sangong"), subject, "total")
                or cell(d.table("sangong_operating"), subject, "amount"))
    if subject == "operating_costs":
        return cell(d.table("sangong_operating"), "operating_costs", "amount")
    if subject in ("fund:total", "capital:total"):
        table = d.table("fund_expenditure" if parts[0] == "fund" else "capital_expenditure")
        if table is None:
            return None
        if table.row("total") is None:
            return Ref(ZERO, f"{table.label}（空表）", absent=True)
        return cell(table, "total", "total")
    return None


# The first parts of the subjects ``lookup`` finds a table figure for.
_LOOKED_UP = frozenset({"total", "income", "expenditure", "fiscal", "general", "sangong", "operating_costs", "fund", "capital"})


def lookup_in(ctx: Context, subject: str) -> Ref | None:
    """``lookup`` once per subject per check: a dozen comparison rules ask for the same figures."""
    # One dict of the figures looked up, rather than a cache entry per subject: ``Context.cached`` finds a
    # new key by a KeyError, and ~140 subjects are new once per check. A lookup that raises is not kept.
    refs = ctx.cached(_LOOKUPS_KEY, dict)
    ref = refs.get(subject, _NOT_LOOKED_UP)
    if ref is _NOT_LOOKED_UP:
        ref = refs[subject] = lookup(ctx, subject)
    return ref


_LOOKUPS_KEY = ("lookup",)
_NOT_LOOKED_UP = object()


def _with_amount(ctx: Context) -> tuple[tuple[str, Placed], ...]:
    """(subject, statement) for every statement stating an amount: a dozen ``compare`` rules filter these."""
    return ctx.cached(("with_amount",), lambda: tuple((p.subject, p) for p in placed(ctx) if p.statement.amount is not None))


def _differing(ctx: Context) -> tuple[tuple[str, Placed, Ref | Exception, Decimal | None], ...]:
    """(subject, statement, table figure, stated 万元) for every statement whose amount differs from its
    table figure beyond the tolerance, in printed order; once per check. A dozen ``compare`` rules and
    N.UNIT.CONVERSION each walked every statement to find these (usually none)."""
    def build():
        out = []
        for subject, p in _with_amount(ctx):
            try:
                ref = lookup_in(ctx, subject)
            except Exception as exc:  # noqa: BLE001 - a malformed subject: kept, raised by the rules reading it
                out.append((subject, p, exc, None))
                continue
            if ref is None:
                continue
            stated = amount_wan(p.statement)
            if ctx.differs(stated, ref.value):
                out.append((subject, p, ref, stated))
        return tuple(out)

    return ctx.cached(("differing",), build)


def compare(ctx: Context, accept: Callable[[str], bool], what: str) -> Iterator[Hit]:
    for subject, p, ref, stated in _differing(ctx):
        if not accept(subject):
            continue
        if isinstance(ref, Exception):
            raise ref  # as the lookup itself would (the engine reports the rule's error)
        if conversion_artefact(p.statement, stated, ref.value) or unit_slip(p.statement, ref):
            continue  # a conversion artefact (N.UNIT.CONVERSION) or a wrong unit word (H.UNIT.WORD, once)
        label = p.statement.label or p.subject
        unit_note = "（原文以“元”为单位，已折算为万元）" if p.statement.unit == "元" else ""
        diff = stated - ref.value
        elsewhere = ref.same_amount_elsewhere(stated, ctx.tolerance_for())
        hint = (f"表中{'、'.join(elsewhere)}行正是这个金额，可能是文字所用科目名称、编码或口径与表格不一致。"
                if elsewhere else "")
        yield Hit(
            message=(f"{p.where()}写明{what}“{label}”为{stated_text(p.statement.amount)}{p.statement.unit}{unit_note}，"
                     f"而{ref.where}为{show(ref.value)}，相差{show(diff)}。{hint}"),
            location=p.location, subject=p.subject, stated=stated, expected=ref.value,
            inputs={"表格": ref.where},
        )


CENT = Decimal("0.01")


def conversion_artefact(st, stated: Decimal | None, table_value: Decimal | None) -> bool:
    """A figure written in 万元 to two decimals for a table kept in 元 (Shanghai): the text may cut the
    figure off instead of rounding it (87.708 万元 written 87.70), so a gap under 0.01 万元 between the
    two is the conversion, not a contradiction (N.UNIT.CONVERSION says so, as info)."""
    if stated is None or table_value is None or st.unit != "万元":
        return False
    return table_value != table_value.quantize(CENT) and abs(stated - table_value) < CENT


def unit_slip(st, ref: Ref) -> bool:
    """The statement prints its table figure's number under the other unit word: read in the unit it names
    it is 10000 times the table figure (“61281800.00万元” for a table's 61281800.00 元) or a ten-thousandth of
    it (“6128.18元” for 6128.18 万元). Read in the other unit it matches to the tolerance and to 0.1%, so a
    figure near zero, which any unit would match, is no evidence."""
    if st.amount is None or st.unit not in ("万元", "元") or ref.absent or ref.value == 0 or st.amount == 0:
        return False
    other = st.amount if st.unit == "元" else st.amount / TEN_THOUSAND  # in 万元, had the other word been written
    gap = abs(other - ref.value)
    return gap <= SLIP_TOLERANCE and gap * 1000 <= abs(ref.value)


SLIP_TOLERANCE = Decimal("0.005")  # 万元: the figure printed to the cent in 万元, or to 50 元 in 元


def unit_slips(ctx: Context) -> tuple[tuple[Placed, Ref], ...]:
    """Every statement whose amount differs from its table figure only by a wrong unit word (``unit_slip``)."""
    return ctx.cached(("unit_slips",), lambda: tuple(
        (p, ref) for _, p, ref, _ in _differing(ctx) if isinstance(ref, Ref) and unit_slip(p.statement, ref)))


@rule("N.UNIT.CONVERSION", "文字中的万元数与以元为单位的表格折算差异", "info", "text-vs-table")
def unit_conversion(ctx: Context) -> Iterator[Hit]:
    """A 万元 figure in the text that differs from its table (in 元) by less than 0.01 万元: the text
    truncated (or rounded differently) when converting; not a contradiction, listed so it can be checked."""
    for subject, p, ref, stated in _differing(ctx):
        if isinstance(ref, Exception):
            raise ref
        if not conversion_artefact(p.statement, stated, ref.value):
            continue
        yield Hit(
            message=(f"{p.where()}写明“{p.statement.label or p.subject}”为{stated_text(p.statement.amount)}万元，"
                     f"{ref.where}折合{ref.value:f}万元（原表以元为单位），相差不足0.01万元："
                     "这是把元折算为万元时截尾（而非四舍五入）造成的差异，不是数字矛盾。"),
            location=p.location, subject=p.subject, stated=stated, expected=ref.value,
            inputs={"表格": ref.where},
        )


def _is(prefix: str, lengths: tuple[int, ...] | None = None) -> Callable[[str], bool]:
    def accept(subject: str) -> bool:
        if not subject.startswith(prefix):
            return False
        rest = subject[len(prefix):]
        return lengths is None or (rest.isdigit() and len(rest) in lengths)

    return accept


@rule("N.TOTAL", "收支总预算与表1收入总计一致", "fatal", "text-vs-table", reads=("summary", "income_expenditure"))
def total_matches(ctx: Context) -> Iterator[Hit]:
    """The stated 收支总预算/收入预算/支出预算 equals table 1's 收入总计."""
    yield from compare(ctx, lambda s: s == "total", "收支总预算")


@rule("N.INCOME.SOURCE", "收入来源金额与表1一致", "fatal", "text-vs-table", reads=("income", "income_expenditure"))
def income_sources(ctx: Context) -> Iterator[Hit]:
    """Each income source the text names equals table 1's row for that source (or table 2's column total)."""
    yield from compare(ctx, lambda s: s.startswith("income:") and s.count(":") == 1, "收入来源")


@rule("N.EXPENDITURE.FUNCTION", "支出功能分类类级金额与表1一致", "fatal", "text-vs-table",
      reads=("summary", "income_expenditure", "expenditure"))
def expenditure_classes(ctx: Context) -> Iterator[Hit]:
    """Each function 类 in the expenditure summary equals table 1's expenditure side."""
    yield from compare(ctx, _is("expenditure:function:"), "支出功能分类")


@rule("N.EXPENDITURE.KIND", "基本支出、项目支出与表3合计一致", "fatal", "text-vs-table", reads=("expenditure",))
def expenditure_kinds(ctx: Context) -> Iterator[Hit]:
    """基本支出 and 项目支出 (all sources) equal table 3's 合计 row."""
    yield from compare(ctx, lambda s: s in ("expenditure:basic", "expenditure:project", "expenditure:total"), "支出")


@rule("N.FISCAL", "财政拨款收支总体说明与表4一致", "fatal", "text-vs-table", reads=("fiscal", "fiscal_income_expenditure"))
def fiscal_section(ctx: Context) -> Iterator[Hit]:
    """The 财政拨款 section's total, income groups and function 类 equal table 4."""
    yield from compare(ctx, lambda s: s.startswith("fiscal:"), "财政拨款收支")


@rule("N.GENERAL.SCALE", "一般公共预算拨款规模与表5合计一致", "fatal", "text-vs-table",
      reads=("general", "general_expenditure"))
def general_scale(ctx: Context) -> Iterator[Hit]:
    """一般公共预算拨款合计 / 基本支出 / 项目支出 equal table 5's 合计 row."""
    yield from compare(ctx, lambda s: s in ("general:total", "general:basic", "general:project"), "一般公共预算")


@rule("N.GENERAL.CLASS", "一般公共预算结构（类）与表5一致", "fatal", "text-vs-table",
      reads=("general", "general_expenditure"))
def general_classes(ctx: Context) -> Iterator[Hit]:
    """Each function 类 in the general-budget structure paragraph equals table 5's 类 row."""
    yield from compare(ctx, _is("general:function:", (3,)), "一般公共预算支出")


@rule("N.GENERAL.ITEM", "一般公共预算具体使用（项）与表5一致", "fatal", "text-vs-table",
      reads=("general", "general_expenditure"))
def general_items(ctx: Context) -> Iterator[Hit]:
    """Each function 项 (or 款) paragraph's current-year amount equals table 5's row; an unprinted row is 0."""
    yield from compare(ctx, _is("general:function:", (5, 7)), "一般公共预算支出科目")


@rule("N.BASIC.PERSONNEL_PUBLIC", "人员经费、公用经费与表6一致", "fatal", "text-vs-table",
      reads=("general_basic",))
def basic_personnel_public(ctx: Context) -> Iterator[Hit]:
    """人员经费 and 公用经费 in the basic-spending section equal table 6's 合计 row."""
    yield from compare(ctx, lambda s: s in ("general:personnel", "general:public"), "基本支出")


@rule("N.BASIC.ECONOMIC", "基本支出经济分类款级金额与表6一致", "fatal", "text-vs-table", reads=("general_basic",))
def basic_economic(ctx: Context) -> Iterator[Hit]:
    """Each economic 款 named in the basic-spending section equals table 6's row."""
    yield from compare(ctx, _is("general:economic:", (3, 5)), "经济分类科目")


@rule("N.SANGONG", "“三公”经费说明与表10一致", "fatal", "text-vs-table", reads=("sangong",))
def sangong_amounts(ctx: Context) -> Iterator[Hit]:
    """Each 三公 figure in the text equals table 10's row."""
    yield from compare(ctx, lambda s: s.startswith("sangong:"), "“三公”经费")


@rule("N.OPERATING_COSTS", "机关运行经费与“三公”经费和机关运行经费表一致", "fatal", "text-vs-table",
      reads=("other.operating_costs", "sangong_operating"))
def operating_costs(ctx: Context) -> Iterator[Hit]:
    """Where the layout prints 机关运行经费 in a table (Shanghai), the text equals it."""
    yield from compare(ctx, lambda s: s == "operating_costs", "机关运行经费")


@rule("N.OPERATING_COSTS.PUBLIC", "机关运行经费与表6公用经费一致", "warning", "text-vs-table",
      reads=("other.operating_costs", "general_basic"))
def operating_costs_vs_public(ctx: Context) -> Iterator[Hit]:
    """机关运行经费 equals the 公用经费 of table 6 for an administrative unit; a department with 事业单位
    may legitimately differ (DOMAIN.md), hence a warning."""
    t6 = ctx.table("general_basic")
    public = cell_wan(t6, "total", "public") if t6 is not None else None
    if public is None:
        return
    for p in placed(ctx, "operating_costs"):
        if p.subject != "operating_costs" or p.statement.amount is None:
            continue
        stated = amount_wan(p.statement)
        if ctx.differs(stated, public):
            yield Hit(
                message=(f"{p.where()}写明机关运行经费{stated_text(p.statement.amount)}{p.statement.unit}，而{t6.label}"
                         f"“合计”行公用经费为{show(public)}，相差{show(stated - public)}；行政单位两者应相等，"
                         "含事业单位的部门可以不同，请核实口径。"),
                location=p.location, subject=p.subject, stated=stated, expected=public,
            )
        return


@rule("N.EMPTY_TABLES", "政府性基金、国有资本经营预算说明与表8、表9一致", "fatal", "text-vs-table",
      reads=("fund", "capital", "fund_expenditure", "capital_expenditure"))
def empty_tables(ctx: Context) -> Iterator[Hit]:
    """The fund/capital sections' amounts equal tables 8/9; a section saying 空表/没有 while its table has figures."""
    yield from compare(ctx, lambda s: s in ("fund:total", "capital:total"), "预算拨款支出")
    for sid, kind, name in (("fund", "fund_expenditure", "政府性基金预算"), ("capital", "capital_expenditure", "国有资本经营预算")):
        section, table = ctx.disclosure.section(sid), ctx.table(kind)
        if section is None or table is None or table_is_empty(table):
            continue
        for i, para in enumerate(section.paragraphs, start=1):
            text = normalise_text(para.text)
            if any(w in text for w in ("空表", "没有使用", "未安排", "无此项")):
                total = cell_wan(table, "total", "total")
                yield Hit(
                    message=(f"第三部分“{section.title}”第{i}段称{name}支出为空（“{para.text.strip()[:60]}”），"
                             f"但{table.label}列有金额（合计{show(total)}）。"),
                    location=para.location, subject=f"{sid}:total", stated="空表", expected=total,
                )
                break


# ---------------------------------------------------------------- projects

def project_name(subject: str) -> tuple[str, str, int | None] | None:
    """project:<name>:scale → (name, 'scale', None); project:<name>:allocation:<n> → (name, 'allocation', n)."""
    if not subject.startswith("project:"):
        return None
    body = subject[len("project:"):]
    if body.endswith(":scale"):
        return body[: -len(":scale")], "scale", None
    head, sep, n = body.rpartition(":allocation:")
    if sep and n.isdigit():
        return head, "allocation", int(n)
    return None


def name_key(name: str) -> str:
    return normalise_text(name).replace("《", "").replace("》", "")


def table7_projects(d: Disclosure) -> dict[str, tuple[str, Decimal, list[str]]]:
    """Normalised project name → (printed name, Σ 项目支出合计 over its rows, row descriptions)."""
    t7 = d.table("general_project")
    out: dict[str, tuple[str, Decimal, list[str]]] = {}
    if t7 is None:
        return out
    for row in t7.rows:
        if not row.key.startswith("p:"):
            continue
        cell = row.cells.get("project_name")
        name = (cell.text if cell and cell.text.strip() else row.key.split(":", 2)[-1]).strip()
        key = name_key(name)
        value = _t7_total_wan(t7, row)
        printed, total, rows = out.get(key, (name, ZERO, []))
        out[key] = (printed, total + value, rows + [f"{row.code or ''}{row.name}"])
    return out


SIMILAR = 0.7  # difflib ratio above which two project names are taken for the same project


def match_name(names: dict[str, object], name: str):
    """(value, exact) for the entry of ``names`` (keyed by ``name_key``) that ``name`` refers to: the same
    name, or failing that the one clearly most similar (containment, or a difflib ratio ≥ 0.7 that no
    other name ties). None when nothing is close."""
    from difflib import SequenceMatcher

    key = name_key(name)
    if key in names:
        return names[key], True
    if not key:
        return None
    near = [k for k in names if key in k or k in key]
    if len(near) == 1:
        return names[near[0]], False
    # Only names whose ratio can reach SIMILAR are scored in full: real_quick_ratio and quick_ratio are
    # upper bounds of ratio, and a name below SIMILAR can neither be the match nor tie with one (the
    # answer is the same as scoring every name; the full ratio was most of a check's project rules).
    # real_quick_ratio is 2·min(len)/Σlen: tested from the lengths before a matcher is built for the name.
    size = len(key)
    matchers = ((SequenceMatcher(None, key, k), k) for k in names if 2 * min(size, len(k)) >= SIMILAR * (size + len(k)) - 1e-9)
    scored = sorted(((m.ratio(), k) for m, k in matchers
                     if m.real_quick_ratio() >= SIMILAR and m.quick_ratio() >= SIMILAR), reverse=True)
    if scored and scored[0][0] >= SIMILAR and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return names[scored[0][1]], False
    return None


def match_project(projects: dict[str, tuple[str, Decimal, list[str]]], name: str) -> tuple[str, Decimal, list[str]] | None:
    found = match_name(projects, name)
    return found[0] if found else None


def _t7_total_wan(t7, row) -> Decimal:
    """A project row's 项目支出合计 in 万元: zero when printed blank, ``UNKNOWN`` when the column is not printed."""
    from yusuan.rules.tables_common import amount

    value = amount(row, "total")
    return value / 10000 if t7.unit == "元" else value


def t7_projects(ctx: Context) -> dict[str, tuple[str, Decimal, list[str]]]:
    """``table7_projects`` once per check (three project rules read it; callers must not change it)."""
    return ctx.cached(("t7_projects",), lambda: table7_projects(ctx.disclosure))


def t7_match(ctx: Context, name: str):
    """``match_name(t7_projects(ctx), name)`` once per name per check: the similarity search (difflib)
    is the costly part, and the same project names are matched by three rules."""
    return ctx.cached(("t7_match", name), lambda: match_name(t7_projects(ctx), name))


def _scaled_projects(ctx: Context) -> Iterator[tuple[Placed, str, tuple | None]]:
    """Each project whose 预算安排规模 Part 3 states: the statement, the project's name as written and
    its table 7 match (``t7_match``; None when table 7 has no such project). The three project rules
    below read these; listed once per check."""
    def build() -> tuple[tuple[Placed, str, tuple | None], ...]:
        out = []
        for p in placed(ctx, "project:"):
            if not p.subject.endswith(":scale"):
                continue  # not a project's scale (project_name would say so, at more cost)
            parsed = project_name(p.subject)
            if parsed is not None and parsed[1] == "scale":
                out.append((p, parsed[0], t7_match(ctx, parsed[0])))
        return tuple(out)

    return iter(ctx.cached(("scaled_projects",), build))


@rule("N.PROJECT.SCALE", "项目预算安排规模与表7一致", "fatal", "text-vs-table", reads=("general_project",))
def project_scale(ctx: Context) -> Iterator[Hit]:
    """Each project's 预算安排规模 equals table 7's 项目支出合计, summed over the project's rows."""
    t7 = ctx.table("general_project")
    if t7 is None:
        return
    for p, name, match in _scaled_projects(ctx):
        if p.statement.amount is None or not match:
            continue
        printed, total, rows = match[0]
        stated = amount_wan(p.statement)
        if ctx.differs(stated, total):
            yield Hit(
                message=(f"{p.where()}写明项目“{name}”预算安排规模为{stated_text(p.statement.amount)}{p.statement.unit}，"
                         f"而{t7.label}中该项目（{len(rows)}行：{'、'.join(rows)}）项目支出合计为{show(total)}，"
                         f"相差{show(stated - total)}。"),
                location=p.location, subject=p.subject, stated=stated, expected=total,
                inputs={"表7项目名称": printed},
            )


@rule("N.PROJECT.UNMATCHED", "情况说明中的项目在表7中找不到", "warning", "text-vs-table", reads=("general_project",))
def project_unmatched(ctx: Context) -> Iterator[Hit]:
    """A project described in Part 3 with no row in table 7 (a different name, or not general-budget funded)."""
    t7 = ctx.table("general_project")
    if t7 is None:
        return
    for p, name, found in _scaled_projects(ctx):
        if found is None:
            yield Hit(
                message=(f"{p.where()}说明的项目“{name}”（规模{stated_text(p.statement.amount)}{p.statement.unit}）"
                         f"在{t7.label}中没有同名或相近名称的项目行；请核对项目名称，或说明该项目不是一般公共预算安排。"),
                location=p.location, subject=p.subject, stated=name,
            )


@rule("N.PROJECT.NAME", "情况说明与表7的项目名称一致", "warning", "text-vs-table", reads=("general_project",))
def project_name_differs(ctx: Context) -> Iterator[Hit]:
    """A project described under a name that differs from table 7's (matched by similarity)."""
    t7 = ctx.table("general_project")
    if t7 is None:
        return
    for p, name, found in _scaled_projects(ctx):
        if found is not None and not found[1]:
            printed = found[0][0]
            yield Hit(
                message=(f"{p.where()}的项目名称“{name}”与{t7.label}中的“{printed}”不一致"
                         f"（按名称相近对应，金额{show(found[0][1])}）；同一项目在各处应使用同一名称。"),
                location=p.location, subject=p.subject, stated=name, expected=printed,
            )


@rule("N.PROJECT.ALLOCATION", "项目资金分配合计等于预算安排规模", "fatal", "text-vs-table", reads=("general_project",))
def project_allocation(ctx: Context) -> Iterator[Hit]:
    """The allocation lines of a project add up to its stated 预算安排规模."""
    scale: dict[str, Placed] = {}
    lines: dict[str, list[Placed]] = defaultdict(list)
    for p in placed(ctx, "project:"):
        parsed = project_name(p.subject)
        if parsed is None or p.statement.amount is None:
            continue
        if parsed[1] == "scale":
            scale.setdefault(parsed[0], p)
        else:
            lines[parsed[0]].append(p)
    for name, alloc in lines.items():
        if name not in scale:
            continue
        head = scale[name]
        total = sum((amount_wan(a.statement) for a in alloc), ZERO)
        stated = amount_wan(head.statement)
        if ctx.differs(total, stated):
            parts = "；".join(f"{a.statement.label or '第' + a.subject.rsplit(':', 1)[-1] + '项'}"
                             f"{stated_text(a.statement.amount)}{a.statement.unit}" for a in alloc)
            yield Hit(
                message=(f"{alloc[0].where()}项目“{name}”的资金分配情况（{parts}）合计{show(total)}，"
                         f"而{head.where()}写明的预算安排规模为{stated_text(head.statement.amount)}{head.statement.unit}，"
                         f"相差{show(total - stated)}。"),
                location=alloc[0].location, subject=f"project:{name}:allocation", stated=total, expected=stated,
                inputs={f"分配{i}": amount_wan(a.statement) for i, a in enumerate(alloc, start=1)},
            )
