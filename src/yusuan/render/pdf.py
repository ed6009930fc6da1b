"""PDF from the HTML page with WeasyPrint; text stays selectable, Noto CJK fonts come from fontconfig.

Speed (benchmarks/build_bench.py): WeasyPrint builds tens of thousands of small Python objects per
page (boxes, computed styles), and the cyclic garbage collector kept rescanning them while they
were all still alive: pausing it for the rendering saves about a fifth of the PDF's time. Nothing
is freed later than it would be anyway, since the whole box tree lives until the file is written.
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from yusuan.disclosure import Disclosure
from yusuan.render.html import render_html


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


def write_pdf(d: Disclosure, path: Path, html: str | None = None) -> Path:
    from weasyprint import HTML

    # WeasyPrint warns about CSS it ignores (screen-only rules); that is noise for the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    source = html if html is not None else render_html(d)
    with gc_paused():
        HTML(string=source, base_url=str(path.parent)).write_pdf(path)
    return path
