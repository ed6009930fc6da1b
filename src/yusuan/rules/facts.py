"""Facts (F.*): the package's own figures agree before anything is printed.

Run only when the disclosure was composed from a ``BudgetPackage`` (``ctx.package``). A disclosure
built from consistent facts can still be wrong if the facts are: basic spending by function and by
economic class must be the same money, a project's economic breakdown and allocation lines must add
up to its funding, 三公 must fit inside the economic lines that pay for it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from yusuan import derive
from yusuan.amounts import normalise_text
from yusuan.model import BudgetPackage
from yusuan.model.sources import label_of
from yusuan.rules.catalogue import catalog_for
from yusuan.rules.narrative_base import ZERO, show
from yusuan.rules.registry import Context, Hit, rule


def _pkg(ctx: Context) -> BudgetPackage:
    assert ctx.package is not None
    return ctx.package


GROUPS = ("general_budget", "fund_budget", "capital_budget", "special_account", "unit_funds", "carryover_fiscal",
          "carryover_nonfiscal")


def _group(source) -> str:
    from yusuan.model.sources import sources_of

    for g in GROUPS:
        if source in sources_of(g):
            return g
    return source.value


@rule("F.BASIC.FUNCTION_ECONOMIC", "基本支出按功能分类与按经济分类合计一致", "fatal", "facts", needs_facts=True)
def basic_function_vs_economic(ctx: Context) -> Iterator[Hit]:
    """Per budget (一般公共预算 …): Σ basic by function 项 = Σ basic by economic 款 (two views of the same money).
    Compared by budget rather than leaf source because the economic detail is usually given for the
    budget as a whole; a budget with no economic detail at all is skipped (see F.BASIC.ECONOMIC_MISSING)."""
    pkg = _pkg(ctx)
    by_function: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_economic: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in pkg.basic:
        by_function[_group(line.source)] += line.amount
    for line in pkg.basic_economic:
        by_economic[_group(line.source)] += line.amount
    for group in sorted(by_economic):
        f, e = by_function[group], by_economic[group]
        if ctx.differs(f, e):
            yield Hit(
                message=(f"数据包中{label_of(group)}安排的基本支出按功能分类（basic）合计{show(f)}，"
                         f"按经济分类（basic_economic）合计{show(e)}，相差{show(f - e)}。"),
                subject=f"basic:{group}", stated=e, expected=f, inputs={"按功能分类": f, "按经济分类": e},
                origin=next((("basic_economic", i, "amount") for i, l in enumerate(pkg.basic_economic)
                             if _group(l.source) == group), ("basic_economic",)),
            )


def _economic_total(project) -> tuple[Decimal, list[str]]:
    """Σ of a project's economic lines, counting a 类 once: its 款 lines when it has them."""
    # One pass over the lines, summing each class's 款 lines and its 类 line(s) in the order they are listed
    # (the same additions as a sum per class, without a scan of all lines per class).
    items_of: dict[str, Decimal] = {}  # class → Σ of its 款 lines, for the classes that have some
    whole_of: dict[str, Decimal] = {}  # class → Σ of its 类 lines
    for l in project.economic:
        code = l.economic
        cls = code[:3]
        whole_of.setdefault(cls, ZERO)
        if len(code) == 5:
            items_of[cls] = items_of.get(cls, ZERO) + l.amount
        elif code == cls:
            whole_of[cls] += l.amount
    total = ZERO
    notes = []
    for cls in sorted(whole_of):
        items, whole = items_of.get(cls, ZERO), whole_of[cls]
        if cls in items_of:
            total += items
            if whole and whole != items:
                notes.append(f"{cls}类{show(whole)}与其款级合计{show(items)}不一致")
        else:
            total += whole
    return total, notes


@rule("F.PROJECT.ECONOMIC", "项目经济分类合计等于项目资金", "fatal", "facts", needs_facts=True)
def project_economic(ctx: Context) -> Iterator[Hit]:
    """A project's economic breakdown adds up to its funding: all sources, or (as table 7 prints it) the
    general-budget part, with or without its carry-over."""
    from yusuan.model.sources import sources_of

    general_sources, with_carry_sources = sources_of("general_budget"), sources_of("general_with_carryover")
    for n, project in enumerate(_pkg(ctx).projects):
        if not project.economic:
            continue
        total, notes = _economic_total(project)
        general = sum((f.amount for f in project.funding if f.source in general_sources), ZERO)
        with_carry = sum((f.amount for f in project.funding if f.source in with_carry_sources), ZERO)
        if notes or all(ctx.differs(total, x) for x in (project.total, general, with_carry)):
            extra = "；" + "；".join(notes) if notes else ""
            part = f"（其中一般公共预算{show(general)}）" if general != project.total else ""
            yield Hit(
                message=(f"项目“{project.name}”按经济分类列出{show(total)}，而资金来源合计（预算安排规模）为"
                         f"{show(project.total)}{part}，相差{show(total - project.total)}{extra}。"),
                subject=f"project:{project.name}", stated=total, expected=project.total,
                origin=("projects", n, "economic", 0, "amount"),
            )


@rule("F.PROJECT.ALLOCATION", "项目资金分配合计等于项目资金", "fatal", "facts", needs_facts=True)
def project_allocation(ctx: Context) -> Iterator[Hit]:
    """A project's allocation lines add up to its total."""
    for n, project in enumerate(_pkg(ctx).projects):
        if not project.allocation:
            continue
        total = sum((a.amount for a in project.allocation), ZERO)
        if ctx.differs(total, project.total):
            parts = "；".join(f"{a.purpose}{show(a.amount)}" for a in project.allocation)
            yield Hit(
                message=(f"项目“{project.name}”资金分配（{parts}）合计{show(total)}，而项目资金合计{show(project.total)}，"
                         f"相差{show(total - project.total)}。"),
                subject=f"project:{project.name}:allocation", stated=total, expected=project.total,
                origin=("projects", n, "allocation", 0, "amount"),
            )


SANGONG_ECONOMIC = {
    "abroad": ("30212", "因公出国（境）费用"),
    "reception": ("30217", "公务接待费"),
    "vehicle_operation": ("30231", "公务用车运行维护费"),
    "vehicle_purchase": ("31013", "公务用车购置"),
}
SANGONG_LABELS = {"abroad": "因公出国（境）费", "reception": "公务接待费", "vehicle_operation": "公务用车运行费",
                  "vehicle_purchase": "公务用车购置费"}


@rule("F.SANGONG.ECONOMIC", "“三公”经费不超过对应经济分类科目", "fatal", "facts", needs_facts=True)
def sangong_within_economic(ctx: Context) -> Iterator[Hit]:
    """Each 三公 item fits inside the economic 款 that pays for it (basic 款 lines plus projects' lines;
    a project given only at 类 level counts in full, so the bound is never too tight)."""
    pkg = _pkg(ctx)
    sg = derive.sangong(pkg)
    for item, (code, name) in SANGONG_ECONOMIC.items():
        amount = sg[item]
        if amount == 0:
            continue
        basic = sum((l.amount for l in pkg.basic_economic if l.economic == code), ZERO)
        project = ZERO
        for p in pkg.projects:
            project += sum((l.amount for l in p.economic if l.economic == code), ZERO)
            has_items = any(len(l.economic) == 5 and l.economic[:3] == code[:3] for l in p.economic)
            if not has_items:
                project += sum((l.amount for l in p.economic if l.economic == code[:3]), ZERO)
        bound = basic + project
        if amount - bound > ctx.tolerance_for():
            yield Hit(
                message=(f"“三公”经费中{SANGONG_LABELS[item]}{show(amount)}，超过经济分类“{code} {name}”的安排"
                         f"（基本支出{show(basic)}，项目支出最多{show(project)}，合计{show(bound)}）。"),
                subject=f"sangong:{item}", stated=amount, expected=bound,
                origin=next((("sangong", i, "amount") for i, l in enumerate(pkg.sangong) if l.item == item), ("sangong",)),
            )


@rule("F.SANGONG.SOURCE", "“三公”经费来源为财政拨款", "warning", "facts", needs_facts=True)
def sangong_source(ctx: Context) -> Iterator[Hit]:
    """The table covers 财政拨款 三公 only: a line from another source is not printed there."""
    from yusuan.model.sources import sources_of

    fiscal = set(sources_of("fiscal_with_carryover"))
    for i, line in enumerate(_pkg(ctx).sangong):
        if line.source not in fiscal:
            yield Hit(message=(f"“三公”经费{SANGONG_LABELS[line.item]}{show(line.amount)}的来源为{label_of(line.source.value)}，"
                               "不属于财政拨款，财政拨款“三公”经费表不会列出。"),
                      subject=f"sangong:{line.item}", stated=line.source.value, origin=("sangong", i, "source"))


@rule("F.OPERATING_COSTS", "机关运行经费与财政拨款公用经费一致", "warning", "facts", needs_facts=True)
def operating_costs(ctx: Context) -> Iterator[Hit]:
    """机关运行经费 = 公用经费 of 财政拨款 basic spending for administrative units (a unit with 事业单位 may differ)."""
    pkg = _pkg(ctx)
    if pkg.operating_costs is None or not pkg.basic_economic:
        return
    _, public = derive.personnel_public(pkg, "fiscal")
    if ctx.differs(pkg.operating_costs, public):
        yield Hit(
            message=(f"机关运行经费{show(pkg.operating_costs)}，而财政拨款基本支出中的公用经费为{show(public)}，"
                     f"相差{show(pkg.operating_costs - public)}；行政单位两者应相等，含事业单位的部门可以不同，请核实。"),
            subject="operating_costs", stated=pkg.operating_costs, expected=public, origin=("operating_costs",),
        )


@rule("F.LAST_YEAR.FUNCTION", "上年数的功能科目存在", "warning", "facts", needs_facts=True)
def last_year_functions(ctx: Context) -> Iterator[Hit]:
    """A last-year key general:function:<项> names a function this year uses or the catalogue knows."""
    pkg = _pkg(ctx)
    functions = catalog_for(ctx, "function", pkg.unit.budget_year)
    used = set(derive.by_function(pkg, "general_budget"))
    for key in pkg.last_year:
        if not key.startswith("general:function:"):
            continue
        code = key.rsplit(":", 1)[-1]
        if code in used or functions.get(code):
            continue
        partial = "（内置科目目录不完整，可导入完整目录后复核）" if functions.partial else ""
        yield Hit(message=f"last_year 中的“{key}”：本年没有该功能科目的支出，科目目录中也没有编码{code}{partial}。",
                  subject=key, stated=code, origin=("last_year", key, "subject"))


@rule("F.LAST_YEAR.SUM", "上年数分项合计等于上年总数（数据包）", "fatal", "facts", needs_facts=True)
def last_year_sums(ctx: Context) -> Iterator[Hit]:
    """In ``last_year``: Σ general:function:* = general:total; general:basic + general:project = general:total;
    三公 items = sangong:total."""
    ly = {k: v.amount for k, v in _pkg(ctx).last_year.items()}
    checks = []
    items = [k for k in ly if k.startswith("general:function:") and len(k.rsplit(":", 1)[-1]) == 7]
    if items and "general:total" in ly:
        checks.append((items, "general:total", "一般公共预算各项级科目上年数"))
    elif items and "general:basic" in ly and "general:project" in ly:
        ly["general:basic+general:project"] = ly["general:basic"] + ly["general:project"]
        checks.append((items, "general:basic+general:project", "一般公共预算各项级科目上年数"))
    if "general:basic" in ly and "general:project" in ly and "general:total" in ly:
        checks.append((["general:basic", "general:project"], "general:total", "一般公共预算基本支出与项目支出上年数"))
    sg = [k for k in ("sangong:abroad", "sangong:vehicle_purchase", "sangong:vehicle_operation", "sangong:reception") if k in ly]
    if sg and "sangong:total" in ly:
        checks.append((sg, "sangong:total", "“三公”经费分项上年数"))
    for keys, whole, what in checks:
        total = sum((ly[k] for k in keys), ZERO)
        # Last year's figures are transcribed from a package printed to 0.01 万元: allow half a cent each.
        slack = ctx.tolerance_for() * (len(keys) + 1)
        if abs(total - ly[whole]) > slack:
            yield Hit(message=(f"数据包 last_year 中{what}合计{show(total)}，而“{whole}”为{show(ly[whole])}，"
                               f"相差{show(total - ly[whole])}（超出各数舍入到0.01万元可能累积的±{show(slack)}）。"),
                      subject=whole, stated=total, expected=ly[whole], inputs={k: ly[k] for k in keys},
                      origin=("last_year", whole.split("+")[0], "amount"))


def _printed_codes(ctx: Context) -> set[str]:
    """Codes the disclosure prints as rows: the catalogue rules (C.*) check those already. Once per check
    (callers must not change it)."""
    return ctx.cached(("fact_printed_codes",), lambda: {row.code for t in ctx.disclosure.tables for row in t.rows if row.code})


def _codes(pkg: BudgetPackage) -> tuple[dict[str, str], dict[str, str]]:
    functions: dict[str, str] = {}
    for line in pkg.basic:
        functions.setdefault(line.function, "基本支出")
    for p in pkg.projects:
        functions.setdefault(p.function, f"项目“{p.name}”")
    economics: dict[str, str] = {}
    for line in pkg.basic_economic:
        economics.setdefault(line.economic, "基本支出经济分类")
    for p in pkg.projects:
        for line in p.economic:
            economics.setdefault(line.economic, f"项目“{p.name}”经济分类")
    return functions, economics


@rule("F.CODE.FUNCTION", "功能分类科目编码在目录中", "warning", "facts", needs_facts=True)
def unknown_function_codes(ctx: Context) -> Iterator[Hit]:
    """Every function code (and its 类/款) used in the facts is in the budget year's catalogue (codes
    the tables print are left to C.FUNCTION.CODE)."""
    pkg = _pkg(ctx)
    printed = _printed_codes(ctx)
    cat = catalog_for(ctx, "function", pkg.unit.budget_year)
    note = "（内置目录不完整，可能是目录缺项：可用 yusuan catalog import 导入完整目录）" if cat.partial else ""
    functions, _ = ctx.cached(("fact_codes",), lambda: _codes(pkg))
    for code, where in sorted(functions.items()):
        missing = [c for c in (code[:3], code[:5], code) if cat.get(c) is None and c not in printed]
        if missing:
            yield Hit(message=f"{where}使用的功能分类科目{code}：{'、'.join(missing)} 不在{cat.edition}科目目录中{note}。",
                      subject=f"f:{code}", stated=code, origin=_first_use(pkg, "function", code))


@rule("F.CODE.ECONOMIC", "经济分类科目编码在目录中", "warning", "facts", needs_facts=True)
def unknown_economic_codes(ctx: Context) -> Iterator[Hit]:
    """Every economic code used in the facts is in the catalogue (codes and names the tables print are
    left to C.ECONOMIC.CODE; this covers project 款 lines and other sources' basic lines, never printed)."""
    pkg = _pkg(ctx)
    printed = _printed_codes(ctx)
    cat = catalog_for(ctx, "economic", pkg.unit.budget_year)
    note = "（内置目录不完整，可能是目录缺项）" if cat.partial else ""
    _, economics = ctx.cached(("fact_codes",), lambda: _codes(pkg))
    for code, where in sorted(economics.items()):
        if cat.get(code) is None and code not in printed:
            yield Hit(message=f"{where}使用的经济分类科目{code}不在{cat.edition}科目目录中{note}。", subject=f"e:{code}", stated=code,
                      origin=_first_use(pkg, "economic", code))


@rule("F.BASIC.ECONOMIC_MISSING", "有基本支出时提供经济分类明细", "fatal", "facts", needs_facts=True)
def basic_economic_missing(ctx: Context) -> Iterator[Hit]:
    """General-budget basic spending needs its economic breakdown, or table 6 cannot be printed."""
    pkg = _pkg(ctx)
    general = derive.total(pkg, "general_budget", "basic")
    if general > 0 and not pkg.basic_economic:
        yield Hit(message=f"一般公共预算基本支出{show(general)}没有按经济分类（basic_economic）列出，无法编制一般公共预算基本支出情况表。",
                  subject="basic_economic", expected=general, origin=("basic_economic",))


@rule("F.STAFF.SUM", "实有人数 = 在职 + 退休 + 离休（数据包）", "fatal", "facts", needs_facts=True)
def staff_sum(ctx: Context) -> Iterator[Hit]:
    """The stated 实有人数 in the facts equals 在职 + 退休 + 离休."""
    staffing = _pkg(ctx).overview.staffing
    if staffing is None or staffing.stated_actual is None:
        return
    if staffing.stated_actual != staffing.actual:
        yield Hit(message=(f"数据包写明实有人数{staffing.stated_actual}人，而在职{staffing.active.count}人、退休"
                           f"{staffing.retired.count}人、离休{staffing.veteran.count}人合计{staffing.actual}人。"),
                  subject="staff:actual", stated=str(staffing.stated_actual), expected=str(staffing.actual),
                  origin=("overview", "staffing", "stated_actual"))


@rule("F.PROCUREMENT.RESERVED", "中小企业预留不超过采购预算（数据包）", "fatal", "facts", needs_facts=True)
def procurement_reserved(ctx: Context) -> Iterator[Hit]:
    """面向中小企业预留 ≤ 政府采购预算; 面向小微企业 ≤ 面向中小企业."""
    proc = _pkg(ctx).procurement
    if proc is None:
        return
    if proc.sme_reserved > proc.total:
        yield Hit(message=f"面向中小企业预留{show(proc.sme_reserved)}超过政府采购预算{show(proc.total)}（货物+工程+服务）。",
                  subject="procurement:sme_reserved", stated=proc.sme_reserved, expected=proc.total,
                  origin=("procurement", "sme_reserved"))
    if proc.small_micro_reserved is not None and proc.small_micro_reserved > proc.sme_reserved:
        yield Hit(message=f"面向小微企业预留{show(proc.small_micro_reserved)}超过面向中小企业预留{show(proc.sme_reserved)}。",
                  subject="procurement:small_micro_reserved", stated=proc.small_micro_reserved, expected=proc.sme_reserved,
                  origin=("procurement", "small_micro_reserved"))


# ------------------------------------------------------------------ names of classification codes

_CLASSIFICATION = {"function": "支出功能分类", "economic": "部门预算支出经济分类"}


def _catalogue_label(cat) -> str:
    return f"内置部分目录（{cat.edition.split('-')[0]}版）" if cat.partial else f"{cat.edition}年目录"


@rule("F.NAMES.CATALOGUE", "录入的科目名称与目录一致", "warning", "facts", needs_facts=True)
def given_names_against_catalogue(ctx: Context) -> Iterator[Hit]:
    """A name the package gives for a classification code (``class_names``: typed beside the code in the workbook
    or listed on its 科目名称 sheet) that the budget year's catalogue knows under another name: the catalogue's
    name is printed, the given one is reported (an earlier edition's name is said to be one). Names are compared
    after NFKC and without spaces."""
    from yusuan import catalog

    pkg = _pkg(ctx)
    year = pkg.unit.budget_year
    for kind, names in (("function", pkg.class_names.function), ("economic", pkg.class_names.economic)):
        cat = catalog_for(ctx, kind, year)
        for code, name in names.items():
            if cat.names_match(code, name) is not False:
                continue
            known = cat.name(code)
            renamed = catalog.current_name(name, year)
            old = "（这是科目更名前的旧名称）" if renamed is not None and cat.names_match(code, renamed[0]) else ""
            yield Hit(message=(f"录入的{_CLASSIFICATION[kind]}科目 {code} 名称为“{name}”{old}，{_catalogue_label(cat)}中的名称为"
                               f"“{known}”；公开文本印出目录名称，请核对录入的名称。"),
                      subject=f"{kind[0]}:{code}", stated=name, expected=known, origin=("class_names", kind, code))


def _first_use(pkg: BudgetPackage, kind: str, code: str) -> tuple | None:
    """The facts path of the first line that uses ``code`` (or a code under it), for the finding's place."""
    if kind == "function":
        for i, line in enumerate(pkg.basic):
            if line.function.startswith(code):
                return ("basic", i, "function")
        for i, p in enumerate(pkg.projects):
            if p.function.startswith(code):
                return ("projects", i, "function")
        return None
    for i, line in enumerate(pkg.basic_economic):
        if line.economic.startswith(code):
            return ("basic_economic", i, "economic")
    for i, p in enumerate(pkg.projects):
        for j, line in enumerate(p.economic):
            if line.economic.startswith(code):
                return ("projects", i, "economic", j, "economic")
    return None


@rule("F.NAMES.MISSING", "印出的科目有名称", "warning", "facts", needs_facts=True)
def codes_without_names(ctx: Context) -> Iterator[Hit]:
    """A classification code the tables print without a name: the budget year's catalogue lacks it (the bundled one
    is partial) and the package gives none. Reported once per code, at the first line that uses it; the fix is a
    name in ``class_names`` (the workbook's 科目名称 sheet, or “编码 名称” in the code's cell)."""
    pkg = _pkg(ctx)
    seen: set[str] = set()
    for table in ctx.disclosure.tables:
        for row in table.rows:
            code = row.code
            if not code or row.name.strip() or code in seen or not row.key.startswith(("f:", "e:", "p:")):
                continue
            seen.add(code)
            kind = "economic" if row.key.startswith("e:") else "function"
            cat = catalog_for(ctx, kind, pkg.unit.budget_year)
            level = {3: "类", 5: "款", 7: "项"}.get(len(code), "")
            yield Hit(message=(f"{table.label}印出的{_CLASSIFICATION[kind]}{level}级科目 {code} 没有名称：{_catalogue_label(cat)}未收录该科目，"
                               "录入时也未给出名称。请在工作表“科目名称”中填写，或在填写编码的单元格中写成“编码 名称”。"),
                      subject=f"{kind[0]}:{code}", stated=code, origin=_first_use(pkg, kind, code))


# ------------------------------------------------------------------ years in the facts

# ``(?<!\d)`` written after the year's first two digits, ``(?:19|20)(?<!\d\d\d)``: the same matches, but
# the pattern starts with a 1 or 2, so the regex engine skips to those instead of trying every character
# (tests/test_rules_speed_invariance.py compares it with the plain form).
_PERIOD_YEAR = re.compile(r"((?:19|20)(?<!\d\d\d)\d{2})(?=\s*(?:年|[.\-/／—–~～至到]))")
_ANY_YEAR = re.compile(r"((?:19|20)(?<!\d\d\d)\d{2})\s*年")
# header fields of a performance table that state the project's period (PerformanceTable.extra keys)
_PERIOD_KEYS = re.compile(r"实施期|实施周期|执行期|执行时间|项目周期|起止时间|实施年限|实施时间")


def _phase_word(pkg: BudgetPackage) -> str:
    return "预算" if pkg.unit.phase == "budget" else "决算"


def _years(text: str) -> list[int]:
    return [int(y) for y in _PERIOD_YEAR.findall(normalise_text(text))]


def _span(years: list[int]) -> str:
    return f"{min(years)}年" if min(years) == max(years) else f"{min(years)}—{max(years)}年"


@rule("F.YEAR.SIGNED", "落款日期与预算年度相符", "warning", "facts", needs_facts=True)
def signed_year(ctx: Context) -> Iterator[Hit]:
    """The 落款日期 of a budget for year Y falls between October of Y−1 (drafted before the year) and the end of Y
    (published after approval); of a final account for Y, in Y+1. Another date is usually last year's left in place."""
    import datetime as dt

    pkg = _pkg(ctx)
    signed, year = pkg.unit.date_signed, pkg.unit.budget_year
    if signed is None:
        return
    if pkg.unit.phase == "budget":
        first, last = dt.date(year - 1, 10, 1), dt.date(year, 12, 31)
    else:
        first, last = dt.date(year + 1, 1, 1), dt.date(year + 1, 12, 31)
    if not first <= signed <= last:
        expected = f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
        yield Hit(message=(f"落款日期{signed.year}年{signed.month}月{signed.day}日与{year}年{_phase_word(pkg)}不符："
                           f"应在{expected}之间。"),
                  subject="date_signed", stated=signed.isoformat(), expected=expected, origin=("unit", "date_signed"))


def _period_fits(pkg: BudgetPackage, years: list[int]) -> bool:
    year = pkg.unit.budget_year
    if min(years) <= year <= max(years):
        return True
    return pkg.unit.phase == "final" and min(years) <= year - 1 <= max(years)  # evaluated after completion


@rule("F.YEAR.PERIOD", "项目实施周期、资金执行时间含预算年度", "warning", "facts", needs_facts=True)
def period_years(ctx: Context) -> Iterator[Hit]:
    """A project's 资金执行时间 (``period``) and a performance table's 项目实施周期/实施期 header field name years
    that include the budget year (a final account: or the year before). Multi-year periods (2023—2025年) that
    include it are fine; text without a year is not judged."""
    pkg = _pkg(ctx)
    year = pkg.unit.budget_year
    for n, project in enumerate(pkg.projects):
        years = _years(project.period or "")
        if years and not _period_fits(pkg, years):
            yield Hit(message=f"项目“{project.name}”的资金执行时间“{project.period}”为{_span(years)}，不含{year}年。",
                      subject=f"project:{project.name}:period", stated=_span(years), expected=f"{year}年",
                      origin=("projects", n, "period"))
    for n, table in enumerate(pkg.performance):
        for key, value in table.extra.items():
            if not _PERIOD_KEYS.search(key or ""):
                continue
            years = _years(value or "")
            if years and not _period_fits(pkg, years):
                yield Hit(message=f"项目“{table.printed_name}”绩效目标表的{key}“{value}”为{_span(years)}，不含{year}年。",
                          subject=f"performance:{table.project}", stated=_span(years), expected=f"{year}年",
                          origin=("performance", n, "extra", key))


@rule("F.YEAR.INDICATOR", "时效指标的年份不早于预算年度", "warning", "facts", needs_facts=True)
def indicator_years(ctx: Context) -> Iterator[Hit]:
    """A 时效 target with dates (“2023年12月31日前完成”, “2023年2月-11月”) ends before the budget year: a target
    copied from an earlier year's table (a final account allows the year before). Later years are left alone:
    a multi-year project may set them."""
    pkg = _pkg(ctx)
    year = pkg.unit.budget_year
    earliest = year if pkg.unit.phase == "budget" else year - 1
    for n, table in enumerate(pkg.performance):
        for i, ind in enumerate(table.indicators):
            text = ind.target.text or ""
            if "年" not in text and not ind.target.period:
                continue  # most targets (=7个, >=90%) name no year: skip them before any regex
            years = [int(y) for y in _ANY_YEAR.findall(normalise_text(text))] or (_years(text) if ind.target.period else [])
            if years and max(years) < earliest:
                yield Hit(message=(f"项目“{table.printed_name}”绩效目标表的指标“{ind.name}”指标值“{text}”为{_span(years)}，"
                                   f"早于{year}年{_phase_word(pkg)}年度。"),
                          subject=f"performance:{table.project}", stated=_span(years), expected=f"{earliest}年及以后",
                          origin=("performance", n, "indicators", i, "target"))


@rule("F.YEAR.PLAN", "购置计划所属年度为预算年度", "warning", "facts", needs_facts=True)
def purchase_plan_year(ctx: Context) -> Iterator[Hit]:
    """国有资产购置计划 (车辆、大型设备) is the plan of the budget year itself (a final account may also report the
    next year's)."""
    pkg = _pkg(ctx)
    year = pkg.unit.budget_year
    plan = pkg.assets.plan_year if pkg.assets else None
    allowed = (year,) if pkg.unit.phase == "budget" else (year, year + 1)
    if plan is not None and plan not in allowed:
        expected = "或".join(f"{y}年" for y in allowed)
        yield Hit(message=f"国有资产购置计划所属年度为{plan}年，而本{_phase_word(pkg)}为{year}年度，应为{expected}。",
                  subject="assets:plan_year", stated=str(plan), expected=expected, origin=("assets", "plan_year"))


@rule("F.YEAR.ASSETS", "资产截止时间与预算年度相符", "warning", "facts", needs_facts=True)
def assets_year(ctx: Context) -> Iterator[Hit]:
    """The date assets are reported at (``assets.as_of``, “2022年底”) is the end of the year before a budget (a final
    account: of its own year; a profile may allow others with ``wording.assets_year_offsets``). On composed text
    H.YEAR.ASSETS leaves this date to this rule, which names where it was entered."""
    from yusuan.rules.hygiene import asset_years

    pkg = _pkg(ctx)
    if pkg.assets is None:
        return
    years = [int(y) for y in _ANY_YEAR.findall(normalise_text(pkg.assets.as_of))]
    allowed = asset_years(ctx, pkg.unit.budget_year)
    if years and years[0] not in allowed:
        expected = "或".join(f"{y}年" for y in allowed)
        yield Hit(message=(f"国有资产截止时间“{pkg.assets.as_of}”：{pkg.unit.budget_year}年{_phase_word(pkg)}应报告截至"
                           f"{expected}的资产。"),
                  subject="assets", stated=str(years[0]), expected=expected, origin=("assets", "as_of"))
