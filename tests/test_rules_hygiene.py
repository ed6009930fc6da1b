"""Text hygiene rules (H.*): one clean and one faulty text each."""

from __future__ import annotations

import pytest

from yusuan.rules.testing import add_statements, build_disclosure, run_rule, statement


def with_text(*texts, section="other.procurement", year=2023):
    d = build_disclosure()
    d.budget_year = year
    for t in texts:
        add_statements(d, section, text=t)
    return d


@pytest.mark.parametrize("rule_id, clean, faulty", [
    ("H.PLACEHOLDER", "依据《昌吉州自然资源统一确权登记工作方案》（昌州政办发【2020】53号）。", "XXX局2023年收支总预算××万元。"),
    ("H.PLACEHOLDER", "按照要求开展工作。", "此处填写项目说明【】"),
    ("H.AMOUNT.BLANK", "政府采购工程预算0万元，单位：万元，以万元为单位。", "政府采购工程预算     万元，政府采购服务预算3193.80万元。"),
    ("H.AMOUNT.BLANK", "单位价值50万元以上大型设备1台（套）。", "涉及预算金额万元。"),
    ("H.REASON.EMPTY", "比上年增加2万元，主要原因是：人员增加。", "比上年增加2万元，主要原因是。"),
    ("H.YEAR.COMPARISON", "比2022年预算增加2万元；与上年持平。", "比2021年预算增加2万元。"),
    ("H.YEAR.CURRENT", "2023年预算数为3.9万元，比2022年预算数增加0.2万元。", "2022年预算数为3.9万元。"),
    # the unit speaking of its own year, whatever words follow; a comparison with it is not
    ("H.YEAR.CURRENT", "示例自然资源局2023年所有收入和支出均纳入部门预算管理，比示例自然资源局2022年增加。",
     "示例自然资源局2022年所有收入和支出均纳入部门预算管理。"),
    ("H.YEAR.CURRENT", "示例自然资源局2023年一般公共预算基本支出1174.93万元。", "示例自然资源局 2022 年一般公共预算基本支出1174.93万元。"),
    ("H.SPACING", "“三公”经费数为14.74万元，增长13.83%。", "“三公”经费数为    14.74万元。"),
    ("H.PUNCTUATION", "项目支出等。住房保障支出87.29万元，版本1.5。", "项目支出等.住房保障支出87.29万元。"),
])
def test_text_rules(rule_id, clean, faulty):
    assert run_rule(with_text(clean), rule_id) == []
    found = run_rule(with_text(faulty), rule_id)
    assert len(found) >= 1
    assert "第三部分" in found[0].message


def test_asset_date():
    assert run_rule(with_text("截至2022年底，占用使用国有资产情况为：", section="other.assets"), "H.YEAR.ASSETS") == []
    [f] = run_rule(with_text("截至2021年底，占用使用国有资产情况为：", section="other.assets"), "H.YEAR.ASSETS")
    assert f.expected == "2022"


def test_section_title_year():
    d = with_text("正文。")
    add_statements(d, "summary", title="一、关于示例局2022年收支预算情况的总体说明", text="正文")
    [f] = run_rule(d, "H.YEAR.CURRENT")
    assert "2022" in f.message


def test_empty_reason_statement():
    d = build_disclosure()
    add_statements(d, "sangong", statement("sangong:reception", amount="2", change="1", reason="", label="公务接待费"))
    [f] = run_rule(d, "H.REASON.EMPTY")
    assert "公务接待费" in f.message
    d = build_disclosure()
    add_statements(d, "sangong", statement("sangong:reception", amount="2", change="1", reason="接待任务增加"))
    assert run_rule(d, "H.REASON.EMPTY") == []


def test_reason_restates_change():
    def build(reason, change="1"):
        d = build_disclosure()
        return add_statements(d, "general", statement("general:function:2200101", amount="2", change=change, reason=reason))

    assert run_rule(build("人员增加及工资调标"), "H.REASON.RESTATES") == []
    assert run_rule(build("无变化", change="0"), "H.REASON.RESTATES") == []
    [f] = run_rule(build("增加。"), "H.REASON.RESTATES")
    assert "复述" in f.message
    assert run_rule(build("无变化", change="0"), "H.REASON.NO_CHANGE") == []
    [g] = run_rule(build("无变化", change="3"), "H.REASON.NO_CHANGE")
    assert g.severity == "fatal"


def test_duplicate_paragraphs():
    line = "资金执行时间：2023年1月1日-2023年12月31日"
    ok = with_text(line, "项目承担单位：本局", line, section="general_project")
    assert run_rule(ok, "H.DUPLICATE") == []  # short lines repeated across projects are normal
    [f] = run_rule(with_text(line, line, section="general_project"), "H.DUPLICATE")
    assert "上一段" in f.message
    long = "根据自然资源部的要求，完成七个县市的土地变更调查工作，开展督导检查一次，全面掌握全州地类、面积与属性的变化情况。"
    [g] = run_rule(with_text(long, "其他。", long, section="general_project"), "H.DUPLICATE")
    assert "完全相同" in g.message


def _income(amount, unit, subject="income:general_budget", label="一般公共预算拨款"):
    return statement(subject, amount=amount, unit=unit, label=label, text=f"{label}{amount}{unit}。")


def test_unit_word_other_than_the_tables_is_no_finding_by_itself():
    """Tables in 元 with the text in 万元 (and the reverse) is ordinary practice: every amount ties."""
    d = build_disclosure(unit="元")
    add_statements(d, "summary", _income("870.5", "万元"), _income("120", "万元", "income:fund_budget", "政府性基金预算拨款"))
    add_statements(d, "general", text="人均补助标准200元，一般公共预算拨款870.5万元。")
    assert run_rule(d, "H.UNIT.WORD") == []
    d = build_disclosure()
    add_statements(d, "summary", _income("8705000.00", "元"))
    assert run_rule(d, "H.UNIT.WORD") == []


@pytest.mark.parametrize("unit, amount, word", [("元", "8705000.00", "万元"), ("万元", "870.50", "元")])
def test_unit_word_that_makes_an_amount_10000_times_its_table_figure(unit, amount, word):
    """The table's number under the other unit word: one finding, and not a text-vs-table contradiction too."""
    d = build_disclosure(unit=unit)
    add_statements(d, "summary", _income(amount, word))
    [f] = run_rule(d, "H.UNIT.WORD")
    assert f.severity == "fatal" and f.subject == "income:general_budget"
    assert f.stated == f"{amount}{word}" and f.expected.endswith(unit)
    assert "870.50万元" in f.message and "第三部分" in f.message
    assert run_rule(d, "N.INCOME.SOURCE") == []


def test_unit_word_wrong_throughout_is_one_finding():
    d = build_disclosure(unit="元")
    add_statements(d, "summary", _income("8705000.00", "万元"),
                   _income("1200000.00", "万元", "income:fund_budget", "政府性基金预算拨款"))
    add_statements(d, "general", _income("8705000.00", "万元"))
    [f] = run_rule(d, "H.UNIT.WORD")
    assert "共3处" in f.message and f.inputs["单位用词不符处数"] == "3"


def test_an_amount_near_zero_is_no_unit_evidence():
    """A small figure matches a small one in either unit to the tolerance: only a match to 0.1% is evidence."""
    from decimal import Decimal

    from yusuan.rules.narrative import Ref, unit_slip

    assert not unit_slip(statement("income:other", amount="3", unit="万元"), Ref(Decimal("0.004"), "表"))  # 40 元
    assert not unit_slip(statement("income:other", amount="3", unit="万元"), Ref(Decimal("0"), "表"))
    assert unit_slip(statement("income:other", amount="3", unit="万元"), Ref(Decimal("0.0003"), "表"))  # 3 元
    assert unit_slip(statement("income:other", amount="3", unit="元"), Ref(Decimal("3"), "表"))
    assert not unit_slip(statement("income:other", amount="3.2", unit="元"), Ref(Decimal("3"), "表"))
