"""Recovering facts from a disclosure: compose(facts_from_disclosure(compose(facts))) prints what
compose(facts) prints, directly and through the DOCX, XLSX and PDF files built from it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from yusuan.compose import compose
from yusuan.errors import InputError
from yusuan.recover import RULE, facts_from_disclosure

# Facts no printed figure or sentence carries (why they cannot come back):
#   unit.full_name / unit.region / unit.code  – not printed (the title uses the short name);
#   Project.note                              – editor's remark, never printed;
#   Project.economic outside table 7          – only general-budget projects print economic columns.
NOT_PRINTED_PROJECT_FIELDS = {"note"}


def cells(disclosure) -> dict:
    return {(t.kind, r.key, key): (c.text, c.value) for t in disclosure.tables for r in t.rows
            for key, c in r.cells.items()}


def statements(disclosure) -> list[tuple]:
    return [(s.subject, s.amount, s.share, s.last_year, s.change, s.rate, s.reason) for s in disclosure.statements()]


def cell_values(disclosure) -> dict:
    return {k: v[1] for k, v in cells(disclosure).items()}


@pytest.fixture(scope="module")
def original(example_package):
    return compose(example_package)


@pytest.fixture(scope="module")
def recovered(original):
    return facts_from_disclosure(original)


# ---------------------------------------------------------------- 1. fixpoint on the composed example

def test_recomposed_tables_statements_and_performance_are_identical(original, recovered):
    package, _ = recovered
    again = compose(package)
    assert len(cells(original)) > 500
    assert cells(again) == cells(original)
    assert len(statements(original)) > 150
    assert statements(again) == statements(original)
    assert [p.table for p in again.performance] == [p.table for p in original.performance]
    assert [p.stated_total for p in again.performance] == [p.stated_total for p in original.performance]


def test_recovered_facts_equal_the_determined_facts(example_package, recovered):
    package, _ = recovered
    want, got = example_package, package
    for field in ("name", "budget_year", "phase", "profile", "date_signed"):
        assert getattr(got.unit, field) == getattr(want.unit, field), field
    assert got.unit.full_name is None and want.unit.full_name  # not printed anywhere
    assert got.overview == want.overview  # texts, divisions, staffing (with stated 实有人数)
    for field in ("basic", "basic_economic", "sangong", "operating_costs", "procurement", "assets", "last_year",
                  "glossary", "performance", "notes"):
        assert getattr(got, field) == getattr(want, field), field


def test_general_budget_projects_recovered_with_their_texts(example_package, recovered):
    package, _ = recovered
    general = {"general", "general_transfer"}
    want = [p for p in example_package.projects if any(f.source in general for f in p.funding)]
    got = [p for p in package.projects if any(f.source in general for f in p.funding)]
    assert len(want) == 10
    assert [p.name for p in got] == [p.name for p in want]
    for w, g in zip(want, got):
        assert g.model_dump(exclude=NOT_PRINTED_PROJECT_FIELDS) == w.model_dump(exclude=NOT_PRINTED_PROJECT_FIELDS), w.name
    # the transfer project of 2200106 was told from the own-level one by its amount alone
    transfer = next(p for p in got if p.name.startswith("阜康市"))
    assert [f.source.value for f in transfer.funding] == ["general_transfer"]
    assert next(p for p in got if p.name == "国土变更调查项目经费").described_name == "国土变更调查工作项目"


def test_other_projects_placed_by_performance_tables_and_remainders(example_package, recovered):
    package, findings = recovered
    general = {"general", "general_transfer"}
    got = {p.name: p for p in package.projects}
    others = [p for p in example_package.projects if not any(f.source in general for f in p.funding)]
    assert len(others) == 12
    for want in others:
        mine = got[want.name]
        assert mine.function == want.function, want.name
        assert mine.funding == want.funding, want.name
        assert mine.economic == []  # not printed: left empty, and said so
    assert any(f.subject == "projects:economic" for f in findings)
    unnamed = [f for f in findings if "未列名" in f.message]
    assert len(unnamed) == 4
    assert all(f.rule == RULE and f.severity == "info" and f.category == "reading" for f in findings)


def test_ambiguous_source_split_is_reported(original):
    """Move 20 of table 2's unit-funds figure onto a second leaf in table 1: the split of the 项's
    单位资金 column across 其他收入 and 事业收入 is then not determined by the print."""
    d = original.model_copy(deep=True)
    t1 = d.table("income_expenditure")
    t1.row("s:other").cells["amount"].value = Decimal("160")
    t1.row("s:business").cells["amount"].value = Decimal("20")
    package, findings = facts_from_disclosure(d)
    notes = [f for f in findings if f.subject == "s:unit_funds" and "2200101" in f.message]
    assert notes, [f.message for f in findings]
    unit_funds = {"other", "business"}
    leaves = {f.source.value: f.amount for p in package.projects if p.function == "2200101"
              for f in p.funding if f.source.value in unit_funds}
    assert sum(leaves.values()) == Decimal("180") and set(leaves) == unit_funds


def test_year_must_be_known(original):
    d = original.model_copy(deep=True)
    d.budget_year, d.title = None, ""
    with pytest.raises(InputError) as info:
        facts_from_disclosure(d)
    assert "预算年度" in str(info.value)
    package, _ = facts_from_disclosure(d, budget_year=2023)
    assert package.unit.budget_year == 2023


# ---------------------------------------------------------------- 2. the same through published files

@pytest.fixture(scope="module")
def built(original, tmp_path_factory):
    from yusuan.read import read_file
    from yusuan.render import render

    out = tmp_path_factory.mktemp("recover")
    files = render(original, out, ["docx", "xlsx", "pdf"])
    return {fmt: read_file(path) for fmt, path in files.items()} | {"paths": files}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_file_round_trip_prints_the_same(original, built, fmt):
    read = built[fmt].disclosure
    package, _ = facts_from_disclosure(read)
    again = compose(package)
    assert cell_values(again) == cell_values(original)
    assert statements(again) == statements(original)


def test_xlsx_round_trip_prints_the_same_tables(original, built):
    """The workbook prints the tables (and performance tables) only: no year (it comes from the file
    name, 昌吉州自然资源局2023年部门预算公开.xlsx), no Part 1/3 text."""
    read = built["xlsx"].disclosure
    assert read.budget_year == 2023
    with pytest.raises(InputError):  # with no year at all, recovery needs to be told one
        facts_from_disclosure(read.model_copy(update={"budget_year": None, "title": "昌吉州自然资源局部门预算公开"}))
    package, _ = facts_from_disclosure(read, budget_year=2023)
    again = compose(package)
    assert cell_values(again) == cell_values(original)
    # statements the tables alone determine (amounts and shares; no last-year text, no project texts)
    text_only = ("staff:", "institutions:", "project:", "procurement:", "assets:", "performance:")
    mine = {s[0]: s[1:3] for s in statements(again) if not s[0].startswith(text_only)}
    theirs = {s[0]: s[1:3] for s in statements(original) if s[0] in mine}
    assert len(mine) > 60 and mine == theirs


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_file_round_trip_performance_tables(original, built, fmt):
    """Performance tables come back verbatim; a file names each by its printed name."""
    read = built[fmt].disclosure
    package, _ = facts_from_disclosure(read, budget_year=2023)
    printed = [t.model_dump(exclude={"project", "title_name"}) | {"name": t.printed_name} for t in package.performance]
    want = [p.table.model_dump(exclude={"project", "title_name"}) | {"name": p.table.printed_name}
            for p in original.performance]
    assert printed == want


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_audit_of_each_file_has_no_fatal_findings(built, fmt):
    from yusuan.rules.engine import check_disclosure

    report = check_disclosure(built[fmt].disclosure)
    assert [f for f in report.findings if f.severity == "fatal"] == []
    assert [f for f in built[fmt].findings if f.severity == "fatal"] == []


# ---------------------------------------------------------------- 3. yusuan audit FILE --facts OUT

def test_audit_facts_writes_editable_facts(original, built, tmp_path):
    from typer.testing import CliRunner

    from yusuan.cli import app
    from yusuan.load import load_package

    out = tmp_path / "facts.yaml"
    result = CliRunner().invoke(app, ["audit", str(built["paths"]["docx"]), "--facts", str(out), "-f", "json",
                                      "-o", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    assert "已写入事实文件" in result.output
    package = load_package(out)
    assert package.unit.name == "昌吉州自然资源局" and len(package.projects) == 22
    assert cell_values(compose(package)) == cell_values(original)


def test_audit_facts_refuses_what_it_cannot_recover(built, tmp_path):
    from typer.testing import CliRunner

    from yusuan.cli import app

    paths = built["paths"]
    runner = CliRunner()
    several = runner.invoke(app, ["audit", str(paths["docx"]), str(paths["pdf"]), "--facts", str(tmp_path / "f.yaml")])
    assert several.exit_code == 2 and "单个输入文件" in several.output
    plain = tmp_path / "tables.xlsx"  # no year printed, none in the name
    plain.write_bytes(paths["xlsx"].read_bytes())
    no_year = runner.invoke(app, ["audit", str(plain), "--facts", str(tmp_path / "f.yaml"), "-f", "json",
                                  "-o", str(tmp_path / "r.json")])
    assert no_year.exit_code == 2 and "预算年度" in no_year.output
    assert not (tmp_path / "f.yaml").exists()


# ---------------------------------------------------------------- real published packages (read, recover, compose)

def _recomposed_differences(path):
    from yusuan.read import read_file

    read = read_file(path).disclosure
    package, findings = facts_from_disclosure(read)
    again = cell_values(compose(package))
    printed = cell_values(read)
    differ = {k: (v, again[k]) for k, v in printed.items() if k in again and (v or 0) != (again[k] or 0)}
    return package, findings, differ, printed


def test_real_changji_text_recovers_and_reprints_its_tables(shared):
    """The published text contradicts itself (table 1 puts 935.26 under 非财政拨款结转结余 that table 2 prints
    under 单位资金; a 款 row of table 2 and of table 7 misprinted): the recovered facts follow the leaf rows,
    so every 项, project and economic 款 cell reprints as published and only sums and table 1 differ."""
    package, findings, differ, printed = _recomposed_differences(shared / "changji-natural-resources-2023-budget.txt")
    assert len(printed) > 900
    leaf = re.compile(r"f:\d{7}|p:.*|e:\d{5}")
    assert differ and not [k for k in differ if leaf.fullmatch(k[1])]
    assert len(differ) < 15
    assert len(package.projects) == 22 and len(package.performance) == 19
    assert package.overview.staffing is not None and package.overview.staffing.actual == 103


def test_real_shanghai_budget_reprints_every_cell(shared):
    package, findings, differ, printed = _recomposed_differences(
        shared / "shanghai" / "putuo-wanli-subdistrict-2023-dept-budget.pdf")
    assert len(printed) > 500 and differ == {}
    assert package.unit.profile == "shanghai"
    # Shanghai's table 2 prints one 财政拨款 column: own level or transfer is not determined, and said so
    assert any(f.subject == "s:fiscal" for f in findings)
    names = [p.name for p in package.projects]
    assert len(names) == len(set(names))


def test_yuan_tables_round_to_the_yuan_and_say_so(shared):
    package, findings, differ, _ = _recomposed_differences(
        shared / "shanghai" / "putuo-finance-bureau-2025-dept-budget.pdf")
    assert any("角、分" in f.message for f in findings)
    assert differ and max(abs((a or 0) - (b or 0)) for a, b in differ.values()) < Decimal("1")
