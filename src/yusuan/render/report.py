"""The check report written beside the documents: JSON (the Finding schema) and a printable HTML page."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from yusuan.disclosure import Disclosure
from yusuan.findings import Finding
from yusuan.render.html import _env

SEVERITY_WORDS = {"fatal": "错误", "warning": "警告", "info": "提示"}


def counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in ("fatal", "warning", "info")}


def report_data(d: Disclosure, findings: list[Finding] | None, checked: bool) -> dict:
    items = findings or []
    return {
        "unit": d.unit_name,
        "budget_year": d.budget_year,
        "profile": d.profile,
        "checked": checked,
        "passed": checked and counts(items)["fatal"] == 0,
        "counts": counts(items),
        "findings": [f.model_dump(mode="json", exclude_none=True) for f in items],
    }


def write_report(d: Disclosure, findings: list[Finding] | None, checked: bool, out_dir: Path, stem: str,
                 engine_report=None) -> dict[str, Path]:
    """Write the report as JSON and HTML. With the checking engine's own report object, use its
    documented formats (the same files `yusuan check` writes); otherwise a minimal report that says
    whether the package was checked."""
    json_path = out_dir / f"{stem}-校验报告.json"
    html_path = out_dir / f"{stem}-校验报告.html"
    if engine_report is not None:
        from yusuan.rules.report import render as render_report

        json_path.write_text(render_report(engine_report, "json"), encoding="utf-8")
        html_path.write_text(render_report(engine_report, "html"), encoding="utf-8")
        return {"report.json": json_path, "report.html": html_path}
    data = report_data(d, findings, checked)
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    html_path.write_text(_env().get_template("report.html.j2").render(
        data=data, findings=findings or [], words=SEVERITY_WORDS), encoding="utf-8")
    return {"report.json": json_path, "report.html": html_path}
