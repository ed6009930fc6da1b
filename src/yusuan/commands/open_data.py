"""`yusuan export-open-data -o DIR`: every published figure per year and region (docs/web.md)."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from yusuan.cli import app, console


@app.command("export-open-data")
def export_open_data(
    out: Path = typer.Option(..., "-o", "--out", help="输出目录"),
    workers: int = typer.Option(1, "--workers", min=1, help="并行生成数据的进程数（多核机器上可设为 CPU 核数）"),
) -> None:
    """导出开放数据：每个年度和地区一份 CSV、Parquet 和财政数据包描述 datapackage.json（仅已发布的版本）。"""
    from yusuan.commands.web import _setup

    _setup()
    from yusuan.web import opendata

    started = time.perf_counter()
    index = opendata.export(out, workers=workers)
    seconds = time.perf_counter() - started
    if not index:
        console.print("尚无已发布的预算，未导出数据（已写出空的 index.json）", highlight=False)
        return
    for e in index:
        sizes = "，".join(f"{name} {size / 1024:.1f} KB" for name, size in e["files"].items())
        console.print(f"{e['year']}年 {e['region']}：{e['packages']} 个预算包，{e['figures']} 个数 → {out / e['folder']}（{sizes}）",
                      highlight=False)
    console.print(f"共 {sum(e['packages'] for e in index)} 个预算包，{sum(e['figures'] for e in index)} 个数，用时 {seconds:.1f} 秒",
                  highlight=False)
