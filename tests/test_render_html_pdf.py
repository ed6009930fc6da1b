"""The web page and the PDF: self-contained HTML, and a PDF whose tables fit the page.

The PDF checks read the rendered file with pdfplumber: every character lies within the page, no
character crosses a vertical ruling of a table (text never overflows its cell), wide tables sit on
landscape pages, and the CJK text is real, selectable text. They run on both PDF engines (Typst,
the default, and WeasyPrint printing the web page).
"""

from __future__ import annotations

import re

import pytest

from render_fixture import disclosure_under_test, hand_disclosure
from yusuan.render.html import render_html
from yusuan.render.layout import DRAFT_MARK, grids
from yusuan.render.pdf import ENGINES, write_pdf

pdfplumber = pytest.importorskip("pdfplumber")


@pytest.fixture(scope="module")
def disclosure():
    return disclosure_under_test()


@pytest.fixture(scope="module")
def html(disclosure):
    return render_html(disclosure)


@pytest.fixture(scope="module", params=ENGINES)
def pdf(disclosure, tmp_path_factory, request):
    path = write_pdf(disclosure, tmp_path_factory.mktemp("pdf") / "out.pdf", engine=request.param)
    with pdfplumber.open(path) as doc:
        pages = [
            {"width": p.width, "height": p.height, "chars": p.chars, "text": p.extract_text() or "",
             "edges": [e for e in p.edges if e["orientation"] == "v"]}
            for p in doc.pages
        ]
    return pages


def test_html_is_self_contained(html):
    assert "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "url(" not in html
    assert "@page wide" in html and "size: A4 landscape" in html


def test_html_has_every_table_with_grouped_headers(disclosure, html):
    for t in disclosure.tables:
        assert t.title in html
    for g in grids(disclosure):
        for h in g.heads:
            if h.colspan > 1:
                assert f'colspan="{h.colspan}">{h.text}</th>' in html
        if g.wide:
            assert f'class="table-block wide" id="{g.anchor}"' in html
    for p in disclosure.performance:
        assert p.table.printed_name in html


def test_pdf_page_count_is_plausible(disclosure, pdf):
    tables = len(disclosure.tables)
    # cover + contents + at least one page per table and per performance table, and not absurdly more
    assert 2 + tables <= len(pdf) <= 2 + 3 * (tables + len(disclosure.performance)) + 20


def test_pdf_text_is_selectable_cjk(disclosure, pdf):
    text = "\n".join(p["text"] for p in pdf)
    for t in disclosure.tables:
        assert t.title.replace(" ", "") in text.replace(" ", "")
    assert disclosure.unit_name in text
    assert re.search(r"第 ?\d+ ?页", text)


def test_wide_tables_are_on_landscape_pages(disclosure, pdf):
    wide = [g for g in grids(disclosure) if g.wide]
    landscape = [p for p in pdf if p["width"] > p["height"]]
    assert len(landscape) >= len(wide) >= 1
    for g in wide:
        assert any(g.title in p["text"].replace(" ", "") for p in landscape), g.title


def test_every_character_lies_within_the_page(pdf):
    for n, p in enumerate(pdf, start=1):
        for ch in p["chars"]:
            assert ch["x0"] >= 0 and ch["x1"] <= p["width"], (n, ch["text"], ch["x0"], ch["x1"])
            assert ch["top"] >= 0 and ch["bottom"] <= p["height"], (n, ch["text"])
        for e in p["edges"]:
            assert 0 <= e["x0"] <= p["width"], (n, e["x0"])


# Full-width CJK punctuation draws in one half of its em box (GB style): opening marks in the right
# half, closing marks, commas and stops in the left. Typst trims the blank half at a line's start or
# end, as Chinese typesetting does, so the nominal box may reach past a border its ink never crosses.
OPENING = set("（《“‘【〔「『［｛")
CLOSING = set("）》”’】〕」』］｝，。、：；")


def _ink(ch) -> tuple[float, float]:
    x0, x1 = ch["x0"], ch["x1"]
    half = (x1 - x0) / 2
    if ch["text"] in OPENING:
        return x0 + half, x1
    if ch["text"] in CLOSING:
        return x0, x1 - half
    return x0, x1


def _crossings(pages) -> list[tuple]:
    out = []
    for n, p in enumerate(pages, start=1):
        for ch in p["chars"]:
            if not ch["text"].strip():
                continue
            mid = (ch["top"] + ch["bottom"]) / 2
            x0, x1 = _ink(ch)
            for e in p["edges"]:
                if e["top"] <= mid <= e["bottom"] and x0 + 0.3 < e["x0"] < x1 - 0.3:
                    out.append((n, ch["text"], round(ch["x0"], 1), round(e["x0"], 1)))
    return out


def _pages(path):
    with pdfplumber.open(path) as doc:
        return [{"width": p.width, "height": p.height, "chars": p.chars,
                 "edges": [e for e in p.edges if e["orientation"] == "v"]} for p in doc.pages]


def test_no_text_crosses_a_cell_border(pdf):
    crossings = _crossings(pdf)
    assert not crossings, crossings[:10]


def test_the_overflow_check_catches_overflowing_text(tmp_path):
    """Force the table text too large to wrap or fit: the same checks must then report it."""
    from weasyprint import HTML

    html = render_html(hand_disclosure())
    html = re.sub(r'class="grid" style="font-size: [\d.]+pt"', 'class="grid" style="font-size: 16pt"', html)
    html = html.replace("overflow-wrap: anywhere; word-break: break-all;", "white-space: nowrap;")
    path = tmp_path / "overflow.pdf"
    HTML(string=html).write_pdf(path)
    pages = _pages(path)
    outside = [ch for p in pages for ch in p["chars"] if ch["x1"] > p["width"]]
    assert _crossings(pages) or outside


def test_tables_have_ruled_cells(disclosure, pdf):
    # the check above is only meaningful if table rulings were found on the table pages
    ruled = [p for p in pdf if len(p["edges"]) >= 4]
    assert len(ruled) >= len(disclosure.tables)


@pytest.mark.parametrize("engine", ENGINES)
def test_draft_mark_on_every_page(tmp_path, engine):
    path = write_pdf(hand_disclosure(draft=True), tmp_path / "draft.pdf", engine=engine)
    with pdfplumber.open(path) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    assert len(texts) > 3
    assert all(DRAFT_MARK in t for t in texts)
