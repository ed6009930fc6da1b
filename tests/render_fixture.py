"""A Disclosure built by hand following docs/disclosure-keys.md, and the composed example when present.

The renderer tests use the composed example (examples/changji-natural-resources-2023) once
composition can build it; until then they use this hand-built one, which has every shape the
renderers must handle: a two-sided table, function rows at 类/款/项, a 16-column table with grouped
headers, economic rows, project rows, an empty table with its note, 三公, narrative sections and
performance-target tables.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from yusuan.disclosure import Cell, Column, Disclosure, Paragraph, PrintedPerformance, Row, Section, Table
from yusuan.model.performance import Indicator, PerformanceTable, parse_target

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "changji-natural-resources-2023"


def composed_example() -> Disclosure | None:
    """The example composed by yusuan.compose, or None while composition or the example is missing."""
    try:
        from yusuan.compose import compose
        from yusuan.load import load_package
    except ImportError:
        return None
    if not EXAMPLE.exists():
        return None
    try:
        return compose(load_package(EXAMPLE))
    except Exception:  # composition under construction: fall back to the hand-built disclosure
        return None


def _row(key, name, cells, code=None, level=None, role="item", side=None):
    return Row(key=key, code=code, name=name, level=level, role=role, side=side,
               cells={k: Cell(text=str(v), value=D(v)) if not isinstance(v, str) or v[:1].isdigit() else Cell(text=v)
                      for k, v in cells.items()})


FUNCTIONS = [  # code, name, level, T2 amounts by source column
    ("208", "社会保障和就业支出", "类", "170.11"),
    ("20805", "行政事业单位养老支出", "款", "170.11"),
    ("2080501", "行政单位离退休", "项", "3.90"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "项", "166.21"),
    ("220", "自然资源海洋气象等支出", "类", "4708.62"),
    ("22001", "自然资源事务", "款", "4708.62"),
    ("2200101", "行政运行", "项", "1808.62"),
    ("2200106", "自然资源利用与保护", "项", "2900.00"),
]

T2_COLUMNS = [
    Column(key="total", label="总计"),
    Column(key="s:fiscal", label="财政拨款(补助)小计", group="财政拨款（补助）"),
    Column(key="s:general", label="一般公共预算", group="财政拨款（补助）"),
    Column(key="s:general_transfer", label="上级一般公共预算安排的转移支付", group="财政拨款（补助）"),
    Column(key="s:fund", label="政府性基金预算", group="财政拨款（补助）"),
    Column(key="s:fund_transfer", label="上级政府性基金安排的转移支付", group="财政拨款（补助）"),
    Column(key="s:capital", label="国有资本经营预算", group="财政拨款（补助）"),
    Column(key="s:capital_transfer", label="上级国有资本经营预算安排的转移支付", group="财政拨款（补助）"),
    Column(key="s:special_account", label="财政专户（教育收费）"),
    Column(key="s:unit_funds", label="单位资金"),
    Column(key="s:carryover_fiscal", label="财政拨款结转"),
    Column(key="s:carryover_nonfiscal", label="非财政拨款结转结余"),
]


def _t1() -> Table:
    inc = [("s:current_year", "一、本年收入", "4878.73", "subtotal"), ("s:general_budget", "1.一般公共预算拨款", "4878.73", "subtotal"),
           ("s:general", "其中：一般财力", "2966.73", "item"), ("s:general_transfer", "上级一般公共预算安排转移支付", "1912.00", "item"),
           ("s:carryover", "二、上年结转结余", "0", "subtotal"), ("income_total", "收入总计", "4878.73", "total")]
    exp = [("f:201", "201", "一般公共服务支出", None), ("f:208", "208", "社会保障和就业支出", "170.11"),
           ("f:220", "220", "自然资源海洋气象等支出", "4708.62")]
    rows = [_row(k, n, {"amount": v}, role=r, side="income") for k, n, v, r in inc]
    rows += [Row(key=k, code=c, name=n, level="类", side="expenditure",
                 cells={"amount": Cell(text=v or "", value=D(v) if v else None)}) for k, c, n, v in exp]
    rows.append(_row("expenditure_total", "支出总计", {"amount": "4878.73"}, role="total", side="expenditure"))
    return Table(kind="income_expenditure", number="表1", title="部门收支总体情况表",
                 columns=[Column(key="amount", label="预算数")], rows=rows)


def _t2() -> Table:
    rows = []
    for code, name, level, v in FUNCTIONS:
        general = D(v) if code[:3] == "208" else D(v) - D("1912.00") * (len(code) < 7 or code == "2200106")
        cells = {"total": v, "s:fiscal": v, "s:general": str(general),
                 "s:general_transfer": str(D(v) - general)}
        rows.append(_row(f"f:{code}", name, cells, code=code, level=level))
    rows.append(_row("total", "合计", {"total": "4878.73", "s:fiscal": "4878.73", "s:general": "2966.73",
                                      "s:general_transfer": "1912.00"}, role="total"))
    return Table(kind="income", number="表2", title="部门收入总体情况表", columns=T2_COLUMNS, rows=rows)


def _t3() -> Table:
    basic = {"2080501": "3.90", "2080505": "166.21", "2200101": "1808.62", "2200106": "0"}
    rows = []
    for code, name, level, v in FUNCTIONS:
        b = sum((D(x) for c, x in basic.items() if c.startswith(code)), D(0))
        rows.append(_row(f"f:{code}", name, {"total": v, "basic": str(b), "project": str(D(v) - b)}, code=code, level=level))
    rows.append(_row("total", "合计", {"total": "4878.73", "basic": "1978.73", "project": "2900.00"}, role="total"))
    cols = [Column(key="total", label="合计"), Column(key="basic", label="基本支出"), Column(key="project", label="项目支出")]
    return Table(kind="expenditure", number="表3", title="部门支出总体情况表", columns=cols, rows=rows)


def _t6() -> Table:
    rows = [
        _row("e:301", "工资福利支出", {"total": "1800.00", "personnel": "1800.00"}, code="301", level="类"),
        _row("e:30101", "基本工资", {"total": "1000.00", "personnel": "1000.00"}, code="30101", level="款"),
        _row("e:30102", "津贴补贴", {"total": "800.00", "personnel": "800.00"}, code="30102", level="款"),
        _row("e:302", "商品和服务支出", {"total": "178.73", "public": "178.73"}, code="302", level="类"),
        _row("e:30201", "办公费", {"total": "164.00", "public": "164.00"}, code="30201", level="款"),
        _row("e:30217", "公务接待费", {"total": "0.74", "public": "0.74"}, code="30217", level="款"),
        _row("e:30231", "公务用车运行维护费", {"total": "14.00", "public": "14.00"}, code="30231", level="款"),
        _row("total", "合计", {"total": "1978.73", "personnel": "1800.00", "public": "178.73"}, role="total"),
    ]
    cols = [Column(key="total", label="合计", group="一般公共预算基本支出"),
            Column(key="personnel", label="人员经费", group="一般公共预算基本支出"),
            Column(key="public", label="公用经费", group="一般公共预算基本支出")]
    return Table(kind="general_basic", number="表6", title="一般公共预算基本支出情况表", columns=cols, rows=rows)


PROJECTS = [("国土变更调查工作项目", "20.00"), ("自然灾害防治体系建设（特大型地质灾害防治）补助资金", "1760.00"),
            ("历史遗留废弃工矿土地整治项目", "1120.00")]


def _t7() -> Table:
    econ = ["e:301", "e:302", "e:303", "e:307", "e:309", "e:310", "e:311", "e:312", "e:313", "e:399"]
    labels = ["工资福利支出", "商品和服务支出", "对个人和家庭的补助", "债务利息及费用支出", "资本性支出（基本建设）",
              "资本性支出", "对企业补助（基本建设）", "对企业补助", "对社会保障基金补助", "其他支出"]
    cols = [Column(key="project_name", label="项目名称"), Column(key="total", label="项目支出合计")]
    cols += [Column(key=k, label=lab, group="按经济分类") for k, lab in zip(econ, labels)]
    rows = [_row("f:220", "自然资源海洋气象等支出", {"total": "2900.00", "e:302": "1780.00", "e:310": "1120.00"}, code="220", level="类"),
            _row("f:22001", "自然资源事务", {"total": "2900.00", "e:302": "1780.00", "e:310": "1120.00"}, code="22001", level="款")]
    for name, v in PROJECTS:
        e = "e:310" if "整治" in name else "e:302"
        rows.append(_row(f"p:2200106:{name}", "自然资源利用与保护", {"project_name": name, "total": v, e: v},
                         code="2200106", level="项"))
    rows.append(_row("total", "合计", {"total": "2900.00", "e:302": "1780.00", "e:310": "1120.00"}, role="total"))
    return Table(kind="general_project", number="表7", title="一般公共预算项目支出情况表", columns=cols, rows=rows)


def _t8() -> Table:
    cols = [Column(key="total", label="合计"), Column(key="basic", label="基本支出"), Column(key="project", label="项目支出")]
    return Table(kind="fund_expenditure", number="表8", title="政府性基金预算支出情况表", columns=cols,
                 rows=[_row("total", "合计", {}, role="total")],
                 empty_note="我单位没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。")


def _t10() -> Table:
    cols = [Column(key="total", label="合计"), Column(key="s:general_budget", label="一般公共预算", group="资金来源"),
            Column(key="s:fund_budget", label="政府性基金", group="资金来源"),
            Column(key="s:capital_budget", label="国有资本经营预算", group="资金来源")]
    spec = [("sangong:total", "合计", "14.74", "total"), ("sangong:abroad", "因公出国（境）费", None, "item"),
            ("sangong:reception", "公务接待费", "0.74", "item"), ("sangong:vehicle", "公务用车购置及运行费（小计）", "14.00", "subtotal"),
            ("sangong:vehicle_purchase", "其中：公务用车购置费", None, "item"), ("sangong:vehicle_operation", "公务用车运行费", "14.00", "item")]
    rows = [_row(k, n, {"total": v, "s:general_budget": v} if v else {}, role=r) for k, n, v, r in spec]
    return Table(kind="sangong", number="表10", title="财政拨款“三公”经费支出情况表", columns=cols, rows=rows)


def _performance() -> list[PrintedPerformance]:
    def ind(l1, l2, name, target, weight):
        return Indicator(level1=l1, level2=l2, name=name, target=parse_target(target), basis="其他标准",
                         last_year="7", weight=D(weight), scoring="按照正常比例赋分", evidence="工作资料")

    t1 = PerformanceTable(
        project="国土变更调查工作项目", budget_unit="昌吉回族自治州自然资源局", owner="王慧", fiscal=D("20"), other=D(0),
        goal="完成7个县市全国土地变更调查工作，开展督导检查1次。",
        indicators=[ind("产出指标", "数量指标", "完成县市2022年全国土地变更调查（个）", "=7个", "10"),
                    ind("产出指标", "数量指标", "开展督导检查工作（次）", "=1次", "10"),
                    ind("产出指标", "质量指标", "外业实地核查率（%）", "=100%", "10"),
                    ind("产出指标", "时效指标", "工作按时完成率（%）", "=100%", "10"),
                    ind("成本指标", "经济成本指标", "7个县市外业核实经费（万元）", "<=10万元", "10"),
                    ind("成本指标", "经济成本指标", "7个县市内业核实经费（万元）", "<=10万元", "10"),
                    ind("效益指标", "社会效益指标", "保障国土调查成果的先势性和准确性", "有效保障", "30")])
    t2 = PerformanceTable(
        format="area", project=PROJECTS[1][0], fiscal=D("1760"),
        extra={"专项名称": PROJECTS[1][0], "自治区主管部门": "自治区自然资源厅"},
        goal="开展5个县市地质灾害风险调查评价工作。",
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="地质灾害群专结合监测预警（处）", target=parse_target("30")),
                    Indicator(level1="满意度指标", level2="服务对象满意度指标", name="受益人群满意度", target=parse_target("≥90%"))])
    return [PrintedPerformance(table=t1), PrintedPerformance(table=t2)]


def _sections() -> list[Section]:
    def sec(id, part, title, *texts):
        return Section(id=id, part=part, title=title, paragraphs=[Paragraph(text=t) for t in texts])

    return [
        sec("overview.functions", 1, "一、主要职能", "（一）履行全民所有土地、矿产、森林、草原等自然资源资产所有者职责。",
            "（二）负责自然资源调查监测评价。"),
        sec("overview.institutions", 1, "二、机构设置及人员情况", "昌吉州自然资源局无下属预算单位，下设12个科室。",
            "昌吉州自然资源局编制数65人，实有人数103人，其中：在职64人，减少2人；退休39人，增加2人；离休0人，增加0人。"),
        sec("summary", 3, "一、收入支出预算总体情况说明", "昌吉州自然资源局2023年收入、支出预算总计4878.73万元。"),
        sec("fund", 3, "八、政府性基金预算支出情况说明", "昌吉州自然资源局2023年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。"),
        sec("other.performance", 3, "十一、预算绩效情况说明", "2023年实行绩效目标管理的项目3个，涉及财政性资金合计2900.00万元。"),
        sec("glossary", 4, "名词解释", "一、财政拨款：指由一般公共预算、政府性基金预算、国有资本经营预算安排的资金。",
            "二、基本支出：包括人员经费、公用经费（定额）。"),
    ]


def hand_disclosure(draft: bool = False) -> Disclosure:
    return Disclosure(
        unit_name="昌吉州自然资源局", budget_year=2023, profile="xinjiang", title="昌吉州自然资源局2023年部门预算公开",
        sections=_sections(), tables=[_t1(), _t2(), _t3(), _t6(), _t7(), _t8(), _t10()], performance=_performance(),
        signature="昌吉州自然资源局", date_text="2023年1月31日", draft=draft,
    )


def disclosure_under_test() -> Disclosure:
    return composed_example() or hand_disclosure()
