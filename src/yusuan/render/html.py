"""One self-contained printable HTML page (inline CSS, no external assets), also the PDF's source.

Wide tables go on named landscape pages (``@page wide``); each table's font size is computed from
its column widths so that the widest table still fits the page (see ``layout.font_size``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from yusuan.disclosure import Disclosure
from yusuan.render.document import cover_title, parts, section_title
from yusuan.render.layout import (
    DRAFT_MARK, PAGE_MARGIN_MM, body_spans, field_spans, font_size, perf_merges, perf_widths,
)

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(section_title=section_title, field_spans=field_spans)
    return env


def render_html(d: Disclosure) -> str:
    ps = parts(d)
    all_grids = [g for p in ps for g in p.grids]
    all_perf = [t for p in ps for t in p.perf]
    spans, skips = {}, {}
    for g in all_grids:
        spans[g.anchor], skips[g.anchor] = body_spans(g)
    perf_spans, perf_cov = {}, {}
    for t in all_perf:
        perf_spans[t.anchor], perf_cov[t.anchor] = perf_merges(t)
    widths = {t.anchor: perf_widths(t) for t in all_perf}
    return _env().get_template("disclosure.html.j2").render(
        title=cover_title(d), unit_name=d.unit_name, date_text=d.date_text, signature=d.signature,
        draft=d.draft, draft_mark=DRAFT_MARK, parts=ps, margin_mm=PAGE_MARGIN_MM,
        sizes={g.anchor: font_size(g.widths, g.wide) for g in all_grids},
        spans=spans, body_skips=skips,
        perf_widths=widths, perf_sizes={a: font_size(w, False, largest=9.5) for a, w in widths.items()},
        perf_spans=perf_spans, perf_covered=perf_cov,
    )


def write_html(d: Disclosure, path: Path) -> Path:
    path.write_text(render_html(d), encoding="utf-8")
    return path
