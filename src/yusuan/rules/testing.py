"""Helpers for rule tests: build a small, fully consistent national-layout disclosure, mutate one
cell, run one rule.

Stable API (other rule authors rely on it):

    spec = sample_spec()                      # the leaf figures of a small department (editable)
    d = build_disclosure(spec)                # 10 consistent tables, keys per docs/disclosure-keys.md
    pkg = build_package(spec)                 # the same figures as a BudgetPackage (facts)
    d2 = set_cell(d, "income", "f:2200101", "s:general", Decimal("1"))   # a copy with one cell changed
    d2 = set_value(d2, "income", "f:2200101", "total", delta=Decimal("0.5"))
    findings = run_rule(d2, "T2.ROW.SOURCES")   # only that rule; package/settings/profile optional
    loc = cell_location(d, "income", "f:2200101", "total")
    add_statements(d, "general", statement("general:total", amount=Decimal("810")))

The builder is a deliberately small composer of its own (it does not use ``yusuan.compose``) so
that rule tests do not depend on composition and composition bugs cannot hide rule bugs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from yusuan.amounts import fmt_amount
from yusuan.disclosure import (
    KIND_NUMBER, KINDS, Cell, Column, Disclosure, Location, Paragraph, Row, Section, Statement, Table,
)
from yusuan.findings import Finding

D = Decimal
ZERO = D(0)

GENERAL = ("general", "general_transfer")
FUND = ("fund", "fund_transfer")
CAPITAL = ("capital", "capital_transfer")
FISCAL = GENERAL + FUND + CAPITAL
UNIT_FUNDS = ("business", "superior_subsidy", "affiliated", "operating", "other")
CARRYOVER_FISCAL = ("carryover_general", "carryover_fund", "carryover_capital")
CARRYOVER_NONFISCAL = ("carryover_special_account", "carryover_unit")

# Function names used by the builder (official names; catalogue rules pass on them).
FUNCTION_NAMES = {
    "201": "一般公共服务支出", "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出", "2120803": "城市建设支出",
    "220": "自然资源海洋气象等支出", "22001": "自然资源事务", "2200101": "行政运行",
    "2200104": "自然资源规划及管理", "2200106": "自然资源利用与保护",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出", "22406": "自然灾害防治", "2240601": "地质灾害防治",
    "229": "其他支出", "22999": "其他支出", "2299999": "其他支出",
}
ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30108": "机关事业单位基本养老保险缴费",
    "302": "商品和服务支出", "30201": "办公费", "30217": "公务接待费", "30231": "公务用车运行维护费",
    "303": "对个人和家庭的补助", "30302": "退休费", "310": "资本性支出", "31002": "办公设备购置",
}
PROJECT_ECONOMIC_COLUMNS = {
    "e:301": "工资福利支出", "e:302": "商品和服务支出", "e:303": "对个人和家庭的补助", "e:307": "债务利息及费用支出",
    "e:309": "资本性支出（基本建设）", "e:310": "资本性支出", "e:311": "对企业补助（基本建设）", "e:312": "对企业补助",
    "e:313": "对社会保障基金补助", "e:399": "其他支出",
}
SANGONG_ROWS = [
    ("sangong:total", "合计"), ("sangong:abroad", "因公出国（境）费"), ("sangong:reception", "公务接待费"),
    ("sangong:vehicle", "公务用车购置及运行费"), ("sangong:vehicle_purchase", "其中：公务用车购置费"),
    ("sangong:vehicle_operation", "公务用车运行费"),
]


@dataclass
class ProjectSpec:
    name: str
    function: str  # 7-digit 项
    funding: dict[str, Decimal]  # leaf source → amount
    economic: dict[str, Decimal] = field(default_factory=dict)  # economic 类 → amount of its general-budget part


@dataclass
class Spec:
    """Leaf figures of one department. Every printed total is derived from these."""

    unit_name: str = "示例自然资源局"
    year: int = 2023
    basic: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (项, leaf source, amount)
    economic: list[tuple[str, Decimal]] = field(default_factory=list)  # general-budget basic by economic 款
    projects: list[ProjectSpec] = field(default_factory=list)
    sangong: dict[str, Decimal] = field(default_factory=dict)  # abroad/vehicle_purchase/vehicle_operation/reception (general budget)
    classes: list[str] = field(default_factory=list)  # 类 rows T1/T4 print (empty ones too)
    fiscal_tables_include_carryover: bool = False  # T4/T5/T6/T7/T8/T9 include last year's 财政拨款结转


def sample_spec() -> Spec:
    """A small department with general, transfer, fund, unit-funds and carry-over money."""
    return Spec(
        basic=[
            ("2080505", "general", D("40")), ("2080506", "general", D("20")), ("2101101", "general", D("15")),
            ("2200101", "general", D("300")), ("2200101", "general_transfer", D("30")),
            ("2210201", "general", D("25")), ("2200101", "other", D("10")),
        ],
        economic=[
            ("30101", D("150")), ("30102", D("100")), ("30108", D("40")), ("30302", D("20")),
            ("30201", D("80")), ("30217", D("2")), ("30231", D("8")), ("31002", D("30")),
        ],
        projects=[
            ProjectSpec("国土空间规划编制", "2200104",
                        {"general": D("200"), "general_transfer": D("100"), "carryover_general": D("50")},
                        {"302": D("250"), "310": D("50")}),
            ProjectSpec("自然资源调查监测", "2200106", {"general": D("80.5")}, {"302": D("80.5")}),
            ProjectSpec("地质灾害防治", "2240601", {"general": D("60")}, {"302": D("40"), "310": D("20")}),
            ProjectSpec("城市建设项目", "2120803", {"fund": D("120")}),
            ProjectSpec("单位自有资金项目", "2299999", {"other": D("20"), "carryover_unit": D("15")}),
        ],
        sangong={"abroad": ZERO, "vehicle_purchase": ZERO, "vehicle_operation": D("8"), "reception": D("2")},
        classes=["201", "208", "210", "212", "220", "221", "223", "224", "229"],
    )


# ------------------------------------------------------------------ leaf arithmetic

def _leaves(spec: Spec) -> list[tuple[str, str, str, Decimal, str | None]]:
    """(项, source, basic|project, amount, project name)."""
    out = [(f, s, "basic", a, None) for f, s, a in spec.basic]
    for p in spec.projects:
        out.extend((p.function, s, "project", a, p.name) for s, a in p.funding.items())
    return out


def _general_sources(spec: Spec) -> tuple[str, ...]:
    return GENERAL + (("carryover_general",) if spec.fiscal_tables_include_carryover else ())


def _fund_sources(spec: Spec) -> tuple[str, ...]:
    return FUND + (("carryover_fund",) if spec.fiscal_tables_include_carryover else ())


def _capital_sources(spec: Spec) -> tuple[str, ...]:
    return CAPITAL + (("carryover_capital",) if spec.fiscal_tables_include_carryover else ())


def _sum(spec: Spec, sources: Iterable[str] | None = None, kind: str | None = None) -> Decimal:
    allowed = set(sources) if sources is not None else None
    return sum((a for _, s, k, a, _ in _leaves(spec)
                if (allowed is None or s in allowed) and (kind is None or k == kind)), ZERO)


def _source_columns(source: str) -> list[str]:
    """T2 columns a leaf source adds to (besides ``total``)."""
    if source in FISCAL:
        return ["s:fiscal", f"s:{source}"]
    if source in UNIT_FUNDS:
        return ["s:unit_funds"]
    if source == "special_account":
        return ["s:special_account"]
    if source in CARRYOVER_FISCAL:
        return ["s:carryover_fiscal"]
    return ["s:carryover_nonfiscal"]


# ------------------------------------------------------------------ table assembly

def _cell(value: Decimal | None, loc: Location, text: str | None = None) -> Cell:
    if text is not None:
        return Cell(text=text, value=None, location=loc)
    if value is None or value == 0:
        return Cell(text="", value=None, location=loc)
    return Cell(text=fmt_amount(value), value=value, location=loc)


def _table(kind: str, columns: list[tuple[str, str]], unit: str = "万元") -> Table:
    number = f"表{KIND_NUMBER[kind]}" if kind in KIND_NUMBER else ""
    title = KINDS[kind]
    return Table(kind=kind, number=number, title=title, unit=unit,
                 columns=[Column(key=k, label=l) for k, l in columns],
                 location=Location(part="第二部分", table=f"{number}{title}"))


def _add_row(table: Table, key: str, values: dict[str, Decimal | str | None], *, name: str = "", code: str | None = None,
             level: str | None = None, role: str = "item", side: str | None = None) -> Row:
    n = len(table.rows) + 1
    labels = {c.key: c.label for c in table.columns}
    cells = {}
    for col, v in values.items():
        loc = Location(part="第二部分", table=table.label, row=n, column=labels.get(col, col))
        cells[col] = _cell(None, loc, v) if isinstance(v, str) else _cell(v, loc)
    row = Row(key=key, code=code, name=name, level=level, role=role, side=side, cells=cells,
              location=Location(part="第二部分", table=table.label, row=n))
    table.rows.append(row)
    return row


def _levels(code: str) -> list[str]:
    return [code[:3], code[:5], code]


def _function_table(kind: str, columns: list[tuple[str, str]], leaf: dict[str, dict[str, Decimal]],
                    unit: str = "万元") -> Table:
    """Rows 合计, then 类 / 款 / 项 in code order; each column summed up the hierarchy."""
    table = _table(kind, columns, unit)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    total: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, cols in leaf.items():
        for col, v in cols.items():
            for c in _levels(code):
                sums[c][col] += v
            total[col] += v
    keys = [k for k, _ in columns]
    _add_row(table, "total", {k: total[k] for k in keys}, name="合计", role="total")
    for code in sorted(sums):
        _add_row(table, f"f:{code}", {k: sums[code][k] for k in keys}, name=FUNCTION_NAMES.get(code, code), code=code,
                 level={3: "类", 5: "款", 7: "项"}[len(code)])
    return table


def _basic_project_table(kind: str, spec: Spec, sources: tuple[str, ...] | None) -> Table:
    leaf: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for f, s, k, a, _ in _leaves(spec):
        if sources is None or s in sources:
            leaf[f][k] += a
            leaf[f]["total"] += a
    columns = [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")]
    table = _function_table(kind, columns, leaf)
    if not leaf:
        table.empty_note = f"本部门没有使用{KINDS[kind].replace('支出情况表', '')}拨款安排的支出，{KINDS[kind]}为空表。"
    return table


def _t1(spec: Spec) -> Table:
    t = _table("income_expenditure", [("amount", "预算数")])
    by = defaultdict(lambda: ZERO)
    for _, s, _, a, _ in _leaves(spec):
        by[s] += a
    g = lambda keys: sum((by[k] for k in keys), ZERO)  # noqa: E731
    income = [
        ("s:current_year", "一、本年收入", g(FISCAL + ("special_account",) + UNIT_FUNDS), "subtotal"),
        ("s:general_budget", "1.一般公共预算拨款", g(GENERAL), "subtotal"),
        ("s:general", "其中：一般财力", by["general"], "item"),
        ("s:general_transfer", "上级一般公共预算安排转移支付", by["general_transfer"], "item"),
        ("s:fund_budget", "2.政府性基金预算拨款", g(FUND), "subtotal"),
        ("s:fund", "其中：政府性基金收入", by["fund"], "item"),
        ("s:fund_transfer", "上级政府性基金安排转移支付", by["fund_transfer"], "item"),
        ("s:capital_budget", "3.国有资本经营预算拨款", g(CAPITAL), "subtotal"),
        ("s:capital", "其中：国有资本经营收入", by["capital"], "item"),
        ("s:capital_transfer", "上级国有资本经营预算安排转移支付", by["capital_transfer"], "item"),
        ("s:special_account", "4.财政专户核拨", by["special_account"], "item"),
        ("s:unit_funds", "5.单位资金", g(UNIT_FUNDS), "subtotal"),
        ("s:business", "其中：事业收入", by["business"], "item"),
        ("s:superior_subsidy", "上级补助收入", by["superior_subsidy"], "item"),
        ("s:affiliated", "附属单位上缴收入", by["affiliated"], "item"),
        ("s:operating", "事业单位经营收入", by["operating"], "item"),
        ("s:other", "其他收入", by["other"], "item"),
        ("s:carryover", "二、上年结转结余", g(CARRYOVER_FISCAL + CARRYOVER_NONFISCAL), "subtotal"),
        ("s:carryover_fiscal", "1.财政拨款结转", g(CARRYOVER_FISCAL), "subtotal"),
        ("s:carryover_general", "其中：一般公共预算拨款", by["carryover_general"], "item"),
        ("s:carryover_fund", "基金预算拨款", by["carryover_fund"], "item"),
        ("s:carryover_capital", "国有资本经营预算拨款", by["carryover_capital"], "item"),
        ("s:carryover_nonfiscal", "2.非财政拨款结转结余", g(CARRYOVER_NONFISCAL), "subtotal"),
        ("s:carryover_special_account", "其中：财政专户核拨", by["carryover_special_account"], "item"),
        ("s:carryover_unit", "单位资金", by["carryover_unit"], "item"),
    ]
    for key, name, v, role in income:
        _add_row(t, key, {"amount": v}, name=name, role=role, side="income")
    total = _sum(spec)
    _add_row(t, "income_total", {"amount": total}, name="收入总计", role="total", side="income")
    by_class = defaultdict(lambda: ZERO)
    for f, _, _, a, _ in _leaves(spec):
        by_class[f[:3]] += a
    for c in sorted(set(spec.classes) | set(by_class)):
        _add_row(t, f"f:{c}", {"amount": by_class[c]}, name=FUNCTION_NAMES.get(c, c), code=c, level="类",
                 side="expenditure")
    _add_row(t, "expenditure_total", {"amount": total}, name="支出总计", role="total", side="expenditure")
    return t


def _t2(spec: Spec) -> Table:
    columns = [("total", "总计"), ("s:fiscal", "财政拨款（补助）小计"), ("s:general", "一般公共预算"),
               ("s:general_transfer", "上级一般公共预算安排的转移支付"), ("s:fund", "政府性基金预算"),
               ("s:fund_transfer", "上级政府性基金安排的转移支付"), ("s:capital", "国有资本经营预算"),
               ("s:capital_transfer", "上级国有资本经营预算安排的转移支付"), ("s:special_account", "财政专户"),
               ("s:unit_funds", "单位资金"), ("s:carryover_fiscal", "财政拨款结转"),
               ("s:carryover_nonfiscal", "非财政拨款结转结余")]
    leaf: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for f, s, _, a, _ in _leaves(spec):
        leaf[f]["total"] += a
        for col in _source_columns(s):
            leaf[f][col] += a
    return _function_table("income", columns, leaf)


def _t4(spec: Spec) -> Table:
    t = _table("fiscal_income_expenditure", [("amount", "预算数"), ("total", "合计"), ("s:general_budget", "一般公共预算"),
                                             ("s:fund_budget", "政府性基金预算"), ("s:capital_budget", "国有资本经营预算")])
    groups = {"s:general_budget": _general_sources(spec), "s:fund_budget": _fund_sources(spec),
              "s:capital_budget": _capital_sources(spec)}
    if spec.fiscal_tables_include_carryover:
        income_groups = {"s:general_budget": GENERAL, "s:fund_budget": FUND, "s:capital_budget": CAPITAL}
    else:
        income_groups = groups
    fiscal = sum((_sum(spec, g) for g in income_groups.values()), ZERO)
    _add_row(t, "s:fiscal", {"amount": fiscal}, name="一、财政拨款（补助）", role="subtotal", side="income")
    for key, name in [("s:general_budget", "一般公共预算"), ("s:fund_budget", "政府性基金预算"),
                      ("s:capital_budget", "国有资本经营预算")]:
        _add_row(t, key, {"amount": _sum(spec, income_groups[key])}, name=name, side="income")
    carry = ZERO
    if spec.fiscal_tables_include_carryover:
        carry = _sum(spec, CARRYOVER_FISCAL)
        _add_row(t, "s:carryover_fiscal", {"amount": carry}, name="二、上年结转", role="subtotal", side="income")
    _add_row(t, "income_total", {"amount": fiscal + carry}, name="收入总计", role="total", side="income")
    by_class: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for f, s, _, a, _ in _leaves(spec):
        for col, sources in groups.items():
            if s in sources:
                by_class[f[:3]][col] += a
                by_class[f[:3]]["total"] += a
    cols = ["total", *groups]
    for c in sorted(set(spec.classes) | set(by_class)):
        _add_row(t, f"f:{c}", {k: by_class[c][k] for k in cols}, name=FUNCTION_NAMES.get(c, c), code=c, level="类",
                 side="expenditure")
    _add_row(t, "expenditure_total", {k: sum((by_class[c][k] for c in by_class), ZERO) for k in cols},
             name="支出总计", role="total", side="expenditure")
    return t


def _t6(spec: Spec) -> Table:
    t = _table("general_basic", [("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")])
    by: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, a in spec.economic:
        by[code[:3]] += a
        by[code] += a
    split = lambda c: "personnel" if c[:3] in ("301", "303") else "public"  # noqa: E731
    total = {"total": ZERO, "personnel": ZERO, "public": ZERO}
    for code, a in spec.economic:
        total["total"] += a
        total[split(code)] += a
    _add_row(t, "total", total, name="合计", role="total")
    for code in sorted(by):
        _add_row(t, f"e:{code}", {"total": by[code], split(code): by[code]}, name=ECONOMIC_NAMES.get(code, code),
                 code=code, level="类" if len(code) == 3 else "款")
    return t


def _t7(spec: Spec) -> Table:
    columns = [("project_name", "项目名称"), ("total", "项目支出合计"), *PROJECT_ECONOMIC_COLUMNS.items()]
    t = _table("general_project", columns)
    sources = set(_general_sources(spec))
    rows: list[tuple[ProjectSpec, Decimal]] = []
    for p in spec.projects:
        amount = sum((a for s, a in p.funding.items() if s in sources), ZERO)
        if amount:
            rows.append((p, amount))
    econ_keys = list(PROJECT_ECONOMIC_COLUMNS)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    adjusted = []
    for p, amount in rows:
        rest = amount - sum(p.economic.values(), ZERO)
        if rest:  # money the spec did not break down (e.g. carry-over) goes to 商品和服务支出
            p = ProjectSpec(p.name, p.function, p.funding, {**p.economic, "302": p.economic.get("302", ZERO) + rest})
        adjusted.append((p, amount))
    rows = adjusted
    for p, amount in rows:
        for c in ("total", p.function[:3], p.function[:5]):
            sums[c]["total"] += amount
            for e, v in p.economic.items():
                sums[c][f"e:{e}"] += v
    _add_row(t, "total", {"total": sums["total"]["total"], **{k: sums["total"][k] for k in econ_keys}},
             name="合计", role="total")
    for code in sorted({c for p, _ in rows for c in (p.function[:3], p.function[:5])}):
        _add_row(t, f"f:{code}", {"total": sums[code]["total"], **{k: sums[code][k] for k in econ_keys}},
                 name=FUNCTION_NAMES.get(code, code), code=code, level="类" if len(code) == 3 else "款")
        if len(code) == 5:
            for p, amount in sorted(rows, key=lambda r: r[0].function):
                if p.function[:5] == code:
                    _add_row(t, f"p:{p.function}:{p.name}",
                             {"project_name": p.name, "total": amount, **{f"e:{e}": v for e, v in p.economic.items()}},
                             name=FUNCTION_NAMES.get(p.function, p.function), code=p.function, level="项")
    # the project-name cell is text: keep it
    for r in t.rows:
        if r.key.startswith("p:"):
            r.cells["project_name"].text = r.key.split(":", 2)[2]
    return t


def _t10(spec: Spec) -> Table:
    t = _table("sangong", [("total", "合计"), ("s:general_budget", "一般公共预算"), ("s:fund_budget", "政府性基金"),
                           ("s:capital_budget", "国有资本经营预算")])
    sg = defaultdict(lambda: ZERO, spec.sangong)
    values = {
        "sangong:abroad": sg["abroad"], "sangong:reception": sg["reception"],
        "sangong:vehicle_purchase": sg["vehicle_purchase"], "sangong:vehicle_operation": sg["vehicle_operation"],
    }
    values["sangong:vehicle"] = values["sangong:vehicle_purchase"] + values["sangong:vehicle_operation"]
    values["sangong:total"] = values["sangong:abroad"] + values["sangong:reception"] + values["sangong:vehicle"]
    for key, name in SANGONG_ROWS:
        v = values[key]
        _add_row(t, key, {"total": v, "s:general_budget": v}, name=name,
                 role="total" if key == "sangong:total" else ("subtotal" if key == "sangong:vehicle" else "item"))
    return t


def build_disclosure(spec: Spec | None = None, *, unit: str = "万元") -> Disclosure:
    """Ten tables that agree with each other (and with the bundled catalogue) to the cent.

    ``unit="元"`` prints every table in 元 (amounts × 10000), for checking unit-aware tolerances.
    """
    spec = spec or sample_spec()
    tables = [
        _t1(spec), _t2(spec), _basic_project_table("expenditure", spec, None), _t4(spec),
        _basic_project_table("general_expenditure", spec, _general_sources(spec)), _t6(spec), _t7(spec),
        _basic_project_table("fund_expenditure", spec, _fund_sources(spec)),
        _basic_project_table("capital_expenditure", spec, _capital_sources(spec)), _t10(spec),
    ]
    if unit == "元":
        for t in tables:
            t.unit = "元"
            for r in t.rows:
                for c in r.cells.values():
                    if c.value is not None:
                        c.value = c.value * 10000
                        c.text = fmt_amount(c.value)
    return Disclosure(unit_name=spec.unit_name, budget_year=spec.year, profile="test", title=f"{spec.unit_name}{spec.year}年部门预算",
                      tables=tables)


def build_package(spec: Spec | None = None):
    """The spec as facts (a ``BudgetPackage``), for rules that read facts."""
    from yusuan.model import BudgetPackage

    spec = spec or sample_spec()
    return BudgetPackage.model_validate({
        "unit": {"name": spec.unit_name, "budget_year": spec.year},
        "basic": [{"function": f, "source": s, "amount": a} for f, s, a in spec.basic],
        "basic_economic": [{"economic": c, "amount": a} for c, a in spec.economic],
        "projects": [{"name": p.name, "function": p.function,
                      "funding": [{"source": s, "amount": a} for s, a in p.funding.items()],
                      "economic": [{"economic": e, "amount": a} for e, a in p.economic.items()]} for p in spec.projects],
        "sangong": [{"item": k, "amount": v} for k, v in spec.sangong.items() if v],
    })


# ------------------------------------------------------------------ mutation and running

def _find_cell(d: Disclosure, kind: str, row_key: str, column: str) -> Cell:
    table = d.table(kind)
    if table is None:
        raise KeyError(f"no table {kind}")
    row = table.row(row_key)
    if row is None:
        raise KeyError(f"no row {row_key} in {kind}")
    if column not in row.cells:
        label = next((c.label for c in table.columns if c.key == column), column)
        row.cells[column] = Cell(location=Location(part="第二部分", table=table.label, row=table.rows.index(row) + 1,
                                                   column=label))
    return row.cells[column]


def set_cell(d: Disclosure, kind: str, row_key: str, column: str, value: Decimal | None) -> Disclosure:
    """A deep copy of ``d`` with one cell's stated value replaced (``None`` = blank)."""
    d = d.model_copy(deep=True)
    cell = _find_cell(d, kind, row_key, column)
    cell.value = value
    cell.text = "" if value is None else fmt_amount(value)
    return d


def set_value(d: Disclosure, kind: str, row_key: str, column: str, *, delta: Decimal) -> Disclosure:
    """A deep copy with ``delta`` added to one cell (a blank cell counts as zero)."""
    current = get_value(d, kind, row_key, column) or ZERO
    return set_cell(d, kind, row_key, column, current + delta)


def get_value(d: Disclosure, kind: str, row_key: str, column: str) -> Decimal | None:
    table = d.table(kind)
    return table.value(row_key, column) if table else None


def cell_location(d: Disclosure, kind: str, row_key: str, column: str) -> Location | None:
    table = d.table(kind)
    row = table.row(row_key) if table else None
    cell = row.cells.get(column) if row else None
    return cell.location if cell else None


def remove_row(d: Disclosure, kind: str, row_key: str) -> Disclosure:
    d = d.model_copy(deep=True)
    table = d.table(kind)
    table.rows = [r for r in table.rows if r.key != row_key]
    return d


def statement(subject: str, **fields) -> Statement:
    """A Statement; amounts may be given as str/int and are converted to Decimal."""
    for k in ("amount", "share", "last_year", "change", "rate"):
        if k in fields and fields[k] is not None and not isinstance(fields[k], Decimal):
            fields[k] = D(str(fields[k]))
    return Statement(subject=subject, **fields)


def add_statements(d: Disclosure, section_id: str, *statements: Statement, title: str | None = None, part: int = 3,
                   text: str = "") -> Disclosure:
    """Append one paragraph holding ``statements`` to section ``section_id`` (created if missing). In place; returns d."""
    section = d.section(section_id)
    if section is None:
        section = Section(id=section_id, part=part, title=title or section_id)
        d.sections.append(section)
    n = len(section.paragraphs) + 1
    loc = Location(part={1: "第一部分", 2: "第二部分", 3: "第三部分", 4: "第四部分"}.get(part), section=section.title,
                   paragraph=n)
    for s in statements:
        if s.location is None:
            s.location = loc
    section.paragraphs.append(Paragraph(text=text or "；".join(s.text for s in statements if s.text),
                                        statements=list(statements), location=loc))
    return d


def run_rule(d: Disclosure, rule_id: str, *, package=None, settings=None, profile: dict | None = None) -> list[Finding]:
    """Findings of one rule on ``d`` (every rule module loaded first)."""
    from yusuan.rules import load_all
    from yusuan.rules.registry import RULES, Context, Settings, run

    load_all()
    if rule_id not in RULES:
        raise KeyError(f"unknown rule {rule_id}")
    from yusuan.rules.catalogue import soften_for_partial

    ctx = Context(disclosure=d, package=package, settings=settings or Settings(), profile=profile or {})
    findings = run(ctx, [RULES[rule_id]])  # a rule that raises fails the test (the engine would contain it)
    if rule_id in ctx.settings.severities:
        return findings
    return [soften_for_partial(f) for f in findings]


def run_rules(d: Disclosure, prefix: str = "", **kw) -> list[Finding]:
    """Findings of every loaded rule whose ID starts with ``prefix``."""
    from yusuan.rules import load_all

    out: list[Finding] = []
    for rid in sorted(load_all()):
        if rid.startswith(prefix):
            out.extend(run_rule(d, rid, **kw))
    return out


__all__ = [
    "Spec", "ProjectSpec", "sample_spec", "build_disclosure", "build_package", "set_cell", "set_value", "get_value",
    "cell_location", "remove_row", "statement", "add_statements", "run_rule", "run_rules",
]
