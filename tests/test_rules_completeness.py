"""Completeness rules (K.*): a complete small disclosure passes; removing each item fails."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from yusuan.disclosure import Paragraph
from yusuan.model.performance import PerformanceTable
from yusuan.disclosure import PrintedPerformance
from yusuan.rules.completeness import SECTION_TITLES
from yusuan.rules.testing import add_statements, build_disclosure, remove_row, run_rule, statement

PROJECTS = {"国土空间规划编制": "300", "自然资源调查监测": "80.5", "地质灾害防治": "60"}
T5_ITEMS = {"2080505": "40", "2080506": "20", "2101101": "15", "2200101": "330", "2200104": "300", "2200106": "80.5",
            "2210201": "25", "2240601": "60"}
T6_ITEMS = {"30101": "150", "30102": "100", "30108": "40", "30302": "20", "30201": "80", "30217": "2", "30231": "8",
            "31002": "30"}


def complete():
    """The builder's ten tables plus every section, statement and performance table a package needs."""
    d = build_disclosure()
    for sid, label in SECTION_TITLES.items():
        part = 1 if sid.startswith("overview") else 4 if sid == "glossary" else 3
        add_statements(d, sid, title=label, part=part, text=f"{label}的说明文字。")
    add_statements(d, "overview.institutions", statement("staff:authorized", count=65), statement("staff:actual", count=103),
                   statement("staff:active", count=64), statement("staff:retired", count=39), statement("staff:veteran", count=0),
                   part=1)
    add_statements(d, "general", *[statement(f"general:function:{c}", amount=a, change="0", reason="无变化")
                                   for c, a in T5_ITEMS.items()])
    add_statements(d, "general_basic", *[statement(f"general:economic:{c}", amount=a) for c, a in T6_ITEMS.items()])
    for name, amount in PROJECTS.items():
        section = d.section("general_project")
        add_statements(d, "general_project", statement(f"project:{name}:scale", amount=amount),
                       text=f"项目名称：{name}")
        section.paragraphs.append(Paragraph(text=f"设立的政策依据：某文件。预算安排规模：{amount}万元。项目承担单位：本局。"
                                                 "资金分配情况：全部用于工作经费。资金执行时间：2023年全年。"))
        d.performance.append(PrintedPerformance(table=PerformanceTable(project=name, fiscal=D(amount))))
    d.performance[0].table.other = D("50")  # 国土空间规划编制 also spends 50 of carry-over
    for name, fiscal, other in (("城市建设项目", "120", "0"), ("单位自有资金项目", "0", "35")):
        d.performance.append(PrintedPerformance(table=PerformanceTable(project=name, fiscal=D(fiscal), other=D(other))))
    add_statements(d, "sangong", statement("sangong:total", amount="10", change="1", reason="接待任务增加"),
                   statement("sangong:abroad", amount="0", change="0"), statement("sangong:vehicle", amount="8", change="0"),
                   statement("sangong:reception", amount="2", change="1", reason="接待任务增加"))
    add_statements(d, "other.operating_costs", statement("operating_costs", amount="120"))
    add_statements(d, "other.procurement", statement("procurement:total", amount="100"),
                   statement("procurement:goods", amount="10"), statement("procurement:works", amount="0"),
                   statement("procurement:services", amount="90"), statement("procurement:sme_reserved", amount="100"))
    add_statements(d, "other.assets", statement("assets:buildings_area", amount="4235.63", unit="平方米"),
                   statement("assets:vehicles", count=5, amount="189.03"))
    add_statements(d, "other.performance", statement("performance:fiscal", count=3, amount="440.5"))
    add_statements(d, "glossary", part=4, text="财政拨款收入；基本支出；项目支出；“三公”经费；机关运行经费。")
    add_statements(d, "capital", text="本部门没有使用国有资本经营预算拨款安排的支出，国有资本经营预算支出情况表为空表。")
    return d


def k_rules():
    from yusuan.rules import load_all

    return sorted(r for r in load_all() if r.startswith("K.")) + ["P.MISSING"]


@pytest.mark.parametrize("rule_id", k_rules())
def test_complete_disclosure_passes(rule_id):
    assert run_rule(complete(), rule_id) == []


def test_table_missing():
    d = complete()
    d.tables = [t for t in d.tables if t.kind != "sangong"]
    [f] = run_rule(d, "K.TABLE.PRESENT")
    assert "三公" in f.message and f.severity == "fatal"
    # a profile that does not require table 10
    assert run_rule(d, "K.TABLE.PRESENT", profile={"tables": [{"kind": "income_expenditure"}]}) == []



def test_a_final_account_read_with_a_budget_layout_says_its_tables_were_not_checked():
    budget_layout = {"name": "xinjiang", "tables": [{"kind": "income_expenditure"}]}
    final = complete().model_copy(update={"phase": "final"})
    final.tables = [t for t in final.tables if t.kind != "sangong"]
    [f] = run_rule(final, "K.TABLE.PRESENT.UNCHECKED", profile=budget_layout)
    assert f.severity == "info" and "未核对决算表格是否齐全" in f.message
    assert run_rule(final, "K.TABLE.PRESENT", profile=budget_layout) == []  # nothing shown missing
    # a budget, or a final account with a final layout, is judged by K.TABLE.PRESENT instead
    assert run_rule(complete(), "K.TABLE.PRESENT.UNCHECKED", profile=budget_layout) == []
    assert run_rule(final, "K.TABLE.PRESENT.UNCHECKED", profile={"name": "final_common", "phase": "final"}) == []

def test_empty_table_without_note():
    d = complete()
    d.table("capital_expenditure").empty_note = None
    assert run_rule(d, "K.TABLE.EMPTY_NOTE") == []  # the Part 3 section says 空表
    d.section("capital").paragraphs = []
    [f] = run_rule(d, "K.TABLE.EMPTY_NOTE")
    assert "国有资本经营预算支出情况表" in f.message


def _zero_sangong(d, zero_text="-"):
    """Table 10 printing zero in every cell (as “-”, blank or 0.00) and no note under it."""
    t = d.table("sangong")
    for r in t.rows:
        for c in r.cells.values():
            c.text, c.value = zero_text, (D(0) if zero_text == "0.00" else None)
    t.empty_note = None
    return d


@pytest.mark.parametrize("zero_text", ["-", "", "0.00"])
def test_a_table_of_zeros_explained_by_its_section_or_elsewhere(zero_text):
    """A 三公 table of zeros beside “三公经费预算数为0.00万元” is explained; with no such sentence it is not."""
    from yusuan.rules.testing import add_statements

    d = _zero_sangong(complete(), zero_text)
    d.sections = [s for s in d.sections if s.id != "sangong"]
    [f] = run_rule(d, "K.TABLE.EMPTY_NOTE")
    assert f.subject == "sangong" and "三公" in f.message
    add_statements(d, "sangong", text="2023年财政拨款“三公”经费预算数为0.00万元，与上年持平。")
    assert run_rule(d, "K.TABLE.EMPTY_NOTE") == []
    d = _zero_sangong(complete(), zero_text)
    d.sections = [s for s in d.sections if s.id != "sangong"]
    add_statements(d, "other.procurement", text="政府采购预算10万元。本部门2023年未安排“三公”经费预算。")
    assert run_rule(d, "K.TABLE.EMPTY_NOTE") == []
    d = _zero_sangong(complete(), zero_text)
    d.sections = [s for s in d.sections if s.id != "sangong"]
    add_statements(d, "other.procurement", text="本部门没有政府采购预算。“三公”经费按规定使用。")  # 没有 is not about 三公
    assert len(run_rule(d, "K.TABLE.EMPTY_NOTE")) == 1


def test_an_empty_project_table_explained_by_its_section():
    """A department without general-budget projects prints table 7 with no figure; its section 七 saying
    “没有安排一般公共预算项目支出” explains it, as section 八 does for table 8."""
    d = complete()
    t = d.table("general_project")
    t.rows = [r for r in t.rows if r.role == "total"]
    for r in t.rows:
        for c in r.cells.values():
            c.text, c.value = "", None
    t.empty_note = None
    d.section("general_project").paragraphs = [Paragraph(text="某局2023年没有安排一般公共预算项目支出。")]
    assert run_rule(d, "K.TABLE.EMPTY_NOTE") == []
    d.section("general_project").paragraphs = [Paragraph(text="项目支出情况见表7。")]
    [f] = run_rule(d, "K.TABLE.EMPTY_NOTE")
    assert f.subject == "general_project"


def test_function_depth():
    d = complete()
    for t in d.tables:
        if t.row("f:2210201") is not None:
            d = remove_row(d, t.kind, "f:2210201")
    found = run_rule(d, "K.FUNCTION.DEPTH")
    assert found and all("22102" in f.message and "项" in f.message for f in found)


def test_function_depth_counts_detail_another_table_prints():
    """A 项 row one table leaves out while another prints it is a row not listed, not missing detail."""
    d = remove_row(complete(), "general_expenditure", "f:2210201")
    assert run_rule(d, "K.FUNCTION.DEPTH") == []


def test_economic_depth():
    d = remove_row(complete(), "general_basic", "e:30302")
    [f] = run_rule(d, "K.ECONOMIC.DEPTH")
    assert "303" in f.message


def _drop(d, prefix):
    for s in d.sections:
        for p in s.paragraphs:
            p.statements = [st for st in p.statements if not st.subject.startswith(prefix)]
    return d


def test_general_item_text():
    d = _drop(complete(), "general:function:2200106")
    [f] = run_rule(d, "K.GENERAL.ITEM.TEXT")
    assert "2200106" in f.message and "80.50" in f.message


def test_general_item_yoy():
    d = complete()
    add_statements(d, "general", statement("general:function:2299999", amount="5"))
    [f] = run_rule(d, "K.GENERAL.ITEM.YOY")
    assert "未与上年比较" in f.message


def test_basic_economic_text():
    [f] = run_rule(_drop(complete(), "general:economic:30217"), "K.BASIC.ECONOMIC.TEXT")
    assert "30217" in f.message


def test_sangong_explained():
    d = complete()
    for p in d.section("sangong").paragraphs:
        for st in p.statements:
            st.reason = None
    found = run_rule(d, "K.SANGONG.EXPLAINED")
    assert {f.subject for f in found} == {"sangong:total", "sangong:reception"}
    assert len(run_rule(_drop(complete(), "sangong:abroad"), "K.SANGONG.EXPLAINED")) == 1


@pytest.mark.parametrize("rule_id, prefix", [
    ("K.OPERATING_COSTS", "operating_costs"), ("K.PROCUREMENT", "procurement:works"),
    ("K.PROCUREMENT.SME", "procurement:sme"), ("K.ASSETS", "assets:vehicles"), ("K.PERFORMANCE.SUMMARY", "performance:"),
])
def test_other_sections_need_figures(rule_id, prefix):
    found = run_rule(_drop(complete(), prefix), rule_id)
    assert len(found) == 1


def test_project_text():
    [f] = run_rule(_drop(complete(), "project:自然资源调查监测"), "K.PROJECT.TEXT")
    assert "自然资源调查监测" in f.message and "80.50" in f.message


def test_project_fields():
    d = complete()
    section = d.section("general_project")
    section.paragraphs[-1].text = "设立的政策依据：某文件。预算安排规模：60万元。"
    [f] = run_rule(d, "K.PROJECT.FIELDS")
    assert "地质灾害防治" in f.message and "资金执行时间" in f.message and "项目承担单位" in f.message


def test_glossary():
    d = complete()
    d.section("glossary").paragraphs = [Paragraph(text="基本支出；项目支出。")]
    [f] = run_rule(d, "K.GLOSSARY")
    assert "机关运行经费" in f.message


def test_staff_figures_and_sum():
    d = _drop(complete(), "staff:veteran")
    assert len(run_rule(d, "K.STAFF.FIGURES")) == 1
    d = complete()
    d.section("overview.institutions").paragraphs[-1].statements[1].count = 104
    [f] = run_rule(d, "K.STAFF.SUM")
    assert "104" in f.message and "103" in f.message


def test_staff_change_sum():
    d = complete()
    st = d.section("overview.institutions").paragraphs[-1].statements
    st[1].change, st[2].change, st[3].change, st[4].change = D(1), D(-2), D(2), D(0)
    [f] = run_rule(d, "K.STAFF.SUM")
    assert f.expected == 0


def test_staff_authorized():
    d = complete()
    d.section("overview.institutions").paragraphs[-1].statements[0].count = 60
    [f] = run_rule(d, "K.STAFF.AUTHORIZED")
    assert f.severity == "info"


def test_staff_vs_spending():
    d = complete()
    st = d.section("overview.institutions").paragraphs[-1].statements
    st[3].count, st[2].count, st[1].count = 0, 103, 103  # no retired staff, but 退休费 30302 = 20
    [f] = run_rule(d, "K.STAFF.SPENDING")
    assert "退休费" in f.message and f.expected == D("20")


@pytest.mark.parametrize("section_id", list(SECTION_TITLES))
def test_section_missing(section_id):
    d = complete()
    d.sections = [s for s in d.sections if s.id != section_id]
    rid = "K.SECTION." + section_id.upper().replace(".", "_")
    [f] = run_rule(d, rid)
    assert SECTION_TITLES[section_id] in f.message
    # not required by a profile that leaves it out
    assert run_rule(d, rid, profile={"sections": [{"id": "summary"}]}) == [] or section_id == "summary"


def test_long_heading_styled_paragraph_is_content():
    d = complete()
    section = d.section("overview.functions")
    section.paragraphs = [Paragraph(text="(一)履行全民所有土地、矿产、森林、草原、湿地、水等自然资源资产所有者职责和所有国土空间用途管制职责。",
                                    style="heading")]
    assert run_rule(d, "K.SECTION.OVERVIEW_FUNCTIONS") == []
    section.paragraphs = [Paragraph(text="一、主要职能", style="heading")]
    assert len(run_rule(d, "K.SECTION.OVERVIEW_FUNCTIONS")) == 1


def test_project_fields_in_other_wording():
    d = complete()
    section = d.section("general_project")
    section.paragraphs[-1].text = "立项依据：某文件。年度预算安排：60万元。实施主体：本局。资金分配情况：调查。实施周期：全年。"
    assert run_rule(d, "K.PROJECT.FIELDS") == []
    section.paragraphs[-1].text = "立项依据：某文件。年度预算安排：60万元。"
    [f] = run_rule(d, "K.PROJECT.FIELDS", profile={"wording": {"project_labels": {"implementer": "实施主体"}}})
    assert "实施主体" in f.message
