"""`yusuan audit FILE...`: read published disclosures (extracted text, DOCX, XLSX; PDF when its
reader is installed; .doc/.xls/.wps through LibreOffice) and run every check on what they print.

The reading findings (category “读取”, rules R.*) are reported beside the check findings. Exit code:
0 no errors, 1 errors found, 2 an input could not be used (the other files are still checked)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from yusuan.cli import app, console, err, load_previous
from yusuan.errors import InputError

FORMATS = ("text", "json", "csv", "html")
_EXT = {"json": "json", "csv": "csv", "html": "html", "text": "txt"}


def audit_file(path: Path, profile: str = "auto", settings=None, previous=None):
    """Read one file and check it: a ``yusuan.rules.report.Report`` with the reading findings first.
    ``previous``: last year's disclosure, for the across-years rules."""
    from yusuan.read import read_file
    from yusuan.rules.engine import check_disclosure

    result = read_file(path, profile=profile)
    report = check_disclosure(result.disclosure, profile=None if profile == "auto" else profile,
                              settings=settings, source=str(path), previous=previous)
    from yusuan.rules.quotes import quote_findings

    report.findings = _ordered(quote_findings(result.disclosure, result.findings)) + report.findings
    return report


def _ordered(findings):
    order = {"fatal": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])


@app.command()
def audit(
    files: list[Path] = typer.Argument(..., help="公开文件：.docx、.xlsx、.pdf、网页 .html、提取的 .txt（旧版 .doc/.xls/.wps 需安装 LibreOffice）"),
    profile: str = typer.Option("auto", "--profile", "-p", help="地区版式：auto（自动识别）或版式名称，如 xinjiang、shanghai"),
    fmt: str = typer.Option("text", "--format", "-f", help="输出格式：text（终端表格）、json、csv、html"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件（多个输入文件时为文件夹）；缺省输出到终端"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="校验配置文件（停用规则、调整级别、容差）"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="把问题标注在公开文件副本上（PDF 加框编号、DOCX 单元格着色并加批注），写入该文件夹"),
    facts: Optional[Path] = typer.Option(None, "--facts", help="把公开文件还原为可编辑的事实文件（.yaml、.json 或 .xlsx），只用于单个输入文件"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上年的已公开文件或预算包：核对本年说明中的上年数"),
) -> None:
    """读取已公开的预算/决算文件并校验。退出码 0 无错误，1 有错误，2 有文件无法读取。"""
    from yusuan.rules import report as reports

    if fmt not in FORMATS:
        err.print(f"[bold red]错误[/]：--format 应为 {'、'.join(FORMATS)} 之一，实际为 {fmt!r}", highlight=False)
        raise typer.Exit(2)
    settings = None
    if config:
        from yusuan.rules.config import load_settings

        try:
            settings = load_settings(config)
        except InputError as exc:
            err.print(f"[bold red]错误[/]：{exc}", highlight=False)
            raise typer.Exit(2)
    several = len(files) > 1
    if several and output is not None and output.suffix and not output.is_dir() and fmt != "text":
        err.print("[bold red]错误[/]：多个输入文件时 -o 应为文件夹（每个文件一份报告）", highlight=False)
        raise typer.Exit(2)
    if several and facts is not None:
        err.print("[bold red]错误[/]：--facts 只能用于单个输入文件", highlight=False)
        raise typer.Exit(2)
    if several and output is None and fmt == "html":
        err.print("[bold red]错误[/]：多个文件的 HTML 报告请用 -o 指定一个文件夹", highlight=False)
        raise typer.Exit(2)

    last = load_previous(previous, None if profile == "auto" else profile)
    code = 0
    done = []
    for path in files:
        try:
            report = audit_file(path, profile=profile, settings=settings, previous=last)
        except InputError as exc:
            err.print(f"[bold red]错误[/]：{exc}", highlight=False)
            code = 2
            continue
        code = max(code, report.exit_code)
        done.append((path, report))
        if facts is not None:
            code = max(code, _write_facts(path, profile, facts))
        if annotate is not None:
            from yusuan.annotate import annotate_file

            written = annotate_file(path, report.findings, annotate)
            if written is None:
                err.print(f"{path.name}：只有 PDF 和 DOCX 文件可以生成标注副本", highlight=False)
            else:
                err.print(f"已写入标注副本 {written[0]}（标出 {written[1]} 处问题）", highlight=False)
        if fmt == "text" and output is None:
            reports.print_text(report, console)

    if fmt != "text" or output is not None:
        _write(done, fmt, output, several)
    raise typer.Exit(code)


def _write_facts(path: Path, profile: str, target: Path) -> int:
    """Recover the facts the file prints (``yusuan.recover``) and save them; 2 when that is impossible."""
    from yusuan.load import save_package
    from yusuan.read import read_file
    from yusuan.recover import facts_from_disclosure

    try:
        disclosure = read_file(path, profile=profile).disclosure
        if disclosure.phase == "final":  # a final account (部门决算): its own facts model
            from yusuan.recover_final import final_facts_from_disclosure

            package, notes = final_facts_from_disclosure(disclosure)
        else:
            package, notes = facts_from_disclosure(disclosure)
        save_package(package, target)
    except (InputError, OSError) as exc:
        err.print(f"[bold red]错误[/]：无法还原事实：{exc}", highlight=False)
        return 2
    err.print(f"已写入事实文件 {target}（{len(notes)} 处公开文本未能确定，已按说明取值）", highlight=False)
    for note in notes:
        err.print(f"  · {note.message}", highlight=False)
    return 0


def _write(done, fmt: str, output: Optional[Path], several: bool) -> None:
    from yusuan.rules import report as reports

    def render(report) -> str:
        if fmt == "text":
            from yusuan.commands.check import _plain_text

            return _plain_text(report)
        return reports.render(report, fmt)

    if output is not None and (several or output.is_dir() or not output.suffix):
        output.mkdir(parents=True, exist_ok=True)
        for path, report in done:
            target = output / f"{path.stem}.audit.{_EXT[fmt]}"
            _save(target, render(report))
        return
    if output is not None:
        if done:
            _save(output, render(done[0][1]))
        return
    if fmt == "json" and several:
        sys.stdout.write(json.dumps([reports.to_dict(r) for _, r in done], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv" and several:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for i, (path, report) in enumerate(done):
            rows = list(csv.reader(io.StringIO(reports.to_csv(report))))
            if i == 0:
                writer.writerow(["file"] + rows[0])
            writer.writerows([[path.name] + row for row in rows[1:]])
        sys.stdout.write(buf.getvalue())
    else:
        for _, report in done:
            sys.stdout.write(render(report))


def _save(target: Path, text: str) -> None:
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        err.print(f"[bold red]错误[/]：无法写入 {target}：{exc}", highlight=False)
        raise typer.Exit(2)
    err.print(f"已写入 {target}", highlight=False)
