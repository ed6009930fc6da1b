"""The JSON API under /api/ (django-ninja; OpenAPI 3 at /api/openapi.json). Read-only.

Published data (``Version`` rows) for everyone; a package's unpublished working copy only with the
rights of the web pages (``perms.allowed(user, VIEW, package)``, the session of a signed-in user).
Identifiers are the database ids (never reused) plus a readable ``key``
(地区/部门/年度/阶段/v版本号). Amounts are decimal strings, never floats. Lists are paginated
(``page``, ``page_size`` ≤ 200).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db.models import Q
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError

from yusuan.web import compare as comparing
from yusuan.web import fulltext, opendata, perms
from yusuan.web.models import Department, Package, Region, Version
from yusuan.web.search import clean_query

api = NinjaAPI(title="yusuan 预算公开 API", version="1", urls_namespace="api", docs_url=None,
               description="已发布的部门预算：地区、部门、预算包与版本、表格与单元格、校验结果、跨年度比较。金额为十进制字符串。")

T = TypeVar("T")
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1  # ids beyond any database's integer: refused (422), not an overflow


class Error(Schema):
    detail: str


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


class Paging(Schema):
    page: int = 1
    page_size: int = 50


def _paging(page: int, page_size: int) -> tuple[int, int]:
    return max(1, min(page, MAX_PAGE)), max(1, min(page_size, 200))


def _page(items, page: int, page_size: int, convert) -> dict:
    page, page_size = _paging(page, page_size)
    start = (page - 1) * page_size
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    return {"count": count, "page": page, "page_size": page_size,
            "items": [convert(x) for x in items[start:start + page_size]]}


class Ref(Schema):
    id: int
    name: str


class RegionOut(Schema):
    id: int
    name: str
    bureaus: list[Ref]


class DepartmentOut(Schema):
    id: int
    name: str
    code: str
    bureau: Ref
    region: Ref
    published_years: list[int]


class VersionRef(Schema):
    id: int
    key: str
    number: int
    phase: str
    published_at: str
    reason: str
    current: bool


class PackageOut(Schema):
    id: int
    department: Ref
    region: Ref
    year: int
    published: bool
    state: str | None = None
    current_version: VersionRef | None = None


class PackageDetail(PackageOut):
    versions: list[VersionRef]


class CellOut(Schema):
    column: str
    text: str
    amount: str | None


class RowOut(Schema):
    number: int
    code: str | None
    name: str
    level: str | None
    role: str
    side: str | None
    cells: list[CellOut]


class ColumnOut(Schema):
    key: str
    label: str


class TableOut(Schema):
    number: str
    kind: str
    title: str
    unit: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class FindingOut(Schema):
    rule: str
    title: str
    severity: str
    category: str
    message: str
    where: str
    subject: str | None = None


class Downloads(Schema):
    html: str
    pdf: str | None
    docx: str | None
    xlsx: str | None
    facts_json: str
    csv: str
    report_json: str


class VersionOut(VersionRef):
    package_id: int
    department: Ref
    region: Ref
    year: int
    fatal: int
    warning: int
    downloads: Downloads


class DraftOut(Schema):
    package_id: int
    state: str
    revision: int
    fatal: int
    warning: int
    tables: list[TableOut]
    findings: list[FindingOut]


class FigureOut(Schema):
    table_number: str
    table_kind: str
    row_number: int
    row_code: str
    row_name: str
    row_level: str
    direction: str
    function_code: str
    economic_code: str
    column_key: str
    column_label: str
    unit: str
    amount: str


class CompCell(Schema):
    value: str | None
    diff: str | None
    pct: str | None


class CompRow(Schema):
    key: str
    label: str
    cells: list[CompCell]


class ProjectChange(Schema):
    from_year: int
    to_year: int
    new: list[str]
    gone: list[str]
    kept: int


class ComparisonOut(Schema):
    department: Ref
    phase: str
    years: list[int]
    versions: list[int]
    totals: list[CompRow]
    functions: list[CompRow]
    sangong: list[CompRow]
    operating: list[CompRow]
    projects: list[ProjectChange]


# ------------------------------------------------------------------ helpers

def _s(d) -> str | None:
    return None if d is None else format(d, "f")


def _versions():
    return Version.objects.select_related("package", "package__department", "package__department__bureau",
                                          "package__department__bureau__region")


def _newest() -> dict[int, int]:
    from django.db.models import Max

    return {r["package_id"]: r["n"] for r in Version.objects.values("package_id").annotate(n=Max("number"))}


def _vref(v: Version, newest: dict[int, int] | None = None) -> dict:
    newest = newest if newest is not None else _newest()
    return {"id": v.pk, "key": opendata.version_key(v), "number": v.number, "phase": v.phase,
            "published_at": v.published_at.isoformat(), "reason": v.reason, "current": newest.get(v.package_id) == v.number}


def _dept(d: Department) -> dict:
    years = sorted(set(Version.objects.filter(package__department=d).values_list("package__year", flat=True)))
    return {"id": d.pk, "name": d.name, "code": d.code, "bureau": {"id": d.bureau.pk, "name": d.bureau.name},
            "region": {"id": d.bureau.region.pk, "name": d.bureau.region.name}, "published_years": years}


# the JSON columns a package or version reference never reads (decoding them is most of the cost)
_HEAVY = ("facts", "report", "tables")


def _package(p: Package, user, newest: dict[int, int]) -> dict:
    d = p.department
    current = p.versions.defer(*_HEAVY).filter(number=newest[p.pk]).first() if p.pk in newest else None
    return {"id": p.pk, "department": {"id": d.pk, "name": d.name},
            "region": {"id": d.bureau.region.pk, "name": d.bureau.region.name}, "year": p.year,
            "published": current is not None,
            "state": p.state if perms.allowed(user, perms.VIEW, p) else None,
            "current_version": _vref(current, newest) if current else None}


def _tables(facts: dict) -> list[dict]:
    from yusuan.compose import compose
    from yusuan.web.services import facts_of

    out = []
    for t in compose(facts_of(facts)).tables:
        rows = [{"number": n, "code": r.code, "name": r.name, "level": r.level, "role": r.role, "side": r.side,
                 "cells": [{"column": c.key, "text": (r.cells.get(c.key).text if r.cells.get(c.key) else ""),
                            "amount": _s(r.cells.get(c.key).value) if r.cells.get(c.key) else None} for c in t.columns]}
                for n, r in enumerate(t.rows, start=1)]
        out.append({"number": t.number, "kind": t.kind, "title": t.title, "unit": t.unit,
                    "columns": [{"key": c.key, "label": c.label} for c in t.columns], "rows": rows})
    return out


def _findings(report: dict | None) -> list[dict]:
    keys = ("rule", "title", "severity", "category", "message", "where", "subject")
    return [{k: (f.get(k) if k == "subject" else str(f.get(k) or "")) for k in keys} for f in (report or {}).get("findings", [])]


def _get_version(pk: int) -> Version:
    v = _versions().filter(pk=pk).first()
    if v is None:
        raise HttpError(404, "没有该版本")
    return v


def _visible_unpublished(user):
    """Packages without a version that the user may see (none for anonymous)."""
    return perms.visible_packages(user).filter(versions__isnull=True)


# ------------------------------------------------------------------ endpoints

@api.get("/regions/", response=Page[RegionOut], summary="地区列表")
def list_regions(request, page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=200)):
    qs = Region.objects.prefetch_related("bureaus").order_by("name")
    return _page(qs, page, page_size, lambda r: {"id": r.pk, "name": r.name,
                                                 "bureaus": [{"id": b.pk, "name": b.name} for b in r.bureaus.all()]})


@api.get("/regions/{pk}/", response={200: RegionOut, 404: Error}, summary="一个地区")
def get_region(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    r = Region.objects.filter(pk=pk).first()
    if r is None:
        return Status(404, {"detail": "没有该地区"})
    return {"id": r.pk, "name": r.name, "bureaus": [{"id": b.pk, "name": b.name} for b in r.bureaus.all()]}


@api.get("/departments/", response=Page[DepartmentOut], summary="有公开预算的部门（登录用户另含其权限内的部门）")
def list_departments(request, search: str = Query("", max_length=100), region: int | None = Query(None, ge=1, le=2**31 - 1),
                     page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=200)):
    visible = Q(packages__versions__isnull=False) | Q(packages__in=_visible_unpublished(request.user))
    qs = Department.objects.select_related("bureau", "bureau__region").filter(visible).distinct().order_by("name", "id")
    if clean_query(search):
        qs = qs.filter(name__icontains=clean_query(search))
    if region:
        qs = qs.filter(bureau__region_id=region)
    return _page(qs, page, page_size, _dept)


@api.get("/departments/{pk}/", response={200: DepartmentOut, 404: Error}, summary="一个部门")
def get_department(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    d = Department.objects.select_related("bureau", "bureau__region").filter(pk=pk).first()
    if d is None:
        return Status(404, {"detail": "没有该部门"})
    return _dept(d)


@api.get("/departments/{pk}/comparison/", response={200: ComparisonOut, 404: Error},
         summary="部门跨年度比较（各年度现行公开版本）")
def department_comparison(request, pk: int = Path(..., ge=1, le=MAX_ID), phase: str = Query("budget", pattern="^(budget|final)$")):
    d = Department.objects.filter(pk=pk).first()
    versions = opendata.current_versions(_versions().filter(package__department=d, phase=phase)) if d else []
    if not versions:
        return Status(404, {"detail": "该部门尚无公开的预算"})
    c = comparing.department_years(versions)

    def rows(part):
        return [{"key": r["key"], "label": r["label"], "cells": [
            {"value": _s(x["value"]), "diff": _s((x["change"] or {}).get("diff")), "pct": _s((x["change"] or {}).get("pct"))}
            for x in r["cells"]]} for r in c[part]]

    return {"department": {"id": d.pk, "name": d.name}, "phase": phase, "years": c["years"],
                 "versions": [v.pk for v in c["versions"]], "totals": rows("totals"), "functions": rows("functions"),
                 "sangong": rows("sangong"), "operating": rows("operating"),
                 "projects": [{"from_year": x["from"], "to_year": x["to"], "new": x["new"], "gone": x["gone"],
                               "kept": x["kept"]} for x in c["projects"]]}


@api.get("/packages/", response=Page[PackageOut],
         summary="预算包：已发布的（可按部门、项目名称、功能分类检索），登录用户另含其权限内未发布的")
def list_packages(request, search: str = Query("", max_length=100), year: int | None = Query(None, ge=2000, le=2100),
                  region: int | None = Query(None, ge=1, le=2**31 - 1), department: int | None = Query(None, ge=1, le=2**31 - 1),
                  page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=200)):
    q = clean_query(search)
    published = Package.objects.filter(versions__in=fulltext.ranked(q)) if q else \
        Package.objects.filter(versions__isnull=False)
    unpublished = _visible_unpublished(request.user)
    if q:
        unpublished = unpublished.filter(reduce_terms(q))
    qs = Package.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=unpublished.values("pk")))
    if year:
        qs = qs.filter(year=year)
    if region:
        qs = qs.filter(department__bureau__region_id=region)
    if department:
        qs = qs.filter(department_id=department)
    qs = qs.select_related("department", "department__bureau", "department__bureau__region").order_by(
        "department__name", "-year", "id")
    newest = _newest()
    return _page(qs, page, page_size, lambda p: _package(p, request.user, newest))


def reduce_terms(q: str) -> Q:
    out = Q()
    for t in q.split():
        out &= Q(department__name__icontains=t)
    return out


@api.get("/packages/{pk}/", response={200: PackageDetail, 404: Error}, summary="一个预算包及其各版本")
def get_package(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    p = (Package.objects.select_related("department", "department__bureau", "department__bureau__region")
         .defer(*_HEAVY).filter(pk=pk).first())
    if p is None or (not p.versions.exists() and not perms.allowed(request.user, perms.VIEW, p)):
        return Status(404, {"detail": "没有该预算包"})
    newest = _newest()
    out = _package(p, request.user, newest)
    out["versions"] = [_vref(v, newest) for v in _versions().defer(*_HEAVY, *(f"package__{f}" for f in _HEAVY)).filter(package=p).order_by("number")]
    return out


@api.get("/packages/{pk}/draft/", response={200: DraftOut, 403: Error, 404: Error},
         summary="未发布的工作稿（仅限有权查看该预算包的登录用户）")
def get_draft(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    p = Package.objects.select_related("department").filter(pk=pk).first()
    if p is None:
        return Status(404, {"detail": "没有该预算包"})
    if not perms.allowed(request.user, perms.VIEW, p):
        return Status(403, {"detail": "无权查看未发布的数据"})
    return {"package_id": p.pk, "state": p.state, "revision": p.revision, "fatal": p.fatal, "warning": p.warning,
                 "tables": _tables(p.facts) if p.facts else [], "findings": _findings(p.report)}


@api.get("/versions/{pk}/", response={200: VersionOut, 404: Error}, summary="一个已发布的版本")
def get_version(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    from django.urls import reverse

    try:
        v = _get_version(pk)
    except HttpError:
        return Status(404, {"detail": "没有该版本"})
    d = v.package.department
    stats = (v.report or {}).get("stats", {}).get("by_severity", {})

    def dl(fmt):
        return reverse("web:download", args=[v.pk, fmt])

    return {**_vref(v), "package_id": v.package_id, "department": {"id": d.pk, "name": d.name},
                 "region": {"id": d.bureau.region.pk, "name": d.bureau.region.name}, "year": v.package.year,
                 "fatal": int(stats.get("fatal", 0)), "warning": int(stats.get("warning", 0)),
                 "downloads": {"html": reverse("web:document", args=[v.pk]),
                               **{f: (dl(f) if getattr(v, f) else None) for f in ("pdf", "docx", "xlsx")},
                               "facts_json": dl("facts.json"), "csv": dl("csv"), "report_json": dl("report.json")}}


@api.get("/versions/{pk}/tables/", response={200: list[TableOut], 404: Error}, summary="版本的公开表格及单元格")
def version_tables(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    v = Version.objects.filter(pk=pk).first()
    if v is None:
        return Status(404, {"detail": "没有该版本"})
    return _tables(v.facts)


@api.get("/versions/{pk}/findings/", response={200: list[FindingOut], 404: Error}, summary="版本的校验结果")
def version_findings(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    v = Version.objects.filter(pk=pk).first()
    if v is None:
        return Status(404, {"detail": "没有该版本"})
    return _findings(v.report)


@api.get("/versions/{pk}/figures/", response={200: Page[FigureOut], 404: Error},
         summary="版本中印出的每个数（开放数据的行）")
def version_figures(request, pk: int = Path(..., ge=1, le=MAX_ID), page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(200, ge=1, le=1000)):
    v = Version.objects.filter(pk=pk).select_related(*[
        "package", "package__department", "package__department__bureau", "package__department__bureau__region"]).first()
    if v is None:
        return Status(404, {"detail": "没有该版本"})
    rows = opendata.figures(v)
    page, size = max(1, min(page, MAX_PAGE)), max(1, min(page_size, 1000))
    start = (page - 1) * size
    keys = FigureOut.model_fields.keys()
    items = [{k: (format(r[k], "f") if k == "amount" else r[k]) for k in keys} for r in rows[start:start + size]]
    return {"count": len(rows), "page": page, "page_size": size, "items": items}
