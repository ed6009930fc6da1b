"""Final accounts (部门决算) end to end: facts → derived sums → the nine tables and text → files → read back;
and the final-account checks, each failing on a broken form and passing on the good one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.conftest import ROOT
from yusuan.compose import compose
from yusuan.derive_final import FinalSums, completion_rate
from yusuan.load import load_package
from yusuan.model.final import FinalAccount
from yusuan.rules.testing import run_rule, set_cell, set_value

EXAMPLE = ROOT / "examples" / "final-account-2024"
D = Decimal


@pytest.fixture(scope="module")
def account() -> FinalAccount:
    acc = load_package(EXAMPLE)
    assert isinstance(acc, FinalAccount)
    return acc


@pytest.fixture(scope="module")
def disclosure(account):
    return compose(account)


# ------------------------------------------------------------------ facts and derived sums

def test_year_end_balance_is_derived_from_the_leaf_facts(account):
    sums = FinalSums(account)
    assert sums.income() == D("2187.50") and sums.spending() == D("2104.90")
    assert sums.carryover_start() == D("40.00")
    # 40 + 2187.50 + 2.00 (非财政拨款结余 used) − 2104.90 − 1.50 (结余分配)
    assert sums.carryover_end() == D("123.10")
    assert sums.carryover_end("fiscal") == D("115.10")
    assert sums.income_total() == sums.expenditure_total() == D("2229.50")
    assert sums.carryover_end_by_function("fund_budget")["2120803"] == D("35.00")


def test_unknown_budget_is_not_zero(account):
    sums = FinalSums(account)
    # the 其他收入 project line of 2010602 gives no 年初预算: all sources together are unknown
    assert sums.budget() is None and sums.budget_by_function()["2010602"] is None
    assert sums.budget("general_budget") == D("1921.00")
    assert completion_rate(D("1914.90"), D("1921.00")) == D("99.68")
    assert completion_rate(D("1"), None) is None and completion_rate(D("1"), D(0)) is None


def test_bad_facts_are_refused_in_chinese(account):
    data = account.model_dump()
    data["carryover"].append({"function": "2010601", "source": "carryover_general", "amount": 1})
    with pytest.raises(ValidationError, match="不能用于年初结转和结余"):
        FinalAccount.model_validate(data)
    data = account.model_dump()
    data["income"].append({"function": "2010601", "source": "carryover_general", "amount": 1})
    with pytest.raises(ValidationError, match="不是本年收入来源"):
        FinalAccount.model_validate(data)
    data = account.model_dump()
    data["unit"]["phase"] = "budget"
    with pytest.raises(ValidationError, match="phase 应为 final"):
        FinalAccount.model_validate(data)


# ------------------------------------------------------------------ composition

def test_composes_the_nine_tables_and_the_completion_sentences(disclosure):
    assert disclosure.phase == "final" and disclosure.profile == "final_common"
    assert [t.kind for t in disclosure.tables] == [
        "income_expenditure", "income", "expenditure", "fiscal_income_expenditure", "general_expenditure",
        "general_basic", "sangong", "fund_expenditure", "capital_expenditure"]
    t1 = disclosure.table("income_expenditure")
    assert t1.value("carryover_end", "amount") == D("123.10")
    assert t1.value("income_total", "amount") == t1.value("expenditure_total", "amount") == D("2229.50")
    general = disclosure.section("general")
    item = next(p.text for p in general.paragraphs if "行政运行（项）" in p.text)
    assert "年初预算为1190.00万元，支出决算为1180.20万元，完成年初预算的99.18%" in item
    assert "决算数小于年初预算数的主要原因：人员调出及退休" in item
    sangong = disclosure.table("sangong")
    assert sangong.value("sangong:total", "budget") == D("45.00") and sangong.value("sangong:total", "actual") == D("37.70")


def test_composed_final_account_checks_clean(account, disclosure):
    from yusuan.rules.engine import check_package

    report = check_package(account, disclosure=disclosure)
    assert [f.rule for f in report.findings if f.severity != "info"] == []


# ------------------------------------------------------------------ build and audit back

def test_build_writes_four_formats_and_each_reads_back_every_cell(tmp_path, disclosure):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from yusuan.read import read_file
    from yusuan.rules.engine import check_disclosure

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--no-toc-pages"])
    assert result.exit_code == 0, result.output
    written = {p.suffix: p for p in out.iterdir() if "校验报告" not in p.name}
    assert set(written) == {".docx", ".xlsx", ".html", ".pdf"}
    expected = {(t.kind, r.key, k): c.value for t in disclosure.tables for r in t.rows for k, c in r.cells.items()}
    for suffix in (".docx", ".xlsx", ".html", ".pdf"):
        read = read_file(written[suffix])
        d = read.disclosure
        assert d.phase == "final" and d.profile == "final_common", suffix
        got = {}
        for key in expected:
            table = d.table(key[0])
            row = table.row(key[1]) if table else None
            cell = row.cells.get(key[2]) if row else None
            got[key] = cell.value if cell else "absent"
        assert got == expected, suffix
        report = check_disclosure(d)
        assert [f.rule for f in report.findings if f.severity == "fatal"] == [], suffix


# ------------------------------------------------------------------ final-account rules: bad form fails, good passes

def _only(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_t1_carryover_identity(disclosure):
    assert run_rule(disclosure, "FA.T1.CARRYOVER") == []
    broken = set_value(disclosure, "income_expenditure", "carryover_end", "amount", delta=D("5"))
    [f] = run_rule(broken, "FA.T1.CARRYOVER")
    assert f.severity == "fatal" and f.expected == D("123.10") and "年末结转和结余" in f.message
    # a budget is not checked
    assert run_rule(broken.model_copy(update={"phase": "budget"}), "FA.T1.CARRYOVER") == []


def test_t4_carryover_identity_per_budget(disclosure):
    assert run_rule(disclosure, "FA.T4.CARRYOVER") == []
    broken = set_value(disclosure, "fiscal_income_expenditure", "carryover_end", "s:fund_budget", delta=D("-1"))
    [f] = run_rule(broken, "FA.T4.CARRYOVER")
    assert f.expected == D("35.00")


def test_fund_table_carryover_by_row(disclosure):
    assert run_rule(disclosure, "FA.T8.CARRYOVER") == []
    broken = set_value(disclosure, "fund_expenditure", "f:2120803", "carryover_end", delta=D("2"))
    assert [f.subject for f in run_rule(broken, "FA.T8.CARRYOVER")] == ["f:2120803"]



def test_capital_table_carryover_by_row(disclosure):
    # the example has no state-capital money: its 国有资本经营 table takes the fund table's rows (same layout)
    d = disclosure.model_copy(deep=True)
    capital, fund = d.table("capital_expenditure"), d.table("fund_expenditure")
    capital.columns = [c.model_copy() for c in fund.columns]
    capital.rows = [r.model_copy(deep=True) for r in fund.rows]
    assert run_rule(d, "FA.T9.CARRYOVER") == []
    broken = set_value(d, "capital_expenditure", "f:2120803", "carryover_end", delta=D("2"))
    [f] = run_rule(broken, "FA.T9.CARRYOVER")
    assert f.subject == "f:2120803" and f.severity == "fatal"
    assert run_rule(broken.model_copy(update={"phase": "budget"}), "FA.T9.CARRYOVER") == []

def test_t3_total_of_every_kind(disclosure):
    assert run_rule(disclosure, "FA.T3.KINDS") == []
    broken = set_cell(disclosure, "expenditure", "f:2010601", "operating_expense", D("3"))
    assert [f.subject for f in run_rule(broken, "FA.T3.KINDS")] == ["f:2010601"]


def _edit_statement(d, subject, **update):
    d = d.model_copy(deep=True)
    for section in d.sections:
        for p in section.paragraphs:
            for s in p.statements:
                if s.subject == subject:
                    for k, v in update.items():
                        setattr(s, k, v)
                    if "text" in update:
                        p.text = update["text"]
                    return d
    raise AssertionError(subject)


def test_stated_item_budgets_add_up(disclosure):
    assert run_rule(disclosure, "FA.TEXT.BUDGET_ITEMS") == []
    broken = _edit_statement(disclosure, "general:total:budget", amount=D("1925.00"))
    [f] = run_rule(broken, "FA.TEXT.BUDGET_ITEMS")
    assert f.expected == D("1921.00")


def test_difference_from_budget_needs_a_reason(disclosure):
    assert run_rule(disclosure, "FA.TEXT.REASON") == []
    item = next(p for p in disclosure.section("general").paragraphs if "行政运行（项）" in p.text)
    bare = item.text[:item.text.index("决算数小于")]
    broken = _edit_statement(disclosure, "general:function:2010601", reason=None, text=bare)
    [f] = run_rule(broken, "FA.TEXT.REASON")
    assert f.subject == "general:function:2010601"


def test_sangong_text_against_table(disclosure):
    assert run_rule(disclosure, "FA.SANGONG.TEXT") == []
    broken = set_cell(disclosure, "sangong", "sangong:abroad", "actual", D("7.50"))
    [f] = run_rule(broken, "FA.SANGONG.TEXT")
    assert f.subject == "sangong:abroad" and f.expected == D("7.50")
    broken = _edit_statement(disclosure, "sangong:total:budget", amount=D("46.00"))
    assert [f.subject for f in run_rule(broken, "FA.SANGONG.TEXT")] == ["sangong:total:budget"]


def test_sangong_difference_needs_a_reason(disclosure):
    assert run_rule(disclosure, "FA.SANGONG.REASON") == []
    d = disclosure.model_copy(deep=True)
    for p in d.section("sangong").paragraphs:
        p.text = p.text.split("决算数小于")[0].replace("原因", "")
    assert [f.subject for f in run_rule(d, "FA.SANGONG.REASON")] == ["sangong:total"]


def test_completion_rate_and_comparison_word_are_checked_on_composed_text(disclosure):
    """The existing text rules see the composed sentences: a wrong rate or word is found."""
    item = next(p for p in disclosure.section("general").paragraphs if "行政运行（项）" in p.text)
    broken = _edit_statement(disclosure, "general:function:2010601",
                             text=item.text.replace("99.18%", "98.18%"))
    assert len(run_rule(broken, "W.RATE.COMPLETION")) == 1
    broken = _edit_statement(disclosure, "general:function:2010601", text=item.text.replace("小于", "大于"))
    assert len(run_rule(broken, "W.FINAL.COMPARE")) == 1


# ------------------------------------------------------------------ budget against final account

def _budget_of(account: FinalAccount, delta: dict[str, Decimal] | None = None):
    """The same department year's budget as it would have been published: 一般公共预算 by 项 at the final
    account's 年初预算 (``delta`` moves one 项), 三公 at its 预算数."""
    from yusuan.model import BasicLine, BudgetPackage, Funding, Project, SanGongLine, Unit

    delta = delta or {}
    lines = [l for l in account.spending if l.source.value == "general"]
    basic = [BasicLine(function=l.function, amount=l.initial_budget + delta.get(l.function, D(0)))
             for l in lines if l.kind == "basic"]
    projects = [Project(name=f"项目{l.function}", function=l.function,
                        funding=[Funding(source="general", amount=l.initial_budget + delta.get(l.function, D(0)))])
                for l in lines if l.kind == "project"]
    sangong = [SanGongLine(item=s.item, amount=s.budget) for s in account.sangong if s.budget]
    return BudgetPackage(unit=Unit(name=account.unit.name, budget_year=account.unit.budget_year),
                         basic=basic, projects=projects, sangong=sangong)


def test_compare_finds_an_injected_restated_budget_difference(account, disclosure):
    from yusuan.rules.engine import check_disclosure

    def fb(budget_package):
        report = check_disclosure(disclosure, previous=compose(budget_package))
        return [f for f in report.findings if f.rule.startswith("FB.")]

    assert fb(_budget_of(account)) == []
    found = fb(_budget_of(account, {"2010607": D("5")}))
    restated = [f for f in found if f.rule == "FB.RESTATED.BUDGET"]
    assert {f.subject for f in restated} == {"general:function:2010607:budget", "general:total:budget"}
    assert all(f.severity == "fatal" for f in restated)
    assert next(f for f in restated if f.subject.startswith("general:function")).expected == D("155.00")



def test_compare_finds_a_restated_sangong_budget(account, disclosure):
    from yusuan.rules.engine import check_disclosure

    budget = _budget_of(account)
    report = check_disclosure(disclosure, previous=compose(budget))
    assert [f for f in report.findings if f.rule == "FB.RESTATED.SANGONG"] == []
    changed = budget.model_copy(deep=True)
    line = next(s for s in changed.sangong if s.item == "reception")
    line.amount += D("1")
    found = [f for f in check_disclosure(disclosure, previous=compose(changed)).findings
             if f.rule == "FB.RESTATED.SANGONG"]
    assert {f.subject for f in found} == {"sangong:reception", "sangong:total"}
    assert all(f.severity == "warning" for f in found)

def test_compare_wants_a_reason_for_a_large_difference(account, disclosure):
    from yusuan.rules.engine import check_disclosure

    d = _edit_statement(disclosure, "general:function:2010607", reason=None, text="信息化建设支出决算为130.00万元。")
    report = check_disclosure(d, previous=compose(_budget_of(account)))
    assert [f.subject for f in report.findings if f.rule == "FB.DIFF.REASON"] == ["f:2010607"]  # 130 vs 150: 13%
    report = check_disclosure(disclosure, previous=compose(_budget_of(account)))
    assert [f for f in report.findings if f.rule == "FB.DIFF.REASON"] == []


def test_compare_command(tmp_path, account):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from yusuan.load import save_package

    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    save_package(_budget_of(account), good)
    save_package(_budget_of(account, {"2080505": D("-3")}), bad)
    result = CliRunner().invoke(app, ["compare", str(good), str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "2080505" in result.output and "118.00" in result.output
    result = CliRunner().invoke(app, ["compare", str(bad), str(EXAMPLE)])
    assert result.exit_code == 1 and "FB.RESTATED.BUDGET" in result.output
