"""Facts rules (F.*): the builder's package passes; one broken fact fails each rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from yusuan.model import AllocationLine, EconomicLine, PriorYear, Procurement, ProjectEconomic, SanGongLine, Staffing
from yusuan.rules.testing import build_disclosure, build_package, run_rule


def check(pkg, rule_id):
    return run_rule(build_disclosure(), rule_id, package=pkg)


def f_rules():
    from yusuan.rules import load_all

    return sorted(r for r in load_all() if r.startswith("F."))


@pytest.mark.parametrize("rule_id", f_rules())
def test_builder_package_passes(rule_id):
    pkg = build_package()
    pkg.operating_costs = D("120")
    assert check(pkg, rule_id) == []


def test_facts_rules_need_facts():
    assert run_rule(build_disclosure(), "F.BASIC.FUNCTION_ECONOMIC") == []


def test_basic_function_vs_economic():
    pkg = build_package()
    pkg.basic_economic.append(EconomicLine(economic="30201", amount=D("5")))
    [f] = check(pkg, "F.BASIC.FUNCTION_ECONOMIC")
    assert f.stated == D("435") and f.expected == D("430")


def test_basic_economic_missing():
    pkg = build_package()
    pkg.basic_economic = []
    [f] = check(pkg, "F.BASIC.ECONOMIC_MISSING")
    assert f.expected == D("430")


def test_project_economic():
    pkg = build_package()
    pkg.projects[0].economic.append(ProjectEconomic(economic="30201", amount=D("10")))  # 302 given at 类 and 款
    [f] = check(pkg, "F.PROJECT.ECONOMIC")
    assert "302类" in f.message
    pkg = build_package()
    pkg.projects[1].economic = [ProjectEconomic(economic="302", amount=D("80"))]  # funding 80.5 (general)
    [g] = check(pkg, "F.PROJECT.ECONOMIC")
    assert g.stated == D("80") and g.expected == D("80.5")


def test_project_allocation():
    pkg = build_package()
    pkg.projects[2].allocation = [AllocationLine(purpose="调查", amount=D("20")), AllocationLine(purpose="治理", amount=D("40"))]
    assert check(pkg, "F.PROJECT.ALLOCATION") == []
    pkg.projects[2].allocation[1] = AllocationLine(purpose="治理", amount=D("30"))
    [f] = check(pkg, "F.PROJECT.ALLOCATION")
    assert f.stated == D("50") and f.expected == D("60")


def test_sangong_within_economic():
    pkg = build_package()
    pkg.sangong = [SanGongLine(item="reception", amount=D("3"))]  # 30217 basic is 2; projects only at 类 302 → bound 372.5
    assert check(pkg, "F.SANGONG.ECONOMIC") == []
    for p in pkg.projects:
        p.economic = [e for e in p.economic if e.economic != "302"]
    [f] = check(pkg, "F.SANGONG.ECONOMIC")
    assert f.stated == D("3") and f.expected == D("2") and "30217" in f.message


def test_sangong_source():
    pkg = build_package()
    pkg.sangong.append(SanGongLine(item="reception", source="other", amount=D("1")))
    [f] = check(pkg, "F.SANGONG.SOURCE")
    assert "其他收入" in f.message


def test_operating_costs():
    pkg = build_package()
    pkg.operating_costs = D("100")
    [f] = check(pkg, "F.OPERATING_COSTS")
    assert f.severity == "warning" and f.expected == D("120")


def test_last_year_function():
    pkg = build_package()
    pkg.last_year["general:function:2200199"] = PriorYear(amount=D("5"))  # 2200199 其他自然资源事务支出 is real but unused
    pkg.last_year["general:function:2200101"] = PriorYear(amount=D("5"))
    found = check(pkg, "F.LAST_YEAR.FUNCTION")
    assert all("2200101" not in f.message for f in found)
    pkg.last_year["general:function:9999999"] = PriorYear(amount=D("5"))
    assert any("9999999" in f.message for f in check(pkg, "F.LAST_YEAR.FUNCTION"))


def test_last_year_sums():
    pkg = build_package()
    pkg.last_year.update({"general:total": PriorYear(amount=D("100")), "general:basic": PriorYear(amount=D("60")),
                          "general:project": PriorYear(amount=D("40")),
                          "general:function:2200101": PriorYear(amount=D("60")),
                          "general:function:2200104": PriorYear(amount=D("40"))})
    assert check(pkg, "F.LAST_YEAR.SUM") == []
    pkg.last_year["general:project"] = PriorYear(amount=D("30"))
    pkg.last_year["sangong:total"] = PriorYear(amount=D("10"))
    pkg.last_year["sangong:reception"] = PriorYear(amount=D("4"))
    assert len(check(pkg, "F.LAST_YEAR.SUM")) == 2


def test_unknown_codes_printed_in_tables_are_left_to_catalogue_rules():
    pkg = build_package()
    pkg.basic_economic.append(EconomicLine(economic="30298", amount=D("0")))
    d = build_disclosure()
    t6 = d.table("general_basic")
    row = t6.rows[-1].model_copy(deep=True)
    row.key, row.code = "e:30298", "30298"
    t6.rows.append(row)
    assert run_rule(d, "F.CODE.ECONOMIC", package=pkg) == []


def test_unknown_codes():
    pkg = build_package()
    pkg.basic_economic.append(EconomicLine(economic="30298", amount=D("0")))
    [f] = check(pkg, "F.CODE.ECONOMIC")
    assert "30298" in f.message
    pkg = build_package()
    pkg.projects[0].function = "2209999"
    [g] = check(pkg, "F.CODE.FUNCTION")
    assert "2209999" in g.message and "不完整" in g.message


def test_staff_sum():
    pkg = build_package()
    pkg.overview.staffing = Staffing.model_validate({"authorized": 65, "active": {"count": 64}, "retired": {"count": 39},
                                                     "veteran": {"count": 0}, "stated_actual": 103})
    assert check(pkg, "F.STAFF.SUM") == []
    pkg.overview.staffing.stated_actual = 104
    [f] = check(pkg, "F.STAFF.SUM")
    assert f.expected == "103"


def test_procurement_reserved():
    pkg = build_package()
    pkg.procurement = Procurement(goods=D("59.67"), services=D("3193.80"), sme_reserved=D("3253.47"),
                                  small_micro_reserved=D("3253.47"))
    assert check(pkg, "F.PROCUREMENT.RESERVED") == []
    pkg.procurement.sme_reserved = D("3300")
    [f] = check(pkg, "F.PROCUREMENT.RESERVED")
    assert f.expected == D("3253.47")


# ------------------------------------------------------------------ names of classification codes

def _education(names: dict | None = None, economic_names: dict | None = None):
    """A county education bureau: 205 codes the bundled (partial) catalogue lacks below the 类."""
    from yusuan.model import BasicLine, BudgetPackage, ClassNames, Unit

    return BudgetPackage(
        unit=Unit(name="某县教育局", budget_year=2025),
        basic=[BasicLine(function="2050101", amount=D("120")), BasicLine(function="2050201", amount=D("800"))],
        basic_economic=[EconomicLine(economic="30101", amount=D("700")), EconomicLine(economic="30201", amount=D("220"))],
        class_names=ClassNames(function=names or {}, economic=economic_names or {}),
    )


def _composed(pkg):
    from yusuan.compose import compose

    return compose(pkg, "xinjiang")


FULL_NAMES = {"20501": "教育管理事务", "2050101": "行政运行", "20502": "普通教育", "2050201": "学前教育"}


def test_given_names_print_in_tables_and_text():
    d = _composed(_education(FULL_NAMES))
    rows = {r.code: r.name for r in d.table("income").rows if r.code}
    assert rows == {"205": "教育支出", **FULL_NAMES}
    text = "\n".join(p.text for s in d.sections for p in s.paragraphs)
    assert "教育支出（类）普通教育（款）学前教育（项）" in text
    assert "20502（款）" not in text


def test_code_printed_without_a_name_is_a_warning():
    pkg = _education({k: v for k, v in FULL_NAMES.items() if k != "20502"})
    d = _composed(pkg)
    [f] = run_rule(d, "F.NAMES.MISSING", package=pkg)
    assert f.severity == "warning" and f.stated == "20502" and "没有名称" in f.message
    # the unknown-code rule does not say the same again; named codes it keeps as infos
    unknown = run_rule(d, "C.FUNCTION.CODE", package=pkg)
    assert {f.stated for f in unknown} == {"20501", "2050101", "2050201"}
    assert {f.severity for f in unknown} == {"info"}
    pkg = _education(FULL_NAMES)
    assert run_rule(_composed(pkg), "F.NAMES.MISSING", package=pkg) == []


def test_given_name_that_differs_from_the_catalogue():
    # 30201 办公费 and 205 教育支出 are in the bundled catalogue: the catalogue's name prints, the given one is reported
    pkg = _education({**FULL_NAMES, "205": "教育"}, {"30201": "办公经费"})
    d = _composed(pkg)
    assert d.table("income").row("f:205").name == "教育支出"
    found = run_rule(d, "F.NAMES.CATALOGUE", package=pkg)
    assert sorted((f.stated, f.expected) for f in found) == [("办公经费", "办公费"), ("教育", "教育支出")]
    assert all(f.severity == "warning" for f in found)
    # full-width/half-width and spaces do not count
    pkg = _education({**FULL_NAMES, "205": "教育 支出"})
    assert run_rule(_composed(pkg), "F.NAMES.CATALOGUE", package=pkg) == []


def test_class_names_are_validated():
    from pydantic import ValidationError

    from yusuan.model import ClassNames

    with pytest.raises(ValidationError, match="2050"):
        ClassNames(function={"2050": "教育"})
    with pytest.raises(ValidationError, match="30201"):
        ClassNames(economic={"30201": " "})


# ------------------------------------------------------------------ where a finding on a fact was entered

def _findings(path, rule_id):
    from yusuan.rules.engine import check_package

    return [f for f in check_package(path).findings if f.rule == rule_id]


def test_findings_on_entered_facts_name_the_workbook_sheet_row_and_column(tmp_path):
    from openpyxl import load_workbook

    from yusuan.excel import write_workbook

    pkg = build_package()
    pkg.projects[0].allocation = [AllocationLine(purpose="调查", amount=D("1")), AllocationLine(purpose="治理", amount=D("2"))]
    pkg.overview.staffing = Staffing(authorized=10, active={"count": 8}, retired={"count": 2}, veteran={"count": 0},
                                     stated_actual=11)
    path = tmp_path / "录入.xlsx"
    write_workbook(pkg, path)
    wb = load_workbook(path)
    rows = {ws.cell(r, 2).value: r for ws in [wb["项目资金分配"]] for r in range(3, ws.max_row + 1)}
    staff_row = next(r for r in range(2, 20) if wb["人员编制"].cell(r, 1).value == "文中写明的实有人数")

    [alloc] = _findings(path, "F.PROJECT.ALLOCATION")
    assert alloc.location.file == "录入.xlsx" and alloc.location.table == "工作表“项目资金分配”"
    assert alloc.location.row == rows["调查"] and alloc.location.cell == f"C{rows['调查']}"
    assert alloc.location.describe() == f"录入.xlsx 工作表“项目资金分配” 第{rows['调查']}行 单元格 C{rows['调查']}"
    [staff] = _findings(path, "F.STAFF.SUM")
    assert (staff.location.table, staff.location.row, staff.location.cell) == ("工作表“人员编制”", staff_row, f"B{staff_row}")


def test_performance_findings_point_at_the_workbook_rows(tmp_path, example_package):
    from openpyxl import load_workbook

    from yusuan.excel import write_workbook

    path = tmp_path / "例.xlsx"
    write_workbook(example_package, path)
    wb = load_workbook(path)
    ws = wb["绩效指标"]
    assert ws["H2"].value == "weight" and ws["A3"].value == 1
    ws["H3"] = float(ws["H3"].value) + 50  # the weights of table 1 no longer add up
    last_year_row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == 2)
    ws.cell(last_year_row, 7).value = ws.cell(last_year_row, 8).value  # 上年完成值 copied from 权重
    wb.save(path)
    [weights] = _findings(path, "P.WEIGHTS")
    [copied] = _findings(path, "P.LASTYEAR.WEIGHT")
    assert (copied.location.table, copied.location.row, copied.location.cell) == (
        "工作表“绩效指标”", last_year_row, f"G{last_year_row}")
    table_row = next(r for r in range(3, 40) if wb["绩效目标表"].cell(r, 1).value == 1)
    assert (weights.location.table, weights.location.row) == ("工作表“绩效目标表”", table_row)


def test_findings_on_facts_of_a_yaml_package_name_the_data_path(tmp_path):
    from yusuan.load import load_package, save_package

    pkg = build_package()
    pkg.projects[1].allocation = [AllocationLine(purpose="调查", amount=D("1"))]
    path = tmp_path / "package.yaml"
    save_package(pkg, path)
    [f] = _findings(path, "F.PROJECT.ALLOCATION")
    assert f.location.file == "package.yaml" and f.location.section == "projects[1].allocation[0].amount"
    # origins are not facts: not dumped, not compared
    loaded = load_package(path)
    assert loaded.origins is not None and loaded == pkg and "origins" not in loaded.model_dump()


def test_facts_without_origins_keep_the_rules_own_location():
    pkg = build_package()
    pkg.projects[0].allocation = [AllocationLine(purpose="调查", amount=D("1"))]
    [f] = check(pkg, "F.PROJECT.ALLOCATION")
    assert f.location is None


# ------------------------------------------------------------------ years in the facts

def test_signature_date_in_the_budget_year():
    import datetime as dt

    pkg = build_package()  # a 2023 budget
    for good in (dt.date(2022, 12, 28), dt.date(2023, 2, 10)):
        pkg.unit.date_signed = good
        assert check(pkg, "F.YEAR.SIGNED") == []
    pkg.unit.date_signed = dt.date(2022, 1, 31)  # last year's date left in place
    [f] = check(pkg, "F.YEAR.SIGNED")
    assert f.severity == "warning" and f.stated == "2022-01-31" and "2022年10月1日至2023年12月31日" in f.message
    pkg.unit.phase = "final"  # a final account of 2023 is signed in 2024
    pkg.unit.date_signed = dt.date(2023, 3, 1)
    assert [f.expected for f in check(pkg, "F.YEAR.SIGNED")] == ["2024年1月1日至2024年12月31日"]


def test_project_periods_and_performance_periods_include_the_budget_year():
    from yusuan.model import Indicator, PerformanceTable

    pkg = build_package()
    pkg.projects[0].period = "2023年1月1日-2023年12月31日"
    pkg.projects[1].period = "2021—2025年"
    assert check(pkg, "F.YEAR.PERIOD") == []
    pkg.projects[1].period = "2022年1月-12月"
    [f] = check(pkg, "F.YEAR.PERIOD")
    assert f.stated == "2022年" and pkg.projects[1].name in f.message
    pkg.projects[1].period = None
    table = PerformanceTable(project=pkg.projects[0].name, fiscal=D("1"), extra={"项目实施周期": "2022年"},
                             indicators=[Indicator(level1="产出指标", level2="时效指标", name="完成时间", target="2022年12月31日前"),
                                         Indicator(level1="产出指标", level2="时效指标", name="验收", target="2024年6月前")])
    pkg.performance = [table]
    [p] = check(pkg, "F.YEAR.PERIOD")
    assert "项目实施周期" in p.message
    [i] = check(pkg, "F.YEAR.INDICATOR")  # 2024 is later: a multi-year project may set it
    assert i.stated == "2022年" and "完成时间" in i.message


def test_purchase_plan_and_asset_date_in_the_budget_year():
    from yusuan.model import Assets

    pkg = build_package()
    pkg.assets = Assets(as_of="2022年底", plan_year=2023)
    assert check(pkg, "F.YEAR.PLAN") == [] and check(pkg, "F.YEAR.ASSETS") == []
    pkg.assets = Assets(as_of="2021年12月31日", plan_year=2022)
    [plan] = check(pkg, "F.YEAR.PLAN")
    assert plan.stated == "2022" and plan.expected == "2023年"
    [asset] = check(pkg, "F.YEAR.ASSETS")
    assert asset.stated == "2021" and asset.expected == "2022年"


def test_a_wrong_year_in_the_facts_is_one_finding_not_two(tmp_path):
    """The composed text prints the period and the asset date again: the text rules leave them to the facts rules."""
    from yusuan.load import save_package
    from yusuan.model import Assets
    from yusuan.rules.engine import check_package

    pkg = build_package()
    pkg.projects[0].period = "2022年1月-12月"
    pkg.assets = Assets(as_of="2021年底", plan_year=2023)
    path = tmp_path / "package.yaml"
    save_package(pkg, path)
    years = [f for f in check_package(path).findings if "YEAR" in f.rule]
    assert sorted(f.rule for f in years) == ["F.YEAR.ASSETS", "F.YEAR.PERIOD"]
    assert {f.location.section for f in years} == {"projects[0].period", "assets.as_of"}
