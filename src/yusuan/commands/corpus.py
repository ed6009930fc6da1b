"""`yusuan corpus audit|query|report`: audit a whole folder of published files on Dask, with results
in Parquet queried through DuckDB (``yusuan.corpus``, docs/corpus.md)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table as RichTable

from yusuan.cli import app, console, err, fail_input
from yusuan.errors import InputError

corpus_app = typer.Typer(help="语料审查：在 Dask 上审查整个文件夹的公开文件，结果写入 Parquet，用 DuckDB 查询。",
                         no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

STATUS_ZH = {"ok": "已审查", "done": "已完成（跳过）", "unreadable": "无法读取", "timeout": "超时",
             "crash": "进程异常", "duplicate": "内容重复"}


@corpus_app.command("audit")
def audit(
    folder: Path = typer.Argument(..., help="公开文件所在的文件夹（含子文件夹；读取 .pdf .docx .xlsx .html .txt，以及经 LibreOffice 的 .doc .xls .wps）"),
    out: Path = typer.Option(..., "--out", "-o", help="结果文件夹（Parquet 表和 manifest.jsonl）；已有结果时继续未完成的部分"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://HOST:8786；缺省在本机启动本地集群"),
    workers: int = typer.Option(2, "--workers", "-w", help="本地集群的工作进程数（每个进程单线程）"),
    timeout: float = typer.Option(120.0, "--timeout", help="每个文件的读取时限（秒），超时的读取进程被终止"),
    batch_size: int = typer.Option(50, "--batch-size", help="每写一批 Parquet 分片包含的文件数"),
    recycle: int = typer.Option(100, "--recycle", help="读取进程每处理多少个文件后更换一次"),
) -> None:
    """审查文件夹下的每个公开文件：每个文件在可终止的子进程中读取和校验，结果按年度/阶段/地区分区写入 Parquet。"""
    from yusuan.corpus.run import audit_corpus, count_files

    if not folder.is_dir():
        err.print(f"[bold red]错误[/]：{folder} 不是文件夹", highlight=False)
        raise typer.Exit(2)
    if workers < 1 or timeout <= 0 or batch_size < 1 or recycle < 1:
        err.print("[bold red]错误[/]：--workers、--timeout、--batch-size、--recycle 应为正数", highlight=False)
        raise typer.Exit(2)
    total = count_files(folder, out)
    if total == 0:
        err.print(f"[bold red]错误[/]：{folder} 中没有可审查的文件（.pdf .docx .xlsx .html .txt .doc .xls .wps）", highlight=False)
        raise typer.Exit(2)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TimeRemainingColumn(), console=err, transient=True)
    with progress:
        task = progress.add_task("审查文件", total=total)

        def on_file(rel: str, status: str) -> None:
            progress.update(task, advance=1, description=f"审查文件（{STATUS_ZH.get(status, status)}：{Path(rel).name[:24]}）")
            if status in ("timeout", "crash", "unreadable"):
                progress.console.print(f"[yellow]{STATUS_ZH[status]}[/]：{rel}", highlight=False)

        try:
            stats = audit_corpus(folder, out, scheduler=scheduler, workers=workers, timeout=timeout,
                                 batch_size=batch_size, recycle=recycle, on_file=on_file)
        except InputError as exc:
            fail_input(exc)
        except OSError as exc:
            err.print(f"[bold red]错误[/]：{exc}", highlight=False)
            raise typer.Exit(2)
    rate = (stats.audited + stats.failed) / stats.seconds if stats.seconds else 0
    console.print(f"共 {stats.found} 个文件：本次审查 {stats.audited} 个，未能读取 {stats.failed} 个，"
                  f"内容重复 {stats.duplicates} 个，此前已完成 {stats.skipped} 个；"
                  f"{stats.workers} 个工作进程，用时 {stats.seconds:.1f} 秒（{rate:.2f} 个/秒）。结果在 {out}", highlight=False,
                  soft_wrap=True)


def _print(columns: list[str], rows: list[tuple], fmt: str) -> None:
    def cell(v):
        return "" if v is None else str(v)

    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[cell(v) for v in r] for r in rows])
        sys.stdout.write(buf.getvalue())
    elif fmt == "json":
        def plain(v):
            return v if v is None or isinstance(v, (bool, int, str)) else str(v)  # Decimal/float as exact text

        sys.stdout.write(json.dumps([{c: plain(v) for c, v in zip(columns, r)} for r in rows],
                                    ensure_ascii=False, indent=1) + "\n")
    else:
        table = RichTable(show_lines=False)
        for c in columns:
            table.add_column(c)
        for r in rows:
            table.add_row(*[cell(v) for v in r])
        console.print(table)
        console.print(f"{len(rows)} 行", highlight=False)


@corpus_app.command("query")
def query(
    results: Path = typer.Argument(..., help="yusuan corpus audit 的结果文件夹"),
    sql: str = typer.Argument(..., help="SQL（DuckDB），视图 documents、findings、cells，如 SELECT rule, count(*) FROM findings GROUP BY rule"),
    fmt: str = typer.Option("table", "--format", "-f", help="输出格式：table（终端表格）、csv、json"),
) -> None:
    """用 DuckDB 查询审查结果（视图 documents、findings、cells）。"""
    from yusuan.corpus.query import run_query

    if fmt not in ("table", "csv", "json"):
        err.print(f"[bold red]错误[/]：--format 应为 table、csv 或 json，实际为 {fmt!r}", highlight=False)
        raise typer.Exit(2)
    try:
        columns, rows = run_query(results, sql)
    except InputError as exc:
        fail_input(exc)
    _print(columns, rows, fmt)


@corpus_app.command("report")
def report(
    results: Path = typer.Argument(..., help="yusuan corpus audit 的结果文件夹"),
    output: Path = typer.Option(..., "-o", "--output", help="要写入的 HTML 文件"),
) -> None:
    """生成汇总报告（HTML，含图表）：文件读取情况、各规则问题数、完整性、各部门各年度的“三公”经费和机关运行经费。"""
    from yusuan.corpus.summary import render_summary

    try:
        text = render_summary(results)
    except InputError as exc:
        fail_input(exc)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]错误[/]：无法写入 {output}：{exc}", highlight=False)
        raise typer.Exit(2)
    err.print(f"已写入 {output}", highlight=False)
