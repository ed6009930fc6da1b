"""The editing page of a draft (the facts as grids beside the check panel) and its save-and-check endpoint.

htmx posts one grid; the answer is that grid again (saved, or with the reasons it was not) and, out of
band, the check panel. Without JavaScript the same form posts normally and gets the whole page.
"""

from __future__ import annotations

import json
from functools import lru_cache, wraps

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yusuan.excel import layout as L
from yusuan.web import grid as G
from yusuan.web.grid_html import rows_html
from yusuan.web import perms
from yusuan.web.models import Package
from yusuan.web.views import STATE_CLASS, _findings, denied, guard

_UI_KIND = {"function": "function", "economic": "economic", "economic_any": "economic", "source": "source",
            "choice:sangong": "item", "choice:overview": "part", "project": "project", "subject": "subject",
            "amount": "amount", "decimal": "amount", "int": "int"}
LONG_TEXT = 40  # a text column at least this wide in the workbook is a text area here (a paragraph, not a name)


def ui_kind(column: L.Column) -> str:
    """How a column is edited: the picker it gets, a number, a line or a paragraph of text."""
    if column.kind == "text":
        return "long" if column.width >= LONG_TEXT else "text"
    return _UI_KIND.get(column.kind, "text")


PAGES = {"tables": "web:grid", "texts": "web:texts"}  # section → the URL name of its page


@lru_cache(maxsize=8)
def _catalogue(year: int) -> dict[str, list[tuple[str, str]]]:
    """The code pickers: (code, name) of the function 项 and economic 款 of the year's catalogue."""
    from yusuan import catalog

    out = {}
    for kind, length in (("function", 7), ("economic", 5)):
        cat = catalog.load(kind, year)
        out[kind] = sorted((c, e.name) for c, e in cat.entries.items() if len(c) == length)
    return out


def _href(anchor: str, p: Package, section: str) -> str:
    """The link of a finding's place: its grid cell on this page or on the other editing page, else its
    table on the package page."""
    if not anchor:
        return ""
    if not anchor.startswith("g"):
        return f"{reverse('web:package', args=[p.pk])}#{anchor}"
    key = anchor.split("-")[1]
    there = G.GRIDS[key].section if key in G.GRIDS else section
    return f"#{anchor}" if there == section else f"{reverse(PAGES[there], args=[p.pk])}#{anchor}"


def _marks(findings: list[dict], tables: list[dict], p: Package, section: str = "tables") -> dict[str, list[dict]]:
    """Grid anchor → its findings; each finding gets ``href``: its grid cell, or its table on the package page."""
    out: dict[str, list[dict]] = {}
    for f in findings:
        anchor = G.anchor(f, tables)
        f["href"] = _href(anchor, p, section)
        if anchor:
            out.setdefault(anchor, []).append(f)
    return out


@lru_cache(maxsize=8)
def _code_lists(year: int) -> str:
    """The code pickers' datalists, drawn once per year (the same on every editing page)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    return mark_safe(render_to_string("web/_code_lists.html", {"catalogue": _catalogue(year)}))


def _subjects(facts: dict) -> list[str]:
    """The last-year subject keys offered in the picker: the fixed ones, one per income source, and those in use."""
    from yusuan.model.sources import Source

    fixed = ["total", "expenditure:basic", "expenditure:project", "general:basic", "general:project", "general:total",
             "sangong:total", "sangong:abroad", "sangong:vehicle_purchase", "sangong:vehicle_operation",
             "sangong:reception", "operating_costs"] + [f"income:{s.value}" for s in Source]
    return list(dict.fromkeys(fixed + list((facts or {}).get("last_year") or {})))


def _can_edit(request, p: Package) -> bool:
    return (perms.allowed(request.user, perms.UPLOAD, p) and perms.state_allows(p, perms.UPLOAD) and p.facts is not None
            and not p.is_final)


def grid_context(p: Package, key: str, can_edit: bool, marks: dict, rows: list[dict] | None = None,
                 revision: str | None = None, base: list[dict] | None = None, problems=None, conflict=None,
                 saved_text: str = "") -> dict:
    grid = G.GRIDS[key]
    saved = G.rows_of(p.facts or {}, key)
    rows = saved if rows is None else rows
    base = saved if base is None else base
    letters = G.letters(grid.sheet, grid.extra)
    columns = [{"key": c.key, "label": c.label, "kind": ui_kind(c), "letter": letters[c.key],
                "labels": G.labels_of(c.kind) or {}, "web": c in grid.extra} for c in grid.columns]
    bad = {(r, c) for r, c, _ in (problems or []) if r is not None}
    clashes = {(x["row"], x["col"]): x for x in (conflict or [])}
    shown = []
    for i, row in enumerate(list(rows) + [{c: "" for c in grid.keys}] * (G.BLANK_ROWS if can_edit else 0)):
        number = L.FIRST_DATA_ROW + i
        cells = []
        for col in columns:
            anchor = f"g-{key}-{number}-{col['letter']}"
            found = marks.get(anchor, [])
            worst = next((s for s in ("fatal", "warning", "info") if any(f["severity"] == s for f in found)), "")
            value = row.get(col["key"], "")
            value = col["labels"].get(value, value)
            cells.append({"col": col, "value": value, "id": anchor, "marks": found,
                          "cls": " ".join(x for x in (worst, "bad" if (number, col["key"]) in bad else "",
                                                       "clash" if (number, col["key"]) in clashes else "") if x),
                          "tip": "；".join(f["message"] for f in found), "clash": clashes.get((number, col["key"]))})
        shown.append({"i": i, "number": number, "id": f"g-{key}-{number}", "cells": cells,
                      "marks": marks.get(f"g-{key}-{number}", [])})
    g = {"p": p, "key": key, "title": grid.sheet.name, "purpose": grid.sheet.purpose, "columns": columns,
         "rows": shown, "revision": revision or G.revision_of(saved),
         "base": json.dumps(base, ensure_ascii=False), "problems": [m for _, _, m in (problems or [])],
         "conflict": conflict or [], "can_edit": can_edit, "saved_text": saved_text,
         "grid_marks": marks.get(f"grid-{key}", [])}
    g["body"] = rows_html(g)  # the rows' markup (grid_html: the template language is the page's main cost)
    return g


def _page_context(request, p: Package, fragments: dict | None = None, section: str = "tables") -> dict:
    findings = _findings(p.report)
    tables = p.tables or []
    marks = _marks(findings, tables, p, section)
    can_edit = _can_edit(request, p)
    grids = [(fragments or {}).get(k) or grid_context(p, k, can_edit, marks)
             for k, g in G.GRIDS.items() if g.section == section]
    return {"p": p, "grids": grids, "findings": findings, "tables": tables, "cls": STATE_CLASS[p.state],
            "stats": (p.report or {}).get("stats", {}).get("by_severity", {}), "can_edit": can_edit,
            "section": section, "section_zh": G.SECTIONS[section], "pages": [(s, zh, PAGES[s]) for s, zh in G.SECTIONS.items()],
            "code_lists": _code_lists(p.year) if can_edit else "", "sources": L.CHOICES["source"].values(),
            "items": L.SANGONG_ITEMS.values(), "parts": L.OVERVIEW_PARTS.values(),
            "subjects": _subjects(p.facts) if can_edit else [],
            "projects": [x["name"] for x in (p.facts or {}).get("projects", [])]}


def _page(request, p: Package, section: str):
    key = request.GET.get("grid")
    if key in G.GRIDS and request.headers.get("HX-Request"):  # one grid reloaded as saved (a conflict abandoned)
        marks = _marks(_findings(p.report), p.tables or [], p, G.GRIDS[key].section)
        return render(request, "web/grid_fragment.html", {"g": grid_context(p, key, _can_edit(request, p), marks), "oob": None})
    return render(request, "web/grid_page.html", _page_context(request, p, section=section))


@guard(perms.VIEW, Package)
@require_GET
def page(request, p: Package):
    """The figures: the leaf-fact tables of the workbook as grids."""
    return _page(request, p, "tables")


@guard(perms.VIEW, Package)
@require_GET
def texts(request, p: Package):
    """The narrative inputs (概况, 说明, 名词解释): the same forms, saved and checked the same way."""
    return _page(request, p, "texts")


def _guard_light(action: str):
    """``views.guard`` for a view that needs the package's facts but not its stored report and table
    views (decoding them is a third of a save's time): those are loaded only if the view reads them."""

    def wrap(view):
        @wraps(view)
        def inner(request, pk=None, **kwargs):
            p = get_object_or_404(Package.objects.select_related("department", "department__bureau")
                                  .defer("report", "tables"), pk=pk)
            if not perms.allowed(request.user, action, p):
                return denied(request)
            return view(request, p, **kwargs)

        inner.action = action
        return inner

    return wrap


@_guard_light(perms.UPLOAD)
@require_POST
def save(request, p: Package, key: str):
    """Save-and-check one grid: 200 with the grid (and the check panel out of band) for htmx, the page otherwise."""
    status, fragment = 200, None
    if key not in G.GRIDS:
        return render(request, "web/message.html", {"title": "未能完成", "text": "没有这个表格"}, status=404)
    yours = G.posted_rows(request.POST, key)
    try:
        result = G.save(p, request.user, key, request.POST)
    except G.Refused as exc:
        if request.headers.get("HX-Request"):  # htmx swaps only 2xx answers: the reason goes in the grid
            ctx = grid_context(p, key, False, {}, rows=yours, problems=[(None, None, f"未能保存：{exc}")])
            return render(request, "web/grid_fragment.html", {"g": ctx, "oob": None})
        return render(request, "web/message.html", {"title": "未能保存", "text": str(exc)}, status=400)
    except G.Invalid as exc:
        status = 400
        fragment = ("invalid", exc.problems)
    except G.Conflict as exc:
        status = 409
        fragment = ("conflict", exc)
    if fragment is not None and fragment[0] == "conflict":
        p.refresh_from_db()  # saved by someone else meanwhile: show his facts and findings
    findings = _findings(p.report)
    section = G.GRIDS[key].section
    marks = _marks(findings, p.tables or [], p, section)
    can_edit = _can_edit(request, p)
    if fragment is None:
        n = len(result.changes)
        text = (f"已保存 {n} 处修改并重新校验：错误 {result.checked.fatal} 个，警告 {result.checked.warning} 个"
                if n else "没有修改，未保存")
        ctx = grid_context(p, key, can_edit, marks, saved_text=text)
    elif fragment[0] == "invalid":
        ctx = grid_context(p, key, can_edit, marks, rows=yours, base=G._base(request.POST.get("base")),
                           revision=request.POST.get("revision"), problems=fragment[1])
    else:
        exc = fragment[1]
        # the user's values stay in the inputs; the revision is now the saved one, so saving again is a
        # decision taken with both values in view
        ctx = grid_context(p, key, can_edit, marks, rows=yours, base=exc.saved, revision=exc.revision,
                           conflict=exc.cells)
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the outcome is in the fragment itself
        panel = None
        if fragment is None:  # the check panel, swapped in out of band (the other grids keep what is typed in them)
            panel = {"p": p, "findings": findings, "stats": (p.report or {}).get("stats", {}).get("by_severity", {})}
        return render(request, "web/grid_fragment.html", {"g": ctx, "oob": panel}, status=200)
    return render(request, "web/grid_page.html", _page_context(request, p, {key: ctx}, section), status=status)
