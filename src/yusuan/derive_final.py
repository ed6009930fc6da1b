"""Totals of a final account (部门决算), derived from its leaf facts (``yusuan.model.final``).

Function 类/款 totals, source groups, basic/project splits, 年末结转和结余 and completion rates are sums
and quotients over the facts; nothing here is typed in. A budget figure some line leaves out makes the
total it belongs to unknown (``None``), never zero.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from yusuan.model.final import FinalAccount
from yusuan.model.sources import Source, sources_of

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _allowed(sources: str | None) -> set[Source] | None:
    return set(sources_of(sources)) if sources else None


def _levels(code: str) -> tuple[str, str, str]:
    return code[:3], code[:5], code


def _by_function(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, amount in items:
        for level in _levels(code):
            out[level] += amount
    return dict(sorted(out.items()))


class FinalSums:
    """The sums of one final account, each computed on demand (the account is not edited meanwhile)."""

    def __init__(self, account: FinalAccount):
        from yusuan import catalog

        self.account = account
        year = account.unit.budget_year
        names = account.class_names
        self.function_catalog = catalog.load("function", year).with_names(names.function)
        self.economic_catalog = catalog.load("economic", year).with_names(names.economic)

    # ---------------------------------------------------------------- income, spending, balances

    def income(self, sources: str | None = None) -> Decimal:
        allowed = _allowed(sources)
        return sum((l.amount for l in self.account.income if allowed is None or l.source in allowed), ZERO)

    def income_by_function(self, sources: str | None = None) -> dict[str, Decimal]:
        allowed = _allowed(sources)
        return _by_function((l.function, l.amount) for l in self.account.income if allowed is None or l.source in allowed)

    def _spending(self, sources: str | None, kind: str | None):
        allowed = _allowed(sources)
        for line in self.account.spending:
            if (allowed is None or line.source in allowed) and (kind is None or line.kind == kind):
                yield line

    def spending(self, sources: str | None = None, kind: str | None = None) -> Decimal:
        return sum((l.actual for l in self._spending(sources, kind)), ZERO)

    def spending_by_function(self, sources: str | None = None, kind: str | None = None) -> dict[str, Decimal]:
        return _by_function((l.function, l.actual) for l in self._spending(sources, kind))

    def budget_by_function(self, sources: str | None = None, which: str = "initial_budget") -> dict[str, Decimal | None]:
        """年初预算数 (or 全年预算数 with ``which="adjusted_budget"``) by function code; None where a line
        of that code does not state it (unknown, not zero)."""
        out: dict[str, Decimal | None] = {}
        for line in self._spending(sources, None):
            value = getattr(line, which)
            for level in _levels(line.function):
                if level in out and out[level] is None:
                    continue
                out[level] = None if value is None else (out.get(level) or ZERO) + value
        return dict(sorted(out.items()))

    def budget(self, sources: str | None = None, which: str = "initial_budget") -> Decimal | None:
        values = [getattr(l, which) for l in self._spending(sources, None)]
        if any(v is None for v in values):
            return None
        return sum(values, ZERO)

    def carryover_start(self, sources: str | None = None) -> Decimal:
        allowed = _allowed(sources)
        return sum((l.amount for l in self.account.carryover if allowed is None or l.source in allowed), ZERO)

    def carryover_start_by_function(self, sources: str | None = None) -> dict[str, Decimal]:
        allowed = _allowed(sources)
        return _by_function((l.function, l.amount) for l in self.account.carryover
                            if allowed is None or l.source in allowed)

    def carryover_end_by_function(self, sources: str | None = None) -> dict[str, Decimal]:
        """年末结转和结余 by function code = 年初 + 本年收入 − 本年支出 (the balance distribution and the
        non-fiscal balance used are not by function; they enter only the department's total)."""
        start = self.carryover_start_by_function(sources)
        income = self.income_by_function(sources)
        spent = self.spending_by_function(sources)
        codes = sorted(set(start) | set(income) | set(spent))
        return {c: start.get(c, ZERO) + income.get(c, ZERO) - spent.get(c, ZERO) for c in codes}

    def carryover_end(self, sources: str | None = None) -> Decimal:
        """年末结转和结余 of the sources; of the whole department (``sources=None``) it also adds the
        非财政拨款结余 used and takes away the 结余分配."""
        end = self.carryover_start(sources) + self.income(sources) - self.spending(sources)
        if sources is None or sources == "all":
            end += self.account.nonfiscal_balance_used - self.account.distribution
        return end

    def income_total(self) -> Decimal:
        """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余."""
        return self.income() + self.account.nonfiscal_balance_used + self.carryover_start()

    def expenditure_total(self) -> Decimal:
        """支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余 (equal to 收入总计 by construction)."""
        return self.spending() + self.account.distribution + self.carryover_end()

    # ---------------------------------------------------------------- basic spending by economic 款

    def by_economic(self, sources: str | None = "general_budget") -> dict[str, Decimal]:
        allowed = _allowed(sources)
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.account.basic_economic:
            if allowed is None or line.source in allowed:
                out[line.economic[:3]] += line.amount
                out[line.economic] += line.amount
        return dict(sorted(out.items()))

    def personnel_public(self, sources: str | None = "general_budget") -> tuple[Decimal, Decimal]:
        personnel = public = ZERO
        for code, amount in self.by_economic(sources).items():
            if len(code) != 5:
                continue
            if self.economic_catalog.personnel_or_public(code) == "人员经费":
                personnel += amount
            else:
                public += amount
        return personnel, public

    # ---------------------------------------------------------------- 三公 and 机关运行经费

    def sangong(self, which: str = "actual") -> dict[str, Decimal | None]:
        """三公 by item plus ``vehicle`` and ``total``; for ``which="budget"`` an item whose 预算数 is not
        stated is None, and so is every sum it enters."""
        out: dict[str, Decimal | None] = {k: ZERO for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
        for line in self.account.sangong:
            value = getattr(line, which)
            out[line.item] = None if value is None else value
        def add(*keys: str) -> Decimal | None:
            values = [out[k] for k in keys]
            return None if any(v is None for v in values) else sum(values, ZERO)  # type: ignore[arg-type]
        out["vehicle"] = add("vehicle_purchase", "vehicle_operation")
        out["total"] = add("abroad", "vehicle_purchase", "vehicle_operation", "reception")
        return out


def completion_rate(actual: Decimal, budget: Decimal | None) -> Decimal | None:
    """决算数 ÷ 预算数 × 100, to two places (half up); None when the budget is unknown or zero."""
    if budget is None or budget == 0:
        return None
    return (actual / budget * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
