"""``yusuan consolidate``: one package summed from the packages of a department and its units."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from yusuan.cli import app, console, err, fail_input, load
from yusuan.errors import InputError


@app.command()
def consolidate(
    packages: list[Path] = typer.Argument(..., help="要汇总的预算包（.yaml/.json/.xlsx 或其文件夹），第一个为主管部门"),
    output: Path = typer.Option(..., "-o", "--output", help="汇总后的预算包文件（.yaml、.json 或 .xlsx）"),
    name: Optional[str] = typer.Option(None, "--name", help="汇总后的单位名称（缺省沿用第一个预算包的名称）"),
    full_name: Optional[str] = typer.Option(None, "--full-name", help="汇总后的单位全称"),
) -> None:
    """把同一年度、同一地区的部门及其所属单位的预算包汇总为一个预算包（部门汇总），并校验结果。"""
    from yusuan.consolidate import consolidate as combine
    from yusuan.load import save_package
    from yusuan.rules.engine import check_package

    if output.suffix.lower() not in (".yaml", ".yml", ".json", ".xlsx"):
        err.print(f"[bold red]错误[/]：-o 应为 .yaml、.json 或 .xlsx 文件，实际为 {output}", highlight=False)
        raise typer.Exit(2)
    loaded = [load(p) for p in packages]
    try:
        result = combine(loaded, name=name, full_name=full_name, names=[str(p) for p in packages])
    except InputError as exc:
        fail_input(exc)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        save_package(result.package, output)
    except OSError as exc:
        err.print(f"[bold red]错误[/]：无法写入 {output}：{exc}", highlight=False)
        raise typer.Exit(2)
    for note in result.notes:
        console.print(f"[yellow]注意[/]：{note}", highlight=False)
    report = check_package(result.package)
    s = report.stats()["by_severity"]
    pkg = result.package
    console.print(f"已汇总 {len(loaded)} 个预算包为“{pkg.unit.name}”（{pkg.unit.budget_year}年），写入 {output}", highlight=False)
    console.print(f"校验结果：错误 {s['fatal']} 条，警告 {s['warning']} 条，提示 {s['info']} 条"
                  f"{'（用 yusuan check 查看详情）' if s['fatal'] or s['warning'] else ''}。", highlight=False)
    raise typer.Exit(report.exit_code)
