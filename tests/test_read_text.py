"""Reading the extracted text of the Changji 2023 reference package completely."""

from __future__ import annotations

import re
import time
from collections import Counter
from decimal import Decimal

import pytest

from tests.conftest import CHANGJI_TEXT, EXAMPLE
from yusuan.amounts import parse_amount

D = Decimal


@pytest.fixture(scope="module")
def result():
    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    from yusuan.read import read_file

    return read_file(CHANGJI_TEXT)


@pytest.fixture(scope="module")
def d(result):
    return result.disclosure


def _raw_lines():
    return CHANGJI_TEXT.read_text(encoding="utf-8").splitlines()


def test_identity(d):
    assert d.unit_name == "昌吉州自然资源局"
    assert d.budget_year == 2023 and d.phase == "budget" and d.origin == "read"
    assert d.profile == "xinjiang"
    assert d.date_text == "2023年1月31日"


def test_all_ten_tables_with_their_rows(d):
    expected = {"income_expenditure": 57, "income": 31, "expenditure": 31, "fiscal_income_expenditure": 36,
                "general_expenditure": 26, "general_basic": 33, "general_project": 15, "fund_expenditure": 1,
                "capital_expenditure": 1, "sangong": 6}
    assert {t.kind: len(t.rows) for t in d.tables} == expected
    assert [t.number for t in d.tables] == [f"表{i}" for i in range(1, 11)]
    assert all(t.unit == "万元" for t in d.tables)


def test_every_printed_number_of_part_two_is_in_a_table_cell(d):
    """Independent of the table logic: every numeric cell line between 第二部分 and 第三部分 must
    come back as exactly one table cell with that text (nothing dropped, nothing invented)."""
    lines = _raw_lines()
    start = next(i for i, l in enumerate(lines) if l.startswith("第二部分"))
    end = next(i for i, l in enumerate(lines) if l.startswith("第三部分"))
    raw = Counter()
    position = 0  # cell index within the printed row; codes sit in the first three cells
    code_row = False
    for line in lines[start:end]:
        if not line.strip(" \t") and not line.startswith("\t"):
            position = 0
            continue
        if line.startswith("\t"):
            text = line.strip("\t").strip()
            if position == 0:
                code_row = re.fullmatch(r"\d{3}", text) is not None
            is_code = code_row and position < 3 and re.fullmatch(r"\d{2,3}", text)
            if re.fullmatch(r"[\d,.\s\u3000]+", text) and re.search(r"\d", text) and not is_code:
                raw[parse_amount(text)] += 1
            position += 1
    read = Counter(c.value for t in d.tables for r in t.rows for c in r.cells.values() if c.value is not None)
    assert raw == read


def test_function_rows_codes_split_over_cells(d):
    t2 = d.table("income")
    keys = [r.key for r in t2.rows]
    assert keys[:5] == ["f:208", "f:20805", "f:2080501", "f:2080505", "f:2080506"]
    assert {r.level for r in t2.rows if r.key.startswith("f:")} == {"类", "款", "项"}
    # the 220 row is printed broken over two blocks: both halves must be read
    assert t2.value("f:220", "s:unit_funds") == D("1115.26")
    assert t2.value("f:220", "s:carryover_fiscal") == D("298.6")
    assert t2.value("total", "s:general") == D("2786.73")
    assert t2.row("f:2200114").name == "地质勘查与矿产资源管理"
    assert t2.value("f:20805", "total") == D("170.10")  # printed (the package says 170.11 elsewhere)


def test_stray_spaces_and_blank_cells(d):
    t6 = d.table("general_basic")
    cell = t6.row("e:30102").cells["total"]
    assert cell.value == D("176.97")
    assert t6.row("e:302").cells["personnel"].value is None  # '　' is blank, not zero
    assert t6.value("e:30299", "public") == D("16.17") and t6.row("e:30299").name == "其他和服务支出"
    assert d.table("general_expenditure").row("f:2200101").cells["project"].value == D(0)  # printed 0


def test_summary_tables_income_and_expenditure_sides(d):
    t1 = d.table("income_expenditure")
    assert t1.value("s:general", "amount") == D("2606.73")
    assert t1.value("s:general_transfer", "amount") == D("1912")
    assert t1.value("s:carryover_general", "amount") == D("314.19")
    assert t1.value("s:carryover_unit", "amount") == D("935.26")
    assert t1.value("s:other", "amount") == D("180")
    assert t1.row("f:210").name == "卫生健康支出" and t1.row("f:210").side == "expenditure"
    assert len(t1.rows_where("f:")) == 30  # 201 … 234 as printed
    assert t1.value("income_total", "amount") == t1.value("expenditure_total", "amount") == D("6128.18")
    t4 = d.table("fiscal_income_expenditure")
    assert t4.value("s:general_budget", "amount") == D("4698.73")
    assert t4.value("f:224", "s:general_budget") == D("1760")
    assert t4.value("expenditure_total", "total") == D("4698.73")


def test_project_table_rows(d):
    t7 = d.table("general_project")
    projects = t7.rows_where("p:")
    assert len(projects) == 10
    row = t7.row("p:2200102:卫片执法专项经费")
    assert row.name == "一般行政管理事务" and row.cells["project_name"].text == "卫片执法专项经费"
    assert row.value("total") == D("30") and row.value("e:302") == D("30")
    assert t7.value("f:22001", "total") == D("1762.8")  # as printed (Σ projects is 1763.8)
    assert t7.value("total", "total") == D("3523.8")


def test_empty_tables_and_sangong(d):
    assert "空表" in d.table("fund_expenditure").empty_note
    assert "空表" in d.table("capital_expenditure").empty_note
    t10 = d.table("sangong")
    assert [r.key for r in t10.rows] == ["sangong:total", "sangong:abroad", "sangong:reception", "sangong:vehicle",
                                         "sangong:vehicle_purchase", "sangong:vehicle_operation"]
    assert t10.value("sangong:vehicle", "total") == D("14") and t10.value("sangong:total", "s:general_budget") == D("14.74")


def _st(d, subject, section=None):
    found = [s for s in (d.section(section).statements() if section else d.statements()) if s.subject == subject]
    assert found, subject
    return found[0]


def test_income_and_expenditure_statements(d):
    assert _st(d, "income:general_budget", "summary").amount == D("4698.73")
    # beside 上级…转移支付, “一般公共预算” in section 二 is the unit's own level
    s = _st(d, "income:general", "income")
    assert (s.amount, s.share, s.share_of, s.change, s.rate) == (D("2786.73"), D("45.47"), "total", D("1589.58"), D("132.80"))
    assert s.reason == "项目经费安排较上年增加"
    u = _st(d, "income:unit_funds")
    assert u.zero_base == "增长100%" and u.rate is None and u.change == u.amount
    assert _st(d, "income:fund").amount == D(0)  # 政府性基金预算未安排（本级，因上级转移支付另列）
    p = _st(d, "expenditure:project")
    assert p.rate == D("2901.97") and "1912万元" in p.reason
    assert _st(d, "total").amount == D("6128.18")


def test_function_detail_statements_signed_and_resolved(d):
    details = [s for s in d.statements("general:function:") if len(s.subject.split(":")[-1]) == 7]
    assert len(details) == 16
    assert not [s for s in details if "?" in s.subject]
    medical = _st(d, "general:function:2101101")
    assert (medical.change, medical.rate, medical.rate_word) == (D("-2.44"), D("-7.68"), "下降")
    pension = _st(d, "general:function:2080505")  # printed name differs from the table's
    assert pension.amount == D("110.81")
    geo = _st(d, "general:function:2200114")
    assert (geo.amount, geo.change, geo.rate) == (D(0), D(-10), D(-100))
    assert _st(d, "general:function:220").share == D("55.80")
    assert _st(d, "general:project").reason.startswith("项目支出包括")


def test_basic_spending_statements(d):
    assert _st(d, "general:personnel").amount == D("1058.36")
    assert _st(d, "general:public").amount == D("116.57")
    econ = {s.subject: s.amount for s in d.statements("general:economic:")}
    assert len(econ) == 29
    assert econ["general:economic:30302"] == D("3.90")  # 退休费 in the text, 离休费 in table 6
    assert econ["general:economic:30299"] == D("16.17")


def test_all_ten_project_paragraphs(d):
    names = [s.label for s in d.statements() if s.subject.endswith(":name") and s.subject.startswith("project:")]
    assert len(names) == 10
    for name in names:
        scale = _st(d, f"project:{name}:scale")
        assert scale.amount is not None
        assert _st(d, f"project:{name}:period").label
        assert _st(d, f"project:{name}:allocation:1").amount is not None
    alloc = [s for s in d.statements("project:2023年中央自然灾害防治体系建设补助资金:allocation:")]
    assert [s.amount for s in alloc] == [D(520), D(300), D(940)]
    weipian = [s.amount for s in d.statements("project:卫片执法专项经费:allocation:")]
    assert sum(weipian) == D(20) and _st(d, "project:卫片执法专项经费:scale").amount == D(30)
    assert _st(d, "project:阜康市甘河子立交桥北侧历史遗留废弃工矿土地整治:period").label == "2023年2月1日-2023年11月30日"


def test_staff_sangong_other_statements(d):
    assert _st(d, "staff:authorized").count == 65
    assert (_st(d, "staff:active").count, _st(d, "staff:active").change) == (64, D(-2))
    assert _st(d, "staff:retired").change == D(2)
    s = _st(d, "sangong:vehicle_operation")
    assert (s.amount, s.change, s.rate, s.reason) == (D(14), D(0), D(0), "无变化")
    assert _st(d, "operating_costs").rate == D("2.11")
    assert _st(d, "procurement:services").amount == D("3193.80")
    assert _st(d, "procurement:works").amount is None
    assert _st(d, "assets:buildings_area").unit == "平方米"
    assert _st(d, "assets:vehicles").count == 5
    assert _st(d, "assets:equipment_over_100").count == 1
    perf = _st(d, "performance:nonfiscal")
    assert (perf.count, perf.amount) == (5, D("876.87"))


def test_nineteen_performance_tables(d):
    formats = Counter(p.table.format for p in d.performance)
    assert formats == {"department": 17, "area": 1, "transfer_detail": 1}
    area = next(p for p in d.performance if p.table.format == "area")
    assert area.table.fiscal == D(1760) and area.table.extra["专项实施期"] == "2023年"
    assert len(area.table.indicators) == 11
    first = d.performance[0]
    assert first.stated_total == D(20) and first.table.owner == "王慧"
    assert first.table.weight_total() == D(90)


def test_performance_tables_match_the_independent_transcription(d):
    """examples/…/performance.yaml was transcribed by hand from the same text by someone else."""
    path = EXAMPLE / "performance.yaml"
    if not path.exists():
        pytest.skip("示例的 performance.yaml 尚不存在")
    from yusuan.perf.tables import load_tables

    reference = load_tables(path)
    assert len(reference) == len(d.performance)
    for printed, ref in zip(d.performance, reference):
        t = printed.table
        assert t.printed_name == ref.printed_name
        assert (t.format, t.fiscal, t.other, t.goal, t.owner, t.budget_unit) == (ref.format, ref.fiscal, ref.other, ref.goal, ref.owner, ref.budget_unit)
        assert t.indicators == ref.indicators, t.printed_name


def test_only_expected_reading_findings(result):
    rules = Counter(f.rule for f in result.findings)
    assert rules == {"R.NUMBER.BLANK": 1}  # 政府采购工程预算     万元
    f = result.findings[0]
    assert f.category == "reading" and f.location.cell == "L2770"


def test_reading_time(capsys):
    from yusuan.read import read_file

    if not CHANGJI_TEXT.exists():
        pytest.skip(f"参考文件不存在：{CHANGJI_TEXT}")
    started = time.perf_counter()
    read_file(CHANGJI_TEXT)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n读取参考文本用时 {elapsed:.3f} 秒")
    assert elapsed < 5
