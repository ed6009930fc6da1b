"""`yusuan check` (compose a package and run every rule) and `yusuan rules` (list the rules)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from yusuan.cli import app, console, err, fail_input, load, load_previous
from yusuan.errors import InputError

FORMATS = ("text", "json", "csv", "html")


@app.command()
def check(
    package: Path = typer.Argument(..., help="预算包文件（.yaml/.json/.xlsx）或其所在文件夹"),
    fmt: str = typer.Option("text", "--format", "-f", help="输出格式：text（终端表格）、json、csv、html"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件；缺省输出到终端"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="校验配置文件（.yaml/.toml：停用规则、调整级别、容差）"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="地区版式（缺省使用预算包中 unit.profile）"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上年的预算包或已公开文件：核对本年说明中的上年数"),
) -> None:
    """校验预算包：生成公开文本后执行全部规则。退出码 0 无错误，1 有错误，2 输入无法使用。"""
    from yusuan.rules import report as reports
    from yusuan.rules.config import load_settings
    from yusuan.rules.engine import check_package

    if fmt not in FORMATS:
        err.print(f"[bold red]错误[/]：--format 应为 {'、'.join(FORMATS)} 之一，实际为 {fmt!r}", highlight=False)
        raise typer.Exit(2)
    try:
        settings = load_settings(config) if config else None
    except InputError as exc:
        fail_input(exc)
    pkg = load(package)
    last = load_previous(previous, profile)
    try:
        result = check_package(pkg, profile=profile, settings=settings, previous=last)
    except InputError as exc:
        fail_input(exc)
    result.source = str(package)
    if fmt == "text" and output is None:
        reports.print_text(result, console)
    else:
        text = reports.render(result, fmt) if fmt != "text" else _plain_text(result)
        if output:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                err.print(f"[bold red]错误[/]：无法写入 {output}：{exc}", highlight=False)
                raise typer.Exit(2)
            s = result.stats()["by_severity"]
            err.print(f"已写入 {output}（错误 {s['fatal']} 条，警告 {s['warning']} 条，提示 {s['info']} 条）", highlight=False)
        else:
            sys.stdout.write(text)
    raise typer.Exit(result.exit_code)


def _plain_text(result) -> str:
    from rich.console import Console

    from yusuan.rules import report as reports

    console_ = Console(record=True, width=160, file=io.StringIO(), color_system=None)
    reports.print_text(result, console_)
    return console_.export_text()


@app.command()
def rules(
    fmt: str = typer.Option("text", "--format", "-f", help="text 或 json"),
    category: Optional[str] = typer.Option(None, "--category", help="只列出某一类：within-table、cross-table、catalogue …"),
) -> None:
    """列出全部校验规则（编号、级别、类别、说明）。"""
    from yusuan.rules import load_all
    from yusuan.rules.registry import iter_rules
    from yusuan.rules.report import CATEGORY_ZH, SEVERITY_ZH

    load_all()
    items = sorted(iter_rules(category), key=lambda r: r.id)
    if category and not items:
        err.print(f"[bold red]错误[/]：没有类别为“{category}”的规则（可用：{'、'.join(CATEGORY_ZH)}）", highlight=False)
        raise typer.Exit(2)
    if fmt == "json":
        data = [{"id": r.id, "title": r.title, "severity": r.severity, "category": r.category, "reads": list(r.reads),
                 "needs_facts": r.needs_facts, "description": r.description} for r in items]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "text":
        err.print("[bold red]错误[/]：--format 应为 text 或 json", highlight=False)
        raise typer.Exit(2)
    table = RichTable(title=f"校验规则（共 {len(items)} 条）")
    table.add_column("编号", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("名称", overflow="fold")
    for r in items:
        table.add_row(r.id, SEVERITY_ZH[r.severity], CATEGORY_ZH.get(r.category, r.category), r.title)
    console.print(table)
