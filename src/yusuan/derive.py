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


def _total(lines: list[SpendingLine], sources: str | None, kind: Kind | None) -> Decimal:
    return sum((l.amount for l in _select(lines, sources, kind)), ZERO)


def _by_function(lines: list[SpendingLine], sources: str | None, kind: Kind | None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in _select(lines, sources, kind):
        for code in (line.function[:3], line.function[:5], line.function):
            out[code] += line.amount
    return {k: v for k, v in sorted(out.items()) if v != 0}


def _by_source(lines: list[SpendingLine], kind: Kind | None) -> dict[Source, Decimal]:
    out: dict[Source, Decimal] = defaultdict(lambda: ZERO)
    for line in _select(lines, None, kind):
        out[line.source] += line.amount
    return dict(out)


def _personnel_public(by_economic_code: dict[str, Decimal], econ) -> tuple[Decimal, Decimal]:
    personnel = public = ZERO
    for code, amount in by_economic_code.items():
        if len(code) != 5:
            continue
        if econ.personnel_or_public(code) == "人员经费":
            personnel += amount
        else:
            public += amount
    return personnel, public


def total(package: BudgetPackage, sources: str | None = None, kind: Kind | None = None) -> Decimal:
    return _total(spending_lines(package), sources, kind)


def by_function(package: BudgetPackage, sources: str | None = None, kind: Kind | None = None) -> dict[str, Decimal]:
    """Amounts keyed by function code at every level: '208', '20805', '2080505'. Zero rows omitted."""
    return _by_function(spending_lines(package), sources, kind)


def by_source(package: BudgetPackage, kind: Kind | None = None) -> dict[Source, Decimal]:
    return _by_source(spending_lines(package), kind)


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

    return _personnel_public(by_economic(package, sources), catalog.load("economic", package.unit.budget_year))


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


class Aggregates:
    """The sums above for one package, each computed once and then remembered.

    Composition asks for the same totals in many cells and sentences (the general-budget total alone
    some twenty times); recomputing each from the leaf lines made composing cost more than checking.
    Build one per composition — it assumes the package is not edited meanwhile — and treat what it
    returns as read-only: the same dict is handed to every caller. The catalogues are loaded once too.
    """

    def __init__(self, package: BudgetPackage):
        from yusuan import catalog

        self.package = package
        self.lines = spending_lines(package)
        # The budget year's catalogues, with the names the package gives for codes they lack: what is printed.
        names = package.class_names
        self.function_catalog = catalog.load("function", package.unit.budget_year).with_names(names.function)
        self.economic_catalog = catalog.load("economic", package.unit.budget_year).with_names(names.economic)
        self._memo: dict[tuple, object] = {}

    def _once(self, key: tuple, make):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    def total(self, sources: str | None = None, kind: Kind | None = None) -> Decimal:
        return self._once(("total", sources, kind), lambda: _total(self.lines, sources, kind))

    def source_total(self, key: str) -> Decimal:
        return self.total(sources=key)

    def by_function(self, sources: str | None = None, kind: Kind | None = None) -> dict[str, Decimal]:
        return self._once(("by_function", sources, kind), lambda: _by_function(self.lines, sources, kind))

    def by_economic(self, sources: str | None = "general_budget") -> dict[str, Decimal]:
        return self._once(("by_economic", sources), lambda: by_economic(self.package, sources))

    def personnel_public(self, sources: str | None = "general_budget") -> tuple[Decimal, Decimal]:
        return self._once(("personnel_public", sources),
                          lambda: _personnel_public(self.by_economic(sources), self.economic_catalog))

    def project_by_economic(self, project_name: str) -> dict[str, Decimal]:
        return self._once(("project_by_economic", project_name), lambda: project_by_economic(self.package, project_name))

    def sangong(self, sources: str | None = None) -> dict[str, Decimal]:
        return self._once(("sangong", sources), lambda: sangong(self.package, sources))


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
    sums = Aggregates(package)
    personnel, public = sums.personnel_public()
    return Summary(
        total=sums.total(),
        current_year=sums.source_total("current_year"),
        carryover=sums.source_total("carryover"),
        fiscal=sums.source_total("fiscal"),
        general_budget=sums.source_total("general_budget"),
        basic=sums.total(kind="basic"),
        project=sums.total(kind="project"),
        personnel=personnel,
        public=public,
        sangong=sums.sangong()["total"],
        projects=len(package.projects),
        performance_tables=len(package.performance),
    )
