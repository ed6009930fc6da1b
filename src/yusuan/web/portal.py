"""The public portal (no sign-in): browse region → bureau → department → year and stage, search,
each published version in its region's layout with downloads, check report and history, the
comparison of a department across years, and the open data files.

Only ``Version`` rows are read here: a version is a publication, so nothing unpublished can reach
these pages. Pages for anonymous visitors are cached; the cache key carries the publication
generation (``generation()``), so a new publication invalidates every cached public page at once,
in every process, without a message between them; so does a re-score (a changed approval date or
deadline, ``yusuan portal-refresh``).
"""

from __future__ import annotations

import json
from functools import lru_cache, wraps

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from yusuan.web import compare as comparing
from yusuan.web import opendata, perms
from yusuan.web.models import Bureau, Department, Region, Version
from yusuan.web import fulltext
from yusuan.web.search import clean_query
from yusuan.web.views import DOWNLOAD_HANDLERS, _attachment, guard

PUBLIC_CACHE_SECONDS = 600
VERSION_RELATED = ("package", "package__department", "package__department__bureau", "package__department__bureau__region")


def generation() -> str:
    """Changes with every publication (versions are only ever added) and every re-score (a stored score is
    rewritten with a new ``computed_at``, ``qualitymodels.store``): part of every public cache key. One
    query; the score is one-to-one with its version, so the join does not change the count."""
    agg = Version.objects.aggregate(n=Count("id"), last=Max("id"), scored=Max("quality__computed_at"))
    scored = agg["scored"].timestamp() if agg["scored"] else 0
    return f"{agg['n']}-{agg['last']}-{scored:.6f}"


def cached_public(view):
    """Cache the response of an anonymous GET for PUBLIC_CACHE_SECONDS, keyed by path, query and generation."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = f"yusuan-public:{generation()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, PUBLIC_CACHE_SECONDS)
        return response

    if hasattr(view, "action"):
        inner.action = view.action
    return inner


def public_view(model=None):
    def wrap(view):
        return cached_public(guard(perms.PUBLIC, model)(require_GET(view)))

    return wrap


def _versions():
    return Version.objects.select_related(*VERSION_RELATED)


def _current(qs) -> list:
    return opendata.current_versions(qs)


# ------------------------------------------------------------------ home, browse, search

@public_view()
def home(request):
    regions = Region.objects.annotate(n=Count("bureaus__departments__packages__versions")).order_by("name")
    newest = {v.pk for v in opendata.current_versions()}
    latest = [{"v": v, "current": v.pk in newest} for v in _versions().order_by("-published_at", "-id")[:10]]
    return render(request, "web/portal_home.html", {"regions": regions, "latest": latest})


@public_view(Region)
def region(request, r: Region):
    bureaus = []
    published = set(Version.objects.filter(package__department__bureau__region=r)
                    .values_list("package__department_id", flat=True))
    for b in Bureau.objects.filter(region=r).order_by("name"):
        depts = [d for d in b.departments.order_by("name") if d.pk in published]
        bureaus.append({"b": b, "departments": depts})
    return render(request, "web/portal_region.html", {"r": r, "bureaus": bureaus})


@public_view(Department)
def department(request, d: Department):
    versions = list(_versions().filter(package__department=d).order_by("-package__year", "phase", "-number"))
    if not versions:
        raise Http404("该部门尚无公开的预算")
    rows: dict[tuple, dict] = {}
    for v in versions:
        row = rows.setdefault((v.package.year, v.phase), {"year": v.package.year, "phase": v.phase_zh, "current": v,
                                                           "all": []})
        row["all"].append(v)
    years = {v.package.year for v in versions}
    phases: dict[int, set] = {}
    for year, phase in rows:
        phases.setdefault(year, set()).add(phase)
    both = sorted((y for y, p in phases.items() if {"budget", "final"} <= p), reverse=True)
    return render(request, "web/portal_department.html", {"d": d, "rows": list(rows.values()),
                                                          "can_compare": len(years) > 1, "budget_final_years": both})


@public_view()
def search(request):
    q = clean_query(request.GET.get("q"))
    results = []
    if q:
        ids = fulltext.ranked(q)  # most relevant first
        place = {pk: n for n, pk in enumerate(ids)}
        for v in _current(_versions().filter(pk__in=ids)):
            hits = [line for line in v.search_text.splitlines() if any(t.lower() in line.lower() for t in q.split())]
            results.append({"v": v, "hits": hits[:5]})
        # departments by their best match, each department's years newest first
        best: dict[int, int] = {}
        for r in results:
            d = r["v"].package.department_id
            best[d] = min(best.get(d, place[r["v"].pk]), place[r["v"].pk])
        results.sort(key=lambda r: (best[r["v"].package.department_id], -r["v"].package.year, r["v"].phase))
    return render(request, "web/portal_search.html", {"q": q, "results": results})


# ------------------------------------------------------------------ a version

@lru_cache(maxsize=64)
def _document_html(version_id: int, published_at: str) -> str:
    """The version's disclosure in its region's layout (the HTML renderer the PDF is made from).
    Keyed by id and publication time: an id a rolled-back transaction (a test) used again is not a hit."""
    from yusuan.compose import compose
    from yusuan.web.services import facts_of
    from yusuan.render.html import render_html

    v = Version.objects.get(pk=version_id)
    return render_html(compose(facts_of(v.facts)))


@guard(perms.PUBLIC, Version)
@require_GET
@xframe_options_sameorigin
def document(request, v: Version):
    response = HttpResponse(_document_html(v.pk, v.published_at.isoformat()), content_type="text/html; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)  # a version never changes
    return response


def version_downloads(v: Version, fmt: str):
    """Downloads of a version beyond its rendered files: facts JSON and the figures as CSV / Parquet."""
    if fmt == "facts.json":
        response = HttpResponse(json.dumps(v.facts, ensure_ascii=False, indent=2), content_type="application/json")
        response["Content-Disposition"] = _attachment(f"{v.package}第{v.number}版数据.json")
        return response
    if fmt in ("csv", "parquet"):
        rows = opendata.figures(v)
        data = opendata.csv_bytes(rows) if fmt == "csv" else opendata.parquet_bytes(rows)
        response = HttpResponse(data, content_type="text/csv; charset=utf-8" if fmt == "csv"
                                else "application/vnd.apache.parquet")
        response["Content-Disposition"] = _attachment(f"{v.package}第{v.number}版数据.{fmt}")
        return response
    return None


DOWNLOAD_HANDLERS.append(version_downloads)


# ------------------------------------------------------------------ comparison

def comparison_versions(d: Department, phase: str) -> list:
    return _current(_versions().filter(package__department=d, phase=phase))


@public_view(Department)
def compare(request, d: Department):
    phase = request.GET.get("phase") if request.GET.get("phase") in ("budget", "final") else "budget"
    versions = comparison_versions(d, phase)
    if not versions:
        raise Http404("该部门尚无公开的预算")
    data = comparing.department_years(versions)
    charts = {"totals": _chart(data, "totals"), "functions": _chart(data, "functions"), "sangong": _chart(data, "sangong")}
    return render(request, "web/portal_compare.html", {"d": d, "c": data, "phase": phase,
                                                       "phase_zh": "部门决算" if phase == "final" else "部门预算",
                                                       "charts": charts})


def _chart(data: dict, part: str) -> dict:
    """ECharts option data: one bar series per row (amounts as strings → numbers only in the browser)."""
    return {"years": [str(y) for y in data["years"]],
            "series": [{"name": row["label"], "data": [None if c["value"] is None else str(c["value"]) for c in row["cells"]]}
                       for row in data[part]]}


# ------------------------------------------------------------------ open data

@public_view()
def open_data(request):
    entries = [{"year": y, "region": name, "slug": opendata.slug(y, rid), "packages": len(vs)}
               for (y, rid, name), vs in opendata.groups().items()]
    return render(request, "web/portal_open_data.html", {"entries": entries})


OPEN_FILES = {"figures.csv": "text/csv; charset=utf-8", "figures.parquet": "application/vnd.apache.parquet",
              "datapackage.json": "application/json"}


@public_view()
def open_data_file(request, slug: str, name: str):
    if name not in OPEN_FILES:
        raise Http404("没有该文件")
    for (y, rid, region_name), vs in opendata.groups().items():
        if opendata.slug(y, rid) == slug:
            break
    else:
        raise Http404("没有该年度和地区的公开数据")
    key = f"yusuan-open:{generation()}:{slug}"
    files = cache.get(key)
    if files is None:
        rows = opendata.rows_of(vs)
        csv_data, pq_data = opendata.csv_bytes(rows), opendata.parquet_bytes(rows)
        desc = opendata.datapackage(f"yusuan-{slug}", f"{region_name}{y}年部门预算公开数据",
                                    {"figures.csv": len(csv_data), "figures.parquet": len(pq_data)}, y)
        files = {"figures.csv": csv_data, "figures.parquet": pq_data,
                 "datapackage.json": json.dumps(desc, ensure_ascii=False, indent=2).encode("utf-8")}
        cache.set(key, files, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(files[name], content_type=OPEN_FILES[name])
    response["Content-Disposition"] = _attachment(f"{region_name}{y}年{name}")
    return response
