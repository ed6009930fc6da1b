"""`yusuan synth make` / `yusuan synth score`: a synthetic corpus with ground truth, and the audit's
recall, precision and false alarms measured on it (``yusuan.synth``, docs/synth.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from yusuan.cli import app, console, err, fail_input
from yusuan.errors import InputError

synth_app = typer.Typer(help="合成语料：生成带真值的公开文件，并据此测量审查的查全率、查准率和误报。", no_args_is_help=True)
app.add_typer(synth_app, name="synth")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


@synth_app.command("make")
def make(
    output: Path = typer.Option(..., "-o", "--output", help="输出文件夹（写入公开文件和 truth.json）"),
    departments: int = typer.Option(10, "--departments", "-n", help="部门数（第 1 个为内置示例，其余随机生成）"),
    years: Optional[str] = typer.Option(None, "--years", help="预算年度：2023、2022,2024 或 2022-2024；缺省为 2023"),
    errors: float = typer.Option(0.3, "--errors", help="注入错误的文件比例（0–1），每个文件至多一处错误"),
    seed: int = typer.Option(1, "--seed", help="随机种子：相同种子生成相同的语料和真值"),
    formats: str = typer.Option("docx", "--formats", help="输出格式，逗号分隔：docx、xlsx、pdf"),
    variants: str = typer.Option("all", "--variants", help="all：随机版式变体；none：只用地区版式本身"),
    profiles: Optional[str] = typer.Option(None, "--profiles", help="只用这些地区版式（逗号分隔）；缺省 xinjiang、shanghai 随机"),
    categories: Optional[str] = typer.Option(None, "--categories", help="只注入这些错误类别（逗号分隔，按文件轮流）；缺省随机"),
) -> None:
    """生成合成语料：每个部门一份公开文件（按所选格式）和记录版式、措辞与注入错误的 truth.json。"""
    from yusuan.synth.make import make_corpus, parse_formats, parse_years

    try:
        wanted = parse_formats(formats)
        year_list = parse_years(years)
        with _progress() as progress:
            task = progress.add_task("生成公开文件", total=departments)
            truth = make_corpus(output, departments, year_list, errors, seed, wanted, variants,
                                on_document=lambda i, d: progress.advance(task),
                                categories=_list(categories), profiles=_list(profiles))
    except InputError as exc:
        fail_input(exc)
    docs = truth["documents"]
    with_error = sum(1 for d in docs if not d["clean"])
    console.print(f"已写入 {len(docs)} 个部门、{sum(len(d['files']) for d in docs)} 个文件到 {output}，"
                  f"其中 {with_error} 个部门注入了错误；真值见 {output / 'truth.json'}", highlight=False)


def _list(text: Optional[str]) -> Optional[list[str]]:
    return [x.strip() for x in text.replace("，", ",").split(",") if x.strip()] if text else None


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@synth_app.command("score")
def score(
    folder: Path = typer.Argument(..., help="synth make 的输出文件夹（含 truth.json）"),
    results: Optional[Path] = typer.Argument(None, help="可选：yusuan audit --format json 的结果文件或文件夹；缺省时逐个审查"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="score.json 的写入位置；缺省写入语料文件夹"),
) -> None:
    """审查合成语料中的每个文件（或读取已有审查结果），与真值比对，给出各类错误的查全率、查准率和干净文件上的误报。"""
    from yusuan.synth.inject import CATEGORY_ZH
    from yusuan.synth.make import load_truth
    from yusuan.synth.score import SCORE, score_corpus, write_score

    try:
        truth = load_truth(folder)
        total = sum(len(d["files"]) for d in truth["documents"])
        with _progress() as progress:
            total += sum(len(d.get("twin_files") or {}) for d in truth["documents"]) if results is None else 0
            task = progress.add_task("审查文件", total=total)
            result = score_corpus(folder, results, on_file=lambda name: progress.advance(task))
    except InputError as exc:
        fail_input(exc)
    table = RichTable(title="合成语料评分")
    for col in ("错误类别", "注入", "查出", "查全率"):
        table.add_column(col, justify="right" if col != "错误类别" else "left")
    for cat, s in result["categories"].items():
        table.add_row(f"{CATEGORY_ZH[cat]}（{cat}）", str(s["injected"]), str(s["caught"]), _pct(s["recall"]))
    t = result["total"]
    table.add_row("合计", str(t["injected"]), str(t["caught"]), _pct(t["recall"]))
    console.print(table)
    pf, pff = result["precision_findings"], result["precision_fatal_findings"]
    console.print(f"查准率（有错文件上的错误与警告）：{_pct(result['precision'])}（{pf['matching']}/{pf['fatal_and_warning']}）；"
                  f"只计错误级：{_pct(result['precision_fatal'])}（{pff['matching']}/{pff['fatal']}）", highlight=False)
    inh = result.get("inherent_findings") or {}
    if inh.get("count"):
        console.print(f"  另有 {inh['count']} 条是内置示例事实本身的问题（yusuan check 对其事实也报告），未计入查准率", highlight=False)
    console.print(f"干净文件上的误报（错误级）：{result['false_fatal_on_clean']} 条，"
                  f"涉及 {result['clean_files_with_fatal']}/{result['clean_files']} 个干净文件", highlight=False)
    for rule, n in list(result["false_fatal_by_rule"].items())[:10]:
        console.print(f"  · {rule}：{n} 条", highlight=False)
    tw = result.get("against_twins")
    if tw:
        console.print(f"只计错误新增的发现（与无错孪生文件比对）：查全率 {_pct(tw['recall'])}，"
                      f"查准率 {_pct(tw['precision'])}（{tw['findings']['matching']}/{tw['findings']['new']}）", highlight=False)
        weak = [f"{CATEGORY_ZH[c]} {_pct(v['recall'])}" for c, v in tw["categories"].items()
                if v["injected"] and v["recall"] is not None and v["recall"] < 1]
        if weak:
            console.print("  未全部查出的类别：" + "，".join(weak), highlight=False)
    na = result.get("narrative_amounts")
    if na:
        parts = "，".join(f"{f} {_pct(v['share'])}" for f, v in na["by_phrasing"].items())
        console.print(f"说明文字金额读出：{_pct(na['share'])}（{na['read']}/{na['total']}）；按措辞：{parts}", highlight=False)
    if result["unreadable"]:
        console.print(f"[yellow]无法审查的文件 {len(result['unreadable'])} 个[/]（见 score.json）")
    target = output or ((folder if folder.is_dir() else folder.parent) / SCORE)
    try:
        write_score(result, target)
    except OSError as exc:
        err.print(f"[bold red]错误[/]：无法写入 {target}：{exc}", highlight=False)
        raise typer.Exit(2)
    err.print(f"已写入 {target}", highlight=False)
