"""Within-table rules: hierarchy sums and column identities of the function-classified tables
(T2, T3, T5, T7, T8, T9 and Shanghai's 财政拨款支出预算表) and of T6; generic cell checks for
every table. T1, T4 and T10 (row identities of the income/expenditure statements) are in
``tables_statements.py``.

One rule per (table, identity): ``T2.HIER.KUAN`` is "in table 2 each 款 row equals the sum of its
项 rows, in every amount column".
"""

from __future__ import annotations

from typing import Callable, Iterator

from yusuan.disclosure import KINDS, Table
from yusuan.rules.registry import Context, Hit, rule
from yusuan.rules.tables_common import (
    TABLE_IDS, ZERO, amount, cell_location, code_of, coded, columns_of, column_identity, dropped_columns, fmt,
    row_label, rows_equal_sum,
)

FUNCTION_TABLES = ["income", "expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure",
                   "fiscal_expenditure"]


def _table_rule(kind: str, suffix: str, title: str, severity: str = "fatal", doc: str = ""):
    """Register ``body(ctx, table)`` as rule ``<T>.<suffix>`` reading one table kind."""

    def wrap(body: Callable[[Context, Table], Iterator[Hit]]):
        def check(ctx: Context) -> Iterator[Hit]:
            table = ctx.table(kind)
            if table is not None:
                yield from body(ctx, table)

        check.__doc__ = doc or title
        check.__name__ = f"check_{TABLE_IDS[kind]}_{suffix.replace('.', '_')}"
        rule(f"{TABLE_IDS[kind]}.{suffix}", f"{KINDS[kind]}：{title}", severity, "within-table", reads=(kind,))(check)
        return body

    return wrap


# ------------------------------------------------------------------ hierarchy (类 = Σ款, 款 = Σ项, 合计 = Σ类)

def _by_parent(ctx: Context, table: Table, prefix: str, child_level: str, parent_len: int) -> dict[str, list]:
    """Rows of ``child_level`` grouped by the first ``parent_len`` digits of their code (one pass)."""
    out: dict[str, list] = {}
    for r, code, level in coded(ctx, table, prefix):
        if level == child_level:
            out.setdefault(code[:parent_len], []).append(r)
    return out


def _hier(ctx: Context, table: Table, prefix: str, parent_level: str, child_prefix: str, child_level: str,
          why: Callable[[list], str]) -> Iterator[Hit]:
    parent_len = 5 if parent_level == "款" else 3
    groups = _by_parent(ctx, table, child_prefix, child_level, parent_len)
    if not groups:
        return
    columns = columns_of(ctx, table)
    for row, code, level in coded(ctx, table, prefix):
        if level == parent_level:
            parts = groups.get(code)
            if parts:
                yield from rows_equal_sum(ctx, table, row, parts, columns, why(parts))


def _hier_kuan(ctx: Context, table: Table) -> Iterator[Hit]:
    yield from _hier(ctx, table, "f:", "款", "f:", "项",
                     lambda parts: f"其下各项级科目之和（{'＋'.join(code_of(p) for p in parts)}）")


def _hier_kuan_projects(ctx: Context, table: Table) -> Iterator[Hit]:
    yield from _hier(ctx, table, "f:", "款", "p:", "项", lambda parts: f"其下 {len(parts)} 个项目之和")


def _hier_lei(ctx: Context, table: Table, prefix: str = "f:") -> Iterator[Hit]:
    yield from _hier(ctx, table, prefix, "类", prefix, "款",
                     lambda parts: f"其下各款级科目之和（{'＋'.join(code_of(p) for p in parts)}）")


def _hier_total(ctx: Context, table: Table, prefix: str = "f:") -> Iterator[Hit]:
    total = table.row("total")
    parts = [r for r, _code, level in coded(ctx, table, prefix) if level == "类"]
    if total is not None and parts:
        yield from rows_equal_sum(ctx, table, total, parts, columns_of(ctx, table), "各类级科目之和")


def _hier_parent(ctx: Context, table: Table, prefix: str = "f:") -> Iterator[Hit]:
    """Each 项 (or project) row has its 款 row printed, each 款 its 类 row: once per missing parent.

    A table that prints no row of the parent's level at all (a layout of 项 rows only, or 类 and 项
    without 款) is a layout, not an omission: the 款/类 sums are simply not checkable there (counted as
    unchecked, A.UNCHECKED). Only a parent missing among printed rows of its level is reported."""
    codes = {code for _row, code, _level in coded(ctx, table, prefix)}
    levels = {len(c) for c in codes}
    children: dict[str, list] = {}  # missing parent code → its printed child rows, in printed order
    for row in table.rows:
        if not (row.key.startswith(prefix) or (prefix == "f:" and row.key.startswith("p:"))):
            continue
        code = code_of(row)
        parent = code[:5] if row.key.startswith("p:") else {7: code[:5], 5: code[:3]}.get(len(code))
        if parent and parent not in codes:
            children.setdefault(parent, []).append(row)
    for parent, rows in children.items():
        if len(parent) not in levels:
            ctx.skipped()  # the layout prints no row of this level: nothing left out
            continue
        what = "款级" if len(parent) == 5 else "类级"
        first = rows[0]
        others = f"（及其下另外 {len(rows) - 1} 行）" if len(rows) > 1 else ""
        yield Hit(message=f"{table.label}“{row_label(first)}”行{others}的上级{what}科目 {parent} 未列示"
                          f"（本表列示了其他{what}科目行），无法核对汇总关系。",
                  location=cell_location(table, first, None), subject=first.key, expected=parent,
                  inputs={"下级行": "、".join(row_label(r) for r in rows[:10])})


for _kind in FUNCTION_TABLES:
    _table_rule(_kind, "HIER.KUAN", "款级科目等于其下项级科目之和",
                doc="每个款级科目行在各金额列上等于其下列示的项级科目行之和。")(_hier_kuan)
    _table_rule(_kind, "HIER.LEI", "类级科目等于其下款级科目之和",
                doc="每个类级科目行在各金额列上等于其下列示的款级科目行之和。")(_hier_lei)
    _table_rule(_kind, "HIER.TOTAL", "合计行等于各类级科目之和",
                doc="合计行在各金额列上等于全部类级科目行之和（列合计）。")(_hier_total)
    _table_rule(_kind, "HIER.PARENT", "项级、款级科目的上级科目已列示", "warning",
                doc="项级科目行须有其款级科目行、款级须有其类级科目行，否则汇总关系无从核对。")(_hier_parent)

_table_rule("general_project", "HIER.KUAN", "款级科目等于其下项目之和",
            doc="项目支出表中每个款级科目行等于其下各项目行之和（按项目的项级科目归属）。")(_hier_kuan_projects)
_table_rule("general_project", "HIER.LEI", "类级科目等于其下款级科目之和")(_hier_lei)
_table_rule("general_project", "HIER.TOTAL", "合计行等于各类级科目之和")(_hier_total)
_table_rule("general_project", "HIER.PARENT", "项目的上级科目已列示", "warning")(_hier_parent)
_table_rule("general_basic", "HIER.LEI", "经济分类类级科目等于其下款级科目之和",
            doc="基本支出表中每个经济分类类级行等于其下款级行之和。")(lambda ctx, t: _hier_lei(ctx, t, "e:"))
_table_rule("general_basic", "HIER.TOTAL", "合计行等于各经济分类类级科目之和")(lambda ctx, t: _hier_total(ctx, t, "e:"))
_table_rule("general_basic", "HIER.PARENT", "经济分类款级科目的上级类已列示", "warning")(
    lambda ctx, t: _hier_parent(ctx, t, "e:"))


# ------------------------------------------------------------------ row identities

def _rows_with_amounts(table: Table):
    return [r for r in table.rows if r.role != "blank"]


def _identity(target: str, parts: list[str], why: str, require_all: bool = False):
    """``target = Σ parts`` on every row, over the part columns the layout prints (none printed: skipped).

    ``require_all``: the identity is only meaningful with every part (合计 = 基本 + 项目): a table without
    one of them (a reading problem, reported by the reader) is not checked rather than misreported.

    A part the region's layout prints but this table does not (``dropped_columns``) is unknown, not absent:
    the identity is then checked only as the bound the printed parts give (``column_identity``)."""

    def body(ctx: Context, table: Table) -> Iterator[Hit]:
        present = set(columns_of(ctx, table))
        dropped = dropped_columns(ctx, table)
        printed = [p for p in parts if p in present or p in dropped]
        if target in dropped and any(p in present for p in parts):
            ctx.skipped()
            return
        if target not in present or not printed or (require_all and len(printed) < len(parts)):
            return
        for row in _rows_with_amounts(table):
            hit = column_identity(ctx, table, row, target, printed, why)
            if hit:
                yield hit

    return body


T2_SOURCES = ["s:fiscal", "s:special_account", "s:unit_funds", "s:carryover"]
T2_FISCAL = ["s:general", "s:general_transfer", "s:fund", "s:fund_transfer", "s:capital", "s:capital_transfer"]
# A group column a layout does not print is replaced by the columns below it that it does print
# (Shanghai's T2 has 财政拨款, 事业收入, 事业单位经营收入, 其他收入, 上年结转 and no 单位资金 column).
T2_LEAVES = {
    "s:fiscal": T2_FISCAL,
    "s:unit_funds": ["s:business", "s:superior_subsidy", "s:affiliated", "s:operating", "s:other"],
    "s:carryover": ["s:carryover_fiscal", "s:carryover_nonfiscal"],
    "s:carryover_fiscal": ["s:carryover_general", "s:carryover_fund", "s:carryover_capital"],
    "s:carryover_nonfiscal": ["s:carryover_special_account", "s:carryover_unit"],
}


def printed_parts(groups: list[str], present: set[str], leaves: dict[str, list[str]] = T2_LEAVES,
                  dropped: frozenset[str] = frozenset()) -> list[str]:
    """Each group column if printed, else (recursively) its printed sub-columns. A column the layout prints
    but the table left out (``dropped``) is kept: it is unknown, and ``column_identity`` checks only a bound."""
    out: list[str] = []
    for group in groups:
        if group in present or group in dropped:
            out.append(group)
        else:
            out.extend(printed_parts(leaves.get(group, []), present, leaves, dropped))
    return out


def _t2_sources(ctx: Context, table: Table) -> Iterator[Hit]:
    parts = printed_parts(T2_SOURCES, set(columns_of(ctx, table)), dropped=dropped_columns(ctx, table))
    yield from _identity("total", parts, "各资金来源列之和")(ctx, table)


_table_rule("income", "ROW.SOURCES", "总计等于各资金来源之和",
            doc="每行“总计”= 财政拨款小计 + 财政专户 + 单位资金 + 财政拨款结转 + 非财政拨款结转结余"
                "（未列示的分组列以其明细列代替）。")(_t2_sources)
_table_rule("income", "ROW.FISCAL", "财政拨款小计等于三本预算及其上级转移支付之和",
            doc="每行“财政拨款（补助）小计”= 一般公共预算、政府性基金、国有资本经营预算及各自上级转移支付之和。")(
    _identity("s:fiscal", T2_FISCAL, "一般公共预算、政府性基金、国有资本经营预算（含上级转移支付）之和"))

for _kind in ["expenditure", "general_expenditure", "fund_expenditure", "capital_expenditure", "fiscal_expenditure"]:
    _table_rule(_kind, "ROW.TOTAL", "合计等于基本支出加项目支出",
                doc="每行“合计”= 基本支出 + 项目支出。")(
        _identity("total", ["basic", "project"], "基本支出与项目支出之和", require_all=True))

_table_rule("general_basic", "ROW.TOTAL", "合计等于人员经费加公用经费",
            doc="每行“合计”= 人员经费 + 公用经费。")(
    _identity("total", ["personnel", "public"], "人员经费与公用经费之和", require_all=True))

PROJECT_ECONOMIC = ["e:301", "e:302", "e:303", "e:307", "e:309", "e:310", "e:311", "e:312", "e:313", "e:399"]


def _t7_economic(ctx: Context, table: Table) -> Iterator[Hit]:
    dropped = dropped_columns(ctx, table)
    if "total" in dropped:
        ctx.skipped()
        return
    econ = [c for c in columns_of(ctx, table) if c.startswith("e:")] or PROJECT_ECONOMIC
    econ += sorted(c for c in dropped if c.startswith("e:") and c not in econ)  # unknown: a bound only
    for row in _rows_with_amounts(table):
        hit = column_identity(ctx, table, row, "total", econ, "各经济分类列之和")
        if hit:
            yield hit


_table_rule("general_project", "ROW.ECONOMIC", "项目支出合计等于各经济分类列之和",
            doc="每行“项目支出合计”等于工资福利支出、商品和服务支出……其他支出各列之和。")(_t7_economic)


def _t7_name(ctx: Context, table: Table) -> Iterator[Hit]:
    for row in table.rows_where("p:"):
        cell = row.cells.get("project_name")
        text = cell.text.strip() if cell else ""
        if not text:
            yield Hit(message=f"{table.label}第{table.rows.index(row) + 1}行（{row_label(row)}）未填写项目名称。",
                      location=cell_location(table, row, "project_name"), subject=row.key)


_table_rule("general_project", "ROW.NAME", "项目行填写了项目名称", "warning")(_t7_name)


def _t6_split(own: str, other: str, own_label: str):
    """Economic 类 301/303 are 人员经费, the others 公用经费: a row's money sits in its own column only."""

    def body(ctx: Context, table: Table) -> Iterator[Hit]:
        from yusuan.rules.catalogue import load_catalog

        cat = load_catalog(ctx, "economic")
        for row in table.rows_where("e:"):
            code = code_of(row)
            split = cat.personnel_or_public(code)
            if split != own_label:
                continue
            stated = amount(row, other)
            if ctx.differs(stated, ZERO, table.unit):
                wrong = "公用经费" if other == "public" else "人员经费"
                yield Hit(message=f"{table.label}“{row_label(row)}”属于{own_label}，却在“{wrong}”列列示 {fmt(stated)}{table.unit}。",
                          location=cell_location(table, row, other), subject=row.key, stated=stated,
                          expected=ZERO, inputs={"经济分类": code})

    return body


_table_rule("general_basic", "SPLIT.PERSONNEL", "工资福利支出、对个人和家庭的补助只列人员经费", "warning",
            doc="经济分类 301、303 属于人员经费，其行的“公用经费”列应为空。")(_t6_split("personnel", "public", "人员经费"))
_table_rule("general_basic", "SPLIT.PUBLIC", "商品和服务支出、资本性支出等只列公用经费", "warning",
            doc="经济分类 302、309、310 等属于公用经费，其行的“人员经费”列应为空。")(_t6_split("public", "personnel", "公用经费"))


def _empty_contradiction(ctx: Context, table: Table) -> Iterator[Hit]:
    """The table says it is empty (空表说明) yet prints amounts."""
    if not table.empty_note:
        return
    for row in table.rows:
        for col in columns_of(ctx, table):
            if amount(row, col) != 0:
                yield Hit(message=f"{table.label}注明为空表（“{table.empty_note}”），但“{row_label(row)}”行列示了金额 "
                                  f"{fmt(amount(row, col))}{table.unit}。",
                          location=cell_location(table, row, col), subject=row.key, stated=amount(row, col))
                return


for _kind in ["fund_expenditure", "capital_expenditure"]:
    _table_rule(_kind, "EMPTY.CONTRADICTION", "注明为空表的表格不列金额")(_empty_contradiction)
