"""`yusuan compare BUDGET FINAL`: the same year's budget and final account side by side."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table as RichTable

from yusuan.budget_final import side_by_side  # noqa: F401 - the domain comparison, also used by the portal
from yusuan.cli import app, console, fail_input, load_previous
from yusuan.errors import InputError, InputProblem


def _disclosure(path: Path, what: str):
    if not path.exists():
        fail_input(InputError(str(path), [InputProblem(str(path), f"{what}文件不存在")]))
    return load_previous(path)


@app.command()
def compare(
    budget: Path = typer.Argument(..., help="同年部门预算：预算包（.yaml/.json/.xlsx）或已公开的文件"),
    final: Path = typer.Argument(..., help="部门决算：决算包（.yaml/.json）或已公开的文件"),
) -> None:
    """对照同一年度的部门预算与部门决算：按项级科目和“三公”经费列出预算公开数、决算重述的年初预算和决算数，
    核对重述的年初预算是否等于预算公开数、差异较大时是否说明原因。"""
    from yusuan.rules.engine import check_disclosure

    b, f = _disclosure(budget, "预算"), _disclosure(final, "决算")
    if b.phase != "budget" or f.phase != "final":
        fail_input(InputError(str(final), [InputProblem(f"{budget} / {final}", "第一个文件应为部门预算，第二个应为部门决算")]))
    table = RichTable(title=f"{f.unit_name}{f.budget_year}年 预算与决算对照（万元）", title_justify="left")
    for label in ("科目", "名称", "预算公开数", "决算重述年初预算", "决算数"):
        table.add_column(label, justify="right" if "数" in label or "预算" in label else "left")
    for code, name, published, restated, actual in side_by_side(b, f):
        table.add_row(code, name, *[f"{v:.2f}" if v is not None else "" for v in (published, restated, actual)])
    console.print(table)
    report = check_disclosure(f, previous=b)
    findings = [x for x in report.findings if x.rule.startswith("FB.")]
    for x in findings:
        console.print(f"[{'bold red' if x.severity == 'fatal' else 'yellow'}]{x.rule}[/] {x.message}", highlight=False)
    fatal = sum(1 for x in findings if x.severity == "fatal")
    console.print(f"对照结果：错误 {fatal} 条，警告 {len(findings) - fatal} 条。", highlight=False)
    if fatal:
        raise typer.Exit(1)
