"""Portal pages beyond browsing (issue 12): the disclosure-quality ranking, departments side by
side, and a department's budget against its final account of the same year. Public, cached with the portal's other pages (``portal.public_view``); they read published
versions and their stored scores only."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from yusuan.web import budgetfinal, quality
from yusuan.web import ranking as ranks
from yusuan.web import sidebyside
from yusuan.web.models import Bureau, Department, Region
from yusuan.web.portal import public_view

PHASES = {"budget": "部门预算", "final": "部门决算"}


def _int(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**31 else None


def _year_phase(request) -> tuple[list, int | None, str]:
    pairs = ranks.years_and_phases()
    phase = request.GET.get("phase") if request.GET.get("phase") in PHASES else "budget"
    years = sorted({y for y, p in pairs if p == phase}, reverse=True)
    year = _int(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else None
    return years, year, phase


@public_view()
def ranking(request):
    """Departments of a bureau (or of a region) and year by score; by default every bureau."""
    years, year, phase = _year_phase(request)
    bureau_id, region_id = _int(request.GET.get("bureau")), _int(request.GET.get("region"))
    groups = []
    if year is not None:
        if region_id and Region.objects.filter(pk=region_id).exists():
            r = Region.objects.get(pk=region_id)
            groups.append({"title": f"{r.name}（全地区）", "rows": ranks.ranking(year, phase, region_id=r.pk)})
        else:
            bureaus = Bureau.objects.select_related("region").order_by("region__name", "name")
            if bureau_id:
                bureaus = bureaus.filter(pk=bureau_id)
            for b in bureaus:
                rows = ranks.ranking(year, phase, bureau_id=b.pk)
                if rows:
                    groups.append({"title": f"{b.region.name} · {b.name}", "rows": rows, "bureau": b})
    return render(request, "web/portal_ranking.html", {
        "years": years, "year": year, "phase": phase, "phase_zh": PHASES[phase], "phases": PHASES, "groups": groups,
        "regions": Region.objects.order_by("name"), "region_id": region_id, "config": quality.load_config()})


@public_view()
def side_by_side(request):
    years, year, phase = _year_phase(request)
    chosen = [n for n in (_int(x) for x in request.GET.getlist("d")) if n][:sidebyside.MAX_DEPARTMENTS]
    available = []
    if year is not None:
        available = [v.package.department for v in ranks.current_of(year, phase)]
    versions = sidebyside.versions_for(chosen, year, phase) if year is not None else []
    data, charts, message = None, None, ""
    if len(versions) >= 2:
        data = sidebyside.side_by_side(versions)
        charts = {"totals": sidebyside.chart(data, "totals"), "sangong": sidebyside.chart(data, "sangong"),
                  "shares": {**sidebyside.chart(data, "functions", "share"), "unit": "%"}}
    elif chosen:
        message = f"请至少选择两个在{year}年有已公开{PHASES[phase]}的部门"
    return render(request, "web/portal_side_by_side.html", {
        "years": years, "year": year, "phase": phase, "phase_zh": PHASES[phase], "phases": PHASES,
        "available": sorted(available, key=lambda d: d.name), "chosen": {v.package.department_id for v in versions},
        "data": data, "charts": charts, "message": message})


@public_view(Department)
def budget_final(request, d: Department, year: int):
    both = budgetfinal.pair(d.pk, year)
    if both is None:
        raise Http404(f"该部门{year}年的部门预算和部门决算未都公开")
    budget, final = both
    return render(request, "web/portal_budget_final.html", {
        "d": d, "year": year, "budget": budget, "final": final, "c": budgetfinal.comparison(budget, final)})
