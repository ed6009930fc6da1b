"""The Changji 2023 example against the published package it transcribes.

The expected values are parsed from the reference text (tests may read /work/shared), not typed in:
every row of tables 1, 2, 3, 5, 6, 7 and 10 is compared with what ``yusuan.derive`` computes from the
example's facts. Where the published package contradicts itself, the example keeps the figure the
leaves support; each such cell is listed in an explicit ``*_DIFFERENCES`` dict below with
(printed, derived), so a new disagreement fails and a fixed one fails too.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.conftest import CHANGJI_TEXT
from yusuan import catalog, derive
from yusuan.amounts import growth_rate, normalise_text, parse_amount, percent

ZERO = Decimal(0)
D = Decimal


# ---------------------------------------------------------------- reading the reference text

@pytest.fixture(scope="module")
def lines(shared) -> list[str]:
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    return CHANGJI_TEXT.read_text(encoding="utf-8").split("\n")


def _table_lines(lines: list[str], number: int) -> list[str]:
    """The lines of table N: from the line '表N' to the next '表N+1' (or Part 3)."""
    start = lines.index(f"表{number}")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() in (f"表{number + 1}",) or lines[end].startswith("第三部分"):
            return lines[start:end]
    raise AssertionError(f"表{number} 没有结尾")


def _rows(block: list[str]) -> list[list[str]]:
    """Rows of cells. A row ends at an empty line; a cell line with only a tab or '　' is an empty cell."""
    rows, row = [], []
    for line in block:
        if line.strip(" \r") == "":
            if row:
                rows.append(row)
            row = []
            continue
        row.append(line.replace("\t", "").replace("\u3000", " ").strip())
    if row:
        rows.append(row)
    return rows


def _coded_rows(block: list[str], width: int) -> list[list[str]]:
    """Rows whose first cell is a 3-digit code, with continuation rows (Word wrapped a row) merged in."""
    out: list[list[str]] = []
    pending: list[str] | None = None
    for row in _rows(block):
        if pending is not None and len(pending) < width:
            pending.extend(row)
            continue
        if re.fullmatch(r"\d{3}", row[0]) or (not row[0] and "合计" in {normalise_text(c) for c in row[:5]}):
            pending = list(row)
            out.append(pending)
        else:
            pending = None
    for row in out:
        assert len(row) == width, f"行宽应为 {width}：{row}"
    return out


def _amount(cell: str) -> Decimal:
    value = parse_amount(cell)
    return ZERO if value is None else value


def _function_rows(lines, number: int, width: int) -> dict[str, list[Decimal]]:
    """Function rows of tables 2, 3, 5 keyed by joined code ('208', '20805', '2080505', 'total')."""
    out = {}
    for row in _coded_rows(_table_lines(lines, number), width):
        key = "total" if not row[0] else "".join(row[:3])
        out[key] = [_amount(c) for c in row[4:]]
    return out


def _get(mapping: dict[str, Decimal], code: str) -> Decimal:
    return ZERO if code == "total" else mapping.get(code, ZERO)


def _total_or(mapping: dict[str, Decimal], code: str, whole: Decimal) -> Decimal:
    return whole if code == "total" else mapping.get(code, ZERO)


# ---------------------------------------------------------------- headline figures

def test_headline_totals(example_package):
    s = derive.summary(example_package)
    assert s.total == D("6128.18")  # 收支总计
    assert s.current_year == D("4878.73")  # 本年收入
    assert s.carryover == D("1249.45")  # 上年结转结余
    assert s.general_budget == D("4698.73")  # 一般公共预算拨款
    assert s.basic == D("1174.93")
    assert s.project == D("4953.25")
    assert s.personnel == D("1058.36")
    assert s.public == D("116.57")
    assert s.sangong == D("14.74")
    assert example_package.operating_costs == s.public  # 行政单位：机关运行经费 = 公用经费


def test_performance_counts_match_the_performance_section(example_package):
    """十一（四）：财政拨款项目14个 3802.5 万元；非财政拨款项目5个 876.87 万元（按绩效目标表）."""
    perf = example_package.performance
    if not perf:
        pytest.skip("performance.yaml 尚未提供")
    fiscal = [t for t in perf if t.fiscal > 0]
    other = [t for t in perf if t.other > 0]
    assert (len(fiscal), sum(t.fiscal for t in fiscal)) == (14, D("3802.5"))
    assert (len(other), sum(t.other for t in other)) == (5, D("876.87"))
    names = {p.name for p in example_package.projects}
    assert {t.project for t in perf} <= names
    # Each performance table's budget agrees with its project's funding (two tables share 确权登记).
    by_project: dict[str, Decimal] = {}
    for t in perf:
        by_project[t.project] = by_project.get(t.project, ZERO) + t.total
    for p in example_package.projects:
        if p.name in by_project:
            assert by_project[p.name] == p.total, p.name


# ---------------------------------------------------------------- table 1

# (row label) → (printed, derived). 表1 “其中：一般财力”印 2606.73，而 一般公共预算拨款 4698.73 − 上级转移支付
# 1912 = 2786.73（= 表2 一般公共预算列合计、第三部分二）；“5.单位资金”为空，而其下“其他收入”为 180。
T1_DIFFERENCES = {
    "其中：一般财力": (D("2606.73"), D("2786.73")),
    "5.单位资金": (ZERO, D("180")),
}

T1_INCOME = {
    "一、本年收入": "current_year",
    "1.一般公共预算拨款": "general_budget",
    "其中：一般财力": "general",
    "上级一般公共预算安排转移支付": "general_transfer",
    "2.基金预算拨款": "fund_budget",
    "3.国有资本经营预算拨款": "capital_budget",
    "4.财政专户核拨": "special_account",
    "5.单位资金": "unit_funds",
    "其中：事业收入": "business",
    "其他收入": "other",
    "二、上年结转结余": "carryover",
    "1.财政拨款结转": "carryover_fiscal",
    "其中：一般公共预算拨款": "carryover_general",
    "2.非财政拨款结转结余": "carryover_nonfiscal",
    "单位资金": "carryover_unit",
}


def test_table1(example_package, lines):
    rows = [r for r in _rows(_table_lines(lines, 1)) if len(r) == 4]
    income = {r[0]: r[1] for r in rows if r[0]}
    seen = set()
    for label, key in T1_INCOME.items():
        derived = derive.source_total(example_package, key)
        printed = _amount(income[label])
        if label in T1_DIFFERENCES:
            assert (printed, derived) == T1_DIFFERENCES[label], label
        else:
            assert printed == derived, f"{label}: 印 {printed}，推导 {derived}"
        seen.add(label)
    by_class = derive.by_function(example_package)
    classes = 0
    for r in rows:
        match = re.match(r"^(\d{3})\s*", r[2])
        if match:
            classes += 1
            assert _amount(r[3]) == by_class.get(match.group(1), ZERO), r
        if normalise_text(r[0]) == "收入总计":
            assert _amount(r[1]) == _amount(r[3]) == derive.total(example_package)
    assert classes == 30  # every 类 the template lists, empty ones too


# ---------------------------------------------------------------- table 2

T2_COLUMNS = ["all", "fiscal", "general", "general_transfer", "fund", "fund_transfer", "capital",
              "capital_transfer", "special_account", "unit_funds", "carryover_fiscal", "carryover_nonfiscal"]

# (row, column) → (printed, derived).
T2_DIFFERENCES = {
    # 208 05 款行印 170.10，其项 3.9 + 110.81 + 55.40 = 170.11（类行、表3、表5 均为 170.11）。
    ("20805", "all"): (D("170.10"), D("170.11")),
    ("20805", "fiscal"): (D("170.10"), D("170.11")),
    ("20805", "general"): (D("170.10"), D("170.11")),
    # “单位资金”列印 1115.26 = 其他收入 180 + 非财政拨款结转结余 935.26（表1），“非财政拨款结转结余”列为空。
    # 例子按表1 分开：其他收入 180 在机关运行保障经费（2200101，援疆经费），其余为单位资金结转。
    ("2200101", "unit_funds"): (D("309.17"), D("180")),
    ("2200102", "unit_funds"): (D("170"), ZERO),
    ("2200106", "unit_funds"): (D("258.39"), ZERO),
    ("2200109", "unit_funds"): (D("350"), ZERO),
    ("2200114", "unit_funds"): (D("27.7"), ZERO),
    ("22001", "unit_funds"): (D("1115.26"), D("180")),
    ("220", "unit_funds"): (D("1115.26"), D("180")),
    ("total", "unit_funds"): (D("1115.26"), D("180")),
    ("2200101", "carryover_nonfiscal"): (ZERO, D("129.17")),
    ("2200102", "carryover_nonfiscal"): (ZERO, D("170")),
    ("2200106", "carryover_nonfiscal"): (ZERO, D("258.39")),
    ("2200109", "carryover_nonfiscal"): (ZERO, D("350")),
    ("2200114", "carryover_nonfiscal"): (ZERO, D("27.7")),
    ("22001", "carryover_nonfiscal"): (ZERO, D("935.26")),
    ("220", "carryover_nonfiscal"): (ZERO, D("935.26")),
    ("total", "carryover_nonfiscal"): (ZERO, D("935.26")),
}


def test_table2_every_cell(example_package, lines):
    rows = _function_rows(lines, 2, 16)
    assert len(rows) == 31  # 30 function rows + 合计; 2101199 is there (line 410)
    derived = {col: derive.by_function(example_package, sources=None if col == "all" else col) for col in T2_COLUMNS}
    differences = {}
    for code, cells in rows.items():
        for col, printed in zip(T2_COLUMNS, cells):
            whole = derive.total(example_package, sources=None if col == "all" else col)
            value = _total_or(derived[col], code, whole)
            if printed != value:
                differences[(code, col)] = (printed, value)
    assert differences == T2_DIFFERENCES


# ---------------------------------------------------------------- tables 3 and 5

def test_table3_every_row(example_package, lines):
    rows = _function_rows(lines, 3, 7)
    assert len(rows) == 31
    cols = [derive.by_function(example_package), derive.by_function(example_package, kind="basic"),
            derive.by_function(example_package, kind="project")]
    wholes = [derive.total(example_package), derive.total(example_package, kind="basic"),
              derive.total(example_package, kind="project")]
    for code, cells in rows.items():
        got = [_total_or(c, code, w) for c, w in zip(cols, wholes)]
        assert cells == got, f"表3 {code}：印 {cells}，推导 {got}"


def test_table5_every_row(example_package, lines):
    rows = _function_rows(lines, 5, 7)
    assert len(rows) == 26
    gb = "general_budget"
    cols = [derive.by_function(example_package, sources=gb), derive.by_function(example_package, sources=gb, kind="basic"),
            derive.by_function(example_package, sources=gb, kind="project")]
    wholes = [derive.total(example_package, sources=gb), derive.total(example_package, sources=gb, kind="basic"),
              derive.total(example_package, sources=gb, kind="project")]
    for code, cells in rows.items():
        got = [_total_or(c, code, w) for c, w in zip(cols, wholes)]
        assert cells == got, f"表5 {code}：印 {cells}，推导 {got}"
    # 表5 的功能行 = 表3 中有一般公共预算的行；2200114/2200199/229 只有单位资金或结转。
    assert set(rows) - {"total"} == set(cols[0])


# ---------------------------------------------------------------- table 6

def _table6(lines) -> dict[str, tuple[str, list[Decimal]]]:
    out = {}
    for row in _rows(_table_lines(lines, 6)):
        if len(row) == 6 and re.fullmatch(r"\d{3}", row[0]):
            out[row[0] + row[1]] = (row[2], [_amount(c) for c in row[3:]])
        elif len(row) == 6 and normalise_text(row[2]) == "合计":
            out["total"] = (row[2], [_amount(c) for c in row[3:]])
    return out


def test_table6_every_row(example_package, lines):
    rows = _table6(lines)
    assert len(rows) == 33  # 3 类 + 29 款 + 合计
    econ = derive.by_economic(example_package)
    cat = catalog.load("economic", 2023)
    printed_names = {e.economic: e.printed_name for e in example_package.basic_economic}
    personnel, public = derive.personnel_public(example_package)
    for code, (name, (total, per, pub)) in rows.items():
        if code == "total":
            assert (total, per, pub) == (sum((v for k, v in econ.items() if len(k) == 3), ZERO), personnel, public)
            continue
        assert total == econ[code], code
        side = cat.personnel_or_public(code)
        assert (per, pub) == ((total, ZERO) if side == "人员经费" else (ZERO, total)), code
        if len(code) == 5:  # the printed name is the catalogue's, or kept as printed_name
            assert name == (printed_names[code] or cat.name(code)), code
    assert set(econ) == set(rows) - {"total"}


# ---------------------------------------------------------------- table 7

# 220 01 款行“项目支出合计”印 1762.8，其项目之和（及同行“商品和服务支出”列、类行、表5）为 1763.8。
T7_DIFFERENCES = {("22001", "total"): (D("1762.8"), D("1763.8"))}


def test_table7_every_row(example_package, lines):
    rows = _coded_rows(_table_lines(lines, 7), 16)
    general = {p.name: p for p in example_package.projects
               if any(f.source.value in ("general", "general_transfer") for f in p.funding)}
    by_class = derive.by_function(example_package, sources="general_budget", kind="project")
    differences, seen = {}, set()
    for row in rows:
        total, e302 = _amount(row[5]), _amount(row[7])
        if not row[0]:  # 合计
            assert total == derive.total(example_package, sources="general_budget", kind="project")
            continue
        code = "".join(row[:3])
        if len(code) == 7:
            project = general[row[4]]
            seen.add(project.name)
            assert project.function == code, project.name
            assert total == project.total == e302, project.name
            assert derive.project_by_economic(example_package, project.name) == {"302": e302}
        else:
            if total != by_class[code]:
                differences[(code, "total")] = (total, by_class[code])
            assert e302 == by_class[code], code
        assert all(v == ZERO for v in [_amount(c) for c in row[6:7] + row[8:]]), row
    assert seen == set(general)
    assert differences == T7_DIFFERENCES


# ---------------------------------------------------------------- table 10

def test_table10(example_package, lines):
    rows = {normalise_text(r[0]): [c for c in r[1:] if c != "（小计）"] for r in _rows(_table_lines(lines, 10))}
    sg = derive.sangong(example_package)
    expected = {"合计": "total", "因公出国（境）费": "abroad", "公务接待费": "reception",
                "公务用车购置及运行费": "vehicle", "其中：公务用车购置费": "vehicle_purchase", "公务用车运行费": "vehicle_operation"}
    for label, key in expected.items():
        row = next(v for k, v in rows.items() if k.endswith(normalise_text(label)))
        assert _amount(row[0]) == _amount(row[1]) == sg[key], label
    # 表10 与表6 的 302 款一致
    econ = derive.by_economic(example_package)
    assert sg["reception"] == econ["30217"] and sg["vehicle_operation"] == econ["30231"]


# ---------------------------------------------------------------- every published row traced to facts

def test_every_published_row_is_traced_to_facts(example_package, lines):
    """Walk the rows of tables 2, 3, 5, 6, 7 and find each 项 code, 款 code and project in the example."""
    functions = {line.function for line in derive.spending_lines(example_package)}
    for number, width in ((2, 16), (3, 7), (5, 7)):
        rows = _function_rows(lines, number, width)
        leaves = {code for code in rows if len(code) == 7}
        assert leaves <= functions, (number, leaves - functions)
        for code in rows:  # every 类/款 row has at least one leaf under it
            assert code == "total" or any(f.startswith(code) for f in functions), (number, code)
    economic = {e.economic for e in example_package.basic_economic}
    assert {c for c in _table6(lines) if len(c) == 5 and c.isdigit()} == economic
    names = {p.name: p.function for p in example_package.projects}
    for row in _coded_rows(_table_lines(lines, 7), 16):
        if row[0] and row[2]:
            assert names.get(row[4]) == "".join(row[:3]), row[4]


def test_every_fact_appears_in_the_tables(example_package, lines):
    """The converse of the row tests: no leaf of the example is missing from the published tables."""
    t3 = _function_rows(lines, 3, 7)
    for line in derive.spending_lines(example_package):
        assert line.function in t3, line
    t6 = _table6(lines)
    for e in example_package.basic_economic:
        assert e.economic in t6, e
    t7_names = {r[4] for r in _coded_rows(_table_lines(lines, 7), 16) if r[0] and r[2]}
    text = "\n".join(lines)
    for p in example_package.projects:
        if any(f.source.value.startswith("general") for f in p.funding):
            assert p.name in t7_names, p.name
        elif "未列名" not in p.name:  # named only in its performance table
            assert f"\t{p.name}" in text, p.name


# ---------------------------------------------------------------- Part 3 against the facts

def _paragraphs(lines, start: str, end: str) -> list[str]:
    i = next(n for n, l in enumerate(lines) if l.startswith(start))
    j = next(n for n in range(i + 1, len(lines)) if lines[n].startswith(end))
    return [l.strip() for l in lines[i + 1:j] if l.strip()]


_ITEM = re.compile(
    r"^\d+\.\s*(?P<lei>[^（]+)（类）(?P<kuan>[^（]+)（款）(?P<xiang>[^（]+)（项）:\s*2023年预算数为(?P<amount>[\d.]+)万元，"
    r"比上年预算数(?P<dir>增加|减少)(?P<change>[\d.]+)万元，(?:增长|下降|增加|减少)(?P<rate>[\d.]+)%，主要原因是：(?P<reason>.*?)。$"
)

# 项 names in 五（三）that differ from the catalogue's.
# code → (printed rate, computed rate). 2080505：15.29 / 95.52 = 16.007% → 16.01，印 16.00。
RATE_DIFFERENCES = {"2080505": (D("16.00"), D("16.01"))}


def test_general_items_last_year(example_package, lines):
    """五（三）：每项的本年数、上年数（本年 − 增减额）、增幅和原因都由例子复现。"""
    items = [m for m in (_ITEM.match(p) for p in _paragraphs(lines, "（三）一般公共预算当年拨款具体使用情况", "六、")) if m]
    assert len(items) == 16
    cat = catalog.load("function", 2023)
    general = derive.by_function(example_package, sources="general_budget")
    rates = {}
    for m in items:
        code = _code_for(cat, m["kuan"], m["xiang"])
        key = f"general:function:{code}"
        assert key in example_package.last_year, key
        prior = example_package.last_year[key]
        amount = D(m["amount"])
        change = D(m["change"]) * (-1 if m["dir"] == "减少" else 1)
        assert general.get(code, ZERO) == amount, code
        assert amount - prior.amount == change, code
        assert prior.reason == m["reason"], code
        computed = growth_rate(amount, prior.amount)
        printed = D(m["rate"]) * (-1 if change < 0 else 1)
        if computed is None:  # zero base: the package writes 增长/增加100%
            assert printed == 100, code
        elif computed != printed:
            rates[code] = (D(m["rate"]), abs(computed))
    assert rates == RATE_DIFFERENCES
    # The 16 items cover every 项 of the general budget plus 2200114 (0 this year, 10 last year).
    assert {k for k in general if len(k) == 7} | {"2200114"} == {
        k.rsplit(":", 1)[1] for k in example_package.last_year if k.startswith("general:function:")}


def _code_for(cat, kuan: str, xiang: str) -> str:
    """The 项 code for a (款, 项) pair of names: 项 names repeat across 款 (一般行政管理事务 …)."""
    codes = [c for c, e in cat.entries.items() if len(c) == 7 and e.name == xiang and cat.name(c[:5]) == kuan]
    assert len(codes) == 1, f"目录中找不到唯一的项“{kuan}/{xiang}”：{codes}"
    return codes[0]


def test_last_year_items_add_up_except_the_known_gap(example_package):
    """Last year's 项 figures add to 1197.17, the stated totals to 1197.15 (basic 1032.15 + project 165)."""
    ly = example_package.last_year
    items = sum((v.amount for k, v in ly.items() if k.startswith("general:function:")), ZERO)
    totals = ly["general:basic"].amount + ly["general:project"].amount
    assert totals == ly["income:general"].amount == D("1197.15")
    assert items - totals == D("0.02")  # 原文自相矛盾，见 README
    projects = {"2200102", "2200104", "2200106", "2200109", "2200114", "2240601"}
    project_items = sum((v.amount for k, v in ly.items() if k.startswith("general:function:") and k[-7:] in projects), ZERO)
    assert project_items == ly["general:project"].amount


_CHANGE = re.compile(r"(?P<amount>[\d.]+)万元，(?:占(?P<share>[\d.]+)%，)?比上年预算(?P<dir>增加|减少)(?P<change>[\d.]+)万元，"
                     r"(?:增长|下降)(?P<rate>[\d. ]+)%[，。]\s*主要原因是[：]?(?P<reason>.*?)[；;。 ]*$")

# subject → field → (printed, derived)
TEXT_DIFFERENCES = {
    # 二：“一般公共预算2786.73万元…增长132.80%”：1589.58 / 1197.15 = 132.78%。
    "income:general": {"rate": (D("132.80"), D("132.78"))},
    # 二：“单位资金1115.26万元…增加1115.26万元”含非财政拨款结转结余 935.26；单位资金（其他收入）为 180。
    "income:unit_funds": {"amount": (D("1115.26"), D("180")), "change": (D("1115.26"), D("180"))},
}


def _check_change(example_package, subject: str, sentence: str, current: Decimal, whole: Decimal | None = None):
    m = _CHANGE.search(sentence)
    assert m, sentence
    prior = example_package.last_year[subject]
    change = D(m["change"]) * (-1 if m["dir"] == "减少" else 1)
    rate = growth_rate(current, prior.amount)
    got = {
        "amount": (D(m["amount"]), current),
        "change": (change, current - prior.amount),
        "rate": (D(m["rate"].replace(" ", "")), D(100) if rate is None else rate),
        "reason": (m["reason"].strip(), prior.reason),
    }
    if whole is not None and m["share"]:
        got["share"] = (D(m["share"]), percent(current, whole))
    differences = {k: v for k, v in got.items() if v[0] != v[1]}
    assert differences == TEXT_DIFFERENCES.get(subject, {}), subject


def test_income_and_expenditure_changes(example_package, lines):
    """二、三、五（一）、十一（一）：增减额、增幅、占比、原因."""
    p = example_package
    whole = derive.total(p)
    income = _paragraphs(lines, "二、关于", "三、关于")
    spend = _paragraphs(lines, "三、关于", "四、关于")
    general = _paragraphs(lines, "（一）一般公共预算当年拨款规模变化情况", "（二）")
    find = lambda paras, prefix: next(s for s in paras if s.startswith(prefix))
    _check_change(p, "income:general", find(income, "一般公共预算"), derive.source_total(p, "general"), whole)
    _check_change(p, "income:general_transfer", find(income, "上级一般公共预算"), derive.source_total(p, "general_transfer"), whole)
    _check_change(p, "income:unit_funds", find(income, "单位资金"), derive.source_total(p, "unit_funds"))
    _check_change(p, "income:carryover_fiscal", find(income, "财政拨款结转"), derive.source_total(p, "carryover_fiscal"), whole)
    _check_change(p, "expenditure:basic", find(spend, "基本支出"), derive.total(p, kind="basic"), whole)
    _check_change(p, "expenditure:project", find(spend, "项目支出"), derive.total(p, kind="project"), whole)
    basic_part, project_part = general[0].split("其中：")[1].split("项目支出", 1)
    _check_change(p, "general:basic", basic_part.replace("。主要原因是", "，主要原因是").replace("13.83 %", "13.83%"),
                  derive.total(p, sources="general_budget", kind="basic"))
    _check_change(p, "general:project", ("项目支出" + project_part).replace("。主要原因是", "，主要原因是"),
                  derive.total(p, sources="general_budget", kind="project"))
    ops = _paragraphs(lines, "（一）机关运行经费情况", "（二）政府采购情况")[0]
    _check_change(p, "operating_costs", ops.replace("。主要原因是", "，主要原因是"), p.operating_costs)


# 五（二）结构：住房保障支出 87.29 / 4698.73 = 1.858% → 1.86，印 1.85（五项印出之和恰为 100.00）。
SHARE_DIFFERENCES = {"221": (D("1.85"), D("1.86"))}


def test_general_structure_shares(example_package, lines):
    paras = _paragraphs(lines, "（二）一般公共预算当年拨款结构情况", "（三）")
    by_class = derive.by_function(example_package, sources="general_budget")
    whole = derive.total(example_package, sources="general_budget")
    names = {normalise_text(r[2][3:]): r[2][:3] for r in _rows(_table_lines(lines, 1)) if len(r) == 4 and r[2][:3].isdigit()}
    differences = {}
    for para in paras:
        m = re.match(r"^\d\.(?P<name>\D+?)(?P<amount>[\d.]+)万元，占(?P<share>[\d.]+)%", para)
        code = names[normalise_text(m["name"])]
        assert D(m["amount"]) == by_class[code]
        if D(m["share"]) != percent(by_class[code], whole):
            differences[code] = (D(m["share"]), percent(by_class[code], whole))
    assert len(paras) == 5 and differences == SHARE_DIFFERENCES


def test_sangong_text(example_package, lines):
    para = _paragraphs(lines, "十、关于", "十一、")
    sg = derive.sangong(example_package)
    for label, key in (("因公出国（境）费", "abroad"), ("公务用车购置费", "vehicle_purchase"),
                       ("公务用车运行费", "vehicle_operation"), ("公务接待费", "reception")):
        m = re.search(label + r"([\d.]+)万元", para[0])
        assert D(m[1]) == sg[key], label
        m = re.search(label + r"增加([\d.]+)万元，增长0%，主要原因是(\w+)", para[2])
        prior = example_package.last_year[f"sangong:{key}"]
        assert sg[key] - prior.amount == D(m[1]) and prior.reason == m[2], label
    assert example_package.last_year["sangong:total"].amount == sg["total"]


def test_project_descriptions(example_package, lines):
    """七：每个项目的规模与事实一致；分配行之和 = 规模，只有两处原文不符（见 README）."""
    text = [l.strip() for l in lines]
    projects = {p.described_name or p.name: p for p in example_package.projects}
    printed_allocation_sums = {}
    count = 0
    for i, line in enumerate(text):
        if not line.startswith("项目名称："):
            continue
        count += 1
        project = projects[line.removeprefix("项目名称：")]
        scale = D(re.search(r"([\d.]+)万元", text[i + 2])[1])
        assert scale == project.total, project.name
        assert sum((a.amount for a in project.allocation), ZERO) == project.total, project.name
        printed = sum((D(x) for x in re.findall(r"([\d.]+)万元", text[i + 4])), ZERO)
        if printed != scale:
            printed_allocation_sums[project.name] = (printed, scale)
        assert project.period == text[i + 5].removeprefix("资金执行时间：")
        assert project.policy_basis == text[i + 1].removeprefix("设立的政策依据：")
    assert count == 10
    assert printed_allocation_sums == {
        "卫片执法专项经费": (D("20"), D("30")),  # 技术服务费印 10，按绩效目标表取 20
        "昌吉州自然资源统一确权登记工作": (D("482.8"), D("483.8")),  # 白杨河、开垦河印 303，按绩效目标表取 304
    }


def test_overview_and_texts(example_package, lines):
    o = example_package.overview
    assert len(o.functions) == 18 and len(o.divisions) == 12
    staffing = o.staffing
    assert staffing.actual == staffing.stated_actual == 103
    assert f"实有人数{staffing.actual}人" in lines[22] and f"编制数{staffing.authorized}人" in lines[22]
    for f in o.functions:
        assert any(l.strip().endswith(f) for l in lines[2:20]), f
    assert len(example_package.glossary) == 8
    for g in example_package.glossary:
        assert any(l.endswith(f"{g.term}：{g.definition}") for l in lines), g.term
    proc = example_package.procurement
    assert proc.total == D("3253.47") == proc.sme_reserved


# ---------------------------------------------------------------- table 4 and Part 3 一、四

# 表4 “一、财政拨款（补助）”行为空，其下一般公共预算 4698.73（收入总计亦为 4698.73）。
T4_DIFFERENCES = {"一、财政拨款（补助）": (ZERO, D("4698.73"))}


def test_table4(example_package, lines):
    """表4 只含本年财政拨款（本地区模板不含上年结转），各类按一般公共预算列。"""
    rows = [r for r in _rows(_table_lines(lines, 4)) if len(r) in (7, 8)]
    fiscal = derive.by_function(example_package, sources="fiscal")
    general = derive.by_function(example_package, sources="general_budget")
    income = {"一、财政拨款（补助）": "fiscal", "一般公共预算": "general_budget",
              "政府性基金预算": "fund_budget", "国有资本经营预算": "capital_budget"}
    differences, classes = {}, 0
    for r in rows:
        if r[0] in income:
            printed, derived = _amount(r[1]), derive.source_total(example_package, income[r[0]])
            if printed != derived:
                differences[r[0]] = (printed, derived)
        match = re.match(r"^(\d{3})", r[2])
        if match:
            classes += 1
            code = match.group(1)
            assert [_amount(c) for c in r[3:7]] == [fiscal.get(code, ZERO), general.get(code, ZERO), ZERO, ZERO], r
        if normalise_text(r[0]) == "收入总计":
            total = derive.source_total(example_package, "fiscal")
            assert [_amount(c) for c in (r[1], r[3], r[4])] == [total, total, total]
    assert classes == 30 and differences == T4_DIFFERENCES


def test_summary_sections(example_package, lines):
    """一、总体说明 and 四、财政拨款收支总体说明: every amount follows from the facts."""
    p = example_package
    one = "".join(_paragraphs(lines, "一、关于", "二、关于"))
    assert D(re.search(r"收支总预算([\d.]+)万元", one)[1]) == derive.total(p)
    for label, key in (("一般公共预算", "general_budget"), ("其他收入", "other"),
                       ("财政拨款结转结余", "carryover_fiscal"), ("非财政拨款结转结余", "carryover_nonfiscal")):
        assert D(re.search(r"、?" + label + r"([\d.]+)万元", one.split("收入预算包括：")[1])[1]) == derive.source_total(p, key), label
    names = {normalise_text(r[2][3:]): r[2][:3] for r in _rows(_table_lines(lines, 1)) if len(r) == 4 and r[2][:3].isdigit()}
    by_class = derive.by_function(p)
    spend = re.findall(r"(\D+?)([\d.]+)万元", one.split("支出预算包括：")[1])
    assert len(spend) == 6
    for name, amount in spend:
        assert D(amount) == by_class[names[normalise_text(name.strip("、"))]], name
    four = "".join(_paragraphs(lines, "四、关于", "五、关于"))
    assert D(re.search(r"财政拨款收支总预算([\d.]+)万元", four)[1]) == derive.source_total(p, "fiscal")
    fiscal = derive.by_function(p, sources="fiscal")
    found = re.findall(r"([^：。.，]+?支出)([\d.]+)万元", four.split("一般公共预算支出包括：")[1])
    assert len(found) == 5
    for name, amount in found:
        assert D(amount) == fiscal[names[normalise_text(name)]], name


# 六：文字中的科目名称与目录一致，只有一处与表6 的编码不符：表6 印“303 01 离休费”，文字写“退休费3.90万元”（30302）。
SECTION6_NAME_DIFFERENCES = {"30301": ("退休费", "离休费")}


def test_basic_spending_text(example_package, lines):
    paras = _paragraphs(lines, "六、关于", "七、关于")
    econ = derive.by_economic(example_package)
    cat = catalog.load("economic", 2023)
    personnel, public = derive.personnel_public(example_package)
    assert D(re.search(r"基本支出([\d.]+)万元", paras[0])[1]) == personnel + public
    items = []
    for para, expected in ((paras[1], personnel), (paras[2], public)):
        head, body = para.split("主要包括：")
        assert D(re.search(r"([\d.]+)万元", head)[1]) == expected
        items += re.findall(r"([^、\d.]+?)([\d.]+)万元", body)
    # The text lists 人员经费 (301, 303) first, then 公用经费 (302), each in table-6 order.
    order = [e.economic for e in example_package.basic_economic]
    codes = [c for c in order if cat.personnel_or_public(c) == "人员经费"] + [c for c in order if cat.personnel_or_public(c) != "人员经费"]
    assert len(items) == len(codes) == 29
    names = {}
    for code, (name, amount) in zip(codes, items):
        assert D(amount) == econ[code], code
        if not cat.names_match(code, name):
            names[code] = (name, cat.name(code))
    assert names == SECTION6_NAME_DIFFERENCES
