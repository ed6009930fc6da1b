"""A final account (部门决算): facts (``FinalAccount``) + a final-account profile → the ``Disclosure``.

The nine 决算 tables and the 情况说明 are built from ``yusuan.derive_final`` sums; the keys are those of
docs/disclosure-keys.md ("Final accounts"), the same a published final account is read into, so the
renderers, the readers and the checks need nothing of their own. The sentences follow the usual 决算
wording: “年初预算为A万元，支出决算为B万元，完成年初预算的R%。决算数小于年初预算数的主要原因：…”.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from yusuan.amounts import percent
from yusuan.compose.phrasing import pick
from yusuan.compose.sections import placed_section
from yusuan.compose.tables import LEVEL, _Builder, _function_table, chinese_numeral, general_basic as _general_basic
from yusuan.compose.wording import compare, money, pct
from yusuan.derive_final import FinalSums, completion_rate
from yusuan.disclosure import Disclosure, Paragraph, Statement
from yusuan.errors import InputError, InputProblem
from yusuan.model.final import FinalAccount
from yusuan.profiles import Profile, load_profile

ZERO = Decimal(0)
DEFAULT_PROFILE = "final_common"
# T1/T4 rows printed on the expenditure side, after the function classes
EXPENDITURE_SIDE = ("expenditure_current_year", "balance_distribution", "carryover_end")
# 年初财政拨款结转和结余 rows of T4 → the sources of the balance
CARRYOVER_ROWS = {"s:carryover_fiscal": "fiscal", "s:carryover_general": "general_budget",
                  "s:carryover_fund": "fund_budget", "s:carryover_capital": "capital_budget"}
FISCAL_COLUMNS = {"total": "fiscal", "s:general_budget": "general_budget", "s:fund_budget": "fund_budget",
                  "s:capital_budget": "capital_budget"}


# ------------------------------------------------------------------ tables

def _income_side(b: _Builder, acc: FinalAccount, sums: FinalSums, value: Callable[[str], Decimal]) -> None:
    for spec in b.spec.rows:
        if spec.key in EXPENDITURE_SIDE:
            continue
        amount = value(spec.key) if spec.print_value else None
        if spec.omit_when_zero and not amount:
            continue
        b.add(spec.key, spec.label, {"amount": amount}, role=spec.role, side="income")


def _class_rows(b: _Builder, columns: dict[str, dict[str, Decimal]]) -> None:
    present = sorted({c for amounts in columns.values() for c, v in amounts.items() if len(c) == 3 and v != 0})
    for code in present:
        values = {key: amounts.get(code, ZERO) for key, amounts in columns.items()}
        name = b.sums.function_catalog.name(code) or ""
        if b.spec.class_label == "numeral":
            b.add(f"f:{code}", name, values, level="类", side="expenditure")
        else:
            b.add(f"f:{code}", name, values, code=code, level="类", side="expenditure")


def _expenditure_side(b: _Builder, values: dict[str, dict[str, Decimal]]) -> None:
    labels = {r.key: r for r in b.spec.rows}
    for key in EXPENDITURE_SIDE:
        spec = labels.get(key)
        if spec is not None and key in values:
            b.add(key, spec.label, values[key], role=spec.role, side="expenditure")


def income_expenditure(b: _Builder, acc: FinalAccount, sums: FinalSums) -> None:
    def value(key: str) -> Decimal:
        if key == "nonfiscal_balance_used":
            return acc.nonfiscal_balance_used
        if key == "s:carryover":
            return sums.carryover_start()
        return sums.income(key.removeprefix("s:"))

    _income_side(b, acc, sums, value)
    b.add("income_total", b.spec.income_total_label, {"amount": sums.income_total()}, role="total", side="income")
    _class_rows(b, {"amount": sums.spending_by_function()})
    _expenditure_side(b, {"expenditure_current_year": {"amount": sums.spending()},
                          "balance_distribution": {"amount": acc.distribution},
                          "carryover_end": {"amount": sums.carryover_end()}})
    b.add("expenditure_total", b.spec.expenditure_total_label, {"amount": sums.expenditure_total()}, role="total",
          side="expenditure")


def fiscal_income_expenditure(b: _Builder, acc: FinalAccount, sums: FinalSums) -> None:
    def value(key: str) -> Decimal:
        if key in CARRYOVER_ROWS:
            return sums.carryover_start(CARRYOVER_ROWS[key])
        return sums.income(key.removeprefix("s:"))

    _income_side(b, acc, sums, value)
    b.add("income_total", b.spec.income_total_label, {"amount": sums.income("fiscal") + sums.carryover_start("fiscal")},
          role="total", side="income")
    columns = {key: group for key, group in FISCAL_COLUMNS.items() if key in b.labels}
    _class_rows(b, {key: sums.spending_by_function(group) for key, group in columns.items()})
    _expenditure_side(b, {"expenditure_current_year": {k: sums.spending(g) for k, g in columns.items()},
                          "carryover_end": {k: sums.carryover_end(g) for k, g in columns.items()}})
    b.add("expenditure_total", b.spec.expenditure_total_label,
          {k: sums.spending(g) + sums.carryover_end(g) for k, g in columns.items()}, role="total", side="expenditure")


def _function_columns(b: _Builder, sums: FinalSums) -> dict[str, Callable[[], dict[str, Decimal]]]:
    src = b.spec.sources
    makers: dict[str, Callable[[], dict[str, Decimal]]] = {}
    for column in b.spec.columns:
        key = column.key
        if b.spec.kind == "income":
            group = None if key == "total" else key.removeprefix("s:")
            makers[key] = lambda group=group: sums.income_by_function(group)
        elif key == "total":
            makers[key] = lambda: sums.spending_by_function(src)
        elif key == "carryover_start":
            makers[key] = lambda: sums.carryover_start_by_function(src)
        elif key == "income_current":
            makers[key] = lambda: sums.income_by_function(src)
        elif key == "carryover_end":
            makers[key] = lambda: sums.carryover_end_by_function(src)
        else:  # a kind of spending: basic, project, remit_superior, operating_expense, affiliated_subsidy
            makers[key] = lambda kind=key: sums.spending_by_function(src, kind)
    return makers


def function_table(b: _Builder, acc: FinalAccount, sums: FinalSums) -> None:
    _function_table(b, acc, _function_columns(b, sums))  # type: ignore[arg-type]


def general_basic(b: _Builder, acc: FinalAccount, sums: FinalSums) -> None:
    _general_basic(b, acc, None)  # type: ignore[arg-type]


def sangong(b: _Builder, acc: FinalAccount, sums: FinalSums) -> None:
    which = {"budget": sums.sangong("budget"), "actual": sums.sangong("actual")}
    for spec in b.spec.rows:
        item = spec.key.removeprefix("sangong:")
        values = {key: amounts[item] for key, amounts in which.items() if key in b.labels}
        b.add(spec.key, spec.label, values if spec.print_value else {k: None for k in values}, role=spec.role)


TABLE_BUILDERS = {
    "income_expenditure": income_expenditure,
    "fiscal_income_expenditure": fiscal_income_expenditure,
    "income": function_table,
    "expenditure": function_table,
    "general_expenditure": function_table,
    "fund_expenditure": function_table,
    "capital_expenditure": function_table,
    "general_basic": general_basic,
    "sangong": sangong,
}


# ------------------------------------------------------------------ narrative

@dataclass
class FinalContext:
    account: FinalAccount
    profile: Profile
    sums: FinalSums

    @property
    def unit(self) -> str:
        return self.account.unit.name

    @property
    def year(self) -> int:
        return self.account.unit.budget_year

    def name(self, code: str) -> str:
        return self.sums.function_catalog.name(code) or code

    def versus_last_year(self, subject: str, current: Decimal, label: str) -> tuple[str, dict, str | None]:
        """“与上年度相比，<label>增加X万元，增长R%。主要原因：…” when last year's figure is given."""
        prior = self.account.last_year.get(subject)
        c = compare(current, prior, self.profile, self.year, None, pick(self.profile.wording, subject))
        if not c.text:
            return "", {}, None
        text = c.text
        prefix = self.profile.wording.compare_prefix.format(last_year=self.year - 1)
        if text.startswith(prefix):
            text = f"{prefix}，{label}{text[len(prefix):]}"
        clause = f"{text}。" + (f"{self.profile.wording.reason_intro}{c.reason}。" if c.reason else "")
        return clause, c.fields, c.reason


def _para(text: str, *statements: Statement, style: str = "body") -> Paragraph:
    for s in statements:
        s.text = s.text or text
    return Paragraph(text=text, statements=list(statements), style=style)  # type: ignore[arg-type]


def _versus_budget(actual: Decimal, budget: Decimal, reason: str | None, what: str = "年初预算数") -> str:
    """The sentence after the figures: which way 决算 differs from the budget, and why."""
    if actual == budget:
        return f"决算数与{what}持平。"
    word = "大于" if actual > budget else "小于"
    return f"决算数{word}{what}" + (f"的主要原因：{reason}。" if reason else "。")


def _reason(ctx: FinalContext, subject: str) -> str | None:
    text = ctx.account.reasons.get(subject)
    return text.strip().rstrip("。；;，,") if text and text.strip() else None


def overview_functions(ctx: FinalContext) -> list[Paragraph]:
    return [_para(text) for text in ctx.account.overview.functions]


def overview_institutions(ctx: FinalContext) -> list[Paragraph]:
    ov = ctx.account.overview
    out = [_para(ov.institutions)] if ov.institutions else []
    if ov.subordinate_units:
        out.append(_para(f"纳入{ctx.unit}{ctx.year}年度部门决算编制范围的单位包括：{'、'.join(ov.subordinate_units)}。"))
    return out


def summary(ctx: FinalContext) -> list[Paragraph]:
    total = ctx.sums.income_total()
    clause, fields, reason = ctx.versus_last_year("total", total, "收入支出总计")
    text = f"{ctx.unit}{ctx.year}年度收入支出总计{money(total)}。{clause}"
    return [_para(text, Statement(subject="total", label="收入支出总计", amount=total, reason=reason, **fields))]


INCOME_PARTS = [("fiscal", "财政拨款收入"), ("superior_subsidy", "上级补助收入"), ("business", "事业收入"),
                ("operating", "经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入")]
SPENDING_PARTS = [("basic", "基本支出"), ("project", "项目支出"), ("remit_superior", "上缴上级支出"),
                  ("operating_expense", "经营支出"), ("affiliated_subsidy", "对附属单位补助支出")]


def _parts_paragraph(head: str, subject: str, whole: Decimal, parts: list[tuple[str, str, Decimal]],
                     family: str) -> Paragraph:
    statements = [Statement(subject=subject, label=head, amount=whole)]
    bits = []
    for key, label, amount in parts:
        if amount == 0:
            continue
        share = percent(amount, whole)
        bits.append(f"{label}{money(amount)}，占{pct(share)}" if share is not None else f"{label}{money(amount)}")
        statements.append(Statement(subject=f"{family}:{key}", label=label, amount=amount, share=share, share_of="total"))
    text = f"{head}{money(whole)}" + (f"，其中：{'；'.join(bits)}。" if bits else "。")
    return _para(text, *statements)


def income(ctx: FinalContext) -> list[Paragraph]:
    parts = [(key, label, ctx.sums.income(key)) for key, label in INCOME_PARTS]
    return [_parts_paragraph("本年收入合计", "income:current_year", ctx.sums.income(), parts, "income")]


def expenditure(ctx: FinalContext) -> list[Paragraph]:
    parts = [(key, label, ctx.sums.spending(kind=key)) for key, label in SPENDING_PARTS]
    return [_parts_paragraph("本年支出合计", "expenditure:current_year", ctx.sums.spending(), parts, "expenditure")]


def fiscal(ctx: FinalContext) -> list[Paragraph]:
    total = ctx.sums.income("fiscal") + ctx.sums.carryover_start("fiscal")
    clause, fields, reason = ctx.versus_last_year("fiscal:total", total, "财政拨款收入支出总计")
    text = f"{ctx.unit}{ctx.year}年度财政拨款收入支出总计{money(total)}。{clause}"
    return [_para(text, Statement(subject="fiscal:total", label="财政拨款收入支出总计", amount=total, reason=reason,
                                  **fields))]


def _completion(subject: str, label: str, actual: Decimal, budget: Decimal | None, reason: str | None,
                lead: str = "") -> tuple[str, list[Statement]]:
    """“年初预算为A万元，支出决算为B万元，完成年初预算的R%。决算数小于年初预算数的主要原因：…” with its
    statements; only “支出决算为B万元。” when the budget is unknown."""
    if budget is None:
        return f"{lead}支出决算为{money(actual)}。", [Statement(subject=subject, label=label, amount=actual)]
    rate = completion_rate(actual, budget)
    done = f"，完成年初预算的{pct(rate)}" if rate is not None else ""
    text = f"{lead}年初预算为{money(budget)}，支出决算为{money(actual)}{done}。{_versus_budget(actual, budget, reason)}"
    return text, [Statement(subject=subject, label=label, amount=actual, share=rate,
                            share_of=f"{subject}:budget" if rate is not None else None,
                            reason=reason if actual != budget else None),
                  Statement(subject=f"{subject}:budget", label=f"{label}年初预算", amount=budget)]


def general(ctx: FinalContext) -> list[Paragraph]:
    sums = ctx.sums
    total = sums.spending("general_budget")
    current = sums.spending()
    out = [_para("（一）一般公共预算财政拨款支出决算总体情况", style="heading")]
    share = percent(total, current)
    clause, fields, reason = ctx.versus_last_year("general:total", total, "一般公共预算财政拨款支出")
    lead = f"一般公共预算财政拨款支出{money(total)}" + (f"，占本年支出合计的{pct(share)}" if share is not None else "")
    out.append(_para(f"{lead}。{clause}", Statement(subject="general:total", label="一般公共预算财政拨款支出", amount=total,
                                                     share=share, share_of="expenditure:current_year" if share is not None else None,
                                                     reason=reason, **fields)))
    out.append(_para("（二）一般公共预算财政拨款支出决算结构情况", style="heading"))
    by_function = sums.spending_by_function("general_budget")
    classes = [(c, v) for c, v in by_function.items() if len(c) == 3 and v != 0]
    statements, bits = [], []
    for code, amount in classes:
        s = percent(amount, total)
        bits.append(f"{ctx.name(code)}（类）{money(amount)}，占{pct(s)}" if s is not None else f"{ctx.name(code)}（类）{money(amount)}")
        statements.append(Statement(subject=f"general:function:{code}", label=ctx.name(code), amount=amount, share=s,
                                    share_of="general:total"))
    if bits:
        out.append(_para(f"一般公共预算财政拨款支出{money(total)}，主要用于以下方面：{'；'.join(bits)}。", *statements))
    out.append(_para("（三）一般公共预算财政拨款支出决算具体情况", style="heading"))
    budgets = sums.budget_by_function("general_budget")
    text, statements = _completion("general:total", "一般公共预算财政拨款支出", total,
                                   sums.budget("general_budget"), _reason(ctx, "general:total"),
                                   "一般公共预算财政拨款支出")
    out.append(_para(text + ("其中：" if classes else ""), *statements))
    items = [c for c, v in by_function.items() if len(c) == 7 and v != 0]
    for n, code in enumerate(items, start=1):
        path = f"{ctx.name(code[:3])}（类）{ctx.name(code[:5])}（款）{ctx.name(code)}（项）"
        text, statements = _completion(f"general:function:{code}", ctx.name(code), by_function[code], budgets.get(code),
                                       _reason(ctx, f"general:function:{code}"))
        out.append(_para(f"{n}、{path}。{text}", *statements))
    return out


def general_basic_text(ctx: FinalContext) -> list[Paragraph]:
    sums = ctx.sums
    econ = sums.economic_catalog
    basic = sums.spending("general_budget", "basic")
    personnel, public = sums.personnel_public()
    names = {"人员经费": [], "公用经费": []}
    for code, amount in sums.by_economic().items():
        if len(code) == 5 and amount:
            names[econ.personnel_or_public(code)].append(econ.name(code) or code)
    text = (f"一般公共预算财政拨款基本支出{money(basic)}。其中：人员经费{money(personnel)}"
            + (f"，主要包括：{'、'.join(names['人员经费'])}" if names["人员经费"] else "")
            + f"；公用经费{money(public)}" + (f"，主要包括：{'、'.join(names['公用经费'])}" if names["公用经费"] else "") + "。")
    return [_para(text, Statement(subject="general:basic", label="一般公共预算财政拨款基本支出", amount=basic),
                  Statement(subject="general:personnel", label="人员经费", amount=personnel),
                  Statement(subject="general:public", label="公用经费", amount=public))]


SANGONG_LABELS = {"abroad": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
                  "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
SANGONG_PARTS = [("abroad", "因公出国（境）费"), ("vehicle", "公务用车购置及运行维护费"), ("reception", "公务接待费")]


def sangong_text(ctx: FinalContext) -> list[Paragraph]:
    actual, budget = ctx.sums.sangong("actual"), ctx.sums.sangong("budget")
    out = [_para("（一）“三公”经费财政拨款支出决算总体情况说明。", style="heading")]
    statements = []

    def clause(key: str, label: str, lead: str) -> str:
        a, b = actual[key], budget[key]
        rate = completion_rate(a, b)  # type: ignore[arg-type]
        statements.append(Statement(subject=f"sangong:{key}", label=label, amount=a, share=rate,
                                    share_of=f"sangong:{key}:budget" if rate is not None else None))
        head = f"{lead}年初预算为{money(b)}，" if b is not None and key == "total" else lead
        return f"{head}支出决算为{money(a)}" + (f"，完成预算的{pct(rate)}" if rate is not None else "")

    text = clause("total", "“三公”经费", "“三公”经费财政拨款支出")
    if budget["total"] is not None:
        statements.append(Statement(subject="sangong:total:budget", label="“三公”经费年初预算", amount=budget["total"]))
    parts = [clause(key, label, label) for key, label in SANGONG_PARTS]
    text += "，其中：" + "；".join(parts) + "。"
    reason = _reason(ctx, "sangong:total")
    if budget["total"] is not None:
        text += _versus_budget(actual["total"], budget["total"], reason, "预算数")  # type: ignore[arg-type]
        statements[0].reason = reason if actual["total"] != budget["total"] else None
    out.append(_para(text, *statements))
    clause, fields, reason = ctx.versus_last_year("sangong:total", actual["total"], "“三公”经费财政拨款支出决算")  # type: ignore[arg-type]
    if clause:
        out.append(_para(clause, Statement(subject="sangong:total", label="“三公”经费", amount=actual["total"],
                                           reason=reason, **fields)))
    out.append(_para("（二）“三公”经费财政拨款支出决算具体情况说明。", style="heading"))
    for line in ctx.account.sangong:
        label = SANGONG_LABELS[line.item]
        text = f"{label}支出决算为{money(line.actual)}"
        if line.budget is not None:
            rate = completion_rate(line.actual, line.budget)
            text += f"，预算为{money(line.budget)}" + (f"，完成预算的{pct(rate)}" if rate is not None else "")
            reason = line.reason.strip().rstrip("。；;，,") if line.reason and line.reason.strip() else None
            text += "。" + _versus_budget(line.actual, line.budget, reason, "预算数")
        else:
            text += "。"
        out.append(_para(text))
    return out


def _budget_section(ctx: FinalContext, group: str, subject: str, words: str) -> list[Paragraph]:
    income, spent = ctx.sums.income(group), ctx.sums.spending(group)
    start, end = ctx.sums.carryover_start(group), ctx.sums.carryover_end(group)
    if not (income or spent or start or end):
        return [_para(f"{ctx.unit}{ctx.year}年度无{words}财政拨款收入和支出。", Statement(subject=subject, amount=ZERO))]
    text = (f"{ctx.unit}{ctx.year}年度{words}财政拨款支出{money(spent)}；年初结转和结余{money(start)}，"
            f"本年收入{money(income)}，年末结转和结余{money(end)}。")
    return [_para(text, Statement(subject=subject, label=f"{words}财政拨款支出", amount=spent))]


def fund(ctx: FinalContext) -> list[Paragraph]:
    return _budget_section(ctx, "fund_budget", "fund:total", "政府性基金预算")


def capital(ctx: FinalContext) -> list[Paragraph]:
    return _budget_section(ctx, "capital_budget", "capital:total", "国有资本经营预算")


def operating_costs(ctx: FinalContext) -> list[Paragraph]:
    oc = ctx.account.operating_costs
    if oc is None:
        return []
    clause, fields, reason = ctx.versus_last_year("operating_costs", oc.actual, "机关运行经费支出")
    text = f"{ctx.unit}{ctx.year}年度机关运行经费支出{money(oc.actual)}。{clause}"
    return [_para(text, Statement(subject="operating_costs", label="机关运行经费", amount=oc.actual, reason=reason, **fields))]


def procurement(ctx: FinalContext) -> list[Paragraph]:
    p = ctx.account.procurement
    if p is None:
        return []
    out = [_para(f"{ctx.unit}{ctx.year}年度政府采购支出总额{money(p.total)}，其中：政府采购货物支出{money(p.goods)}、"
                 f"政府采购工程支出{money(p.works)}、政府采购服务支出{money(p.services)}。",
                 Statement(subject="procurement:total", amount=p.total), Statement(subject="procurement:goods", amount=p.goods),
                 Statement(subject="procurement:works", amount=p.works),
                 Statement(subject="procurement:services", amount=p.services))]
    if p.sme_reserved is not None:
        out.append(_para(f"{ctx.year}年度本部门面向中小企业预留政府采购项目预算金额{money(p.sme_reserved)}。",
                         Statement(subject="procurement:sme_reserved", amount=p.sme_reserved)))
    if p.sme_awarded is not None:
        text = f"授予中小企业合同金额{money(p.sme_awarded)}"
        statements = [Statement(subject="procurement:sme_awarded", amount=p.sme_awarded)]
        if p.small_micro_awarded is not None:
            text += f"，其中：授予小微企业合同金额{money(p.small_micro_awarded)}"
            statements.append(Statement(subject="procurement:small_micro_awarded", amount=p.small_micro_awarded))
        out.append(_para(text + "。", *statements))
    return out


def assets(ctx: FinalContext) -> list[Paragraph]:
    a = ctx.account.assets
    if a is None:
        return []
    bits = []
    statements = []
    if a.buildings_area is not None:
        bits.append(f"共有房屋{a.buildings_area}平方米")
        statements.append(Statement(subject="assets:buildings_area", amount=a.buildings_area, unit="平方米"))
    if a.vehicles:
        count = sum(v.count for v in a.vehicles)
        bits.append(f"共有车辆{count}辆，其中：" + "、".join(f"{v.kind}{v.count}辆" for v in a.vehicles))
        statements.append(Statement(subject="assets:vehicles", count=count))
    if a.equipment_over_100 is not None:
        bits.append(f"单价100万元（含）以上设备（不含车辆）{a.equipment_over_100}台（套）")
        statements.append(Statement(subject="assets:equipment_over_100", count=a.equipment_over_100))
    if not bits:
        return []
    return [_para(f"截至{ctx.year}年12月31日，{ctx.unit}" + "；".join(bits) + "。", *statements)]


def performance(ctx: FinalContext) -> list[Paragraph]:
    """预算绩效管理情况: the projects self-evaluated (绩效自评), the budget they cover, the average score and the
    number of projects of each grade, all derived from ``performance_results``; a note ``performance`` (the
    department's own words on its performance management) comes first."""
    from yusuan.model.final import PERFORMANCE_GRADES

    out = []
    if ctx.account.notes.get("performance"):
        out.append(_para(ctx.account.notes["performance"]))
    results = ctx.account.performance_results
    if not results:
        return out or [_para(f"{ctx.unit}{ctx.year}年度未开展项目绩效自评。")]
    budget = sum((r.budget for r in results), ZERO)
    average = (sum((r.score for r in results), ZERO) / len(results)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    counts = {key: sum(1 for r in results if r.grade == key) for key, _, _ in PERFORMANCE_GRADES}
    grades = "；".join(f"绩效评级为“{word}”的项目{counts[key]}个" for key, word, _ in PERFORMANCE_GRADES)
    issues, fixed = sum(r.issues for r in results), sum(r.issues_fixed for r in results)
    text = (f"绩效自评的{ctx.year}年度项目{len(results)}个，涉及预算金额{money(budget)}，平均得分{average}分（其中，{grades}）。"
            f"绩效自评中共发现问题{issues}个，已经完成整改的{fixed}个，正在整改的{issues - fixed}个。")
    statements = [Statement(subject="performance:self_evaluated", label="绩效自评的项目", amount=budget, count=len(results))]
    statements += [Statement(subject=f"performance:grade:{key}", label=f"绩效评级为“{word}”的项目", count=counts[key])
                   for key, word, _ in PERFORMANCE_GRADES]
    statements += [Statement(subject="performance:issues", label="发现问题", count=issues),
                   Statement(subject="performance:issues_fixed", label="已经完成整改", count=fixed),
                   Statement(subject="performance:issues_fixing", label="正在整改", count=issues - fixed)]
    out.append(_para(text, *statements))
    details = "；".join(f"{r.project}，涉及预算金额{money(r.budget)}，自评得分{r.score}分" for r in results)
    out.append(_para(f"各项目绩效自评结果：{details}。"))
    return out


def glossary(ctx: FinalContext) -> list[Paragraph]:
    entries = ctx.account.glossary or ctx.profile.glossary
    return [_para(f"{chinese_numeral(n)}、{e.term}：{e.definition}", style="list") for n, e in enumerate(entries, start=1)]


BUILDERS: dict[str, Callable[[FinalContext], list[Paragraph]]] = {
    "overview.functions": overview_functions,
    "overview.institutions": overview_institutions,
    "final_summary": summary,
    "final_income": income,
    "final_expenditure": expenditure,
    "final_fiscal": fiscal,
    "final_general": general,
    "final_general_basic": general_basic_text,
    "final_sangong": sangong_text,
    "final_fund": fund,
    "final_capital": capital,
    "final_operating_costs": operating_costs,
    "final_procurement": procurement,
    "final_assets": assets,
    "final_performance": performance,
    "final_glossary": glossary,
}


def compose_final(account: FinalAccount, profile: Profile | str | None = None) -> Disclosure:
    """Compose a final account's disclosure; ``profile`` defaults to the account's own, else ``final_common``."""
    if not isinstance(profile, Profile):
        name = profile or account.unit.profile
        profile = load_profile(name if name and name not in ("xinjiang", "shanghai") else DEFAULT_PROFILE)
    missing = [t.kind for t in profile.tables if t.kind not in TABLE_BUILDERS]
    unknown = [s.builder or s.id for s in profile.sections if (s.builder or s.id) not in BUILDERS]
    if missing or unknown or not profile.composable:
        raise InputError(f"地区版式 {profile.name}", [InputProblem(
            f"地区版式“{profile.name}”", f"{profile.label}不能用来生成部门决算"
            + (f"（没有这些表或章节的生成方法：{'、'.join(missing + unknown)}）" if missing or unknown else ""))])
    unit, year = account.unit.name, account.unit.budget_year
    sums = FinalSums(account)
    tables = []
    for spec in profile.tables:
        b = _Builder(spec, year, unit, sums)  # type: ignore[arg-type]
        TABLE_BUILDERS[spec.kind](b, account, sums)
        table = b.finish()
        if table.empty_note and account.notes.get(table.kind):
            table.empty_note = account.notes[table.kind]
        tables.append(table)
    ctx = FinalContext(account, profile, sums)
    sections = []
    for spec in profile.sections:
        title = spec.title.format(unit=unit, year=year)
        paragraphs = BUILDERS[spec.builder or spec.id](ctx)
        sections.append(placed_section(spec, title, paragraphs, profile))
    signed = account.unit.date_signed
    return Disclosure(
        unit_name=unit, budget_year=year, phase="final", profile=profile.name,
        title=profile.title.format(unit=unit, year=year), origin="composed", sections=sections, tables=tables,
        signature=unit if profile.signature else None,
        date_text=f"{signed.year}年{signed.month}月{signed.day}日" if signed else None,
    )
