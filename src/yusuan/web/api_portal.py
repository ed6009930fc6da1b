"""API endpoints of the portal's quality score, ranking and departments side by side (added to
``api.api``; read-only, published versions only, decimals as strings)."""

from __future__ import annotations

from ninja import Path, Query, Router, Schema, Status

from yusuan.web import budgetfinal
from yusuan.web import ranking as ranks
from yusuan.web import sidebyside
from yusuan.web.api import MAX_ID, Error, Ref, _s, api
from yusuan.web.models import Department, Version

router = Router(tags=["portal"])


class LostOut(Schema):
    label: str
    count: int
    per_finding: str
    points: str
    cap: str | None = None
    examples: list[str]


class DimensionOut(Schema):
    key: str
    label: str
    points: str
    assessed: bool
    earned: str | None
    note: str
    lost: list[LostOut]


class QualityOut(Schema):
    version_id: int
    total: str | None
    earned: str
    assessed_max: str
    deadline: str | None
    approved_on: str | None  # 批复日期: timeliness is measured from it (else from the deadline)
    config_version: int
    dimensions: list[DimensionOut]


class RankOut(Schema):
    place: int | None
    department: Ref
    version_id: int
    score: str | None
    dimensions: dict[str, str | None]


class RankingOut(Schema):
    year: int
    phase: str
    items: list[RankOut]


class SideCell(Schema):
    value: str | None
    share: str | None


class SideRow(Schema):
    key: str
    label: str
    cells: list[SideCell]


class SideOut(Schema):
    year: int
    phase: str
    departments: list[Ref]
    versions: list[int]
    totals: list[SideRow]
    functions: list[SideRow]
    sangong: list[SideRow]
    operating: list[SideRow]


def _quality(v: Version) -> dict | None:
    q = ranks.score_of(v)
    if q is None:
        return None
    b = q.breakdown
    return {"version_id": v.pk, "total": b.get("total"), "earned": b.get("earned"), "assessed_max": b.get("assessed_max"),
            "deadline": q.deadline.isoformat() if q.deadline else None,
            "approved_on": q.approved_on.isoformat() if q.approved_on else None, "config_version": q.config_version,
            "dimensions": b.get("dimensions") or []}


@router.get("/versions/{pk}/quality/", response={200: QualityOut, 404: Error}, summary="版本的公开质量得分及扣分原因")
def version_quality(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    v = Version.objects.filter(pk=pk).first()
    out = _quality(v) if v else None
    if out is None:
        return Status(404, {"detail": "没有该版本或其得分"})
    return out


@router.get("/rankings/", response={200: RankingOut, 404: Error},
            summary="公开质量排名：某年度某阶段各部门现行版本的得分（可按财政部门或地区）")
def rankings(request, year: int = Query(..., ge=2000, le=2100), phase: str = Query("budget", pattern="^(budget|final)$"),
             bureau: int | None = Query(None, ge=1, le=MAX_ID), region: int | None = Query(None, ge=1, le=MAX_ID)):
    rows = ranks.ranking(year, phase, bureau_id=bureau, region_id=region)
    if not rows:
        return Status(404, {"detail": "该年度没有已公开的版本"})
    items = [{"place": r["place"], "department": {"id": r["version"].package.department.pk,
                                                  "name": r["version"].package.department.name},
              "version_id": r["version"].pk, "score": _s(r["score"]),
              "dimensions": {k: (d["earned"] if d.get("assessed") else None) for k, d in r["dimensions"].items()}}
             for r in rows]
    return {"year": year, "phase": phase, "items": items}


@router.get("/side-by-side/", response={200: SideOut, 404: Error},
            summary="部门并列比较：同一年度两个或更多部门现行公开版本的主要数字")
def side_by_side(request, departments: str = Query(..., max_length=200, description="部门编号，以逗号分隔，如 1,2"),
                 year: int = Query(..., ge=2000, le=2100), phase: str = Query("budget", pattern="^(budget|final)$")):
    ids = []
    for part in departments.split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and 0 < int(part) <= MAX_ID:
            ids.append(int(part))
    versions = sidebyside.versions_for(ids[:sidebyside.MAX_DEPARTMENTS], year, phase)
    if len(versions) < 2:
        return Status(404, {"detail": "须有至少两个在该年度已公开的部门"})
    data = sidebyside.side_by_side(versions)

    def rows(part):
        return [{"key": r["key"], "label": r["label"],
                 "cells": [{"value": _s(c["value"]), "share": _s(c["share"])} for c in r["cells"]]} for r in data[part]]

    return {"year": year, "phase": phase, "versions": [v.pk for v in versions],
            "departments": [{"id": v.package.department.pk, "name": v.package.department.name} for v in versions],
            "totals": rows("totals"), "functions": rows("functions"), "sangong": rows("sangong"),
            "operating": rows("operating")}


class BudgetFinalLine(Schema):
    code: str
    name: str
    published: str | None
    restated: str | None
    actual: str | None
    rate: str | None


class BudgetFinalFinding(Schema):
    rule: str
    severity: str
    message: str


class BudgetFinalOut(Schema):
    department: Ref
    year: int
    budget_version: int
    final_version: int
    functions: list[BudgetFinalLine]
    sangong: list[BudgetFinalLine]
    findings: list[BudgetFinalFinding]


@router.get("/departments/{pk}/budget-final/{year}/", response={200: BudgetFinalOut, 404: Error},
            summary="同一年度部门预算与部门决算对照（按项级科目和“三公”经费：预算公开数、年初预算数、决算数、完成率）")
def budget_final(request, pk: int = Path(..., ge=1, le=MAX_ID), year: int = Path(..., ge=2000, le=2100)):
    d = Department.objects.filter(pk=pk).first()
    both = budgetfinal.pair(d.pk, year) if d else None
    if both is None:
        return Status(404, {"detail": "该部门该年度的部门预算和部门决算未都公开"})
    c = budgetfinal.comparison(*both)

    def lines(part):
        return [{"code": x.code, "name": x.name, "published": _s(x.published), "restated": _s(x.restated),
                 "actual": _s(x.actual), "rate": _s(x.rate)} for x in c[part]]

    return {"department": {"id": d.pk, "name": d.name}, "year": year, "budget_version": both[0].pk,
            "final_version": both[1].pk, "functions": lines("functions"), "sangong": lines("sangong"),
            "findings": c["findings"]}


api.add_router("/", router)
