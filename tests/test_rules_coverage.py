"""Rules of yusuan.rules.coverage: each with a passing and a failing case on the rule-test disclosure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.rules.testing import add_statements, build_disclosure, run_rule, set_cell, statement


def _with_divisions(count: int, names: list[str]):
    d = build_disclosure()
    text = f"本单位下设{count}个科室，分别是：{'、'.join(names)}。"
    return add_statements(d, "overview.institutions", statement("institutions:divisions", count=count, text=text),
                          part=1, text=text)


def test_divisions_count_matches_the_list():
    assert run_rule(_with_divisions(3, ["办公室", "财务科", "规划科"]), "N.DIVISIONS.COUNT") == []


@pytest.mark.parametrize("count", [2, 4])
def test_divisions_count_differs_from_the_list(count):
    [f] = run_rule(_with_divisions(count, ["办公室", "财务科", "规划科"]), "N.DIVISIONS.COUNT")
    assert f.severity == "warning" and f.subject == "institutions:divisions"
    assert f.stated == str(count) and f.expected == "3"
    assert "3个" in f.message and "规划科" in f.message


def test_divisions_without_a_list_are_not_checked():
    d = add_statements(build_disclosure(), "overview.institutions",
                       statement("institutions:divisions", count=5, text="本单位下设5个科室。"), part=1)
    assert run_rule(d, "N.DIVISIONS.COUNT") == []


def _with_equipment(over_50: int, over_100: int, plan_50: int = 0, plan_100: int = 0):
    d = build_disclosure()
    return add_statements(
        d, "other.assets",
        statement("assets:equipment_over_50", count=over_50, unit="台（套）"),
        statement("assets:equipment_over_100", count=over_100, unit="台（套）"),
        statement("assets:purchase_equipment_over_50", count=plan_50, unit="台（套）"),
        statement("assets:purchase_equipment_over_100", count=plan_100, unit="台（套）"),
    )


def test_equipment_over_100_within_over_50():
    assert run_rule(_with_equipment(2, 1, 1, 1), "N.ASSETS.EQUIPMENT") == []


def test_equipment_over_100_exceeding_over_50_is_fatal():
    [f] = run_rule(_with_equipment(1, 2), "N.ASSETS.EQUIPMENT")
    assert f.severity == "fatal" and f.subject == "assets:equipment_over_100"
    assert f.stated == "2" and f.expected == "<=1"


def test_equipment_purchase_plan_checked_too():
    [f] = run_rule(_with_equipment(3, 1, 0, 1), "N.ASSETS.EQUIPMENT")
    assert f.subject == "assets:purchase_equipment_over_100"


def _with_vehicle_plan(vehicles: int, purchase: str | None):
    d = build_disclosure()
    if purchase is not None:
        d = set_cell(d, "sangong", "sangong:vehicle_purchase", "total", Decimal(purchase))
    return add_statements(d, "other.assets", statement("assets:purchase_vehicles", count=vehicles))


def test_vehicle_plan_consistent_with_purchase_money():
    assert run_rule(_with_vehicle_plan(0, "0"), "N.ASSETS.VEHICLE_PURCHASE") == []
    assert run_rule(_with_vehicle_plan(2, "40"), "N.ASSETS.VEHICLE_PURCHASE") == []


def test_vehicle_plan_without_purchase_money():
    [f] = run_rule(_with_vehicle_plan(1, "0"), "N.ASSETS.VEHICLE_PURCHASE")
    assert f.severity == "warning" and f.subject == "assets:purchase_vehicles"
    assert "1辆" in f.message


def test_purchase_money_without_vehicle_plan():
    [f] = run_rule(_with_vehicle_plan(0, "25"), "N.ASSETS.VEHICLE_PURCHASE")
    assert "0辆" in f.message and f.inputs["公务用车购置费"] == Decimal("25")


def test_the_section_statement_wins_over_the_table():
    d = _with_vehicle_plan(1, "30")
    d = add_statements(d, "sangong", statement("sangong:vehicle_purchase", amount="0"))
    assert len(run_rule(d, "N.ASSETS.VEHICLE_PURCHASE")) == 1
