"""Part 2: every printed table, built from ``yusuan.derive`` sums and laid out by the profile.

Row and column keys follow docs/disclosure-keys.md. Cell values are in the table's unit (万元 or
元); zero cells print what the profile says (blank by default, then ``value`` is None).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from pydantic import TypeAdapter

from yusuan import derive
from yusuan.disclosure import Column, Location, Row, Table
from yusuan.model import BudgetPackage
from yusuan.profiles import Profile, TableSpec

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")
ROWS = TypeAdapter(list[Row])
LEVEL = {3: "类", 5: "款", 7: "项"}
NUMERALS = "一二三四五六七八九十"
DASHES = {"-", "—", "--", "－"}

# Source group each budget column of the 财政拨款 table shows, without / with last year's 结转.
FISCAL_COLUMNS = {
    False: {"total": "fiscal", "s:general_budget": "general_budget", "s:fund_budget": "fund_budget",
            "s:capital_budget": "capital_budget"},
    True: {"total": "fiscal_with_carryover", "s:general_budget": "general_with_carryover",
           "s:fund_budget": "fund_with_carryover", "s:capital_budget": "capital_with_carryover"},
}
SANGONG_COLUMNS = {"total": "fiscal", "amount": "fiscal", "s:general_budget": "general_budget",
                   "s:fund_budget": "fund_budget", "s:capital_budget": "capital_budget"}


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for the 30 function 类)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return head + "十" + (NUMERALS[ones - 1] if ones else "")


def operating_costs(package: BudgetPackage, sums: derive.Aggregates | None = None) -> Decimal:
    """机关运行经费: the stated fact, or (when not given) the 公用经费 of 财政拨款 basic spending."""
    if package.operating_costs is not None:
        return package.operating_costs
    return (sums or derive.Aggregates(package)).personnel_public("fiscal")[1]


class _Builder:
    """Builds one table: keeps the spec, the location and the cell formatting together."""

    def __init__(self, spec: TableSpec, year: int, unit_name: str, sums: derive.Aggregates):
        self.spec = spec
        self.sums = sums  # the package's sums, computed once per composition
        self.table = Table(
            kind=spec.kind, number=spec.number, title=spec.title.format(year=year, unit=unit_name), unit=spec.unit,
            columns=[Column(key=c.key, label=c.label, group=c.group) for c in spec.columns],
        )
        self.table.location = Location(part="2", table=self.table.label)
        if spec.split_rows:
            self.table.split_rows = spec.split_rows
        self.label = self.table.label
        self.labels = {c.key: c.label for c in spec.columns}
        # Rows as plain data until ``finish`` validates them all at once: a package has some thousand
        # cells, and building a Cell and a Location model for each, one by one, was most of composing.
        self.rows: list[dict] = []

    def cell(self, amount: Decimal | None, row: int, column: str) -> dict:
        """The cell as plain data (validated with its table in ``finish``)."""
        where = {"part": "2", "table": self.label, "row": row, "column": self.labels.get(column, column)}
        if amount is None:
            return {"text": "", "value": None, "location": where}
        value = amount * TEN_THOUSAND if self.spec.unit == "元" else amount
        if value == 0:
            zero = self.spec.zero_text
            # a dash prints no figure, as a blank does (yusuan.amounts.parse_amount reads it as None)
            return {"text": zero, "value": ZERO if zero and zero not in DASHES else None, "location": where}
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)  # amounts.round_half_up, without rebuilding CENT
        text = f"{value:,.2f}" if self.spec.thousands else f"{value:.2f}"
        return {"text": text, "value": value, "location": where}

    def add(self, key: str, name: str, values: dict[str, Decimal | None], *, code: str | None = None,
            level: str | None = None, role: str = "item", side: str | None = None,
            texts: dict[str, str] | None = None) -> None:
        n = len(self.rows) + 1
        cells = {}
        for column in self.spec.columns:
            if texts and column.key in texts:
                cells[column.key] = {"text": texts[column.key],
                                     "location": {"part": "2", "table": self.label, "row": n, "column": column.label}}
            elif column.key in values:
                cells[column.key] = self.cell(values[column.key], n, column.key)
        self.rows.append({"key": key, "code": code, "name": name, "level": level, "role": role, "side": side,
                          "cells": cells, "location": {"part": "2", "table": self.label, "row": n}})

    def finish(self) -> Table:
        """Drop the optional columns nobody filled, then validate the rows into the table."""
        for key in [c.key for c in self.spec.columns if c.omit_when_zero]:
            if all(not (r["cells"].get(key) or {}).get("value") for r in self.rows):
                self.table.columns = [c for c in self.table.columns if c.key != key]
                for r in self.rows:
                    r["cells"].pop(key, None)
        self.table.rows = ROWS.validate_python(self.rows)
        return self.table


def _function_name(code: str, sums: derive.Aggregates) -> str:
    return sums.function_catalog.name(code) or ""


def _economic_name(code: str, package: BudgetPackage, sums: derive.Aggregates) -> str:
    printed = next((l.printed_name for l in package.basic_economic if l.economic == code and l.printed_name), None)
    return printed or sums.economic_catalog.name(code) or ""


def _function_table(b: _Builder, package: BudgetPackage, columns: dict[str, Callable[[], dict[str, Decimal]]]) -> None:
    """Rows f:<code> at 类/款/项 for every code with an amount in any column, then the total row."""
    sums = {key: make() for key, make in columns.items()}
    codes = sorted({code for amounts in sums.values() for code in amounts})
    year = package.unit.budget_year
    for code in _printed_levels(b.spec, codes):
        values = {key: amounts.get(code, ZERO) for key, amounts in sums.items()}
        b.add(f"f:{code}", _function_name(code, b.sums), values, code=code, level=LEVEL[len(code)])
    if codes:
        totals = {key: sum((v for c, v in amounts.items() if len(c) == 3), ZERO) for key, amounts in sums.items()}
    else:
        totals = {key: None for key in sums}
        if b.spec.empty_note:
            b.table.empty_note = b.spec.empty_note.format(year=year, unit=package.unit.name)
    b.add("total", b.spec.total_label, totals, role="total")


def _printed_levels(spec: TableSpec, codes: list[str]) -> list[str]:
    """The codes printed at the spec's levels; a code with nothing below it is printed whatever its level
    (a 款 without 项 lines would otherwise vanish from an items-only table)."""
    if len(spec.levels) == 3:
        return codes
    wanted = set(spec.levels)
    parents = {code[:n] for code in codes for n in (3, 5) if len(code) > n}
    return [code for code in codes if LEVEL[len(code)] in wanted or code not in parents]


def _class_rows(b: _Builder, package: BudgetPackage, profile: Profile, columns: dict[str, dict[str, Decimal]]) -> None:
    """Expenditure side of T1/T4: one row per function 类 (the profile's list and any with an amount)."""
    present = {c for amounts in columns.values() for c, v in amounts.items() if len(c) == 3 and v != 0}
    listed = set(profile.function_classes) if b.spec.list_classes else set()
    for code in sorted(present | listed):
        values = {key: amounts.get(code, ZERO) for key, amounts in columns.items()}
        name = _function_name(code, b.sums)
        if b.spec.class_label == "numeral":
            # no code is printed; the renderer numbers the rows (一、二、…) from the profile's class_label
            b.add(f"f:{code}", name, values, level="类", side="expenditure")
        else:
            b.add(f"f:{code}", name, values, code=code, level="类", side="expenditure")


def _income_rows(b: _Builder, package: BudgetPackage, column: str, extra: dict[str, str] | None = None) -> None:
    for spec in b.spec.rows:
        group = (extra or {}).get(spec.key, spec.key.removeprefix("s:"))
        amount = b.sums.source_total(group) if spec.print_value else None
        if spec.omit_when_zero and not amount:
            continue
        b.add(spec.key, spec.label, {column: amount}, role=spec.role, side="income")


def income_expenditure(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    _income_rows(b, package, "amount")
    b.add("income_total", b.spec.income_total_label, {"amount": b.sums.total()}, role="total", side="income")
    _class_rows(b, package, profile, {"amount": b.sums.by_function()})
    b.add("expenditure_total", b.spec.expenditure_total_label, {"amount": b.sums.total()}, role="total",
          side="expenditure")


def fiscal_income_expenditure(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    groups = FISCAL_COLUMNS[b.spec.include_carryover]
    extra = {"s:fiscal": groups["total"]} if b.spec.include_carryover else None
    _income_rows(b, package, "amount", extra)
    grand = b.sums.source_total(groups["total"])
    b.add("income_total", b.spec.income_total_label, {"amount": grand}, role="total", side="income")
    columns = {key: b.sums.by_function(sources=group) for key, group in groups.items()}
    _class_rows(b, package, profile, columns)
    totals = {key: b.sums.source_total(group) for key, group in groups.items()}
    b.add("expenditure_total", b.spec.expenditure_total_label, totals, role="total", side="expenditure")


def income(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    columns: dict[str, Callable[[], dict[str, Decimal]]] = {"total": lambda: b.sums.by_function()}
    for column in b.spec.columns:
        if column.key.startswith("s:"):
            group = column.key[2:]
            columns[column.key] = lambda group=group: b.sums.by_function(sources=group)
    _function_table(b, package, columns)


def expenditure(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    src = b.spec.sources
    _function_table(b, package, {
        "total": lambda: b.sums.by_function(sources=src),
        "basic": lambda: b.sums.by_function(sources=src, kind="basic"),
        "project": lambda: b.sums.by_function(sources=src, kind="project"),
    })


def general_basic(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    econ = b.sums.economic_catalog
    amounts = b.sums.by_economic(b.spec.sources or "general_budget")
    split: dict[str, dict[str, Decimal]] = {}
    for code, amount in amounts.items():
        if len(code) == 5:
            kind = "personnel" if econ.personnel_or_public(code) == "人员经费" else "public"
            for key in (code, code[:3], "total"):
                entry = split.setdefault(key, {"total": ZERO, "personnel": ZERO, "public": ZERO})
                entry["total"] += amount
                entry[kind] += amount
    for code in sorted(c for c in split if c != "total"):
        b.add(f"e:{code}", _economic_name(code, package, b.sums), split[code], code=code, level=LEVEL[len(code)])
    b.add("total", b.spec.total_label, split.get("total", {"total": None, "personnel": None, "public": None}),
          role="total")


def general_project(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    from yusuan.model.sources import sources_of

    allowed = set(sources_of(b.spec.sources or "general_budget"))
    econ_keys = [c.key for c in b.spec.columns if c.key.startswith("e:")]
    year = package.unit.budget_year
    lines = []  # (function, project, values)
    for project in package.projects:
        amount = sum((f.amount for f in project.funding if f.source in allowed), ZERO)
        if amount == 0:
            continue
        by_class = b.sums.project_by_economic(project.name)
        values = {"total": amount, **{k: by_class.get(k[2:], ZERO) for k in econ_keys}}
        lines.append((project.function, project, values))
    lines.sort(key=lambda item: item[0])  # stable: package order within a 项
    groups: dict[str, dict[str, Decimal]] = {}
    for function, _, values in lines:
        for code in (function[:3], function[:5]):
            entry = groups.setdefault(code, {k: ZERO for k in values})
            for k, v in values.items():
                entry[k] += v
    done: set[str] = set()
    shown = set(b.spec.levels)
    for function, project, values in lines:
        for code in (function[:3], function[:5]):
            if code not in done and LEVEL[len(code)] in shown:
                done.add(code)
                b.add(f"f:{code}", _function_name(code, b.sums), groups[code], code=code, level=LEVEL[len(code)])
        b.add(f"p:{function}:{project.name}", _function_name(function, b.sums), values, code=function, level="项",
              texts={"project_name": project.name})
    keys = ["total", *econ_keys]
    totals: dict[str, Decimal | None] = {k: sum((groups[c][k] for c in groups if len(c) == 3), ZERO) for k in keys}
    if not lines:
        totals = {k: None for k in totals}
        if b.spec.empty_note:
            b.table.empty_note = b.spec.empty_note.format(year=year, unit=package.unit.name)
    b.add("total", b.spec.total_label, totals, role="total")


def sangong(b: _Builder, package: BudgetPackage, profile: Profile) -> None:
    by_column = {c.key: b.sums.sangong(SANGONG_COLUMNS[c.key]) for c in b.spec.columns
                 if c.key in SANGONG_COLUMNS}
    for spec in b.spec.rows:
        if spec.key == "operating_costs":
            values = {key: operating_costs(package, b.sums) for key in by_column}
        else:
            item = spec.key.removeprefix("sangong:")
            values = {key: amounts[item] for key, amounts in by_column.items()}
        b.add(spec.key, spec.label, values if spec.print_value else {k: None for k in values}, role=spec.role)


BUILDERS = {
    "income_expenditure": income_expenditure,
    "income": income,
    "expenditure": expenditure,
    "fiscal_income_expenditure": fiscal_income_expenditure,
    "general_expenditure": expenditure,
    "fiscal_expenditure": expenditure,
    "fund_expenditure": expenditure,
    "capital_expenditure": expenditure,
    "general_basic": general_basic,
    "general_project": general_project,
    "sangong": sangong,
    "sangong_operating": sangong,
}


def compose_tables(package: BudgetPackage, profile: Profile, sums: derive.Aggregates | None = None) -> list[Table]:
    sums = sums or derive.Aggregates(package)
    out = []
    for spec in profile.tables:
        b = _Builder(spec, package.unit.budget_year, package.unit.name, sums)
        BUILDERS[spec.kind](b, package, profile)
        out.append(b.finish())
    return out
