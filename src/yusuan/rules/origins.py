"""Findings on entered facts name where the fact was entered (the workbook sheet, row and column, or the
file and data path of a YAML/JSON package), from ``BudgetPackage.origins``.

A facts rule (F.*) says which fact it is about with ``Hit.origin``, a path into the package data. The
performance rules (P.*) read the composed performance tables, whose order is the package's: their hits
are traced back from the table and indicator they point at. Without origins (a package built in code, a
published file being audited) a finding keeps the location the rule gave it.
"""

from __future__ import annotations

from yusuan.disclosure import Location
from yusuan.errors import json_path
from yusuan.model.origins import Origins

# the field of an indicator / a performance table each P rule is about
_INDICATOR_FIELD = {"P.LASTYEAR.WEIGHT": "last_year", "P.UNIT.MISMATCH": "target", "P.NOT.MEASURABLE": "target",
                    "P.LEVEL2.VALID": "level2", "P.QUANT.COMPLETE": "target"}
_TABLE_FIELD = {"P.BUDGET.TOTAL": "fiscal", "P.BUDGET.TABLES": "fiscal"}


def location(origins: Origins, path: tuple) -> Location:
    found = origins.cell(path)
    if found is None:
        return Location(file=origins.file_of(path), table="数据包", section=json_path(path))
    sheet, row, column = found[1]
    return Location(file=origins.file, table=f"工作表“{sheet}”", row=row,
                    cell=f"{column}{row}" if column is not None and row is not None else None)


def place(ctx, rule_id: str, hit) -> Location | None:
    """The location to report ``hit`` at: where its fact was entered when that is known, else the rule's own."""
    path = entered_path(ctx, rule_id, hit)
    if path is None:
        return hit.location
    return location(ctx.package.origins, path)


def entered_path(ctx, rule_id: str, hit) -> tuple | None:
    """The data path of the fact ``hit`` is about, when the package knows where its facts were entered."""
    package = ctx.package
    origins = package.origins if package is not None else None
    if origins is None:
        return None
    path = hit.origin
    if path is None and rule_id.startswith("P.") and ctx.disclosure.origin == "composed" and origins.workbook:
        # a YAML data path says less than the composed table the rule names: only a workbook row replaces it
        path = _performance_path(ctx, rule_id, hit)
    return path


def _performance_path(ctx, rule_id: str, hit) -> tuple | None:
    package = ctx.package
    loc = hit.location
    if loc is not None and loc.table:
        for printed in ctx.disclosure.performance:
            if printed.location is None or printed.location.table != loc.table:
                continue
            n = next((i for i, t in enumerate(package.performance) if t is printed.table), None)
            if n is None:
                return None
            if loc.row is not None and printed.location.row is None:
                i = loc.row - 1  # the rules number an indicator's row from 1 (performance._at)
                if 0 <= i < len(printed.table.indicators):
                    field = _INDICATOR_FIELD.get(rule_id)
                    return ("performance", n, "indicators", i) + ((field,) if field else ())
            field = _TABLE_FIELD.get(rule_id)
            return ("performance", n) + ((field,) if field else ())
    if hit.subject:
        n = next((i for i, p in enumerate(package.projects) if p.name == hit.subject), None)
        if n is not None:
            return ("projects", n, "name")
    return None
