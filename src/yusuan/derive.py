"""Totals derived from the facts. Nothing here is typed in by a user.

The single flat view is ``spending_lines``: every leaf amount as (function 项, source, kind,
project). Function 类/款 totals, source totals, basic/project splits and table totals are sums over
it, so a table built from these can only disagree with another table through a bug, never through
a typo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Literal

from yusuan.model import BudgetPackage
from yusuan.model.sources import Source, sources_of

ZERO = Decimal(0)
Kind = Literal["basic", "project"]


@dataclass(frozen=True)
class SpendingLine:
    function: str  # 7-digit 项
    source: Source
    kind: Kind
    amount: Decimal
    project: str | None = None


def spending_lines(package: BudgetPackage) -> list[SpendingLine]:
    lines = [SpendingLine(b.function, b.source, "basic", b.amount) for b in package.basic]
    for p in package.projects:
        lines.extend(SpendingLine(p.function, f.source, "project", f.amount, p.name) for f in p.funding)
    return lines


def _select(lines: Iterable[SpendingLine], sources: str | None, kind: Kind | None) -> Iterable[SpendingLine]:
    allowed = set(sources_of(sources)) if sources else None
    for line in lines:
        if allowed is not None and line.source not in allowed:
            continue
        if kind is not None and line.kind != kind:
            continue
        yield line


def total(package: BudgetPackage, sources: str | None = None, kind: Kind | None = None) -> Decimal:
    return sum((l.amount for l in _select(spending_lines(package), sources, kind)), ZERO)


def by_function(package: BudgetPackage, sources: str | None = None, kind: Kind | None = None) -> dict[str, Decimal]:
    """Amounts keyed by function code at every level: '208', '20805', '2080505'. Zero rows omitted."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in _select(spending_lines(package), sources, kind):
        for code in (line.function[:3], line.function[:5], line.function):
            out[code] += line.amount
    return {k: v for k, v in sorted(out.items()) if v != 0}


def by_source(package: BudgetPackage, kind: Kind | None = None) -> dict[Source, Decimal]:
    out: dict[Source, Decimal] = defaultdict(lambda: ZERO)
    for line in _select(spending_lines(package), None, kind):
        out[line.source] += line.amount
    return dict(out)


def source_total(package: BudgetPackage, key: str) -> Decimal:
    """Total of a leaf source or a source group ('fiscal', 'unit_funds', 'carryover' …)."""
    return total(package, sources=key)


def by_economic(package: BudgetPackage, sources: str | None = "general_budget") -> dict[str, Decimal]:
    """Basic spending by economic code at 类 and 款 level."""
    allowed = set(sources_of(sources)) if sources else None
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in package.basic_economic:
        if allowed is not None and line.source not in allowed:
            continue
        out[line.economic[:3]] += line.amount
        out[line.economic] += line.amount
    return {k: v for k, v in sorted(out.items()) if v != 0}


def personnel_public(package: BudgetPackage, sources: str | None = "general_budget") -> tuple[Decimal, Decimal]:
    """(人员经费, 公用经费) of basic spending by economic class: 301+303 personnel, the rest public."""
    from yusuan import catalog

    econ = catalog.load("economic", package.unit.budget_year)
    personnel = public = ZERO
    for code, amount in by_economic(package, sources).items():
        if len(code) != 5:
            continue
        if econ.personnel_or_public(code) == "人员经费":
            personnel += amount
        else:
            public += amount
    return personnel, public


def project_by_economic(package: BudgetPackage, project_name: str) -> dict[str, Decimal]:
    """A project's economic breakdown keyed by economic 类 (3 digits)."""
    project = next(p for p in package.projects if p.name == project_name)
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in project.economic:
        out[line.economic[:3]] += line.amount
    return dict(out)


def sangong(package: BudgetPackage, sources: str | None = None) -> dict[str, Decimal]:
    """'三公' by item plus 'vehicle' (购置+运行) and 'total'."""
    allowed = set(sources_of(sources)) if sources else None
    out = {k: ZERO for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    for line in package.sangong:
        if allowed is None or line.source in allowed:
            out[line.item] += line.amount
    out["vehicle"] = out["vehicle_purchase"] + out["vehicle_operation"]
    out["total"] = out["abroad"] + out["vehicle"] + out["reception"]
    return out


@dataclass(frozen=True)
class Summary:
    total: Decimal
    current_year: Decimal
    carryover: Decimal
    fiscal: Decimal
    general_budget: Decimal
    basic: Decimal
    project: Decimal
    personnel: Decimal
    public: Decimal
    sangong: Decimal
    projects: int
    performance_tables: int


def summary(package: BudgetPackage) -> Summary:
    personnel, public = personnel_public(package)
    return Summary(
        total=total(package),
        current_year=source_total(package, "current_year"),
        carryover=source_total(package, "carryover"),
        fiscal=source_total(package, "fiscal"),
        general_budget=source_total(package, "general_budget"),
        basic=total(package, kind="basic"),
        project=total(package, kind="project"),
        personnel=personnel,
        public=public,
        sangong=sangong(package)["total"],
        projects=len(package.projects),
        performance_tables=len(package.performance),
    )
