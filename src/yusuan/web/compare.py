"""A department across years, from the printed figures of each year's current published version.

Totals and function classes come from the 部门支出总体情况表 (its 合计 row and its 类 rows),
三公 by item from the 三公 table, 机关运行经费 from the facts, and the projects from the project list.
A figure a year does not print stays ``None`` (unknown is never zero): its change is unknown too.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.web import opendata

TOTAL_COLUMNS = [("total", "支出合计"), ("basic", "基本支出"), ("project", "项目支出")]


def year_data(v) -> dict:
    """The key figures of one version (totals, function 类, 三公 items, 机关运行经费, projects)."""
    figs = opendata.figures(v)
    exp = [f for f in figs if f["table_kind"] == "expenditure"]
    totals = {}
    for key, _ in TOTAL_COLUMNS:
        hit = [f["amount"] for f in exp if f["row_role"] == "total" and f["column_key"] == key]
        totals[key] = hit[0] if hit else None
    functions = {f["row_code"]: (f["row_name"], f["amount"]) for f in exp
                 if f["row_level"] == "类" and f["column_key"] == "total"}
    sangong = {f["row_name"]: f["amount"] for f in figs if f["table_kind"] == "sangong" and f["column_key"] == "total"}
    op = (v.facts or {}).get("operating_costs")
    projects = [p.get("name") for p in (v.facts or {}).get("projects") or [] if p.get("name")]
    return {"v": v, "year": v.package.year, "totals": totals, "functions": functions, "sangong": sangong,
            "operating_costs": Decimal(str(op)) if op is not None else None, "projects": projects}


def _change(old: Decimal | None, new: Decimal | None) -> dict:
    if old is None or new is None:
        return {"diff": None, "pct": None}
    diff = new - old
    pct = (diff / old * 100).quantize(Decimal("0.1")) if old else None
    return {"diff": diff, "pct": pct}


def department_years(versions: list) -> dict:
    """``versions``: the department's current versions of one phase, any order."""
    years = [year_data(v) for v in sorted(versions, key=lambda v: v.package.year)]
    labels = [y["year"] for y in years]

    def series(get) -> list:
        values = [get(y) for y in years]
        changes = [None] + [_change(a, b) for a, b in zip(values, values[1:])]
        return [{"value": val, "change": ch} for val, ch in zip(values, changes)]

    totals = [{"key": k, "label": label, "cells": series(lambda y, k=k: y["totals"][k])} for k, label in TOTAL_COLUMNS]
    codes = sorted({c for y in years for c in y["functions"]})
    names = {c: n for y in years for c, (n, _) in y["functions"].items()}
    functions = [{"key": c, "label": f"{c} {names[c]}",
                  "cells": series(lambda y, c=c: y["functions"].get(c, (None, None))[1])} for c in codes]
    items = list(dict.fromkeys(name for y in years for name in y["sangong"]))
    sangong = [{"key": name, "label": name, "cells": series(lambda y, n=name: y["sangong"].get(n))} for name in items]
    operating = [{"key": "operating_costs", "label": "机关运行经费",
                  "cells": series(lambda y: y["operating_costs"])}]
    project_changes = []
    for prev, cur in zip(years, years[1:]):
        before, after = set(prev["projects"]), set(cur["projects"])
        project_changes.append({"from": prev["year"], "to": cur["year"],
                                "new": [p for p in cur["projects"] if p not in before],
                                "gone": [p for p in prev["projects"] if p not in after],
                                "kept": len(before & after)})
    return {"years": labels, "versions": [y["v"] for y in years], "totals": totals, "functions": functions,
            "sangong": sangong, "operating": operating, "projects": project_changes}
