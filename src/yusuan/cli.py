"""The `yusuan` command. It adds no domain logic: every subcommand calls into the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable

from yusuan.errors import InputError, InputProblem

app = typer.Typer(
    help="预算（yusuan）：部门预算/决算公开的编制、校验、生成与审查。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(help="政府收支分类科目目录。", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")

console = Console()
err = Console(stderr=True, soft_wrap=True)


def next_budget_year() -> int:
    """Budgets are drawn up in the year before they apply: the year a new template is for, by default."""
    import datetime as dt

    return dt.date.today().year + 1


def last_final_year() -> int:
    """Final accounts are drawn up after the year they report on: last year, by default."""
    import datetime as dt

    return dt.date.today().year - 1


def fail_input(exc: InputError) -> None:
    err.print(f"[bold red]错误[/]：{exc}", highlight=False)
    raise typer.Exit(2)


def load(path: Path):
    from yusuan.load import load_package

    try:
        return load_package(path)
    except InputError as exc:
        fail_input(exc)


PUBLISHED_SUFFIXES = {".docx", ".pdf", ".html", ".htm", ".txt", ".doc", ".wps", ".xls"}


def load_previous(path: Path | None, profile: str | None = None):
    """Last year's package as a disclosure, for ``--previous``: a published file is read back; a package
    (.yaml/.json, its folder, or an input workbook) is composed. An .xlsx may be either: taken as an
    input workbook first, else read as a published workbook."""
    if path is None:
        return None
    from yusuan.read import read_file

    if not path.exists():
        fail_input(InputError(str(path), [InputProblem(str(path), "上年文件不存在（--previous）")]))
    try:
        if path.suffix.lower() in PUBLISHED_SUFFIXES:
            return read_file(path, profile=profile or "auto").disclosure
        from yusuan.compose import compose
        from yusuan.load import load_package

        try:
            package = load_package(path)
        except InputError:
            if path.suffix.lower() != ".xlsx":
                raise
            return read_file(path, profile=profile or "auto").disclosure
        return compose(package)
    except InputError as exc:
        fail_input(exc)


@app.command()
def summary(package: Path = typer.Argument(..., help="预算包文件（.yaml/.json/.xlsx）或其所在文件夹")) -> None:
    """读取预算包并显示主要合计数（均由明细推导）。"""
    from yusuan import derive

    pkg = load(package)
    s = derive.summary(pkg)
    table = RichTable(title=f"{pkg.unit.name} {pkg.unit.budget_year}年{'部门预算' if pkg.unit.phase == 'budget' else '部门决算'}")
    table.add_column("项目")
    table.add_column("金额（万元）", justify="right")
    for label, value in [
        ("收支总计", s.total), ("本年收入", s.current_year), ("上年结转结余", s.carryover),
        ("财政拨款", s.fiscal), ("一般公共预算拨款", s.general_budget), ("基本支出", s.basic),
        ("项目支出", s.project), ("人员经费", s.personnel), ("公用经费", s.public), ("“三公”经费", s.sangong),
    ]:
        table.add_row(label, f"{value:.2f}")
    console.print(table)
    console.print(f"项目 {s.projects} 个，绩效目标表 {s.performance_tables} 张。")


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件；缺省输出到终端")) -> None:
    """输出预算包的 JSON Schema（由数据模型生成）。"""
    from yusuan.model import BudgetPackage

    text = json.dumps(BudgetPackage.model_json_schema(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        err.print(f"已写入 {output}")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def convert(
    source: Path = typer.Argument(..., help="输入预算包（.yaml/.json/.xlsx 或文件夹）"),
    target: Path = typer.Argument(..., help="输出文件，格式由扩展名决定（.yaml/.json/.xlsx）"),
) -> None:
    """在 JSON、YAML 和 Excel 之间转换预算包。"""
    from yusuan.load import save_package

    pkg = load(source)
    try:
        save_package(pkg, target)
    except InputError as exc:
        fail_input(exc)
    console.print(f"已写入 {target}")


@app.command()
def template(
    output: Path = typer.Argument(..., help="要生成的空白录入工作簿（.xlsx）"),
    year: Optional[int] = typer.Option(None, "--year", help="预算（决算）年度（决定下拉列表使用的科目目录）；"
                                       "缺省：预算为明年，决算为上年"),
    stage: str = typer.Option("budget", "--stage", help="budget：部门预算录入工作簿；final：部门决算录入工作簿"),
) -> None:
    """生成空白的 Excel 录入工作簿（每组事实一张工作表，科目下拉列表，中文填写说明）。"""
    from yusuan.excel import write_template

    if stage not in ("budget", "final"):
        err.print(f"[bold red]错误[/]：--stage 应为 budget（部门预算）或 final（部门决算），实际为 {stage!r}", highlight=False)
        raise typer.Exit(2)
    year = year or (last_final_year() if stage == "final" else next_budget_year())
    try:
        write_template(output, year, stage)
    except InputError as exc:
        fail_input(exc)
    console.print(f"已写入 {output}")


_KIND_ZH = {"function": "功能分类", "economic": "经济分类"}


def _kind_option(kind: str | None, allow_none: bool = False) -> None:
    if kind is None and allow_none:
        return
    if kind not in ("function", "economic"):
        err.print("[bold red]错误[/]：--kind 应为 function 或 economic")
        raise typer.Exit(2)


@catalog_app.command("import")
def catalog_import(
    file: Path = typer.Argument(..., help="CSV 文件，列：code,name[,personnel_or_public]"),
    year: int = typer.Option(..., "--year", help="该目录适用的预算年度"),
    kind: str = typer.Option("function", "--kind", help="function（功能分类）或 economic（经济分类）"),
    replace: bool = typer.Option(False, "--replace", help="以文件作为该年度的完整目录，替换内置目录（缺省为并入内置目录）"),
) -> None:
    """导入科目目录：缺省并入该年度使用的目录（新增科目、更正名称），--replace 则以文件作为完整目录。"""
    from yusuan import catalog

    _kind_option(kind)
    try:
        result = catalog.import_edition(file, kind, year, replace=replace)  # type: ignore[arg-type]
    except InputError as exc:
        fail_input(exc)
    what = f"{year}年度{_KIND_ZH[kind]}目录"
    changes = f"新增 {len(result.added)} 个，更名 {len(result.renamed)} 个，未变 {result.unchanged} 个"
    if result.replaced:
        console.print(f"已用 {result.read} 个科目替换{what}（完整目录）：{changes}，原目录中有 {len(result.dropped)} 个科目不再包含。",
                      highlight=False)
    else:
        note = "（仍为部分目录：未收录的科目只给出提示）" if result.partial else ""
        console.print(f"已将 {result.read} 个科目并入{what}：{changes}；现共 {result.total} 个科目{note}。", highlight=False)
    for code, old, new in result.renamed[:20]:
        console.print(f"  更名：{code} {old} → {new}", highlight=False)
    if len(result.renamed) > 20:
        console.print(f"  ……另有 {len(result.renamed) - 20} 个更名", highlight=False)
    console.print(f"已写入 {result.target}；恢复内置目录：yusuan catalog reset --year {year} --kind {kind}", highlight=False)


@catalog_app.command("reset")
def catalog_reset(
    year: Optional[int] = typer.Option(None, "--year", help="只恢复该年度（缺省为所有年度）"),
    kind: Optional[str] = typer.Option(None, "--kind", help="function 或 economic（缺省为两者）"),
) -> None:
    """删除导入的科目目录，恢复使用内置目录。"""
    from yusuan import catalog

    _kind_option(kind, allow_none=True)
    removed = catalog.reset(kind, year)  # type: ignore[arg-type]
    scope = f"{year}年度" if year else "所有年度"
    which = _KIND_ZH[kind] if kind else "功能分类和经济分类"
    if not removed:
        console.print(f"{scope}{which}目录没有导入的内容，使用的就是内置目录。", highlight=False)
        return
    console.print(f"已删除 {len(removed)} 个导入的目录文件，{scope}{which}目录恢复为内置目录：", highlight=False)
    for path in removed:
        console.print(f"  {path}", highlight=False)


@catalog_app.command("show")
def catalog_show(
    year: Optional[int] = typer.Option(None, "--year", help="预算年度；缺省为明年"),
    kind: str = typer.Option("function", "--kind"),
) -> None:
    """列出某年度使用的科目目录。"""
    from yusuan import catalog

    year = year or next_budget_year()
    _kind_option(kind)
    cat = catalog.load(kind, year)  # type: ignore[arg-type]
    note = "（部分目录：未收录的科目只给出提示）" if cat.partial else ""
    if cat.imported:
        note += f"（含导入并入的 {cat.imported} 个科目）"
    console.print(f"{'功能分类' if kind == 'function' else '经济分类'}目录 {cat.edition}，共 {len(cat.entries)} 个科目{note}")
    table = RichTable()
    for col in ("编码", "名称", "级次", "来源"):
        table.add_column(col)
    for e in cat.entries.values():
        table.add_row(e.code, e.name, e.level, e.provenance or "")
    console.print(table)


def _register_commands() -> None:
    """Each module in yusuan/commands/ adds its subcommands to ``app`` when imported."""
    import importlib
    import pkgutil

    import yusuan.commands

    for info in sorted(pkgutil.iter_modules(yusuan.commands.__path__), key=lambda i: i.name):
        importlib.import_module(f"yusuan.commands.{info.name}")


_register_commands()


def main() -> None:
    try:
        app()
    except InputError as exc:  # any command that forgot to catch: still no traceback
        err.print(f"[bold red]错误[/]：{exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)


if __name__ == "__main__":  # python -m yusuan.cli: run the imported module, where the commands registered
    from yusuan.cli import main as _main

    _main()
