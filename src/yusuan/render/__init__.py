"""Render a Disclosure into Word, Excel, a web page and PDF.

Renderers read only the ``Disclosure`` (docs/disclosure-keys.md); ``layout`` turns each table into a
printed grid that all formats draw, so Word, Excel, HTML and PDF show the same cells.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterable

from yusuan.disclosure import Disclosure
from yusuan.findings import Finding

FORMATS = ("docx", "xlsx", "html", "pdf")


def file_stem(d: Disclosure) -> str:
    year = f"{d.budget_year}年" if d.budget_year else ""
    word = "部门预算" if d.phase == "budget" else "部门决算"
    stem = f"{d.unit_name}{year}{word}公开"
    return "".join(ch for ch in stem if ch not in '/\\:*?"<>|')


def render(disclosure: Disclosure, out_dir: Path, formats: Iterable[str] = FORMATS,
           findings: list[Finding] | None = None, on_done=None, pdf_engine: str | None = None,
           toc_pages: bool = False, notes: list[str] | None = None) -> dict[str, Path]:
    """Write the requested formats into ``out_dir``; returns {format: path}.

    ``findings`` adds a 校验报告 sheet to the workbook. ``on_done(format, path)`` is called after each
    file (for progress bars). ``pdf_engine`` is ``typst`` (default) or ``weasyprint``. ``toc_pages``
    writes page numbers into the Word contents (LibreOffice paginates it once; see docx_pages); what
    could not be done is said in ``notes`` (in Chinese, for the user)."""
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        from yusuan.errors import InputError, InputProblem

        msg = f"不支持的输出格式 {', '.join(unknown)}（可用：{', '.join(FORMATS)}）"
        raise InputError("--format", [InputProblem("--format", msg)])
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(disclosure)
    written: dict[str, Path] = {}
    html_text: str | None = None
    for fmt in wanted:
        path = out_dir / f"{stem}.{fmt}"
        if fmt == "docx":
            from yusuan.render.docx import write_docx

            write_docx(disclosure, path)
            if toc_pages:
                from yusuan.render.docx_pages import fill_toc_pages

                try:
                    done = fill_toc_pages(path)
                except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                    done, reason = None, f"LibreOffice 出错：{exc}"
                else:
                    reason = "未安装 LibreOffice（soffice）"
                # without numbers the contents keep their headings; Word fills them when it updates fields
                if done is None and notes is not None:
                    notes.append(f"Word 目录未写页码（{reason}）；在 Word 中打开并更新域即可显示页码。")
                elif done and done[0] < done[1] and notes is not None:
                    notes.append(f"Word 目录有 {done[1] - done[0]} 个条目未找到所在页，未写页码。")
        elif fmt == "xlsx":
            from yusuan.render.xlsx import write_xlsx

            write_xlsx(disclosure, path, findings)
        elif fmt == "html":
            from yusuan.render.html import render_html

            html_text = render_html(disclosure)
            path.write_text(html_text, encoding="utf-8")
        else:
            from yusuan.render import pdf

            # WeasyPrint prints the web page: reuse it when it was just rendered.
            pdf.write_pdf(disclosure, path, html_text, engine=pdf_engine or pdf.DEFAULT_ENGINE)
        written[fmt] = path
        if on_done:
            on_done(fmt, path)
    return written
