"""Within-table rules: each fires on a disclosure with one cell changed, points at the cell that
is wrong, and stays silent on the consistent disclosure (in 万元 and in 元)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.disclosure import Cell, Location, Row, Table
from yusuan.rules import load_all
from yusuan.rules.registry import Settings
from yusuan.rules.testing import (
    build_disclosure, cell_location, get_value, remove_row, run_rule, sample_spec, set_cell, set_value,
)

D = Decimal
ONE = D(1)


def with_shanghai(d):
    """Add Shanghai's 财政拨款支出预算表 (a copy of T5 under its kind) and “三公”经费和机关运行经费预算表."""
    d = d.model_copy(deep=True)
    fe = d.table("general_expenditure").model_copy(deep=True)
    fe.kind, fe.number, fe.title = "fiscal_expenditure", "", "财政拨款支出预算表"
    d.tables.append(fe)
    t10 = d.table("sangong")
    so = Table(kind="sangong_operating", title="“三公”经费和机关运行经费预算表", columns=[])
    for r in t10.rows:
        value = r.value("total")
        so.rows.append(Row(key=r.key, name=r.name, cells={"amount": Cell(text=str(value or ""), value=value,
                                                                         location=Location(table=so.title, row=len(so.rows) + 1, column="amount"))}))
    d.tables.append(so)
    return d


@pytest.fixture(scope="module")
def base():
    load_all()
    return with_shanghai(build_disclosure())


# (rule, table kind, row, column, delta) — the mutated cell is where the finding must point,
# unless ``at`` names another (row, column).
HIER = []
for kind, tid, kuan, item, lei, col in [
    ("income", "T2", "f:20805", "f:2080505", "f:208", "s:general"),
    ("expenditure", "T3", "f:22001", "f:2200101", "f:220", "basic"),
    ("general_expenditure", "T5", "f:22001", "f:2200101", "f:220", "basic"),
    ("fund_expenditure", "T8", "f:21208", "f:2120803", "f:212", "project"),
    ("fiscal_expenditure", "TF", "f:22001", "f:2200101", "f:220", "basic"),
]:
    HIER += [
        (f"{tid}.HIER.KUAN", kind, kuan, col, ONE, None),
        (f"{tid}.HIER.LEI", kind, lei, col, ONE, None),
        (f"{tid}.HIER.TOTAL", kind, "total", col, ONE, None),
    ]

CASES = HIER + [
    ("T2.ROW.SOURCES", "income", "f:2200101", "s:unit_funds", ONE, ("f:2200101", "total")),
    ("T2.ROW.FISCAL", "income", "f:2200101", "s:general_transfer", ONE, ("f:2200101", "s:fiscal")),
    ("T3.ROW.TOTAL", "expenditure", "f:2200101", "basic", ONE, ("f:2200101", "total")),
    ("T5.ROW.TOTAL", "general_expenditure", "f:2200104", "project", ONE, ("f:2200104", "total")),
    ("T8.ROW.TOTAL", "fund_expenditure", "f:2120803", "basic", ONE, ("f:2120803", "total")),
    ("T9.ROW.TOTAL", "capital_expenditure", "total", "basic", ONE, ("total", "total")),
    ("TF.ROW.TOTAL", "fiscal_expenditure", "f:2200101", "basic", ONE, ("f:2200101", "total")),
    ("T9.HIER.TOTAL", "capital_expenditure", "total", "total", ONE, None),  # no 类 rows: skipped → see below
    ("T6.HIER.LEI", "general_basic", "e:301", "personnel", ONE, None),
    ("T6.HIER.TOTAL", "general_basic", "total", "public", ONE, None),
    ("T6.ROW.TOTAL", "general_basic", "e:30101", "personnel", ONE, ("e:30101", "total")),
    ("T6.SPLIT.PERSONNEL", "general_basic", "e:30101", "public", D(5), None),
    ("T6.SPLIT.PUBLIC", "general_basic", "e:30201", "personnel", D(5), None),
    ("T7.HIER.KUAN", "general_project", "f:22001", "total", ONE, None),
    ("T7.HIER.LEI", "general_project", "f:220", "e:302", ONE, None),
    ("T7.HIER.TOTAL", "general_project", "total", "e:310", ONE, None),
    ("T7.ROW.ECONOMIC", "general_project", "p:2200106:自然资源调查监测", "e:302", ONE,
     ("p:2200106:自然资源调查监测", "total")),
    ("T9.EMPTY.CONTRADICTION", "capital_expenditure", "total", "total", D(5), None),
    ("T1.INCOME.CURRENT", "income_expenditure", "s:current_year", "amount", ONE, None),
    ("T1.INCOME.GENERAL", "income_expenditure", "s:general", "amount", ONE, ("s:general_budget", "amount")),
    ("T1.INCOME.FUND", "income_expenditure", "s:fund_budget", "amount", ONE, None),
    ("T1.INCOME.CAPITAL", "income_expenditure", "s:capital_budget", "amount", ONE, None),
    ("T1.INCOME.UNIT", "income_expenditure", "s:business", "amount", ONE, ("s:unit_funds", "amount")),
    ("T1.INCOME.CARRYOVER", "income_expenditure", "s:carryover", "amount", ONE, None),
    ("T1.INCOME.CARRYOVER_FISCAL", "income_expenditure", "s:carryover_fiscal", "amount", ONE, None),
    ("T1.INCOME.CARRYOVER_NONFISCAL", "income_expenditure", "s:carryover_unit", "amount", ONE,
     ("s:carryover_nonfiscal", "amount")),
    ("T1.INCOME.TOTAL", "income_expenditure", "income_total", "amount", ONE, None),
    ("T1.EXPENDITURE.TOTAL", "income_expenditure", "f:220", "amount", ONE, ("expenditure_total", "amount")),
    ("T1.BALANCE", "income_expenditure", "expenditure_total", "amount", ONE, None),
    ("T4.INCOME.FISCAL", "fiscal_income_expenditure", "s:general_budget", "amount", ONE, ("s:fiscal", "amount")),
    ("T4.INCOME.TOTAL", "fiscal_income_expenditure", "income_total", "amount", ONE, None),
    ("T4.EXPENDITURE.TOTAL", "fiscal_income_expenditure", "f:212", "s:fund_budget", ONE,
     ("expenditure_total", "s:fund_budget")),
    ("T4.BALANCE", "fiscal_income_expenditure", "expenditure_total", "total", ONE, None),
    ("T4.ROW.BUDGETS", "fiscal_income_expenditure", "f:220", "s:general_budget", ONE, ("f:220", "total")),
    ("T4.BUDGET.BALANCE", "fiscal_income_expenditure", "s:fund_budget", "amount", ONE,
     ("expenditure_total", "s:fund_budget")),
    ("T10.ROW.TOTAL", "sangong", "sangong:reception", "s:general_budget", ONE, ("sangong:total", "s:general_budget")),
    ("T10.ROW.VEHICLE", "sangong", "sangong:vehicle_operation", "total", ONE, ("sangong:vehicle", "total")),
    ("T10.ROW.SOURCES", "sangong", "sangong:reception", "total", ONE, None),
    ("TS.ROW.TOTAL", "sangong_operating", "sangong:total", "amount", ONE, None),
    ("TS.ROW.VEHICLE", "sangong_operating", "sangong:vehicle", "amount", ONE, None),
    ("TAB.NEGATIVE", "income", "f:2200101", "s:general", D(-400), None),
    ("TAB.PRECISION", "expenditure", "f:2200101", "basic", D("0.001"), None),
]
CASES = [c for c in CASES if c[0] != "T9.HIER.TOTAL"]


def _loc_matches(d, kind, row, col, loc):
    expected = cell_location(d, kind, row, col)
    assert loc is not None
    assert loc.table == expected.table
    assert loc.row == expected.row
    assert loc.column == expected.column


@pytest.mark.parametrize("rule_id,kind,row,col,delta,at", CASES, ids=[c[0] + ":" + c[2] for c in CASES])
def test_rule_fires_on_mutated_cell_and_points_at_it(base, rule_id, kind, row, col, delta, at):
    assert run_rule(base, rule_id) == [], f"{rule_id} fires on the consistent disclosure"
    bad = set_value(base, kind, row, col, delta=delta)
    findings = run_rule(bad, rule_id)
    assert findings, f"{rule_id} did not fire"
    target_row, target_col = at or (row, col)
    located = [f for f in findings if f.location and f.location.row == cell_location(bad, kind, target_row, target_col).row
               and f.location.column == cell_location(bad, kind, target_row, target_col).column]
    assert located, [f.location for f in findings]
    _loc_matches(bad, kind, target_row, target_col, located[0].location)
    f = located[0]
    assert f.message and "表" in f.message
    if isinstance(f.stated, Decimal) and isinstance(f.expected, Decimal) and f.difference is not None:
        assert f.difference == f.stated - f.expected


@pytest.mark.parametrize("rule_id,kind,row,col,missing", [
    ("T2.HIER.PARENT", "income", "f:2080505", None, "f:20805"),
    ("T3.HIER.PARENT", "expenditure", "f:21011", None, "f:210"),
    ("T5.HIER.PARENT", "general_expenditure", "f:2210201", None, "f:22102"),
    ("T8.HIER.PARENT", "fund_expenditure", "f:2120803", None, "f:21208"),
    ("TF.HIER.PARENT", "fiscal_expenditure", "f:2200101", None, "f:22001"),
    ("T7.HIER.PARENT", "general_project", "p:2200104:国土空间规划编制", None, "f:22001"),
    ("T6.HIER.PARENT", "general_basic", "e:30101", None, "e:301"),
])
def test_parent_rows_must_be_printed(base, rule_id, kind, row, col, missing):
    assert run_rule(base, rule_id) == []
    bad = remove_row(base, kind, missing)
    if not _other_rows_of_level(bad.table(kind), missing):
        # the only row of its level: leaving it out is the layout of a table without that level.
        # The omission shows only beside another row of the level, so print one (a copy under a new code).
        bad = _with_sibling(bad, kind, missing)
    findings = run_rule(bad, rule_id)
    assert any(f.subject == row for f in findings), [f.message for f in findings]
    assert all(f.severity == "warning" for f in findings)
    # one missing parent, one finding, however many rows it has below it
    assert len([f for f in findings if f.expected == missing.split(":")[1]]) == 1


def _other_rows_of_level(table, missing):
    prefix, code = missing.split(":")
    return [r for r in table.rows if r.key.startswith(prefix + ":") and len(r.key.split(":")[1]) == len(code)]


def _with_sibling(d, kind, missing):
    """``d`` with a copy of the last row of ``missing``'s level-mate structure: a parent row under a code
    no other row uses, and a child row below it, so that the table prints rows of that level."""
    d = d.model_copy(deep=True)
    table = d.table(kind)
    prefix, code = missing.split(":")
    child = next(r for r in table.rows if r.key.startswith(prefix + ":") and r.key.split(":")[1].startswith(code)
                 and len(r.key.split(":")[1]) > len(code))
    new_parent = code[:-2] + f"{(int(code[-2:]) + 1) % 100:02d}"
    new_child = new_parent + child.key.split(":")[1][len(code):]
    for key, c, src in ((f"{prefix}:{new_parent}", new_parent, child), (f"{prefix}:{new_child}", new_child, child)):
        row = src.model_copy(deep=True, update={"key": key, "code": c,
                                                "level": {3: "类", 5: "款", 7: "项"}.get(len(c), src.level)})
        table.rows.append(row)
    return d


@pytest.mark.parametrize("rule_id,kind,prefix,level_len", [
    ("T2.HIER.PARENT", "income", "f:", 5), ("T3.HIER.PARENT", "expenditure", "f:", 5),
    ("T3.HIER.PARENT", "expenditure", "f:", 3), ("T5.HIER.PARENT", "general_expenditure", "f:", 5),
    ("T8.HIER.PARENT", "fund_expenditure", "f:", 5), ("T7.HIER.PARENT", "general_project", "f:", 5),
    ("T6.HIER.PARENT", "general_basic", "e:", 3),
])
def test_a_table_without_a_whole_level_is_a_layout_not_a_missing_parent(base, rule_id, kind, prefix, level_len):
    """Only 项 rows (or 类 and 项 without 款, or 款 without 类) is a real layout: no warning; the
    hierarchy it does not print is counted as unchecked instead."""
    from yusuan.rules.registry import Context
    from yusuan.rules.engine import registered_rules
    from yusuan.rules.registry import rule_findings

    d = base.model_copy(deep=True)
    table = d.table(kind)
    table.rows = [r for r in table.rows if not (r.key.startswith(prefix) and len(r.key.split(":")[1]) == level_len)]
    ctx = Context(d)
    assert rule_findings(ctx, registered_rules()[rule_id], "warning") == []
    assert ctx.unknown.get(rule_id)


def test_t9_hierarchy_and_total_on_a_capital_budget_department():
    spec = sample_spec()
    from yusuan.rules.testing import ProjectSpec

    spec.projects.append(ProjectSpec("国企改革", "2200101", {"capital": D("12")}))
    d = build_disclosure(spec)
    for rid in ("T9.HIER.KUAN", "T9.HIER.LEI", "T9.HIER.TOTAL", "T9.HIER.PARENT", "T9.ROW.TOTAL"):
        assert run_rule(d, rid) == []
    for rid, row in (("T9.HIER.KUAN", "f:22001"), ("T9.HIER.LEI", "f:220"), ("T9.HIER.TOTAL", "total")):
        bad = set_value(d, "capital_expenditure", row, "project", delta=ONE)
        assert [f.subject for f in run_rule(bad, rid)] == [row]
    # its only 款 left out: a table of 类 and 项 rows, a layout; beside another 款 row, an omission
    assert run_rule(remove_row(d, "capital_expenditure", "f:22001"), "T9.HIER.PARENT") == []
    assert run_rule(_with_sibling(remove_row(d, "capital_expenditure", "f:22001"), "capital_expenditure", "f:22001"),
                    "T9.HIER.PARENT")


def test_t7_project_row_needs_a_name(base):
    assert run_rule(base, "T7.ROW.NAME") == []
    bad = base.model_copy(deep=True)
    key = "p:2200106:自然资源调查监测"
    bad.table("general_project").row(key).cells["project_name"].text = "  "
    [f] = run_rule(bad, "T7.ROW.NAME")
    assert f.subject == key and f.location.column == "项目名称"


def test_unreadable_and_duplicate_rows(base):
    bad = base.model_copy(deep=True)
    cell = bad.table("income").row("f:2200101").cells["s:general"]
    cell.text, cell.value = "3OO.00", None
    [f] = run_rule(bad, "TAB.UNREADABLE")
    assert "3OO.00" in f.message and f.subject == "f:2200101"
    assert run_rule(base, "TAB.UNREADABLE") == []
    bad2 = base.model_copy(deep=True)
    t3 = bad2.table("expenditure")
    t3.rows.append(t3.row("f:2101101").model_copy(deep=True))
    [f] = run_rule(bad2, "TAB.DUPLICATE_ROW")
    assert f.subject == "f:2101101"
    assert run_rule(base, "TAB.DUPLICATE_ROW") == []


@pytest.mark.parametrize("unit,small,large", [("万元", D("0.004"), D("0.006")), ("元", D("40"), D("60"))])
def test_tolerance_is_in_the_tables_unit(unit, small, large):
    d = build_disclosure(unit=unit)
    assert run_rule(set_value(d, "income", "f:20805", "total", delta=small), "T2.HIER.KUAN") == []
    assert run_rule(set_value(d, "income", "f:20805", "total", delta=large), "T2.HIER.KUAN")


def test_tolerance_setting_widens_the_check():
    d = set_value(build_disclosure(), "income", "f:20805", "total", delta=D("0.02"))
    assert run_rule(d, "T2.HIER.KUAN")
    assert run_rule(d, "T2.HIER.KUAN", settings=Settings(tolerance=D("0.05"))) == []


@pytest.mark.parametrize("rule_id,kind,row,col,expected", [
    ("T1.BLANK_GROUP", "income_expenditure", "s:unit_funds", "amount", D(30)),
    ("T4.BLANK_GROUP", "fiscal_income_expenditure", "s:fiscal", "amount", D("990.5")),
    ("T10.BLANK_GROUP", "sangong", "sangong:vehicle", "total", D(8)),
])
def test_blank_group_row_with_printed_parts(rule_id, kind, row, col, expected):
    """Like the Changji package: 5.单位资金 blank while 其他收入 prints 180; T4's 一、财政拨款（补助） blank."""
    d = build_disclosure()
    assert run_rule(d, rule_id) == []
    d = set_cell(d, kind, row, col, None)
    [f] = run_rule(d, rule_id)
    assert f.subject == row and f.stated == 0 and f.expected == expected and f.severity == "warning"
    assert f.location == cell_location(d, kind, row, col)
    # the other identities read the blank group row as the sum of its parts instead of zero
    from yusuan.rules.testing import run_rules

    assert [x.rule for x in run_rules(d, "T") if x.rule != rule_id] == []
    assert [x.rule for x in run_rules(d, "X.")] == []


def test_missing_group_row_is_replaced_by_its_parts():
    d = remove_row(build_disclosure(), "income_expenditure", "s:current_year")
    assert run_rule(d, "T1.INCOME.TOTAL") == []
    d = set_value(d, "income_expenditure", "s:general_budget", "amount", delta=ONE)  # a printed part of the missing row
    [f] = run_rule(d, "T1.INCOME.TOTAL")
    assert f.expected == f.stated + ONE


def test_t4_with_carryover_balances_and_budget_balance_counts_it():
    spec = sample_spec()
    spec.fiscal_tables_include_carryover = True
    d = build_disclosure(spec)
    from yusuan.rules.testing import run_rules

    assert [f.rule for f in run_rules(d, "T")] == []
    assert get_value(d, "fiscal_income_expenditure", "income_total", "amount") == D("1040.5")


def test_every_table_rule_has_a_failing_case():
    """No within-table rule without a test that makes it fire."""
    rules = load_all()
    mine = {r for r, v in rules.items() if v.func.__module__ in (
        "yusuan.rules.tables", "yusuan.rules.tables_statements", "yusuan.rules.tables_cells")}
    covered = {c[0] for c in CASES} | {"T2.HIER.PARENT", "T3.HIER.PARENT", "T5.HIER.PARENT", "T8.HIER.PARENT",
                                       "TF.HIER.PARENT", "T7.HIER.PARENT", "T6.HIER.PARENT", "T9.HIER.KUAN",
                                       "T9.HIER.LEI", "T9.HIER.TOTAL", "T9.HIER.PARENT", "T7.ROW.NAME",
                                       "TAB.UNREADABLE", "TAB.DUPLICATE_ROW", "T8.EMPTY.CONTRADICTION",
                                       "T1.BLANK_GROUP", "T4.BLANK_GROUP", "T10.BLANK_GROUP",
                                       "T1.INCOME.FISCAL"}  # Shanghai's T1: tests/test_rules_cross.py
    assert mine - covered == set()
    assert len(mine) >= 70


def test_t8_empty_note_contradiction():
    spec = sample_spec()
    spec.projects = [p for p in spec.projects if "fund" not in p.funding]
    d = build_disclosure(spec)
    assert d.table("fund_expenditure").empty_note
    assert run_rule(d, "T8.EMPTY.CONTRADICTION") == []
    bad = set_cell(d, "fund_expenditure", "total", "project", D(3))
    [f] = run_rule(bad, "T8.EMPTY.CONTRADICTION")
    assert f.stated == D(3)


def test_identity_needing_both_columns_is_skipped_when_one_is_not_printed(base):
    """A T5 read with its 基本支出 column under another key cannot be checked row by row: no false alarm."""
    d = base.model_copy(deep=True)
    t5 = d.table("general_expenditure")
    for c in t5.columns:
        if c.key == "basic":
            c.key = "s:general"
    for r in t5.rows:
        if "basic" in r.cells:
            r.cells["s:general"] = r.cells.pop("basic")
    assert run_rule(d, "T5.ROW.TOTAL") == []
