"""The PDF, by one of two engines: Typst (the default) or WeasyPrint (the web page printed as is).

Typst (render/typeset.py) typesets the printed grids directly and is the fast path: the example's
40-odd pages in well under a second, where WeasyPrint, laying every box out in Python, takes
several seconds (benchmarks/build_bench.py prints both). WeasyPrint stays available for whoever
wants the PDF to be exactly the web page (``--pdf-engine weasyprint``). Both give selectable text
with embedded Noto CJK subsets, landscape pages for wide tables, repeated table headers, the
contents with page numbers and the draft mark on every page; the same tests run on both.

WeasyPrint speed: it builds tens of thousands of small Python objects per page (boxes, computed
styles), and the cyclic garbage collector kept rescanning them while they were all still alive:
pausing it for the rendering saves about a fifth of that engine's time. Nothing is freed later than
it would be anyway, since the whole box tree lives until the file is written.
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from yusuan.disclosure import Disclosure

ENGINES = ("typst", "weasyprint")
DEFAULT_ENGINE = "typst"


class PdfError(RuntimeError):
    """The PDF could not be made (a missing font, an engine failure); the message is for the user."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the block (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(d: Disclosure, path: Path, html: str | None = None, engine: str = DEFAULT_ENGINE) -> Path:
    """Write the PDF of ``d`` to ``path``; ``html`` is the already rendered web page (WeasyPrint only)."""
    if engine == "typst":
        return _write_typst(d, path)
    if engine == "weasyprint":
        return _write_weasyprint(d, path, html)
    raise PdfError(f"未知的 PDF 引擎 {engine!r}（可用：{'、'.join(ENGINES)}）")


def _write_typst(d: Disclosure, path: Path) -> Path:
    from yusuan.render.typeset import FontMissing, write_pdf_typst

    try:
        import typst
    except ImportError as exc:  # pragma: no cover - typst is a declared dependency
        raise PdfError("未安装 PDF 排版引擎 typst（pip install typst），或改用 --pdf-engine weasyprint") from exc
    try:
        return write_pdf_typst(d, path)
    except FontMissing as exc:
        raise PdfError(str(exc)) from exc
    except typst.TypstError as exc:
        raise PdfError(f"PDF 排版失败（Typst）：{exc}") from exc


def _write_weasyprint(d: Disclosure, path: Path, html: str | None) -> Path:
    from weasyprint import HTML

    from yusuan.render.html import render_html

    # WeasyPrint warns about CSS it ignores (screen-only rules); that is noise for the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    source = html if html is not None else render_html(d)
    with gc_paused():
        HTML(string=source, base_url=str(path.parent)).write_pdf(path)
    return path
