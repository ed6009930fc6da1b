"""Departments of one year and stage side by side: the key figures of each one's current published
version (支出总额, 基本支出, 项目支出, 三公经费 by item, 机关运行经费, each function 类 and its
share of the total), from the same printed figures as the comparison across years (``compare.py``).
A figure a department does not print stays ``None`` (unknown is never zero), and so does its share.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from yusuan.web import compare as comparing
from yusuan.web import opendata
from yusuan.web.models import Version

MAX_DEPARTMENTS = 12


def versions_for(department_ids: list[int], year: int, phase: str) -> list:
    """The current version of each department's package of the year and stage, in the order asked."""
    found = {v.package.department_id: v for v in opendata.current_versions(
        Version.objects.filter(package__department_id__in=department_ids, package__year=year, phase=phase))}
    return [found[d] for d in dict.fromkeys(department_ids) if d in found]


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def side_by_side(versions: list) -> dict:
    """``{"versions", "totals", "sangong", "operating", "functions"}``; each row ``{key, label, cells}``,
    a cell ``{"value", "share"}`` per version (``share`` of the department's 支出合计, function rows only)."""
    data = [comparing.year_data(v) for v in versions]

    def row(key, label, get, share=False):
        cells = []
        for y in data:
            value = get(y)
            cells.append({"value": value, "share": _share(value, y["totals"]["total"]) if share else None})
        return {"key": key, "label": label, "cells": cells}

    totals = [row(k, label, lambda y, k=k: y["totals"][k]) for k, label in comparing.TOTAL_COLUMNS]
    items = list(dict.fromkeys(name for y in data for name in y["sangong"]))
    sangong = [row(name, name, lambda y, n=name: y["sangong"].get(n)) for name in items]
    operating = [row("operating_costs", "机关运行经费", lambda y: y["operating_costs"])]
    codes = sorted({c for y in data for c in y["functions"]})
    names = {c: n for y in data for c, (n, _) in y["functions"].items()}
    functions = [row(c, f"{c} {names[c]}", lambda y, c=c: y["functions"].get(c, (None, None))[1], share=True)
                 for c in codes]
    return {"versions": versions, "totals": totals, "sangong": sangong, "operating": operating, "functions": functions}


def chart(data: dict, part: str, field: str = "value") -> dict:
    """ECharts data: the departments on the axis, one bar series per row (numbers as strings)."""
    return {"labels": [v.package.department.name for v in data["versions"]],
            "series": [{"name": r["label"], "data": [None if c[field] is None else str(c[field]) for c in r["cells"]]}
                       for r in data[part]]}
