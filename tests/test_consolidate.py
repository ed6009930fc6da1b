"""Consolidation (issue 13, item 1): the Changji example with two synthetic departments of the same
year and region sums to a package that passes its checks; a package of another year is named."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from yusuan import derive
from yusuan.cli import app
from yusuan.consolidate import consolidate
from yusuan.errors import InputError
from yusuan.load import load_package, save_package
from yusuan.model import BudgetPackage
from yusuan.rules.engine import check_package
from yusuan.synth.facts import example_package, random_package


def _same_region(seed: int, region: str, year: int = 2023) -> BudgetPackage:
    data = random_package(random.Random(seed), year=year).model_dump(mode="json")
    data["unit"]["region"] = region
    return BudgetPackage.model_validate(data)


@pytest.fixture(scope="module")
def parts():
    lead = example_package()
    return [lead, _same_region(11, lead.unit.region), _same_region(12, lead.unit.region)]


@pytest.fixture(scope="module")
def combined(parts):
    return consolidate(parts, name="昌吉州自然资源系统（汇总）")


def test_totals_equal_the_sums(parts, combined):
    whole = derive.summary(combined.package)
    pieces = [derive.summary(p) for p in parts]
    for field in ("total", "current_year", "carryover", "fiscal", "general_budget", "basic", "project",
                  "personnel", "public", "sangong", "projects", "performance_tables"):
        assert getattr(whole, field) == sum(getattr(s, field) for s in pieces), field
    by_function = derive.by_function(combined.package)
    codes = set().union(*(derive.by_function(p) for p in parts))
    assert set(by_function) == codes and len(codes) > 10
    assert by_function == {k: sum((derive.by_function(p).get(k, Decimal(0)) for p in parts), Decimal(0)) for k in codes}
    assert derive.by_economic(combined.package) == {
        k: sum((derive.by_economic(p).get(k, Decimal(0)) for p in parts), Decimal(0))
        for k in set().union(*(derive.by_economic(p) for p in parts))}
    assert derive.sangong(combined.package) == {
        k: sum((derive.sangong(p).get(k, Decimal(0)) for p in parts), Decimal(0)) for k in derive.sangong(combined.package)}


def test_consolidated_package_passes_its_checks(combined):
    report = check_package(combined.package)
    assert [f.rule for f in report.findings if f.severity == "fatal"] == []


def test_projects_stay_listed_by_unit(parts, combined):
    projects = combined.package.projects
    assert len(projects) == sum(len(p.projects) for p in parts)
    units = {p.unit.name for p in parts}
    assert all(pr.implementer for pr in projects)
    assert {pr.implementer for pr in projects} & units
    names = [pr.name for pr in projects]
    assert len(names) == len(set(names))
    assert set(combined.package.overview.subordinate_units) >= {p.unit.name for p in parts[1:]}


def test_shared_project_names_get_their_unit():
    lead = example_package()
    twin = lead.model_copy(deep=True)
    data = twin.model_dump(mode="json")
    data["unit"]["name"] = "昌吉州某下属单位"
    result = consolidate([lead, BudgetPackage.model_validate(data)])
    names = [p.name for p in result.package.projects]
    assert len(names) == len(set(names)) == 2 * len(lead.projects)
    assert any("（昌吉州某下属单位）" in n for n in names) and result.notes
    projects = {p.name for p in result.package.projects}
    assert all(t.project in projects or t.format != "department" for t in result.package.performance)


def test_a_blocking_package_is_named(parts):
    other_year = _same_region(13, parts[0].unit.region, year=2022)
    with pytest.raises(InputError) as exc:
        consolidate([parts[0], parts[1], other_year], names=["a.yaml", "b.yaml", "c.yaml"])
    text = str(exc.value)
    assert "c.yaml" in text and "2022" in text and "b.yaml" not in text


def test_last_year_unknown_in_one_package_is_left_out(parts):
    lead, other = parts[0], parts[1].model_copy(deep=True)
    other.last_year.pop("sangong:total", None)
    result = consolidate([lead, other])
    assert "sangong:total" not in result.package.last_year
    assert any("sangong:total" in n for n in result.notes)


def test_cli_writes_the_package_and_names_a_blocking_one(tmp_path, parts):
    paths = []
    for i, p in enumerate(parts):
        paths.append(tmp_path / f"p{i}.yaml")
        save_package(p, paths[-1])
    out = tmp_path / "sum.yaml"
    result = CliRunner().invoke(app, ["consolidate", *map(str, paths), "-o", str(out), "--name", "汇总单位"])
    assert result.exit_code in (0, 1) and out.exists(), result.output
    assert "错误 0 条" in result.output
    assert load_package(out).unit.name == "汇总单位"
    bad = tmp_path / "bad.yaml"
    save_package(_same_region(14, parts[0].unit.region, year=2024), bad)
    result = CliRunner().invoke(app, ["consolidate", str(paths[0]), str(bad), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "bad.yaml" in result.output and not (tmp_path / "x.yaml").exists()


def _with_transfer(amount_delta: Decimal = Decimal(0)):
    """A department and one of its units: the department pays the unit a subsidy (a project marked as a
    transfer, 对附属单位补助), the unit spends it on one of its projects as 上级补助收入."""
    region = "昌吉回族自治州"
    parent, child = _same_region(21, region), _same_region(22, region)
    child_data = child.model_dump(mode="json")
    received = child_data["projects"][0]
    received["funding"] = [{"source": "superior_subsidy", "amount": str(sum(Decimal(f["amount"]) for f in received["funding"]))}]
    amount = Decimal(received["funding"][0]["amount"])
    # the unit's performance table of that project says the money is not fiscal
    for t in child_data["performance"]:
        if t["project"] == received["name"]:
            t["other"], t["fiscal"] = str(amount), "0"
    child = BudgetPackage.model_validate(child_data)
    parent_data = parent.model_dump(mode="json")
    parent_data["projects"].append({
        "name": "对下属单位补助", "function": parent_data["projects"][0]["function"] if parent_data["projects"] else parent_data["basic"][0]["function"],
        "funding": [{"source": "general", "amount": str(amount + amount_delta)}],
        "transfer": {"kind": "affiliated_subsidy", "unit": child.unit.name}})
    return BudgetPackage.model_validate(parent_data), child, amount


def test_a_transfer_between_the_units_cancels_out():
    parent, child, amount = _with_transfer()
    result = consolidate([parent, child], name="汇总")
    whole, pieces = derive.summary(result.package), [derive.summary(p) for p in (parent, child)]
    assert amount > 0
    for field in ("total", "current_year", "project"):
        assert getattr(whole, field) == sum(getattr(s, field) for s in pieces) - amount, field
    assert whole.fiscal == sum(s.fiscal for s in pieces)  # the money is counted once, where it came from
    assert derive.source_total(child, "superior_subsidy") == amount
    assert derive.source_total(result.package, "superior_subsidy") == 0
    assert "对下属单位补助" not in {p.name for p in result.package.projects}
    assert any("已抵销" in n for n in result.notes)
    report = check_package(result.package)
    assert [f.rule for f in report.findings if f.severity == "fatal"] == []


def test_a_transfer_that_does_not_match_what_the_unit_received_is_kept_and_said():
    parent, child, amount = _with_transfer(Decimal("1.00"))
    result = consolidate([parent, child], name="汇总")
    whole, pieces = derive.summary(result.package), [derive.summary(p) for p in (parent, child)]
    assert whole.total == sum(s.total for s in pieces)
    assert derive.source_total(result.package, "superior_subsidy") == amount
    assert any("未抵销" in n and "两者不等" in n for n in result.notes)
