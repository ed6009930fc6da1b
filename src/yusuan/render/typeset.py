"""The PDF typeset by Typst: the same printed grids as every other format, laid out in native code.

Why not WeasyPrint (the first engine, still available as ``engine="weasyprint"``): it lays a page
out in Python, about 0.1 s per table page here, so the example's 41 pages took 3.7 s on a quick
machine and 11 s on a slow one (benchmarks/build_bench.py), against a 3 s target for all four
formats. Typst (Apache-2.0, through the ``typst`` wheel, which bundles the compiler) typesets the
same document in a fraction of that. The layout is a data file: ``templates/disclosure.typ``
receives the disclosure as JSON (``sys.inputs``), so no text of the package is ever pasted into
Typst markup and nothing in it needs escaping.

The document follows the web page: cover, contents with dot leaders and page numbers, the parts,
wide tables on landscape pages with their header rows repeated, performance-target tables,
signature; 第 N 页 on every page but the cover, and the draft mark on every page when the facts
have fatal findings.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from yusuan.disclosure import Disclosure
from yusuan.render.document import Part, cover_title, parts, section_title
from yusuan.render.layout import (
    CELL_PAD_EM, DRAFT_MARK, PAGE_MARGIN_MM, USABLE_PT, Grid, PerfLayout, body_spans, cell_lines, field_spans,
    font_size, perf_merges, perf_widths,
)

TEMPLATE = Path(__file__).parent / "templates" / "disclosure.typ"
# The families the template asks for; without them Typst would fall back to a Latin font and print
# CJK text as empty boxes, so their absence is an error (see ``missing_fonts``). Typst reports an
# unknown family as a warning of the compilation itself, which costs no second font scan.
FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# Longest run of Latin characters left unbroken in a table cell, and in a line of running text.
CELL_RUN, LINE_RUN = 8, 24  # a figure-only run: twice as long


class FontMissing(RuntimeError):
    """The CJK fonts the PDF needs are not installed."""


@lru_cache(maxsize=1)
def _compiler():
    import typst

    # One compiler per process: it scans the system fonts once and caches what it typeset.
    return typst.Compiler()


def missing_fonts(warnings) -> list[str]:
    """The template's families Typst reported unknown (it warns, then falls back to another font)."""
    unknown = {m.group(1).strip().lower() for w in warnings
               if (m := re.match(r"unknown font family: (.+)", getattr(w, "message", str(w))))}
    return [f for f in FONTS if f.lower() in unknown]


# A run of Latin letters, digits and signs (a URL, a file number, a code) has no break opportunity
# in Typst, so a long one would run out of its cell or the page; WeasyPrint breaks such runs anywhere
# (overflow-wrap). The template sets the text of a cell flagged ``brk`` one character per box, which
# lets it wrap between any two characters and adds nothing to the text layer. A run without letters
# (an amount, ">=2705.52", "2021-2035") is left alone unless it could not fit any column: a figure
# split over two lines is a misprint waiting to happen, and the columns are sized for the amounts.
_RUN = re.compile(r"[^\s\u2e80-\uffff]+")
_LETTER = re.compile(r"[A-Za-z]")


def _unbreakable(text: str, longest: int) -> bool:
    return any(len(m) > longest and (_LETTER.search(m) or len(m) > 2 * longest) for m in _RUN.findall(text))


def _grid_data(g: Grid, first: bool) -> dict:
    spans, covered = body_spans(g)
    pieces = []  # a split table prints each piece on its own page under the header
    for start, end in g.pieces():
        body = []
        for ri in range(start, end):
            for ci, c in enumerate(g.body[ri]):
                if (ri, ci) in covered:
                    continue
                body.append({"text": c.text, "cs": spans.get((ri, ci), (1, 1))[1], "align": c.align,
                             "bold": c.bold, "indent": c.indent,
                             "brk": not c.numeric and _unbreakable(c.text, CELL_RUN)})
        pieces.append(body)
    total = sum(g.widths)
    size = font_size(g.widths, g.wide)
    col_pt = [w / total * USABLE_PT["landscape" if g.wide else "portrait"] for w in g.widths]
    heads = [{"lines": cell_lines(h.text, col_pt, h.col, h.colspan, size, CELL_PAD_EM * size),
              "rs": h.rowspan, "cs": h.colspan}
             for row in g.head_matrix() for h in row if h is not None]
    return {
        "anchor": g.anchor, "first": first, "wide": g.wide,
        "title": f"{g.number}　{g.title}" if g.number else g.title, "unit": g.unit,
        "size": size, "widths": [w / total for w in g.widths],
        "head": heads, "body": pieces[0], "more": pieces[1:], "empty_note": g.empty_note or "",
    }


def _perf_data(t: PerfLayout, first: bool) -> dict:
    widths = perf_widths(t)
    total = sum(widths)
    spans, covered = perf_merges(t)
    size = font_size(widths, False, largest=9.5)
    col_pt = [w / total * USABLE_PT["portrait"] for w in widths]
    pad = CELL_PAD_EM * size
    fields = []
    for line in t.fields:
        col = 0
        for text, span, is_label in field_spans(line, len(t.head)):
            lines = cell_lines(text, col_pt, col, span, size, pad) if is_label else [text]
            fields.append({"text": text, "lines": lines, "cs": span, "label": is_label,
                           "brk": _unbreakable(text, CELL_RUN)})
            col += span
    rows = [{"text": text, "rs": spans.get((ri, ci), 1), "brk": _unbreakable(text, CELL_RUN)}
            for ri, row in enumerate(t.rows) for ci, text in enumerate(row) if (ri, ci) not in covered]
    return {
        "anchor": t.anchor, "first": first, "title": t.title,
        "size": size, "widths": [w / total for w in widths],
        "fields": fields, "head": [cell_lines(h, col_pt, c, 1, size, pad) for c, h in enumerate(t.head)], "rows": rows,
    }


def _part_data(p: Part) -> dict:
    sections = []
    for i, s in enumerate(p.sections, 1):
        sections.append({
            "title": section_title(s), "anchor": f"sec-{p.number}-{i}",
            "paragraphs": [{"heading": para.style == "heading", "text": para.text,
                            "brk": _unbreakable(para.text, LINE_RUN)} for para in s.paragraphs],
        })
    return {
        "number": p.number, "heading": p.heading, "anchor": p.anchor, "sections": sections,
        "grids": [_grid_data(g, i == 0) for i, g in enumerate(p.grids)],
        "perf_heading": p.perf_heading,
        "perf": [_perf_data(t, i == 0) for i, t in enumerate(p.perf)],
    }


def _toc(ps: list[Part]) -> list[dict]:
    """The contents lines, the same as the web page's: parts, then their sections, tables and the
    performance heading."""
    out = []
    for p in ps:
        out.append({"level": 1, "text": p.heading, "anchor": p.anchor})
        for i, s in enumerate(p.sections, 1):
            if section_title(s):
                out.append({"level": 2, "text": section_title(s), "anchor": f"sec-{p.number}-{i}"})
        out += [{"level": 2, "text": g.label, "anchor": g.anchor} for g in p.grids]
        if p.perf:
            out.append({"level": 2, "text": p.perf_heading, "anchor": "perf-1"})
    return out


def typst_data(d: Disclosure) -> dict:
    """The disclosure as the template reads it (JSON-ready)."""
    ps = parts(d)
    return {
        "title": cover_title(d), "unit_name": d.unit_name, "date_text": d.date_text or "",
        "signature": d.signature or "", "draft": bool(d.draft), "draft_mark": DRAFT_MARK,
        "margin_mm": PAGE_MARGIN_MM, "toc": _toc(ps), "parts": [_part_data(p) for p in ps],
        "fonts": {"serif": FONTS[0], "sans": FONTS[1]},
    }


def render_pdf_bytes(d: Disclosure) -> bytes:
    data = json.dumps(typst_data(d), ensure_ascii=False)
    pdf, warnings = _compiler().compile_with_warnings(input=TEMPLATE.read_bytes(), format="pdf", sys_inputs={"data": data})
    missing = missing_fonts(warnings)
    if missing:
        raise FontMissing(
            f"缺少生成 PDF 所需的中文字体：{'、'.join(missing)}。"
            "请安装 Debian 软件包 fonts-noto-cjk（make system-deps 会安装）。")
    return _without_false_suspects(pdf)


# Typst writes ``/MarkInfo<</Marked true/Suspects false>>``. ``false`` is the default and valid PDF,
# but poppler (pdftoppm, pdfinfo) reports "Syntax Error: Suspects object is wrong type (boolean)" for
# it, so readers of our files see an error for nothing. Blanking the entry with spaces of the same
# length keeps every byte offset (the cross-reference table) valid, so no rewrite of the file is needed.
_FALSE_SUSPECTS = b"/Suspects false"


def _without_false_suspects(pdf: bytes) -> bytes:
    head = pdf.find(b"/MarkInfo")
    if head < 0:
        return pdf
    at = pdf.find(_FALSE_SUSPECTS, head, head + 200)
    if at < 0:
        return pdf
    return pdf[:at] + b" " * len(_FALSE_SUSPECTS) + pdf[at + len(_FALSE_SUSPECTS):]


def write_pdf_typst(d: Disclosure, path: Path) -> Path:
    pdf = render_pdf_bytes(d)
    # Written beside the target and renamed, so a failure never leaves half a file behind.
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    return path
