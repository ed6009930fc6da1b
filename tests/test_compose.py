"""Composition: facts + profile → the disclosure as printed (tables, hierarchy sums, narrative wording)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import EXAMPLE
from yusuan.compose import compose
from yusuan.disclosure import Disclosure, Table
from yusuan.model import BudgetPackage

D = Decimal


def package(**changes) -> BudgetPackage:
    """A small department: two basic 项 (one from a transfer), a general project, a unit-funds project,
    a carry-over project, 三公, and last year's figures covering the wording cases."""
    data = {
        "unit": {"name": "测试局", "budget_year": 2023},
        "overview": {"functions": ["负责测试工作。"], "institutions": "测试局下设2个科室。",
                     "staffing": {"authorized": 10, "active": {"count": 8, "change": -1},
                                  "retired": {"count": 2, "change": 1}, "veteran": {"count": 0}}},
        "basic": [
            {"function": "2080505", "amount": "10.5"},
            {"function": "2010101", "amount": "100"},
            {"function": "2010101", "source": "general_transfer", "amount": "5"},
        ],
        "basic_economic": [
            {"economic": "30101", "amount": "60"}, {"economic": "30108", "amount": "10.5"},
            {"economic": "30201", "amount": "30"}, {"economic": "30302", "amount": "15"},
        ],
        "projects": [
            {"name": "甲项目", "function": "2010102", "funding": [{"source": "general", "amount": "20"}],
             "economic": [{"economic": "302", "amount": "20"}], "policy_basis": "某文件。", "implementer": "测试局",
             "allocation": [{"purpose": "调研经费", "amount": "12"}, {"purpose": "培训经费", "amount": "8"}],
             "period": "2023年1月1日-2023年12月31日"},
            {"name": "乙项目", "function": "2010102", "funding": [{"source": "other", "amount": "7"}]},
            {"name": "丙项目", "function": "2200101", "funding": [{"source": "carryover_general", "amount": "3"}]},
        ],
        "sangong": [{"item": "vehicle_operation", "amount": "4"}, {"item": "reception", "amount": "0.5"}],
        "procurement": {"goods": "10", "services": "5", "sme_reserved": "15"},
        "performance": [
            {"project": "甲项目", "fiscal": "20", "goal": "完成调研"},
            {"project": "乙项目", "other": "7", "goal": "完成工作"},
        ],
        "last_year": {
            "income:general": {"amount": "100", "reason": "人员增加"},
            "expenditure:basic": {"amount": "130"},
            "expenditure:project": {"amount": "0", "reason": "新增项目"},
            "general:basic": {"amount": "120", "reason": "调标"},
            "general:project": {"amount": "20"},
            "general:function:2010101": {"amount": "100", "reason": "人员增加"},
            "general:function:2010102": {"amount": "20"},
            "general:function:2080505": {"amount": "12", "reason": "人员退休"},
            "general:function:2130101": {"amount": "5", "reason": "科目调整"},
            "sangong:total": {"amount": "4.5"},
            "sangong:vehicle_operation": {"amount": "4.5", "reason": "车辆减少"},
            "sangong:reception": {"amount": "0", "reason": "新增接待"},
            "operating_costs": {"amount": "30"},
        },
    }
    data.update(changes)
    return BudgetPackage.model_validate(data)


@pytest.fixture(scope="module")
def xj() -> Disclosure:
    return compose(package(), "xinjiang")


def statement(d: Disclosure, subject: str, section: str | None = None):
    found = [s for sec in d.sections if section in (None, sec.id) for s in sec.statements() if s.subject == subject]
    assert found, f"no statement {subject}"
    return found[-1]


def assert_hierarchy(table: Table, columns: list[str]) -> None:
    """类 = Σ款, 款 = Σ项 (or Σ projects in T7), 合计 = Σ类, in every column."""
    rows = [r for r in table.rows if r.key.startswith(("f:", "e:", "p:"))]
    for col in columns:
        for r in rows:
            if r.key.startswith("p:"):
                continue
            code = r.code
            width = len(code) + 2
            children = [c for c in rows if c.code and c.code.startswith(code) and
                        (len(c.code) == width or (c.key.startswith("p:") and len(code) == 5))]
            if children:
                assert (r.value(col) or D(0)) == sum((c.value(col) or D(0) for c in children), D(0)), (table.kind, r.key, col)
        top = [r for r in rows if r.code and len(r.code) == 3]
        assert (table.value("total", col) or D(0)) == sum((r.value(col) or D(0) for r in top), D(0)), (table.kind, col)


# ------------------------------------------------------------------ tables

def test_table1_sources_and_classes(xj):
    t1 = xj.table("income_expenditure")
    assert t1.value("s:current_year", "amount") == D("142.50")
    assert t1.value("s:general_budget", "amount") == D("135.50")
    assert t1.value("s:general", "amount") == D("130.50")
    assert t1.value("s:carryover_general", "amount") == D("3.00")
    assert t1.value("income_total", "amount") == t1.value("expenditure_total", "amount") == D("145.50")
    classes = [r for r in t1.rows if r.side == "expenditure" and r.key.startswith("f:")]
    assert len(classes) == 30  # every listed 类, empty ones too
    assert t1.row("f:202").cells["amount"].value is None and t1.row("f:202").name == "外交支出"
    assert t1.row("f:201").cells["amount"].text == "132.00"
    assert sum((r.value("amount") or D(0) for r in classes), D(0)) == t1.value("expenditure_total", "amount")


def test_table2_and_3_hierarchy_and_identities(xj):
    t2, t3 = xj.table("income"), xj.table("expenditure")
    assert_hierarchy(t2, [c.key for c in t2.columns])
    assert_hierarchy(t3, ["total", "basic", "project"])
    assert t2.row("f:2010101").level == "项" and t2.row("f:20101").level == "款" and t2.row("f:201").level == "类"
    assert t2.value("f:2010101", "s:general_transfer") == D("5.00")
    assert t2.value("f:2010102", "s:unit_funds") == D("7.00")
    for row in t2.rows:
        fiscal = sum((row.value(k) or D(0) for k in ("s:general", "s:general_transfer", "s:fund", "s:fund_transfer",
                                                       "s:capital", "s:capital_transfer")), D(0))
        assert (row.value("s:fiscal") or D(0)) == fiscal
        parts = sum((row.value(k) or D(0) for k in ("s:fiscal", "s:special_account", "s:unit_funds",
                                                    "s:carryover_fiscal", "s:carryover_nonfiscal")), D(0))
        assert row.value("total") == parts, row.key
    for row in t3.rows:
        assert row.value("total") == (row.value("basic") or D(0)) + (row.value("project") or D(0))
    assert t3.value("total", "basic") == D("115.50") and t3.value("total", "project") == D("30.00")
    cell = t3.row("f:2010101").cells["basic"]
    assert cell.location.table == "表3部门支出总体情况表" and cell.location.column == "基本支出" and cell.location.row == 3


def test_table4_fiscal_only_without_carryover(xj):
    t4 = xj.table("fiscal_income_expenditure")
    assert t4.value("s:fiscal", "amount") == D("135.50")  # the reference leaves it blank; we print the sum
    assert t4.value("s:general_budget", "amount") == D("135.50")
    assert t4.value("income_total", "amount") == D("135.50")
    assert t4.value("f:220", "total") is None  # only carry-over money there
    assert t4.value("expenditure_total", "s:general_budget") == D("135.50")


def test_tables5_to_7_general_budget(xj):
    t5, t6, t7 = xj.table("general_expenditure"), xj.table("general_basic"), xj.table("general_project")
    assert_hierarchy(t5, ["total", "basic", "project"])
    assert t5.row("f:220") is None and t5.value("f:2010102", "project") == D("20.00")
    assert t5.value("total", "basic") == t6.value("total", "total") == D("115.50")
    assert t6.value("total", "personnel") == D("85.50") and t6.value("total", "public") == D("30.00")
    assert t6.value("e:303", "personnel") == D("15.00") and t6.value("e:30201", "public") == D("30.00")
    assert_hierarchy(t6, ["total", "personnel", "public"])
    assert [r.key for r in t7.rows] == ["f:201", "f:20101", "p:2010102:甲项目", "total"]
    project = t7.row("p:2010102:甲项目")
    assert project.cells["project_name"].text == "甲项目" and project.level == "项"
    assert project.value("e:302") == D("20.00") and t7.value("total", "total") == t5.value("total", "project")
    assert_hierarchy(t7, ["total", "e:302"])


def test_empty_tables_carry_their_note(xj):
    for kind in ("fund_expenditure", "capital_expenditure"):
        t = xj.table(kind)
        assert [r.key for r in t.rows] == ["total"] and t.value("total", "total") is None
        assert t.empty_note and "为空表" in t.empty_note


def test_package_note_overrides_empty_table_note():
    d = compose(package(notes={"fund_expenditure": "本单位无政府性基金预算支出。"}), "xinjiang")
    assert d.table("fund_expenditure").empty_note == "本单位无政府性基金预算支出。"


def test_table10_sangong(xj):
    t10 = xj.table("sangong")
    assert [r.key for r in t10.rows][:2] == ["sangong:total", "sangong:abroad"]
    assert t10.value("sangong:total", "total") == D("4.50")
    assert t10.value("sangong:vehicle", "s:general_budget") == D("4.00")
    assert t10.value("sangong:abroad", "total") is None


def test_shanghai_tables_in_yuan():
    d = compose(package(), "shanghai")
    assert len(d.tables) == 9 and d.table("general_project") is None
    t1 = d.table("income_expenditure")
    assert t1.unit == "元" and t1.value("income_total", "amount") == D("1455000.00")
    assert t1.row("income_total").cells["amount"].text == "1,455,000.00"
    assert t1.row("f:201").name == "一般公共服务支出" and t1.row("f:201").code is None  # numbered by the renderer
    assert [r.key for r in t1.rows if r.side == "expenditure"] == ["f:201", "f:208", "f:220", "expenditure_total"]
    # carry-over is not in the Shanghai layout: printed only because this package has some, so T1 adds up
    income = [r for r in t1.rows if r.side == "income" and r.key in ("s:fiscal", "s:business", "s:operating",
                                                                      "s:other", "s:carryover")]
    assert sum((r.value("amount") or D(0) for r in income), D(0)) == t1.value("income_total", "amount")
    assert "s:carryover" in {c.key for c in d.table("income").columns}
    plain = compose(package(projects=package().model_dump()["projects"][:2]), "shanghai")
    assert plain.table("income_expenditure").row("s:carryover") is None
    assert "s:carryover" not in {c.key for c in plain.table("income").columns}
    texts = [p.text for p in d.section("general_project").paragraphs]
    assert "立项依据：某文件。" in texts and "实施主体：测试局" in texts
    t6 = d.table("general_basic")
    assert t6.row("e:30101").cells["public"].text == "0.00" and t6.value("e:30101", "public") == D(0)
    so = d.table("sangong_operating")
    assert so.unit == "万元" and so.value("operating_costs", "amount") == D("30.00")
    assert so.value("sangong:total", "amount") == D("4.50")


# ------------------------------------------------------------------ narrative

def test_income_shares_and_changes(xj):
    s = statement(xj, "income:general", "income")
    assert s.amount == D("130.5") and s.share == D("89.69") and s.share_of == "total"  # 130.5/145.5
    assert s.last_year == D("100") and s.change == D("30.5") and s.rate == D("30.50")
    assert s.reason == "人员增加" and "主要原因是人员增加" in s.text
    assert "一般公共预算130.50万元，占89.69%，比上年预算增加30.50万元，增长30.50%" in s.text
    fund = statement(xj, "income:fund", "income")
    assert fund.amount == 0 and fund.text == "政府性基金预算未安排。"


def test_zero_base_uses_profile_wording_not_division(xj):
    s = statement(xj, "expenditure:project")
    assert s.zero_base == "增长100%" and s.rate is None and s.change == D("30")
    assert "比上年预算增加30.00万元，增长100%" in s.text
    sh = compose(package(), "shanghai")
    r = statement(sh, "sangong:reception")
    assert r.zero_base == "新增" and r.rate is None and "比2022年预算新增0.50万元" in r.text


def test_direction_words_follow_the_sign(xj):
    down = statement(xj, "general:function:2080505")
    assert down.change == D("-1.5") and down.rate == D("-12.50")
    assert down.change_word == "减少" and down.rate_word == "下降" and "减少1.50万元，下降12.50%" in down.text
    up = statement(xj, "general:function:2010101")
    assert up.change_word == "增加" and up.rate_word == "增长" and up.rate == D("5.00")
    same = statement(xj, "general:function:2010102")
    assert same.change == 0 and same.change_word == "持平" and same.rate is None and "与上年预算持平" in same.text


def test_missing_reason_is_left_out_not_invented(xj):
    s = statement(xj, "expenditure:basic")
    assert s.reason is None and s.last_year == D("130") and "主要原因" not in s.text
    assert "下降11.15%。" in s.text  # (115.5-130)/130
    op = statement(xj, "operating_costs")
    assert op.reason is None and "主要原因" not in op.text


def test_items_zero_now_but_present_last_year_are_described(xj):
    s = statement(xj, "general:function:2130101")
    assert s.amount == 0 and s.last_year == D("5") and s.rate == D("-100.00") and s.reason == "科目调整"
    items = [st.subject for st in xj.section("general").statements() if len(st.subject) == len("general:function:2010101")]
    assert items == ["general:function:2010101", "general:function:2010102", "general:function:2080505",
                     "general:function:2130101"]


def test_general_structure_shares(xj):
    s201 = statement(xj, "general:function:201")
    assert s201.share == D("92.25") and s201.share_of == "general:total"  # 125/135.5 = 92.2509…
    assert statement(xj, "general:function:208").share == D("7.75")
    assert statement(xj, "general:total").amount == D("135.5")


def test_basic_spending_by_economic_item(xj):
    assert statement(xj, "general:personnel").amount == D("85.5")
    assert statement(xj, "general:public").amount == D("30")
    assert statement(xj, "general:economic:30302").amount == D("15")


def test_projects_and_allocation_lines(xj):
    assert statement(xj, "project:甲项目:scale").amount == D("20")
    assert statement(xj, "project:甲项目:basis").label == "某文件。"
    a2 = statement(xj, "project:甲项目:allocation:2")
    assert a2.amount == D("8") and a2.label == "培训经费"
    texts = [p.text for p in xj.section("general_project").paragraphs]
    assert "项目名称：乙项目" not in texts  # unit funds only: not a general-budget project


def test_fund_capital_sangong_procurement_performance(xj):
    assert statement(xj, "fund:total").amount == 0 and "为空表" in statement(xj, "fund:total").text
    total = statement(xj, "sangong:total", "sangong")
    assert total.change == 0 and total.last_year == D("4.5")
    v = statement(xj, "sangong:vehicle_operation")
    assert v.rate == D("-11.11") and v.reason == "车辆减少"
    assert statement(xj, "procurement:total").amount == D("15")
    fiscal, nonfiscal = statement(xj, "performance:fiscal"), statement(xj, "performance:nonfiscal")
    assert (fiscal.count, fiscal.amount, nonfiscal.count, nonfiscal.amount) == (1, D("20"), 1, D("7"))
    assert [p.stated_total for p in xj.performance] == [D("20"), D("7")]


def test_missing_facts_give_no_invented_text(xj):
    assert xj.section("other.assets").paragraphs == []  # no assets entered
    d = compose(package(procurement=None), "xinjiang")
    assert d.section("other.procurement").paragraphs == []


def test_statements_are_located(xj):
    s = statement(xj, "income:general")
    assert s.location.part == "3" and s.location.section.startswith("二、关于测试局2023年收入预算") and s.location.paragraph


def test_staffing_and_glossary(xj):
    assert statement(xj, "staff:actual").count == 10
    assert statement(xj, "staff:active").change == D(-1)
    assert xj.section("glossary").paragraphs[0].text.startswith("一、财政拨款：")
    assert xj.title == "测试局2023年部门预算公开"


# ------------------------------------------------------------------ the real example

@pytest.fixture(scope="module")
def example():
    if not (EXAMPLE / "package.yaml").exists():
        pytest.skip("示例预算包尚未建立")
    from yusuan.load import load_package

    return load_package(EXAMPLE)


def test_example_key_totals_equal_the_published_ones(example):
    d = compose(example)
    assert d.profile == "xinjiang"
    assert d.table("income_expenditure").value("income_total", "amount") == D("6128.18")
    assert d.table("income_expenditure").value("expenditure_total", "amount") == D("6128.18")
    assert d.table("expenditure").value("total", "basic") == D("1174.93")
    assert d.table("expenditure").value("total", "project") == D("4953.25")
    assert d.table("general_expenditure").value("total", "total") == D("4698.73")
    assert d.table("general_basic").value("total", "personnel") == D("1058.36")
    assert d.table("general_basic").value("total", "public") == D("116.57")
    assert d.table("general_project").value("total", "total") == D("3523.80")
    assert d.table("sangong").value("sangong:total", "total") == D("14.74")
    for kind, cols in (("income", ["total", "s:fiscal"]), ("expenditure", ["total", "basic", "project"]),
                       ("general_expenditure", ["total", "basic", "project"]), ("general_project", ["total"])):
        assert_hierarchy(d.table(kind), cols)
    perf = (statement(d, "performance:fiscal"), statement(d, "performance:nonfiscal"))
    assert (perf[0].count, perf[0].amount, perf[1].count, perf[1].amount) == (14, D("3802.5"), 5, D("876.87"))


def test_example_composes_with_the_shanghai_profile(example):
    d = compose(example, "shanghai")
    assert [t.kind for t in d.tables] == ["income_expenditure", "income", "expenditure", "fiscal_income_expenditure",
                                          "general_expenditure", "fund_expenditure", "capital_expenditure",
                                          "general_basic", "sangong_operating"]
    assert d.table("income_expenditure").value("income_total", "amount") == D("61281800.00")
    assert d.table("sangong_operating").value("sangong:total", "amount") == D("14.74")
    assert d.section("summary").title == "四、2023年部门预算编制说明"
    assert statement(d, "general:total").amount == D("4698.73")


def test_assets_statements_use_reader_keys():
    assets = {"as_of": "2022年底", "buildings_area": "100.5", "buildings_value": "40",
              "vehicles": [{"kind": "一般公务用车", "count": 2, "value": "30"}, {"kind": "执法执勤用车", "count": 1, "value": "20"}],
              "equipment_over_50": 1, "plan_year": 2023, "plan_vehicles": 0}
    d = compose(package(assets=assets, overview={"institutions": "下设2个科室。", "divisions": ["办公室", "业务科"]}), "xinjiang")
    assert statement(d, "assets:vehicles").count == 3 and statement(d, "assets:vehicles").amount == D("50")
    assert statement(d, "assets:vehicle:law_enforcement").count == 1
    assert statement(d, "assets:buildings_area").unit == "平方米"
    assert statement(d, "assets:purchase_vehicles").count == 0
    assert statement(d, "institutions:divisions").count == 2
    assert "未安排购置车辆经费" in statement(d, "assets:purchase_vehicles").text


def test_show_command_prints_tables_and_text(tmp_path):
    import json

    from typer.testing import CliRunner

    from yusuan.cli import app

    path = tmp_path / "package.json"
    path.write_text(json.dumps(package().model_dump(mode="json", exclude_defaults=True), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "表1部门收支总体情况表" in result.output and "主要原因是人员增加" in result.output
    assert result.output.index("二、机构设置及人员情况") < result.output.index("表1") < result.output.index("一、关于测试局")
    bad = CliRunner().invoke(app, ["show", str(path), "--profile", "atlantis"])
    assert bad.exit_code == 2 and "不存在" in bad.output


@pytest.mark.parametrize("profile", ["xinjiang", "shanghai"])
def test_a_package_with_nothing_in_it_composes(profile):
    d = compose(BudgetPackage.model_validate({"unit": {"name": "空局", "budget_year": 2024}}), profile)
    assert all(t.rows for t in d.tables)
    assert not any("：。" in p.text for s in d.sections for p in s.paragraphs)  # no empty enumerations
    assert d.table("income_expenditure").value("income_total", "amount") is None


def test_a_final_account_layout_refuses_a_budget_with_a_clear_message():
    from typer.testing import CliRunner

    from yusuan.cli import app
    from tests.conftest import EXAMPLE

    for layout in ("shanghai_final", "final_common"):
        result = CliRunner().invoke(app, ["show", str(EXAMPLE), "--profile", layout])
        assert result.exit_code == 2, result.output
        assert "是部门决算的版式，不能用来生成部门预算" in result.output
        assert "Traceback" not in result.output
