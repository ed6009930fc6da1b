"""Random departments for the synthetic corpus, consistent by construction.

``random_package(rng, year, weight_total)`` draws a department from the classification catalogue of
the budget year: 1–40 budget units, 5–200 function 项 (at most as many as the catalogue holds), 0–60
projects with one performance-target table each, with or without government-fund / state-capital
money, unit funds and carry-over, 三公 zero or not. Only leaf facts are drawn; every total the
disclosure prints is derived by ``yusuan.derive`` when it is composed, so a clean document agrees
with itself everywhere. Last year's figures are drawn per leaf and summed, so they add up too.

The texts that no rule relates to a figure (main functions, glossary, indicator wording of the
performance tables) are borrowed from the bundled example.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from yusuan import catalog
from yusuan.compose.tables import chinese_numeral
from yusuan.model import BudgetPackage

ZERO = Decimal(0)
CENT = Decimal("0.01")
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "changji-natural-resources-2023"

REGIONS = ["昌吉州", "哈密市", "阿克苏地区", "伊犁州", "吐鲁番市", "克拉玛依市", "塔城地区", "和田地区",
           "浦东新区", "徐汇区", "黄浦区", "静安区", "闵行区", "嘉定区", "奉贤区", "崇明区"]
BUREAUS = ["教育局", "民政局", "司法局", "财政局", "卫生健康委员会", "统计局", "城市管理局", "文化体育广电和旅游局",
           "住房和城乡建设局", "人力资源和社会保障局", "应急管理局", "科学技术协会", "退役军人事务局", "医疗保障局",
           "审计局", "市场监督管理局", "生态环境局", "水利局", "交通运输局", "农业农村局"]
DIVISIONS = ["办公室", "组织人事科", "财务审计科", "法规科", "规划发展科", "综合业务科", "监督检查科", "信息中心",
             "宣传教育科", "行政审批科", "政策研究科", "安全监管科", "统计分析科", "后勤服务科"]
UNIT_KINDS = ["服务中心", "事务中心", "监测站", "管理所", "研究所", "指导中心", "保障中心", "执法大队"]
PROJECT_SUFFIXES = ["专项经费", "工作经费", "能力建设项目", "运行维护经费", "信息化建设项目", "补助资金", "专项业务费",
                    "购买服务项目", "宣传培训经费", "设备购置项目"]
PURPOSES = ["前期调研", "技术服务", "设备购置", "培训宣传", "日常运行", "第三方评估", "资料印制", "系统维护"]
REASONS_UP = ["人员增加及工资调标", "项目安排增加", "业务量增加", "新增工作任务"]
REASONS_DOWN = ["厉行节约，压减一般性支出", "项目完成后相应减少", "人员减少", "部分工作任务调整"]
DUTIES = [
    "贯彻执行国家和自治区有关方针政策和法律法规，拟订本地区相关政策措施并组织实施。",
    "负责本行业发展规划的编制和组织实施，监督检查规划执行情况。",
    "负责本领域公共服务体系建设，推进基本公共服务均等化。",
    "负责本系统预算、财务和国有资产管理工作，监督管理专项资金使用。",
    "指导县（市）开展相关业务工作，组织开展业务培训和宣传教育。",
    "负责本领域统计、信息化建设和信息发布工作。",
    "负责本领域安全生产和应急管理相关工作。",
    "完成上级党委、政府交办的其他任务。",
]

PERSONNEL = ["30101", "30102", "30103", "30107", "30108", "30109", "30110", "30112", "30113", "30199",
             "30302", "30305", "30307", "30309"]
PUBLIC = ["30201", "30202", "30205", "30206", "30207", "30208", "30211", "30213", "30228", "30229", "30239", "30299",
          "31002"]


def cents(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    return Decimal(rng.randint(int(low * 100), int(high * 100))) * CENT


def split(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """``total`` split into ``n`` positive parts of whole cents (exact: they add up to ``total``)."""
    units = int(total * 100)
    n = max(1, min(n, units))
    cuts = sorted(rng.sample(range(1, units), n - 1)) if n > 1 else []
    bounds = [0] + cuts + [units]
    return [Decimal(b - a) * CENT for a, b in zip(bounds, bounds[1:])]


def _catalog_items(year: int) -> list:
    cat = catalog.load("function", year)
    return [e for e in cat.entries.values()
            if e.level == "项" and e.parent in cat.entries and e.code[:3] in cat.entries]


def _economic_codes(year: int, codes: list[str]) -> list[str]:
    cat = catalog.load("economic", year)
    return [c for c in codes if c in cat.entries]


def _last(rng: random.Random, amount: Decimal) -> Decimal:
    """Last year's figure for a leaf: unchanged, zero (new), or within ±35%."""
    r = rng.random()
    if r < 0.12:
        return amount
    if r < 0.2:
        return ZERO
    return (amount * Decimal(rng.randint(65, 135)) / 100).quantize(CENT)


def _reason(rng: random.Random, now: Decimal, before: Decimal) -> str | None:
    if now == before:
        return "无变化"
    if before == 0:
        return "上年未安排此项预算"
    return rng.choice(REASONS_UP if now > before else REASONS_DOWN)


def _performance(rng: random.Random, templates: list[dict], project: dict, unit_name: str,
                 weight_total: Decimal) -> dict:
    """One performance-target table for ``project``: indicator wording from an example table, cost
    indicators from the project's allocation lines, weights rescaled to the template's total."""
    t = rng.choice(templates)
    fiscal_sources = {"general", "general_transfer", "fund", "fund_transfer", "capital", "capital_transfer",
                      "carryover_general", "carryover_fund", "carryover_capital"}
    fiscal = sum((Decimal(f["amount"]) for f in project["funding"] if f["source"] in fiscal_sources), ZERO)
    other = sum((Decimal(f["amount"]) for f in project["funding"] if f["source"] not in fiscal_sources), ZERO)
    kept = [dict(i) for i in t["indicators"] if "成本" not in (i.get("level2") or "") and "成本" not in i["level1"]]
    if not any("满意度" in i["level1"] for i in kept):
        kept.append({"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "服务对象满意度",
                     "target": ">=90%", "basis": "满意度调查", "last_year": "/",
                     "scoring": "达到目标值得满分，每低1个百分点扣1分", "evidence": "满意度调查问卷"})
    costs = [{"level1": "成本指标", "level2": "经济成本指标", "name": f"{a['purpose']}（万元）",
              "target": f"<={a['amount']}万元", "basis": "资金分配方案", "last_year": "/",
              "scoring": "未超出成本得满分，超出不得分", "evidence": "财务凭证"} for a in project["allocation"]]
    indicators = kept + costs
    # rescale the weights to the template's total, in whole points, the last absorbing the remainder
    n = len(indicators)
    base = int(weight_total) // n
    weights = [Decimal(base)] * n
    weights[-1] += weight_total - base * n
    for ind, w in zip(indicators, weights):
        ind["weight"] = w
        ind.pop("target_text", None)
        if isinstance(ind.get("target"), dict):
            ind["target"] = ind["target"]["text"]
    return {"project": project["name"], "budget_unit": unit_name, "owner": rng.choice(["张伟", "李娜", "王强", "刘洋", "陈静"]),
            "fiscal": fiscal, "other": other, "goal": f"按期完成{project['name']}各项任务，提高资金使用效益。",
            "indicators": indicators}


# indicator wording used when the example is not beside the code (an installed yusuan)
FALLBACK_INDICATORS = [
    {"level1": "产出指标", "level2": "数量指标", "name": "完成工作任务数（项）", "target": ">=3项", "basis": "年度工作计划",
     "last_year": "/", "scoring": "完成得满分，未完成按比例扣分", "evidence": "工作总结"},
    {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "target": ">=95%", "basis": "验收标准",
     "last_year": "/", "scoring": "达到目标值得满分", "evidence": "验收报告"},
    {"level1": "产出指标", "level2": "时效指标", "name": "按期完成率", "target": "=100%", "basis": "实施方案",
     "last_year": "/", "scoring": "按期完成得满分", "evidence": "进度记录"},
    {"level1": "效益指标", "level2": "社会效益指标", "name": "服务保障能力", "target": "有效提高", "basis": "部门职责",
     "last_year": "/", "scoring": "达到目标得满分", "evidence": "工作总结"},
]


def _templates() -> list[dict]:
    from yusuan.load import load_package

    if not (EXAMPLE / "package.yaml").exists():
        return [{"indicators": FALLBACK_INDICATORS}]
    pkg = load_package(EXAMPLE)
    out = []
    for t in pkg.performance:
        if t.format == "department" and t.weighted:
            out.append(t.model_dump(mode="json", exclude_none=True))
    return out


_TEMPLATE_CACHE: list[dict] = []


def random_package(rng: random.Random, year: int = 2023, profile: str = "xinjiang",
                   weight_total: Decimal = Decimal(90)) -> BudgetPackage:
    """One random department, valid and consistent (see the module docstring)."""
    if not _TEMPLATE_CACHE:
        _TEMPLATE_CACHE.extend(_templates())
    region, bureau = rng.choice(REGIONS), rng.choice(BUREAUS)
    name = f"{region}{bureau}"
    units = rng.randint(1, 40)
    items = _catalog_items(year)
    n_items = rng.randint(5, min(200, len(items)))
    chosen = sorted(rng.sample(items, n_items), key=lambda e: e.code)
    n_projects = rng.randint(0, 60)
    has_fund, has_capital = rng.random() < 0.3, rng.random() < 0.1
    has_unit_funds, has_carryover = rng.random() < 0.4, rng.random() < 0.3
    scale = Decimal(10) ** rng.randint(1, 3)  # 10 … 1000 万元 a line

    project_items = [rng.choice(chosen) for _ in range(n_projects)]
    covered = {e.code for e in project_items}
    basic_items = [e for e in chosen if e.code not in covered or rng.random() < 0.3]
    if not basic_items:
        basic_items = [chosen[0]]
    basic = [{"function": e.code, "source": "general", "amount": cents(rng, Decimal("0.5"), scale)} for e in basic_items]
    basic_total = sum((b["amount"] for b in basic), ZERO)

    # basic spending by economic 款: personnel and public shares of the same total
    personnel_codes = _economic_codes(year, PERSONNEL)
    public_codes = _economic_codes(year, PUBLIC)
    sangong_zero = rng.random() < 0.3
    sangong_codes = [] if sangong_zero else _economic_codes(year, ["30217", "30231"] + (["30212"] if rng.random() < 0.3 else []))
    n_personnel = rng.randint(3, len(personnel_codes))
    n_public = rng.randint(3, len(public_codes))
    econ_codes_personnel = sorted(rng.sample(personnel_codes, n_personnel))
    econ_codes_public = sorted(set(rng.sample(public_codes, n_public)) | set(sangong_codes))
    parts = len(econ_codes_personnel) + len(econ_codes_public)
    if basic_total * 100 < parts:  # too small to split into that many cents
        basic[0]["amount"] += Decimal(parts) * CENT
        basic_total = sum((b["amount"] for b in basic), ZERO)
    personnel_total = (basic_total * Decimal(rng.randint(60, 90)) / 100).quantize(CENT)
    personnel_total = max(personnel_total, Decimal(len(econ_codes_personnel)) * CENT)
    public_total = basic_total - personnel_total
    if public_total * 100 < len(econ_codes_public):
        personnel_total -= Decimal(len(econ_codes_public)) * CENT
        public_total = basic_total - personnel_total
    basic_economic = [{"economic": c, "source": "general", "amount": a}
                      for c, a in zip(econ_codes_personnel, split(rng, personnel_total, len(econ_codes_personnel)))]
    basic_economic += [{"economic": c, "source": "general", "amount": a}
                       for c, a in zip(econ_codes_public, split(rng, public_total, len(econ_codes_public)))]
    by_econ = {l["economic"]: l["amount"] for l in basic_economic}
    sangong = []
    for code, item in (("30212", "abroad"), ("30231", "vehicle_operation"), ("30217", "reception")):
        if code in by_econ:
            sangong.append({"item": item, "source": "general", "amount": by_econ[code]})

    # projects
    sources = ["general"] * 6 + ["general_transfer"] * 2
    if has_fund:
        sources += ["fund"] * 2
    if has_capital:
        sources += ["capital"]
    if has_unit_funds:
        sources += ["other", "business"]
    if has_carryover:
        sources += ["carryover_general", "carryover_unit"]
    projects = []
    seen: dict[str, int] = {}
    for e in project_items:
        total = cents(rng, Decimal(1), scale * 3)
        source = rng.choice(sources)
        funding = [{"source": source, "amount": total}]
        lines = rng.randint(1, 3)
        # no digits at the end of a name: "经费1" before "16.72万元" would print as "经费116.72万元"
        allocation = [{"purpose": f"{purpose}经费", "amount": a}
                      for purpose, a in zip(rng.sample(PURPOSES, lines), split(rng, total, lines))]
        base = f"{e.name}{rng.choice(PROJECT_SUFFIXES)}"
        seen[base] = seen.get(base, 0) + 1
        name_ = base if seen[base] == 1 else f"{base}（第{chinese_numeral(seen[base])}批）"
        projects.append({
            "name": name_, "function": e.code, "funding": funding,
            "economic": [{"economic": "302", "amount": total}],
            "policy_basis": f"《关于{year}年{e.name}工作的通知》。", "implementer": name, "allocation": allocation,
            "period": f"{year}年1月1日-{year}年12月31日",
        })
    performance = [_performance(rng, _TEMPLATE_CACHE, p, name, weight_total) for p in projects]

    # last year's figures, leaf by leaf, then summed
    last_year: dict[str, dict] = {}
    general_sources = {"general", "general_transfer"}
    function_last: dict[str, Decimal] = {}
    function_now: dict[str, Decimal] = {}
    kind_last = {"basic": ZERO, "project": ZERO}
    general_kind_last = {"basic": ZERO, "project": ZERO}
    income_last: dict[str, Decimal] = {}
    group_of = {"general": "general", "general_transfer": "general_transfer", "fund": "fund", "capital": "capital",
                "other": "unit_funds", "business": "unit_funds", "carryover_general": "carryover_fiscal",
                "carryover_unit": "carryover_nonfiscal"}
    leaves = [("basic", b["function"], b["source"], b["amount"]) for b in basic]
    leaves += [("project", p["function"], f["source"], f["amount"]) for p in projects for f in p["funding"]]
    for kind, code, source, amount in leaves:
        before = _last(rng, amount)
        kind_last[kind] += before
        income_last[group_of[source]] = income_last.get(group_of[source], ZERO) + before
        if source in general_sources:
            general_kind_last[kind] += before
            function_last[code] = function_last.get(code, ZERO) + before
            function_now[code] = function_now.get(code, ZERO) + amount
    now_kind = {"basic": basic_total, "project": sum((Decimal(f["amount"]) for p in projects for f in p["funding"]), ZERO)}
    now_general_kind = {
        "basic": basic_total,
        "project": sum((Decimal(f["amount"]) for p in projects for f in p["funding"] if f["source"] in general_sources), ZERO)}
    now_income: dict[str, Decimal] = {}
    for _, _, source, amount in leaves:
        now_income[group_of[source]] = now_income.get(group_of[source], ZERO) + amount
    for key, before in income_last.items():
        last_year[f"income:{key}"] = {"amount": before, "reason": _reason(rng, now_income[key], before)}
    for kind in ("basic", "project"):
        last_year[f"expenditure:{kind}"] = {"amount": kind_last[kind], "reason": _reason(rng, now_kind[kind], kind_last[kind])}
        last_year[f"general:{kind}"] = {"amount": general_kind_last[kind],
                                        "reason": _reason(rng, now_general_kind[kind], general_kind_last[kind])}
    for code, before in function_last.items():
        last_year[f"general:function:{code}"] = {"amount": before, "reason": _reason(rng, function_now[code], before)}
    sangong_last = {}
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        now = next((s["amount"] for s in sangong if s["item"] == item), ZERO)
        sangong_last[item] = _last(rng, now) if now else ZERO
        last_year[f"sangong:{item}"] = {"amount": sangong_last[item], "reason": _reason(rng, now, sangong_last[item])}
    sangong_now = sum((s["amount"] for s in sangong), ZERO)
    sangong_before = sum(sangong_last.values(), ZERO)
    last_year["sangong:total"] = {"amount": sangong_before, "reason": _reason(rng, sangong_now, sangong_before)}
    operating = sum((l["amount"] for l in basic_economic if l["economic"] in econ_codes_public), ZERO)
    before = _last(rng, operating)
    last_year["operating_costs"] = {"amount": before, "reason": _reason(rng, operating, before)}

    divisions = rng.sample(DIVISIONS, rng.randint(3, 10))
    subordinate = [f"{name[:-1] if name.endswith('局') else name}{rng.choice(UNIT_KINDS)}{i}" for i in range(1, units)]
    institutions = f"{name}下设{len(divisions)}个科室，分别是：{'、'.join(divisions)}。"
    if subordinate:
        institutions += f"本部门预算由本级和{len(subordinate)}个下属预算单位的预算组成。"
    else:
        institutions += f"{name}无下属预算单位。"
    authorized = rng.randint(10, 60 * units)
    active = rng.randint(max(1, authorized // 2), authorized)
    # a 退休费 line needs retired staff (K.STAFF.SPENDING): the facts must not contradict themselves
    retired = rng.randint(1 if any(l["economic"] == "30302" and l["amount"] for l in basic_economic) else 0, active)
    proc_total = cents(rng, ZERO, scale * 5)
    goods, works = split(rng, proc_total, 3)[:2] if proc_total >= Decimal("0.03") else (ZERO, ZERO)
    services = proc_total - goods - works
    sme = (proc_total * Decimal(rng.randint(0, 100)) / 100).quantize(CENT)
    vehicles = rng.randint(0, 12)
    data = {
        "unit": {"name": name, "full_name": name, "budget_year": year, "phase": "budget", "profile": profile,
                 "date_signed": dt.date(year, 1, rng.randint(10, 31)).isoformat(), "region": region},
        "overview": {
            "functions": rng.sample(DUTIES, rng.randint(3, len(DUTIES))),
            "institutions": institutions, "subordinate_units": subordinate, "divisions": divisions,
            "staffing": {"authorized": authorized, "active": {"count": active, "change": rng.randint(-3, 3)},
                         "retired": {"count": retired, "change": rng.randint(-2, 2)},
                         "veteran": {"count": 0, "change": 0}, "stated_actual": active + retired},
        },
        "basic": basic, "basic_economic": basic_economic, "projects": projects, "sangong": sangong,
        "operating_costs": operating,
        "procurement": {"goods": goods, "works": works, "services": services, "sme_reserved": sme,
                        "small_micro_reserved": (sme * Decimal(rng.randint(50, 100)) / 100).quantize(CENT)},
        "assets": {"as_of": f"{year - 1}年底", "buildings_area": cents(rng, Decimal(100), Decimal(20000)),
                   "buildings_value": cents(rng, Decimal(10), Decimal(5000)),
                   "vehicles": [{"kind": "一般公务用车", "count": vehicles, "value": cents(rng, ZERO, Decimal(300)) if vehicles else ZERO},
                                {"kind": "执法执勤用车", "count": 0, "value": ZERO},
                                {"kind": "其他车辆", "count": 0, "value": ZERO}],
                   "furniture_value": cents(rng, Decimal(1), Decimal(500)),
                   "other_value": cents(rng, Decimal(1), Decimal(1000)),
                   "equipment_over_50": (over_50 := rng.randint(0, 3)), "equipment_over_100": rng.randint(0, over_50),
                   "plan_year": year, "plan_vehicles": 0, "plan_equipment_over_50": 0, "plan_equipment_over_100": 0},
        "last_year": last_year, "performance": performance,
        "glossary": [dict(g) for g in _example_glossary()],
        "notes": {"other": "无其他需要说明的事项"},
    }
    return BudgetPackage.model_validate(data)


_GLOSSARY_CACHE: list[tuple[dict, ...]] = []


def _example_glossary() -> tuple[dict, ...]:
    """The example's glossary entries as plain data, read once per process: loading the example package
    (YAML and validation) took most of the time of drawing a department."""
    if not _GLOSSARY_CACHE:
        example = example_package()
        _GLOSSARY_CACHE.append(tuple(g.model_dump() for g in example.glossary) if example is not None else ())
    return _GLOSSARY_CACHE[0]


def example_package():
    """The bundled example (the first department of every corpus); None when it is not beside the code."""
    from yusuan.load import load_package

    return load_package(EXAMPLE) if (EXAMPLE / "package.yaml").exists() else None
