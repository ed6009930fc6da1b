"""Sentence parsing, independent of any file format: paragraphs in, statements and findings out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.disclosure import Location, Row, Table
from yusuan.read.names import NameIndex
from yusuan.read.narrative import NarrativeContext, parse_paragraph

D = Decimal


@pytest.fixture()
def ctx():
    t = Table(kind="general_expenditure", title="一般公共预算支出情况表", rows=[
        Row(key="f:210", code="210", name="卫生健康支出", level="类"),
        Row(key="f:21011", code="21011", name="行政事业单位医疗", level="款"),
        Row(key="f:2101101", code="2101101", name="行政单位医疗", level="项"),
        Row(key="f:2101102", code="2101102", name="事业单位医疗", level="项"),
    ])
    e = Table(kind="general_basic", title="一般公共预算基本支出情况表", rows=[
        Row(key="e:30101", code="30101", name="基本工资", level="款"),
        Row(key="e:30299", code="30299", name="其他和服务支出", level="款"),
    ])
    return NarrativeContext(names=NameIndex.build([t, e], 2023))


LOC = Location(file="x.txt", paragraph=1)


def one(statements, subject):
    found = [s for s in statements if s.subject == subject]
    assert len(found) == 1, [s.subject for s in statements]
    return found[0]


def test_direction_words_sign_change_and_rate(ctx):
    sts = parse_paragraph("expenditure", "基本支出100.50万元，占20.10%，比上年预算减少10万元，下降9.05%，主要原因是：人员减少。", ctx, LOC)
    s = one(sts, "expenditure:basic")
    assert (s.amount, s.share, s.share_of, s.change, s.rate) == (D("100.50"), D("20.10"), "total", D(-10), D("-9.05"))
    assert (s.change_word, s.rate_word, s.reason) == ("减少", "下降", "人员减少")
    assert s.location == LOC



@pytest.mark.parametrize("option", ["增加（减少）", "增长(下降)", "增（减）", "减少（增加）"])
def test_a_direction_option_left_in_is_a_change_of_unknown_direction(ctx, option):
    sts = parse_paragraph("expenditure", f"基本支出100.50万元，比上年预算{option}10万元，主要原因是：人员减少。", ctx, LOC)
    s = one(sts, "expenditure:basic")
    assert s.amount == D("100.50") and s.change is not None and s.change.is_nan()  # stated, direction unknown
    assert s.change_word == option.replace("（", "(").replace("）", ")")
    # an ordinary change stays what it says
    sts = parse_paragraph("expenditure", "基本支出100.50万元，比上年预算增加10万元。", ctx, LOC)
    assert one(sts, "expenditure:basic").change == D(10)

def test_reason_in_the_next_sentence_and_full_width_forms(ctx):
    text = "一般公共预算拨款合计１２０万元，其中：基本支出100万元，比上年预算增加 10 万元，增长 11.11 %。主要原因是：人员增加。项目支出20万元，比上年预算减少5万元，下降20%。"
    sts = parse_paragraph("general", text, ctx, LOC)
    assert one(sts, "general:total").amount == D(120)
    basic = one(sts, "general:basic")
    assert (basic.change, basic.rate, basic.reason) == (D(10), D("11.11"), "人员增加")
    project = one(sts, "general:project")
    assert (project.change, project.rate, project.reason) == (D(-5), D(-20), None)


def test_zero_base_and_new(ctx):
    s = one(parse_paragraph("income", "单位资金50万元，占10%，比上年预算增加50万元，增长100%，主要原因是新纳入预算。", ctx, LOC), "income:unit_funds")
    assert (s.zero_base, s.rate, s.change) == ("增长100%", None, D(50))
    s = one(parse_paragraph("income", "财政拨款结转20万元，比上年新增20万元。", ctx, LOC), "income:carryover_fiscal")
    assert s.zero_base == "新增" and s.rate is None


def test_function_item_detail_resolved_by_names(ctx):
    text = "2.卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）: 2023年预算数为26.08万元，比上年预算数增加1.11万元，增长4.45%，主要原因是：人员变动。"
    s = one(parse_paragraph("general", text, ctx, LOC), "general:function:2101102")
    assert (s.amount, s.change, s.rate, s.reason) == (D("26.08"), D("1.11"), D("4.45"), "人员变动")


@pytest.mark.parametrize("chain", ["卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项：",
                                   "卫生健康支出（类行政事业单位医疗（款）事业单位医疗（项）：",
                                   "卫生健康支出（210类）行政事业单位医疗（11款）事业单位医疗（02项”"])
def test_function_item_detail_missing_a_closing_bracket_is_still_read(ctx, chain):
    """A dropped “）” (W.PUNCT.UNPAIRED reports it) does not hide the item and its amount from the rules."""
    text = "2." + chain + "2023年预算数为26.08万元，比上年预算数增加1.11万元。"
    s = one(parse_paragraph("general", text, ctx, LOC), "general:function:2101102")
    assert (s.amount, s.change) == (D("26.08"), D("1.11"))


def test_unknown_item_is_a_finding_not_a_guess(ctx):
    text = "3.卫生健康支出（类）行政事业单位医疗（款）不存在的项目（项）: 2023年预算数为1万元。"
    sts = parse_paragraph("general", text, ctx, LOC)
    assert sts[0].subject == "general:function:?不存在的项目"
    assert [f.rule for f in ctx.findings] == ["R.NAME.UNRESOLVED"]
    assert ctx.findings[0].category == "reading" and ctx.findings[0].location == LOC


def test_economic_items_by_table_or_catalogue_name(ctx):
    sts = parse_paragraph("general_basic", "公用经费30万元，主要包括：其他商品和服务支出16.17万元、基本工资3万元。", ctx, LOC)
    assert one(sts, "general:public").amount == D(30)
    assert one(sts, "general:economic:30299").amount == D("16.17")  # the table misprints the name
    assert one(sts, "general:economic:30101").amount == D(3)


def test_unresolved_figure_becomes_a_finding(ctx):
    sts = parse_paragraph("expenditure", "神秘支出5万元。", ctx, LOC)
    assert sts == []
    assert [f.rule for f in ctx.findings] == ["R.TEXT.SUBJECT"]


def test_blank_amount_is_reported(ctx):
    sts = parse_paragraph("other.procurement", "政府采购预算10万元，其中：政府采购货物预算10万元，政府采购工程预算     万元。", ctx, LOC)
    assert one(sts, "procurement:works").amount is None
    assert one(sts, "procurement:goods").amount == D(10)
    assert "R.NUMBER.BLANK" in [f.rule for f in ctx.findings]


def test_project_paragraphs_in_order(ctx):
    lines = ["项目名称：测试（一期）项目", "预算安排规模：30万元", "资金分配情况：甲经费10万元；乙经费20万元。",
             "资金执行时间：2023年1月1日-2023年12月31日"]
    sts = [s for line in lines for s in parse_paragraph("general_project", line, ctx, LOC)]
    assert sts[0].subject == "project:测试（一期）项目:name"  # printed brackets kept in the key
    assert one(sts, "project:测试（一期）项目:scale").amount == D(30)
    allocations = [(s.label, s.amount) for s in sts if ":allocation:" in s.subject]
    assert allocations == [("甲经费", D(10)), ("乙经费", D(20))]
    assert one(sts, "project:测试（一期）项目:period").label == "2023年1月1日-2023年12月31日"


def test_staffing_counts_and_changes(ctx):
    sts = parse_paragraph("overview.institutions", "编制数10人，实有人数12人，其中：在职8人，减少1人；退休4人，增加1人；离休0人。", ctx, LOC)
    assert one(sts, "staff:authorized").count == 10
    assert (one(sts, "staff:active").count, one(sts, "staff:active").change) == (8, D(-1))
    assert one(sts, "staff:retired").change == D(1)
    assert one(sts, "staff:veteran").count == 0


def test_unchanged_wording(ctx):
    s = one(parse_paragraph("other.operating_costs", "机关运行经费财政拨款预算10万元，与上年预算持平，主要原因是无变化。", ctx, LOC), "operating_costs")
    assert (s.amount, s.change, s.change_word, s.reason) == (D(10), D(0), "持平", "无变化")


def test_shanghai_budget_notes_wording(ctx):
    text = "2025年，某局收入预算3,121.42万元，其中：财政拨款收入3,121.42万元，比2024年（上一年度，下同）预算增加107.62万元；事业收入0万元。"
    sts = parse_paragraph("summary", text, ctx, LOC)
    assert one(sts, "total").amount == D("3121.42")
    fiscal = one(sts, "income:fiscal")
    assert (fiscal.amount, fiscal.change) == (D("3121.42"), D("107.62"))
    assert one(sts, "income:business").amount == D(0)
    detail = "2.“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”1,002.63万元，主要用于医疗。2022年当年预算执行数为1.48万元，2023年预算安排1,002.63万元，比2022年预算执行数增加77.70%。主要原因是：经费增加。"
    s = one(parse_paragraph("summary", detail, ctx, LOC), "general:function:2101101")
    assert (s.amount, s.last_year, s.rate, s.reason) == (D("1002.63"), D("1.48"), D("77.70"), "经费增加")
    s = one(parse_paragraph("sangong", "（三）、公务接待费1.35万元，与2024年预算一致。", ctx, LOC), "sangong:reception")
    assert (s.amount, s.change, s.change_word) == (D("1.35"), D(0), "一致")
    assert ctx.findings == []
