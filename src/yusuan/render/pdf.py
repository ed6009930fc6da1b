"""PDF from the HTML page with WeasyPrint; text stays selectable, Noto CJK fonts come from fontconfig."""

from __future__ import annotations

import logging
from pathlib import Path

from yusuan.disclosure import Disclosure
from yusuan.render.html import render_html


def write_pdf(d: Disclosure, path: Path, html: str | None = None) -> Path:
    from weasyprint import HTML

    # WeasyPrint warns about CSS it ignores (screen-only rules); that is noise for the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html if html is not None else render_html(d), base_url=str(path.parent)).write_pdf(path)
    return path
