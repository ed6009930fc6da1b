"""Part 1, Part 3 and Part 4 text, written from the facts; each figure also kept as a ``Statement``.

One builder per section id (the Xinjiang wording, modelled on the reference package); a profile
may name another builder for a section (Shanghai's 编制说明, see ``narrative_shanghai``). Every
amount comes from ``yusuan.derive`` or a fact; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from yusuan import derive
from yusuan.compose.tables import chinese_numeral, operating_costs
from yusuan.compose.phrasing import item_path, pick
from yusuan.compose.wording import Comparison, compare, money, pct, shares
from yusuan.disclosure import Paragraph, Statement
from yusuan.model import BudgetPackage
from yusuan.profiles import Profile

ZERO = Decimal(0)


@dataclass
class Context:
    package: BudgetPackage
    profile: Profile
    sums: derive.Aggregates = field(default=None)  # type: ignore[assignment]  # built from the package when not given

    def __post_init__(self) -> None:
        if self.sums is None:
            self.sums = derive.Aggregates(self.package)

    @property
    def unit(self) -> str:
        return self.package.unit.name

    @property
    def year(self) -> int:
        return self.package.unit.budget_year

    def prior(self, subject: str):
        return self.package.last_year.get(subject)

    def compare(self, subject: str, current: Decimal, prefix: str | None = None) -> Comparison:
        return compare(current, self.prior(subject), self.profile, self.year, prefix, self.phrasing(subject))

    def phrasing(self, subject: str) -> str:
        return pick(self.profile.wording, subject)

    def because(self, c: Comparison, sep: str = "，") -> str:
        return c.reason_clause(self.profile.wording.reason_intro, sep)

    def function_name(self, code: str) -> str:
        return self.sums.function_catalog.name(code) or code

    def economic_name(self, code: str) -> str:
        printed = next((l.printed_name for l in self.package.basic_economic if l.economic == code and l.printed_name), None)
        return printed or self.sums.economic_catalog.name(code) or code

    def fiscal_group(self) -> str:
        spec = self.profile.table("fiscal_income_expenditure")
        return "fiscal_with_carryover" if spec and spec.include_carryover else "fiscal"


def st(subject: str, label: str = "", c: Comparison | None = None, **fields) -> Statement:
    """A statement; a comparison adds last_year/change/rate/zero_base and its reason (None when missing)."""
    if c is not None and c.fields:
        fields = {**c.fields, "reason": c.reason, **fields}
    return Statement(subject=subject, label=label, **fields)


def para(text: str, *statements: Statement, style: str = "body") -> Paragraph:
    for s in statements:
        if not s.text:
            s.text = text
    return Paragraph(text=text, statements=list(statements), style=style)  # type: ignore[arg-type]


def join_clauses(*parts: str) -> str:
    return "，".join(p for p in parts if p)


def share_line(ctx: Context, subject: str, label: str, amount: Decimal, share: Decimal | None) -> Paragraph:
    """“<label><amount>，占<share>，<change on last year>” for one part of the total (income by source,
    spending by kind), with its statement."""
    c = ctx.compare(subject, amount)
    text = join_clauses(f"{label}{money(amount)}", f"占{pct(share)}" if share is not None else "", c.text)
    return para(text + ctx.because(c) + "。", st(subject, label, c, amount=amount, share=share, share_of="total"))


# ------------------------------------------------------------------ Part 1

def overview_functions(ctx: Context) -> list[Paragraph]:
    return [para(text) for text in ctx.package.overview.functions]


def overview_institutions(ctx: Context) -> list[Paragraph]:
    ov = ctx.package.overview
    divisions = [st("institutions:divisions", "内设科室", count=len(ov.divisions))] if ov.divisions else []
    out = [para(ov.institutions, *divisions)] if ov.institutions else []
    s = ov.staffing
    if s is None:
        return out
    statements = [st("staff:authorized", "编制数", count=s.authorized), st("staff:actual", "实有人数", count=s.actual)]
    bits = []
    for key, label, entry in (("active", "在职", s.active), ("retired", "退休", s.retired), ("veteran", "离休", s.veteran)):
        word = "持平" if entry.change == 0 else f"{'增加' if entry.change > 0 else '减少'}{abs(entry.change)}人"
        bits.append(f"{label}{entry.count}人，{word}")
        statements.append(st(f"staff:{key}", label, count=entry.count, change=Decimal(entry.change)))
    text = f"{ctx.unit}编制数{s.authorized}人，实有人数{s.actual}人，其中：{'；'.join(bits)}。"
    out.append(para(text, *statements))
    return out


# ------------------------------------------------------------------ Part 3, Xinjiang

SUMMARY_INCOME = [
    ("general_budget", "一般公共预算"), ("fund_budget", "政府性基金预算"), ("capital_budget", "国有资本经营预算"),
    ("special_account", "财政专户核拨"), ("business", "事业收入"), ("superior_subsidy", "上级补助收入"),
    ("affiliated", "附属单位上缴收入"), ("operating", "事业单位经营收入"), ("other", "其他收入"),
    ("carryover_fiscal", "财政拨款结转"), ("carryover_nonfiscal", "非财政拨款结转结余"),
]
# (source, label, always mentioned): the parts partition the total, so shares add up.
INCOME_DETAIL = [
    ("general", "一般公共预算", True), ("general_transfer", "上级一般公共预算安排的转移支付资金", True),
    ("fund", "政府性基金预算", True), ("fund_transfer", "上级政府性基金安排的转移支付资金", True),
    ("capital", "国有资本经营预算", True), ("capital_transfer", "上级国有资本经营预算安排的转移支付资金", True),
    ("special_account", "财政专户核拨", False), ("unit_funds", "单位资金", False),
    ("carryover_fiscal", "财政拨款结转", False), ("carryover_nonfiscal", "非财政拨款结转结余", False),
]


def summary(ctx: Context) -> list[Paragraph]:
    total = ctx.sums.total()
    out = [para(f"按照全口径预算的原则，{ctx.unit}{ctx.year}年所有收入和支出均纳入部门预算管理。收支总预算{money(total)}。",
                st("total", "收支总预算", amount=total))]
    items = [(k, label, ctx.sums.source_total(k)) for k, label in SUMMARY_INCOME]
    items = [(k, label, v) for k, label, v in items if v != 0]
    if items:
        out.append(para("收入预算包括：" + "、".join(f"{label}{money(v)}" for _, label, v in items) + "。",
                        *[st(f"income:{k}", label, amount=v) for k, label, v in items]))
    classes = {c: v for c, v in ctx.sums.by_function().items() if len(c) == 3}
    if classes:
        out.append(para("支出预算包括：" + "、".join(f"{ctx.function_name(c)}{money(v)}" for c, v in classes.items()) + "。",
                        *[st(f"expenditure:function:{c}", ctx.function_name(c), amount=v) for c, v in classes.items()]))
    return out


def income(ctx: Context) -> list[Paragraph]:
    total = ctx.sums.total()
    out = [para(f"{ctx.unit}收入预算{money(total)}，其中：", st("total", "收入预算", amount=total))]
    amounts = [ctx.sums.source_total(k) for k, _, _ in INCOME_DETAIL]
    for (key, label, always), amount, share in zip(INCOME_DETAIL, amounts, shares(amounts, total, ctx.profile)):
        subject = f"income:{key}"
        prior = ctx.prior(subject)
        if amount == 0 and (prior is None or prior.amount == 0):
            if always:
                out.append(para(f"{label}{ctx.profile.wording.not_arranged}。", st(subject, label, amount=ZERO)))
            continue
        out.append(share_line(ctx, subject, label, amount, share))
    if ctx.profile.share_rounding == "largest_remainder":  # the reader must know the shares were adjusted
        out.append(para(f"注：各项占比{ctx.profile.share_rounding_text}。"))
    return out


def expenditure(ctx: Context) -> list[Paragraph]:
    total = ctx.sums.total()
    out = [para(f"{ctx.unit}{ctx.year}年支出预算{money(total)}，其中：", st("total", "支出预算", amount=total))]
    parts = [ctx.sums.total(kind="basic"), ctx.sums.total(kind="project")]
    for (kind, label), amount, share in zip((("basic", "基本支出"), ("project", "项目支出")), parts,
                                            shares(parts, total, ctx.profile)):
        out.append(share_line(ctx, f"expenditure:{kind}", label, amount, share))
    return out


def fiscal(ctx: Context) -> list[Paragraph]:
    group = ctx.fiscal_group()
    total = ctx.sums.source_total(group)
    out = [para(f"{ctx.year}年财政拨款收支总预算{money(total)}。", st("fiscal:total", "财政拨款收支总预算", amount=total))]
    parts = [("general_budget", "一般公共预算拨款"), ("fund_budget", "政府性基金预算拨款"), ("capital_budget", "国有资本经营预算拨款")]
    if group == "fiscal_with_carryover":
        parts.append(("carryover_fiscal", "上年财政拨款结转"))
    items = [(k, label, ctx.sums.source_total(k)) for k, label in parts]
    items = [item for item in items if item[2] != 0]
    if len(items) == 1:
        out.append(para(f"收入全部为{items[0][1]}。"))
    if items:
        out.append(para("收入预算包括：" + "、".join(f"{label}{money(v)}" for _, label, v in items) + "。",
                        *[st(f"fiscal:income:{k}", label, amount=v) for k, label, v in items]))
    classes = {c: v for c, v in ctx.sums.by_function(sources=group).items() if len(c) == 3}
    if classes:
        out.append(para("财政拨款支出包括：" + "、".join(f"{ctx.function_name(c)}{money(v)}" for c, v in classes.items()) + "。",
                        *[st(f"fiscal:function:{c}", ctx.function_name(c), amount=v) for c, v in classes.items()]))
    return out


def _item_path(ctx: Context, code: str, subject: str | None = None) -> str:
    family = ctx.phrasing(subject) if subject else "standard"
    return item_path(family, code, ctx.function_name)


def general(ctx: Context) -> list[Paragraph]:
    p = ctx.package
    total = ctx.sums.source_total("general_budget")
    out = [para("（一）一般公共预算当年拨款规模变化情况", style="heading")]
    sentences, statements = [f"{ctx.unit}{ctx.year}年一般公共预算拨款合计{money(total)}，其中："], [
        st("general:total", "一般公共预算拨款合计", amount=total)]
    for kind, label in (("basic", "基本支出"), ("project", "项目支出")):
        amount = ctx.sums.total("general_budget", kind)
        c = ctx.compare(f"general:{kind}", amount)
        sentences.append(join_clauses(f"{label}{money(amount)}", c.text) + ctx.because(c, "。") + "。")
        statements.append(st(f"general:{kind}", label, c, amount=amount))
    out.append(para("".join(sentences), *statements))

    out.append(para("（二）一般公共预算当年拨款结构情况", style="heading"))
    by_function = ctx.sums.by_function(sources="general_budget")
    classes = [(c, v) for c, v in by_function.items() if len(c) == 3]
    class_shares = shares([v for _, v in classes], total, ctx.profile)
    for n, ((code, amount), share) in enumerate(zip(classes, class_shares), start=1):
        name = ctx.function_name(code)
        text = f"{n}.{name}{money(amount)}" + (f"，占{pct(share)}" if share is not None else "") + "。"
        out.append(para(text, st(f"general:function:{code}", name, amount=amount, share=share, share_of="general:total"),
                        style="list"))

    out.append(para("（三）一般公共预算当年拨款具体使用情况", style="heading"))
    last_items = {k.rsplit(":", 1)[1] for k in p.last_year if k.startswith("general:function:")}
    items = sorted({c for c in by_function if len(c) == 7} | last_items)
    for n, code in enumerate(items, start=1):
        amount = by_function.get(code, ZERO)
        subject = f"general:function:{code}"
        c = ctx.compare(subject, amount)
        path = _item_path(ctx, code, subject)
        text = join_clauses(f"{n}.{path}：{ctx.year}年预算数为{money(amount)}", c.text)
        out.append(para(text + ctx.because(c, "，") + "。", st(subject, path, c, amount=amount),
                        style="list"))
    return out


def general_basic(ctx: Context) -> list[Paragraph]:
    econ = ctx.sums.economic_catalog
    basic = ctx.sums.total("general_budget", "basic")
    out = [para(f"{ctx.unit}{ctx.year}年一般公共预算基本支出{money(basic)}，其中：", st("general:basic", "基本支出", amount=basic))]
    personnel, public = ctx.sums.personnel_public("general_budget")
    items = {k: v for k, v in ctx.sums.by_economic("general_budget").items() if len(k) == 5}
    for key, label, amount in (("personnel", "人员经费", personnel), ("public", "公用经费", public)):
        mine = {k: v for k, v in items.items() if (econ.personnel_or_public(k) == "人员经费") == (key == "personnel")}
        detail = "、".join(f"{ctx.economic_name(k)}{money(v)}" for k, v in mine.items())
        text = f"{label}{money(amount)}" + (f"，主要包括：{detail}" if detail else "") + "。"
        out.append(para(text, st(f"general:{key}", label, amount=amount),
                        *[st(f"general:economic:{k}", ctx.economic_name(k), amount=v) for k, v in mine.items()]))
    return out


def general_project(ctx: Context) -> list[Paragraph]:
    from yusuan.model.sources import sources_of

    labels = ctx.profile.wording.project_labels
    allowed = set(sources_of("general_budget"))
    projects = [pr for pr in ctx.package.projects if any(f.source in allowed and f.amount for f in pr.funding)]
    if not projects:
        return [para(f"{ctx.unit}{ctx.year}年没有安排一般公共预算项目支出。")]
    out = []
    for pr in projects:
        shown = pr.described_name or pr.name  # subjects use the printed name, as a reader would see it
        base = f"project:{shown}"
        out.append(para(f"项目名称：{shown}", st(f"{base}:name", shown), style="heading"))
        if pr.policy_basis:
            out.append(para(f"{labels['basis']}：{pr.policy_basis}", st(f"{base}:basis", pr.policy_basis)))
        out.append(para(f"{labels['scale']}：{money(pr.total)}", st(f"{base}:scale", labels["scale"], amount=pr.total)))
        if pr.implementer:
            out.append(para(f"{labels['implementer']}：{pr.implementer}", st(f"{base}:implementer", pr.implementer)))
        if pr.allocation:
            text = f"{labels['allocation']}：" + "；".join(f"{a.purpose}{money(a.amount)}" for a in pr.allocation) + "。"
            out.append(para(text, *[st(f"{base}:allocation:{n}", a.purpose, amount=a.amount)
                                    for n, a in enumerate(pr.allocation, start=1)]))
        if pr.period:
            out.append(para(f"{labels['period']}：{pr.period}", st(f"{base}:period", pr.period)))
    return out


def _empty_or_total(ctx: Context, subject: str, group: str, budget: str, kind: str) -> list[Paragraph]:
    amount = ctx.sums.source_total(group)
    spec = ctx.profile.table(kind)
    title = spec.title.format(year=ctx.year, unit=ctx.unit) if spec else ""
    if amount == 0:
        text = ctx.profile.wording.empty_table.format(unit=ctx.unit, year=ctx.year, budget=budget, title=title)
        return [para(text, st(subject, budget, amount=ZERO))]
    classes = {c: v for c, v in ctx.sums.by_function(sources=group).items() if len(c) == 3}
    detail = "、".join(f"{ctx.function_name(c)}{money(v)}" for c, v in classes.items())
    return [para(f"{ctx.unit}{ctx.year}年{budget}拨款安排的支出{money(amount)}，其中：{detail}。", st(subject, budget, amount=amount))]


def fund(ctx: Context) -> list[Paragraph]:
    return _empty_or_total(ctx, "fund:total", "fund_budget", "政府性基金预算", "fund_expenditure")


def capital(ctx: Context) -> list[Paragraph]:
    return _empty_or_total(ctx, "capital:total", "capital_budget", "国有资本经营预算", "capital_expenditure")


SANGONG_ITEMS = [("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                 ("vehicle_operation", "公务用车运行费"), ("reception", "公务接待费")]


def sangong(ctx: Context) -> list[Paragraph]:
    s = ctx.sums.sangong("fiscal")
    items = "，".join(f"{label}{money(s[k])}" for k, label in SANGONG_ITEMS)
    out = [para(f"{ctx.unit}{ctx.year}年财政拨款“三公”经费预算数为{money(s['total'])}，其中：{items}。",
                st("sangong:total", "财政拨款“三公”经费", amount=s["total"]),
                *[st(f"sangong:{k}", label, amount=s[k]) for k, label in SANGONG_ITEMS])]
    c = ctx.compare("sangong:total", s["total"])
    if c.fields:
        out.append(para(f"{ctx.year}年财政拨款“三公”经费{c.text}{ctx.because(c)}。",
                        st("sangong:total", "财政拨款“三公”经费", c, amount=s["total"])))
    clauses, statements = [], []
    for key, label in SANGONG_ITEMS:
        c = ctx.compare(f"sangong:{key}", s[key])
        if not c.fields:
            continue
        if s[key] == 0 and c.fields["last_year"] == 0:
            clauses.append(f"{label}{ctx.profile.wording.not_arranged}预算" + ctx.because(c))
        else:
            clauses.append(f"{label}{c.text}{ctx.because(c)}")
        statements.append(st(f"sangong:{key}", label, c, amount=s[key]))
    if clauses:
        out.append(para("；".join(clauses) + "。", *statements))
    return out


def other_operating_costs(ctx: Context) -> list[Paragraph]:
    amount = operating_costs(ctx.package, ctx.sums)
    c = ctx.compare("operating_costs", amount)
    text = join_clauses(f"{ctx.year}年，{ctx.unit}的机关运行经费财政拨款预算{money(amount)}", c.text) + ctx.because(c, "。") + "。"
    return [para(text, st("operating_costs", "机关运行经费", c, amount=amount))]


def other_procurement(ctx: Context) -> list[Paragraph]:
    pr = ctx.package.procurement
    if pr is None:  # not entered: say nothing rather than invent "未安排"
        return []
    if pr.total == 0:
        return [para(f"{ctx.year}年，{ctx.unit}未安排政府采购预算。", st("procurement:total", "政府采购预算", amount=ZERO))]
    out = [para(f"{ctx.year}年，{ctx.unit}政府采购预算{money(pr.total)}，其中：政府采购货物预算{money(pr.goods)}，"
                f"政府采购工程预算{money(pr.works)}，政府采购服务预算{money(pr.services)}。",
                st("procurement:total", "政府采购预算", amount=pr.total), st("procurement:goods", "货物", amount=pr.goods),
                st("procurement:works", "工程", amount=pr.works), st("procurement:services", "服务", amount=pr.services))]
    text = f"{ctx.year}年度本部门面向中小企业预留政府采购项目预算金额{money(pr.sme_reserved)}"
    statements = [st("procurement:sme_reserved", "面向中小企业预留", amount=pr.sme_reserved)]
    if pr.small_micro_reserved is not None:
        text += f"，其中：面向小微企业预留政府采购项目预算金额{money(pr.small_micro_reserved)}"
        statements.append(st("procurement:small_micro_reserved", "面向小微企业预留", amount=pr.small_micro_reserved))
    out.append(para(text + "。", *statements))
    return out


def other_assets(ctx: Context) -> list[Paragraph]:
    a = ctx.package.assets
    if a is None:
        return []
    out = [para(f"截至{a.as_of}，{ctx.unit}及下属各预算单位占用使用国有资产总体情况为：")]
    lines: list[tuple[str, list[Statement]]] = []
    if a.buildings_area is not None or a.buildings_value is not None:
        bits, sts = [], []
        if a.buildings_area is not None:
            bits.append(f"房屋{a.buildings_area}平方米")
            sts.append(st("assets:buildings_area", "房屋面积", amount=a.buildings_area, unit="平方米"))
        if a.buildings_value is not None:
            bits.append(f"价值{money(a.buildings_value)}")
            sts.append(st("assets:buildings_value", "房屋价值", amount=a.buildings_value))
        lines.append(("，".join(bits) + "。", sts))
    if a.vehicles:
        count = sum(v.count for v in a.vehicles)
        value = sum((v.value for v in a.vehicles), ZERO)
        kinds = "；".join(f"{v.kind}{v.count}辆，价值{money(v.value)}" for v in a.vehicles)
        lines.append((f"车辆{count}辆，价值{money(value)}；其中：{kinds}。",
                      [st("assets:vehicles", "车辆", count=count, amount=value),
                       *[st(f"assets:vehicle:{vehicle_slug(v.kind)}", v.kind, count=v.count, amount=v.value) for v in a.vehicles]]))
    if a.furniture_value is not None:
        lines.append((f"办公家具价值{money(a.furniture_value)}。", [st("assets:furniture_value", "办公家具", amount=a.furniture_value)]))
    if a.other_value is not None:
        lines.append((f"其他资产价值{money(a.other_value)}。", [st("assets:other_value", "其他资产", amount=a.other_value)]))
    for n, (text, sts) in enumerate(lines, start=1):
        out.append(para(f"{n}.{text}", *sts, style="list"))
    if a.equipment_over_50 is not None or a.equipment_over_100 is not None:
        bits, sts = [], []
        if a.equipment_over_50 is not None:
            bits.append(f"单位价值50万元以上大型设备{a.equipment_over_50}台（套）")
            sts.append(st("assets:equipment_over_50", "50万元以上大型设备", count=a.equipment_over_50, unit="台（套）"))
        if a.equipment_over_100 is not None:
            bits.append(f"单位价值100万元以上大型设备{a.equipment_over_100}台（套）")
            sts.append(st("assets:equipment_over_100", "100万元以上大型设备", count=a.equipment_over_100, unit="台（套）"))
        out.append(para("，".join(bits) + "。", *sts))
    if a.plan_year is not None:
        vehicles = "未安排购置车辆经费" if not a.plan_vehicles else f"安排购置车辆{a.plan_vehicles}辆"
        over_50, over_100 = a.plan_equipment_over_50 or 0, a.plan_equipment_over_100 or 0
        out.append(para(f"{a.plan_year}年{ctx.unit}预算{vehicles}，安排购置50万元以上大型设备{over_50}台（套），"
                        f"单位价值100万元以上大型设备{over_100}台（套）。",
                        st("assets:purchase_vehicles", "购置车辆", count=a.plan_vehicles or 0),
                        st("assets:purchase_equipment_over_50", "50万元以上大型设备", count=over_50, unit="台（套）"),
                        st("assets:purchase_equipment_over_100", "100万元以上大型设备", count=over_100, unit="台（套）")))
    return out


# Vehicle kinds as subject keys (assets:vehicle:<slug>), the same slugs the readers use.
VEHICLE_SLUGS = [("一般公务用车", "general"), ("执法执勤", "law_enforcement"), ("特种专业", "special"),
                 ("其他车辆", "other"), ("其他用车", "other")]


def vehicle_slug(kind: str) -> str:
    return next((slug for words, slug in VEHICLE_SLUGS if words in kind), kind)


def _performance_counts(ctx: Context) -> tuple[int, Decimal, int, Decimal]:
    tables = ctx.package.performance
    fiscal = [t for t in tables if t.fiscal > 0]
    other = [t for t in tables if t.other > 0]
    return (len(fiscal), sum((t.fiscal for t in fiscal), ZERO), len(other), sum((t.other for t in other), ZERO))


def other_performance(ctx: Context) -> list[Paragraph]:
    n_fiscal, fiscal, n_other, other = _performance_counts(ctx)
    text = (f"{ctx.year}年，本年度预算绩效管理的财政拨款项目{n_fiscal}个，涉及预算金额{money(fiscal)}；"
            f"非财政拨款项目{n_other}个，涉及预算金额{money(other)}。具体情况见下表（按项目分别填报）")
    return [para(text, st("performance:fiscal", "财政拨款项目", count=n_fiscal, amount=fiscal),
                 st("performance:nonfiscal", "非财政拨款项目", count=n_other, amount=other))]


def other_notes(ctx: Context) -> list[Paragraph]:
    text = ctx.package.notes.get("other") or ctx.package.notes.get("other.notes")
    return [para(t) for t in text.split("\n") if t.strip()] if text else []


def glossary(ctx: Context) -> list[Paragraph]:
    entries = ctx.package.glossary or ctx.profile.glossary
    return [para(f"{chinese_numeral(n)}、{e.term}：{e.definition}", style="list") for n, e in enumerate(entries, start=1)]


BUILDERS: dict[str, Callable[[Context], list[Paragraph]]] = {
    "overview.functions": overview_functions,
    "overview.institutions": overview_institutions,
    "summary": summary,
    "income": income,
    "expenditure": expenditure,
    "fiscal": fiscal,
    "general": general,
    "general_basic": general_basic,
    "general_project": general_project,
    "fund": fund,
    "capital": capital,
    "sangong": sangong,
    "other.operating_costs": other_operating_costs,
    "other.procurement": other_procurement,
    "other.assets": other_assets,
    "other.performance": other_performance,
    "other.notes": other_notes,
    "glossary": glossary,
}
