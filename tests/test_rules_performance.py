"""Performance-table checks: one passing and one failing case per rule, then the 19 reference tables."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.conftest import CHANGJI_TEXT, EXAMPLE
from yusuan.disclosure import Cell, Disclosure, Paragraph, PrintedPerformance, Row, Section, Statement, Table
from yusuan.model.performance import PerformanceTable
from yusuan.perf.tables import as_printed, load_tables
from yusuan.rules import load_all
from yusuan.rules.registry import RULES, Context, Settings, run

load_all()
D = Decimal


def ind(level1="产出指标", level2="数量指标", name="完成数量（个）", target="=7个", weight=None, last_year=None):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "weight": weight, "last_year": last_year}


def good_table(project="项目甲", fiscal="20", other="0", **kw) -> PerformanceTable:
    """A clean 90-weight department table: 20 万元 of cost indicators, every 一级 present."""
    return PerformanceTable(project=project, fiscal=D(fiscal), other=D(other), indicators=[
        ind(weight=20),
        ind(level2="质量指标", name="验收合格率（%）", target=">=95%", weight=10, last_year="100%"),
        ind(level1="成本指标", level2="经济成本指标", name="外业经费（万元）", target="<=12万元", weight=10),
        ind(level1="成本指标", level2="经济成本指标", name="内业经费（万元）", target="<=8万元", weight=10),
        ind(level1="效益指标", level2="社会效益指标", name="保障作用", target="有效保障", weight=30),
        ind(level1="满意度指标", level2="服务对象满意度指标", name="群众满意度（%）", target=">=90%", weight=10),
    ], **kw)


def disclosure(*tables: PerformanceTable, stated: list | None = None, sections=(), t_tables=()) -> Disclosure:
    printed = as_printed(list(tables))
    if stated:
        for p, s in zip(printed, stated):
            p.stated_total = s
    return Disclosure(unit_name="测试局", profile="xinjiang", title="t", performance=printed,
                      sections=list(sections), tables=list(t_tables))


def hits(rule_id: str, ctx: Context):
    return run(ctx, [RULES[rule_id]])


def ctx(*tables, **kw) -> Context:
    profile = kw.pop("profile", {})
    package = kw.pop("package", None)
    return Context(disclosure(*tables, **kw), package=package, profile=profile)


def modified(table: PerformanceTable, index: int, **fields) -> PerformanceTable:
    data = table.model_dump()
    data["indicators"][index].update(fields)
    if "target" in fields:
        data["indicators"][index]["target"] = fields["target"]
    return PerformanceTable.model_validate(data)


def test_good_table_passes_every_rule_that_reads_only_tables():
    only_tables = [r for r in RULES.values() if r.category == "performance" and r.reads == ("performance",)]
    assert len(only_tables) >= 9
    assert run(ctx(good_table()), only_tables) == []


def test_weights():
    assert hits("P.WEIGHTS", ctx(good_table())) == []
    bad = modified(good_table(), 0, weight=D(25))
    found = hits("P.WEIGHTS", ctx(bad))
    assert len(found) == 1 and found[0].stated == D(95) and found[0].difference == D(5)
    # a 100-point region
    assert hits("P.WEIGHTS", ctx(good_table(), profile={"performance_weight_total": 100}))[0].expected == D(100)
    assert hits("P.WEIGHTS", ctx(good_table(), profile={"performance": {"weight_total": 100}}))[0].expected == D(100)
    # the settings override the profile
    c = ctx(good_table(), profile={"performance_weight_total": 100})
    c.settings = Settings(performance_weight_total=D(90))
    assert hits("P.WEIGHTS", c) == []
    # a template without weights is not checked; a table with some weights missing is
    unweighted = PerformanceTable(project="x", format="area", indicators=[ind()])
    assert hits("P.WEIGHTS", ctx(unweighted)) == []
    partly = modified(good_table(), 0, weight=None)
    assert any("未填写权重" in f.message for f in hits("P.WEIGHTS", ctx(partly)))


def test_levels_required():
    assert hits("P.LEVELS.REQUIRED", ctx(good_table())) == []
    data = good_table().model_dump()
    data["indicators"] = [i for i in data["indicators"] if i["level1"] != "满意度指标"]
    without = PerformanceTable.model_validate(data)
    found = hits("P.LEVELS.REQUIRED", ctx(without))
    assert len(found) == 1 and "满意度指标" in found[0].message
    assert hits("P.LEVELS.REQUIRED", ctx(without, profile={"performance_optional_levels": ["满意度指标"]})) == []


def test_level2_valid():
    assert hits("P.LEVEL2.VALID", ctx(good_table())) == []
    found = hits("P.LEVEL2.VALID", ctx(modified(good_table(), 4, level2="数量指标")))
    assert len(found) == 1 and "不属于一级指标“效益指标”" in found[0].message
    assert hits("P.LEVEL2.VALID", ctx(modified(good_table(), 0, level1="产出")))[0].stated == "产出"


def test_quant_complete():
    assert hits("P.QUANT.COMPLETE", ctx(good_table())) == []
    found = hits("P.QUANT.COMPLETE", ctx(modified(good_table(), 0, target="7", name="完成数量")))
    assert len(found) == 2  # no comparator, and no unit in the value or the name
    assert any("未写比较符" in f.message for f in found) and any("没有计量单位" in f.message for f in found)
    # the unit in the name is enough
    assert len(hits("P.QUANT.COMPLETE", ctx(modified(good_table(), 0, target="=7")))) == 0


def test_cost_within_budget():
    assert hits("P.COST.WITHIN_BUDGET", ctx(good_table())) == []
    found = hits("P.COST.WITHIN_BUDGET", ctx(modified(good_table(), 2, target="<=12.01万元")))
    assert len(found) == 1 and found[0].stated == D("20.01") and found[0].expected == D(20)


def test_budget_total():
    assert hits("P.BUDGET.TOTAL", ctx(good_table(), stated=[D(20)])) == []
    found = hits("P.BUDGET.TOTAL", ctx(good_table(other="5"), stated=[D(20)]))
    assert len(found) == 1 and found[0].expected == D(25) and found[0].difference == D(-5)


def test_last_year_weight():
    assert hits("P.LASTYEAR.WEIGHT", ctx(good_table())) == []
    found = hits("P.LASTYEAR.WEIGHT", ctx(modified(good_table(), 0, last_year="20")))
    assert len(found) == 1 and found[0].stated == "20"
    # equal to the weight *and* to the target: plausible, not reported
    assert hits("P.LASTYEAR.WEIGHT", ctx(modified(good_table(), 0, last_year="20", target="=20个"))) == []


def test_unit_mismatch():
    assert hits("P.UNIT.MISMATCH", ctx(good_table())) == []
    found = hits("P.UNIT.MISMATCH", ctx(modified(good_table(), 0, target="=7套")))
    assert len(found) == 1 and (found[0].stated, found[0].expected) == ("套", "个")


def test_not_measurable():
    assert hits("P.NOT.MEASURABLE", ctx(good_table())) == []
    found = hits("P.NOT.MEASURABLE", ctx(modified(good_table(), 4, target="做好相关工作")))
    assert len(found) == 1 and "做好相关工作" in found[0].message
    assert len(hits("P.NOT.MEASURABLE", ctx(modified(good_table(), 4, target="/")))) == 1


def _t7(*rows: tuple[str, str]) -> Table:
    return Table(kind="general_project", title="一般公共预算项目支出情况表", rows=[
        Row(key=f"p:2200102:一般行政管理事务", cells={"project_name": Cell(text=name), "total": Cell(value=D(amount))})
        for name, amount in rows
    ])


def test_budget_tables_against_table_7_with_a_split_project():
    a, b = good_table("确权", fiscal="12"), good_table("确权", fiscal="8", title_name="2022年度确权")
    assert hits("P.BUDGET.TABLES", ctx(a, b, t_tables=[_t7(("确权", "20"))])) == []
    found = hits("P.BUDGET.TABLES", ctx(a, b, t_tables=[_t7(("确权", "21"))]))
    assert len(found) == 1 and found[0].stated == D(20) and found[0].expected == D(21)


def test_budget_tables_against_facts(example_package):
    tables = load_tables(EXAMPLE / "performance.yaml")
    assert hits("P.BUDGET.TABLES", ctx(*tables, package=example_package)) == []
    changed = [t.model_copy(update={"other": D(1)}) if t.project == "聘请法律顾问费" else t for t in tables]
    found = hits("P.BUDGET.TABLES", ctx(*changed, package=example_package))
    assert [f.subject for f in found] == ["聘请法律顾问费"] and found[0].difference == D(1)


def _alloc_section(project: str, *amounts: str) -> Section:
    return Section(id="general_project", part=3, title="七", paragraphs=[Paragraph(text="", statements=[
        Statement(subject=f"project:{project}:allocation:{n}", label=f"用途{n}", amount=D(a)) for n, a in enumerate(amounts, 1)
    ])])


def test_cost_allocation():
    assert hits("P.COST.ALLOCATION", ctx(good_table(), sections=[_alloc_section("项目甲", "12", "8")])) == []
    total = hits("P.COST.ALLOCATION", ctx(good_table(), sections=[_alloc_section("项目甲", "12", "7")]))
    assert len(total) == 1 and total[0].stated == D(20) and total[0].expected == D(19)
    lines = hits("P.COST.ALLOCATION", ctx(good_table(), sections=[_alloc_section("项目甲", "10", "10")]))
    assert len(lines) == 1 and "金额不一致" in lines[0].message


def _perf_section(fiscal: tuple[int, str], nonfiscal: tuple[int, str]) -> Section:
    return Section(id="other.performance", part=3, title="预算绩效情况", paragraphs=[Paragraph(text="", statements=[
        Statement(subject="performance:fiscal", count=fiscal[0], amount=D(fiscal[1])),
        Statement(subject="performance:nonfiscal", count=nonfiscal[0], amount=D(nonfiscal[1])),
    ])])


def test_summary():
    tables = (good_table("甲"), good_table("乙", fiscal="0", other="7"))
    assert hits("P.SUMMARY", ctx(*tables, sections=[_perf_section((1, "20"), (1, "7"))])) == []
    found = hits("P.SUMMARY", ctx(*tables, sections=[_perf_section((2, "20"), (1, "8"))]))
    assert sorted(f.subject for f in found) == ["performance:fiscal", "performance:nonfiscal"]
    total = Section(id="other.performance", part=3, title="预算绩效情况", paragraphs=[Paragraph(text="", statements=[
        Statement(subject="performance:total", count=2, amount=D(27))])])
    assert hits("P.SUMMARY", ctx(*tables, sections=[total])) == []
    total.paragraphs[0].statements[0].amount = D(26)
    assert [f.expected for f in hits("P.SUMMARY", ctx(*tables, sections=[total]))] == [D(27)]


def test_missing():
    t7 = _t7(("项目甲", "20"), ("项目乙", "5"))
    assert hits("P.MISSING", ctx(good_table(), good_table("项目乙", fiscal="5"), t_tables=[t7])) == []
    found = hits("P.MISSING", ctx(good_table(), t_tables=[t7]))
    assert len(found) == 1 and "项目乙" in found[0].message
    t3 = Table(kind="expenditure", title="部门支出总体情况表", rows=[Row(key="total", cells={"project": Cell(value=D(30))})])
    gap = hits("P.MISSING", ctx(good_table(), t_tables=[t3]))
    assert len(gap) == 1 and gap[0].expected == D(30) and gap[0].stated == D(20)


def test_missing_pairs_a_table_printed_under_another_name():
    """The document prints a project's table under the name section 七 gives it, or one table per year of the
    work (“2023年度…”, “2022年度…”): the project has its tables (the example package prints both)."""
    t7 = _t7(("国土变更调查项目经费", "20"), ("统一确权登记工作", "30"), ("2021年度统一确权登记工作", "5"))
    printed = [good_table("国土变更调查工作项目", fiscal="20"), good_table("2023年度统一确权登记工作", fiscal="18"),
               good_table("2022年度统一确权登记工作", fiscal="12"), good_table("2021年度统一确权登记工作", fiscal="5")]
    assert hits("P.MISSING", ctx(*printed, t_tables=[t7])) == []
    # a table of another amount and no shared name is not that project's: still missing
    other = [good_table("卫片执法工作", fiscal="19"), *printed[1:]]
    found = hits("P.MISSING", ctx(*other, t_tables=[t7]))
    assert [f.subject for f in found] == ["国土变更调查项目经费"]
    # each table pairs once: two projects of 20 万元 and one spare table of 20 万元 leave one missing
    t7b = _t7(("国土变更调查项目经费", "20"), ("土地执法经费", "20"))
    assert len(hits("P.MISSING", ctx(printed[0], t_tables=[t7b]))) == 1


# ---------------------------------------------------------------- the reference package

def _reference_statements(text: str) -> list[Section]:
    """Part 3 七 allocation lines and 十一（四） counts, read from the published text."""
    statements = []
    for block in re.findall(r"项目名称：(.+?)\n.*?资金分配情况：(.+?)\n", text, flags=re.S):
        name, lines = block[0].strip(), block[1]
        for n, (label, amount) in enumerate(re.findall(r"([^；。,，]+?)([\d.]+)万元", lines), start=1):
            statements.append(Statement(subject=f"project:{name}:allocation:{n}", label=label.strip(), amount=D(amount)))
    m = re.search(r"财政拨款项目(\d+)个，涉及预算金额([\d.]+)万元；非财政拨款项目(\d+)个，涉及预算金额([\d.]+)万元", text)
    assert m
    statements += [Statement(subject="performance:fiscal", count=int(m.group(1)), amount=D(m.group(2))),
                   Statement(subject="performance:nonfiscal", count=int(m.group(3)), amount=D(m.group(4)))]
    return [Section(id="general_project", part=3, title="七", paragraphs=[Paragraph(text="", statements=statements)])]


def _reference_t7(text: str) -> Table:
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "一般公共预算项目支出情况表")
    rows = []
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "合 计")
    cells = [l.strip() for l in lines[start:end] if l.startswith("\t")]
    for i in range(len(cells) - 5):
        if re.fullmatch(r"\d{3}", cells[i]) and re.fullmatch(r"\d{2}", cells[i + 1]) and re.fullmatch(r"\d{2}", cells[i + 2]):
            code = cells[i] + cells[i + 1] + cells[i + 2]
            rows.append(Row(key=f"p:{code}:{cells[i + 3]}", code=code, name=cells[i + 3],
                            cells={"project_name": Cell(text=cells[i + 4]), "total": Cell(value=D(cells[i + 5]))}))
    return Table(kind="general_project", title="一般公共预算项目支出情况表", number="表7", rows=rows)


@pytest.fixture(scope="module")
def reference_findings(shared):
    text = CHANGJI_TEXT.read_text(encoding="utf-8")
    tables = load_tables(EXAMPLE / "performance.yaml")
    t7 = _reference_t7(text)
    assert len(t7.rows) == 10
    t3 = Table(kind="expenditure", title="部门支出总体情况表", rows=[Row(key="total", cells={"project": Cell(value=D("4953.25"))})])
    d = Disclosure(unit_name="昌吉州自然资源局", profile="xinjiang", title="2023年部门预算", origin="read",
                   performance=as_printed(tables), sections=_reference_statements(text), tables=[t7, t3])
    return run(Context(d, profile={"performance_weight_total": 90}), [r for r in RULES.values() if r.category == "performance"])


def test_reference_findings(reference_findings):
    by_rule: dict[str, list] = {}
    for f in reference_findings:
        by_rule.setdefault(f.rule, []).append(f)
    # no 满意度指标 in any of the 17 department tables (the area and detail tables have one)
    assert len(by_rule.pop("P.LEVELS.REQUIRED")) == 17
    # the detail table prints 二级 “服务对象” for 服务对象满意度指标
    assert [f.stated for f in by_rule.pop("P.LEVEL2.VALID")] == ["服务对象"]
    # the central-transfer area table prints bare values ("5", "100%") without comparators
    quant = by_rule.pop("P.QUANT.COMPLETE")
    assert len(quant) == 1 and "9 个定量指标未写比较符" in quant[0].message
    # 土方工程量（立方米） >=29万立方米
    assert [(f.stated, f.expected) for f in by_rule.pop("P.UNIT.MISMATCH")] == [("万立方米", "立方米")]
    # Part 3 七 allocations: 卫片执法 10+10 vs 30 of cost indicators; 确权 179.8+303 vs 483.8
    alloc = {f.subject: (f.stated, f.expected) for f in by_rule.pop("P.COST.ALLOCATION")}
    assert alloc == {"卫片执法专项经费": (D(30), D(20)), "昌吉州自然资源统一确权登记工作": (D("483.8"), D("482.8"))}
    # 项目支出 4953.25 but the tables cover 4679.37
    missing = by_rule.pop("P.MISSING")
    assert len(missing) == 1 and missing[0].expected - missing[0].stated == D("273.88")
    assert by_rule == {}  # weights, totals, table-7 amounts, cost ceilings, the summary sentence all agree
