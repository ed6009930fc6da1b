"""The check report and its four forms: terminal (rich), JSON (stable schema, docs/report-schema.md),
CSV (one finding a line) and HTML (a self-contained page: every table with the offending cells
highlighted, then the finding list).

Completeness score hook: a module may call ``register_score(func)``; ``func(disclosure, findings,
profile) -> dict | None`` is called by the engine and its result is the report's ``completeness``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from typing import Callable

from pydantic import BaseModel, ConfigDict, Field

from yusuan.disclosure import Disclosure, Table
from yusuan.findings import Finding

SCHEMA = "yusuan.check-report/1"
SEVERITY_ORDER = {"fatal": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"fatal": "错误", "warning": "警告", "info": "提示"}
CATEGORY_ZH = {
    "within-table": "表内", "cross-table": "表间", "text-vs-table": "文表", "year-over-year": "同比",
    "catalogue": "科目", "completeness": "完整性", "performance": "绩效", "facts": "事实", "text": "文字",
    "reading": "读取",
}

ScoreHook = Callable[[Disclosure, list[Finding], dict], "dict | None"]
SCORE_HOOKS: list[ScoreHook] = []


def register_score(func: ScoreHook) -> ScoreHook:
    """Register a completeness-score function (called once per report)."""
    if func not in SCORE_HOOKS:
        SCORE_HOOKS.append(func)
    return func


class Report(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    unit_name: str = ""
    budget_year: int | None = None
    profile: str | None = None
    source: str | None = None
    rules_run: int = 0
    findings: list[Finding] = Field(default_factory=list)
    titles: dict[str, str] = Field(default_factory=dict, description="rule ID → Chinese title")
    completeness: dict | None = None
    coverage: dict | None = Field(default=None, description="narrative figures printed, read and tied to a table "
                                                            "(rules.narrative_coverage)")
    disclosure: Disclosure | None = Field(default=None, exclude=True)

    @property
    def valid(self) -> bool:
        return not any(f.severity == "fatal" for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def stats(self) -> dict:
        by_sev = Counter(f.severity for f in self.findings)
        by_cat = Counter(f.category for f in self.findings)
        return {
            "total": len(self.findings),
            "by_severity": {s: by_sev.get(s, 0) for s in SEVERITY_ORDER},
            "by_category": dict(sorted(by_cat.items())),
        }


# ------------------------------------------------------------------ JSON / CSV

def plain(value):
    """``value`` with every Decimal as its exact text, for JSON."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def finding_dict(f: Finding, titles: dict[str, str] | None = None) -> dict:
    loc = f.location.model_dump(exclude_none=True) if f.location else None
    return {
        "rule": f.rule, "title": (titles or {}).get(f.rule, ""), "severity": f.severity, "category": f.category,
        "message": f.message, "location": loc, "where": f.location.describe() if f.location else "",
        "subject": f.subject, "stated": plain(f.stated), "expected": plain(f.expected),
        "difference": plain(f.difference), "inputs": plain(f.inputs), "quote": f.quote, "quote_row": f.quote_row,
    }


def quote_line(f: Finding) -> str:
    """“原文：……” for a finding that quotes what it read; '' when it has no one printed place."""
    if f.quote is None:
        return ""
    text = f"“{f.quote}”" if f.quote.strip() else "（空白）"
    row = f"“{f.quote_row}”行 " if f.quote_row else ""
    return f"原文：{row}{text}"


def to_dict(report: Report) -> dict:
    return {
        "schema": SCHEMA, "unit": report.unit_name, "budget_year": report.budget_year, "profile": report.profile,
        "source": report.source, "valid": report.valid, "rules_run": report.rules_run, "stats": report.stats(),
        "completeness": plain(report.completeness), "coverage": report.coverage, "findings": [finding_dict(f, report.titles) for f in report.findings],
    }


def to_json(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["rule", "severity", "category", "where", "subject", "stated", "expected", "difference", "message", "quote"]


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.findings:
        d = finding_dict(f)
        writer.writerow(["" if d[c] is None else d[c] for c in CSV_COLUMNS])
    return buf.getvalue()


# ------------------------------------------------------------------ terminal

def print_text(report: Report, console) -> None:
    """Findings grouped by severity, then by table/section, as rich tables; a summary line last."""
    from rich.table import Table as RichTable

    title = f"{report.unit_name} {report.budget_year or ''}年 校验结果".strip()
    console.print(f"[bold]{title}[/]（执行规则 {report.rules_run} 条）", highlight=False)
    # A report covers one document: name its file once here rather than in every row.
    files = sorted({f.location.file for f in report.findings if f.location and f.location.file})
    if len(files) == 1:
        console.print(f"文件：{files[0]}", highlight=False)
    for severity in SEVERITY_ORDER:
        items = [f for f in report.findings if f.severity == severity]
        if not items:
            continue
        groups: dict[str, list[Finding]] = {}
        for f in items:
            key = (f.location.table or f.location.section or "其他") if f.location else "其他"
            groups.setdefault(key, []).append(f)
        colour = {"fatal": "red", "warning": "yellow", "info": "cyan"}[severity]
        for where, group in groups.items():
            table = RichTable(title=f"[{colour}]{SEVERITY_ZH[severity]}[/] · {where}（{len(group)}）", show_lines=False,
                              title_justify="left", expand=True)
            table.add_column("规则", no_wrap=True)
            table.add_column("位置", overflow="fold", ratio=1)
            table.add_column("说明", overflow="fold", ratio=3)
            for f in group:
                where_in = f.location.model_copy(update={"table": None, "file": None if len(files) == 1 else f.location.file}) if f.location else None
                quoted = quote_line(f)
                table.add_row(f.rule, where_in.describe() if where_in else "",
                              f"{f.message}\n{quoted}" if quoted else f.message)
            console.print(table)
    s = report.stats()["by_severity"]
    verdict = "[green]通过[/]（无错误）" if report.valid else "[red]未通过[/]"
    console.print(f"{verdict}：错误 {s['fatal']} 条，警告 {s['warning']} 条，提示 {s['info']} 条。", highlight=False)
    if report.coverage:
        from yusuan.rules.narrative_coverage import coverage_line

        console.print(coverage_line(report.coverage), highlight=False)
    if report.completeness and "score" in report.completeness:
        top = report.completeness.get("max")
        console.print(f"公开完整性得分：{report.completeness['score']}{f' / {top}' if top else ''}", highlight=False)


# ------------------------------------------------------------------ HTML

_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="yusuan-check-report"><title>{{ title }}</title>
<style>
@page{size:A4 landscape;margin:1cm}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em}
th,td{border:1px solid #bbb;padding:2px 6px} td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f0f0f0} td.fatal{background:#f8c8c8;font-weight:bold} td.warning{background:#fbe7a6}
td.info{background:#d6ecf7} tr.row-hit td:first-child{border-left:4px solid #c33}
.summary span{margin-right:1.5em} .fatal-t{color:#b00} .warning-t{color:#a60} .info-t{color:#068}
.findings td{vertical-align:top} sup{color:#b00} .quote{color:#555;font-size:.92em}
</style></head><body>
<h1>{{ title }}</h1>
<p class="summary"><b>{{ verdict }}</b> <span class="fatal-t">错误 {{ stats.fatal }}</span>
<span class="warning-t">警告 {{ stats.warning }}</span><span class="info-t">提示 {{ stats.info }}</span>
<span>执行规则 {{ rules_run }} 条</span>{% if score is not none %}<span>公开完整性得分 {{ score }}</span>{% endif %}</p>
{% if coverage %}<p class="summary">{{ coverage }}</p>{% endif %}
<h2>发现的问题</h2>
<table class="findings"><tr><th>#</th><th>级别</th><th>规则</th><th>位置</th><th>说明</th></tr>
{% for f in findings %}<tr id="f{{ loop.index }}"><td>{{ loop.index }}</td><td class="{{ f.severity }}">{{ sev[f.severity] }}</td>
<td>{{ f.rule }}</td><td>{{ f.where }}</td><td>{{ f.message }}{% if f.quote_line %}<br><span class="quote">{{ f.quote_line }}</span>{% endif %}</td></tr>
{% endfor %}</table>
{% for t in tables %}<h2>{{ t.label }}<small>（单位：{{ t.unit }}）</small></h2>
<table><tr><th>科目/项目</th>{% for c in t.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r in t.rows %}<tr class="{{ 'row-hit' if r.hit else '' }}"><td>{{ r.label }}{% for n in r.marks %}<sup><a href="#f{{ n }}">{{ n }}</a></sup>{% endfor %}</td>
{% for c in r.cells %}<td class="n {{ c.cls }}"{% if c.tip %} title="{{ c.tip }}"{% endif %}>{{ c.text }}{% for n in c.marks %}<sup><a href="#f{{ n }}">{{ n }}</a></sup>{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>{% endfor %}
</body></html>
"""


def _hits_for_table(report: Report, table: Table) -> list[tuple[int, Finding]]:
    out = []
    for n, f in enumerate(report.findings, start=1):
        loc = f.location
        if loc is not None and loc.table and (loc.table == table.label or loc.table == table.title
                                              or table.title in loc.table):
            out.append((n, f))
    return out


def _same_cell(f: Finding, cell_loc, col) -> bool:
    loc = f.location
    if loc is None:
        return False
    if cell_loc is not None:
        if loc.cell and cell_loc.cell:
            return loc.cell == cell_loc.cell
        if loc.row is not None and loc.row == cell_loc.row and loc.column and loc.column == cell_loc.column:
            return True
    return bool(loc.column) and loc.column in (col.label, col.key)


def _table_view(report: Report, table: Table) -> dict:
    from yusuan.rules.tables_common import row_label

    hits = _hits_for_table(report, table)
    columns = [c for c in table.columns]
    rows = []
    for index, row in enumerate(table.rows, start=1):
        printed_row = row.location.row if row.location and row.location.row is not None else index
        row_hits = [(n, f) for n, f in hits
                    if f.subject == row.key or (f.location and f.location.row in (index, printed_row) and not f.subject)]
        cells = []
        for col in columns:
            cell = row.cells.get(col.key)
            mine = [(n, f) for n, f in row_hits if _same_cell(f, cell.location if cell else None, col)]
            worst = min((f.severity for _, f in mine), key=SEVERITY_ORDER.get, default=None)
            cells.append({"text": cell.text if cell else "", "cls": worst or "", "marks": [n for n, _ in mine],
                          "tip": "；".join(f.message for _, f in mine)})
        marked = {n for c in cells for n in c["marks"]}
        row_marks = [n for n, _ in row_hits if n not in marked]
        rows.append({"label": row_label(row), "cells": cells, "marks": row_marks, "hit": bool(row_hits)})
    return {"label": table.label, "unit": table.unit, "columns": [c.label for c in columns], "rows": rows}


def to_html(report: Report) -> str:
    from jinja2 import Environment

    from yusuan.rules.narrative_coverage import coverage_line

    env = Environment(autoescape=True)
    stats = report.stats()["by_severity"]
    title = f"{report.unit_name}{report.budget_year or ''}年 部门预算公开校验报告"
    tables = [_table_view(report, t) for t in report.disclosure.tables] if report.disclosure else []
    score = (report.completeness or {}).get("score")
    return env.from_string(_HTML).render(
        title=title, verdict="通过（无错误）" if report.valid else "未通过", stats=stats, rules_run=report.rules_run,
        findings=[{**finding_dict(f), "quote_line": quote_line(f)} for f in report.findings], sev=SEVERITY_ZH,
        tables=tables, score=score, coverage=coverage_line(report.coverage),
    )


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        return to_html(report)
    raise ValueError(f"unknown format {fmt}")
