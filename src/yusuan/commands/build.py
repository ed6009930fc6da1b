"""`yusuan build`: facts → composed disclosure → checks → Word, Excel, web page, PDF and the check report.

Everything is written into a temporary folder beside the output folder and moved into place only
when all files are done, so a failure leaves no half-written set. With fatal findings the documents
are still written, marked 草稿（未通过校验） on every page and sheet, and the exit status is 1.
"""

from __future__ import annotations

import inspect
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from yusuan.cli import app, console, err, fail_input
from yusuan.commands.compose import load_and_compose
from yusuan.errors import InputError
from yusuan.render.pdf import PdfError

FORMAT_WORDS = {"docx": "Word", "xlsx": "Excel", "html": "网页", "pdf": "PDF",
                "report.json": "校验报告（JSON）", "report.html": "校验报告（网页）"}


def _formats(text: str) -> list[str]:
    from yusuan.render import FORMATS

    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        err.print(f"[bold red]错误[/]：--format 应为 {','.join(FORMATS)} 中的一个或多个（逗号分隔），"
                  f"实际为 {text!r}", highlight=False)
        raise typer.Exit(2)
    return wanted


def _check_engine():
    """The checking engine, or None while it is not installed in this build."""
    try:
        from yusuan.rules.engine import check_package
    except ImportError:
        return None
    return check_package


def _run_checks(check_package, package, disclosure, profile):
    # Pass what the engine asks for by name: it takes the facts and may take the composed
    # disclosure and the profile (so that it checks exactly what we print).
    params = inspect.signature(check_package).parameters
    kwargs = {}
    for name in params:
        if name in ("disclosure",):
            kwargs[name] = disclosure
        elif name == "profile":
            kwargs[name] = profile
    first = next(iter(params))
    result = check_package(package, **{k: v for k, v in kwargs.items() if k != first})
    findings = getattr(result, "findings", result)
    engine_report = result if hasattr(result, "findings") else None
    return list(findings), engine_report


def _pdf_engine(name: str) -> None:
    from yusuan.render.pdf import ENGINES

    if name not in ENGINES:
        err.print(f"[bold red]错误[/]：--pdf-engine 应为 {'、'.join(ENGINES)} 之一，实际为 {name!r}", highlight=False)
        raise typer.Exit(2)


@app.command()
def build(
    package: Path = typer.Argument(..., help="预算包文件（.yaml/.json/.xlsx）或其所在文件夹"),
    output: Path = typer.Option(Path("out"), "-o", "--output", help="输出文件夹"),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="地区版式（缺省使用预算包中 unit.profile）"),
    formats: str = typer.Option("docx,xlsx,html,pdf", "--format", "-f", help="输出格式，逗号分隔：docx,xlsx,html,pdf"),
    pdf_engine: str = typer.Option("typst", "--pdf-engine",
                                   help="PDF 排版引擎：typst（缺省，快）或 weasyprint（按网页打印）"),
    toc_pages: bool = typer.Option(True, "--toc-pages/--no-toc-pages",
                                   help="在 Word 目录中写入页码（需 LibreOffice 分页一次，约十几秒）"),
) -> None:
    """生成完整的公开文件（Word、Excel、网页、PDF）和校验报告。"""
    from yusuan.render import file_stem, render
    from yusuan.render.report import counts, write_report

    wanted = _formats(formats)
    _pdf_engine(pdf_engine)
    pkg, disclosure = load_and_compose(package, profile)

    check_package = _check_engine()
    findings, engine_report = None, None
    if check_package is not None:
        with console.status("正在校验……"):
            findings, engine_report = _run_checks(check_package, pkg, disclosure, profile)
    tally = counts(findings or [])
    if tally["fatal"]:
        disclosure = disclosure.model_copy(update={"draft": True})

    parent = output.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-生成中-", dir=parent))
    except OSError as exc:
        err.print(f"[bold red]错误[/]：无法在 {parent} 中写入：{exc}", highlight=False)
        raise typer.Exit(1)
    written: dict[str, Path] = {}
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=False) as progress:
            task = progress.add_task("正在生成公开文件", total=len(wanted) + 1)

            def done(fmt: str, path: Path) -> None:
                progress.update(task, advance=1, description=f"已生成 {FORMAT_WORDS[fmt]}")

            notes: list[str] = []
            if toc_pages and "docx" in wanted:
                progress.update(task, description="正在生成 Word（含目录页码）")
            staged = render(disclosure, staging, wanted, findings=findings, on_done=done, pdf_engine=pdf_engine,
                            toc_pages=toc_pages, notes=notes)
            staged.update(write_report(disclosure, findings, findings is not None, staging, file_stem(disclosure),
                                       engine_report))
            progress.update(task, advance=1, description="已生成校验报告")
        output.mkdir(parents=True, exist_ok=True)
        for key, path in staged.items():
            target = output / path.name
            os.replace(path, target)  # same file system: each file appears whole or not at all
            written[key] = target
    except InputError as exc:
        fail_input(exc)
    except PdfError as exc:
        others = [f for f in wanted if f != "pdf"]
        hint = f"（未写入任何文件；可先用 --format {','.join(others)} 生成其他格式）" if others else "（未写入任何文件）"
        err.print(f"[bold red]错误[/]：{exc}{hint}", highlight=False)
        raise typer.Exit(1)
    except OSError as exc:
        err.print(f"[bold red]错误[/]：写入 {output} 失败：{exc}", highlight=False)
        raise typer.Exit(1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    for note in notes:
        console.print(f"[yellow]注意[/]：{note}", highlight=False)
    console.print("已写入：", highlight=False)
    for key, path in written.items():
        console.print(f"  {FORMAT_WORDS[key]}：{path}", highlight=False)
    if findings is None:
        console.print("[yellow]校验功能暂不可用（yusuan.rules.engine 尚未安装），本次未校验。[/]", highlight=False)
        return
    summary = f"校验结果：错误 {tally['fatal']} 条，警告 {tally['warning']} 条，提示 {tally['info']} 条。"
    if tally["fatal"]:
        console.print(f"[bold red]{summary}[/] 公开文件已标注“草稿（未通过校验）”，请根据校验报告修改后重新生成。",
                      highlight=False)
        raise typer.Exit(1)
    console.print(f"[green]{summary}[/]", highlight=False)
