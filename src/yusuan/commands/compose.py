"""`yusuan show`: the composed disclosure in the terminal (tables and text), to look at what will print."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from yusuan.cli import app, console, fail_input, load
from yusuan.errors import InputError


def load_and_compose(package: Path, profile: Optional[str]):
    """The package read from ``package`` and its disclosure composed in ``profile`` (None: the package's
    own), as ``show`` and ``build`` start; bad input ends the command with its Chinese message."""
    from yusuan.compose import compose

    pkg = load(package)
    try:
        disclosure = compose(pkg, profile)
    except InputError as exc:
        fail_input(exc)  # exits
    return pkg, disclosure


@app.command()
def show(
    package: Path = typer.Argument(..., help="预算包文件（.yaml/.json/.xlsx）或其所在文件夹"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="地区版式（缺省使用预算包中 unit.profile）"),
    tables_only: bool = typer.Option(False, "--tables", help="只显示表格"),
    text_only: bool = typer.Option(False, "--text", help="只显示文字说明"),
) -> None:
    """按地区版式生成公开内容，并在终端显示各表和情况说明文字。"""
    from yusuan.profiles import load_profile

    _, disclosure = load_and_compose(package, profile)
    prof = load_profile(disclosure.profile)
    console.print(f"[bold]{disclosure.title}[/]（版式：{disclosure.profile}；占比：{prof.share_rounding_text}）", highlight=False)

    def print_tables() -> None:
        for table in disclosure.tables:
            console.print(_rich_table(table))
            if table.empty_note:
                console.print(f"  {table.empty_note}", highlight=False)

    if tables_only:
        print_tables()
        return
    for section in disclosure.sections:  # printed order; Part 2 goes after the profile's tables_after
        console.print(f"\n[bold]{section.title}[/]", highlight=False)
        for paragraph in section.paragraphs:
            console.print(f"  {paragraph.text}", style="bold" if paragraph.style == "heading" else "", highlight=False)
        if section.id == prof.tables_after and not text_only:
            print_tables()
    if disclosure.performance:
        console.print(f"\n项目支出绩效目标表 {len(disclosure.performance)} 张：", highlight=False)
        for p in disclosure.performance:
            console.print(f"  {p.table.printed_name}：年度预算总额 {p.stated_total} 万元，指标 {len(p.table.indicators)} 个",
                          highlight=False)


def _rich_table(table) -> RichTable:
    out = RichTable(title=f"{table.label}（单位：{table.unit}）", title_justify="left", show_lines=False)
    out.add_column("编码")
    out.add_column("项目")
    for column in table.columns:
        label = f"{column.group}\n{column.label}" if column.group else column.label
        out.add_column(label, justify="left" if column.key == "project_name" else "right")
    for row in table.rows:
        name = row.name if row.side != "expenditure" or row.role == "total" else f"（支出）{row.name}"
        out.add_row(row.code or "", name, *[(row.cells[c.key].text if c.key in row.cells else "") for c in table.columns],
                    style="bold" if row.role in ("total", "subtotal") else None)
    return out
