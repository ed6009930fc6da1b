"""Checks on the performance-target tables (项目支出绩效目标表) and what Part 3 says about them.

Rules read ``ctx.disclosure.performance`` and, when present, the project table (T7), the expenditure
table (T3), the Part 3 statements ``performance:*`` / ``project:*:allocation:*`` and the facts.
Projects are matched by name after removing spaces and full-width forms (``normalise_text``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable, Iterator

from yusuan import amounts
from yusuan.disclosure import Location, PrintedPerformance, Statement
from yusuan.model.performance import Indicator, PerformanceTable
from yusuan.perf import vocab
from yusuan.perf.tables import funding_summary, location_of
from yusuan.perf.vocab import LEVEL2_BY_LEVEL1, REQUIRED_LEVEL1
from yusuan.rules.narrative_base import placed
from yusuan.rules.registry import Context, Hit, rule

ZERO = Decimal(0)

# Pure functions of short texts, asked about the same indicator levels, names and units hundreds of
# times per package (and alike across packages): remembered, they stop dominating these rules.
normalise_text = lru_cache(maxsize=8192)(amounts.normalise_text)
is_cost = lru_cache(maxsize=1024)(vocab.is_cost)
is_known_grade = lru_cache(maxsize=4096)(vocab.is_known_grade)
unit_in_name = lru_cache(maxsize=8192)(vocab.unit_in_name)


def _name(table: PerformanceTable) -> str:
    return table.printed_name


def _at(printed: PrintedPerformance, index: int | None = None) -> Location:
    base = location_of(printed)
    if index is None:
        return base
    return base.model_copy(update={"row": index + 1})


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _cost_amounts(table: PerformanceTable) -> list[tuple[int, Indicator]]:
    """Cost indicators stated in 万元 (the ones that can be added up against the budget)."""
    # the target's figures tested first: most indicators are left out by them without ``is_cost``
    return [
        (i, ind) for i, ind in enumerate(table.indicators)
        if ind.target.number is not None and ind.target.unit == "万元" and is_cost(ind.level1, ind.level2)
    ]


def _by_project(ctx: Context) -> dict[str, list[PrintedPerformance]]:
    """Project name (normalised) → its tables; once per check for the three rules grouping them (read only)."""
    def build() -> dict[str, list[PrintedPerformance]]:
        groups: dict[str, list[PrintedPerformance]] = defaultdict(list)
        for printed in ctx.disclosure.performance:
            groups[normalise_text(printed.table.project)].append(printed)
        return groups

    return ctx.cached(("performance_by_project",), build)


def _money_projects(ctx: Context) -> dict[str, tuple[str, Decimal, str]]:
    """Project name (normalised) → (printed name, amount, where) from the facts, else from T7; once per check
    for P.BUDGET.TABLES and P.MISSING (read only)."""
    return ctx.cached(("performance_money_projects",), lambda: _list_money_projects(ctx))


def _list_money_projects(ctx: Context) -> dict[str, tuple[str, Decimal, str]]:
    found: dict[str, tuple[str, Decimal, str]] = {}
    if ctx.package is not None:
        for p in ctx.package.projects:
            found[normalise_text(p.name)] = (p.name, p.total, "项目资金（事实数据）")
        return found
    t7 = ctx.table("general_project")
    if t7 is None:
        return found
    for row in t7.rows_where("p:"):
        cell = row.cells.get("project_name")
        name = cell.text if cell and cell.text else row.key.split(":", 2)[-1]
        key = normalise_text(name)
        from yusuan.rules.tables_common import amount as cell_amount

        amount = cell_amount(row, "total")  # zero when blank, unknown when the column is not printed
        if t7.unit == "元":  # performance tables state 万元
            amount = amount / Decimal(10000)
        prev = found.get(key)
        found[key] = (name, amount + (prev[1] if prev else ZERO), t7.label or "一般公共预算项目支出情况表")
    return found


def _profile(ctx: Context, key: str, default):
    """A performance setting of the region profile: flat ``performance_<key>`` or nested ``performance: {<key>}``
    (the form of ``profiles/*.yaml``)."""
    if f"performance_{key}" in ctx.profile:
        return ctx.profile[f"performance_{key}"]
    nested = ctx.profile.get("performance")
    if isinstance(nested, dict) and key in nested:
        return nested[key]
    return default


def _statements(ctx: Context, prefix: str) -> Iterable[Statement]:
    """``ctx.disclosure.statements(prefix)``: of a budget, read from the per-check statement index the text
    rules share (``placed``) instead of a walk over every paragraph; ``placed`` leaves a final account's
    年初预算 figures out, so a final account's statements are walked as before."""
    if ctx.disclosure.phase == "final":
        return ctx.disclosure.statements(prefix)
    return [p.statement for p in placed(ctx, prefix)]


# ---------------------------------------------------------------- one table at a time

@rule("P.WEIGHTS", "绩效指标权重合计应等于模板规定的分值", "warning", "performance", reads=("performance",))
def weights(ctx: Context) -> Iterator[Hit]:
    """各三级指标的分值权重合计等于地区模板规定的总分（新疆模板为 90 分，另 10 分为预算执行率；其他地区多为 100 分）。
    不印权重的模板（区域绩效目标表、明细表）不检查。"""
    expected = Decimal(str(ctx.settings.performance_weight_total or _profile(ctx, "weight_total", 90)))
    for printed in ctx.disclosure.performance:
        table = printed.table
        if not table.weighted:
            continue
        missing = [ind.name for ind in table.indicators if ind.weight is None]
        if missing:
            yield Hit(f"绩效目标表“{_name(table)}”中 {len(missing)} 个指标未填写权重：{'、'.join(missing)}",
                      _at(printed), subject=table.project)
        total = table.weight_total()
        if total != expected:
            yield Hit(f"绩效目标表“{_name(table)}”的指标权重合计为 {_fmt(total)} 分，模板规定为 {_fmt(expected)} 分",
                      _at(printed), subject=table.project, stated=total, expected=expected)


@rule("P.LEVELS.REQUIRED", "绩效目标表应包含产出、效益、满意度三类一级指标", "warning", "performance", reads=("performance",))
def levels_required(ctx: Context) -> Iterator[Hit]:
    """每张表都应设产出指标、效益指标和满意度指标（一级）；地区模板允许省略的一级指标见配置 performance_optional_levels。"""
    optional = set(_profile(ctx, "optional_levels", []))
    required = [level for level in REQUIRED_LEVEL1 if level not in optional]
    for printed in ctx.disclosure.performance:
        present = {normalise_text(level) for level in {ind.level1 for ind in printed.table.indicators}}
        missing = [level for level in required if level not in present]
        if missing:
            yield Hit(f"绩效目标表“{_name(printed.table)}”缺少一级指标：{'、'.join(missing)}",
                      _at(printed), subject=printed.table.project, stated="、".join(sorted(present)), expected="、".join(required))


@rule("P.LEVEL2.VALID", "二级指标应属于其一级指标", "warning", "performance", reads=("performance",))
def level2_valid(ctx: Context) -> Iterator[Hit]:
    """二级指标须是其一级指标下的标准名称（如“数量指标”属于“产出指标”，“社会效益指标”属于“效益指标”）。"""
    for printed in ctx.disclosure.performance:
        seen: set[tuple[str, str]] = set()
        printed_pairs: set[tuple[str, str]] = set()  # as printed: a pair met again is in ``seen``, not normalised again
        for i, ind in enumerate(printed.table.indicators):
            pair = (ind.level1, ind.level2)
            if pair in printed_pairs:
                continue
            printed_pairs.add(pair)
            l1, l2 = normalise_text(ind.level1), normalise_text(ind.level2)
            if (l1, l2) in seen:
                continue
            seen.add((l1, l2))
            if l1 not in LEVEL2_BY_LEVEL1:
                yield Hit(f"绩效目标表“{_name(printed.table)}”的一级指标“{ind.level1}”不是标准名称（应为 {'、'.join(LEVEL2_BY_LEVEL1)} 之一）",
                          _at(printed, i), subject=printed.table.project, stated=ind.level1)
            elif l2 not in LEVEL2_BY_LEVEL1[l1]:
                yield Hit(f"绩效目标表“{_name(printed.table)}”中二级指标“{ind.level2}”不属于一级指标“{ind.level1}”"
                          f"（应为 {'、'.join(LEVEL2_BY_LEVEL1[l1])} 之一）",
                          _at(printed, i), subject=printed.table.project, stated=ind.level2, expected="、".join(LEVEL2_BY_LEVEL1[l1]))


@rule("P.QUANT.COMPLETE", "定量指标应有比较符、数值和计量单位", "warning", "performance", reads=("performance",))
def quant_complete(ctx: Context) -> Iterator[Hit]:
    """定量指标值应写明比较符（=、>=、<= 等）、数值和计量单位（单位可写在指标名称的括号中）。每张表合并报告一次。"""
    for printed in ctx.disclosure.performance:
        no_comparator, no_unit = [], []
        for ind in printed.table.indicators:
            target = ind.target
            if target.number is None:
                continue
            if target.comparator is None:
                no_comparator.append(f"{ind.name}（{target.text}）")
            if not target.unit and not unit_in_name(ind.name):
                no_unit.append(f"{ind.name}（{target.text}）")
        if no_comparator:
            yield Hit(f"绩效目标表“{_name(printed.table)}”中 {len(no_comparator)} 个定量指标未写比较符：{'；'.join(no_comparator)}",
                      _at(printed), subject=printed.table.project)
        if no_unit:
            yield Hit(f"绩效目标表“{_name(printed.table)}”中 {len(no_unit)} 个定量指标没有计量单位：{'；'.join(no_unit)}",
                      _at(printed), subject=printed.table.project)


@rule("P.COST.WITHIN_BUDGET", "成本指标合计不应超过项目预算", "fatal", "performance", reads=("performance",))
def cost_within_budget(ctx: Context) -> Iterator[Hit]:
    """以万元计的成本指标（一级“成本指标”或二级“成本指标”）合计不应超过该表的年度预算总额。"""
    for printed in ctx.disclosure.performance:
        table = printed.table
        costs = _cost_amounts(table)
        if not costs:
            continue
        total = sum((ind.target.number for _, ind in costs), ZERO)  # type: ignore[misc]
        if total - table.total > ctx.tolerance_for():
            yield Hit(f"绩效目标表“{_name(table)}”的成本指标合计 {_fmt(total)} 万元，超过年度预算总额 {_fmt(table.total)} 万元",
                      _at(printed), subject=table.project, stated=total, expected=table.total,
                      inputs={ind.name: ind.target.number for _, ind in costs})  # type: ignore[misc]


@rule("P.BUDGET.TOTAL", "年度预算总额应等于财政拨款与其他资金之和", "fatal", "performance", reads=("performance",))
def budget_total(ctx: Context) -> Iterator[Hit]:
    """表头印出的年度预算总额 = 其中：财政拨款 + 其他资金。"""
    for printed in ctx.disclosure.performance:
        table = printed.table
        if printed.stated_total is not None and ctx.differs(printed.stated_total, table.total):
            yield Hit(f"绩效目标表“{_name(table)}”印出的年度预算总额 {_fmt(printed.stated_total)} 万元，"
                      f"财政拨款 {_fmt(table.fiscal)} 万元 + 其他资金 {_fmt(table.other)} 万元 = {_fmt(table.total)} 万元",
                      _at(printed), subject=table.project, stated=printed.stated_total, expected=table.total,
                      inputs={"财政拨款": table.fiscal, "其他资金": table.other})


@rule("P.LASTYEAR.WEIGHT", "上年完成值与权重相同，可能是抄错列", "info", "performance", reads=("performance",))
def last_year_weight(ctx: Context) -> Iterator[Hit]:
    """上年完成值恰好等于该指标的分值权重、又不同于指标值时，多半是把权重抄进了上年完成值一列。"""
    for printed in ctx.disclosure.performance:
        for i, ind in enumerate(printed.table.indicators):
            if ind.weight is None or not ind.last_year:
                continue  # tested before the number is read (a parse per indicator is most of the cost)
            last = _plain_number(ind.last_year)
            if last is None or last != ind.weight:
                continue
            if ind.target.number is not None and ind.target.number == last:
                continue
            yield Hit(f"绩效目标表“{_name(printed.table)}”指标“{ind.name}”的上年完成值 {ind.last_year} 与其权重 {_fmt(ind.weight)} 相同，"
                      f"而指标值为“{ind.target.text}”，请核对是否抄错列",
                      _at(printed, i), subject=printed.table.project, stated=ind.last_year, expected=ind.target.text)


def _plain_number(text: str | None) -> Decimal | None:
    if not text:
        return None
    body = normalise_text(text)
    try:
        return Decimal(body)
    except InvalidOperation:
        return None


@rule("P.UNIT.MISMATCH", "指标名称中的单位应与指标值的单位一致", "warning", "performance", reads=("performance",))
def unit_mismatch(ctx: Context) -> Iterator[Hit]:
    """指标名称括号中的计量单位（如“（个）”“（立方米）”）应与指标值的单位一致（如“=7个”）。"""
    for printed in ctx.disclosure.performance:
        for i, ind in enumerate(printed.table.indicators):
            target = ind.target
            if target.number is None or not target.unit:
                continue  # tested first: the name is read only for a figure with a unit
            named = unit_in_name(ind.name)
            unit = normalise_text(target.unit)
            if not named or not unit or named == unit:
                continue
            yield Hit(f"绩效目标表“{_name(printed.table)}”指标“{ind.name}”名称中的单位为“{named}”，指标值“{ind.target.text}”的单位为“{unit}”",
                      _at(printed, i), subject=printed.table.project, stated=unit, expected=named)


@rule("P.NOT.MEASURABLE", "指标值应可衡量", "info", "performance", reads=("performance",))
def not_measurable(ctx: Context) -> Iterator[Hit]:
    """指标值应有数值、时间，或使用可评判的等级表述（如“有效提高”“符合要求”）；空白或无法评判的表述不可衡量。"""
    for printed in ctx.disclosure.performance:
        for i, ind in enumerate(printed.table.indicators):
            target = ind.target
            if target.number is not None or target.period is not None:
                continue
            if target.grade and (is_known_grade(target.grade) or any(ch.isdigit() for ch in target.grade)):
                continue
            shown = target.text.strip() or "（空白）"
            yield Hit(f"绩效目标表“{_name(printed.table)}”指标“{ind.name}”的指标值“{shown}”既无数值也不是可评判的等级表述",
                      _at(printed, i), subject=printed.table.project, stated=target.text)


# ---------------------------------------------------------------- against the money

@rule("P.BUDGET.TABLES", "绩效目标表的预算应等于项目支出表中的项目金额", "fatal", "performance",
      reads=("performance", "general_project", "facts"))
def budget_tables(ctx: Context) -> Iterator[Hit]:
    """每个项目的绩效目标表预算（一个项目分几张表时为合计）应等于该项目在项目支出表（或事实数据）中的金额。
    没有事实数据时与一般公共预算项目支出表比较其中的财政拨款。"""
    money = _money_projects(ctx)
    for key, group in _by_project(ctx).items():
        if key not in money:
            continue
        name, amount, where = money[key]
        tables = [p.table for p in group]
        stated = sum(((t.total if ctx.package is not None else t.fiscal) for t in tables), ZERO)
        if ctx.differs(stated, amount):
            parts = "、".join(f"“{t.printed_name}”{_fmt(t.total)}万元" for t in tables)
            yield Hit(f"项目“{name}”的绩效目标表预算合计 {_fmt(stated)} 万元（{parts}），{where}中为 {_fmt(amount)} 万元",
                      _at(group[0]), subject=name, stated=stated, expected=amount,
                      inputs={t.printed_name: t.total for t in tables})


@rule("P.COST.ALLOCATION", "成本指标应与项目的资金分配情况一致", "warning", "performance",
      reads=("performance", "general_project", "facts"))
def cost_allocation(ctx: Context) -> Iterator[Hit]:
    """项目的成本指标（万元）合计应等于情况说明“资金分配情况”各项之和；条数相同时逐项（按金额排序）比较。"""
    allocations = _allocations(ctx)
    for key, group in _by_project(ctx).items():
        lines = allocations.get(key) or next(
            (allocations[normalise_text(p.table.title_name)] for p in group
             if p.table.title_name and normalise_text(p.table.title_name) in allocations), None)
        if not lines:
            continue
        costs = [ind.target.number for p in group for _, ind in _cost_amounts(p.table)]
        if not costs:
            continue
        cost_total = sum(costs, ZERO)  # type: ignore[arg-type]
        alloc_total = sum((a for _, a in lines), ZERO)
        name = group[0].table.project
        listed = "；".join(f"{label}{_fmt(a)}万元" for label, a in lines)
        if ctx.differs(cost_total, alloc_total):
            yield Hit(f"项目“{name}”的成本指标合计 {_fmt(cost_total)} 万元，资金分配情况合计 {_fmt(alloc_total)} 万元（{listed}）",
                      _at(group[0]), subject=name, stated=cost_total, expected=alloc_total)
        elif len(costs) == len(lines) and sorted(costs) != sorted(a for _, a in lines):  # type: ignore[type-var]
            yield Hit(f"项目“{name}”的成本指标（{'、'.join(_fmt(c) for c in costs)} 万元）与资金分配情况各项（{listed}）金额不一致",
                      _at(group[0]), subject=name, stated="、".join(_fmt(c) for c in costs), expected=listed)


def _allocations(ctx: Context) -> dict[str, list[tuple[str, Decimal]]]:
    out: dict[str, list[tuple[str, Decimal]]] = {}
    if ctx.package is not None:
        for p in ctx.package.projects:
            if p.allocation:
                out[normalise_text(p.name)] = [(a.purpose, a.amount) for a in p.allocation]
                if p.described_name:
                    out.setdefault(normalise_text(p.described_name), out[normalise_text(p.name)])
        return out
    for st in _statements(ctx, "project:"):
        parts = st.subject.split(":")
        if len(parts) == 4 and parts[2] == "allocation" and st.amount is not None:
            out.setdefault(normalise_text(parts[1]), []).append((st.label, st.amount))
    return out


@rule("P.SUMMARY", "预算绩效情况说明的项目个数和金额应与绩效目标表一致", "fatal", "performance",
      reads=("performance", "other.performance"))
def summary(ctx: Context) -> Iterator[Hit]:
    """“预算绩效情况”所说财政拨款项目、非财政拨款项目（上海版式：编报绩效目标的项目）的个数和金额，
    应等于其后绩效目标表的张数和预算合计。"""
    if not ctx.disclosure.performance:
        return
    if any(not p.table.indicators for p in ctx.disclosure.performance):
        return  # a table whose content was not read has unknown amounts: the count and the sums are unknown too
    s = funding_summary([p.table for p in ctx.disclosure.performance])
    tables = [p.table for p in ctx.disclosure.performance]
    expected = {"performance:fiscal": (s.fiscal_count, s.fiscal_amount, "财政拨款"),
                "performance:nonfiscal": (s.nonfiscal_count, s.nonfiscal_amount, "非财政拨款"),
                "performance:total": (len(tables), sum((t.total for t in tables), ZERO), "编报绩效目标的")}
    for st in _statements(ctx, "performance:"):
        if st.subject not in expected:
            continue
        count, amount, label = expected[st.subject]
        if st.count is not None and st.count != count:
            yield Hit(f"预算绩效情况说明{label}项目 {st.count} 个，绩效目标表中为 {count} 张", st.location,
                      subject=st.subject, stated=str(st.count), expected=str(count))
        if st.amount is not None and ctx.differs(st.amount, amount):
            yield Hit(f"预算绩效情况说明{label}项目涉及预算金额 {_fmt(st.amount)} 万元，绩效目标表合计 {_fmt(amount)} 万元",
                      st.location, subject=st.subject, stated=st.amount, expected=amount)


def _contains(a: str, b: str) -> bool:
    """One name holds the other whole (“2023年度X” and X); a name of fewer than 4 characters pairs nothing."""
    return len(a) >= 4 and len(b) >= 4 and (a in b or b in a)


@rule("P.MISSING", "每个项目都应有绩效目标表", "warning", "performance",
      reads=("performance", "general_project", "expenditure", "facts"))
def missing(ctx: Context) -> Iterator[Hit]:
    """项目支出表（或事实数据）中的每个项目都应有绩效目标表（表名与项目名不同时，名称互相包含或预算等于项目金额的
    绩效目标表算作该项目的表，每张表只算一次）；部门支出总体情况表的项目支出合计大于全部绩效目标表预算时，
    说明有项目支出没有绩效目标。"""
    have = set(_by_project(ctx))
    have |= {normalise_text(p.table.title_name) for p in ctx.disclosure.performance if p.table.title_name}
    money = _money_projects(ctx)
    # Tables whose printed name is no project's: a project's table printed under another name (section 七's
    # name, a year-prefixed title “2023年度…” per year of the work). Paired as a reader pairs them: by a name
    # that contains the other, else one table whose budget is the project's amount; each table once.
    spare = [p.table for p in ctx.disclosure.performance
             if normalise_text(p.table.project) not in money
             and not (p.table.title_name and normalise_text(p.table.title_name) in money)]
    for key, (name, amount, where) in money.items():
        if key in have:
            continue
        named = [t for t in spare if _contains(key, normalise_text(t.printed_name))]
        if not named and ctx.package is None:  # from table 7 (its amounts are 财政拨款)
            named = next(([t] for t in spare if t.fiscal == amount), [])
        if named:
            spare = [t for t in spare if all(t is not n for n in named)]
            continue
        yield Hit(f"项目“{name}”（{_fmt(amount)} 万元，见{where}）没有绩效目标表", subject=name, expected=amount)
    t3 = ctx.table("expenditure")
    total3 = ctx.row(t3, "total") if t3 else None  # = t3.value("total", "project"), from the row index
    printed = total3.value("project") if total3 else None
    # table 3 may be in 元 (Shanghai); the performance tables' budgets are in 万元
    project_total = printed / 10000 if printed is not None and t3.unit == "元" else printed  # type: ignore[union-attr]
    if project_total is not None and ctx.disclosure.performance:
        covered = sum((p.table.total for p in ctx.disclosure.performance), ZERO)
        if project_total - covered > ctx.tolerance_for():
            yield Hit(f"部门支出总体情况表项目支出合计 {_fmt(project_total)} 万元，全部绩效目标表预算合计 {_fmt(covered)} 万元，"
                      f"有 {_fmt(project_total - covered)} 万元项目支出没有绩效目标表",
                      t3.location, subject="expenditure:project", stated=covered, expected=project_total)  # type: ignore[union-attr]
