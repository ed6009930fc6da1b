"""Demo data for the portal's budget against final account: the bundled final account of 示例市财政局
(examples/final-account-2024) and the same year's budget as it would have been published before —
一般公共预算 by 项 at the final account's 年初预算, basic spending by economic 款 summing to it, 三公
at its 预算数 — so that the restated 年初预算 of the final account equals the published budget."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

FINAL_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "final-account-2024" / "package.yaml"
SANGONG_ECONOMIC = {"abroad": "30212", "reception": "30217", "vehicle_operation": "30231"}  # 三公 → its economic 款


def final_example():
    """The example final account; None when it is not beside the code (an installed package)."""
    if not FINAL_EXAMPLE.exists():
        return None
    from yusuan.load import load_package

    return load_package(FINAL_EXAMPLE)


def budget_of(account):
    """The budget of the final account's department and year, as it was published before the year."""
    from yusuan.model import BasicLine, BudgetPackage, Funding, Project, SanGongLine, Unit
    from yusuan.model.package import EconomicLine, ProjectEconomic

    lines = [x for x in account.spending if x.source.value == "general" and x.initial_budget is not None]
    basic = [BasicLine(function=x.function, amount=x.initial_budget) for x in lines if x.kind == "basic"]
    projects = [Project(name=f"{account.unit.name}{x.function}项目", function=x.function,
                        funding=[Funding(source="general", amount=x.initial_budget)],
                        economic=[ProjectEconomic(economic="302", amount=x.initial_budget)])
                for x in lines if x.kind == "project"]
    sangong = [SanGongLine(item=s.item, amount=s.budget) for s in account.sangong if s.budget]
    economic = {e.economic: e.amount for e in account.basic_economic}
    for s in sangong:  # the economic 款 of each 三公 item holds at least its budget
        code = SANGONG_ECONOMIC.get(s.item)
        if code:
            economic[code] = max(economic.get(code, Decimal(0)), s.amount)
    gap = sum((b.amount for b in basic), Decimal(0)) - sum(economic.values(), Decimal(0))
    economic["30239"] = economic.get("30239", Decimal(0)) + gap  # 其他交通费用: the rest, so that the 款 add up
    unit = Unit(name=account.unit.name, full_name=account.unit.full_name, budget_year=account.unit.budget_year)
    return BudgetPackage(unit=unit, basic=basic, projects=projects, sangong=sangong,
                         basic_economic=[EconomicLine(economic=c, amount=a) for c, a in sorted(economic.items())])


def load(bureau, publisher, reviewer, admin) -> list:
    """The example final account's department in ``bureau`` with both its budget and its final account
    of the year published (through the workflow, as any package); returns the versions (none without
    the example)."""
    from yusuan.web import workflow
    from yusuan.web.models import Department, Package

    account = final_example()
    if account is None:
        return []
    dept = Department.objects.create(bureau=bureau, name=account.unit.name)
    versions = []
    for phase, facts in (("budget", budget_of(account)), ("final", account)):
        p = Package.objects.create(department=dept, year=account.unit.budget_year, phase=phase)
        workflow.store_facts(p, None, facts, "演示数据（预算与决算）", action="demo")
        if p.fatal:
            continue
        workflow.submit(p, admin)
        workflow.approve(p, reviewer)
        versions.append(workflow.publish(p, publisher))
    return versions
