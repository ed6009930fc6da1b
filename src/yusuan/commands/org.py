"""`yusuan org import FILE`: the organisation tree (region → finance bureau → departments → units)
from a spreadsheet into the web application's database — the same service as its 导入组织机构 page
(``yusuan.web.orgimport``): every bad line named, nothing half imported, re-import changes nothing."""

from __future__ import annotations

from pathlib import Path

import typer

from yusuan.cli import app, console, err

org_app = typer.Typer(help="网页应用的组织机构（区划、财政局、部门、单位）")
app.add_typer(org_app, name="org")


@org_app.command("import")
def org_import(
    file: Path = typer.Argument(..., help="机构表（.xlsx 或 .csv；列：区划、财政局、部门名称、部门编码、单位名称、单位编码、上级单位）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只列出将新建、更改的机构，不导入"),
) -> None:
    """从 Excel/CSV 机构表导入组织机构：按编码匹配已有机构（无编码时按名称），一次性导入。"""
    from yusuan.commands.web import _setup

    if not file.is_file():
        err.print(f"[bold red]错误[/]：找不到文件 {file}", highlight=False)
        raise typer.Exit(2)
    _setup()
    from yusuan.errors import InputError
    from yusuan.web import orgimport

    try:
        rows = orgimport.read_rows(file)
        plan = orgimport.plan(rows) if dry_run else orgimport.apply(rows, None, source=file.name)
    except InputError as exc:
        err.print(f"[bold red]错误[/]：{file.name} 有误，未导入任何内容：", highlight=False)
        for problem in exc.problems or [exc]:
            err.print(f"  {problem}", highlight=False)
        raise typer.Exit(2)
    except orgimport.Refused as exc:
        err.print(f"[bold red]错误[/]：{file.name} 与现有机构冲突，未导入任何内容：", highlight=False)
        for problem in exc.problems:
            err.print(f"  {problem}", highlight=False)
        raise typer.Exit(2)
    for c in plan.changes:
        if c.kind != "不变":
            console.print(f"第{c.line}行 {c.kind}{c.what} {c.name}{('：' + c.detail) if c.detail else ''}", highlight=False)
    verb = "将" if dry_run else "已"
    console.print(f"{file.name}：{verb}{plan.summary()}" + ("（未导入：--dry-run）" if dry_run else ""), highlight=False)
