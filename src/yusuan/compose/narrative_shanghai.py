"""Shanghai wording: 部门预算编制说明, the short 三公 and 绩效 notes, 项目经费情况说明.

Selected by the profile (``builder:``) for the sections whose Shanghai text differs in shape from
the Xinjiang one; the statement subjects are the same, so the checks do not care which wrote them.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.compose.narrative import (
    SANGONG_ITEMS, Context, _item_path, _performance_counts, general_project, join_clauses, para, st,
)
from yusuan.compose.wording import money
from yusuan.disclosure import Paragraph

ZERO = Decimal(0)


def budget_notes(ctx: Context) -> list[Paragraph]:
    total = ctx.sums.total()
    fiscal = ctx.sums.source_total("fiscal")
    c_fiscal = ctx.compare("income:fiscal", fiscal)
    unit_parts = [(k, label) for k, label, always in (
        ("special_account", "财政专户核拨", False), ("business", "事业收入", True), ("superior_subsidy", "上级补助收入", False),
        ("affiliated", "附属单位上缴收入", False), ("operating", "事业单位经营收入", True), ("other", "其他收入", True),
        ("carryover", "上年结转结余", False)) if always or ctx.sums.source_total(k)]
    text = (f"{ctx.year}年，{ctx.unit}收入预算{money(total)}，其中：" + join_clauses(f"财政拨款收入{money(fiscal)}", c_fiscal.text)
            + "；" + "；".join(f"{label}{money(ctx.sums.source_total(k))}" for k, label in unit_parts) + "。")
    out = [para(text, st("total", "收入预算", amount=total), st("income:fiscal", "财政拨款收入", c_fiscal, amount=fiscal),
                *[st(f"income:{k}", label, amount=ctx.sums.source_total(k)) for k, label in unit_parts])]
    general = ctx.sums.source_total("general_budget")
    c_general = ctx.compare("general:total", general)
    fund = ctx.sums.source_total("fund_budget")
    capital = ctx.sums.source_total("capital_budget")
    text = (f"支出预算{money(total)}，其中：财政拨款支出预算{money(fiscal)}。财政拨款支出预算中，"
            + join_clauses(f"一般公共预算拨款支出预算{money(general)}", c_general.text)
            + f"；政府性基金拨款支出预算{money(fund)}；国有资本经营预算拨款支出预算{money(capital)}。")
    out.append(para(text, st("total", "支出预算", amount=total), st("fiscal:total", "财政拨款支出预算", amount=fiscal),
                    st("general:total", "一般公共预算拨款支出预算", c_general, amount=general),
                    st("fund:total", "政府性基金拨款支出预算", amount=fund),
                    st("capital:total", "国有资本经营预算拨款支出预算", amount=capital)))
    if c_fiscal.reason:
        word = "增加" if c_fiscal.fields.get("change", ZERO) >= 0 else "减少"
        out.append(para(f"财政拨款收入支出{word}的{ctx.profile.wording.reason_intro}{c_fiscal.reason}。"))
    out.append(para("财政拨款支出主要内容如下："))
    by_function = ctx.sums.by_function(sources="general_budget")
    items = [c for c in by_function if len(c) == 7]
    for n, code in enumerate(items, start=1):
        subject = f"general:function:{code}"
        c = ctx.compare(subject, by_function[code])
        path = _item_path(ctx, code, subject)
        text = join_clauses(f"{n}.“{path}”{money(by_function[code])}", c.text) + ctx.because(c, "。") + "。"
        out.append(para(text, st(subject, path, c, amount=by_function[code]), style="list"))
    return out


def sangong_brief(ctx: Context) -> list[Paragraph]:
    s = ctx.sums.sangong("fiscal")
    c = ctx.compare("sangong:total", s["total"])
    out = [para(join_clauses(f"{ctx.year}年“三公”经费预算数为{money(s['total'])}", c.text) + "。其中：",
                st("sangong:total", "“三公”经费", c, amount=s["total"]))]
    labels = dict(SANGONG_ITEMS)
    groups = [("（一）", ["abroad"]), ("（二）公务用车购置及运行费" + money(s["vehicle"]) + "，其中：", ["vehicle_purchase", "vehicle_operation"]),
              ("（三）", ["reception"])]
    for head, keys in groups:
        clauses, statements = [], []
        for key in keys:
            c = ctx.compare(f"sangong:{key}", s[key])
            clauses.append(join_clauses(f"{labels[key]}{money(s[key])}", c.text) + ctx.because(c))
            statements.append(st(f"sangong:{key}", labels[key], c, amount=s[key]))
        out.append(para(head + "；".join(clauses) + "。", *statements, style="list"))
    return out


def performance_brief(ctx: Context) -> list[Paragraph]:
    n_fiscal, fiscal, n_other, other = _performance_counts(ctx)
    count = len(ctx.package.performance)
    amount = sum((t.total for t in ctx.package.performance), ZERO)
    return [para(f"{ctx.year}年度，本单位编报绩效目标的项目共{count}个，涉及项目预算资金{money(amount)}。",
                 st("performance:total", "编报绩效目标的项目", count=count, amount=amount))]


def project_notes(ctx: Context) -> list[Paragraph]:
    return general_project(ctx)  # the line labels (立项依据, 实施主体 …) come from the profile wording


BUILDERS = {
    "budget_notes": budget_notes,
    "sangong_brief": sangong_brief,
    "performance_brief": performance_brief,
    "project_notes": project_notes,
}
