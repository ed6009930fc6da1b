"""`yusuan perf …`: performance-target tables — show them as printed, score a self-evaluation (绩效自评)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from yusuan.cli import app, console, fail_input
from yusuan.errors import InputError

perf_app = typer.Typer(help="项目支出绩效目标表：查看、绩效自评打分。", no_args_is_help=True)
app.add_typer(perf_app, name="perf")


def _tables(path: Path):
    from yusuan.perf.tables import load_tables

    try:
        return load_tables(path)
    except InputError as exc:
        fail_input(exc)


@perf_app.command("show")
def show(package: Path = typer.Argument(..., help="预算包（文件或文件夹）或 performance.yaml")) -> None:
    """按公开模板的样式列出全部绩效目标表（一级、二级指标合并单元格）。"""
    from yusuan.amounts import fmt_plain
    from yusuan.perf.render import header_for, rows_for_print

    tables = _tables(package)
    for n, t in enumerate(tables, start=1):
        title = t.title or "项目支出绩效目标表"
        grid = RichTable(title=f"{n}. {title}：{t.printed_name}（年度预算总额 {fmt_plain(t.total)} 万元）", show_lines=True)
        for col in header_for(t):
            grid.add_column(col)
        for row in rows_for_print(t):
            grid.add_row(*[(c.text if c else "") for c in row.cells])
        console.print(grid)
    console.print(f"共 {len(tables)} 张绩效目标表。")


@perf_app.command("score")
def score(
    package: Path = typer.Argument(..., help="预算包（文件或文件夹）或 performance.yaml"),
    actuals: Path = typer.Argument(..., help="实际完成值（.yaml/.json/.csv）：各项目各指标的实际值与预算执行率"),
    fmt: str = typer.Option("table", "--format", help="table（终端表格）或 json"),
    grades: Optional[Path] = typer.Option(None, "--grades", help="等级赋分表（YAML/JSON），如 {达成: 1, 部分达成: 0.6, 未达成: 0}"),
) -> None:
    """绩效自评打分：正向指标按完成比例、反向指标按目标/实际、定性指标按等级，另加预算执行率得分。"""
    from yusuan.perf.actuals import load_actuals, parse_grades
    from yusuan.perf.score import score_department, to_data

    if fmt not in ("table", "json"):
        console.print("[bold red]错误[/]：--format 应为 table 或 json")
        raise typer.Exit(2)
    tables = _tables(package)
    try:
        given = load_actuals(actuals)
        grade_map = None
        if grades is not None:
            from yusuan.load import _read_any

            grade_map = parse_grades(_read_any(grades), str(grades))
    except InputError as exc:
        fail_input(exc)
    result = score_department(tables, given, grade_map)
    if fmt == "json":
        sys.stdout.write(json.dumps(to_data(result), ensure_ascii=False, indent=2) + "\n")
        return
    _print(result)


def _print(result) -> None:
    from yusuan.amounts import fmt_amount

    for t in result.tables:
        table = RichTable(title=f"{t.printed_name}（{fmt_amount(t.budget)} 万元）")
        for col, justify in (("三级指标", "left"), ("指标值", "left"),
                             ("实际完成值", "left"), ("权重", "right"), ("得分", "right"), ("说明", "left")):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for i in t.all_items:
            score = fmt_amount(i.score) if i.score is not None else "[yellow]未评分[/]"
            table.add_row(i.name, i.target, i.actual or "", fmt_amount(i.weight), score, i.note)
        console.print(table)
        notes = []
        if t.equal_weights:
            notes.append("本表模板未列权重，各指标平均分配 90 分")
        if t.not_scored:
            notes.append(f"{t.not_scored} 项未评分，总分不完整")
        if t.unmatched:
            notes.append(f"实际值中有表内没有的指标：{'、'.join(t.unmatched)}")
        console.print(f"总分 {fmt_amount(t.total)}，等级 {t.grade or '—'}" + (f"（{'；'.join(notes)}）" if notes else ""))
    summary = RichTable(title="部门绩效自评汇总")
    for col in ("项目", "绩效目标表", "预算（万元）", "总分", "等级", "未评分项"):
        summary.add_column(col)
    for t in result.tables:
        summary.add_row(t.project, t.printed_name, fmt_amount(t.budget), fmt_amount(t.total), t.grade_text, str(t.not_scored))
    console.print(summary)
    counts = "，".join(f"{g} {n} 个" for g, n in result.grade_counts.items())
    avg = result.budget_weighted_average
    console.print(f"共 {len(result.tables)} 张表，评分完整 {len(result.complete)} 张（{counts}）；"
                  f"按预算加权平均分 {fmt_amount(avg) if avg is not None else '—'}。")
    if result.unknown_projects:
        console.print(f"[yellow]实际值文件中的以下项目没有绩效目标表：{'、'.join(result.unknown_projects)}[/]")
