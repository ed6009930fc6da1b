"""Cross-table rules: silent on a consistent disclosure, fire on one changed cell and point at it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.rules import load_all
from yusuan.rules.testing import (
    ProjectSpec, build_disclosure, cell_location, remove_row, run_rule, run_rules, sample_spec, set_cell, set_value,
)

D = Decimal
ONE = D(1)


@pytest.fixture(scope="module")
def base():
    load_all()
    return build_disclosure()


# (rule, kind, row, column, delta, at=(kind, row, column) where the finding must point; None = the mutated cell)
CASES = [
    ("X.T2T3.ROW", "income", "f:2200101", "total", ONE, None),
    ("X.T2T3.TOTAL", "income", "total", "total", ONE, None),
    ("X.T1T2.TOTAL", "income_expenditure", "income_total", "amount", ONE, None),
    ("X.T1T3.TOTAL", "income_expenditure", "expenditure_total", "amount", ONE, None),
    ("X.T5T6.BASIC", "general_expenditure", "total", "basic", ONE, None),
    ("X.T5T7.TOTAL", "general_expenditure", "total", "project", ONE, None),
    ("X.T4T8.TOTAL", "fiscal_income_expenditure", "expenditure_total", "s:fund_budget", ONE, None),
    ("X.T4T9.TOTAL", "fiscal_income_expenditure", "expenditure_total", "s:capital_budget", ONE, None),
    ("X.T4T5.TOTAL", "fiscal_income_expenditure", "expenditure_total", "s:general_budget", ONE, None),
    ("X.T5T2.ROW", "general_expenditure", "f:2200101", "total", ONE, None),
    ("X.T8T2.ROW", "fund_expenditure", "f:2120803", "total", ONE, None),
    ("X.T9T2.ROW", "income", "f:2200101", "s:capital", ONE, ("income", "f:2200101", "total")),
    ("X.T3T5.BOUND", "general_expenditure", "f:2200101", "basic", D(50), None),
    ("X.T3T5.GENERAL_ONLY", "expenditure", "f:2101101", "basic", ONE, None),
    ("X.T1T2.SOURCES", "income_expenditure", "s:general", "amount", ONE, None),
    ("X.T1T2.CLASS", "income_expenditure", "f:220", "amount", ONE, None),
    ("X.T1T3.CLASS", "income_expenditure", "f:221", "amount", ONE, None),
    ("X.T4T5.CLASS", "fiscal_income_expenditure", "f:220", "s:general_budget", ONE, None),
    ("X.T4T8.CLASS", "fiscal_income_expenditure", "f:212", "s:fund_budget", ONE, None),
    ("X.T4T9.CLASS", "fiscal_income_expenditure", "f:223", "s:capital_budget", ONE, None),
    ("X.T4T2.GENERAL", "fiscal_income_expenditure", "f:208", "s:general_budget", ONE, None),
    ("X.T4T2.FUND", "fiscal_income_expenditure", "f:212", "s:fund_budget", ONE, None),
    ("X.T4T2.CAPITAL", "fiscal_income_expenditure", "f:220", "s:capital_budget", ONE, None),
    ("X.T4T1.INCOME", "fiscal_income_expenditure", "s:general_budget", "amount", ONE, None),
    ("X.T4T1.BOUND", "fiscal_income_expenditure", "income_total", "amount", D(1000), None),
    ("X.T5T7.PROJECT", "general_expenditure", "f:2200104", "project", ONE, None),
    ("X.T5T7.CLASS", "general_project", "f:22001", "total", ONE, None),
    ("X.T6T10.RECEPTION", "general_basic", "e:30217", "total", D(5),
     ("sangong", "sangong:reception", "s:general_budget")),
    ("X.T6T10.VEHICLE_OPERATION", "sangong", "sangong:vehicle_operation", "s:general_budget", -ONE, None),
    ("X.T10T4.BUDGETS", "sangong", "sangong:total", "s:capital_budget", ONE, None),
]


@pytest.mark.parametrize("rule_id,kind,row,col,delta,at", CASES, ids=[c[0] for c in CASES])
def test_cross_rule_fires_and_points_at_the_cell(base, rule_id, kind, row, col, delta, at):
    assert run_rule(base, rule_id) == [], f"{rule_id} fires on the consistent disclosure"
    bad = set_value(base, kind, row, col, delta=delta)
    findings = run_rule(bad, rule_id)
    assert findings, f"{rule_id} did not fire"
    ak, ar, ac = at or (kind, row, col)
    expected = cell_location(bad, ak, ar, ac)
    assert any(f.location == expected for f in findings), [f.location for f in findings]
    f = next(f for f in findings if f.location == expected)
    assert f.message
    if f.difference is not None:
        assert f.difference == f.stated - f.expected


def test_row_sets_must_match(base):
    bad = remove_row(base, "expenditure", "f:2101101")
    findings = run_rule(bad, "X.T2T3.ROWSET")
    assert [f.location for f in findings] == [cell_location(bad, "income", "f:2101101", "total")]
    assert run_rule(base, "X.T2T3.ROWSET") == []


def test_reclassified_money_between_t1_and_t2(base):
    bad = set_value(base, "income_expenditure", "s:general", "amount", delta=D(5))
    bad = set_value(bad, "income_expenditure", "s:unit_funds", "amount", delta=D(-5))
    [f] = run_rule(bad, "X.T1T2.RECLASSIFIED")
    assert f.subject == "s:general" and f.stated == D(5)
    assert "单位资金" in f.message
    assert run_rule(base, "X.T1T2.RECLASSIFIED") == []
    # a plain difference (totals disagree) is not a reclassification
    assert run_rule(set_value(base, "income_expenditure", "s:general", "amount", delta=D(5)), "X.T1T2.RECLASSIFIED") == []


def test_vehicle_purchase_against_basic_capital_spending():
    spec = sample_spec()
    spec.economic = [(c, a - 5 if c == "31002" else a) for c, a in spec.economic] + [("31013", D(5))]
    spec.sangong["vehicle_purchase"] = D(5)
    d = build_disclosure(spec)
    assert run_rules(d, "X.") == []
    bad = set_value(d, "sangong", "sangong:vehicle_purchase", "s:general_budget", delta=-ONE)
    [f] = run_rule(bad, "X.T6T10.VEHICLE_PURCHASE")
    assert f.location == cell_location(bad, "sangong", "sangong:vehicle_purchase", "s:general_budget")
    assert f.severity == "warning"


def test_sangong_excess_without_project_goods_and_services(base):
    bad = set_value(base, "sangong", "sangong:reception", "total", delta=D(5))
    bad = set_value(bad, "sangong", "sangong:reception", "s:general_budget", delta=D(5))
    assert run_rule(bad, "X.T6T10.UNCOVERED") == []  # table 7 has 商品和服务支出 to cover it
    bad = set_cell(bad, "general_project", "total", "e:302", None)
    [f] = run_rule(bad, "X.T6T10.UNCOVERED")
    assert f.subject == "sangong:reception" and f.stated == D(5) and f.severity == "info"


def test_function_names_must_agree_across_tables(base):
    bad = base.model_copy(deep=True)
    bad.table("expenditure").row("f:2200101").name = "行政运行费"
    [f] = run_rule(bad, "X.NAMES.FUNCTION")
    assert f.stated == "行政运行费" and f.expected == "行政运行"
    ok = base.model_copy(deep=True)
    ok.table("expenditure").row("f:2200101").name = "行政 运行"  # spacing is not a different name
    assert run_rule(ok, "X.NAMES.FUNCTION") == []


@pytest.mark.parametrize("profile", [None, {"fiscal_tables_include_carryover": True}])
def test_fiscal_tables_with_carryover_are_consistent(profile):
    spec = sample_spec()
    spec.fiscal_tables_include_carryover = True
    d = build_disclosure(spec)
    assert run_rules(d, "X.", profile=profile) == []
    bad = set_value(d, "general_expenditure", "f:2200104", "total", delta=ONE)
    assert run_rule(bad, "X.T5T2.ROW", profile=profile)


def test_profile_saying_no_carryover_exposes_a_table_that_includes_it():
    spec = sample_spec()
    spec.fiscal_tables_include_carryover = True
    d = build_disclosure(spec)
    findings = run_rule(d, "X.T5T2.ROW", profile={"fiscal_tables_include_carryover": False})
    assert {f.subject for f in findings} >= {"f:2200104"}


def test_mixed_carryover_rows_are_skipped_not_guessed():
    spec = sample_spec()
    spec.fiscal_tables_include_carryover = True
    spec.projects.append(ProjectSpec("基金结转项目", "2120803", {"carryover_fund": D(7)}))
    d = build_disclosure(spec)
    # the department has general and fund carry-over: T2's single 财政拨款结转 column cannot be split by
    # budget, so rows carrying it (2200104, 2120803) are not compared rather than guessed
    assert run_rule(d, "X.T5T2.ROW") == []
    assert run_rule(d, "X.T8T2.ROW") == []


def test_tables_in_different_units_are_compared_in_wan():
    d = build_disclosure()
    d_yuan = build_disclosure(unit="元")
    mixed = d.model_copy(deep=True)
    mixed.tables[2] = d_yuan.tables[2]  # table 3 in 元, the rest in 万元
    assert run_rule(mixed, "X.T2T3.ROW") == []
    bad = set_value(mixed, "expenditure", "f:2200101", "total", delta=D(100))  # 100 元 = 0.01 万元
    [f] = run_rule(bad, "X.T2T3.ROW")
    assert f.difference == D("-0.01")


def test_every_cross_rule_has_a_failing_case():
    rules = load_all()
    mine = {r for r, v in rules.items() if v.func.__module__ == "yusuan.rules.cross"}
    covered = {c[0] for c in CASES} | {"X.T2T3.ROWSET", "X.T1T2.RECLASSIFIED", "X.T6T10.VEHICLE_PURCHASE",
                                       "X.T6T10.UNCOVERED", "X.NAMES.FUNCTION", "X.T2FISCAL.ROW", "X.TFT2.ROW",
                                       "X.TST6.OPERATING_COSTS"}
    assert mine - covered == set()
    assert len(mine) >= 30


def test_the_published_changji_package_contradicts_itself_where_we_know_it_does():
    """The real 2023 package (read back from its extracted text) has known inconsistencies: T1 一般公共预算拨款
    4698.73 ≠ 一般财力 2606.73 + 转移支付 1912; T2 puts the 935.26 非财政拨款结转结余 under 单位资金; T2 款 20805
    prints 170.10 against 170.11 for its 项; T7 款 22001 prints 1762.80 against 1763.80 for its projects."""
    from tests.conftest import CHANGJI_TEXT

    if not CHANGJI_TEXT.exists():
        pytest.skip("参考文件不存在")
    from yusuan.read import read_file
    from yusuan.rules.engine import check_disclosure

    report = check_disclosure(read_file(CHANGJI_TEXT).disclosure)
    got = {(f.rule, f.subject): f for f in report.findings}
    general = got[("T1.INCOME.GENERAL", "s:general_budget")]
    assert (general.stated, general.expected) == (D("4698.73"), D("4518.73"))
    moved = got[("X.T1T2.RECLASSIFIED", "s:carryover_nonfiscal")]
    assert moved.stated == D("935.26") and "单位资金" in moved.message
    assert got[("T2.HIER.KUAN", "f:20805")].difference == D("-0.01")
    assert got[("T7.HIER.KUAN", "f:22001")].difference == D("-1.00")
    assert ("T4.BLANK_GROUP", "s:fiscal") in got
    assert not report.valid


@pytest.fixture(scope="module")
def shanghai():
    from yusuan.compose import compose
    from yusuan.rules.testing import build_package

    return compose(build_package(), "shanghai")


def test_shanghai_layout_raises_no_table_findings(shanghai):
    """Shanghai prints tables in 元, T1 with 财政拨款收入 and no codes, T2 with only a 财政拨款 column."""
    assert shanghai.table("income").unit == "元"
    assert [f.message for f in run_rules(shanghai, "T")] == []
    assert [f.message for f in run_rules(shanghai, "X.")] == []
    assert [f.message for f in run_rules(shanghai, "C.")] == []


def test_shanghai_t2_fiscal_column_against_the_budget_tables(shanghai):
    bad = set_value(shanghai, "income", "f:2200104", "s:fiscal", delta=D(100))  # 100 元
    [f] = run_rule(bad, "X.T2FISCAL.ROW")
    assert f.location == cell_location(bad, "income", "f:2200104", "s:fiscal") and f.difference == D(100)
    # the per-budget rules cannot apply to a T2 without budget columns, and do not guess
    assert run_rule(bad, "X.T5T2.ROW") == [] and run_rule(bad, "X.T4T2.GENERAL") == []


def test_shanghai_t1_fiscal_income(shanghai):
    bad = set_value(shanghai, "income_expenditure", "s:general_budget", "amount", delta=D(100))
    [f] = run_rule(bad, "T1.INCOME.FISCAL")
    assert f.subject == "s:fiscal" and f.difference == D(-100)


def test_fiscal_expenditure_table_against_t2():
    spec = sample_spec()
    spec.projects = [p for p in spec.projects if "fund" not in p.funding]
    d = build_disclosure(spec)
    fe = d.table("general_expenditure").model_copy(deep=True)
    fe.kind, fe.number, fe.title = "fiscal_expenditure", "", "财政拨款支出预算表"
    d.tables.append(fe)
    assert run_rule(d, "X.TFT2.ROW") == []
    bad = set_value(d, "fiscal_expenditure", "f:2200101", "total", delta=ONE)
    [f] = run_rule(bad, "X.TFT2.ROW")
    assert f.location == cell_location(bad, "fiscal_expenditure", "f:2200101", "total")


def test_shanghai_sangong_against_basic_spending_and_operating_costs(shanghai):
    """Shanghai's “三公”经费和机关运行经费预算表 is in 万元 while T6 is in 元."""
    ts = shanghai.table("sangong_operating")
    assert ts.unit == "万元" and shanghai.table("general_basic").unit == "元"
    assert run_rule(shanghai, "X.T6T10.RECEPTION") == [] and run_rule(shanghai, "X.TST6.OPERATING_COSTS") == []
    bad = set_value(shanghai, "sangong_operating", "sangong:reception", "amount", delta=D(-1))  # 2 → 1 万元 < 20000 元
    [f] = run_rule(bad, "X.T6T10.RECEPTION")
    assert f.location == cell_location(bad, "sangong_operating", "sangong:reception", "amount")
    assert (f.stated, f.expected) == (D(1), D(2))
    bad = set_value(shanghai, "sangong_operating", "operating_costs", "amount", delta=D(5))
    [f] = run_rule(bad, "X.TST6.OPERATING_COSTS")
    assert f.difference == D(5) and f.severity == "warning"


def test_shanghai_operating_costs_text_against_its_table(shanghai):
    """Shanghai prints 机关运行经费 in its “三公”经费和机关运行经费预算表: the text must state the same figure."""
    assert run_rule(shanghai, "N.OPERATING_COSTS") == []
    bad = set_value(shanghai, "sangong_operating", "operating_costs", "amount", delta=D(5))
    [f] = run_rule(bad, "N.OPERATING_COSTS")
    assert f.severity == "fatal" and (f.stated, f.expected) == (D(120), D(125)) and "机关运行经费" in f.message


def test_shanghai_t2_fiscal_column_with_a_budget_table_left_out(shanghai):
    """A budget table the document does not print is unknown, not zero: T2's 财政拨款 is not compared with
    the other two tables alone (that sum would be short by the whole missing table)."""
    d = shanghai.model_copy(deep=True)
    d.tables = [t for t in d.tables if t.kind != "general_expenditure"]
    assert run_rule(d, "X.T2FISCAL.ROW") == []
    # the printed tables still bound it: a fund figure above T2's 财政拨款 is a contradiction
    bad = set_value(d, "fund_expenditure", "total", "total", delta=D(10**9))
    assert [f.severity for f in run_rule(bad, "X.T2FISCAL.ROW")] == ["fatal"]
